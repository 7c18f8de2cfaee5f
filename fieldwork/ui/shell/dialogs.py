"""Small dialogs: the passphrase (with another try after a wrong one), a new inspection,
a change of passphrase, and the settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QDate, QStandardPaths
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fieldwork.core.errors import FieldworkError
from fieldwork.core.forms.loader import load_forms
from fieldwork.core.forms.named import load_named_form
from fieldwork.core.passphrase import problem as passphrase_problem
from fieldwork.ui.settings import Settings
from fieldwork.ui.widgets.labels import in_error_colour, muted, plain_label


def error_label() -> QLabel:
    """Where a dialog says what is wrong with the input (hidden until it has something)."""
    label = in_error_colour(plain_label())
    label.setObjectName("dialogError")
    label.hide()
    return label


def ok_cancel(dialog: QDialog, on_ok: Callable[[], None]) -> QDialogButtonBox:
    """OK and Cancel: OK runs `on_ok` (which accepts when the input is good)."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(on_ok)
    buttons.rejected.connect(dialog.reject)
    return buttons


def password_line(name: str) -> QLineEdit:
    line = QLineEdit()
    line.setEchoMode(QLineEdit.EchoMode.Password)
    line.setAccessibleName(name)
    line.setObjectName(name.replace(" ", "_"))
    return line


def file_row(
    parent: QWidget, text: str, on_browse: Callable[[], None]
) -> tuple[QWidget, QLineEdit]:
    """A file name with a Browse… button beside it, as one form row (its label's
    mnemonic goes to the file name)."""
    row = QWidget(parent)
    line = QLineEdit(text, row)
    browse = QPushButton("Browse…", row)
    browse.clicked.connect(on_browse)
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(line, 1)
    layout.addWidget(browse)
    row.setFocusProxy(line)
    return row, line


def documents_folder() -> Path:
    return Path(
        QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        or Path.home()
    )


class NewFileFields:
    """The rows a dialog making a new inspection file needs: where, and whether and with
    what passphrase to encrypt it (New inspection, Join an inspection)."""

    def __init__(self, dialog: QDialog, default_name: str = "inspection.fieldwork") -> None:
        # No reference back to the dialog, and every widget parented: a Python cycle
        # holding Qt objects could be collected in the worker thread.
        self.path_row, self.path = file_row(
            dialog, str(documents_folder() / default_name), self._browse
        )
        self.path.setAccessibleName("File")
        self.path.setObjectName("newFilePath")
        self.encrypt = QCheckBox("Encrypt the file (strongly advised for real cases)")
        self.encrypt.setChecked(True)
        self.pass1 = password_line("Passphrase")
        self.pass2 = password_line("Passphrase again")
        self.encrypt.toggled.connect(self.pass1.setEnabled)
        self.encrypt.toggled.connect(self.pass2.setEnabled)

    def add_rows(self, form: QFormLayout) -> None:
        form.addRow("F&ile", self.path_row)
        form.addRow("", self.encrypt)
        form.addRow("&Passphrase", self.pass1)
        form.addRow("Passphrase a&gain", self.pass2)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self.path.window(), "New inspection file", self.path.text(), "Inspections (*.fieldwork)"
        )
        if path:
            self.path.setText(path if path.endswith(".fieldwork") else path + ".fieldwork")

    def chosen(self, name: str | None = None) -> tuple[Path, str | None] | str:
        """(file, passphrase or None), or the sentence saying what is wrong. The
        passphrase is held to the rule of core/passphrase.py; `name` is the inspection's."""
        text = self.path.text().strip()
        path = Path(text).expanduser()
        if not text or path.exists():
            return "Choose a new file name (that file already exists)."
        if not path.parent.is_dir():
            return f"There is no folder {path.parent}: choose another place."
        if not self.encrypt.isChecked():
            return path, None
        if not self.pass1.text():
            return "Choose a passphrase for the new file."
        weak = passphrase_problem(self.pass1.text(), name)
        if weak is not None:
            return weak
        if self.pass1.text() != self.pass2.text():
            return "The two passphrases differ: type them again."
        return path, self.pass1.text()


class PassphraseDialog(QDialog):
    """Asks for a file's passphrase. `check(passphrase)` returns None when it opened the
    file, or the sentence to show; the dialog then stays open for another try."""

    def __init__(
        self,
        file_name: str,
        check: Callable[[str], str | None],
        parent: QWidget | None = None,
        *,
        title: str = "Open inspection",
        prompt: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("passphraseDialog")
        self.setWindowTitle(title)
        self._check = check
        self.line = password_line("Passphrase")
        self.error = error_label()
        text = prompt or f"{file_name} is encrypted. Enter its passphrase."
        buttons = ok_cancel(self, self._try)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(text))
        layout.addWidget(self.line)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def _try(self) -> None:
        problem = self._check(self.line.text())
        if problem is None:
            self.accept()
            return
        self.error.setText(problem)
        self.error.show()
        self.line.selectAll()
        self.line.setFocus()


@dataclass(frozen=True)
class NewInspection:
    path: Path
    name: str
    area: str | None
    start_date: str | None
    end_date: str | None
    form_id: str | None  # None: the method names its own forms
    organisations: tuple[str, ...]
    passphrase: str | None
    method_id: str | None = None  # a shipped method (issue 13), or None for one form


FROM_FILE = "From a form file…"
METHOD = "method:"  # the combo's data for a method, before its id


def add_methods(combo: QComboBox) -> None:
    """The shipped methods first (the command line's default, standards-2018, chosen)."""
    from fieldwork.core.storage.method_reads import shipped_methods

    try:
        methods = shipped_methods()
    except Exception:  # a broken methods folder: the forms are still offered
        methods = {}
    for mid, m in sorted(methods.items(), key=lambda kv: kv[0] != "standards-2018"):
        rated = "rated" if m.rated else "no ratings"
        combo.addItem(f"Method: {m.title} ({rated})", METHOD + mid)


class NewInspectionDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newInspectionDialog")
        self.setWindowTitle("New inspection")
        self.result_value: NewInspection | None = None
        self.name = QLineEdit()
        self.name.setAccessibleName("Inspection name")
        self.area = QLineEdit()
        self.area.setAccessibleName("Area")
        today = QDate.currentDate()
        self.start = QDateEdit(today)
        self.end = QDateEdit(today.addDays(11))
        for edit, name in ((self.start, "Start of fieldwork"), (self.end, "End of fieldwork")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")  # dates are shown one way throughout
            edit.setAccessibleName(name)
        self.form = QComboBox()
        self.form.setAccessibleName("Method or form")
        add_methods(self.form)
        try:
            forms = load_forms()
        except Exception:  # a broken forms folder: the dialog still opens, and says so
            forms = {}
        for fid, f in sorted(forms.items()):
            self.form.addItem(f"Form only: {f.title} ({fid})", fid)
        # A form file (an imported XLSForm, say) is picked, checked and added here.
        self.form.addItem(FROM_FILE, None)
        self.form.activated.connect(self._form_chosen)
        self.organisations = QLineEdit("NPS, CRC")
        self.organisations.setAccessibleName("Organisations, separated by commas")
        self.file = NewFileFields(self)
        self.error = error_label()

        form = QFormLayout()
        form.addRow("&Name", self.name)
        form.addRow("&Area", self.area)
        form.addRow("&Start of fieldwork", self.start)
        form.addRow("&End of fieldwork", self.end)
        form.addRow("&Method or form", self.form)
        form.addRow("&Organisations", self.organisations)
        self.file.add_rows(form)
        buttons = ok_cancel(self, self._accept)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def _form_chosen(self, index: int) -> None:
        if self.form.itemText(index) != FROM_FILE:
            return
        path, _ = QFileDialog.getOpenFileName(self, FROM_FILE, "", "Fieldwork forms (*.yaml)")
        self.add_form_file(path) if path else self.form.setCurrentIndex(0)

    def add_form_file(self, path: str) -> bool:
        """Check a form file as a shipped form is checked and make it the chosen form."""
        try:
            loaded = load_named_form(path)
        except FieldworkError as exc:
            self.form.setCurrentIndex(0)
            self._fail(str(exc))
            return False
        self.form.insertItem(self.form.count() - 1, f"{loaded.title} ({Path(path).name})", path)
        self.form.setCurrentIndex(self.form.count() - 2)
        self.error.setText("")
        return True

    def _accept(self) -> None:
        name = self.name.text().strip()
        orgs = tuple(dict.fromkeys(o.strip() for o in self.organisations.text().split(",")))
        orgs = tuple(o for o in orgs if o)
        if not name:
            return self._fail("Give the inspection a name.")
        if not orgs:
            return self._fail("Name at least one organisation (for example NPS, CRC).")
        if self.form.currentData() is None:
            return self._fail("No form is available.")
        if self.end.date() < self.start.date():
            return self._fail("Fieldwork cannot end before it starts.")
        chosen = self.file.chosen(name)
        if isinstance(chosen, str):
            return self._fail(chosen)
        path, passphrase = chosen
        picked = str(self.form.currentData())
        method_id = picked[len(METHOD) :] if picked.startswith(METHOD) else None
        self.result_value = NewInspection(
            path,
            name,
            self.area.text().strip() or None,
            self.start.date().toString("yyyy-MM-dd"),
            self.end.date().toString("yyyy-MM-dd"),
            None if method_id else picked,
            orgs,
            passphrase,
            method_id,
        )
        self.accept()


class ChangePassphraseDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changePassphraseDialog")
        self.setWindowTitle("Change passphrase")
        self.old = password_line("Current passphrase")
        self.new1 = password_line("New passphrase")
        self.new2 = password_line("New passphrase again")
        self.error = error_label()
        form = QFormLayout()
        form.addRow("&Current passphrase", self.old)
        form.addRow("&New passphrase", self.new1)
        form.addRow("New passphrase &again", self.new2)
        buttons = ok_cancel(self, self._accept)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(
            muted(plain_label("The file and its backups are re-encrypted with the new one."))
        )
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _accept(self) -> None:
        weak = passphrase_problem(self.new1.text())
        if weak is not None:
            self.error.setText(weak)
        elif self.new1.text() != self.new2.text():
            self.error.setText("The two new passphrases differ: type them again.")
        else:
            self.accept()
            return
        self.error.show()

    def values(self) -> tuple[str, str]:
        return self.old.text(), self.new1.text()


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Settings")
        self.settings = settings
        self.name = QLineEdit(settings.inspector_name)
        self.name.setAccessibleName("Your name")
        self.minutes = QSpinBox()
        self.minutes.setRange(0, 240)
        self.minutes.setSuffix(" minutes")
        self.minutes.setSpecialValueText("Never")
        self.minutes.setValue(settings.idle_lock_minutes)
        self.minutes.setAccessibleName("Lock after this many idle minutes")
        form = QFormLayout()
        form.addRow("Your &name (for new inspections)", self.name)
        form.addRow("&Lock when idle for", self.minutes)
        note = muted(plain_label("Light or dark follows the system setting."))
        buttons = ok_cancel(self, self._accept)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def _accept(self) -> None:
        self.settings.inspector_name = self.name.text()
        self.settings.idle_lock_minutes = self.minutes.value()
        self.settings.sync()
        self.accept()
