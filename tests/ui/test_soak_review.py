"""Soak: the real main window driven through 100,000 key presses of review work (moving
between questions, Y / N / A, typing comments, reasons and notes, Ctrl+Enter, switching
cases from the Cases screen), then every answer the editor showed as saved is looked for
on disk through a Store opened afterwards.

`make soak` runs it (marked slow; not in `make test`). SOAK_KEYS sets the number of key
presses (e.g. SOAK_KEYS=3000 while working on it). It prints a progress line to stderr
every 10,000 keys with the memory in use, and fails if memory keeps growing.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QLineEdit, QPlainTextEdit

from fieldwork.core.storage.store import Store
from fieldwork.ui.cases.table import ALL
from fieldwork.ui.review.judgement import JudgementRow, ReasonBox
from fieldwork.ui.review.rows import LineRow, MultipleChoiceRow, SingleChoiceRow, TextRow, YesNoRow
from fieldwork.ui.review.widgets import ANSWER_KEYS, QuestionRow
from tests.ui.conftest import open_window

CTRL = Qt.KeyboardModifier.ControlModifier
KEYS = int(os.environ.get("SOAK_KEYS", "100000"))
PROGRESS_EVERY = 10_000
WORDS = [
    "plan",
    "risk",
    "review",
    "contact",
    "home",
    "visit",
    "officer",
    "partner",
    "agency",
    "court",
    "order",
    "licence",
    "victim",
    "safety",
    "harm",
    "housing",
    "work",
    "drugs",
    "alcohol",
    "mental",
    "health",
    "attendance",
    "sentence",
]
LETTER = {"yes": Qt.Key.Key_Y, "no": Qt.Key.Key_N, "na": Qt.Key.Key_A}
TYPED = {"date": "2015-06-01", "number": "60"}

# About 8 minutes for 100,000 keys on a busy 2-core machine (RELIABILITY.md).
pytestmark = [pytest.mark.slow, pytest.mark.timeout(3600)]


def rss_mb() -> float:
    """Resident memory of this process now (Linux), in MB."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


