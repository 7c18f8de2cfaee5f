"""Parts of the Findings screen: the ratings table and the recommendations editor.

Every edit is a function of core/casework/findings.py run through `Session.act`, so
each is one undo step and every screen hears of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fieldwork.core import samples
from fieldwork.core.casework.findings import (
    create_recommendation,
    delete_recommendation,
    edit_recommendation,
    move_recommendation,
)
from fieldwork.core.model import Recommendation
from fieldwork.core.scoring import Ratings
from fieldwork.core.storage.store import Store
from fieldwork.ui.widgets.autosave import AutosaveEdit
from fieldwork.ui.widgets.colours import rating_colours
from fieldwork.ui.widgets.labels import two_lines

# ------------------------------------------------------------ ratings table


class RatingsTable(QTableWidget):
    """Organisations down, standards and overall across: rating text on its band colour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Ratings as they stand")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setWordWrap(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setAccessibleName("Organisations")
        self.horizontalHeader().setAccessibleName("Standards")
        self.setCornerButtonEnabled(False)
        self.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it

    def show_ratings(self, ratings: Ratings, bands: Sequence[str]) -> None:
        """A rating that rests on a key question with fewer applicable cases than the
        method's minimum says "based on N cases" and is not painted in its band's colour."""
        orgs = ratings.organisations
        minimum = ratings.min_cases
        # Columns: every standard any organisation is rated on, in the method's order
        # (a CRC's 3.1 Unpaid work is not an NPS's 3.1 Court reports). Labels are broken over
        # two lines, so a long title fits its share of a 1280-pixel window.
        columns: dict[str, str] = {}
        for o in orgs:
            for s in o.standards:
                columns.setdefault(s.id, s.label)
        ids = list(columns)
        headers = [two_lines(label) for label in columns.values()] + ["Overall", "Cases counted"]
        self.clear()
        self.setColumnCount(len(headers))
        self.setRowCount(len(orgs))
        self.setHorizontalHeaderLabels(headers)
        self.setVerticalHeaderLabels([o.name for o in orgs])
        for r, org in enumerate(orgs):
            for s in org.standards:
                lines = [
                    f"{k.id} {k.text}: "
                    + (
                        f"{k.percent:.1f}% ({k.sufficient} of {k.applicable})"
                        if k.percent is not None
                        else "no applicable case"
                    )
                    for k in s.key_questions
                ]
                if s.override is not None:
                    lines.append(
                        f"Professional discretion (the rules give {s.rule_rating}): "
                        f"{s.override.reason}"
                    )
                note = samples.standard_note(s, minimum) if s.basis == "cases" else None
                if note:
                    lines.insert(0, f"Not firm: {note} (fewer than {minimum}).")
                self._cell(r, ids.index(s.id), s.rating, bands, "\n".join(lines), note)
            ov = org.overall
            tip = f"{ov.points} points from {ov.standards_rated} of {ov.standards_total} standards"
            note = samples.overall_note(org.standards, minimum) if ov.rating else None
            if note:
                tip = f"Not firm: {note}.\n{tip}"
            self._cell(r, len(ids), ov.rating, bands, tip, "small samples" if note else None)
            counted = QTableWidgetItem(
                f"{org.cases_complete} counted, {org.cases_draft} begun, not complete"
            )
            counted.setToolTip("Only complete and quality-assured cases count towards the ratings.")
            self.setItem(r, len(ids) + 1, counted)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.ResizeToContents)
        row_h = self.verticalHeader().defaultSectionSize()
        if any("\n" in self._text_at(r, c) for r in range(len(orgs)) for c in range(len(headers))):
            row_h = max(row_h, self.fontMetrics().lineSpacing() * 2 + 10)  # "based on 6 cases"
            for r in range(len(orgs)):
                self.setRowHeight(r, row_h)
        self.setFixedHeight(header.sizeHint().height() + row_h * max(1, len(orgs)) + 6)

    def _cell(self, row: int, col: int, rating: str | None, bands: Sequence[str], tip: str,
              note: str | None = None) -> None:  # fmt: skip
        item = QTableWidgetItem((rating or "Not rated") + (f"\n{note}" if note else ""))
        if note:  # not firm: no band colour, as a rating still in question
            font = item.font()
            font.setItalic(True)
            item.setFont(font)
        else:
            bg, fg = rating_colours(rating, bands)
            item.setBackground(QBrush(QColor(bg)))
            item.setForeground(QBrush(QColor(fg)))
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        item.setToolTip(tip)
        self.setItem(row, col, item)

    def texts(self) -> list[list[str]]:
        """What the table shows, row by row (for tests and accessibility checks)."""
        return [
            [self._text_at(r, c) for c in range(self.columnCount())] for r in range(self.rowCount())
        ]

    def _text_at(self, row: int, col: int) -> str:
        item = self.item(row, col)
        return item.text() if item is not None else ""


# ------------------------------------------------------------ recommendations


def describe_recommendation(n: int, rec: Recommendation) -> str:
    text = " ".join(rec.text.split()) or "(no text yet)"
    return f"{n}. {rec.addressee}: {text}" if rec.addressee else f"{n}. {text}"


