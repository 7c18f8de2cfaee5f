"""The main window's menu bar and actions: File, Edit, View, Team and Help."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from fieldwork.ui.shell.file_actions import FileActions
from fieldwork.ui.shell.window_base import SCREENS

# Each screen's View-menu item has its own Alt letter; "Sync" keeps S.
MENU_TEXT = {"Standards": "S&tandards", "Review": "&Assessment"}


class Menus(FileActions):
    """Builds the menus; keeps Undo/Redo, the title and the recent files up to date."""

    def _action(
        self,
        menu: QMenu,
        text: str,
        slot: Callable[[], Any],
        shortcut: QKeySequence | str | QKeySequence.StandardKey | None = None,
        name: str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _=False: slot())
        if name:
            action.setObjectName(name)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        self._action(
            file,
            "&New inspection…",
            self.new_inspection,
            QKeySequence.StandardKey.New,
            name="newInspection",
        )
        self._action(file, "&Join an inspection…", self.join_inspection, name="joinInspection")
        self._action(file, "&Open…", self.open_file, QKeySequence.StandardKey.Open)
        self.recent_menu = file.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file.addSeparator()
        self.import_action = self._action(
            file, "&Import case sample…", self.import_cases, name="importCases"
        )
        from fieldwork.ui.shell import interop  # Import a form (XLSForm); Export (.qdpx, .qdc)

        interop.add_menu_items(self, file)
        self._action(file, "&Back up to…", self.back_up, name="backUp")
        self.rekey_action = self._action(
            file, "Change &passphrase…", self.change_passphrase, name="changePassphrase"
        )
        file.addSeparator()
        self._action(file, "&Quit", self.close, QKeySequence.StandardKey.Quit)

        edit = bar.addMenu("&Edit")
        self.undo_action = self._action(edit, "&Undo", self.undo, name="undo")
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.redo_action = self._action(edit, "&Redo", self.redo, name="redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        edit.addSeparator()
        self._action(edit, "&Find…", self.open_search, QKeySequence.StandardKey.Find, name="find")
        edit.addSeparator()
        self._action(edit, "&Settings…", self.edit_settings, name="settings")

        view = bar.addMenu("&View")
        for i, name in enumerate(SCREENS, start=1):
            text = MENU_TEXT.get(name, f"&{name}")
            self._action(view, text, partial(self._go, name), f"Ctrl+{i}")
        view.addSeparator()
        self._action(view, "&Lock now", self.lock, "Ctrl+L", name="lockNow")
        from fieldwork.ui.help.menu import add_help_menu
        from fieldwork.ui.lead.menu import add_team_menu

        team = add_team_menu(self, bar)  # the lead's tasks; data exports in File > Export
        self.menus = (file, edit, view, team, add_help_menu(self, bar))

    def _update_title(self) -> None:
        inspection = self.store.reads.inspection()
        demo = " — DEMO" if self.store.is_demo else ""
        damaged = " — DAMAGED, READ-ONLY" if self.damage is not None else ""
        self.setWindowTitle(
            f"{inspection.name}{demo}{damaged} — {self.store.path.name} — Fieldwork"
        )
        writable = not self.store.readonly
        self.rekey_action.setEnabled(self.store.encrypted and writable)
        self.import_action.setEnabled(writable)

    def _update_undo(self) -> None:
        if self.locked:
            return
        undo, redo = self.session.undo_text(), self.session.redo_text()
        self.undo_action.setText(f"&Undo {undo}" if undo else "&Undo")
        self.undo_action.setEnabled(undo is not None)
        self.redo_action.setText(f"&Redo {redo}" if redo else "&Redo")
        self.redo_action.setEnabled(redo is not None)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        files = [f for f in self.settings.recent_files if Path(f).exists()]
        for f in files:
            action = self.recent_menu.addAction(Path(f).name)
            action.setToolTip(f)
            action.triggered.connect(lambda _=False, p=f: self.open_file(p))
        if not files:
            none = self.recent_menu.addAction("No recent files")
            none.setEnabled(False)
