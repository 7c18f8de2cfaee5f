"""The rows a review is built from: one per question, made from the form.

Yes / No / N/A prompts and key-question judgements are rows that take the keyboard
focus themselves: Y, N and A answer them (A only where not applicable is allowed),
Delete clears, Up and Down move. Other questions hand focus to their editor (a
combo box, check boxes, a line or a plain-text box). Rows only report what the person
did (`answered`, `commented`, ...); the editor writes it through the Session.
Everything a person typed is shown as plain text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFocusEvent, QKeyEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from fieldwork.core.casework import validation as review
from fieldwork.core.forms.loader import KeyQuestion, Question
from fieldwork.ui.widgets.autosave import TextAutosave
from fieldwork.ui.widgets.labels import in_error_colour, muted, plain_label

ANSWER_KEYS = {Qt.Key.Key_Y: "yes", Qt.Key.Key_N: "no", Qt.Key.Key_A: "na"}
YES_NO_LABELS = {"yes": "Yes", "no": "No", "na": "N/A"}
JUDGEMENT_WORDS = {"yes": "Yes", "no": "No", "na": "Not applicable"}


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
        self.text_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
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


def _answer_buttons(
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


class YesNoRow(QuestionRow):
    """A yes / no (/ not applicable) question with an optional comment.

    The comment box is made when first needed (the row gets focus, or a comment is
    stored): a long form builds much faster without a line edit per prompt.
    """

    takes_keys = True

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.choices = question.choice_ids()
        box, self.buttons = _answer_buttons(self.choices, self, self._clicked)
        self.grid.addLayout(box, 0, 2, Qt.AlignmentFlag.AlignVCenter)
        self.comment: QLineEdit | None = None
        self.comment_saver: TextAutosave | None = None

    def ensure_comment(self) -> QLineEdit:
        if self.comment is None:
            self.comment = QLineEdit(self)
            self.comment.setPlaceholderText("Comment (optional)")
            self.comment.setAccessibleName(f"Comment on {self.qid}")
            self.comment.setObjectName(f"{self.qid}/comment")
            self.comment.setReadOnly(self.read_only)
            self.comment_saver = TextAutosave(
                self.comment, lambda t: self.commented.emit(self.qid, t), self
            )
            self.comment.installEventFilter(self)
            self.grid.addWidget(self.comment, 1, 1, 1, 2)
            self.setTabOrder(self, self.comment)
        return self.comment

    def _show_comment(self) -> None:
        if self.comment is None:
            if not self.hasFocus():
                return
            self.ensure_comment()
        assert self.comment is not None
        wanted = bool(self.comment.text()) or self.hasFocus() or self.comment.hasFocus()
        if wanted != self.comment.isVisible():
            self.comment.setVisible(wanted)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self._show_comment()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.TabFocusReason:  # Tab goes into the comment
            QTimer.singleShot(0, self._show_comment)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.comment and event.type() == QEvent.Type.FocusOut:
            QTimer.singleShot(0, self._show_comment)
        return False

    def _clicked(self, choice: str) -> None:
        if self.read_only:
            self.set_value(self.value)
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self.answered.emit(self.qid, None if choice == self.value else choice)

    def set_value(self, value: Any) -> None:
        self.value = value
        for choice, button in self.buttons.items():
            button.setChecked(choice == value)

    def set_comment(self, comment: str | None) -> None:
        if comment and self.comment is None:
            self.ensure_comment()
        if self.comment_saver is not None:
            self.comment_saver.load(comment)
            self._show_comment()

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)  # buttons stay readable; clicks are ignored
        if self.comment is not None:
            self.comment.setReadOnly(read_only)

    def flush(self) -> None:
        if self.comment_saver is not None:
            self.comment_saver.flush()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if plain and key in ANSWER_KEYS:
            choice = ANSWER_KEYS[Qt.Key(key)]
            if choice in self.choices and not self.read_only:
                self.answered.emit(self.qid, choice)
                self.move_focus.emit(self.qid, 1)
            return  # A on a yes/no question does nothing
        if plain and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            if not self.read_only and self.value is not None:
                self.answered.emit(self.qid, None)
            return
        if plain and key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self.move_focus.emit(self.qid, 1 if key == Qt.Key.Key_Down else -1)
            return
        super().keyPressEvent(event)


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
        box, self.buttons = _answer_buttons(("yes", "no", "na"), self, self._clicked)
        self.grid.addLayout(box, 0, 2, Qt.AlignmentFlag.AlignVCenter)
        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        self.suggestion = plain_label(wrap=False)
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
        line.addWidget(self.suggestion)
        line.addWidget(self.confirm)
        line.addWidget(self.reason, 1)
        self.grid.addLayout(line, 1, 1, 1, 2)

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


class SingleChoiceRow(QuestionRow):
    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        self.combo = QComboBox(self)
        self.combo.setAccessibleName(question.text)
        self.combo.addItem("— choose —", None)
        for c in question.choices:
            self.combo.addItem(c.label, c.id)
        self.combo.setMinimumWidth(220)
        self.combo.activated.connect(self._picked)
        self.combo.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.grid.addWidget(self.combo, 0, 2, Qt.AlignmentFlag.AlignVCenter)
        self.setFocusProxy(self.combo)

    def _picked(self, index: int) -> None:
        value = self.combo.itemData(index)
        if self.read_only:
            self.set_value(self.value)
        elif value != self.value:
            self.answered.emit(self.qid, value)

    def set_value(self, value: Any) -> None:
        self.value = value
        index = self.combo.findData(value) if value is not None else 0
        self.combo.blockSignals(True)
        self.combo.setCurrentIndex(max(index, 0))
        self.combo.blockSignals(False)

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.combo.setEnabled(not read_only)


class MultipleChoiceRow(QuestionRow):
    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        box = QWidget(self)
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        for i, c in enumerate(question.choices):
            check = QCheckBox(c.label, box)
            check.setAccessibleName(f"{question.text}: {c.label}")
            check.toggled.connect(self._toggled)
            self.boxes[c.id] = check
            grid.addWidget(check, i // 3, i % 3)
        self.grid.addWidget(box, 1, 1, 1, 2)
        if self.boxes:
            self.setFocusProxy(next(iter(self.boxes.values())))
        self._loading = False

    def _toggled(self, _: bool) -> None:
        if self._loading:
            return
        if self.read_only:
            self.set_value(self.value)
            return
        picked = [cid for cid, box in self.boxes.items() if box.isChecked()]
        self.answered.emit(self.qid, picked or None)

    def set_value(self, value: Any) -> None:
        self.value = value
        chosen = set(value or ())
        self._loading = True
        for cid, box in self.boxes.items():
            box.setChecked(cid in chosen)
        self._loading = False

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        for box in self.boxes.values():
            box.setEnabled(not read_only)


class LineRow(QuestionRow):
    """A number or a date, typed; written when the person leaves the box or presses Enter."""

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        self.line = QLineEdit(self)
        self.line.setAccessibleName(question.text)
        self.line.setPlaceholderText("YYYY-MM-DD" if question.type == "date" else "number")
        self.line.setMaximumWidth(220)
        self.line.editingFinished.connect(self._finished)
        self.grid.addWidget(self.line, 0, 2, Qt.AlignmentFlag.AlignVCenter)
        self.setFocusProxy(self.line)

    def _finished(self) -> None:
        if self.read_only:
            return
        text = self.line.text().strip()
        try:
            value = review.parse_cli_value(self.question, text)
        except ValueError:
            self.set_error(
                "Enter a date as YYYY-MM-DD." if self.question.type == "date" else "Enter a number."
            )
            return
        self.set_error(None)
        if value != self.value:
            self.answered.emit(self.qid, value)

    def set_value(self, value: Any) -> None:
        self.value = value
        if not self.line.hasFocus() or not self.line.isModified():
            self.line.setText("" if value is None else str(value))
            self.line.setModified(False)

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.line.setReadOnly(read_only)

    def flush(self) -> None:
        if self.line.isModified():
            self._finished()
            self.line.setModified(False)


class NotesEdit(QPlainTextEdit):
    """A plain-text box in which Tab moves on (it is part of a form)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)


