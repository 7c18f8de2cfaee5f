"""Screens keep up with the file (issue 15, item 3): another writer's change (a second
connection, as a `fieldwork answer` from a terminal or the app's own worker makes) shows
on every screen within a second, without losing what is being typed; the Review screen
with no case open shows an empty state with no active button; status news expires."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton

from fieldwork.core.casework import answering
from fieldwork.core.storage.store import Store
from fieldwork.ui.review.rows import TextRow
from fieldwork.ui.shell import status
from tests.ui.conftest import case_with_status, open_window, stored_answers

CTRL = Qt.KeyboardModifier.ControlModifier


def answer_elsewhere(path, case_id: str, qid: str, value: object) -> None:
    """A second connection to the file writes, as `fieldwork answer` would from a terminal
    (in this process: a second process would wait for the app's file lock)."""
    with Store.open(path) as other:
        case = other.reads.case(case_id)
        assert case is not None
        answering.answer(other, case, qid, value)


def test_an_answer_written_elsewhere_shows_while_a_note_is_typed(qtbot, window, demo_path):
    case = case_with_status(demo_path, "not_started", "draft")
    window.open_case(case.id)
    editor = window.screen_named("Review")
    section = editor.form.sections[0]
    note = editor.rows[section.notes[0].id]
    assert isinstance(note, TextRow)
    editor.show_page(editor.page_of[note.qid])
    note.saver._timer.setInterval(60_000)  # a slow typist: nothing saved by a pause here
    note.edit.setFocus()
    qtbot.keyClicks(note.edit, "Typed while a teammate's answer arrives")
    prompt = section.key_questions[0].prompts[0]
    old = editor.rows[prompt.id].value
    new = "no" if old == "yes" else "yes"

    answer_elsewhere(demo_path, case.id, prompt.id, new)
    qtbot.waitUntil(lambda: editor.rows[prompt.id].value == new, timeout=1000)
    assert note.edit.toPlainText() == "Typed while a teammate's answer arrives"  # not lost
    assert note.edit.hasFocus()
    qtbot.keyClick(note.edit, Qt.Key.Key_Tab)  # leaving the box saves it
    stored = stored_answers(demo_path, case.id)
    assert stored[note.qid].value == "Typed while a teammate's answer arrives"
    assert stored[prompt.id].value == new


def test_every_screen_follows_a_change_made_elsewhere(qtbot, window, demo_path):
    case = case_with_status(demo_path, "not_started")
    qtbot.keyClick(window, Qt.Key.Key_2, CTRL)  # the Cases screen
    cases = window.screen_named("Cases")
    column = next(
        c
        for c in range(cases.model.columnCount())
        if cases.model.headerData(c, Qt.Orientation.Horizontal) == "Status"
    )

    def status_shown() -> str:
        return str(cases.model.index(cases.model.row_of(case.id), column).data())

    assert status_shown() == "Not started"
    answer_elsewhere(demo_path, case.id, "domestic_abuse", "yes")  # now a draft
    qtbot.waitUntil(lambda: "Draft" in status_shown(), timeout=1000)
    # The Overview, shown next, follows too.
    with Store.open(demo_path) as other:
        other.update("inspection", other.reads.inspection().id, {"name": "Renamed elsewhere"})
    qtbot.keyClick(window, Qt.Key.Key_1, CTRL)
    overview = window.screen_named("Overview")
    qtbot.waitUntil(lambda: overview.title.text().startswith("Renamed elsewhere"), timeout=1000)


def test_review_with_no_case_open_is_an_empty_state(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_3, CTRL)
    editor = window.screen_named("Review")
    assert editor.case is None
    assert editor.empty.isVisible() and "No case is open" in editor.empty.text()
    active = [b for b in editor.findChildren(QAbstractButton) if b.isVisible() and b.isEnabled()]
    assert active == []
    qtbot.keyClick(window, Qt.Key.Key_Return, CTRL)  # Ctrl+Enter does nothing
    assert editor.case is None


def test_a_case_deleted_elsewhere_leaves_the_empty_state(qtbot, window, demo_path):
    case = case_with_status(demo_path, "not_started")
    window.open_case(case.id)
    editor = window.screen_named("Review")
    assert not editor.empty.isVisible()
    with Store.open(demo_path) as other:
        other.delete("cases", case.id)
    qtbot.waitUntil(lambda: editor.empty.isVisible(), timeout=1000)
    assert editor.case is None


def test_status_news_expires(qtbot, demo_path, monkeypatch):
    monkeypatch.setattr(status, "NEWS_SHOWN_MS", 150)
    window = open_window(qtbot, demo_path)
    try:
        window.session.saved.emit("Saved at 10:00:00")
        window.session.saved.emit("Imported 1 bundle: 3 new changes.")
        assert window.saved_label.text() == "Imported 1 bundle: 3 new changes."
        qtbot.waitUntil(lambda: window.saved_label.text() == "Saved at 10:00:00", timeout=1000)
    finally:
        window.close()
