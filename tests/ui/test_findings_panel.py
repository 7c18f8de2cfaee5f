"""The Findings screen, driven as the lead inspector would: write findings, link quotes,
order recommendations, read the ratings, write the draft PDF; then check the file."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
)

from fieldwork.core.demo.generator import make_demo
from fieldwork.core.scoring import score_store
from fieldwork.core.storage.store import Store
from fieldwork.ui.findings.panel import FindingsPanel
from fieldwork.ui.session import Session
from fieldwork.ui.widgets.colours import rating_colours

HOSTILE = "Plans were <img src='/etc/passwd'> & <b>personal</b>"


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[tuple[Path, Store]]:
    path = tmp_path / "d.fieldwork"
    store = make_demo(path, cases=30, interviews=6, seed=1)
    yield path, store
    store.close()


@pytest.fixture
def panel(qtbot, demo, monkeypatch) -> Iterator[FindingsPanel]:
    monkeypatch.setenv("FIELDWORK_NO_VIEWER", "1")
    _, store = demo
    widget = FindingsPanel(Session(store), None)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.shutdown()


def click_row(qtbot, widget: QListWidget, row: int) -> None:
    rect = widget.visualItemRect(widget.item(row))
    qtbot.mouseClick(widget.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def click_standard(qtbot, panel: FindingsPanel, standard_id: str) -> None:
    standards = panel.findings.standards
    for row in range(standards.count()):
        if standards.item(row).data(Qt.ItemDataRole.UserRole) == standard_id:
            click_row(qtbot, standards, row)
            return
    raise AssertionError(standard_id)


def reopen(path: Path) -> Store:
    return Store.open(path)


def squash(text: str) -> str:
    return " ".join(text.split())


def write_strength(qtbot, panel: FindingsPanel, text: str) -> str:
    editor = panel.findings
    click_standard(qtbot, panel, "2.2")
    editor.organisation.setCurrentIndex(editor.organisation.findText("NPS"))
    qtbot.mouseClick(editor.add_strength, Qt.MouseButton.LeftButton)
    finding = editor.current()
    assert finding is not None and finding.kind == "strength"
    assert editor.text.hasFocus()
    qtbot.keyClicks(editor.text, text)
    store = panel.store
    qtbot.waitUntil(
        lambda: any(f.id == finding.id and f.text == text for f in store.reads.findings()),
        timeout=3000,
    )
    return finding.id


def test_strength_for_a_standard_with_a_linked_quote(qtbot, demo, panel):
    path, _ = demo
    fid = write_strength(qtbot, panel, HOSTILE)
    quotes = panel.findings.quotes
    assert quotes.isEnabled() and quotes.count() > 0
    # Every quote offered carries a tag of standard 2.2.
    assert all("2.2 Planning" in quotes.item(i).text() for i in range(quotes.count()))
    quotes.setFocus()
    quotes.setCurrentRow(0)
    quote_id = quotes.item(0).data(Qt.ItemDataRole.UserRole)
    qtbot.keyClick(quotes, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: quotes.item(0).checkState() == Qt.CheckState.Checked)

    with reopen(path) as stored:
        finding = next(f for f in stored.reads.findings() if f.id == fid)
        assert (finding.standard_id, finding.organisation, finding.kind) == (
            "2.2",
            "NPS",
            "strength",
        )
        assert finding.text == HOSTILE
        assert finding.quote_ids == (quote_id,)
        # One op for the text per pause in typing, not one per key.
        assert len(stored.audit.history("findings", fid, "text")) <= 3
    # The list shows the text literally.
    assert any(
        HOSTILE in panel.findings.strengths.item(i).text()
        for i in range(panel.findings.strengths.count())
    )
    # Unticking unlinks.
    qtbot.keyClick(quotes, Qt.Key.Key_Space)
    qtbot.waitUntil(
        lambda: not next(f for f in panel.store.reads.findings() if f.id == fid).quote_ids
    )


def test_finding_saved_on_focus_out_and_flush(qtbot, demo, panel):
    path, _ = demo
    editor = panel.findings
    click_standard(qtbot, panel, "2.4")
    assert editor.org() == "NPS"  # per organisation by default
    editor.select_organisation(None)  # a joint finding
    qtbot.mouseClick(editor.add_improvement, Qt.MouseButton.LeftButton)
    fid = editor.current().id
    assert editor.heading.text() == "Area for improvement for every organisation"
    qtbot.keyClicks(editor.text, "Reviews were late")
    panel.flush()  # before the pause is over
    with reopen(path) as stored:
        finding = next(f for f in stored.reads.findings() if f.id == fid)
        assert (finding.text, finding.organisation, finding.kind) == (
            "Reviews were late",
            None,
            "improvement",
        )
    qtbot.mouseClick(editor.delete_button, Qt.MouseButton.LeftButton)
    assert all(f.id != fid for f in panel.store.reads.findings())


def test_three_recommendations_move_the_third_up(qtbot, demo, panel):
    path, store = demo
    before = len(store.reads.recommendations())
    panel.tabs.setCurrentIndex(1)
    recs = panel.recommendations
    for text in ("First new", "Second new", "Third new"):
        qtbot.mouseClick(recs.add_button, Qt.MouseButton.LeftButton)
        assert recs.text.hasFocus()
        qtbot.keyClicks(recs.text, text)
        recs.addressee.lineEdit().setFocus()
        qtbot.keyClicks(recs.addressee.lineEdit(), "Youth <court>")
        qtbot.keyClick(recs.addressee.lineEdit(), Qt.Key.Key_Return)
    recs.flush()
    assert recs.list.currentRow() == before + 2
    qtbot.mouseClick(recs.up_button, Qt.MouseButton.LeftButton)
    assert recs.list.currentRow() == before + 1
    assert recs.list.item(before + 1).text() == f"{before + 2}. Youth <court>: Third new"

    with reopen(path) as stored:
        got = stored.reads.recommendations()
        assert [r.position for r in got] == list(range(1, before + 4))
        assert [r.text for r in got[before:]] == ["First new", "Third new", "Second new"]
        assert {r.addressee for r in got[before:]} == {"Youth <court>"}

    # Delete the first: the rest close up.
    click_row(qtbot, recs.list, 0)
    qtbot.mouseClick(recs.delete_button, Qt.MouseButton.LeftButton)
    with reopen(path) as stored:
        got = stored.reads.recommendations()
        assert [r.position for r in got] == list(range(1, before + 3))
    assert panel.tabs.tabText(1) == f"Recommendations ({before + 2})"
    # Undo brings it back in place.
    panel.session.undo()
    assert [r.position for r in panel.store.reads.recommendations()] == list(range(1, before + 4))


def test_ratings_table_shows_score_store_and_refreshes(qtbot, demo, panel):
    _, store = demo
    ratings = score_store(store)
    rows = panel.ratings.texts()
    for org, row in zip(ratings.organisations, rows, strict=True):
        expected = [s.rating or "Not rated" for s in org.standards]
        expected.append(org.overall.rating or "Not rated")
        assert row[: len(expected)] == expected, (org.name, row, expected)
        assert row[-1].startswith(f"{org.cases_complete} counted")
        header = panel.ratings.verticalHeaderItem(rows.index(row)).text()
        assert header == org.name
    # Each rating cell is coloured, so the colour and the text say the same thing.
    item = panel.ratings.item(0, 0)
    assert item.background().color().name() != "#000000"

    case = next(c for c in store.reads.cases() if c.status in ("complete", "reviewed"))
    org = case.organisation
    was = ratings.organisation(org).cases_complete
    panel.session.act("Reopen case", Store.update, "cases", case.id, {"status": "draft"})
    row = [o.name for o in ratings.organisations].index(org)
    qtbot.waitUntil(
        lambda: panel.ratings.texts()[row][-1].startswith(f"{was - 1} counted"), timeout=2000
    )
    # Hidden, the screen scores nothing until it is shown again.
    panel.hide()
    panel.session.undo()
    qtbot.wait(300)
    assert panel.ratings.texts()[row][-1].startswith(f"{was - 1} counted")
    panel.show()
    assert panel.ratings.texts()[row][-1].startswith(f"{was} counted")


def test_undo_shows_the_earlier_text(qtbot, demo, panel):
    fid = write_strength(qtbot, panel, "First thoughts")
    editor = panel.findings.text
    qtbot.keyClicks(editor, " and more")
    panel.flush()
    assert (
        next(f for f in panel.store.reads.findings() if f.id == fid).text
        == "First thoughts and more"
    )
    assert panel.session.undo_text() == "Edit finding"
    panel.session.undo()
    assert editor.toPlainText() == "First thoughts"


def test_generate_pdf_in_the_worker(qtbot, demo, panel, tmp_path):
    write_strength(qtbot, panel, HOSTILE)
    panel.tabs.setCurrentIndex(1)
    recs = panel.recommendations
    qtbot.mouseClick(recs.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(recs.text, "Publish the rota for duty officers every week")
    out = tmp_path / "draft.pdf"
    with qtbot.waitSignal(panel.report_done, timeout=120_000) as done:
        assert panel.generate_pdf(str(out))
        assert panel.busy() and not panel.pdf_button.isEnabled()
    assert done.args == [str(out)]
    assert not panel.busy() and panel.pdf_button.isEnabled()
    text = squash("\n".join(page.extract_text() for page in PdfReader(out).pages))
    assert "Publish the rota for duty officers every week" in text
    assert squash(HOSTILE) in text


def test_cancel_pdf_writes_nothing(qtbot, demo, panel, tmp_path):
    out = tmp_path / "cancelled.pdf"
    failed: list[str] = []
    panel.report_failed.connect(failed.append)
    with qtbot.waitSignal(panel.report_failed, timeout=120_000):
        assert panel.generate_pdf(str(out))
        cancel = panel.tasks.dialog.findChild(QPushButton)
        assert cancel.text() == "Cancel"
        cancel.click()
    assert failed == [""]
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if re.match(r"\.cancelled\.pdf", p.name)]
    assert panel.pdf_button.isEnabled()


def in_combo(widget) -> bool:
    parent = widget.parent()
    while parent is not None:
        if isinstance(parent, QComboBox):
            return True
        parent = parent.parent()
    return False


def test_every_input_has_an_accessible_name(panel):
    for kind in (QAbstractButton, QAbstractItemView, QComboBox, QPlainTextEdit, QLineEdit):
        for widget in panel.findChildren(kind):
            if widget.objectName().startswith("qt_"):
                continue
            if in_combo(widget):
                continue  # a combo box's line edit and popup go by the combo box's name
            assert widget.accessibleName(), widget


def test_rating_colours_follow_the_bands():
    bands = ["Outstanding", "Good", "Requires improvement", "Inadequate"]
    colours = [rating_colours(b, bands) for b in bands]
    assert len(set(colours)) == 4
    assert rating_colours(None, bands) == rating_colours("Unknown", bands) != colours[-1]


def test_pdf_waits_for_other_work_and_asks_for_a_path(qtbot, demo, panel, tmp_path, monkeypatch):
    messages: list[str] = []
    panel.session.failed.connect(messages.append)
    gate = threading.Event()
    assert panel.tasks.run("Importing a bundle", lambda store, progress: gate.wait(5), print)
    assert not panel.pdf_button.isEnabled()
    assert not panel.generate_pdf(str(tmp_path / "x.pdf"))
    assert messages == ["Wait for “Importing a bundle” to finish first."]
    gate.set()
    qtbot.waitUntil(panel.pdf_button.isEnabled, timeout=5000)

    chosen = tmp_path / "chosen"
    monkeypatch.setattr(
        "fieldwork.ui.findings.panel.QFileDialog.getSaveFileName",
        lambda *a, **k: (str(chosen), "PDF (*.pdf)"),
    )
    with qtbot.waitSignal(panel.report_done, timeout=120_000) as done:
        qtbot.mouseClick(panel.pdf_button, Qt.MouseButton.LeftButton)
    assert done.args == [str(chosen) + ".pdf"]
    assert PdfReader(done.args[0]).pages
