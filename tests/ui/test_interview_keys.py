"""The interview notes from the keyboard: after marking a quote the typing goes on in the
notes, and Home and End go to the start and end of the typed line, not the wrapped one."""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from fieldwork.ui.interviews.editor import InterviewsScreen
from tests.ui.conftest import focused
from tests.ui.test_interviews import new_interview_with_notes, select_text

LONG_LINE = (
    "The officer said the plan was written with the person and that they went through "
    "it together at the second appointment, with the risk of harm and the needs of the "
    "children in mind, and that it was reviewed when the circumstances changed."
)


def interviews(window) -> InterviewsScreen:
    return cast(InterviewsScreen, window.show_screen("Interviews"))


def test_after_marking_a_quote_by_keys_focus_is_back_in_the_notes(qtbot, window) -> None:
    screen = interviews(window)
    new_interview_with_notes(qtbot, screen, "Alpha beta gamma.")
    select_text(screen, "beta")
    qtbot.keyClick(screen.notes, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: screen.tag_dialog is not None and screen.tag_dialog.isVisible())
    dialog = screen.tag_dialog
    qtbot.keyClicks(dialog.theme, "Planning")
    qtbot.keyClick(dialog.theme, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.quote_list.list.count() == 1)
    qtbot.waitUntil(lambda: focused() is screen.notes, timeout=2000)
    qtbot.keyClicks(focused(), " Delta")  # typing goes on where the passage ended
    assert screen.notes.toPlainText() == "Alpha beta Delta gamma."


def test_after_the_mark_button_or_a_cancel_focus_is_back_in_the_notes(qtbot, window) -> None:
    screen = interviews(window)
    new_interview_with_notes(qtbot, screen, "Alpha beta gamma.")
    select_text(screen, "gamma")
    qtbot.mouseClick(screen.mark_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.tag_dialog is not None and screen.tag_dialog.isVisible())
    qtbot.keyClick(screen.tag_dialog.theme, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: screen.tag_dialog is None)
    qtbot.waitUntil(lambda: focused() is screen.notes, timeout=2000)
    assert screen.quote_list.list.count() == 0


def test_home_and_end_work_on_the_typed_line(qtbot, window) -> None:
    screen = interviews(window)
    new_interview_with_notes(qtbot, screen, "First line.")
    notes = screen.notes
    for line in (LONG_LINE, "Last line."):
        qtbot.keyClick(notes, Qt.Key.Key_Return)
        qtbot.keyClicks(notes, line)
    text = notes.toPlainText()
    start = text.index(LONG_LINE)
    cursor = notes.textCursor()
    cursor.setPosition(start + LONG_LINE.index("children"))  # on a wrapped, later row
    notes.setTextCursor(cursor)
    line_start = QTextCursor(notes.document().findBlock(start))
    assert notes.cursorRect().top() > notes.cursorRect(line_start).top()  # a wrapped row
    qtbot.keyClick(notes, Qt.Key.Key_Home)
    assert notes.textCursor().position() == start
    qtbot.keyClick(notes, Qt.Key.Key_End)
    assert notes.textCursor().position() == start + len(LONG_LINE)
    qtbot.keyClick(notes, Qt.Key.Key_Home, Qt.KeyboardModifier.ShiftModifier)
    assert notes.textCursor().selectedText() == LONG_LINE
    qtbot.keyClick(notes, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert notes.textCursor().position() == 0  # Ctrl+Home: the start of the notes, as ever
