"""The draft findings report: gather (report.py) apart from rendering (pdf.py).

data = gather(store)                      # plain ReportData, no names or case refs
render(data, "out.pdf", progress=cb)      # cb(done, total) -> False cancels
"""

from __future__ import annotations

from fieldwork.core.report.document import Cancelled, Progress
from fieldwork.core.report.pdf import render
from fieldwork.core.report.report import ReportData, build, gather

__all__ = ["Cancelled", "Progress", "ReportData", "build", "gather", "render"]
