"""The passphrase dialog lets the person try again after a wrong passphrase."""

from __future__ import annotations

from PySide6.QtCore import Qt

from fieldwork.core.errors import WrongPassphrase
from fieldwork.core.storage.store import Store
from fieldwork.ui.shell.dialogs import PassphraseDialog
from tests.ui.conftest import PASSPHRASE


def test_wrong_passphrase_then_right_one(qtbot, encrypted_demo_path):
    opened: list[Store] = []

    def check(passphrase: str) -> str | None:
        try:
            opened.append(Store.open(encrypted_demo_path, passphrase))
        except WrongPassphrase:
            return "That passphrase is wrong. Try again."
        return None

    dialog = PassphraseDialog(encrypted_demo_path.name, check)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.line, "nope")
    qtbot.keyClick(dialog.line, Qt.Key.Key_Return)
    assert dialog.isVisible() and not opened
    assert "wrong" in dialog.error.text()
    dialog.line.clear()
    qtbot.keyClicks(dialog.line, PASSPHRASE)
    qtbot.keyClick(dialog.line, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert len(opened) == 1
    opened[0].close()
