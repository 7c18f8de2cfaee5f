"""Consent in the Findings screen: a quote from a person on probation who has not
consented is listed greyed with the reason and cannot be ticked as evidence; once consent
is recorded it can. What is stored is read back through a Store of its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from fieldwork.core.casework.consent import unusable_reason
from fieldwork.core.casework.interviews import create_interview, update_interview
from fieldwork.core.casework.quotes import mark_quote
from fieldwork.core.demo.generator import make_demo
from fieldwork.core.storage.store import Store
from fieldwork.ui.findings.panel import FindingsPanel
from fieldwork.ui.session import Session

NOTES = "She said the plan was written without her and nobody asked what she wanted."
WORDS = "the plan was written without her"


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[tuple[Path, Store, str, str]]:
    """A demo inspection with two quotes tagged 2.2: one from a person on probation who
    gave no consent, one from another who did. (path, store, unconsented, consented)"""
    path = tmp_path / "d.fieldwork"
    store = make_demo(path, cases=10, interviews=2, seed=1)
    quotes = []
    for consent in (False, True):
        interview = create_interview(store, "person")[0].row
        update_interview(store, interview, {"notes": NOTES, "consent": consent})
        start = NOTES.index(WORDS)
        quotes.append(
            mark_quote(store, interview, start, start + len(WORDS), WORDS, ["2.2 Planning"])[0].row
        )
    yield path, store, quotes[0], quotes[1]
    store.close()


@pytest.fixture
def panel(qtbot, demo) -> Iterator[FindingsPanel]:
    widget = FindingsPanel(Session(demo[1]), None)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.shutdown()


def _item(quotes: QListWidget, quote_id: str) -> tuple[int, QListWidgetItem]:
    for row in range(quotes.count()):
        if quotes.item(row).data(Qt.ItemDataRole.UserRole) == quote_id:
            return row, quotes.item(row)
    raise AssertionError(f"quote {quote_id} not listed")


def _linked(path: Path, finding_id: str) -> tuple[str, ...]:
    with Store.open(path) as stored:
        return next(f for f in stored.reads.findings() if f.id == finding_id).quote_ids


def test_a_quote_without_consent_is_shown_unusable_and_cannot_be_ticked(qtbot, demo, panel):
    path, store, unconsented, consented = demo
    editor = panel.findings
    editor.select_standard("2.2")
    editor.select_organisation("NPS")
    qtbot.mouseClick(editor.add_strength, Qt.MouseButton.LeftButton)
    finding = editor.current()
    assert finding is not None
    quotes = editor.quotes
    reason = unusable_reason(next(i for i in store.reads.interviews() if not i.consent))
    assert reason

    row, item = _item(quotes, unconsented)
    assert "Not usable in the report" in item.text() and reason in item.text()
    assert item.toolTip() == reason
    assert not item.flags() & Qt.ItemFlag.ItemIsUserCheckable
    grey = quotes.palette().color(QPalette.ColorRole.PlaceholderText)
    assert item.foreground().color() == grey

    quotes.setFocus()
    quotes.setCurrentRow(row)
    qtbot.keyClick(quotes, Qt.Key.Key_Space)
    qtbot.mouseClick(
        quotes.viewport(), Qt.MouseButton.LeftButton, pos=quotes.visualItemRect(item).center()
    )
    assert _item(quotes, unconsented)[1].checkState() == Qt.CheckState.Unchecked
    assert _linked(path, finding.id) == ()

    row, item = _item(quotes, consented)  # the one with consent is evidence as usual
    assert "Not usable" not in item.text() and item.flags() & Qt.ItemFlag.ItemIsUserCheckable
    quotes.setCurrentRow(row)
    qtbot.keyClick(quotes, Qt.Key.Key_Space)
    assert _linked(path, finding.id) == (consented,)


def test_consent_recorded_later_makes_the_quote_usable(qtbot, demo, panel):
    path, store, unconsented, _ = demo
    editor = panel.findings
    editor.select_standard("2.2")
    editor.select_organisation("NPS")
    qtbot.mouseClick(editor.add_strength, Qt.MouseButton.LeftButton)
    finding = editor.current()
    assert finding is not None
    interview = next(q.interview_id for q in store.reads.quotes() if q.id == unconsented)
    panel.session.act("Record consent", update_interview, interview, {"consent": True})
    row, item = _item(editor.quotes, unconsented)
    assert "Not usable" not in item.text() and not item.toolTip()
    editor.quotes.setFocus()
    editor.quotes.setCurrentRow(row)
    qtbot.keyClick(editor.quotes, Qt.Key.Key_Space)
    assert _linked(path, finding.id) == (unconsented,)
