"""The Interviews screen, driven as an inspector would: type notes, mark a quote, tag it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from fieldwork.core.storage.store import Store
from fieldwork.ui.interviews.editor import InterviewsScreen
from fieldwork.ui.interviews.quotes import from_qt, to_qt
from fieldwork.ui.session import Session

HOSTILE = "Said <b>x</b> then <img src=x> & left."


@pytest.fixture
def screen(qtbot, demo) -> InterviewsScreen:
    _, store = demo
    widget = InterviewsScreen(Session(store))
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def select_text(screen: InterviewsScreen, passage: str) -> None:
    text = screen.notes.toPlainText()
    start = text.index(passage)
    cursor = screen.notes.textCursor()
    cursor.setPosition(to_qt(text, start))
    cursor.setPosition(to_qt(text, start + len(passage)), QTextCursor.MoveMode.KeepAnchor)
    screen.notes.setTextCursor(cursor)


def new_interview_with_notes(qtbot, screen: InterviewsScreen, notes: str) -> str:
    qtbot.mouseClick(screen.new_button, Qt.MouseButton.LeftButton)
    interview_id = screen.current_interview_id()
    assert interview_id
    screen.notes.setFocus()
    qtbot.keyClicks(screen.notes, notes)
    store = screen.store
    qtbot.waitUntil(lambda: store.reads.interview(interview_id).notes == notes, timeout=3000)
    return interview_id


def test_mark_quote_with_tags_is_stored(qtbot, demo, screen):
    path, store = demo
    interview_id = new_interview_with_notes(
        qtbot, screen, "We met at the office. The plan was written with the person. Good."
    )
    select_text(screen, "The plan was written with the person.")
    assert screen.mark_button.isEnabled()
    qtbot.mouseClick(screen.mark_button, Qt.MouseButton.LeftButton)
    dialog = screen.tag_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.standard.setCurrentIndex(dialog.standard.findText("2.2 Planning"))
    qtbot.keyClicks(dialog.theme, "Engagement with the person")
    qtbot.mouseClick(
        dialog.findChild(type(screen.mark_button), "quoteOk"), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: screen.quote_list.list.count() == 1)
    shown = screen.quote_list.list.item(0).text()
    assert "The plan was written with the person." in shown
    assert "2.2 Planning" in shown and "Engagement with the person" in shown

    store.close()
    with Store.open(path) as again:
        (quote,) = again.reads.quotes(interview_id)
        notes = again.reads.interview(interview_id).notes
        assert quote.text == "The plan was written with the person."
        assert notes[quote.start : quote.end] == quote.text
        assert set(quote.tags) == {"2.2 Planning", "Engagement with the person"}


def test_ctrl_m_and_context_action_mark_quote(qtbot, screen):
    new_interview_with_notes(qtbot, screen, "Alpha beta gamma.")
    select_text(screen, "beta")
    screen.activateWindow()
    qtbot.keyClick(screen.notes, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: screen.tag_dialog is not None)
    screen.tag_dialog.reject()
    qtbot.waitUntil(lambda: screen.tag_dialog is None)
    assert screen.quote_list.list.count() == 0  # cancelled: nothing stored
    assert screen.mark_action in screen.notes.actions() or screen.mark_action in screen.actions()


def test_notes_autosave_once_per_pause_and_flush(qtbot, screen):
    store = screen.store
    interview_id = new_interview_with_notes(qtbot, screen, "First line")
    before = len(store.audit.history("interviews", interview_id, "notes"))
    qtbot.keyClicks(screen.notes, " more")
    screen.flush()  # saved at once, not after the pause
    assert store.reads.interview(interview_id).notes == "First line more"
    assert len(store.audit.history("interviews", interview_id, "notes")) == before + 1
    qtbot.wait(1000)  # the pending pause finds nothing new to save
    screen.notes.clearFocus()
    screen.flush()
    assert len(store.audit.history("interviews", interview_id, "notes")) == before + 1


def test_notes_save_on_focus_out(qtbot, screen):
    store = screen.store
    interview_id = new_interview_with_notes(qtbot, screen, "x")
    qtbot.keyClicks(screen.notes, "yz")
    screen.title.setFocus()
    qtbot.waitUntil(lambda: store.reads.interview(interview_id).notes == "xyz", timeout=500)


def test_markup_in_notes_is_shown_literally(qtbot, screen):
    interview_id = new_interview_with_notes(qtbot, screen, HOSTILE)
    assert screen.notes.toPlainText() == HOSTILE
    screen.title.setText("<b>bold?</b>")
    screen.title.editingFinished.emit()
    index = screen.model.index(screen.model.row_of(interview_id))
    assert "<b>bold?</b>" in index.data()
    select_text(screen, "<img src=x>")
    screen.mark_selection()
    screen.tag_dialog.accept()
    qtbot.waitUntil(lambda: screen.quote_list.list.count() == 1)
    assert "“<img src=x>”" in screen.quote_list.list.item(0).text()


def test_clicking_a_quote_selects_its_passage(qtbot, screen):
    quote = screen.quote_list.quotes()[0]
    item = screen.quote_list.list.item(0)
    rect = screen.quote_list.list.visualItemRect(item)
    qtbot.mouseClick(
        screen.quote_list.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
    )
    cursor = screen.notes.textCursor()
    text = screen.notes.toPlainText()
    assert from_qt(text, cursor.selectionStart()) == quote.start
    assert (
        text[from_qt(text, cursor.selectionStart()) : from_qt(text, cursor.selectionEnd())]
        == quote.text
    )


def test_remove_quote_and_undo(qtbot, screen):
    store = screen.store
    interview_id = screen.current_interview_id()
    count = len(store.reads.quotes(interview_id))
    screen.quote_list.list.setCurrentRow(0)
    qtbot.mouseClick(screen.quote_list.remove, Qt.MouseButton.LeftButton)
    assert len(store.reads.quotes(interview_id)) == count - 1
    assert screen.quote_list.list.count() == count - 1
    assert screen.session.undo()
    assert screen.quote_list.list.count() == count


def test_open_interview_selects_passage(qtbot, screen):
    store = screen.store
    last = store.reads.interviews()[-1]
    quote = store.reads.quotes(last.id)[0]
    assert screen.open_interview(last.id, select=(quote.start, quote.end))
    assert screen.current_interview_id() == last.id
    assert screen.notes.textCursor().selectedText() == quote.text
    assert screen.title.text() == last.title


def test_edit_fields_link_case_delete_and_undo(qtbot, screen):
    store = screen.store
    interview_id = new_interview_with_notes(qtbot, screen, "Notes")
    screen.kind.setCurrentIndex(screen.kind.findData("person"))
    assert store.reads.interview(interview_id).kind == "person"
    assert screen.consent.isVisibleTo(screen)
    screen.consent.setFocus()
    qtbot.keyClick(screen.consent, Qt.Key.Key_Space)
    assert store.reads.interview(interview_id).consent is True
    screen.organisation.setCurrentIndex(screen.organisation.findData("CRC"))
    assert store.reads.interview(interview_id).organisation == "CRC"
    screen.title.clear()
    qtbot.keyClicks(screen.title, "Person on probation, Glanmor")
    qtbot.keyClick(screen.title, Qt.Key.Key_Return)
    assert store.reads.interview(interview_id).title == "Person on probation, Glanmor"

    case = store.reads.cases()[3]
    qtbot.keyClicks(screen.case_ref, case.ref.lower())
    qtbot.keyClick(screen.case_ref, Qt.Key.Key_Return)
    assert store.reads.interview(interview_id).case_ids == (case.id,)
    assert screen.linked.item(0).text() == case.ref
    qtbot.keyClicks(screen.case_ref, "Z999999")
    qtbot.keyClick(screen.case_ref, Qt.Key.Key_Return)
    assert screen.link_error.isVisibleTo(screen)
    screen.linked.setCurrentRow(0)
    qtbot.mouseClick(screen.unlink_button, Qt.MouseButton.LeftButton)
    assert store.reads.interview(interview_id).case_ids == ()

    qtbot.mouseClick(screen.delete_button, Qt.MouseButton.LeftButton)
    assert store.reads.interview(interview_id) is None
    assert screen.model.row_of(interview_id) < 0
    assert screen.session.undo()
    assert screen.model.row_of(interview_id) >= 0


def test_undo_of_notes_updates_the_editor(qtbot, screen):
    interview_id = new_interview_with_notes(qtbot, screen, "one")
    qtbot.keyClicks(screen.notes, " two")
    screen.flush()
    screen.title.setFocus()
    assert screen.session.undo_text() == "Edit notes"
    assert screen.session.undo()
    assert screen.store.reads.interview(interview_id).notes == "one"
    assert screen.notes.toPlainText() == "one"


def test_filter_by_kind(qtbot, screen):
    screen.kind_filter.setCurrentIndex(screen.kind_filter.findData("officer"))
    rows = [screen.model.interview(r) for r in range(screen.model.rowCount())]
    assert rows and all(i.kind == "officer" for i in rows)
    screen.kind_filter.setCurrentIndex(0)
    assert screen.model.rowCount() == len(screen.store.reads.interviews())


def test_every_input_has_an_accessible_name(screen):
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QComboBox,
        QDateEdit,
        QLineEdit,
        QPlainTextEdit,
    )

    for kind in (
        QLineEdit,
        QComboBox,
        QDateEdit,
        QPlainTextEdit,
        QAbstractButton,
        QAbstractItemView,
    ):
        for widget in screen.findChildren(kind):
            if isinstance(widget, QLineEdit) and isinstance(
                widget.parent(), (QComboBox, QDateEdit)
            ):
                continue
            if widget.parent() is not None and widget.parent().inherits("QAbstractSpinBox"):
                continue
            if widget.window() is not screen:  # popups of combo boxes and completers
                continue
            assert widget.accessibleName() or (
                isinstance(widget, QAbstractButton) and widget.text()
            ), widget


def test_switching_interview_saves_pending_notes_and_keeps_the_choice(qtbot, screen):
    store = screen.store
    first = screen.current_interview_id()
    screen.notes.setFocus()
    screen.notes.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(screen.notes, " Added before switching.")
    screen.list.setFocus()  # notes saved on leaving them
    screen.date.setDate(screen.date.date().addDays(1))  # a date change waits for its pause
    other = screen.model.interview(2)
    rect = screen.list.visualRect(screen.model.index(2))
    qtbot.mouseClick(screen.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert store.reads.interview(first).notes.endswith(" Added before switching.")
    assert len(store.audit.history("interviews", first, "date")) == 2
    assert screen.current_interview_id() == other.id
    assert screen.list.currentIndex().row() == 2
    assert screen.notes.toPlainText() == other.notes
    assert screen.title.text() == other.title
