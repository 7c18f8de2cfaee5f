"""File > New inspection, and File > Join an inspection (a new laptop's copy of the
team's inspection from the lead's setup bundle, made in the worker): each opens the new
file in place of the current one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from fieldwork.core.storage.store import Store
from fieldwork.core.sync import bundle
from fieldwork.ui.shell.dialogs import NewInspectionDialog
from fieldwork.ui.shell.join_dialog import JoinDialog
from tests.conftest import new_store

SETUP_PASSPHRASE = "kettle on, biscuits out"
FILE_PASSPHRASE = "my own laptop passphrase"


@pytest.fixture
def setup_bundle(tmp_path: Path) -> tuple[Path, dict]:
    lead = new_store(tmp_path / "lead.fieldwork", name="Probation services in Glanmor")
    lead.insert("cases", {"ref": "X123456", "organisation": "NPS", "office": "Pont-y-gof"})
    bundle.export_bundle(lead, tmp_path / "setup.bundle", passphrase=SETUP_PASSPHRASE)
    dump = lead.audit.dump()
    lead.close()
    return tmp_path / "setup.bundle", dump


def _when_dialog(qtbot, act: Callable[[Any], None], kind: type = JoinDialog) -> None:
    """Run `act` on the dialog once it is up (it runs modal, inside exec)."""

    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind) and dialog.isVisible():
            act(dialog)
        else:
            QTimer.singleShot(20, attempt)

    QTimer.singleShot(0, attempt)


def _type(qtbot, line, text: str) -> None:
    line.selectAll()
    qtbot.keyClick(line, Qt.Key.Key_Delete)
    qtbot.keyClicks(line, text)


def _fill(qtbot, dialog: JoinDialog, source: Path, dest: Path, bundle_pass: str) -> None:
    _type(qtbot, dialog.bundle, str(source))
    assert dialog.bundle_passphrase.isEnabled()  # the bundle is sealed with a passphrase
    _type(qtbot, dialog.bundle_passphrase, bundle_pass)
    _type(qtbot, dialog.name, "Sian Griffiths")
    _type(qtbot, dialog.file.path, str(dest))
    _type(qtbot, dialog.file.pass1, FILE_PASSPHRASE)
    _type(qtbot, dialog.file.pass2, FILE_PASSPHRASE)


def _button(dialog: Any, which: QDialogButtonBox.StandardButton):
    return dialog.findChild(QDialogButtonBox).button(which)


def _open(qtbot, path: Path):
    """The main window, not handed to qtbot: joining replaces (and deletes) it."""
    from fieldwork.app import create_main_window

    window = create_main_window(path)
    window.show()
    qtbot.waitExposed(window)
    return window


def _menu_action(window, name: str) -> QAction:
    return next(a for a in window.findChildren(QAction) if a.objectName() == name)


def test_joining_from_the_menu_opens_the_teams_inspection(
    qtbot, demo_path: Path, setup_bundle: tuple[Path, dict], tmp_path: Path
) -> None:
    source, lead_dump = setup_bundle
    dest = tmp_path / "mine" / "glanmor.fieldwork"
    dest.parent.mkdir()
    window = _open(qtbot, demo_path)

    def join(dialog: JoinDialog) -> None:
        _fill(qtbot, dialog, source, dest, SETUP_PASSPHRASE)
        qtbot.mouseClick(
            _button(dialog, QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
        )

    _when_dialog(qtbot, join)
    _menu_action(window, "joinInspection").trigger()
    qtbot.waitUntil(lambda: window.launcher.window is not window, timeout=30_000)
    joined = window.launcher.window
    qtbot.addWidget(joined)
    try:
        assert joined.store.path == dest and joined.store.encrypted
        assert "Probation services in Glanmor" in joined.windowTitle()
        # It asks the lead to admit it: the team is the lead's to change.
        from fieldwork.core import team

        (me,) = team.join_requests(joined.store)
        assert (me.member_id, me.name, me.role) == (
            joined.store.author,
            "Sian Griffiths",
            "inspector",
        )
        shared = {k: v for k, v in joined.store.audit.dump().items() if k != "members"}
        assert shared == {k: v for k, v in lead_dump.items() if k != "members"}
    finally:
        joined.close()
    with pytest.raises(Exception, match="[Ww]rong passphrase"):
        Store.open(dest, "not the passphrase")
    # Nothing half-built is left beside it (the backups folder is the backup on opening).
    assert sorted(p.name for p in dest.parent.iterdir()) == [
        "glanmor.fieldwork",
        "glanmor.fieldwork.backups",
    ]


def test_a_wrong_bundle_passphrase_brings_the_dialog_back_and_makes_no_file(
    qtbot, demo_path: Path, setup_bundle: tuple[Path, dict], tmp_path: Path
) -> None:
    source, _ = setup_bundle
    dest = tmp_path / "mine" / "glanmor.fieldwork"
    dest.parent.mkdir()
    window = _open(qtbot, demo_path)
    seen: list[str] = []

    def again(dialog: JoinDialog) -> None:
        # The choices are kept; the reason is one line.
        seen.append(dialog.error.text())
        assert dialog.bundle.text() == str(source) and dialog.file.path.text() == str(dest)
        qtbot.mouseClick(
            _button(dialog, QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton
        )

    def first(dialog: JoinDialog) -> None:
        ok = _button(dialog, QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)  # nothing filled in yet
        assert dialog.isVisible() and "setup bundle" in dialog.error.text()
        _fill(qtbot, dialog, source, dest, "the wrong one")
        _type(qtbot, dialog.file.pass2, "a typo")
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        assert dialog.isVisible() and "passphrases differ" in dialog.error.text()
        _type(qtbot, dialog.file.pass2, FILE_PASSPHRASE)
        _when_dialog(qtbot, again)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    _when_dialog(qtbot, first)
    _menu_action(window, "joinInspection").trigger()
    qtbot.waitUntil(lambda: bool(seen), timeout=30_000)
    assert "wrong passphrase" in seen[0].lower() and "\n" not in seen[0]
    assert window.launcher.window is window  # still on the file it had open
    assert list(dest.parent.iterdir()) == []
    window.close()


def test_a_new_inspection_from_the_menu_opens_it(qtbot, demo_path: Path, tmp_path: Path) -> None:
    dest = tmp_path / "glanmor.fieldwork"
    window = _open(qtbot, demo_path)

    def create(dialog: NewInspectionDialog) -> None:
        ok = _button(dialog, QDialogButtonBox.StandardButton.Ok)
        _type(qtbot, dialog.name, "Probation services in Glanmor")
        _type(qtbot, dialog.file.path, str(demo_path))  # taken already
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        assert dialog.isVisible() and "already exists" in dialog.error.text()
        _type(qtbot, dialog.file.path, str(dest))
        _type(qtbot, dialog.file.pass1, FILE_PASSPHRASE)
        _type(qtbot, dialog.file.pass2, FILE_PASSPHRASE)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    _when_dialog(qtbot, create, NewInspectionDialog)
    _menu_action(window, "newInspection").trigger()
    qtbot.waitUntil(lambda: window.launcher.window is not window, timeout=10_000)
    made = window.launcher.window
    try:
        assert made.store.path == dest and made.store.encrypted
        assert made.store.reads.inspection().name == "Probation services in Glanmor"
        assert list(made.store.reads.inspection().organisations) == ["NPS", "CRC"]
    finally:
        made.close()


def test_a_new_inspection_from_an_imported_form_file(
    qtbot, demo_path: Path, tmp_path: Path
) -> None:
    import yaml

    from fieldwork.core.data import forms_dir

    form = yaml.safe_load((forms_dir() / "court-work.yaml").read_text("utf-8"))
    form["id"], form["title"] = "imported-court-form", "Court work, as imported"
    form_file = tmp_path / "imported.yaml"
    form_file.write_text(yaml.safe_dump(form), "utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\n", "utf-8")
    dest = tmp_path / "court.fieldwork"
    window = _open(qtbot, demo_path)

    def create(dialog: NewInspectionDialog) -> None:
        ok = _button(dialog, QDialogButtonBox.StandardButton.Ok)
        assert not dialog.add_form_file(str(broken))  # refused in one line, as the CLI does
        assert "broken.yaml" in dialog.error.text() and "\n" not in dialog.error.text()
        assert dialog.add_form_file(str(form_file))
        assert dialog.form.currentText() == "Court work, as imported (imported.yaml)"
        _type(qtbot, dialog.name, "Court work in Glanmor")
        _type(qtbot, dialog.file.path, str(dest))
        _type(qtbot, dialog.file.pass1, FILE_PASSPHRASE)
        _type(qtbot, dialog.file.pass2, FILE_PASSPHRASE)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    _when_dialog(qtbot, create, NewInspectionDialog)
    _menu_action(window, "newInspection").trigger()
    qtbot.waitUntil(lambda: window.launcher.window is not window, timeout=10_000)
    made = window.launcher.window
    try:
        assert made.store.reads.form().id == "imported-court-form"
        assert made.store.reads.form().title == "Court work, as imported"
    finally:
        made.close()
