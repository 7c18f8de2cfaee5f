"""Roles (issue 15, item 4): headquarters, added as a bundle recipient, is not an inspector.
It has no progress bar on the Overview, no place in the Cases screen's allotment menus
and no part in the team count; the lead, inspectors and local assessors are shown as
such."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from fieldwork.core.storage.store import Store
from fieldwork.core.sync import bundle
from fieldwork.core.sync.crypto import new_identity_file
from fieldwork.ui.cases.table import ALL
from tests.ui.conftest import open_window, stored_case

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def with_hq(demo_path: Path) -> Path:
    with Store.open(demo_path) as store:
        _, public = new_identity_file()
        bundle.add_recipient(store, public, "Headquarters")
        store.insert("members", {"name": "Ffion Local", "role": "local_assessor"})
    return demo_path


def test_headquarters_has_no_progress_bar_and_is_not_counted(qtbot, with_hq):
    window = open_window(qtbot, with_hq)
    try:
        qtbot.keyClick(window, Qt.Key.Key_1, CTRL)
        overview = window.screen_named("Overview")
        qtbot.waitUntil(lambda: bool(overview.findChildren(QLabel, "progressName")), timeout=2000)
        names = [label.text() for label in overview.findChildren(QLabel, "progressName")]
        assert not any("Headquarters" in n for n in names)
        assert "Ffion Local (local assessor)" in names
        facts = " | ".join(label.text() for label in overview.findChildren(QLabel))
        assert "1 lead inspector, 5 inspectors and 1 local assessor" in facts
        assert "Bundles also go to" in facts and "Headquarters" in facts
    finally:
        window.close()


def test_headquarters_is_in_no_allotment_menu(qtbot, with_hq):
    window = open_window(qtbot, with_hq)
    try:
        qtbot.keyClick(window, Qt.Key.Key_2, CTRL)
        screen = window.screen_named("Cases")
        screen.show_combo.setCurrentIndex(screen.show_combo.findData(ALL))
        screen.focus_table()
        qtbot.keyClick(screen.table, Qt.Key.Key_Down)
        qtbot.keyClick(screen.table, Qt.Key.Key_Up)
        picked = screen.selected_case_ids()
        assert len(picked) == 1
        for button in (screen.allot_button, screen.qa_button):
            texts = [a.text() for a in button.menu().actions() if a.text()]
            assert not any("Headquarters" in t for t in texts), texts
            assert "Siân Llŷr-Evans (lead inspector)" in texts
            assert "Ffion Local (local assessor)" in texts
        shows = [screen.show_combo.itemText(i) for i in range(screen.show_combo.count())]
        assert not any("Headquarters" in t for t in shows)
        ffion = next(
            a for a in screen.allot_button.menu().actions() if a.text().startswith("Ffion")
        )
        ffion.trigger()
        with Store.open(with_hq) as store:
            ffion_id = next(m.id for m in store.reads.members() if m.name == "Ffion Local")
        assert stored_case(with_hq, picked[0]).inspector == ffion_id
    finally:
        window.close()


def test_the_review_header_names_the_assessor_in_the_domains_words(qtbot, window):
    """A case is assessed and quality assured, never 'reviewed' (2.4 is Reviewing)."""
    case = next(c for c in window.store.reads.cases() if c.status == "complete")
    window.store.update("cases", case.id, {"qa_inspector": window.session.me})
    window.session.external_change()
    window.open_case(case.id)
    header = window.review_editor().details_label.text()
    assert "assessed by " in header and "quality assurance by " in header
    assert "reviewed" not in header and "QA" not in header


def test_the_screen_for_a_case_is_called_assessment(qtbot, window):
    """Ctrl+3 opens the Assessment screen; nothing a person reads calls it 'Review'."""
    from PySide6.QtGui import QAction

    labels = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert labels[2] == "Assessment" and "Review" not in labels
    view = [a.text().replace("&", "") for a in window.findChildren(QAction)]
    assert "Assessment" in view and "Review" not in view
    qtbot.keyClick(window, Qt.Key.Key_3, CTRL)
    assert window.current_screen() == "Review"  # its name in code
