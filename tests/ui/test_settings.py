"""Edit > Settings driven as a person: type a name, spin the idle-lock minutes, OK."""

from __future__ import annotations

import configparser
import os
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel

from fieldwork.ui.settings import CONFIG_ENV, Settings
from fieldwork.ui.shell.dialogs import SettingsDialog


def test_settings_dialog_saves_to_the_settings_file_and_changes_the_idle_lock(
    qtbot, window
) -> None:
    assert window.idle.interval_ms == window.settings.idle_lock_minutes * 60_000
    seen: list[SettingsDialog] = []
    problems: list[BaseException] = []

    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SettingsDialog):
            QTimer.singleShot(20, drive)
            return
        seen.append(dialog)
        try:
            texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
            assert "follows the system" in texts  # light or dark: the system's choice
            dialog.activateWindow()
            qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
            dialog.name.setFocus()
            dialog.name.selectAll()
            qtbot.keyClicks(dialog.name, "Ada Inspector")
            qtbot.keyClick(dialog.name, Qt.Key.Key_Tab)  # on to the minutes
            spin = dialog.minutes
            assert QApplication.focusWidget() in (spin, spin.lineEdit())
            spin.lineEdit().selectAll()
            qtbot.keyClicks(spin.lineEdit(), "25")
            qtbot.keyClick(spin.lineEdit(), Qt.Key.Key_Up)  # and one more with the arrow key
            ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
            qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        except BaseException as exc:  # never leave the modal dialog up: the test would hang
            problems.append(exc)
            dialog.reject()

    QTimer.singleShot(0, drive)
    window.findChild(QAction, "settings").trigger()  # Edit > Settings…
    if problems:
        raise problems[0]
    assert seen and seen[0].result() == SettingsDialog.DialogCode.Accepted

    ini = Path(os.environ[CONFIG_ENV]) / "fieldwork.ini"
    parser = configparser.ConfigParser()
    parser.read(ini)
    assert parser["inspector"]["name"] == "Ada Inspector"
    assert parser["lock"]["idle_minutes"] == "26"
    assert Settings.load().idle_lock_minutes == 26  # read back as the app would
    assert window.idle.interval_ms == 26 * 60_000
