"""Screenshots of every screen from the real app, for the README (`make screenshots`).

    python -m tools.screenshots docs/screenshots

Makes a 200-case demo in a temporary folder (settings there too, so a person's own
settings are never touched), opens it in the real main window at 1366x768 and saves
one PNG per screen. Dialogs are drawn over the window, where they would appear.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

SIZE = (1366, 768)


def _settle(app: object, rounds: int = 5) -> None:
    from PySide6.QtCore import QCoreApplication, QEventLoop, QThread

    for _ in range(rounds):
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        QThread.msleep(20)


def _grab(window: object, out: Path, dialog: object = None) -> None:
    from PySide6.QtGui import QPainter

    pixmap = window.grab()  # type: ignore[attr-defined]
    if dialog is not None:
        shot = dialog.grab()  # type: ignore[attr-defined]
        painter = QPainter(pixmap)
        x = (pixmap.width() - shot.width()) // 2
        y = max(40, (pixmap.height() - shot.height()) // 3)
        painter.fillRect(pixmap.rect(), _dim())
        painter.drawPixmap(x, y, shot)
        painter.end()
    pixmap.save(str(out))
    print(out)


def _dim() -> object:
    from PySide6.QtGui import QColor

    return QColor(0, 0, 0, 60)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out_dir = Path(args[0] if args else "docs/screenshots")
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="fieldwork-shots-"))
    os.environ["FIELDWORK_CONFIG_DIR"] = str(tmp / "config")
    os.environ["FIELDWORK_DATA_DIR"] = str(tmp / "data")
    os.environ.setdefault("FIELDWORK_NO_VIEWER", "1")

    from fieldwork.app import create_main_window, ensure_app
    from fieldwork.core.demo.generator import make_demo

    app = ensure_app()
    path = tmp / "Demo inspection.fieldwork"
    make_demo(path, cases=200, seed=1).close()
    window = create_main_window(path)
    window.resize(*SIZE)
    window.show()
    window.activateWindow()
    handle = window.windowHandle()
    if handle is not None:
        handle.requestActivate()
    _settle(app)
    store = window.store
    me = window.session.me

    def shot(name: str, dialog: object = None) -> None:
        _settle(app)
        _grab(window, out_dir / f"{name}.png", dialog)

    window.show_screen("Overview")
    shot("01-overview")

    cases = window.show_screen("Cases")
    cases.show_combo.setCurrentIndex(cases.show_combo.findData(""))  # type: ignore[attr-defined]
    cases.focus_table()  # type: ignore[attr-defined]
    shot("02-cases")

    draft = next(c for c in store.reads.cases() if c.status == "draft")
    window.open_case(draft.id)
    editor = window.review_editor()
    first_section = store.reads.form().sections[0]
    _settle(app)
    editor.focus_question(first_section.key_questions[0].prompts[1].id)
    _settle(app)
    shot("03-review")

    returned = next(c for c in store.reads.cases() if c.status == "returned")
    window.open_case(returned.id)
    shot("04-review-returned")

    complete = next(c for c in store.reads.cases() if c.status == "complete" and not c.qa_inspector)
    store.update("cases", complete.id, {"qa_inspector": me})
    window.session.external_change()
    window.open_case(complete.id)
    shot("05-review-quality-assurance")

    interviews = window.show_screen("Interviews")
    first = store.reads.interviews()[0] if store.reads.interviews() else None
    if first is not None:
        interviews.open_interview(first.id)  # type: ignore[attr-defined]
    shot("06-interviews")

    window.show_screen("Sync")
    shot("07-sync")
    window.show_screen("Findings")
    shot("08-findings")

    window.show_screen("Overview")
    window.open_search()
    dialog = window.search_dialog
    if dialog is not None:
        dialog.box.setText("risk")
        dialog.run_search()
        shot("09-search", dialog)
        dialog.hide()

    from fieldwork.ui.shell.dialogs import NewInspectionDialog

    new = NewInspectionDialog(window.settings, window)
    new.name.setText("Probation services in Glanmor")
    new.area.setText("Glanmor and Tresaith")
    new.show()
    shot("10-new-inspection", new)
    new.hide()

    from fieldwork.core.sync import bundle
    from fieldwork.ui.shell.join_dialog import JoinDialog

    setup = tmp / "Glanmor setup.bundle"
    bundle.export_bundle(store, setup, passphrase="told in person")
    join = JoinDialog(window.settings, window)
    join.bundle.setText(str(setup))
    join.name.setText("Siân Griffiths")
    join.bundle_passphrase.setText("told in person")
    join.file.path.setText(str(tmp / "Glanmor.fieldwork"))
    join.show()
    shot("13-join-inspection", join)
    join.hide()

    try:
        from fieldwork.ui.cases.case_import import CaseImportDialog
    except ImportError:
        CaseImportDialog = None  # type: ignore[assignment,misc]
    if CaseImportDialog is not None:
        csv_path = tmp / "sample.csv"
        csv_path.write_text(
            "ref,organisation,office,inspector,sentence_type,risk_level\n"
            "Z100001,NPS,Glanmor office,Chloé Durand,licence,high\n"
            "Z100002,CRC,Pont-y-gof office,Łukasz Nowak,community_order,low\n"
            "Z10003,CRC,Pont-y-gof office,Łukasz Nowak,community_order,low\n"
            "Z100004,XYZ,Pont-y-gof office,Aoife Ní Bhriain,licence,medium\n",
            encoding="utf-8",
        )
        importer = CaseImportDialog(window.session, window.tasks, window)
        importer.resize(900, 560)
        importer.show()
        importer.load(csv_path)
        shot("11-case-import", importer)
        importer.hide()

    window.lock()
    shot("12-locked")
    window.unlock("")
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
