"""Screenshots of every screen from the real app, for the README (`make screenshots`).

    python -m tools.screenshots docs/screenshots

Makes a 200-case demo in a temporary folder (settings there too, so a person's own
settings are never touched), opens it in the real main window and saves one PNG per
screen and dialog at each of SIZES: `01-overview-1366.png`, `01-overview-1280.png`.
Dialogs are drawn over the window, where they would appear.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

SIZES = ((1366, 768), (1280, 720))
SIZE = SIZES[0]


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
        x = max(0, (pixmap.width() - shot.width()) // 2)
        y = max(0, min(40, pixmap.height() - shot.height()))
        y = max(y, (pixmap.height() - shot.height()) // 3)
        painter.fillRect(pixmap.rect(), _dim())
        painter.drawPixmap(x, y, shot)
        painter.end()
    pixmap.save(str(out))
    print(out)


def _dim() -> object:
    from PySide6.QtGui import QColor

    return QColor(0, 0, 0, 60)


def shot_name(name: str, size: tuple[int, int]) -> str:
    """`01-overview` at 1366x768 -> `01-overview-1366.png`."""
    return f"{name}-{size[0]}.png"


def prepare_environment() -> Path:
    """A temporary folder with settings and data of its own; returns it."""
    tmp = Path(tempfile.mkdtemp(prefix="fieldwork-shots-"))
    os.environ["FIELDWORK_CONFIG_DIR"] = str(tmp / "config")
    os.environ["FIELDWORK_DATA_DIR"] = str(tmp / "data")
    os.environ.setdefault("FIELDWORK_NO_VIEWER", "1")
    return tmp


def open_demo(tmp: Path) -> tuple[Any, Any]:
    """(app, window) on a 200-case demo, shown."""
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
    return app, window


def scenes(window: Any, tmp: Path) -> list[tuple[str, Callable[[], Any]]]:
    """(name, set-up) for every screenshot: the set-up shows the screen, or returns the
    dialog to draw over the window (hidden again after the shot)."""
    store = window.store
    reads = store.reads

    def screen(name: str) -> Callable[[], None]:
        def show() -> None:
            window.show_screen(name)

        return show

    def overview() -> None:
        window.show_screen("Overview")

    def cases() -> None:
        screen = window.show_screen("Cases")
        screen.show_combo.setCurrentIndex(screen.show_combo.findData(""))
        screen.focus_table()

    def review() -> None:
        draft = next(c for c in reads.cases() if c.status == "draft")
        window.open_case(draft.id)
        first_section = reads.form().sections[0]
        _settle(window)
        window.review_editor().focus_question(first_section.key_questions[0].prompts[1].id)

    def returned() -> None:
        case = next(c for c in reads.cases() if c.status == "returned")
        window.open_case(case.id)

    def quality_assurance() -> None:
        me = window.session.me
        case = next(
            (c for c in reads.cases() if c.status == "complete" and c.qa_inspector == me), None
        ) or next(c for c in reads.cases() if c.status == "complete" and not c.qa_inspector)
        if case.qa_inspector != me:
            store.update("cases", case.id, {"qa_inspector": me})
            window.session.external_change()
        window.open_case(case.id)

    def interviews() -> None:
        screen = window.show_screen("Interviews")
        first = reads.interviews()[0] if reads.interviews() else None
        if first is not None:
            screen.open_interview(first.id)

    def search() -> Any:
        window.show_screen("Overview")
        window.open_search()
        dialog = window.search_dialog
        dialog.box.setText("risk")
        dialog.run_search()
        return dialog

    def new_inspection() -> Any:
        from fieldwork.ui.shell.dialogs import NewInspectionDialog

        new = NewInspectionDialog(window.settings, window)
        new.name.setText("Probation services in Glanmor")
        new.area.setText("Glanmor and Tresaith")
        new.show()
        return new

    def case_import() -> Any:
        from fieldwork.ui.cases.case_import import CaseImportDialog

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
        return importer

    def locked() -> None:
        window.lock()

    def join() -> Any:
        from fieldwork.core.sync import bundle
        from fieldwork.ui.shell.join_dialog import JoinDialog

        setup = tmp / "Glanmor setup.bundle"
        if not setup.exists():
            bundle.export_bundle(store, setup, passphrase="told in person, once")
        dialog = JoinDialog(window.settings, window)
        dialog.bundle.setText(str(setup))
        dialog.name.setText("Siân Griffiths")
        dialog.bundle_passphrase.setText("told in person, once")
        dialog.file.path.setText(str(tmp / "Glanmor.fieldwork"))
        dialog.show()
        return dialog

    def override() -> None:
        review()
        editor = window.review_editor()
        kq = next(k for k, v in editor._suggestions.items() if v)
        editor.focus_question(kq)
        _settle(window)
        row = editor.rows[kq]
        row._choose("no" if row.suggested == "yes" else "yes")  # as pressing N or Y does

    def menu(name: str, attribute: str = "lead_dialog") -> Callable[[], Any]:
        def open_it() -> Any:
            from PySide6.QtGui import QAction

            window.show_screen("Overview")
            window.findChild(QAction, name).trigger()
            dialog = getattr(window, attribute)
            if window.tasks.busy():
                window.tasks.wait(30_000)
            return dialog

        return open_it

    def setup_bundle() -> Any:
        dialog = menu("makeSetupBundle")()
        dialog.passphrase.setText("tavomi-kesuba-loribe-nadufo")
        return dialog

    def team_keys() -> Any:
        from fieldwork.core.sync import bundle, crypto

        if not any(m.role == "headquarters" for m in reads.members()):
            _, public = crypto.new_identity_file()
            bundle.add_recipient(store, public, "Headquarters")
            window.session.external_change()
        return menu("teamKeys")()

    def sync_history() -> Any:
        from fieldwork.core.sync import bundle

        if not any(h["direction"] == "in" for h in store.audit.bundle_history()):
            setup = tmp / "history-setup.bundle"
            bundle.export_bundle(store, setup)
            mate, _ = bundle.join_from_bundle(
                setup, tmp / "gwen.fieldwork", None, member_name="Gwenllïan Ŵyn"
            )
            with mate:
                case = mate.reads.cases()[0]
                mate.update("cases", case.id, {"office": "Aberwern hub"})
                sent = bundle.export_bundle(mate, tmp / "2016-03-08-gwenllian.bundle")
            bundle.import_bundles(store, [sent.path])
            window.session.external_change()
        return menu("syncHistory")()

    return [
        ("01-overview", overview),
        ("02-cases", cases),
        ("03-review", review),
        ("04-review-returned", returned),
        ("05-review-quality-assurance", quality_assurance),
        ("06-interviews", interviews),
        ("07-sync", screen("Sync")),
        ("08-findings", screen("Findings")),
        ("09-search", search),
        ("10-new-inspection", new_inspection),
        ("11-case-import", case_import),
        ("12-locked", locked),
        ("13-join-inspection", join),
        ("16-review-override", override),
        ("17-setup-bundle", setup_bundle),
        ("19-export-data", menu("export_xlsx")),
        ("21-guide", menu("helpGuide", "help_dialog")),
        ("22-keyboard-shortcuts", menu("helpShortcuts", "help_dialog")),
        ("23-about", menu("helpAbout", "help_dialog")),
        # Last: these add headquarters and a second laptop to the team.
        ("18-team-keys", team_keys),
        ("20-sync-history", sync_history),
    ]


def take(app: Any, window: Any, out_dir: Path, name: str, setup: Callable[[], Any]) -> None:
    """One screenshot at each size."""
    for size in SIZES:
        window.resize(*size)
        _settle(app)
        dialog = setup()
        _settle(app)
        _grab(window, out_dir / shot_name(name, size), dialog)
        if dialog is not None:
            dialog.hide()
        if window.locked:
            window.unlock("")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out_dir = Path(args[0] if args else "docs/screenshots")
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = prepare_environment()
    app, window = open_demo(tmp)
    for name, setup in scenes(window, tmp):
        take(app, window, out_dir, name, setup)
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
