"""Editors for the typed rows of a review (beside typed.py's ChoiceCombo): dates and
numbers the way people type them.

- `RowLine`: a line whose Up and Down move between questions, as on every other row.
- `number_validator`: what a number box lets through while typing (letters are refused).
- `CalendarButton`: a button that opens a calendar and reports the day picked.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QPoint, QRegularExpression, Qt, Signal
from PySide6.QtGui import QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import QCalendarWidget, QLineEdit, QMenu, QToolButton, QWidget, QWidgetAction

from fieldwork.ui.review.typed import STEP_KEYS

NUMBER_PATTERN = r"[+-]?\d{0,15}(\.\d{0,15})?"


class RowLine(QLineEdit):
    """A line in a review row: Up and Down move to the neighbouring question."""

    step = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        key = event.key()
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if plain and key in STEP_KEYS:
            self.step.emit(STEP_KEYS[Qt.Key(key)])
            event.accept()
            return
        super().keyPressEvent(event)


def number_validator(parent: QWidget) -> QRegularExpressionValidator:
    """Digits, one point and a leading sign: a letter typed into a number box is refused."""
    return QRegularExpressionValidator(QRegularExpression(NUMBER_PATTERN), parent)


class CalendarButton(QToolButton):
    """Opens a calendar under the date box; `picked` carries the ISO date chosen."""

    picked = Signal(str)

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setText("Calendar…")
        self.setAccessibleName(f"Pick {name} from a calendar")
        self.setToolTip("Pick the date from a calendar")
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.menu_ = QMenu(self)
        self.calendar = QCalendarWidget(self.menu_)
        self.calendar.setObjectName("datePicker")
        self.calendar.setAccessibleName(f"Calendar for {name}")
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setGridVisible(True)
        self.calendar.activated.connect(self._chosen)  # Enter or a double click
        self.calendar.clicked.connect(self._chosen)
        action = QWidgetAction(self.menu_)
        action.setDefaultWidget(self.calendar)
        self.menu_.addAction(action)

    def open_calendar(self, current: str | None = None) -> None:
        """Show the calendar at `current` (ISO) or today, under the button."""
        day = QDate.currentDate()
        if current:
            try:
                d = dt.date.fromisoformat(current)
                day = QDate(d.year, d.month, d.day)
            except ValueError:
                pass
        self.calendar.setSelectedDate(day)
        # Under the button, right edges aligned: the date box sits at the right of its row.
        corner = self.mapToGlobal(self.rect().bottomRight())
        self.menu_.popup(corner - QPoint(self.menu_.sizeHint().width() - 1, 0))
        self.calendar.setFocus(Qt.FocusReason.PopupFocusReason)

    def _chosen(self, day: QDate) -> None:
        self.menu_.hide()
        self.picked.emit(dt.date(day.year(), day.month(), day.day()).isoformat())
