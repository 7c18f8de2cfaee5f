"""The rows a review is built from: one per question, made from the form.

Yes / No / N/A prompts and key-question judgements are rows that take the keyboard
focus themselves: Y, N and A answer them (A only where not applicable is allowed),
Delete clears, Up and Down move. Other questions hand focus to their editor (a
combo box, check boxes, a line or a plain-text box). Rows only report what the person
did (`answered`, `commented`, ...); the editor writes it through the Session.
Everything a person typed is shown as plain text.

This module holds what every row shares (QuestionRow, the answer buttons); rows.py
the rows of each question type, judgement.py a key question's judgement.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFocusEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from fieldwork.core.casework import validation as review
from fieldwork.core.forms.loader import Question
from fieldwork.ui.widgets.labels import in_error_colour, muted, plain_label

ANSWER_KEYS = {Qt.Key.Key_Y: "yes", Qt.Key.Key_N: "no", Qt.Key.Key_A: "na"}
YES_NO_LABELS = {"yes": "Yes", "no": "No", "na": "N/A"}
JUDGEMENT_WORDS = {"yes": "Yes", "no": "No", "na": "Not applicable"}


class QuestionRow(QFrame):
    """One question. Subclasses hold the editor; the editor above writes the answers."""

    answered = Signal(str, object)  # question id, value (None clears)
    commented = Signal(str, str)  # question id, comment
    move_focus = Signal(str, int)  # question id, +1 / -1: move focus to a neighbour

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = question
        self.qid = question.id
        self.setObjectName(question.id)
        self.setAccessibleName(question.text)
        self.read_only = False
        self.value: Any = None
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(8, 5, 8, 5)
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(3)
        self.id_label = muted(plain_label(question.id, wrap=False))
        self.id_label.setMinimumWidth(46)
        self.id_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        text = question.text + (" *" if question.required else "")
        self.text_label = plain_label(text)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)  # wrapped text takes the height it needs at any width
        self.text_label.setSizePolicy(policy)
        self.grid.addWidget(self.id_label, 0, 0)
        self.grid.addWidget(self.text_label, 0, 1)
        self.grid.setColumnStretch(1, 1)
        if question.hint:
            self.setToolTip(question.hint)
            hint = muted(plain_label(question.hint))
            self.grid.addWidget(hint, 2, 1, 1, 2)
        self.error_label: QLabel | None = None  # made when there is something to say

    # Rows that take the keys themselves say so; others hand focus to their editor.
    takes_keys = False

    def set_value(self, value: Any) -> None:
        self.value = value

    def set_comment(self, comment: str | None) -> None:
        pass

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only

    def set_error(self, message: str | None) -> None:
        if self.error_label is None:
            if not message:
                return
            self.error_label = in_error_colour(plain_label())
            self.error_label.setObjectName(f"{self.qid}/error")
            self.grid.addWidget(self.error_label, 3, 1, 1, 2)
        self.error_label.setText(message or "")
        self.error_label.setVisible(bool(message))

    def flush(self) -> None:
        pass

    def is_answered(self) -> bool:
        return review.is_answered(self.value)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.hasFocus():
            painter = QPainter(self)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            colour = self.palette().color(QPalette.ColorRole.Highlight)
            fill = QColor(colour)
            fill.setAlpha(40)
            painter.setBrush(fill)
            painter.setPen(colour)
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 5, 5)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()


class AnswerButton(QToolButton):
    """A Yes / No / N/A button, painted from the palette (light or dark alike): the
    chosen answer is filled with the highlight colour. Painted here rather than by a
    style sheet, which would slow down building a long form."""

    def __init__(self, choice: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.choice = choice
        self.setText(YES_NO_LABELS[choice])
        self.setAccessibleName(JUDGEMENT_WORDS[choice])
        self.setCheckable(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the row takes the keys
        self.setMinimumSize(54, 28)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        if self.isChecked():
            fill, border = pal.color(QPalette.ColorRole.Highlight), None
            text = pal.color(QPalette.ColorRole.HighlightedText)
        else:
            fill = pal.color(QPalette.ColorRole.Button)
            border = pal.color(
                QPalette.ColorRole.Highlight if self.underMouse() else QPalette.ColorRole.Mid
            )
            text = pal.color(QPalette.ColorRole.ButtonText)
        painter.setBrush(fill)
        painter.setPen(border if border is not None else fill)
        painter.drawRoundedRect(rect, 4, 4)
        font = self.font()
        font.setBold(self.isChecked())
        painter.setFont(font)
        painter.setPen(text)
        painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.text())

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(max(hint.width() + 16, 54), max(hint.height() + 6, 28))


def answer_buttons(
    choices: tuple[str, ...], owner: QWidget, clicked: Callable[[str], None]
) -> tuple[QHBoxLayout, dict[str, AnswerButton]]:
    layout = QHBoxLayout()
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(4)
    buttons = {}
    for choice in choices:
        button = AnswerButton(choice, owner)
        button.clicked.connect(lambda _=False, c=choice: clicked(c))
        buttons[choice] = button
        layout.addWidget(button)
    return layout, buttons
