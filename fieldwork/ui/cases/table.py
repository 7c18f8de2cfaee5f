"""The case table's parts: the model (a case per row, no widget per row), the filter
(text, organisation, status, inspector or My cases, risk level) and the view (Enter
opens the current case)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QTableView, QWidget

from fieldwork.core.model import Case
from fieldwork.core.schema import CASE_STATUSES, STATUS_LABELS
from fieldwork.ui.widgets.colours import STATUS_COLOURS

COLUMNS = ("Case", "Organisation", "Office", "Officer", "Inspector", "QA by", "Risk", "Status")
COL_STATUS = COLUMNS.index("Status")
CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
ALL = ""
MINE = "__mine__"


class CaseTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cases: list[Case] = []
        self.risk: dict[str, str | None] = {}
        self.names: dict[str, str] = {}
        self.risk_labels: dict[str, str] = {}
        self._row_of: dict[str, int] = {}

    def load(
        self,
        cases: list[Case],
        risk: dict[str, str | None],
        names: dict[str, str],
        risk_labels: dict[str, str],
    ) -> None:
        self.beginResetModel()
        self.cases, self.risk, self.names, self.risk_labels = cases, risk, names, risk_labels
        self._row_of = {c.id: i for i, c in enumerate(cases)}
        self.endResetModel()

    def row_of(self, case_id: str) -> int:
        return self._row_of.get(case_id, -1)

    def update_case(self, case: Case) -> None:
        row = self.row_of(case.id)
        if row < 0:
            return
        self.cases[row] = case
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def set_risk(self, case_id: str, value: str | None) -> None:
        row = self.row_of(case_id)
        if row >= 0:
            self.risk[case_id] = value
            col = COLUMNS.index("Risk")
            self.dataChanged.emit(self.index(row, col), self.index(row, col))

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.cases)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def text(self, case: Case, column: int) -> str:
        if column == 0:
            return case.ref
        if column == 1:
            return case.organisation or ""
        if column == 2:
            return case.office or ""
        if column == 3:
            return case.officer or ""
        if column == 4:
            return self.names.get(case.inspector or "", "") if case.inspector else ""
        if column == 5:
            return self.names.get(case.qa_inspector or "", "") if case.qa_inspector else ""
        if column == 6:
            risk = self.risk.get(case.id)
            return self.risk_labels.get(risk, risk) if risk else ""
        return STATUS_LABELS.get(case.status, case.status)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        case = self.cases[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.text(case, col)
        if role == SORT_ROLE:
            if col == COL_STATUS:
                return CASE_STATUSES.index(case.status) if case.status in CASE_STATUSES else 99
            if col == 6:
                risk = self.risk.get(case.id)
                order = list(self.risk_labels)
                return order.index(risk) if risk in order else -1
            return self.text(case, col).casefold()
        if role == CASE_ID_ROLE:
            return case.id
        if role == Qt.ItemDataRole.DecorationRole and col == COL_STATUS:
            return STATUS_COLOURS.get(case.status)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.text(case, col)
        return None


class CaseFilter(QSortFilterProxyModel):
    """All the filters at once: text, organisation, status, inspector (or mine), risk."""

    def __init__(self, me: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.me = me
        self.text = ""
        self.organisation = ALL
        self.status = ALL
        self.inspector = ALL
        self.risk = ALL
        self.setSortRole(SORT_ROLE)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def set(self, **values: str) -> None:
        self.beginFilterChange()
        for key, value in values.items():
            setattr(self, key, value)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        model: CaseTableModel = self.sourceModel()  # type: ignore[assignment]
        case = model.cases[row]
        if self.organisation and case.organisation != self.organisation:
            return False
        if self.status and case.status != self.status:
            return False
        if self.inspector == MINE:
            if self.me not in (case.inspector, case.qa_inspector):
                return False
        elif self.inspector and case.inspector != self.inspector:
            return False
        if self.risk and model.risk.get(case.id) != self.risk:
            return False
        if self.text:
            needle = self.text.casefold()
            hay = " ".join(model.text(case, c) for c in (0, 1, 2, 3, 4)).casefold()
            if needle not in hay:
                return False
        return True


class CaseTable(QTableView):
    """Enter opens the current case (a table would otherwise just move down)."""

    open_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabKeyNavigation(False)  # arrows move between cases; Tab leaves the table

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier
        ):
            index = self.currentIndex()
            if index.isValid():
                self.open_requested.emit(index.data(CASE_ID_ROLE))
                return
        super().keyPressEvent(event)
