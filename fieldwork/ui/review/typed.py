"""Editors inside review rows that must not change an answer by accident.

`ChoiceCombo` is a dropdown that changes only when opened (Alt+Down, F4, Space, a click)
or typed into (the first letters of a choice). Up and Down move to the neighbouring
question, as they do on every other row, and the mouse wheel scrolls the page instead of
turning the answer: a closed QComboBox takes all three as "choose another item", which
once moved MAPPA from level 1 to level 3 and saved it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QWheelEvent
from PySide6.QtWidgets import QComboBox, QWidget

STEP_KEYS = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1}
# Keys a closed QComboBox would take as "choose another item": ignored here.
TURNING_KEYS = (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown, Qt.Key.Key_Home, Qt.Key.Key_End)


def _plain(event: QKeyEvent) -> bool:
    return not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier


class ChoiceCombo(QComboBox):
    """A dropdown that Up and Down leave alone (see the module's docstring)."""

    step = Signal(int)  # +1 / -1: the person wants the next / previous question

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        key = event.key()
        if _plain(event) and key in STEP_KEYS:
            self.step.emit(STEP_KEYS[Qt.Key(key)])
            event.accept()
            return
        if _plain(event) and key in TURNING_KEYS:
            event.accept()
            return
        super().keyPressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt's name)
        event.ignore()  # the page under it scrolls; the answer stays
