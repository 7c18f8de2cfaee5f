"""The Team menu (the lead's tasks) and the data exports in File > Export.

Every entry opens its dialog window-modal (`open()`, so the window's worker, the lock
and tests go on), kept as `window.lead_dialog` until it closes.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMenu, QMenuBar

EXPORT_ITEMS = (
    ("csv", "Data for analysis as &CSV files…"),
    ("xlsx", "Data for analysis as an Excel &workbook (.xlsx)…"),
)


def add_team_menu(window: Any, bar: QMenuBar) -> QMenu:
    """Team: setup bundle, keys, sync history; and the data exports under File > Export."""
    team = bar.addMenu("&Team")
    team.setObjectName("teamMenu")
    window._action(team, "Make a &setup bundle…", lambda: show_setup_bundle(window),
                   name="makeSetupBundle")  # fmt: skip
    window._action(team, "Team and &keys…", lambda: show_team_keys(window), name="teamKeys")
    window._action(team, "Sync &history…", lambda: show_sync_history(window),
                   name="syncHistory")  # fmt: skip
    export = getattr(window, "export_menu", None)
    if isinstance(export, QMenu):
        first = export.actions()[0] if export.actions() else None
        for kind, text in EXPORT_ITEMS:
            action = window._action(export, text, lambda k=kind: show_export_data(window, k),
                                    name=f"export_{kind}")  # fmt: skip
            if first is not None:
                export.insertAction(first, action)
        if first is not None:
            export.insertSeparator(first)
    return team


def _open(window: Any, dialog: QDialog) -> QDialog:
    old = getattr(window, "lead_dialog", None)
    if isinstance(old, QDialog) and old.isVisible():
        old.close()
    window.flush()
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.finished.connect(lambda _: _forget(window, dialog))
    window.lead_dialog = dialog
    dialog.open()
    return dialog


def _forget(window: Any, dialog: QDialog) -> None:
    if getattr(window, "lead_dialog", None) is dialog:
        window.lead_dialog = None


def show_setup_bundle(window: Any) -> QDialog:
    from fieldwork.ui.lead.setup_bundle import SetupBundleDialog

    return _open(window, SetupBundleDialog(window))


def show_team_keys(window: Any) -> QDialog:
    from fieldwork.ui.lead.keys import TeamKeysDialog

    return _open(window, TeamKeysDialog(window))


def show_sync_history(window: Any) -> QDialog:
    from fieldwork.ui.lead.history import SyncHistoryDialog

    dialog = SyncHistoryDialog(window)
    _open(window, dialog)
    dialog.load()
    return dialog


def show_export_data(window: Any, kind: str) -> QDialog:
    from fieldwork.ui.lead.export_data import ExportDataDialog

    return _open(window, ExportDataDialog(window, kind))
