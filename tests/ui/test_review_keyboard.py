"""A whole review done with the keyboard alone, then found again on disk."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit

from fieldwork.core.storage.store import Store
from fieldwork.ui.review.judgement import JudgementRow
from fieldwork.ui.review.rows import LineRow, MultipleChoiceRow, SingleChoiceRow, YesNoRow
from fieldwork.ui.review.widgets import QuestionRow
from tests.ui.conftest import case_with_status, focused, stored_answers, stored_case

CTRL = Qt.KeyboardModifier.ControlModifier
TYPED = {"date": "2015-06-01", "number": "50"}


def row_of(widget) -> QuestionRow | None:
    while widget is not None and not isinstance(widget, QuestionRow):
        widget = widget.parentWidget()
    return widget


def open_from_case_list(qtbot, window, ref: str) -> None:
    """Ctrl+2, show all cases, type the reference, Enter: as a person would."""
    qtbot.keyClick(window, Qt.Key.Key_2, CTRL)
    cases = window.screen_named("Cases")
    cases.show_combo.setCurrentIndex(cases.show_combo.findData(""))
    cases.filter_box.setFocus()
    qtbot.keyClicks(cases.filter_box, ref)
    assert cases.proxy.rowCount() == 1
    qtbot.keyClick(cases.filter_box, Qt.Key.Key_Tab)  # on to the table
    cases.table.setFocus()
    cases.table.setCurrentIndex(cases.proxy.index(0, 0))
    qtbot.keyClick(cases.table, Qt.Key.Key_Return)
    assert window.current_screen() == "Review"


def test_whole_review_by_keyboard_then_found_on_disk(qtbot, window, demo_path):
    case = case_with_status(demo_path, "not_started", "draft")
    open_from_case_list(qtbot, window, case.ref)
    editor = window.screen_named("Review")
    assert editor.case_id == case.id
    first = editor.first_unanswered()
    assert row_of(focused()) is editor.rows[first]  # focus starts on the first unanswered

    pressed: dict[str, object] = {}
    for n in range(600):
        if stored_case(demo_path, case.id).status == "complete":
            break
        widget = focused()
        row = row_of(widget)
        if isinstance(row, YesNoRow) and widget is row and row.value is None:
            if row.question.type == "yes_no":
                before = row.value
                qtbot.keyClick(row, Qt.Key.Key_A)  # A does nothing on a yes/no question
                assert row.value == before and focused() is row
            key, value = Qt.Key.Key_Y, "yes"
            if row.question.type == "yes_no_na" and n % 7 == 0:
                key, value = Qt.Key.Key_A, "na"
            elif n % 5 == 0:
                key, value = Qt.Key.Key_N, "no"
            qtbot.keyClick(row, key)
            pressed[row.qid] = value
            assert focused() is not row  # moved on to the next visible question
        elif isinstance(row, JudgementRow) and widget is row and row.value is None:
            qtbot.keyClick(row, Qt.Key.Key_Return)  # confirm the suggested judgement
            pressed[row.qid] = row.value
        elif isinstance(row, SingleChoiceRow) and isinstance(widget, QComboBox):
            qtbot.keyClick(widget, Qt.Key.Key_Down)
            pressed[row.qid] = widget.currentData()
            qtbot.keyClick(widget, Qt.Key.Key_Tab)
        elif isinstance(row, LineRow) and isinstance(widget, QLineEdit) and not widget.text():
            qtbot.keyClicks(widget, TYPED[row.question.type])
            qtbot.keyClick(widget, Qt.Key.Key_Tab)
            pressed[row.qid] = (
                int(TYPED["number"]) if row.question.type == "number" else TYPED["date"]
            )
        elif isinstance(row, MultipleChoiceRow) and isinstance(widget, QCheckBox) and not row.value:
            qtbot.keyClick(widget, Qt.Key.Key_Space)
            pressed[row.qid] = row.value
        else:
            # Answered already, or a comment or note box: ask for completion, which
            # completes the review or puts the focus on the first problem.
            qtbot.keyClick(widget or window, Qt.Key.Key_Return, CTRL)
    assert stored_case(demo_path, case.id).status == "complete"
    assert len(pressed) > 40

    window.close()
    answers = stored_answers(demo_path, case.id)
    for qid, value in pressed.items():
        assert qid in answers, qid
        assert answers[qid].value == value, qid
    with Store.open(demo_path) as store:
        from fieldwork.core.casework import validation as review

        values = {q: a.value for q, a in answers.items() if a.value is not None}
        assert review.validate(store.reads.form(), values, {}) == []


def test_ctrl_enter_on_an_unfinished_review_shows_the_first_problem(qtbot, window, demo_path):
    case = case_with_status(demo_path, "not_started", "draft")
    window.open_case(case.id)
    editor = window.screen_named("Review")
    problems = list(editor.problems)
    assert problems
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)
    assert stored_case(demo_path, case.id).status != "complete"
    assert row_of(focused()) is editor.rows[problems[0].question_id]
    assert "Not complete" in window.statusBar().currentMessage()


def test_letters_in_a_comment_box_are_just_letters(qtbot, window, demo_path):
    case = case_with_status(demo_path, "not_started", "draft")
    window.open_case(case.id)
    editor = window.screen_named("Review")
    prompt = editor.form.sections[0].key_questions[0].prompts[0].id
    editor.focus_question(prompt)
    row = editor.rows[prompt]
    before = row.value
    row.comment.setFocus()
    qtbot.keyClicks(row.comment, "yna")
    assert row.comment.text() == "yna"
    assert row.value == before
    qtbot.keyClick(row.comment, Qt.Key.Key_Tab)  # leaving the box saves it
    assert stored_answers(demo_path, case.id)[prompt].comment == "yna"


def test_a_note_holding_markup_shows_literally(qtbot, window, demo_path):
    case = case_with_status(demo_path, "returned")
    hostile = "<b>x</b> <img src=x> &amp;"
    section = None
    with Store.open(demo_path) as store:
        section = store.reads.form().sections[0]
        store.set_answer(case.id, section.notes[0].id, hostile)
        store.update("cases", case.id, {"qa_comment": hostile})
    window.session.external_change()
    window.open_case(case.id)
    editor = window.screen_named("Review")
    editor.show_page(editor.page_of[section.notes[0].id])
    note = editor.rows[section.notes[0].id].edit
    assert isinstance(note, QPlainTextEdit)
    assert note.toPlainText() == hostile
    assert editor.banner.isVisible()
    assert editor.banner_text.textFormat() == Qt.TextFormat.PlainText
    assert hostile in editor.banner_text.text()


def test_qa_case_opens_read_only_and_can_be_returned(qtbot, window, demo_path):
    me = window.session.me
    case = case_with_status(demo_path, "complete")
    with Store.open(demo_path) as store:
        store.update("cases", case.id, {"qa_inspector": me})
    window.session.external_change()
    window.open_case(case.id)
    editor = window.screen_named("Review")
    assert editor.qa_mode and editor.read_only
    prompt = editor.form.sections[0].key_questions[0].prompts[0].id
    editor.focus_question(prompt)
    before = stored_answers(demo_path, case.id)[prompt].value
    qtbot.keyClick(editor.rows[prompt], Qt.Key.Key_N if before == "yes" else Qt.Key.Key_Y)
    assert stored_answers(demo_path, case.id)[prompt].value == before  # read-only
    qtbot.mouseClick(editor.return_button, Qt.MouseButton.LeftButton)
    assert stored_case(demo_path, case.id).status == "complete"  # a comment is required
    editor.qa_comment.setFocus()
    qtbot.keyClicks(editor.qa_comment, "Evidence the risk judgement.")
    qtbot.mouseClick(editor.return_button, Qt.MouseButton.LeftButton)
    stored = stored_case(demo_path, case.id)
    assert stored.status == "returned"
    assert stored.qa_comment == "Evidence the risk judgement."


def test_override_a_judgement_with_a_reason_by_keyboard(qtbot, window, demo_path):
    case = case_with_status(demo_path, "draft", "not_started")
    window.open_case(case.id)
    editor = window.screen_named("Review")
    kq = editor.form.sections[0].key_questions[0]
    for prompt in kq.prompts:  # all yes: the suggestion is yes
        editor.focus_question(prompt.id)
        if editor.rows[prompt.id].isVisible():
            qtbot.keyClick(editor.rows[prompt.id], Qt.Key.Key_Y)
    row = editor.rows[kq.id]
    editor.focus_question(kq.id)
    assert row.suggested == "yes"
    qtbot.keyClick(row, Qt.Key.Key_N)
    assert focused() is row.reason  # an override needs a reason first
    qtbot.keyClick(row.reason, Qt.Key.Key_Return)
    stored = stored_answers(demo_path, case.id).get(kq.id)
    assert stored is None or stored.value != "no"
    qtbot.keyClicks(row.reason, "Plan not shared with the person")
    qtbot.keyClick(row.reason, Qt.Key.Key_Return)
    stored = stored_answers(demo_path, case.id)[kq.id]
    assert (stored.value, stored.reason) == ("no", "Plan not shared with the person")
    editor.focus_question(kq.id)
    qtbot.keyClick(row, Qt.Key.Key_Return)  # one key confirms the suggestion again
    stored = stored_answers(demo_path, case.id)[kq.id]
    assert (stored.value, stored.reason) == ("yes", None)
