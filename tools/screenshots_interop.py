"""Screenshots of the form import dialog and the export menu, as tools/screenshots.py
takes the others (real window, offscreen, QWidget.grab()).

    python -m tools.screenshots_interop docs/screenshots

Writes 14-form-import-1366.png and 15-export-menu-1366.png, and the same at 1280. The workbook imported is a small
synthetic XLSForm made here (two languages, a note, no rating sheet), so the dialog
shows its warnings.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from tools.screenshots import SIZE, SIZES, _dim, _grab, _settle, shot_name

SURVEY = [
    ("type", "name", "label::English (en)", "label::Cymraeg (cy)", "hint::English (en)",
     "required", "relevant", "fieldwork::id", "fieldwork::lens"),
    ("select_one risk", "risk", "Risk of serious harm level", "Lefel risg", None, "yes"),
    ("note", "intro", "Answer from the case record only."),
    ("begin_group", "s1", "Assessment", "Asesu", None, None, None, "Y1"),
    ("begin_group", "k1", "Is the young person involved?", None, None, None, None, "Y1.1",
     "engaging"),
    ("select_one yes_no_na", "y1a", "Were their views sought?", "A ofynnwyd?", "Read the notes",
     "yes", None, "Y1.1a"),
    ("select_one yes_no_na", "y1b", "Was the family involved?", None, None, "yes",
     "${risk} != 'low'", "Y1.1b"),
    ("end_group",),
    ("end_group",),
]  # fmt: skip
CHOICES = [
    ("list_name", "name", "label::English (en)"),
    ("risk", "low", "Low"), ("risk", "medium", "Medium"), ("risk", "high", "High"),
    ("yes_no_na", "yes", "Yes"), ("yes_no_na", "no", "No"), ("yes_no_na", "na", "N/A"),
]  # fmt: skip
SETTINGS = [("form_title", "form_id", "version"), ("Youth justice pilot", "youth_pilot", "2")]


def _workbook(path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    for title, rows in (("survey", SURVEY), ("choices", CHOICES), ("settings", SETTINGS)):
        ws = wb.active if title == "survey" else wb.create_sheet(title)
        ws.title = title
        for row in rows:
            ws.append(list(row))
    wb.save(path)
    return path


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out_dir = Path(args[0] if args else "docs/screenshots")
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="fieldwork-shots-"))
    os.environ["FIELDWORK_CONFIG_DIR"] = str(tmp / "config")
    os.environ["FIELDWORK_DATA_DIR"] = str(tmp / "data")

    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QPainter

    from fieldwork.app import create_main_window, ensure_app
    from fieldwork.core.demo.generator import make_demo
    from fieldwork.ui.shell.interop import FormImportDialog

    app = ensure_app()
    path = tmp / "Demo inspection.fieldwork"
    make_demo(path, cases=200, seed=1).close()
    window = create_main_window(path)
    window.resize(*SIZE)
    window.show()
    _settle(app)

    workbook = _workbook(tmp / "Youth justice pilot.xlsx")
    for size in SIZES:
        window.resize(*size)
        _settle(app)
        dialog = FormImportDialog(window)
        dialog.show()
        dialog.load(workbook)
        _settle(app)
        _grab(window, out_dir / shot_name("14-form-import", size), dialog)
        dialog.hide()

        window.show_screen("Interviews")
        _settle(app)
        file_menu, export = window.menus[0], window.export_menu
        file_menu.popup(window.mapToGlobal(QPoint(4, window.menuBar().height())))
        _settle(app)
        file_menu.setActiveAction(export.menuAction())
        item = file_menu.actionGeometry(export.menuAction())
        export.popup(file_menu.mapToGlobal(QPoint(file_menu.width() - 4, item.top())))
        _settle(app)
        pixmap = window.grab()
        painter = QPainter(pixmap)
        painter.fillRect(pixmap.rect(), _dim())
        for menu in (file_menu, export):
            painter.drawPixmap(window.mapFromGlobal(menu.pos()), menu.grab())
        painter.end()
        out = out_dir / shot_name("15-export-menu", size)
        pixmap.save(str(out))
        print(out)
        export.hide()
        file_menu.hide()
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