class RecommendationsEditor(QWidget):
    """A numbered list of recommendations: add, edit addressee and text, reorder, delete."""

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.store: Store = session.store
        self._recs: list[Recommendation] = []
        self._current: str | None = None

        self.list = QListWidget()
        self.list.setAccessibleName("Recommendations")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(2)
        self.list.currentRowChanged.connect(self._row_changed)

        self.add_button = QPushButton("&Add recommendation")
        self.add_button.setAccessibleName("Add a recommendation")
        self.add_button.clicked.connect(self.add)
        self.up_button = QPushButton("Move &up")
        self.up_button.setAccessibleName("Move the selected recommendation up")
        self.up_button.clicked.connect(lambda: self.move_by(-1))
        self.down_button = QPushButton("Move do&wn")
        self.down_button.setAccessibleName("Move the selected recommendation down")
        self.down_button.clicked.connect(lambda: self.move_by(1))
        self.delete_button = QPushButton("&Delete")
        self.delete_button.setAccessibleName("Delete the selected recommendation")
        self.delete_button.clicked.connect(self.delete)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.up_button, self.down_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)

        self.addressee = QComboBox()
        self.addressee.setEditable(True)
        self.addressee.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.addressee.setAccessibleName("Addressee")
        line = self.addressee.lineEdit()
        assert line is not None  # an editable combo box has one
        self.addressee_line: QLineEdit = line
        self.addressee_line.setPlaceholderText("An organisation, or who should act")
        self.addressee_line.editingFinished.connect(self._save_addressee)
        self.addressee.activated.connect(lambda _: self._save_addressee())
        self.text = AutosaveEdit()
        self.text.setAccessibleName("Recommendation text")
        self.text.setPlaceholderText("What should be done, and by whom")
        self.text.commit.connect(self._save_text)

        form = QFormLayout()
        form.addRow("Add&ressee:", self.addressee)
        label = QLabel("&Text:")
        label.setBuddy(self.text)
        form.addRow(label, self.text)
        for lab in self.findChildren(QLabel):
            lab.setTextFormat(Qt.TextFormat.PlainText)

        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        left.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(left, 3)
        layout.addLayout(form, 2)
        self.reload()

    # -------------------------------------------------------------- showing

    def reload(self) -> None:
        self._recs = self.store.reads.recommendations()
        self._fill_addressees()
        self.list.blockSignals(True)
        try:
            self.list.clear()
            for n, rec in enumerate(self._recs, 1):
                item = QListWidgetItem(describe_recommendation(n, rec))
                item.setData(Qt.ItemDataRole.UserRole, rec.id)
                self.list.addItem(item)
            row = self._row_of(self._current)
            self.list.setCurrentRow(row)
        finally:
            self.list.blockSignals(False)
        self._show(self._recs[row] if row >= 0 else None)

    def _fill_addressees(self) -> None:
        orgs = list(self.store.reads.inspection().organisations)
        choices = orgs + ([" and ".join(orgs)] if len(orgs) > 1 else [])
        current = self.addressee.currentText()
        self.addressee.blockSignals(True)
        self.addressee.clear()
        self.addressee.addItems(choices)
        self.addressee.setEditText(current)
        self.addressee.blockSignals(False)

    def _row_of(self, rec_id: str | None) -> int:
        return next((i for i, r in enumerate(self._recs) if r.id == rec_id), -1)

    def _show(self, rec: Recommendation | None) -> None:
        same = rec is not None and rec.id == self._current
        self._current = rec.id if rec else None
        for w in (self.addressee, self.text, self.delete_button):
            w.setEnabled(rec is not None)
        row = self._row_of(self._current)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < len(self._recs) - 1)
        if rec is None:
            self.text.load("")
            self.addressee.setEditText("")
            return
        if not (same and self.text.pending()):
            self.text.load(rec.text)
        if not (same and self.addressee_line.hasFocus()):
            self.addressee.setEditText(rec.addressee or "")

    def _row_changed(self, row: int) -> None:
        self.flush()
        self._show(self._recs[row] if 0 <= row < len(self._recs) else None)

    def current(self) -> Recommendation | None:
        row = self._row_of(self._current)
        return self._recs[row] if row >= 0 else None

    def shown(self) -> list[Recommendation]:
        """The recommendations in the list, in order."""
        return list(self._recs)

    # -------------------------------------------------------------- editing

    def flush(self) -> None:
        self.text.flush()
        self._save_addressee()

    def add(self) -> None:
        self.flush()
        ops = self.session.act("Add recommendation", create_recommendation)
        if ops:
            self._current = ops[0].row
            self.reload()
            self.text.setFocus()

    def move_by(self, step: int) -> None:
        """Move the selected recommendation `step` places (-1 up, +1 down)."""
        self.flush()
        row = self._row_of(self._current)
        other = row + step
        if row < 0 or not 0 <= other < len(self._recs):
            return
        what = "up" if step < 0 else "down"
        self.session.act(
            f"Move recommendation {what}", move_recommendation, self._recs[row].id, step
        )

    def delete(self) -> None:
        rec = self.current()
        if rec is None:
            return
        self.text.cancel()
        row = self._row_of(rec.id)
        self._current = None
        if len(self._recs) > 1:
            self._current = self._recs[row + 1 if row + 1 < len(self._recs) else row - 1].id
        self.session.act("Delete recommendation", delete_recommendation, rec.id)

    def _save_text(self, text: str) -> None:
        rec = self.current()
        if rec is not None and text != rec.text:
            self.session.act("Edit recommendation", edit_recommendation, rec.id, text=text)

    def _save_addressee(self) -> None:
        rec = self.current()
        if rec is None:
            return
        value = " ".join(self.addressee.currentText().split()) or None
        if value != rec.addressee:
            self.session.act("Change addressee", edit_recommendation, rec.id, addressee=value)
