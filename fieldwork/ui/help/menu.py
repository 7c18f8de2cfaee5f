"""The Help menu: the guide to an inspector's week (F1), the keyboard shortcuts, About."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QMenu, QMenuBar


def add_help_menu(window: Any, bar: QMenuBar) -> QMenu:
    menu = bar.addMenu("&Help")
    menu.setObjectName("helpMenu")
    window._action(menu, "&Guide to the week", lambda: show_guide(window),
                   QKeySequence.StandardKey.HelpContents, name="helpGuide")  # fmt: skip
    window._action(menu, "&Keyboard shortcuts", lambda: show_shortcuts(window),
                   "Ctrl+/", name="helpShortcuts")  # fmt: skip
    menu.addSeparator()
    window._action(menu, "&About Fieldwork", lambda: show_about(window), name="helpAbout")
    return menu


def _open(window: Any, dialog: QDialog) -> QDialog:
    old = getattr(window, "help_dialog", None)
    if isinstance(old, QDialog) and old.isVisible():
        old.close()
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.finished.connect(lambda _: _forget(window, dialog))
    window.help_dialog = dialog
    dialog.show()  # not modal: the guide can stay open beside the work
    return dialog


def _forget(window: Any, dialog: QDialog) -> None:
    if getattr(window, "help_dialog", None) is dialog:
        window.help_dialog = None


def show_guide(window: Any) -> QDialog:
    from fieldwork.ui.help.guide import GuideDialog

    return _open(window, GuideDialog(window))


def show_shortcuts(window: Any) -> QDialog:
    from fieldwork.ui.help.shortcuts import ShortcutsDialog

    return _open(window, ShortcutsDialog(window))


def show_about(window: Any) -> QDialog:
    from fieldwork.ui.help.about import AboutDialog

    return _open(window, AboutDialog(window))
