"""The File menu's commands: new, join, open, import a case sample, back up, passphrase."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog

from fieldwork.core.errors import FieldworkError
from fieldwork.core.storage.store import Store
from fieldwork.ui.shell.dialogs import ChangePassphraseDialog, NewInspectionDialog, SettingsDialog
from fieldwork.ui.shell.status import StatusBar


class FileActions(StatusBar):
    """Each File menu command, asking with a dialog where it needs to."""

    def _documents(self) -> str:
        return QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        ) or str(Path.home())

    def open_file(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self,
                "Open inspection",
                str(self.store.path.parent),
                "Inspections (*.fieldwork);;All files (*)",
            )
        if path and self.launcher is not None:
            self.launcher.open_file(path, None, self)

    def new_inspection(self) -> None:
        dialog = NewInspectionDialog(self.settings, self)
        chosen = dialog.result_value if dialog.exec() else None
        dialog.deleteLater()
        if chosen is not None and self.launcher is not None:
            self.launcher.create_file(chosen, self)

    def join_inspection(self, spec: Any = None, error: str | None = None) -> None:
        """This laptop's copy of the team's inspection, from the lead's setup bundle; on
        failure the dialog comes back with the choices kept and the reason shown."""
        from fieldwork.ui.shell.join_dialog import JoinDialog

        dialog = JoinDialog(self.settings, self, spec=spec, error=error)
        chosen = dialog.result_value if dialog.exec() else None
        dialog.deleteLater()  # here, on the UI thread
        if chosen is not None and self.launcher is not None:
            self.launcher.join_file(chosen, self)

    def import_cases(self) -> None:
        from fieldwork.ui.cases.case_import import CaseImportDialog

        self.flush()
        dialog = CaseImportDialog(self.session, self.tasks, self)
        dialog.exec()

    def back_up(self) -> None:
        stem = self.store.path.stem
        dest, _ = QFileDialog.getSaveFileName(
            self,
            "Back up to",
            str(Path(self._documents()) / f"{stem} backup.fieldwork"),
            "Inspections (*.fieldwork)",
        )
        if not dest:
            return
        self.flush()

        def copy(store: Store, progress: Any) -> str:
            store.backups.copy_to(dest)
            return dest

        self.tasks.run(
            "Backing up…",
            copy,
            lambda path: self.session.saved.emit(f"Backed up to {path}"),
            lambda error: self.show_error(error or "Backup cancelled."),
        )

    def change_passphrase(self) -> None:
        if not self.store.encrypted:
            self.show_error("This file is not encrypted (a demo): it has no passphrase.")
            return
        if self.tasks.busy():
            self.show_error(f"Wait for “{self.tasks.label}” to finish first.")
            return
        dialog = ChangePassphraseDialog(self)
        if not dialog.exec():
            return
        old, new = dialog.values()
        try:
            self.store.rekey(old, new)
        except FieldworkError as exc:
            self.show_error(str(exc))
            return
        self.session.saved.emit("Passphrase changed; the backups follow it.")

    def restore_latest_backup(self, confirm: bool = True) -> bool:
        """Put the latest good backup in place of this (damaged) file and reopen on it;
        asks first unless `confirm` is False. The app replaces this window on success."""
        if self.locked or self.launcher is None:
            return False
        return self.launcher.restore_latest_backup(self, confirm=confirm)

    def edit_settings(self) -> None:
        dialog = SettingsDialog(self.settings, self)
        if dialog.exec():
            self.idle.set_interval(self.settings.idle_lock_minutes * 60_000)

    def backup_on_open(self) -> None:
        """A rolling backup of the file as opened, in the worker (the window is up already)."""
        self.tasks.run(
            "Backing up",
            lambda store, progress: store.backups.take(),
            lambda _: None,
            lambda error: (
                self.show_error(f"The automatic backup failed: {error}") if error else None
            ),
            quiet=True,
        )
