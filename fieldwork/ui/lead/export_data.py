"""File > Export > data for analysis (CSV files or an XLSX workbook), as `fieldwork export
csv|xlsx` writes them (core/io/exports.py), with the same warning: the export holds case
references and names. It runs in the worker, with progress and Cancel."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldwork.core.io import exports
from fieldwork.ui.lead.base import TaskDialog
from fieldwork.ui.shell.dialogs import documents_folder, file_row
from fieldwork.ui.tasks import raising_on_cancel
from fieldwork.ui.widgets.labels import bold, in_error_colour, muted, plain_label

FORMATS = {
    "csv": "CSV files, one per table, in a folder",
    "xlsx": "One Excel workbook (.xlsx), a sheet per table",
}


def default_destination(store_path: Path, kind: str, day: dt.date | None = None) -> Path:
    """`Documents/<file> 2016-03-08` (a folder) or `… 2016-03-08.xlsx`."""
    stem = f"{store_path.stem} {(day or dt.date.today()).isoformat()}"
    return documents_folder() / (f"{stem}.xlsx" if kind == "xlsx" else stem)


class ExportDataDialog(TaskDialog):
    def __init__(self, window: Any, kind: str = "xlsx", parent: QWidget | None = None) -> None:
        super().__init__(window, parent)
        self.setObjectName("exportDataDialog")
        self.setWindowTitle("Export data for analysis")
        self.setMinimumWidth(620)
        self.format = QComboBox()
        self.format.setObjectName("exportFormat")
        self.format.setAccessibleName("Format")
        for name, text in FORMATS.items():
            self.format.addItem(text, name)
        dest_row, self.dest = file_row(self, "", self._browse)
        self.dest.setObjectName("exportDestination")
        self.dest.setAccessibleName("Export to")
        self.format.currentIndexChanged.connect(lambda _: self._kind_changed(self.kind))
        self.warning = bold(in_error_colour(plain_label(exports.PERSONAL_DATA_WARNING)))
        self.warning.setObjectName("personalDataWarning")
        self.export_button = QPushButton("&Export")
        self.export_button.setObjectName("exportData")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(lambda: self.export())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("&Format", self.format)
        form.addRow("Export &to", dest_row)
        layout = QVBoxLayout(self)
        layout.addWidget(
            plain_label(
                "The cases (a column per question), the answers, the interviews, the "
                "quotes and a dictionary of the columns, for analysis at headquarters."
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.warning)
        layout.addWidget(
            muted(plain_label("Notes of people who did not consent to be quoted are left out."))
        )
        layout.addWidget(self.error)
        layout.addWidget(self.outcome)
        layout.addWidget(buttons)
        self.format.setCurrentIndex(self.format.findData(kind if kind in FORMATS else "xlsx"))
        self._kind_changed(self.kind)

    @property
    def kind(self) -> str:
        return str(self.format.currentData())

    def _kind_changed(self, kind: str) -> None:
        self.dest.setText(str(default_destination(self.store.path, kind)))

    def _browse(self) -> None:
        if self.kind == "csv":
            path = QFileDialog.getExistingDirectory(self, "Export CSV files to", self.dest.text())
        else:
            path, _ = QFileDialog.getSaveFileName(
                self, "Export the workbook as", self.dest.text(), "Excel workbooks (*.xlsx)"
            )
        if path:
            self.dest.setText(path)

    def export(self) -> bool:
        text = self.dest.text().strip()
        if not text:
            self.fail("Choose where to export to.")
            return False
        dest = Path(text).expanduser()
        kind = self.kind
        if kind == "xlsx" and dest.suffix.lower() != ".xlsx":
            dest = dest.with_name(dest.name + ".xlsx")

        def work(store: Any, progress: Any) -> str:
            report = raising_on_cancel(progress, "Cancelled: nothing was exported.")
            if kind == "csv":
                written = exports.export_csv(store, dest, report)
                return f"Exported {len(written)} CSV files to {dest}."
            exports.export_xlsx(store, dest, report)
            return f"Exported the workbook {dest}."

        def done(line: str) -> None:
            self.say(f"{line} {exports.PERSONAL_DATA_WARNING}")
            self.window_.session.saved.emit(line)

        return self.run("Exporting…", work, done)