class Progress:
    """A line now and then on the terminal, past pytest's capture."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self.capsys = capsys

    def __call__(self, text: str) -> None:
        with self.capsys.disabled():
            sys.stderr.write(f"\n[soak] {text}\n")
            sys.stderr.flush()


def row_of(widget: Any) -> QuestionRow | None:
    while widget is not None and not isinstance(widget, QuestionRow):
        widget = widget.parentWidget()
    return widget


class Driver:
    """Presses keys as an inspector would and keeps what the editor showed as saved."""

    def __init__(self, qtbot: Any, window: Any, cases: list[Any], seed: int = 11) -> None:
        self.qtbot, self.window = qtbot, window
        self.editor = window.screen_named("Review")
        self.cases = cases
        self.rng = random.Random(seed)
        self.keys = 0
        # (case id, question id) -> value the editor showed right after the key that set it
        self.acked: dict[tuple[str, str], Any] = {}
        # case id -> {question id: (value, field of the text, text)} as shown when left
        self.shown: dict[str, dict[str, tuple[Any, str | None, str]]] = {}

    # ------------------------------------------------------------ pressing

    def key(self, widget: Any, key: Qt.Key, modifier: Any = Qt.KeyboardModifier.NoModifier) -> None:
        self.qtbot.keyClick(widget, key, modifier)
        self.keys += 1

    def type(self, widget: Any, text: str) -> None:
        self.qtbot.keyClicks(widget, text)
        self.keys += len(text)

    def words(self, lo: int, hi: int) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(lo, hi)))

    def focused(self) -> Any:
        return QApplication.focusWidget()

    # ------------------------------------------------------------ cases

    def switch_case(self) -> None:
        """Ctrl+2, type the reference in the filter box, Enter: as a person would."""
        target = self.rng.choice(self.cases)
        self.key(self.focused() or self.window, Qt.Key.Key_2, CTRL)
        self.remember_shown()  # hidden: its typed text was saved (Screen.flush)
        screen = self.window.screen_named("Cases")
        screen.filter_box.setFocus()
        self.key(screen.filter_box, Qt.Key.Key_A, CTRL)
        self.type(screen.filter_box, target.ref)
        assert screen.proxy.rowCount() == 1, target.ref
        self.key(screen.filter_box, Qt.Key.Key_Tab)
        screen.table.setFocus()
        screen.table.setCurrentIndex(screen.proxy.index(0, 0))
        self.key(screen.table, Qt.Key.Key_Return)
        assert self.window.current_screen() == "Review"
        assert self.editor.case_id == target.id

    def remember_shown(self) -> None:
        """What the editor shows of its case: each row's value and text (a comment, a
        reason, a note) with the answer field that text is stored in."""
        case = self.editor.case
        if case is None:
            return
        seen: dict[str, tuple[Any, str | None, str]] = {}
        for qid, row in self.editor.rows.items():
            if isinstance(row, YesNoRow):
                seen[qid] = (row.value, "comment", row.comment.text() if row.comment else "")
            elif isinstance(row, JudgementRow):
                seen[qid] = (row.value, "reason", row.reason_text or "")
            elif isinstance(row, TextRow):
                seen[qid] = (row.value, "value", row.edit.toPlainText())
            else:
                seen[qid] = (row.value, None, "")
        self.shown[case.id] = seen

    def ack(self, row: QuestionRow) -> None:
        case = self.editor.case
        assert case is not None
        self.acked[(case.id, row.qid)] = row.value

    # ------------------------------------------------------------ one step

    def step(self) -> None:
        rng, editor = self.rng, self.editor
        widget = self.focused()
        row = row_of(widget)
        if row is None or not editor.isAncestorOf(row) or row.isHidden():
            # Focus left the questions (a list, a button): back to one, as a click would.
            targets = [q for q in editor.nav if editor._navigable(q)]
            if not editor.focus_question(rng.choice(targets)):
                self.key(self.focused() or self.window, Qt.Key.Key_Return, CTRL)
            return
        roll = rng.random()
        if isinstance(row, YesNoRow) and widget is row:
            self.yes_no(row, roll)
        elif isinstance(row, YesNoRow) and widget is row.comment:
            self.type(widget, " " + self.words(1, 5))
            self.key(widget, Qt.Key.Key_Tab)  # leaving the box saves the comment
        elif isinstance(row, JudgementRow) and isinstance(widget, ReasonBox):
            if roll < 0.15:
                self.key(widget, Qt.Key.Key_Escape)  # the override is dropped
            else:
                self.type(widget, self.words(2, 6))
                self.key(widget, Qt.Key.Key_Return)
                self.ack(row)
        elif isinstance(row, JudgementRow) and widget is row:
            self.judgement(row, roll)
        elif isinstance(row, TextRow) and isinstance(widget, QPlainTextEdit):
            self.type(widget, self.words(3, 12) + ". ")
            self.key(widget, Qt.Key.Key_Tab)
            self.ack(row)
        elif isinstance(row, LineRow) and isinstance(widget, QLineEdit):
            if not widget.text():
                self.type(widget, TYPED[row.question.type])
                self.key(widget, Qt.Key.Key_Return)
                self.ack(row)
            self.key(widget, Qt.Key.Key_Tab)
        elif isinstance(row, MultipleChoiceRow) and isinstance(widget, QCheckBox):
            if roll < 0.4:
                self.key(widget, Qt.Key.Key_Space)
                self.ack(row)
            self.key(widget, Qt.Key.Key_Tab)
        elif isinstance(row, SingleChoiceRow) and isinstance(widget, QComboBox):
            self.key(widget, Qt.Key.Key_Tab)  # a dropdown changes only when opened
        else:
            self.key(widget, Qt.Key.Key_Tab)

    def yes_no(self, row: YesNoRow, roll: float) -> None:
        if roll < 0.62:
            choice = self.rng.choice(row.choices)
            self.key(row, LETTER[choice])
            if not self.editor.read_only:
                assert row.value == choice, (row.qid, row.value, choice)
                self.ack(row)
        elif roll < 0.80:
            self.key(row, self.rng.choice((Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Up)))
        elif roll < 0.84:
            self.key(row, Qt.Key.Key_Delete)
            self.ack(row)
        elif roll < 0.96:
            self.key(row, Qt.Key.Key_Tab)  # into the comment box
        else:
            self.key(row, Qt.Key.Key_Return, CTRL)

    def judgement(self, row: JudgementRow, roll: float) -> None:
        if roll < 0.5:
            self.key(row, Qt.Key.Key_Return)  # confirm the suggestion
            self.ack(row)
        elif roll < 0.75:
            key = self.rng.choice(list(ANSWER_KEYS))
            self.key(row, key)  # an override asks for a reason first
            if row.reason.isHidden() or not row.reason.hasFocus():
                self.ack(row)
        elif roll < 0.93:
            self.key(row, self.rng.choice((Qt.Key.Key_Down, Qt.Key.Key_Up)))
        else:
            self.key(row, Qt.Key.Key_Return, CTRL)


def test_soak_review_by_keyboard_keeps_every_answer(qtbot, capsys, demo_path: Path) -> None:
    say = Progress(capsys)
    window = open_window(qtbot, demo_path)
    me = window.session.me
    with Store.open(demo_path) as store:
        cases = [c for c in store.reads.cases() if c.qa_inspector != me]
    assert len(cases) >= 10
    window.screen_named("Cases").show_combo.setCurrentIndex(
        window.screen_named("Cases").show_combo.findData(ALL)
    )
    driver = Driver(qtbot, window, cases)
    driver.switch_case()
    start, next_report, next_switch = time.monotonic(), PROGRESS_EVERY, 300
    baseline: float | None = None
    while driver.keys < KEYS:
        if driver.keys >= next_switch:
            driver.switch_case()
            next_switch = driver.keys + driver.rng.randint(150, 700)
        else:
            driver.step()
        if driver.keys % 64 < 8:
            QApplication.processEvents()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        if driver.keys >= next_report:
            next_report += PROGRESS_EVERY
            rss = rss_mb()
            if baseline is None and driver.keys >= KEYS // 5:
                baseline = rss
            say(
                f"{driver.keys:,} keys in {time.monotonic() - start:.0f} s, "
                f"{len(driver.acked):,} answers acknowledged, {rss:.0f} MB"
            )
    driver.key(driver.focused() or window, Qt.Key.Key_2, CTRL)  # saves typed text
    driver.remember_shown()
    elapsed = time.monotonic() - start
    rss = rss_mb()
    say(f"done: {driver.keys:,} keys in {elapsed:.0f} s ({driver.keys / elapsed:.0f} keys/s), "
        f"{len(driver.acked):,} answers acknowledged in {len(driver.shown)} cases, "
        f"{rss:.0f} MB")  # fmt: skip
    if baseline is not None:
        assert rss - baseline < 80, f"memory grew from {baseline:.0f} MB to {rss:.0f} MB"
    window.close()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    assert len(driver.acked) > min(KEYS // 40, 500)
    with Store.open(demo_path) as store:
        assert store.audit.check()["ok"]
        stored = {c.id: store.reads.answers(c.id) for c in cases}
    lost = []
    for (case_id, qid), value in driver.acked.items():
        answer = stored[case_id].get(qid)
        if (answer.value if answer else None) != value:
            lost.append((case_id, qid, value, answer.value if answer else None))
    assert not lost, f"{len(lost)} acknowledged answers not on disk, e.g. {lost[:3]}"
    for case_id, seen in driver.shown.items():
        for qid, (value, field, text) in seen.items():
            answer = stored[case_id].get(qid)
            assert (answer.value if answer else None) == value, (case_id, qid, value, answer)
            if field is not None:
                kept = (getattr(answer, field) if answer else None) or ""
                assert squash(kept) == squash(text), (case_id, qid, text, kept)


def squash(text: str) -> str:
    return " ".join(text.split())
