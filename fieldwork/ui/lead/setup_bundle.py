"""Team > Make a setup bundle…: the whole inspection for a new laptop, sealed with a
one-time passphrase the lead tells the new member in person (core/sync/setup.py).

The passphrase is offered (four easy words, `one_time_passphrase`), may be replaced by
one of the lead's own, and is held to the rule of core/passphrase.py before anything is
written. The bundle is written and verified in the worker, with progress and Cancel.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldwork.core.passphrase import problem as passphrase_problem
from fieldwork.core.sync import naming
from fieldwork.core.sync.setup import make_setup_bundle, one_time_passphrase
from fieldwork.ui.lead.base import TaskDialog
from fieldwork.ui.shell.dialogs import file_row
from fieldwork.ui.tasks import raising_on_cancel
from fieldwork.ui.widgets.labels import bold, muted, plain_label

INTRO = (
    "A setup bundle holds the whole inspection, for a new team member's laptop (File > "
    "Join an inspection… on theirs). Hand it over on a memory stick, and tell them the "
    "passphrase in person: never send or write it with the bundle."
)


class SetupBundleDialog(TaskDialog):
    def __init__(self, window: Any, parent: QWidget | None = None) -> None:
        super().__init__(window, parent)
        self.setObjectName("setupBundleDialog")
        self.setWindowTitle("Make a setup bundle")
        self.setMinimumWidth(620)
        self.passphrase = QLineEdit(one_time_passphrase())
        self.passphrase.setObjectName("setupPassphrase")
        self.passphrase.setAccessibleName("One-time passphrase")
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(self.font().pointSizeF() * 1.25)
        self.passphrase.setFont(font)
        self.new_button = QPushButton("&New passphrase")
        self.new_button.setObjectName("newPassphrase")
        self.new_button.setAccessibleName("Offer another passphrase")
        self.new_button.clicked.connect(lambda: self.passphrase.setText(one_time_passphrase()))
        pass_row = QWidget(self)
        row = QHBoxLayout(pass_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.passphrase, 1)
        row.addWidget(self.new_button)
        pass_row.setFocusProxy(self.passphrase)

        folder = self.store.path.parent
        who = self.store.reads.inspection().name
        suggested = naming.default_bundle_path(folder, who, what="setup")
        dest_row, self.dest = file_row(self, str(suggested), self._browse)
        self.dest.setObjectName("setupBundlePath")
        self.dest.setAccessibleName("Save the setup bundle as")

        form = QFormLayout()
        form.addRow("One-time &passphrase", pass_row)
        form.addRow("Save &as", dest_row)
        self.make_button = QPushButton("&Make setup bundle")
        self.make_button.setObjectName("makeSetupBundle")
        self.make_button.setDefault(True)
        self.make_button.clicked.connect(lambda: self.make())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.make_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")

        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(INTRO))
        layout.addLayout(form)
        layout.addWidget(
            muted(
                plain_label(
                    "It seals this bundle only. Any passphrase of 15 characters or more "
                    "that is not a common one will do; the one offered is easy to read out."
                )
            )
        )
        self.outcome = bold(self.outcome)
        layout.addWidget(self.error)
        layout.addWidget(self.outcome)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the setup bundle as", self.dest.text(), "Fieldwork bundles (*.bundle)"
        )
        if path:
            self.dest.setText(path)

    def make(self) -> bool:
        """Check the passphrase and the file name, then write the bundle in the worker."""
        passphrase = self.passphrase.text()
        weak = passphrase_problem(passphrase, self.store.reads.inspection().name)
        if weak is not None:
            self.fail(weak)
            self.passphrase.setFocus()
            return False
        text = self.dest.text().strip()
        if not text:
            self.fail("Choose where to save the setup bundle.")
            return False
        dest = Path(text).expanduser()
        if dest.suffix.lower() != naming.SUFFIX:
            dest = dest.with_name(dest.name + naming.SUFFIX)
        if not dest.parent.is_dir():
            self.fail(f"There is no folder {dest.parent}: choose another place.")
            return False

        def work(store: Any, progress: Any) -> Any:
            return make_setup_bundle(store, dest, passphrase, raising_on_cancel(progress))

        def done(result: Any) -> None:
            self.dest.setText(str(result.path))
            self.say(
                f"Setup bundle written and verified: {result.path.name} "
                f"({result.info.op_count} changes). Tell the new member the passphrase "
                "in person."
            )

        return self.run("Writing the setup bundle…", work, done)
