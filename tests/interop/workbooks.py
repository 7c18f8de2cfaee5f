"""Small synthetic XLSForm workbooks written with openpyxl, for the import tests."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

Rows = Sequence[Sequence[Any]]
YES_NO = [("list_name", "name", "label"), ("yn", "yes", "Yes"), ("yn", "no", "No")]


def workbook(
    path: Path, survey: Rows, choices: Rows | None = None, title: str = "survey", **sheets: Rows
) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in survey:
        ws.append(list(row))
    for title, rows in (("choices", choices), *sheets.items()):
        if rows is None:
            continue
        extra = wb.create_sheet(title)
        for row in rows:
            extra.append(list(row))
    wb.save(path)
    return path
