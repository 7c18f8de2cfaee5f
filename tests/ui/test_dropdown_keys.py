"""A dropdown in the review editor does not change by accident (issue 11): Up and Down
move between questions, PageDown, End and the wheel do nothing, typing picks a choice."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from fieldwork.core.storage.store import Store
from fieldwork.ui.review.rows import SingleChoiceRow
from tests.ui.conftest import case_with_status, focused, stored_answers


def row_of(widget):
    while widget is not None and not hasattr(widget, "qid"):
        widget = widget.parentWidget()
    return widget


def test_down_on_a_dropdown_moves_on_and_stores_nothing(qtbot, window, demo_path):
    case = case_with_status(demo_path, "not_started", "draft")
    with Store.open(demo_path) as store:
        store.set_answer(case.id, "risk_level", "high")
        store.set_answer(case.id, "mappa_level", "level_1")
    window.session.external_change()
    window.open_case(case.id)
    editor = window.screen_named("Review")
    editor.show_page(0)  # the case details: built when first shown
    row = editor.rows["mappa_level"]
    assert isinstance(row, SingleChoiceRow)
    editor.focus_question("mappa_level")
    assert focused() is row.combo
    ops_before = window.store.audit.op_count()

    qtbot.keyClick(row.combo, Qt.Key.Key_Down)
    nxt = editor.nav[editor.nav.index("mappa_level") + 1]
    assert row_of(focused()) is editor.rows[nxt]  # moved on to the next question
    qtbot.keyClick(focused(), Qt.Key.Key_Up)
    assert focused() is row.combo  # and back
    for key in (Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_End, Qt.Key.Key_Home):
        row.combo.setFocus()
        qtbot.keyClick(row.combo, key)
    row.combo.setFocus()
    wheel = QWheelEvent(
        QPointF(5, 5), QPointF(row.combo.mapToGlobal(QPoint(5, 5))), QPoint(0, 0),
        QPoint(0, -120), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    QApplication.sendEvent(row.combo, wheel)
    assert row.combo.currentData() == "level_1"
    assert window.store.audit.op_count() == ops_before  # nothing written
    assert stored_answers(demo_path, case.id)["mappa_level"].value == "level_1"

    # Typed into, it does change: the first letters of a choice.
    row.combo.setFocus()
    label = next(c.label for c in row.question.choices if c.id != "level_1")
    qtbot.keyClicks(row.combo, label[:3])
    assert stored_answers(demo_path, case.id)["mappa_level"].value == row.combo.currentData()
    assert row.combo.currentData() != "level_1"
