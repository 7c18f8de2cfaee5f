"""File > Import a form (XLSForm) and File > Export for QDA software (.qdpx, .qdc).

The import dialog runs the same code and checks as `fieldwork forms import`: a refusal
is its one line, warnings are listed, and the form is saved as YAML for a new inspection
(`fieldwork new --form FILE`). The exports run in the window's worker, like a backup,
and say that the file holds names.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QListWidget,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldwork.core.errors import FieldworkError
from fieldwork.ui.review.widgets import muted, plain_label
from fieldwork.ui.shell.dialogs import FROM_FILE, documents_folder, file_row
from fieldwork.ui.widgets.labels import in_error_colour

EXPORTS = {
    "qdpx": ("Coded interviews for QDA software (.qdpx)…", "REFI-QDA projects (*.qdpx)"),
    "qdc": ("Codebook of tags for QDA software (.qdc)…", "REFI-QDA codebooks (*.qdc)"),
}


def add_menu_items(window: Any, file_menu: QMenu) -> None:
    """The File menu's entries for forms in XLSForm and exports to QDA software."""
    window._action(file_menu, "Import a &form (XLSForm)…", lambda: import_form(window),
                   name="importForm")  # fmt: skip
    export = file_menu.addMenu("E&xport")
    export.setObjectName("exportMenu")
    for kind, (text, _) in EXPORTS.items():
        window._action(export, text, lambda k=kind: export_refi(window, k), name=f"export_{kind}")
    window.export_menu = export


def import_form(parent: QWidget | None) -> None:
    dialog = FormImportDialog(parent)
    dialog.exec()
    dialog.deleteLater()


class FormImportDialog(QDialog):
    """Choose an XLSForm workbook, see what it becomes (or why not), save it as a form."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("formImportDialog")
        self.setWindowTitle("Import a form from XLSForm")
        self.resize(720, 460)
        self.result_value: Any = None
        intro = muted(
            plain_label(
                "Turn an XLSForm workbook (ODK, KoboToolbox, Survey123, CommCare) into a "
                "Fieldwork form. It is checked as the shipped forms are; repeats, 'other' "
                "choices, choice filters, media and geo questions are refused."
            )
        )
        self.source_row, self.source = file_row(self, "", self._browse)
        self.source.setObjectName("formImportSource")
        self.source.setAccessibleName("XLSForm workbook")
        self.source.returnPressed.connect(lambda: self.load(self.source.text()))
        self.summary = plain_label()
        self.summary.setObjectName("formImportSummary")
        self.error = plain_label()
        self.error.setObjectName("formImportError")
        in_error_colour(self.error)
        self.warnings = QListWidget()
        self.warnings.setObjectName("formImportWarnings")
        self.warnings.setAccessibleName("Warnings")
        self.save_button = QPushButton("&Save form as…")
        self.save_button.setObjectName("saveForm")
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(lambda: self.save())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("&Workbook", self.source_row)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.error)
        warn_label = QLabel("Warnings (what was left out or changed):")
        layout.addWidget(warn_label)
        layout.addWidget(self.warnings, 1)
        layout.addWidget(buttons)
        for button in self.findChildren(QPushButton):
            # Return in the workbook field converts it; it must not also browse, save or close.
            button.setAutoDefault(False)
            button.setDefault(False)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "XLSForm workbook", str(documents_folder()), "Excel workbooks (*.xlsx *.xls)"
        )
        if path:
            self.load(path)

    def load(self, path: str | Path) -> bool:
        """Convert the workbook; True when it became a form."""
        from fieldwork.core.io.xlsform_read import import_xlsform

        self.source.setText(str(path))
        self.warnings.clear()
        self.summary.clear()
        self.error.clear()
        self.result_value = None
        try:
            result = import_xlsform(path, Path(path).with_suffix(".yaml").name)
        except FieldworkError as exc:
            self.error.setText(str(exc))
            self.save_button.setEnabled(False)
            return False
        from fieldwork.core.forms.named import summary

        self.result_value = result
        self.summary.setText(f"{result.form.title}: {summary(result.form)}.")
        self.warnings.addItems(list(result.warnings) or ["None."])
        self.save_button.setEnabled(True)
        return True

    def save(self, dest: str | Path | None = None) -> Path | None:
        if self.result_value is None:
            return None
        if dest is None:
            suggested = Path(self.source.text()).with_suffix(".yaml")
            dest, _ = QFileDialog.getSaveFileName(
                self, "Save the form", str(suggested), "Fieldwork forms (*.yaml)"
            )
            if not dest:
                return None
        from fieldwork.core import files

        path = Path(dest)
        if path.suffix.lower() not in (".yaml", ".yml"):
            path = path.with_name(path.name + ".yaml")
        text = self.result_value.yaml
        try:
            files.write_bytes(path, text.encode("utf-8"), mode=0o644)
        except OSError as exc:
            self.error.setText(f"Could not save {path.name}: {exc.strerror or exc}")
            return None
        self.summary.setText(
            f"Saved {path.name}. To start an inspection with it, choose File > New "
            f"inspection, then {FROM_FILE} under Form."
        )
        return path


def export_refi(window: Any, kind: str, dest: str | None = None) -> bool:
    """Export the coded interviews (.qdpx) or the tags (.qdc) in the worker."""
    text, filter_ = EXPORTS[kind]
    if dest is None:
        suggested = documents_folder() / f"{window.store.path.stem}.{kind}"
        dest, _ = QFileDialog.getSaveFileName(window, text.rstrip("…"), str(suggested), filter_)
        if not dest:
            return False
    if not dest.lower().endswith(f".{kind}"):
        dest += f".{kind}"
    window.flush()

    def work(store: Any, progress: Any) -> str:
        from fieldwork.core.io import qdpx

        if kind == "qdc":
            codes = qdpx.export_qdc(store, dest)
            return f"Exported {sum(len(c.children) for c in codes)} codes to {Path(dest).name}"
        project = qdpx.export_qdpx(store, dest)
        quotes = sum(len(s.selections) for s in project.sources)
        left = f"; left out: {'; '.join(project.left_out)}" if project.left_out else ""
        return (
            f"Exported {len(project.sources)} interviews and {quotes} quotes to "
            f"{Path(dest).name} (it holds names: keep it OFFICIAL-SENSITIVE){left}"
        )

    return bool(
        window.tasks.run(
            "Exporting…",
            work,
            lambda line: window.session.saved.emit(line),
            lambda error: window.show_error(error or "Export cancelled."),
        )
    )
