"""Ratings honest about small samples (issue 15, item 6): in the app, a rating that rests
on fewer applicable cases than the minimum says "based on N cases" and is not painted in
its band's colour; a firm one keeps its colour."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from fieldwork.core import samples
from fieldwork.core.demo.generator import make_demo
from fieldwork.core.scoring import score_store
from fieldwork.core.storage.store import Store
from fieldwork.ui.widgets.colours import rating_colours
from tests.ui.conftest import open_window

CTRL = Qt.KeyboardModifier.ControlModifier


def small_and_firm(path: Path) -> tuple[str, str]:
    """(an organisation whose first standard rests on a small sample, one that is firm)."""
    with Store.open(path) as store:
        ratings = score_store(store)
    notes = {o.name: samples.standard_note(o.standards[0], 10) for o in ratings.organisations}
    small = next(name for name, note in notes.items() if note)
    firm = next(name for name, note in notes.items() if not note)
    return small, firm


def test_findings_and_overview_mark_ratings_on_few_cases(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "d.fieldwork"
    store = make_demo(path, cases=30, interviews=2, seed=1)
    # Reopen most of one organisation's complete reviews: it now rests on a few cases.
    crc = [c for c in store.reads.cases() if c.organisation == "CRC" and c.status == "complete"]
    for case in crc[3:]:
        store.update("cases", case.id, {"status": "draft"})
    store.close()
    small, firm = small_and_firm(path)
    assert small == "CRC"

    window = open_window(qtbot, path)
    try:
        qtbot.keyClick(window, Qt.Key.Key_6, CTRL)  # Findings
        panel = window.screen_named("Findings")
        table = panel.ratings
        rows = {table.verticalHeaderItem(r).text(): r for r in range(table.rowCount())}
        cell = table.item(rows[small], 0)
        assert "based on " in cell.text() and " cases" in cell.text()
        assert cell.background().style() == Qt.BrushStyle.NoBrush  # no band colour
        assert cell.font().italic()
        assert "Not firm" in cell.toolTip()
        firm_cell = table.item(rows[firm], 0)
        assert "based on" not in firm_cell.text()
        bands = [b.rating for b in score_store(window.store).bands]
        assert firm_cell.background().color().name() == rating_colours(firm_cell.text(), bands)[0]

        qtbot.keyClick(window, Qt.Key.Key_1, CTRL)  # Overview
        overview = window.screen_named("Overview")
        qtbot.waitUntil(lambda: overview.scores.rowCount() > 0, timeout=2000)
        headers = [
            overview.scores.horizontalHeaderItem(c).text()
            for c in range(overview.scores.columnCount())
        ]
        column = headers.index(small)
        text = overview.scores.item(0, column).text()
        assert "based on" in text
        assert "Fewer than 10" in overview.scores.item(0, column).toolTip()
        assert "based on" not in overview.scores.item(0, headers.index(firm)).text()
    finally:
        window.close()
