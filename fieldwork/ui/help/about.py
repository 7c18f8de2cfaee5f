"""Help > About Fieldwork: the version, and where this inspection's file, its backups and
the app's settings live."""

from __future__ import annotations

import platform
from typing import Any

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QVBoxLayout, QWidget

from fieldwork import __version__
from fieldwork.core.storage.backups import KEEP, backup_dir
from fieldwork.ui.widgets.labels import bold, muted, plain_label


class AboutDialog(QDialog):
    def __init__(self, window: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.setObjectName("aboutDialog")
        self.setWindowTitle("About Fieldwork")
        self.setMinimumWidth(600)
        store = window.store
        path = store.path.resolve()
        backups = backup_dir(path)
        encrypted = "encrypted with its passphrase" if store.encrypted else "not encrypted (a demo)"
        self.facts = {
            "Version": f"Fieldwork {__version__}",
            "This inspection": str(path),
            "Its backups": f"{backups} (the newest {KEEP}, taken when the file is opened; "
            f"{'encrypted with the same passphrase' if store.encrypted else 'not encrypted'})",
            "The file is": encrypted,
            "Settings": window.settings.q.fileName(),
            "Built with": f"Python {platform.python_version()}, Qt for Python {pyside_version}",
        }
        form = QFormLayout()
        self.values: dict[str, Any] = {}
        for name, value in self.facts.items():
            label = plain_label(value, selectable=True)
            label.setTextInteractionFlags(  # Tab reaches it; the keyboard can copy from it
                Qt.TextInteractionFlag.TextSelectableByMouse
                | Qt.TextInteractionFlag.TextSelectableByKeyboard
            )
            label.setObjectName(f"about_{name.split()[0].lower()}")
            label.setAccessibleName(name)
            form.addRow(muted(plain_label(name, wrap=False)), label)
            self.values[name] = label
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(bold(plain_label(f"Fieldwork {__version__}", wrap=False), 1.4))
        layout.addWidget(
            plain_label(
                "Offline case-file reviews, interview notes and draft findings for "
                "inspectors of probation services."
            )
        )
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(buttons)
        width = self.minimumWidth()
        self.resize(width, max(self.heightForWidth(width), 0))  # as tall as its text
