"""The app says things in the user's words (issue 15, item 1), driven as a person would:
a conflict card names the case, the question and the values by label with who wrote
each, and takes a new value picked or typed; the Problems list gives the question's
text; the case import takes labels and lists problems in file order."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from fieldwork.core.casework import answering, conflicts
from fieldwork.core.storage.store import Store
from fieldwork.core.sync import bundle
from fieldwork.ui.cases.case_import import CaseImportDialog
from fieldwork.ui.session import Session
from fieldwork.ui.sync.panel import SyncPanel
from tests.conftest import new_store
from tests.ui.conftest import case_with_status, focused


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Store, Store, str]]:
    """The lead and a teammate answered MAPPA level and the start date differently; the
    lead's bundle waits to be imported on the teammate's laptop."""
    lead = new_store(tmp_path / "lead.fieldwork", author_name="Gwen Pryce")
    case_id = lead.insert("cases", {"ref": "A488417", "organisation": "NPS"})
    bundle.export_bundle(lead, tmp_path / "setup.bundle")
    mate, _ = bundle.join_from_bundle(
        tmp_path / "setup.bundle", tmp_path / "mate.fieldwork", None, member_name="Sam Ellis"
    )
    for store, mappa, start in ((lead, "level_1", "2015-09-21"), (mate, "level_2", "2015-09-22")):
        case = store.reads.case(case_id)
        assert case is not None
        answering.answer(store, case, "mappa_level", mappa)
        answering.answer(store, case, "start_date", start)
    bundle.export_bundle(lead, tmp_path / "lead.bundle")
    yield lead, mate, case_id
    lead.close()
    mate.close()


@pytest.fixture
def panel(qtbot, pair, tmp_path: Path) -> Iterator[SyncPanel]:
    _, mate, _ = pair
    p = SyncPanel(Session(mate))
    p.tasks.show_dialogs = False
    qtbot.addWidget(p)
    p.resize(1100, 900)
    p.show()
    qtbot.waitExposed(p)
    with qtbot.waitSignal(p.imported, timeout=20_000):  # through the worker, as a person does
        assert p.import_bundles([str(tmp_path / "lead.bundle")])
    yield p
    p.shutdown()


def card_about(panel: SyncPanel, what: str):
    return next(c for c in panel.card_widgets if c.words.what == what)


def test_a_conflict_card_speaks_in_labels_and_names(panel: SyncPanel, pair) -> None:
    _, mate, _ = pair
    card = card_about(panel, "MAPPA level")
    assert card.title.text() == "Case A488417: MAPPA level"
    sides = [label.text() for label in card.side_labels]
    assert sorted(sides) == ["A: Level 1", "B: Level 2"] or sorted(sides) == [
        "A: Level 2",
        "B: Level 1",
    ]
    shown = " ".join(label.text() for label in card.findChildren(QLabel))
    assert "Gwen Pryce" in shown and "Sam Ellis" in shown
    assert "level_" not in shown
    for c in mate.reads.conflicts():
        for head in c.heads:
            assert head.device[:8] not in shown and head.author[:8] not in shown
    for label in card.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText  # teammates' text, never markup
    assert [b.text() for b in card.buttons] == ["Take A", "Take B"]
    dates = card_about(panel, "Start date of the order, or release date")
    assert sorted(label.text()[3:] for label in dates.side_labels) == ["21 Sep 2015", "22 Sep 2015"]


def test_a_new_value_is_picked_on_the_card(qtbot, panel: SyncPanel, pair) -> None:
    _, mate, case_id = pair
    card = card_about(panel, "MAPPA level")
    assert card.picker is not None
    card.picker.setFocus()
    qtbot.keyClick(card.picker, Qt.Key.Key_End)  # the last choice: Level 3
    assert card.picker.currentText() == "Level 3"
    qtbot.mouseClick(card.use_button, Qt.MouseButton.LeftButton)
    assert mate.reads.answers(case_id)["mappa_level"].value == "level_3"
    assert panel.session.undo_text() == "resolve the conflict on MAPPA level (case A488417)"
    assert all(c.words.what != "MAPPA level" for c in panel.card_widgets)


def test_a_typed_value_the_form_refuses_stores_nothing(qtbot, panel: SyncPanel, pair) -> None:
    _, mate, case_id = pair
    card = card_about(panel, "Start date of the order, or release date")
    assert card.typed is not None
    before = mate.audit.dump()
    card.typed.setFocus()
    qtbot.keyClicks(card.typed, "soon")
    qtbot.keyClick(card.typed, Qt.Key.Key_Return)
    assert card.error.isVisibleTo(card) and "takes a date" in card.error.text()
    assert mate.audit.dump() == before
    card.typed.clear()
    qtbot.keyClicks(card.typed, "23/09/2015")
    qtbot.keyClick(card.typed, Qt.Key.Key_Return)
    assert mate.reads.answers(case_id)["start_date"].value == "2015-09-23"  # stored ISO
    assert not any(
        conflicts.question_id_of(mate, c) == "start_date" for c in mate.reads.conflicts()
    )


def test_the_problems_list_gives_the_question_text(qtbot, window, demo_path) -> None:
    case = case_with_status(window.store.path, "not_started", "draft")
    window.open_case(case.id)
    editor = window.screen_named("Review")
    assert editor.problems
    first = editor.problems[0]
    item = editor.problems_list.item(0)
    question = editor.form.question(first.question_id) or editor.form.key_question(
        first.question_id
    )
    assert question is not None
    assert question.text in item.text() and first.message in item.text()
    qtbot.keyClick(focused(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    message = window.statusBar().currentMessage()
    assert message.startswith("Not complete yet") and "/" not in message.split(";")[1]


def test_the_case_import_takes_labels_and_says_one_case(qtbot, tmp_path: Path, demo) -> None:
    path, store = demo
    dialog = CaseImportDialog(Session(store), None)
    qtbot.addWidget(dialog)
    dialog.show()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "ref,organisation,sentence_type\n"
        "Z000001,NPS,Community Order\n"
        "Z000002,NPS,Community Disorder\n"
        "Z000003,Nowhere,Licence\n",
        encoding="utf-8",
    )
    assert dialog.load(bad) is False
    errors = [dialog.errors.item(i).text() for i in range(dialog.errors.count())]
    assert [e.split(":")[0] for e in errors] == ["line 3", "line 4"]
    assert "2 lines have problems" in dialog.summary.text()
    good = tmp_path / "good.csv"
    good.write_text("ref,organisation,sentence_type\nZ000001,NPS,Community Order\n")
    assert dialog.load(good) is True
    assert dialog.summary.text() == "1 case ready to import."
    with qtbot.waitSignal(dialog.imported, timeout=5000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    case = store.reads.case_by_ref("Z000001")
    assert case is not None
    assert store.reads.answers(case.id)["sentence_type"].value == "community_order"
