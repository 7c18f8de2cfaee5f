"""The app holds a NEW passphrase to the same rule as the command line, in one line;
a file made before the rule still opens and unlocks with its old, short passphrase."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from fieldwork.core.passphrase import problem
from fieldwork.ui.settings import Settings
from fieldwork.ui.shell.dialogs import ChangePassphraseDialog, NewInspectionDialog
from fieldwork.ui.shell.join_dialog import JoinDialog
from tests.conftest import new_store
from tests.ui.conftest import open_window


def _type(qtbot, line, text: str) -> None:
    line.selectAll()
    qtbot.keyClick(line, Qt.Key.Key_Delete)
    qtbot.keyClicks(line, text)


def _ok(qtbot, dialog) -> None:
    button = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_new_inspection_refuses_a_short_passphrase_in_one_line(qtbot, tmp_path: Path) -> None:
    dialog = NewInspectionDialog(Settings.load())
    qtbot.addWidget(dialog)
    dialog.show()
    _type(qtbot, dialog.name, "Durham 2016")
    _type(qtbot, dialog.file.path, str(tmp_path / "durham.fieldwork"))
    for weak, words in (
        ("x", "at least 15 characters and this one has 1"),
        ("durham 2016 durham", "inspection's name"),
        ("password password", "most common"),
    ):
        _type(qtbot, dialog.file.pass1, weak)
        _type(qtbot, dialog.file.pass2, weak)
        _ok(qtbot, dialog)
        shown = dialog.error.text()
        assert dialog.isVisible() and dialog.result_value is None
        assert words in shown and "\n" not in shown, shown
        assert shown == problem(weak, "Durham 2016")  # the command line's very words
    good = "tram gravel fox lantern"
    _type(qtbot, dialog.file.pass1, good)
    _type(qtbot, dialog.file.pass2, good)
    _ok(qtbot, dialog)
    assert dialog.result_value is not None and dialog.result_value.passphrase == good
    assert not (tmp_path / "durham.fieldwork").exists()  # the dialog only chooses


def test_join_and_change_of_passphrase_refuse_short_ones(qtbot, tmp_path: Path) -> None:
    join = JoinDialog(Settings.load())
    qtbot.addWidget(join)
    join.show()
    _type(qtbot, join.file.path, str(tmp_path / "mine.fieldwork"))
    join.file.pass1.setFocus()
    qtbot.keyClicks(join.file.pass1, "abc")
    assert "at least 15" in (join.file.chosen() or "")
    change = ChangePassphraseDialog()
    qtbot.addWidget(change)
    change.show()
    qtbot.keyClicks(change.new1, "abc")
    qtbot.keyClicks(change.new2, "abc")
    _ok(qtbot, change)
    assert change.isVisible() and "at least 15 characters" in change.error.text()


def test_a_file_with_an_old_short_passphrase_opens_and_unlocks(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "old.fieldwork"
    new_store(path, "x").close()  # as release 0.1.0 allowed
    window = open_window(qtbot, path, "x")
    window.lock()
    assert window.unlock("x")
    assert window.store.conn is not None
    window.close()
