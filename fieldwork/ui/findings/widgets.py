"""Parts of the Findings screen: store actions, the autosaving text editor, the
ratings table and the recommendations editor.

Every edit is a function of the store returning its ops, run through
`Session.act`, so each is one undo step and every screen hears of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fieldwork.core.model import Op, Recommendation
from fieldwork.core.schema import new_id
from fieldwork.core.scoring import Ratings
from fieldwork.core.storage.store import Store

AUTOSAVE_MS = 800
# The PDF's band colours (core/report/styles.py), highest band first, with text colours.
BAND_COLOURS = (("#2e7d32", "#ffffff"), ("#9ccc65", "#1a1a1a"), ("#ffb74d", "#1a1a1a"))
LOWEST_BAND = ("#e57373", "#1a1a1a")
NOT_RATED = ("#eeeeee", "#555555")


# ------------------------------------------------------------ store actions


def create_row(store: Store, entity: str, row: str, fields: dict[str, Any]) -> list[Op]:
    """A new row as one write (one undo step); `row` is chosen by the caller."""
    edits = [(entity, row, f, v) for f, v in fields.items() if v is not None]
    return store.write([*edits, (entity, row, "deleted", False)], fresh=frozenset((row,)))


def update_row(store: Store, entity: str, row: str, fields: dict[str, Any]) -> list[Op]:
    return store.update(entity, row, fields)


def delete_row(store: Store, entity: str, row: str) -> list[Op]:
    return store.delete(entity, row)


def link_quote(store: Store, finding_id: str, quote_id: str, present: bool) -> list[Op]:
    return store.link("finding_quotes", finding_id, quote_id, present=present)


def renumber(
    store: Store, order: Sequence[str], positions: dict[str, int], *, drop: str | None = None
) -> list[Op]:
    """Give recommendations positions 1..n in `order` (deleting `drop` first), in one write."""
    with store.transaction():
        ops = store.delete("recommendations", drop) if drop else []
        edits = [
            ("recommendations", rid, "position", n)
            for n, rid in enumerate((r for r in order if r != drop), 1)
            if positions.get(rid) != n
        ]
        if edits:
            ops += store.write(edits)
    return ops


# ------------------------------------------------------------ autosaving editor


class AutosaveEdit(QPlainTextEdit):
    """Plain text that asks to be saved after a pause in typing and on focus-out.

    `commit` carries the text; the owner stores it. One commit per pause, so one
    op (and one undo step) per pause rather than per key.
    """

    commit = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self._saved = ""
        self._loading = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(AUTOSAVE_MS)
        self.timer.timeout.connect(self.flush)
        self.textChanged.connect(self._edited)

    def load(self, text: str) -> None:
        """Show stored text (drops any pending edit: flush first if it matters)."""
        self.timer.stop()
        self._saved = text
        if self.toPlainText() != text:
            self._loading = True
            try:
                self.setPlainText(text)
            finally:
                self._loading = False

    def pending(self) -> bool:
        return self.toPlainText() != self._saved

    def flush(self) -> None:
        self.timer.stop()
        text = self.toPlainText()
        if text != self._saved and self.isEnabled():
            self._saved = text
            self.commit.emit(text)

    def _edited(self) -> None:
        if not self._loading:
            self.timer.start()

    def focusOutEvent(self, event: Any) -> None:
        self.flush()
        super().focusOutEvent(event)


# ------------------------------------------------------------ ratings table


def rating_colours(rating: str | None, bands: Sequence[str]) -> tuple[str, str]:
    """(background, text) for a rating by its place among the form's bands, high first."""
    if rating is None or rating not in bands:
        return NOT_RATED
    i = list(bands).index(rating)
    if i == len(bands) - 1:
        return LOWEST_BAND
    return BAND_COLOURS[min(i, len(BAND_COLOURS) - 1)]


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

    def show_ratings(self, ratings: Ratings, bands: Sequence[str]) -> None:
        orgs = ratings.organisations
        # Columns: every standard any organisation is rated on, in the method's order
        # (a CRC's 3.1 Unpaid work is not an NPS's 3.1 Court reports).
        columns: dict[str, str] = {}
        for o in orgs:
            for s in o.standards:
                columns.setdefault(s.id, s.label)
        ids = list(columns)
        headers = list(columns.values()) + ["Overall", "Cases counted"]
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
                self._cell(r, ids.index(s.id), s.rating, bands, "\n".join(lines))
            ov = org.overall
            tip = f"{ov.points} points from {ov.standards_rated} of {ov.standards_total} standards"
            self._cell(r, len(ids), ov.rating, bands, tip)
            counted = QTableWidgetItem(
                f"{org.cases_complete} counted, {org.cases_draft} not complete"
            )
            counted.setToolTip("Only complete and quality-assured cases count towards the ratings.")
            self.setItem(r, len(ids) + 1, counted)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.ResizeToContents)
        row_h = self.verticalHeader().defaultSectionSize()
        self.setFixedHeight(header.sizeHint().height() + row_h * max(1, len(orgs)) + 6)

    def _cell(self, row: int, col: int, rating: str | None, bands: Sequence[str], tip: str) -> None:
        item = QTableWidgetItem(rating or "Not rated")
        bg, fg = rating_colours(rating, bands)
        item.setBackground(QBrush(QColor(bg)))
        item.setForeground(QBrush(QColor(fg)))
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        item.setToolTip(tip)
        self.setItem(row, col, item)

    def texts(self) -> list[list[str]]:
        """What the table shows, row by row (for tests and accessibility checks)."""
        return [
            [self.item(r, c).text() if self.item(r, c) else "" for c in range(self.columnCount())]
            for r in range(self.rowCount())
        ]


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
        self.up_button.clicked.connect(lambda: self.move(-1))
        self.down_button = QPushButton("Move do&wn")
        self.down_button.setAccessibleName("Move the selected recommendation down")
        self.down_button.clicked.connect(lambda: self.move(1))
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
        self.addressee.lineEdit().setPlaceholderText("An organisation, or who should act")
        self.addressee.lineEdit().editingFinished.connect(self._save_addressee)
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
        self._recs = self.store.recommendations()
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
        orgs = list(self.store.inspection().organisations)
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
        if not (same and self.addressee.lineEdit().hasFocus()):
            self.addressee.setEditText(rec.addressee or "")

    def _row_changed(self, row: int) -> None:
        self.flush()
        self._show(self._recs[row] if 0 <= row < len(self._recs) else None)

    def current(self) -> Recommendation | None:
        row = self._row_of(self._current)
        return self._recs[row] if row >= 0 else None

    # -------------------------------------------------------------- editing

    def flush(self) -> None:
        self.text.flush()
        self._save_addressee()

    def add(self) -> None:
        self.flush()
        row = new_id()
        position = max((r.position for r in self._recs), default=0) + 1
        fields = {"position": position, "text": ""}
        if self.session.act("Add recommendation", create_row, "recommendations", row, fields):
            self._current = row
            self.reload()
            self.text.setFocus()

    def move(self, step: int) -> None:
        self.flush()
        row = self._row_of(self._current)
        other = row + step
        if row < 0 or not 0 <= other < len(self._recs):
            return
        order = [r.id for r in self._recs]
        order[row], order[other] = order[other], order[row]
        positions = {r.id: r.position for r in self._recs}
        what = "up" if step < 0 else "down"
        self.session.act(f"Move recommendation {what}", renumber, order, positions)

    def delete(self) -> None:
        rec = self.current()
        if rec is None:
            return
        self.text.timer.stop()
        row = self._row_of(rec.id)
        order = [r.id for r in self._recs]
        positions = {r.id: r.position for r in self._recs}
        self._current = None
        if len(self._recs) > 1:
            self._current = self._recs[row + 1 if row + 1 < len(self._recs) else row - 1].id
        self.session.act("Delete recommendation", renumber, order, positions, drop=rec.id)

    def _save_text(self, text: str) -> None:
        rec = self.current()
        if rec is not None and text != rec.text:
            self.session.act(
                "Edit recommendation", update_row, "recommendations", rec.id, {"text": text}
            )

    def _save_addressee(self) -> None:
        rec = self.current()
        if rec is None:
            return
        value = " ".join(self.addressee.currentText().split()) or None
        if value != rec.addressee:
            self.session.act(
                "Change addressee", update_row, "recommendations", rec.id, {"addressee": value}
            )
