"""Import a case sample (CSV): preview the rows and every line's problem, then import all.

Reading and validating is `core.case_sample`; this dialog only shows the result.
Nothing is written unless every line is good (the Import button waits for that).
The import is one transaction, run in the task runner's worker (ui/tasks.py) with its
own Store connection and a progress dialog with Cancel; without a runner (a bare dialog
in tests) it runs on the UI thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldwork.core.errors import FieldworkError
from fieldwork.core.io import case_sample
from fieldwork.core.io.case_sample import CaseSample
from fieldwork.core.storage.method_reads import method_forms
from fieldwork.core.storage.store import Store
from fieldwork.ui.session import Session
from fieldwork.ui.widgets.labels import plain_label

FIXED_HEADINGS = {
    "ref": "Case reference",
    "organisation": "Organisation",
    "sample": "Sample",
    "office": "Office",
    "officer": "Responsible officer",
    "inspector": "Inspector",
}


def run_import(store: Store, sample: CaseSample, progress: Any = None) -> int:
    """The import itself: all rows in one transaction, or nothing."""
    return case_sample.import_sample(store, sample, progress)


def import_in_worker(
    path: Path, passphrase: str | None, sample: CaseSample, progress: Any = None
) -> int:
    """The same, for a worker thread: it opens (and closes) its own Store connection."""
    with Store.open(path, passphrase, check=False) as store:
        return run_import(store, sample, progress)


class CaseImportDialog(QDialog):
    """Choose a CSV, see what it holds and what is wrong with it, import it."""

    imported = Signal(int)  # number of cases, after a successful import

    def __init__(self, session: Session, tasks: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseImportDialog")
        self.setWindowTitle("Import case sample")
        self.session = session
        self.store = session.store
        self.tasks = tasks
        self.sample: CaseSample | None = None
        self.path: Path | None = None
        self.count = 0
        self.resize(900, 600)

        self.file = QLineEdit()
        self.file.setObjectName("importFile")
        self.file.setAccessibleName("Case sample file")
        self.file.setReadOnly(True)
        self.file.setPlaceholderText("Choose a CSV file with one row per case")
        self.choose = QPushButton("Choose…")
        self.choose.setObjectName("importChoose")
        self.choose.setAccessibleName("Choose a case sample file")
        self.choose.clicked.connect(self.choose_file)

        self.summary = plain_label(
            "Columns: ref and organisation (required); office, officer, inspector, and any "
            "case attribute of the form, such as sentence_type or risk_level."
        )
        self.summary.setObjectName("importSummary")

        self.model = QStandardItemModel(self)
        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.table.setObjectName("importPreview")
        self.table.setAccessibleName("Cases in the file")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.horizontalHeader().setStretchLastSection(True)

        self.errors = QListWidget()
        self.errors.setObjectName("importErrors")
        self.errors.setAccessibleName("Problems in the file")
        self.errors.setWordWrap(True)

        preview_box = QGroupBox("Cases in the file")
        QVBoxLayout(preview_box).addWidget(self.table)
        self.errors_box = QGroupBox("Problems")
        QVBoxLayout(self.errors_box).addWidget(self.errors)
        self.errors_box.setVisible(False)
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        split.addWidget(preview_box)
        split.addWidget(self.errors_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)

        self.import_button = QPushButton("Import")
        self.import_button.setObjectName("importButton")
        self.import_button.setAccessibleName("Import the cases")
        self.import_button.setEnabled(False)
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.start_import)
        self.cancel = QPushButton("Cancel")
        self.cancel.setAccessibleName("Close without importing")
        self.cancel.setAutoDefault(False)
        self.cancel.clicked.connect(self.reject)

        label = QLabel("&File:")
        label.setBuddy(self.choose)
        top = QHBoxLayout()
        top.addWidget(label)
        top.addWidget(self.file, 1)
        top.addWidget(self.choose)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.import_button)
        bottom.addWidget(self.cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)
        for a, b in zip(
            (self.choose, self.file, self.table, self.errors, self.import_button),
            (self.file, self.table, self.errors, self.import_button, self.cancel),
            strict=True,
        ):
            self.setTabOrder(a, b)
        self.choose.setFocus()

    # -------------------------------------------------------------- reading

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Import case sample",
            str(self.path.parent if self.path else Path.home()),
            "CSV files (*.csv);;All files (*)",
        )
        if path:
            self.load(path)

    def load(self, path: str | Path) -> bool:
        """Read and check a CSV; True when it can be imported as it is."""
        self.path = Path(path)
        self.file.setText(str(self.path))
        try:
            self.sample = case_sample.read_sample(self.store, self.path)
        except FieldworkError as exc:
            self.sample = None
            self._show_rows(None)
            self._show_errors([str(exc)])
            self.summary.setText(f"{self.path.name} cannot be imported: {exc}")
            self._update_buttons()
            return False
        self._show_rows(self.sample)
        self._show_errors(list(self.sample.errors))
        n, bad = len(self.sample.rows), len(self.sample.errors)
        if bad:
            self.summary.setText(
                f"{bad} line{'s have' if bad != 1 else ' has'} problems (listed below). Nothing "
                "can be imported until the file is corrected and chosen again."
            )
        elif n:
            self.summary.setText(f"{n} case{'s' if n != 1 else ''} ready to import.")
        else:
            self.summary.setText(f"{self.path.name} holds no cases.")
        self._update_buttons()
        return self.can_import()

    def can_import(self) -> bool:
        return self.sample is not None and self.sample.ok and bool(self.sample.rows)

    def _update_buttons(self) -> None:
        self.import_button.setEnabled(self.can_import())

    def _show_rows(self, sample: CaseSample | None) -> None:
        self.model.clear()
        if sample is None:
            return
        attributes = {
            q.id: q for form in method_forms(self.store).all_forms() for q in form.attributes
        }
        extra = [c for c in sample.columns if c not in case_sample.FIXED]
        fixed = [c for c in case_sample.FIXED if c in sample.columns]
        headings = ["Line"] + [FIXED_HEADINGS[c] for c in fixed]
        for c in extra:
            question = attributes.get(self._attribute_id(c, attributes))
            headings.append(question.text if question else c)
        self.model.setHorizontalHeaderLabels(headings)
        for row in sample.rows:
            cells = [str(row.line)] + [getattr(row, c) or "" for c in fixed]
            for c in extra:
                qid = self._attribute_id(c, attributes)
                cells.append(self._shown(attributes.get(qid), row.attributes.get(qid)))
            items = []
            for text in cells:
                item = QStandardItem(text)  # QStandardItem shows plain text
                item.setEditable(False)
                items.append(item)
            self.model.appendRow(items)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.resizeColumnsToContents()

    @staticmethod
    def _attribute_id(column: str, attributes: dict[str, Any]) -> str:
        return next((qid for qid in attributes if qid.casefold() == column), column)

    @staticmethod
    def _shown(question: Any, value: Any) -> str:
        if value is None:
            return ""
        labels = {c.id: c.label for c in question.choices} if question is not None else {}
        if isinstance(value, list):
            return ", ".join(str(labels.get(v, v)) for v in value)
        return labels.get(value, str(value)) if isinstance(value, str) else str(value)

    def _show_errors(self, errors: list[str]) -> None:
        self.errors.clear()
        self.errors.addItems(errors)  # QListWidget items are plain text
        self.errors_box.setTitle(f"Problems ({len(errors)})")
        self.errors_box.setVisible(bool(errors))

    # -------------------------------------------------------------- importing

    def start_import(self) -> None:
        if not self.can_import():
            return
        assert self.sample is not None
        self.import_button.setEnabled(False)
        self.choose.setEnabled(False)
        self.summary.setText("Importing…")
        if self.tasks is not None:
            sample = self.sample
            self.tasks.run(
                "Importing the case sample…",
                lambda store, progress: run_import(store, sample, progress),
                self._finished,
                lambda message: self._failed(message or "the import was cancelled."),
            )
            return
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            count = run_import(self.store, self.sample)
        except FieldworkError as exc:
            self._failed(str(exc))
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self._finished(count)

    def _finished(self, count: int) -> None:
        self.count = count
        self.session.external_change()
        self.session.saved.emit(f"Imported {count} case{'s' if count != 1 else ''}.")
        self.imported.emit(count)
        self.accept()

    def _failed(self, message: str) -> None:
        self.summary.setText(f"Nothing was imported: {message}")
        self.choose.setEnabled(True)
        self._update_buttons()
