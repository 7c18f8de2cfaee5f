"""The row for each type of question: yes / no (/ N/A) with a comment, a choice of one,
a choice of several, a number, a date, and free text; `make_row` picks one.

A date is typed as 21/09/2015 or 2015-09-21 or picked from a calendar, shown as
21 Sep 2015 and stored ISO; a number box refuses letters (line_editors.py)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from fieldwork.core.casework import validation as review
from fieldwork.core.casework.dates import show_date
from fieldwork.core.forms.loader import Question
from fieldwork.ui.review.line_editors import CalendarButton, RowLine, number_validator
from fieldwork.ui.review.typed import ChoiceCombo
from fieldwork.ui.review.widgets import ANSWER_KEYS, QuestionRow, answer_buttons
from fieldwork.ui.widgets.autosave import TextAutosave


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
        box, self.buttons = answer_buttons(self.choices, self, self._clicked)
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


class SingleChoiceRow(QuestionRow):
    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        self.combo = ChoiceCombo(self)  # Up/Down move on; it changes only when opened
        self.combo.setAccessibleName(question.text)
        self.combo.addItem("— choose —", None)
        for c in question.choices:
            self.combo.addItem(c.label, c.id)
        self.combo.setMinimumWidth(220)
        self.combo.activated.connect(self._picked)
        self.combo.step.connect(lambda delta: self.move_focus.emit(self.qid, delta))
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
    """A number (or, as DateRow, a date), typed; written when the person leaves the box or
    presses Enter. A number box refuses letters as they are typed."""

    hint = "Enter a number."

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        self.line = RowLine(self)
        self.line.setAccessibleName(question.text)
        self.line.setMaximumWidth(220)
        self.line.editingFinished.connect(self._finished)
        self.line.step.connect(lambda delta: self.move_focus.emit(self.qid, delta))
        self.box = QHBoxLayout()
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.addWidget(self.line)
        self.grid.addLayout(self.box, 0, 2, Qt.AlignmentFlag.AlignVCenter)
        self.setFocusProxy(self.line)
        if question.type == "number":
            self.line.setPlaceholderText("number")
            self.line.setValidator(number_validator(self.line))

    def shown(self, value: Any) -> str:
        """The stored value as the box shows it."""
        return "" if value is None else str(value)

    def _finished(self) -> None:
        if self.read_only:
            return
        text = self.line.text().strip()
        if text == self.shown(self.value):
            self.set_error(None)
            return
        try:
            value = review.parse_cli_value(self.question, text)
        except ValueError:
            self.set_error(self.hint)
            return
        self.set_error(None)
        if value != self.value:
            self.answered.emit(self.qid, value)

    def set_value(self, value: Any) -> None:
        self.value = value
        if not self.line.hasFocus() or not self.line.isModified():
            self.line.setText(self.shown(value))
            self.line.setModified(False)

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.line.setReadOnly(read_only)

    def flush(self) -> None:
        if self.line.isModified():
            self._finished()
            self.line.setModified(False)


class DateRow(LineRow):
    """A date: typed as 21/09/2015, 2015-09-21 or 21 Sep 2015, or picked from a calendar;
    shown as 21 Sep 2015, stored as 2015-09-21."""

    hint = "Enter a date such as 21/09/2015 or 2015-09-21."

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        self.line.setPlaceholderText("e.g. 21/09/2015")
        self.line.setToolTip("Type a date such as 21/09/2015 or 2015-09-21")
        self.calendar_button = CalendarButton(question.text, self)
        self.calendar_button.setObjectName(f"{question.id}/calendar")
        self.calendar_button.clicked.connect(
            lambda: self.calendar_button.open_calendar(
                self.value if isinstance(self.value, str) else None
            )
        )
        self.calendar_button.picked.connect(self._picked)
        self.box.addWidget(self.calendar_button)

    def shown(self, value: Any) -> str:
        return show_date(value) if isinstance(value, str) else super().shown(value)

    def _picked(self, iso: str) -> None:
        if self.read_only:
            return
        self.line.setText(show_date(iso))
        self.line.setModified(False)
        self.set_error(None)
        if iso != self.value:
            self.answered.emit(self.qid, iso)
        self.line.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.calendar_button.setEnabled(not read_only)


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
    if question.type == "date":
        return DateRow(question, parent)
    if question.type == "number":
        return LineRow(question, parent)
    return TextRow(question, parent)
