"""Screenshots of the views issue 15 added in the user's words, at each of SIZES, as
tools/screenshots.py takes the others (real window, offscreen, QWidget.grab()):

    python -m tools.screenshots_words docs/screenshots

Writes `27-sync-conflict-words-1366.png` (a conflict card naming the case, the question,
the values by label and who wrote each, with a new value to pick), `28-review-date-1366.png`
(a date row with its calendar open) and `29-review-empty-1366.png` (the Review screen with
no case open), and the same at 1280x720, from synthetic files made here.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from tools.screenshots import SIZES, _settle, prepare_environment, shot_name


def _conflicts(tmp: Path) -> Path:
    """Two laptops that answered one case differently; the lead's bundle imported."""
    from fieldwork.core.casework import answering
    from fieldwork.core.storage.store import Store
    from fieldwork.core.sync import bundle

    lead = Store.create(
        tmp / "lead.fieldwork", None, name="Probation services in Glanmor",
        form_id="adult-case-supervision", organisations=["NPS", "CRC"], area="Glanmor",
        author_name="Gwenllïan Ŵyn",
    )  # fmt: skip
    case_id = lead.insert("cases", {"ref": "A488417", "organisation": "NPS", "office": "Bangor"})
    bundle.export_bundle(lead, tmp / "setup.bundle")
    mate, _ = bundle.join_from_bundle(
        tmp / "setup.bundle", tmp / "mate.fieldwork", None, member_name="Łukasz Nowak"
    )
    answers = (
        (lead, {"mappa_level": "level_1", "start_date": "2015-09-21"}),
        (mate, {"mappa_level": "level_2", "start_date": "2015-09-12"}),
    )
    for store, values in answers:
        case = store.reads.case(case_id)
        assert case is not None
        for qid, value in values.items():
            answering.answer(store, case, qid, value)
    bundle.export_bundle(lead, tmp / "lead.bundle")
    bundle.import_bundles(mate, [tmp / "lead.bundle"])
    lead.close()
    mate.close()
    return tmp / "mate.fieldwork"


def _each_size(app: Any, window: Any, out_dir: Path, name: str, setup: Any) -> None:
    """Show the scene at each size and save the window (with any popup `setup` returns
    drawn where it opens: offscreen windows have no real position)."""
    from PySide6.QtGui import QPainter

    for size in SIZES:
        window.resize(*size)
        _settle(app)
        popup = setup()
        _settle(app, 10)
        shot = window.grab()
        if popup is not None:
            menu, where = popup
            painter = QPainter(shot)
            painter.drawPixmap(where, menu.grab())
            painter.end()
            menu.hide()
        out = out_dir / shot_name(name, size)
        shot.save(str(out))
        print(out)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out_dir = Path(args[0] if args else "docs/screenshots")
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = prepare_environment()

    from PySide6.QtCore import QPoint

    from fieldwork.app import create_main_window, ensure_app
    from fieldwork.core.demo.generator import make_demo

    app = ensure_app()

    window = create_main_window(_conflicts(tmp))
    window.show()
    _settle(app)

    def conflict() -> None:
        window.show_screen("Sync")

    _each_size(app, window, out_dir, "27-sync-conflict-words", conflict)
    window.close()

    path = tmp / "Demo inspection.fieldwork"
    make_demo(path, cases=40, seed=1).close()
    window = create_main_window(path)
    window.show()
    _settle(app)

    def empty() -> None:
        window.show_screen("Review")

    _each_size(app, window, out_dir, "29-review-empty", empty)

    case = next(c for c in window.store.reads.cases() if c.status == "draft")
    window.open_case(case.id)
    editor = window.review_editor()

    def date_row() -> tuple[Any, QPoint]:
        window.show_screen("Review")
        editor.show_page(0)
        editor.focus_question("start_date")
        _settle(app)
        row = editor.rows["start_date"]
        button = row.calendar_button  # type: ignore[attr-defined]
        button.open_calendar(row.value)
        _settle(app, 10)
        menu = button.menu_
        where = button.mapTo(window, button.rect().bottomRight()) - QPoint(menu.width() - 1, 0)
        return menu, where

    _each_size(app, window, out_dir, "28-review-date", date_row)
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
