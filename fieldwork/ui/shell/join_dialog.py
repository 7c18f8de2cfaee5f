"""Join an inspection: a new laptop's copy of the team's inspection, made from the setup
bundle the lead hands over (the app's `fieldwork new FILE --from-bundle B`).

The dialog only gathers the choices; the join itself runs in the worker (`join_task`),
and a failure reopens the dialog with the choices kept and the reason shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from fieldwork.core.sync import bundle
from fieldwork.core.sync.crypto import file_needs_passphrase
from fieldwork.ui.settings import Settings
from fieldwork.ui.shell.dialogs import (
    NewFileFields,
    error_label,
    file_row,
    ok_cancel,
    password_line,
)
from fieldwork.ui.tasks import raising_on_cancel
from fieldwork.ui.widgets.labels import muted, plain_label

BUNDLE_FILTER = "Bundles (*.bundle *.zip *.age);;All files (*)"


@dataclass(frozen=True)
class JoinSpec:
    bundle: Path
    path: Path
    passphrase: str | None  # the new file's
    bundle_passphrase: str | None  # the one-time passphrase the lead sealed the bundle with
    name: str


class JoinDialog(QDialog):
    def __init__(
        self,
        settings: Settings,
        parent: QWidget | None = None,
        *,
        spec: JoinSpec | None = None,
        error: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("joinDialog")
        self.setWindowTitle("Join an inspection")
        self.result_value: JoinSpec | None = None
        bundle_row, self.bundle = file_row(self, "", self._browse)
        self.bundle.setObjectName("setupBundle")
        self.bundle.setAccessibleName("Setup bundle")
        self.bundle.textChanged.connect(self._bundle_changed)
        self.bundle_passphrase = password_line("Bundle passphrase")
        self.name = QLineEdit(settings.inspector_name)
        self.name.setObjectName("yourName")
        self.name.setAccessibleName("Your name")
        self.file = NewFileFields(self)
        self.error = error_label()

        form = QFormLayout()
        form.addRow("Setup &bundle", bundle_row)
        form.addRow("Bundle pa&ssphrase", self.bundle_passphrase)
        form.addRow("Your &name", self.name)
        self.file.add_rows(form)
        buttons = ok_cancel(self, self._accept)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Join")
        layout = QVBoxLayout(self)
        layout.addWidget(
            plain_label(
                "Make this laptop's copy of the team's inspection from the setup bundle the "
                "lead inspector gave you, with the passphrase they told you in person."
            )
        )
        layout.addLayout(form)
        layout.addWidget(
            muted(plain_label("Your name is how your reviews and notes are signed in the team."))
        )
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(600)
        self._bundle_changed("")
        if spec is not None:
            self._fill(spec)
        if error:
            self._fail(error)

    def _fill(self, spec: JoinSpec) -> None:
        self.bundle.setText(str(spec.bundle))
        self.bundle_passphrase.setText(spec.bundle_passphrase or "")
        self.name.setText(spec.name)
        self.file.path.setText(str(spec.path))
        self.file.encrypt.setChecked(spec.passphrase is not None)
        self.file.pass1.setText(spec.passphrase or "")
        self.file.pass2.setText(spec.passphrase or "")

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Setup bundle", self.bundle.text(), BUNDLE_FILTER
        )
        if path:
            self.bundle.setText(path)

    def _bundle_changed(self, text: str) -> None:
        sealed = bool(text.strip()) and file_needs_passphrase(text.strip())
        self.bundle_passphrase.setEnabled(sealed)
        self.bundle_passphrase.setPlaceholderText(
            "" if sealed else "not needed: this bundle is not sealed with a passphrase"
        )

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def _accept(self) -> None:
        source = Path(self.bundle.text().strip()).expanduser()
        if not self.bundle.text().strip() or not source.is_file():
            return self._fail("Choose the setup bundle the lead inspector gave you.")
        sealed = file_needs_passphrase(source)
        if sealed and not self.bundle_passphrase.text():
            return self._fail("Enter the passphrase the lead inspector sealed the bundle with.")
        name = " ".join(self.name.text().split())
        if not name:
            return self._fail("Give your name, as the team knows you.")
        chosen = self.file.chosen()
        if isinstance(chosen, str):
            return self._fail(chosen)
        path, passphrase = chosen
        pass_text = self.bundle_passphrase.text() if sealed else None
        self.result_value = JoinSpec(source, path, passphrase, pass_text, name)
        self.accept()


def join_task(spec: JoinSpec) -> Callable[[Any], Path]:
    """The worker's part: join, close the new file (its connection belongs to the worker
    thread) and return its path for the window to open."""

    def run(progress: Any) -> Path:
        store, _ = bundle.join_from_bundle(
            spec.bundle,
            spec.path,
            spec.passphrase,
            ask_passphrase=lambda: spec.bundle_passphrase or "",
            member_name=spec.name,
            progress=raising_on_cancel(progress, "Cancelled: no file was made."),
        )
        store.close()
        return spec.path

    return run
