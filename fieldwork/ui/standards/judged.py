"""A judgement-rated standard (organisational delivery, 1.1 to 1.4): the lead's judgement
on each key question with its reasoning and the triangulation count (how many sources
stand behind it), then the standard's rating with its justification and the evidence it
rests on.

A key question's judgement is saved when chosen, its reasoning after a pause in typing.
The rating is recorded with its button (core refuses a rating without a justification):
one undo step that rates, and ties the ticked evidence to the standard (untying what was
unticked).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldwork.core.casework.evidence import kind_label, tag_evidence, triangulation
from fieldwork.core.casework.judgements import judge_key_question, rate_standard
from fieldwork.core.forms.method import Standard
from fieldwork.core.model import Op
from fieldwork.core.storage import evidence_reads, method_reads
from fieldwork.core.storage.store import Store
from fieldwork.ui.evidence.item_form import wrapping
from fieldwork.ui.widgets.autosave import TextAutosave
from fieldwork.ui.widgets.focus import logical_home_end
from fieldwork.ui.widgets.labels import bold, muted, plain_label

JUDGEMENTS = (("Still to judge", ""), ("Yes: sufficient", "yes"), ("No: not sufficient", "no"))


def rate_with_evidence(
    store: Store,
    organisation: str,
    standard_id: str,
    rating: str | None,
    justification: str | None,
    evidence_ids: Sequence[str],
    untie: Sequence[str] = (),
) -> list[Op]:
    """Rate the standard and tie the evidence to it (untying `untie`), in one transaction:
    one undo step."""
    with store.transaction():
        ops = rate_standard(
            store, organisation, standard_id, rating, justification, evidence_ids=evidence_ids
        )
        for eid in untie:
            ops += tag_evidence(store, eid, standard_id, present=False)
    return ops


def sources_text(sources: int, kinds: Sequence[str]) -> str:
    """'4 sources, 3 kinds' (the kinds themselves are the label's tooltip)."""
    if not sources:
        return "No sources yet"
    n = len(kinds)
    return f"{sources} source{'s' if sources != 1 else ''}, {n} kind{'s' if n != 1 else ''}"


class KeyQuestionRow:
    """One key question's widgets: the judgement, its reasoning, the sources behind it."""

    def __init__(self, page: JudgedStandard, kq_id: str, text: str) -> None:
        self.page, self.kq_id = page, kq_id
        self.label = plain_label(f"{kq_id} {text}")
        self.judgement = QComboBox()
        self.judgement.setObjectName(f"judgement_{kq_id}")
        self.judgement.setAccessibleName(f"Judgement on key question {kq_id}")
        for words, value in JUDGEMENTS:
            self.judgement.addItem(words, value)
        self.judgement.activated.connect(lambda _i: self.save())
        self.reason = QLineEdit()
        self.reason.setObjectName(f"reasoning_{kq_id}")
        self.reason.setAccessibleName(f"Reasoning for key question {kq_id}")
        self.reason.setPlaceholderText("Why: what the evidence showed")
        self.saver = TextAutosave(self.reason, lambda _t: self.save(), page)
        self.reason.returnPressed.connect(self.saver.flush)
        self.sources = muted(plain_label(wrap=False))
        self.sources.setObjectName(f"sources_{kq_id}")

    def show(self, judgement: str | None, text: str, sources: int, kinds: Sequence[str]) -> None:
        self.judgement.setCurrentIndex(max(0, self.judgement.findData(judgement or "")))
        self.saver.load(text)
        self.sources.setText(sources_text(sources, kinds))
        self.sources.setToolTip(", ".join(kind_label(k) for k in kinds))

    def save(self) -> None:
        self.saver.saved_text = self.reason.text()
        self.page.judge(self.kq_id, self.judgement.currentData() or None, self.reason.text())


class JudgedStandard(QWidget):
    """The page for one judgement-rated standard of one organisation."""

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.organisation = ""
        self.standard: Standard | None = None
        self.rows: dict[str, KeyQuestionRow] = {}
        self._tied: set[str] = set()
        self._loaded: tuple[str, str, frozenset[str]] = ("", "", frozenset())

        self.title = bold(plain_label(), 1.1)
        self.statement = plain_label(selectable=True)
        self.grid_holder = QWidget()
        self.grid = QGridLayout(self.grid_holder)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setColumnStretch(1, 1)

        self.rating = QComboBox()
        self.rating.setObjectName("standardRating")
        self.rating.setAccessibleName("Rating of the standard")
        self.justification = QPlainTextEdit()
        self.justification.setObjectName("standardJustification")
        self.justification.setAccessibleName("Justification of the rating")
        self.justification.setPlaceholderText("Why the standard is rated so, from the evidence")
        self.justification.setTabChangesFocus(True)
        logical_home_end(self.justification)
        self.evidence = wrapping(QListWidget())
        self.evidence.setObjectName("standardEvidence")
        self.evidence.setAccessibleName("Evidence the rating rests on (Space ticks)")
        self.record = QPushButton("&Record rating")
        self.record.setObjectName("recordRating")
        self.record.setAccessibleName("Record the rating with its justification and evidence")
        self.record.clicked.connect(lambda _=False: self.record_rating())
        self.triangulated = muted(plain_label())
        self.triangulated.setObjectName("triangulation")

        rating_row = QHBoxLayout()
        rating_label = QLabel("R&ating:")
        rating_label.setBuddy(self.rating)
        rating_row.addWidget(rating_label)
        rating_row.addWidget(self.rating, 1)
        rating_row.addWidget(self.record)
        justification_label = QLabel("&Justification:")
        justification_label.setBuddy(self.justification)
        evidence_label = QLabel("E&vidence it rests on:")
        evidence_label.setBuddy(self.evidence)
        lower = QHBoxLayout()
        left = QVBoxLayout()
        left.addLayout(rating_row)
        left.addWidget(justification_label)
        left.addWidget(self.justification, 1)
        right = QVBoxLayout()
        right.addWidget(evidence_label)
        right.addWidget(self.evidence, 1)
        lower.addLayout(left, 1)
        lower.addLayout(right, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.statement)
        layout.addWidget(bold(plain_label("Key questions: the team's judgement", wrap=False)))
        layout.addWidget(self.grid_holder)
        layout.addWidget(self.triangulated)
        layout.addLayout(lower, 1)

    @property
    def store(self) -> Any:
        return self.session.store

    # -------------------------------------------------------------- showing

    def show_standard(self, organisation: str, standard: Standard, *, force: bool = False) -> None:
        new = force or standard != self.standard or organisation != self.organisation
        if new:
            self.flush()
        self.organisation, self.standard = organisation, standard
        mf = method_reads.method_forms(self.store)
        kqs = mf.key_questions(standard)
        if new or list(self.rows) != [k.id for k in kqs]:
            self._build_rows([(k.id, k.text) for k in kqs])
        self.title.setText(standard.label)
        self.statement.setText(standard.statement or "")
        judged = evidence_reads.kq_judgements(self.store)
        counts = triangulation(self.store, organisation)
        for kq in kqs:
            j = judged.get((organisation, kq.id))
            t = counts.get(kq.id)
            self.rows[kq.id].show(
                j.judgement if j else None,
                j.text if j else "",
                t.sources if t else 0,
                t.kinds if t else (),
            )
        shown = [counts[k.id].sources for k in kqs if k.id in counts]
        self.triangulated.setText(
            "Triangulation (sources per key question): " + ", ".join(map(str, shown))
        )
        self._show_rating(new)

    def _build_rows(self, kqs: list[tuple[str, str]]) -> None:
        for row in self.rows.values():
            for w in (row.label, row.judgement, row.reason, row.sources):
                self.grid.removeWidget(w)
                w.hide()  # gone now: a deferred delete waits for the event loop
                w.deleteLater()
        self.rows = {}
        for r, (kq_id, text) in enumerate(kqs):
            row = KeyQuestionRow(self, kq_id, text)
            self.rows[kq_id] = row
            self.grid.addWidget(row.label, 2 * r, 0, 1, 2)
            self.grid.addWidget(row.sources, 2 * r, 2)
            self.grid.addWidget(row.judgement, 2 * r + 1, 0)
            self.grid.addWidget(row.reason, 2 * r + 1, 1, 1, 2)
        chain: list[QWidget] = []
        for row in self.rows.values():
            chain += [row.judgement, row.reason]
        chain += [self.rating, self.record, self.justification, self.evidence]
        for a, b in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(a, b)

    def _show_rating(self, new: bool) -> None:
        """The stored rating, justification and evidence; on a refresh, a part the lead
        has changed but not yet recorded stays as they left it."""
        assert self.standard is not None
        rules = method_reads.method(self.store).rating
        team = evidence_reads.standard_judgements(self.store).get(
            (self.organisation, self.standard.id)
        )
        items = evidence_reads.evidence(self.store, self.organisation)
        self._tied = {e.id for e in items if self.standard.id in e.targets}
        stored = (
            (team.rating or "") if team else "",
            team.justification if team else "",
            frozenset(self._tied),
        )
        shown = (
            self.rating.currentData() or "",
            self.justification.toPlainText(),
            frozenset(self.ticked()),
        )
        keep = [not new and a != b for a, b in zip(shown, self._loaded, strict=True)]
        self._loaded = stored
        self.rating.clear()
        self.rating.addItem("Not rated", "")
        for r in rules.ratings() if rules else ():
            self.rating.addItem(r, r)
        rating = shown[0] if keep[0] else stored[0]
        self.rating.setCurrentIndex(max(0, self.rating.findData(rating)))
        if not keep[1] and self.justification.toPlainText() != stored[1]:
            self.justification.setPlainText(stored[1])
        ticked = shown[2] if keep[2] else stored[2]
        row = self.evidence.currentRow()
        self.evidence.clear()
        for e in items:
            entry = QListWidgetItem(f"{e.date or 'No date'} · {kind_label(e.kind)}: {e.title}")
            entry.setData(Qt.ItemDataRole.UserRole, e.id)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            on = e.id in ticked
            entry.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            self.evidence.addItem(entry)
        if not items:
            entry = QListWidgetItem("The register holds no evidence about this organisation yet.")
            entry.setFlags(Qt.ItemFlag.NoItemFlags)
            self.evidence.addItem(entry)
        if 0 <= row < self.evidence.count():
            self.evidence.setCurrentRow(row)

    def ticked(self) -> list[str]:
        out = []
        for i in range(self.evidence.count()):
            entry = self.evidence.item(i)
            if entry.checkState() == Qt.CheckState.Checked and entry.data(Qt.ItemDataRole.UserRole):
                out.append(entry.data(Qt.ItemDataRole.UserRole))
        return out

    # -------------------------------------------------------------- saving

    def judge(self, kq_id: str, judgement: str | None, text: str) -> None:
        self.session.act(
            f"Judge key question {kq_id}",
            judge_key_question,
            self.organisation,
            kq_id,
            judgement,
            text,
        )

    def record_rating(self) -> bool:
        if self.standard is None:
            return False
        ticked = self.ticked()
        rating = self.rating.currentData() or None
        done = self.session.act(
            f"Rate {self.standard.label}"
            if rating
            else f"Clear the rating of {self.standard.label}",
            rate_with_evidence,
            self.organisation,
            self.standard.id,
            rating,
            self.justification.toPlainText(),
            ticked if rating else [],
            sorted(self._tied - set(ticked)) if rating else [],
        )
        if done is not None:
            self.session.saved.emit(
                f"{self.standard.label}: {rating or 'not rated'} ({self.organisation})."
            )
        return done is not None

    def flush(self) -> None:
        for row in self.rows.values():
            if row.saver.pending:
                row.saver.flush()
