"""The interviews in the list: optionally of one kind, two lines each (title, then kind,
date and organisation)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from fieldwork.core.casework.dates import show_date
from fieldwork.core.casework.interviews import kind_label
from fieldwork.core.model import Interview

ID_ROLE = Qt.ItemDataRole.UserRole


class InterviewListModel(QAbstractListModel):
    """Interviews, optionally of one kind, as two lines each: title, then kind and date."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._all: list[Interview] = []
        self._rows: list[Interview] = []
        self._kind = ""

    def set_interviews(self, interviews: Sequence[Interview]) -> None:
        self.beginResetModel()
        self._all = list(interviews)
        self._rows = [i for i in self._all if not self._kind or i.kind == self._kind]
        self.endResetModel()

    def set_kind(self, kind: str) -> None:
        self._kind = kind
        self.set_interviews(self._all)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        interview = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            facts = " · ".join(
                x
                for x in (
                    kind_label(interview.kind),
                    show_date(interview.date),
                    interview.organisation,
                )
                if x
            )
            return f"{interview.title or 'Untitled interview'}\n{facts}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{interview.title or 'Untitled interview'}, {kind_label(interview.kind)}"
        if role == ID_ROLE:
            return interview.id
        return None

    def row_of(self, interview_id: str) -> int:
        return next((n for n, i in enumerate(self._rows) if i.id == interview_id), -1)

    def interview(self, row: int) -> Interview | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None
