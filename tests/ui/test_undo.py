"""Undo and redo through the change log, from the Edit menu and the keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import case_with_status, focused, stored_answers

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def menu_text(action) -> str:
    return action.text().replace("&", "")


def test_undo_and_redo_an_answer(qtbot, window, demo_path):
    case = case_with_status(demo_path, "not_started", "draft")
    window.open_case(case.id)
    editor = window.screen_named("Review")
    prompt = editor.form.sections[0].key_questions[0].prompts[0]
    before = stored_answers(demo_path, case.id).get(prompt.id)
    before_value = before.value if before else None
    new = "no" if before_value == "yes" else "yes"
    editor.focus_question(prompt.id)
    row = editor.rows[prompt.id]
    qtbot.keyClick(row, Qt.Key.Key_N if new == "no" else Qt.Key.Key_Y)
    assert stored_answers(demo_path, case.id)[prompt.id].value == new
    # In the user's words: the question's number and the case, never an internal id.
    assert menu_text(window.undo_action) == f"Undo answer to {prompt.id} (case {case.ref})"
    assert window.undo_action.isEnabled()

    qtbot.keyClick(focused(), Qt.Key.Key_Z, CTRL)
    stored = stored_answers(demo_path, case.id).get(prompt.id)
    assert (stored.value if stored else None) == before_value
    assert row.value == before_value  # the editor shows it too
    assert menu_text(window.redo_action) == f"Redo answer to {prompt.id} (case {case.ref})"

    qtbot.keyClick(focused(), Qt.Key.Key_Z, CTRL | SHIFT)
    assert stored_answers(demo_path, case.id)[prompt.id].value == new
    assert row.value == new

    window.undo_action.trigger()  # the Edit menu does the same
    stored = stored_answers(demo_path, case.id).get(prompt.id)
    assert (stored.value if stored else None) == before_value


def test_ctrl_z_in_a_text_box_undoes_typing_only(qtbot, window, demo_path):
    case = case_with_status(demo_path, "not_started", "draft")
    window.open_case(case.id)
    editor = window.screen_named("Review")
    prompt = editor.form.sections[0].key_questions[0].prompts[0]
    editor.focus_question(prompt.id)
    row = editor.rows[prompt.id]
    qtbot.keyClick(row, Qt.Key.Key_Y)
    undo_before = window.session.undo_text()
    row.comment.setFocus()
    qtbot.keyClicks(row.comment, "abc")
    qtbot.keyClick(row.comment, Qt.Key.Key_Z, CTRL)
    assert row.comment.text() != "abc"  # the box's own undo
    assert window.session.undo_text() == undo_before
    assert stored_answers(demo_path, case.id)[prompt.id].value == "yes"
