"""The case table: filters, My cases, opening, allotting."""

from __future__ import annotations

from PySide6.QtCore import Qt

from fieldwork.core.storage.store import Store
from fieldwork.ui.cases.table import ALL, MINE
from tests.ui.conftest import stored_case


def test_filter_box_and_filters_count_rows(qtbot, window, demo_path):
    with Store.open(demo_path) as store:
        cases = store.reads.cases()
    screen = window.show_screen("Cases")
    screen.show_combo.setCurrentIndex(screen.show_combo.findData(ALL))
    assert screen.proxy.rowCount() == len(cases)

    screen.filter_box.setFocus()
    qtbot.keyClicks(screen.filter_box, "nps")
    nps = [c for c in cases if c.organisation == "NPS"]
    assert screen.proxy.rowCount() == len(nps) > 0
    assert screen.count_label.text() == f"{len(nps)} of {len(cases)} cases"

    screen.filter_box.clear()
    ref = cases[3].ref
    qtbot.keyClicks(screen.filter_box, ref[:5].lower())
    assert screen.proxy.rowCount() == sum(ref[:5] in c.ref for c in cases)

    screen.filter_box.clear()
    screen.status_combo.setCurrentIndex(screen.status_combo.findData("complete"))
    assert screen.proxy.rowCount() == sum(c.status == "complete" for c in cases)
    screen.org_combo.setCurrentIndex(screen.org_combo.findData("CRC"))
    assert screen.proxy.rowCount() == sum(
        c.status == "complete" and c.organisation == "CRC" for c in cases
    )


def test_status_shows_colour_and_text(window):
    screen = window.show_screen("Cases")
    index = screen.proxy.index(0, screen.model.columnCount() - 1)
    assert index.data(Qt.ItemDataRole.DisplayRole) in (
        "Not started",
        "Draft",
        "Complete",
        "Quality assured",
        "Returned",
    )
    assert index.data(Qt.ItemDataRole.DecorationRole) is not None


def test_lead_allots_cases_and_my_cases_follows(qtbot, window, demo_path):
    me = window.session.me
    screen = window.show_screen("Cases")
    screen.show_combo.setCurrentIndex(screen.show_combo.findData(ALL))
    screen.table.selectRow(0)
    picked = screen.selected_case_ids()
    assert len(picked) == 1
    me_action = next(a for a in screen.allot_button.menu().actions() if a.text().startswith("Siân"))
    me_action.trigger()
    assert stored_case(demo_path, picked[0]).inspector == me
    screen.show_combo.setCurrentIndex(screen.show_combo.findData(MINE))
    rows = range(screen.proxy.rowCount())
    shown = {screen.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 1) for r in rows}
    assert picked[0] in shown
    qa_action = next(a for a in screen.qa_button.menu().actions() if a.text().startswith("Siân"))
    screen.show_combo.setCurrentIndex(screen.show_combo.findData(ALL))
    screen.select_case(picked[0])
    qa_action.trigger()
    assert stored_case(demo_path, picked[0]).qa_inspector == me
    assert (
        window.undo_action.text()
        .replace("&", "")
        .startswith("Undo pick 1 case for quality assurance")
    )


def test_enter_opens_the_case(qtbot, window):
    screen = window.show_screen("Cases")
    screen.focus_table()
    index = screen.table.currentIndex()
    case_id = index.data(Qt.ItemDataRole.UserRole + 1)
    qtbot.keyClick(screen.table, Qt.Key.Key_Return)
    assert window.current_screen() == "Review"
    assert window.screen_named("Review").case_id == case_id
