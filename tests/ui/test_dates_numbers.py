"""Dates and numbers the way people type them (issue 15, item 5): driven with keys and
clicks in the real window, then checked on disk. (Dropdowns that Up and Down leave
alone: test_dropdown_keys.py.)"""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt

from fieldwork.core.storage.store import Store
from fieldwork.ui.review.rows import DateRow, LineRow
from tests.ui.conftest import case_with_status, focused, stored_answers


def open_case(window, demo_path, **answers):
    case = case_with_status(demo_path, "not_started", "draft")
    if answers:
        with Store.open(demo_path) as store:
            for qid, value in answers.items():
                store.set_answer(case.id, qid, value)
        window.session.external_change()
    window.open_case(case.id)
    editor = window.screen_named("Review")
    editor.show_page(0)  # the case details: built when first shown
    return case, editor


def row_of(widget):
    while widget is not None and not hasattr(widget, "qid"):
        widget = widget.parentWidget()
    return widget


def test_a_date_is_typed_the_uk_way_shown_one_way_and_stored_iso(qtbot, window, demo_path):
    case, editor = open_case(window, demo_path)
    row = editor.rows["start_date"]
    assert isinstance(row, DateRow)
    editor.focus_question("start_date")
    assert focused() is row.line
    row.line.selectAll()
    qtbot.keyClicks(row.line, "21/09/2015")
    qtbot.keyClick(row.line, Qt.Key.Key_Return)
    assert stored_answers(demo_path, case.id)["start_date"].value == "2015-09-21"
    row.line.clearFocus()
    qtbot.waitUntil(lambda: row.line.text() == "21 Sep 2015", timeout=1000)

    row.line.setFocus()
    row.line.selectAll()
    qtbot.keyClicks(row.line, "2015-09-20")
    qtbot.keyClick(row.line, Qt.Key.Key_Tab)
    assert stored_answers(demo_path, case.id)["start_date"].value == "2015-09-20"
    assert row.line.text() == "20 Sep 2015"

    row.line.setFocus()
    row.line.selectAll()
    qtbot.keyClicks(row.line, "next week")
    qtbot.keyClick(row.line, Qt.Key.Key_Return)
    assert row.error_label is not None and row.error_label.isVisible()
    assert "21/09/2015" in row.error_label.text()
    assert stored_answers(demo_path, case.id)["start_date"].value == "2015-09-20"


def test_a_date_is_picked_from_the_calendar(qtbot, window, demo_path):
    case, editor = open_case(window, demo_path, start_date="2015-09-21")
    row = editor.rows["start_date"]
    editor.focus_question("start_date")
    qtbot.mouseClick(row.calendar_button, Qt.MouseButton.LeftButton)
    calendar = row.calendar_button.calendar
    qtbot.waitUntil(calendar.isVisible, timeout=1000)
    assert calendar.selectedDate() == QDate(2015, 9, 21)  # opens on the stored date
    view = calendar.focusWidget() or calendar
    qtbot.keyClick(view, Qt.Key.Key_Left)  # the day before
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not calendar.isVisible(), timeout=1000)
    assert stored_answers(demo_path, case.id)["start_date"].value == "2015-09-20"
    assert row.line.text() == "20 Sep 2015"


def test_a_number_box_refuses_letters_as_they_are_typed(qtbot, window, demo_path):
    case, editor = open_case(
        window, demo_path, sentence_type="community_order", requirements=["unpaid_work"]
    )
    row = editor.rows["unpaid_work_hours"]
    assert isinstance(row, LineRow) and not isinstance(row, DateRow)
    assert editor.focus_question("unpaid_work_hours")
    row.line.selectAll()
    qtbot.keyClicks(row.line, "1a2b0 hours")
    assert row.line.text() == "120"
    qtbot.keyClick(row.line, Qt.Key.Key_Return)
    assert stored_answers(demo_path, case.id)["unpaid_work_hours"].value == 120
