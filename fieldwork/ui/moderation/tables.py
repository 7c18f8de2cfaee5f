"""The tables of the Moderation screen: the sample and its progress, the disagreements
side by side, the agreement figures, and the calibration spread. Read-only views of
what core/moderation hands out; every cell is plain text (QTableWidgetItem)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from fieldwork.core.moderation.model import (
    KIND_LABELS,
    Disagreement,
    Figure,
    FigureRow,
    Progress,
    Spread,
)

VALUE_WORDS = {"yes": "Yes", "no": "No", "na": "Not applicable", None: "(not shown)"}


def words(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(none)"
    if value in VALUE_WORDS:
        return VALUE_WORDS[value]
    return str(value)


def _number(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}"


def _percent(x: float | None) -> str:
    return "–" if x is None else f"{x:.0f}%"


class Table(QTableWidget):
    """A read-only table whose rows carry a key (UserRole of the first cell)."""

    def __init__(self, name: str, headers: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(0, len(headers), parent)
        self.setObjectName(name)
        self.setAccessibleName(name)
        self.setHorizontalHeaderLabels(list(headers))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Every column as wide as its text: a narrow window scrolls sideways rather than
        # cutting the last heading ("Assessed blind by") short.
        header.setStretchLastSection(False)

    def fill(self, rows: Sequence[tuple[Any, Sequence[str]]]) -> None:
        """Replace the rows: (key, cells); keeps the selected key selected if still there."""
        keep = self.current_key()
        self.setRowCount(len(rows))
        for r, (key, cells) in enumerate(rows):
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 0:
                    item.setData(Qt.ItemDataRole.UserRole, key)
                self.setItem(r, c, item)
        keys = [k for k, _ in rows]
        if keep in keys:
            self.selectRow(keys.index(keep))
        elif rows and self.currentRow() < 0:
            self.setCurrentCell(0, 0)

    def current_key(self) -> Any:
        row = self.currentRow()
        item = self.item(row, 0) if row >= 0 else None
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def select_key(self, key: Any) -> bool:
        for r in range(self.rowCount()):
            item = self.item(r, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == key:
                self.setCurrentCell(r, 0)
                return True
        return False


class SampleTable(Table):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "Moderation sample",
            (
                "Case",
                "Organisation",
                "How chosen",
                "Progress",
                "First assessor",
                "Assessed blind by",
            ),
            parent,
        )

    def show_progress(self, found: Sequence[Progress], names: dict[str, str]) -> None:
        rows = []
        for p in found:
            kind = KIND_LABELS.get(p.kind, p.kind)
            if p.reason:
                kind += f": {' '.join(p.reason.split())[:60]}"
            blind = ", ".join(names.get(a, "?") for a in p.expected) or "nobody yet"
            rows.append(
                (
                    p.case_id,
                    (
                        p.case_ref,
                        p.organisation or "–",
                        kind,
                        p.state,
                        names.get(p.first_assessor or "", "–"),
                        blind,
                    ),
                )
            )
        self.fill(rows)


class DisagreementTable(Table):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "Disagreements",
            (
                "Case",
                "Item",
                "First assessment",
                "Comment",
                "Second assessment",
                "Comment",
                "Settled",
            ),
            parent,
        )
        self.shown: list[Disagreement] = []
        header = self.horizontalHeader()
        for column in (3, 5):  # the comments: a fixed width, the full text in the tooltip
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.setColumnWidth(column, 200)

    def show_disagreements(self, found: Sequence[Disagreement], names: dict[str, str]) -> None:
        self.shown = list(found)

        def note(text: str | None) -> str:
            return " ".join((text or "").split())[:120]

        rows = []
        for d in found:
            settled = f"{words(d.settled.value)}: {note(d.settled.reason)}" if d.settled else "Open"
            rows.append(
                (
                    (d.case_id, d.question_id),
                    (
                        d.case_ref,
                        d.question_id,
                        f"{names.get(d.first.assessor, '?')}: {words(d.first.value)}",
                        note(d.first.comment),
                        f"{names.get(d.second.assessor, '?')}: {words(d.second.value)}",
                        note(d.second.comment),
                        settled,
                    ),
                )
            )
        self.fill(rows)
        for r, d in enumerate(found):
            for column, text in ((3, d.first.comment), (5, d.second.comment)):
                item = self.item(r, column)
                if item is not None and text:
                    item.setToolTip(text)

    def current(self) -> Disagreement | None:
        key = self.current_key()
        return next((d for d in self.shown if (d.case_id, d.question_id) == key), None)


def _figure_cells(f: Figure) -> tuple[str, str, str, str]:
    return (str(f.n), _percent(f.percent), _number(f.kappa), _number(f.ac1))


class AgreementTable(Table):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "Agreement figures",
            ("Key question", "n", "Agreed", "Kappa", "AC1", "Agreement", "N/A agreed (n)"),
            parent,
        )

    def show_rows(self, rows: Sequence[FigureRow]) -> None:
        out = []
        for r in rows:
            n, pct, kappa, ac1 = _figure_cells(r.judgement)
            a = r.applicability
            label = "All key questions" if r.question_id == "all" else r.question_id
            out.append(
                (
                    r.question_id,
                    (label, n, pct, kappa, ac1, r.band or "–", f"{_percent(a.percent)} ({a.n})"),
                )
            )
        self.fill(out)


class SpreadTable(Table):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "Calibration spread", ("Case", "Key question", "Yes", "No", "Not applicable"), parent
        )

    def show_spread(self, spread: Sequence[Spread]) -> None:
        rows = []
        # Where the team split first: the most divided units at the top.
        for s in sorted(spread, key=lambda s: (s.unanimous, s.case_ref, s.question_id)):
            counts = dict(s.counts)
            rows.append(
                (
                    (s.case_id, s.question_id),
                    (
                        s.case_ref,
                        s.question_id + ("" if s.unanimous else "  (split)"),
                        str(counts.get("yes", 0)),
                        str(counts.get("no", 0)),
                        str(counts.get("na", 0)),
                    ),
                )
            )
        self.fill(rows)
