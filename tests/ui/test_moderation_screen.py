"""The Moderation screen in the real main window, driven by keyboard: the lead draws the
sample, the second assessor assesses a case blind (seeing none of the first judgements),
the lead settles the disagreements, and the ratings count the settled values."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QDialog

from fieldwork.core.moderation import reads, rounds
from fieldwork.core.moderation.model import COMPLETE
from fieldwork.core.scoring import score_store
from fieldwork.core.storage.store import Store
from fieldwork.ui.moderation.dialogs import DrawDialog
from fieldwork.ui.moderation.screen import ModerationScreen
from tests.core.test_moderation import team_file
from tests.ui.conftest import open_window

ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def path(tmp_path: Path) -> Path:
    p = tmp_path / "team.fieldwork"
    team_file(p, cases_per_assessor=4).close()
    return p


def in_dialog(
    qtbot, kind: type, drive: Callable[[QDialog], None]
) -> tuple[list[int], list[BaseException]]:
    """Run `drive` on the next modal dialog of `kind`; never leave it up."""
    results: list[int] = []  # what each dialog ended with (the dialog itself is deleted)
    problems: list[BaseException] = []

    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(20, attempt)
            return
        try:
            dialog.activateWindow()
            qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
            drive(dialog)
            results.append(dialog.result())
        except BaseException as exc:
            problems.append(exc)
            dialog.reject()

    QTimer.singleShot(0, attempt)
    return results, problems


def choose(qtbot, combo: QComboBox, text: str) -> None:
    """Pick a choice by typing its first letters, as a person would."""
    combo.setFocus()
    qtbot.keyClicks(combo, text)
    assert combo.currentText().lower().startswith(text.lower()), (combo.accessibleName(), text)


def test_draw_assess_blind_and_settle_by_keyboard(qtbot, path: Path) -> None:
    window = open_window(qtbot, path)
    store: Store = window.store
    lead = store.author
    qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    screen = window.screen_named("Moderation")
    assert isinstance(screen, ModerationScreen) and window.current_screen() == "Moderation"
    assert "No sample drawn yet" in screen.summary.text()

    # The lead draws: Alt+D, 25 %, seed 2016, Enter.
    def draw(dialog: QDialog) -> None:
        assert isinstance(dialog, DrawDialog)
        dialog.share.lineEdit().selectAll()
        qtbot.keyClicks(dialog.share.lineEdit(), "25")
        qtbot.keyClick(dialog.share, Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is dialog.seed
        qtbot.keyClicks(dialog.seed, "2016")
        qtbot.keyClick(dialog.seed, Qt.Key.Key_Return)

    seen, problems = in_dialog(qtbot, DrawDialog, draw)
    qtbot.keyClick(screen.draw_button, Qt.Key.Key_D, ALT)  # the button's mnemonic
    qtbot.waitUntil(lambda: bool(seen or problems), timeout=5000)
    if problems:
        raise problems[0]
    assert seen == [QDialog.DialogCode.Accepted]
    window.activateWindow()  # the offscreen platform leaves the closed dialog active
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    (d,) = reads.draws(store)
    assert (d.seed, d.share) == (2016, 25) and len(d.drawn) == 3
    qtbot.waitUntil(lambda: "seed 2016" in screen.summary.text(), timeout=3000)
    assert screen.sample_table.rowCount() == 3

    # The second assessor of one drawn case, on "their laptop".
    case_id, sc = next(iter(reads.sample(store).items()))
    case = store.reads.case(case_id)
    assert case is not None and sc.second_assessor
    first = store.reads.answers(case_id)
    store.set_author(sc.second_assessor)
    window.session.external_change()
    qtbot.waitUntil(lambda: "blind assessment to do" in screen.summary.text(), timeout=3000)
    screen.sample_table.setFocus()
    qtbot.keyClick(screen.sample_table, Qt.Key.Key_Home)
    while screen.sample_table.current_key() != case_id:
        qtbot.keyClick(screen.sample_table, Qt.Key.Key_Down)
    qtbot.keyClick(screen.sample_table, Qt.Key.Key_Return)
    editor = screen.blind
    assert screen.stack.currentWidget() is editor and editor.case_id == case_id
    # The case's facts read as the rest of the app shows them: labels, UK dates.
    facts = editor.facts.text()
    assert "Case facts from the record: " in facts
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", facts), facts
    # Blank, though the first assessment is on this laptop; core will not show it.
    assert all(w.currentData() is None for w in editor.inputs.values() if isinstance(w, QComboBox))
    assert first and all(a.value is not None for a in first.values())
    with pytest.raises(rounds.Blind):
        rounds.first_answers(store, case_id, store.author)
    # Nor does the Review screen open it (from the case list or a search).
    assert window.open_case(case_id) is False
    assert window.current_screen() == "Moderation"
    form = store.reads.form()
    for kq in form.key_questions():
        for p in kq.prompts:
            widget = editor.inputs[p.id]
            if isinstance(widget, QComboBox) and widget.isVisible():
                choose(qtbot, widget, "No" if p.id == "2.1.1a" else "Yes")
        hint = editor.hints[kq.id].text().removeprefix("The prompts suggest: ")
        choose(qtbot, editor.inputs[kq.id], {"yes": "Yes", "no": "No"}.get(hint, "Not"))
    qtbot.keyClick(editor, Qt.Key.Key_C, ALT)
    qtbot.waitUntil(
        lambda: reads.round_status(store, case_id, store.author) == COMPLETE, timeout=3000
    )
    assert screen.stack.currentWidget() is screen.overview
    assert store.reads.answers(case_id) == first  # the first assessment, untouched

    # The lead settles: the disagreements side by side, value and reason, Enter.
    store.set_author(lead)
    window.session.external_change()
    table = screen.disagreement_table
    qtbot.waitUntil(lambda: table.rowCount() == 2, timeout=3000)
    assert [table.item(r, 1).text() for r in range(2)] == ["2.1.1a", "2.1.1"]
    assert table.item(1, 2).text().endswith(": Yes") and table.item(1, 4).text().endswith(": No")
    org = case.organisation
    before = score_store(store).organisation(org).standard("2.1").key_questions[0]
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Home)
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert table.current().question_id == "2.1.1"  # type: ignore[union-attr]
    choose(qtbot, screen.settle_value, "No")
    qtbot.keyClick(screen.settle_value, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is screen.settle_reason
    qtbot.keyClicks(screen.settle_reason, "No work on motivation in the file")
    qtbot.keyClick(screen.settle_reason, Qt.Key.Key_Return)
    settled = reads.settlements(store)[(case_id, "2.1.1")]
    assert (settled.value, settled.reason) == ("no", "No work on motivation in the file")
    after = score_store(store).organisation(org).standard("2.1").key_questions[0]
    assert (after.applicable, after.sufficient) == (before.applicable, before.sufficient - 1)
    qtbot.waitUntil(lambda: table.rowCount() == 1, timeout=3000)  # 2.1.1a still to settle

    # The agreement table and its reading.
    assert screen.agreement_table.rowCount() == len(form.key_questions()) + 1
    assert "discuss before rating" in screen.reading.text()
    assert "2.1.1" in screen.reading.text()
    window.close()
