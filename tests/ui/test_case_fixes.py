"""A case imported by mistake, in the Cases screen: Delete (or the context menu) removes
it, asking first when its review has answers; Correct case details… fixes organisation,
office and officer; Ctrl+Z undoes either. Checked on disk through a Store of its own."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from fieldwork.core.casework.cases import review_answer_count
from fieldwork.core.model import Case
from fieldwork.core.storage.store import Store
from fieldwork.ui.cases.table import ALL
from tests.ui.conftest import case_with_status

CTRL = Qt.KeyboardModifier.ControlModifier


def _on_disk(path: Path, case_id: str) -> Case | None:
    with Store.open(path) as store:
        return store.reads.case(case_id)


def _answers_on_disk(path: Path, case_id: str) -> int:
    with Store.open(path) as store:
        return review_answer_count(store, case_id)


def _cases_screen_on(window, case_id: str):
    screen = window.show_screen("Cases")
    screen.show_combo.setCurrentIndex(screen.show_combo.findData(ALL))
    screen.select_case(case_id)
    screen.table.setFocus()
    assert screen.selected_case_ids() == [case_id]
    return screen


def test_delete_asks_before_removing_a_reviewed_case_and_ctrl_z_brings_it_back(
    qtbot, window, demo_path
):
    case = case_with_status(demo_path, "complete")
    answers = _answers_on_disk(demo_path, case.id)
    assert answers > 0
    screen = _cases_screen_on(window, case.id)
    assert [a.text() for a in screen.table.actions()] == [
        "&Correct case details…",
        "&Remove case…",
    ]  # the table's context menu

    qtbot.keyClick(screen.table, Qt.Key.Key_Delete)
    dialog = screen.remove_dialog
    assert dialog is not None and dialog.isVisible()
    text = dialog.explanation.text()
    assert f"{answers} answers" in text and "Undo" in text and "ratings" in text
    qtbot.keyClick(dialog, Qt.Key.Key_Return)  # Enter is Cancel: nothing removed
    assert not dialog.isVisible() and _on_disk(demo_path, case.id) is not None

    qtbot.keyClick(screen.table, Qt.Key.Key_Delete)
    dialog = screen.remove_dialog
    assert dialog is not None
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert _on_disk(demo_path, case.id) is None
    assert screen.model.row_of(case.id) < 0
    assert window.undo_action.text().replace("&", "") == f"Undo remove case {case.ref}"

    qtbot.keyClick(screen.table, Qt.Key.Key_Z, CTRL)
    back = _on_disk(demo_path, case.id)
    assert back is not None and back.status == "complete"
    assert _answers_on_disk(demo_path, case.id) == answers
    assert screen.model.row_of(case.id) >= 0


def test_a_case_with_only_its_sample_details_is_removed_at_once(qtbot, window, demo_path):
    with Store.open(demo_path) as store:
        case_id = store.insert("cases", {"ref": "Z000009", "organisation": "NPS"})
        store.set_answer(case_id, "risk_level", "low")
    window.session.external_change()
    screen = _cases_screen_on(window, case_id)
    screen.remove_action.trigger()  # as the context menu does
    assert screen.remove_dialog is None
    assert _on_disk(demo_path, case_id) is None


def test_removing_the_case_under_review_and_undoing_it_gives_the_review_back(
    qtbot, window, demo_path
):
    case = case_with_status(demo_path, "draft", "complete")
    window.open_case(case.id)
    review = window.screen_named("Review")
    screen = _cases_screen_on(window, case.id)
    screen.remove_selected()
    qtbot.mouseClick(screen.remove_dialog.remove_button, Qt.MouseButton.LeftButton)
    assert review.case is None and review.showing.currentWidget() is review.empty
    assert not review.complete_button.isEnabled()  # the empty state: nothing to press
    window.undo_action.trigger()
    assert review.case is not None and review.case.id == case.id
    assert review.showing.currentWidget() is review.body and review.complete_button.isEnabled()


def test_correct_case_details_dialog_stores_organisation_office_and_officer(
    qtbot, window, demo_path
):
    case = case_with_status(demo_path, "not_started", "draft")
    other = "CRC" if case.organisation == "NPS" else "NPS"
    screen = _cases_screen_on(window, case.id)
    screen.correct_action.trigger()
    dialog = screen.correct_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.organisation.currentData() == case.organisation
    assert dialog.office.text() == (case.office or "")

    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    dialog.organisation.setFocus()
    qtbot.keyClicks(dialog.organisation, other)  # typing picks the item
    assert dialog.organisation.currentData() == other
    qtbot.keyClick(dialog.organisation, Qt.Key.Key_Tab)
    assert dialog.office.hasFocus()
    dialog.office.selectAll()
    qtbot.keyClicks(dialog.office, "Harbour Street")
    qtbot.keyClick(dialog.office, Qt.Key.Key_Tab)
    dialog.officer.selectAll()
    qtbot.keyClick(dialog.officer, Qt.Key.Key_Delete)
    qtbot.keyClick(dialog.officer, Qt.Key.Key_Return)

    fixed = _on_disk(demo_path, case.id)
    assert fixed is not None
    assert (fixed.organisation, fixed.office, fixed.officer) == (other, "Harbour Street", None)
    row = screen.model.row_of(case.id)
    assert screen.model.text(screen.model.cases[row], 2) == "Harbour Street"

    window.activateWindow()  # as the window manager does when the dialog closes
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    assert screen.table.hasFocus()
    qtbot.keyClick(screen.table, Qt.Key.Key_Z, CTRL)
    undone = _on_disk(demo_path, case.id)
    assert undone is not None
    assert (undone.organisation, undone.office, undone.officer) == (
        case.organisation,
        case.office,
        case.officer,
    )
