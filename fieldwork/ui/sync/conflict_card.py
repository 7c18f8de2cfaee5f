"""One conflict on the Sync screen, in the user's words (core/casework/conflicts.describe):
the case and question, each competing value by its label with who wrote it and when,
a "Take A" / "Take B" button beside each, and a box to pick or type a new value instead.

Everything shown is plain text: values come from teammates' laptops.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldwork.core.casework.conflicts import ConflictWords
from fieldwork.core.model import Conflict
from fieldwork.ui.widgets.labels import bold, in_error_colour, muted, plain_label

LETTERS = "ABCDEFGHIJ"


class ConflictCard(QFrame):
    """`take(conflict, value)` closes it with a side's value; `take_new(card, text_or_value,
    typed)` with a value the person typed (typed=True, to be read) or picked."""

    def __init__(
        self,
        conflict: Conflict,
        words: ConflictWords,
        take: Callable[[Conflict, Any], None],
        take_new: Callable[[ConflictCard, Any, bool], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("conflictCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.conflict = conflict
        self.words = words
        self._take_new = take_new
        layout = QVBoxLayout(self)
        self.title = bold(plain_label(words.title))
        self.title.setObjectName("conflictTitle")
        layout.addWidget(self.title)
        sides = QGridLayout()
        sides.setColumnStretch(1, 1)
        self.buttons: list[QPushButton] = []
        self.side_labels: list[QLabel] = []
        deleted = words.kind == "deleted"
        for i, side in enumerate(words.sides):
            letter = LETTERS[i] if i < len(LETTERS) else str(i + 1)
            text = f"{letter}: {side.words}"
            label = plain_label(text)
            label.setObjectName("conflictSide")
            who = muted(plain_label(f"by {side.who}, {side.when}", wrap=False))
            column = QVBoxLayout()
            column.setSpacing(0)
            column.addWidget(label)
            column.addWidget(who)
            sides.addLayout(column, i, 1)
            self.side_labels.append(label)
            if not deleted:
                button = QPushButton(f"Take {letter}")
                button.setObjectName("resolveButton")
                button.setAccessibleName(f"Take {letter}: {side.words}, by {side.who}")
                button.clicked.connect(lambda _=False, v=side.value: take(conflict, v))
                sides.addWidget(button, i, 2, Qt.AlignmentFlag.AlignVCenter)
                self.buttons.append(button)
        layout.addLayout(sides)
        if deleted:
            row = QHBoxLayout()
            for text, value in (("Keep the record", False), ("Delete it", True)):
                button = QPushButton(text)
                button.setObjectName("resolveButton")
                button.setAccessibleName(f"{text}: {words.where}")
                button.clicked.connect(lambda _=False, v=value: take(conflict, v))
                row.addWidget(button)
                self.buttons.append(button)
            row.addStretch(1)
            layout.addLayout(row)
        self.picker: QComboBox | None = None
        self.typed: QLineEdit | None = None
        if not deleted and (words.choices or words.typed):
            layout.addLayout(self._new_value_row(words))
        self.error = in_error_colour(plain_label())
        self.error.setObjectName("conflictError")
        self.error.hide()
        layout.addWidget(self.error)

    def _new_value_row(self, words: ConflictWords) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(plain_label("Or a new value:", wrap=False))
        if words.choices:
            self.picker = QComboBox()
            self.picker.setObjectName("conflictNewValue")
            self.picker.setAccessibleName(f"A new value for {words.subject or words.what}")
            self.picker.addItem("— choose —", None)
            for value, label in words.choices:
                self.picker.addItem(label, value)
            self.picker.setMaximumWidth(360)
            row.addWidget(self.picker, 1)
        else:
            self.typed = QLineEdit()
            self.typed.setObjectName("conflictNewValue")
            self.typed.setAccessibleName(f"A new value for {words.subject or words.what}")
            self.typed.setPlaceholderText("Type the value to keep")
            self.typed.returnPressed.connect(self.use_new_value)
            self.typed.setMaximumWidth(360)
            row.addWidget(self.typed, 1)
        self.use_button = QPushButton("Use this value")
        self.use_button.setObjectName("useNewValue")
        self.use_button.setAccessibleName(f"Use the new value for {words.subject or words.what}")
        self.use_button.clicked.connect(self.use_new_value)
        row.addWidget(self.use_button)
        row.addStretch(1)
        return row

    def use_new_value(self) -> None:
        if self.picker is not None:
            value = self.picker.currentData()
            if value is None and self.picker.currentIndex() == 0:
                self.show_error("Choose a value first.")
                return
            self._take_new(self, value, False)
        elif self.typed is not None:
            self._take_new(self, self.typed.text(), True)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))
