"""The draft findings report (open, gather, render) for 200- and 10,000-case demos, beside
bare reportlab laying out the same number of pages of plain paragraphs in the same run.

Goals (issue 5): 200 cases under 3 s, 10,000 cases under 15 s. Demo files are cached in
the temp folder, keyed by a hash of the demo code and the forms, since writing a
10,000-case demo takes minutes.

    python -m bench report
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

from bench.common import best_of, demo_file, report, report_value
from fieldwork.core.report import gather, render
from fieldwork.core.storage.store import Store

ROOT = Path(__file__).resolve().parents[1]
SIZES = ((200, 3.0, 3), (10_000, 15.0, 1))  # cases, goal in seconds, repeats
LOREM = (
    "Inspectors read the case record and spoke to the responsible officer about the "
    "assessment, the plan and the work delivered, and recorded what they found. "
) * 3


def pipeline(path: Path, out: Path) -> None:
    """What `fieldwork report FILE OUT.pdf` does, minus argument parsing."""
    store = Store.open(path, None, readonly=True, check=False)
    try:
        render(gather(store), out)
    finally:
        store.close()


def bare_reportlab(pages: int, out: Path) -> None:
    body = getSampleStyleSheet()["BodyText"]
    story = []
    for _ in range(pages):
        story += [Paragraph(LOREM, body) for _ in range(8)]
        story.append(PageBreak())
    SimpleDocTemplate(str(out), pagesize=A4).build(story[:-1])


def run() -> None:
    from pypdf import PdfReader

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for cases, goal, repeat in SIZES:
            path = demo_file(cases)
            out = folder / f"report{cases}.pdf"
            mine = best_of(lambda p=path, o=out: pipeline(p, o), repeat)
            pages = len(PdfReader(out).pages)
            base_out = folder / f"bare{cases}.pdf"
            base = best_of(lambda n=pages, o=base_out: bare_reportlab(n, o), repeat)
            assert len(PdfReader(base_out).pages) == pages
            verdict = "ok" if mine < goal else "MISSED"
            report(
                f"report {cases} cases ({pages} pages)", mine, base, f"goal < {goal:g} s: {verdict}"
            )
            store = Store.open(path, None, readonly=True, check=False)
            try:
                t0 = time.perf_counter()
                data = gather(store)
                t_gather = time.perf_counter() - t0
            finally:
                store.close()
            t0 = time.perf_counter()
            render(data, folder / "again.pdf")
            t_render = time.perf_counter() - t0
            report_value(f"  of which gather {cases}", t_gather, "s")
            report_value(f"  of which render {cases}", t_render, "s")


if __name__ == "__main__":
    print(f"{'figure':<44} {'value':>14} {'baseline (same run)':>26} {'ratio':>10}  goal")
    run()
