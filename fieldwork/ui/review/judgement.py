"""A key question's judgement row: the prompts suggest a judgement; confirm it, or
override it with a reason."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from fieldwork.core.forms.loader import KeyQuestion
from fieldwork.ui.review.widgets import ANSWER_KEYS, JUDGEMENT_WORDS, QuestionRow, answer_buttons
from fieldwork.ui.widgets.labels import plain_label


class ReasonBox(QLineEdit):
    """The reason for overriding a suggested judgement; Esc cancels the override."""

    cancelled = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.cancelled.emit()
            return
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()  # a line edit passes Enter on; the row would take it as confirm


class JudgementRow(QuestionRow):
    """A key question's judgement: the prompts suggest it; confirm it, or override it with
    a reason. Enter confirms the suggestion; Y, N or A pick a judgement."""

    takes_keys = True
    judged = Signal(str, object, str)  # key question id, value, reason ("" to confirm)

    def __init__(self, kq: KeyQuestion, parent: QWidget | None = None) -> None:
        super().__init__(kq.judgement, parent)
        self.kq = kq
        self.setProperty("judgement", True)
        self.setAccessibleName(f"Judgement: {kq.text}")
        self.text_label.setText("Judgement: is this met?")
        font = self.text_label.font()
        font.setBold(True)
        self.text_label.setFont(font)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.suggested: str | None = None
        self.applies = True
        self.reason_text: str | None = None
        box, self.buttons = answer_buttons(("yes", "no", "na"), self, self._clicked)
        self.grid.addLayout(box, 0, 2, Qt.AlignmentFlag.AlignVCenter)
        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        self.suggestion = plain_label()  # wraps: a long message never squeezes the reason
        self.confirm = QPushButton("Confirm suggestion")
        self.confirm.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Enter on the row confirms
        self.confirm.clicked.connect(self.confirm_suggestion)
        self.reason = ReasonBox(self)
        self.reason.cancelled.connect(self.cancel_override)
        self.reason.setObjectName(f"{kq.id}/reason")
        self.reason.setPlaceholderText("Reason for overriding the suggestion (required)")
        self.reason.setAccessibleName(f"Reason for the judgement on {kq.id}")
        self.reason.returnPressed.connect(self._reason_done)
        self.reason.editingFinished.connect(self._reason_left)
        self.reason.hide()
        self._override: str | None = None  # judgement chosen, waiting for a reason
        line.addWidget(self.suggestion, 1)
        line.addWidget(self.confirm)
        below = QVBoxLayout()  # the reason on a line of its own, the row's full width
        below.setContentsMargins(0, 0, 0, 0)
        below.addLayout(line)
        below.addWidget(self.reason)
        self.grid.addLayout(below, 1, 1, 1, 2)

    def set_suggestion(self, suggested: str | None, applies: bool) -> None:
        self.suggested, self.applies = suggested, applies
        if not applies:
            text = "Not applicable: no prompt applies."
        elif suggested is None:
            text = "Answer the prompts to get a suggestion."
        else:
            text = f"Suggested: {JUDGEMENT_WORDS[suggested]}"
            if self.value is not None and self.value != suggested and not self.reason_text:
                text += " (differs from the judgement: confirm or give a reason)"
        self.suggestion.setText(text)
        self.confirm.setVisible(
            suggested is not None and self.value != suggested and not self.read_only
        )
        if suggested is not None:
            self.confirm.setText(f"Confirm {JUDGEMENT_WORDS[suggested]}")

    def set_value(self, value: Any) -> None:
        self.value = value
        for choice, button in self.buttons.items():
            button.setChecked(choice == value)
        self.set_suggestion(self.suggested, self.applies)

    def set_reason(self, reason: str | None) -> None:
        self.reason_text = reason
        if self._override is None:
            self.reason.setText(reason or "")
            self.reason.setVisible(bool(reason))
            self.reason.setReadOnly(bool(reason))

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.reason.setReadOnly(read_only)
        self.set_suggestion(self.suggested, self.applies)

    def is_answered(self) -> bool:
        return self.value is not None or not self.applies

    def confirm_suggestion(self) -> None:
        if self.suggested is not None and not self.read_only:
            self._choose(self.suggested)

    def _clicked(self, choice: str) -> None:
        if self.read_only:
            self.set_value(self.value)
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self.set_value(self.value)  # the button shows the stored value until it is written
        self._choose(choice)

    def _choose(self, value: str, by_key: bool = False) -> None:
        if self.suggested is None or value == self.suggested:
            self._end_override()
            self.judged.emit(self.qid, value, "")
            if by_key:
                self.move_focus.emit(self.qid, 1)
            return
        # An override needs a reason before it is written.
        self._override = value
        for choice, button in self.buttons.items():
            button.setChecked(choice == value)
        self.reason.setReadOnly(False)
        self.reason.clear()
        self.reason.show()
        self.suggestion.setText(
            f"Suggested: {JUDGEMENT_WORDS[self.suggested]}. Give a reason for "
            f"{JUDGEMENT_WORDS[value]} and press Enter (Esc cancels)."
        )
        self.reason.setFocus(Qt.FocusReason.OtherFocusReason)

    def _reason_done(self) -> None:
        if self._override is None:
            return
        text = self.reason.text().strip()
        if not text:
            self.suggestion.setText("A reason is required to override the suggestion.")
            return
        value = self._override
        self._override = None
        self.judged.emit(self.qid, value, text)
        if self.reason.hasFocus():  # Enter in the reason box: on to the next question
            self.move_focus.emit(self.qid, 1)

    def _reason_left(self) -> None:
        # Leaving the box with a reason typed records it; with none, the override is dropped.
        if self._override is not None and not self.reason.hasFocus():
            if self.reason.text().strip():
                self._reason_done()
            else:
                self._end_override()

    def _end_override(self) -> None:
        if self._override is not None:
            self._override = None
            self.set_reason(self.reason_text)
            self.set_value(self.value)

    def cancel_override(self) -> None:
        self._end_override()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if plain and key in ANSWER_KEYS:
            if not self.read_only:
                self._choose(ANSWER_KEYS[Qt.Key(key)], by_key=True)
            return
        if plain and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.value is not None and self.value == self.suggested:
                self.move_focus.emit(self.qid, 1)
            elif self.suggested is not None and not self.read_only:
                self._choose(self.suggested, by_key=True)
            return
        if plain and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            if not self.read_only and self.value is not None:
                self.judged.emit(self.qid, None, "")
            return
        if plain and key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self.move_focus.emit(self.qid, 1 if key == Qt.Key.Key_Down else -1)
            return
        super().keyPressEvent(event)