class TextRow(QuestionRow):
    """Free text (a text question, or a standard's strengths or areas for improvement)."""

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        self.id_label.hide()
        font = self.text_label.font()
        font.setBold(True)
        self.text_label.setFont(font)
        self.edit = NotesEdit(self)
        self.edit.setObjectName(f"{question.id}/text")
        self.edit.setAccessibleName(question.text)
        self.edit.setPlaceholderText("Type here; it is saved as you go.")
        self.edit.setMinimumHeight(70)
        self.edit.setMaximumHeight(140)
        self.saver = TextAutosave(
            self.edit, lambda t: self.answered.emit(self.qid, t or None), self
        )
        self.grid.addWidget(self.edit, 1, 0, 1, 3)
        self.setFocusProxy(self.edit)

    def set_value(self, value: Any) -> None:
        self.value = value
        self.saver.load(value if isinstance(value, str) else None)

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.edit.setReadOnly(read_only)

    def flush(self) -> None:
        self.saver.flush()


def make_row(question: Question, parent: QWidget | None = None) -> QuestionRow:
    if question.type in ("yes_no", "yes_no_na"):
        return YesNoRow(question, parent)
    if question.type == "single":
        return SingleChoiceRow(question, parent)
    if question.type == "multiple":
        return MultipleChoiceRow(question, parent)
    if question.type in ("number", "date"):
        return LineRow(question, parent)
    return TextRow(question, parent)
