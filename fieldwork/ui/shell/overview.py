"""The Overview screen: the inspection's facts, progress per inspector, and the
key-question percentages per organisation as they stand (core/scoring.py decides).

Only the people who review cases have a progress bar and count in the team
(core/casework/roles.py): headquarters receives bundles and is neither. A percentage on
fewer applicable cases than the method's minimum says "based on N cases" and is greyed,
not shown as if it were firm (core/samples.py)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QProgressBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fieldwork.core import samples, scoring
from fieldwork.core.casework import roles, wording
from fieldwork.core.casework.dates import show_range
from fieldwork.core.errors import FieldworkError
from fieldwork.core.model import Op
from fieldwork.core.storage.db import DriverError
from fieldwork.core.storage.method_reads import method_forms
from fieldwork.ui.session import Session
from fieldwork.ui.widgets.labels import bold, muted, plain_label
from fieldwork.ui.widgets.screen import Screen


def _item(text: str, align_right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)  # table items are plain text
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _empty(layout: QGridLayout) -> None:
    """Take every widget out of a grid (they are deleted once back in the event loop)."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.deleteLater()


class OverviewScreen(Screen):
    refresh_delay_ms = 300

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("overviewScreen")
        self.session = session
        self.mark_stale()  # filled when first shown

        self.title = bold(plain_label(wrap=False), 1.5)
        self.facts = QGridLayout()
        self.facts.setHorizontalSpacing(18)
        facts_box = QWidget()
        facts_box.setLayout(self.facts)

        self.progress_box = QGroupBox("Progress per inspector (complete of allotted)")
        self.progress_grid = QGridLayout(self.progress_box)
        self.progress_grid.setColumnStretch(1, 1)

        self.scores_box = QGroupBox(
            "Key questions met, per organisation (complete case assessments only)"
        )
        self.scores = QTableWidget()
        self.scores.setObjectName("overviewScores")
        self.scores.setAccessibleName("Key-question percentages per organisation")
        self.scores.verticalHeader().hide()
        self.scores.setAlternatingRowColors(True)
        self.scores.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.scores.setWordWrap(False)
        self.scores.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.scores_note = muted(plain_label())
        scores_layout = QVBoxLayout(self.scores_box)
        scores_layout.addWidget(self.scores, 1)
        scores_layout.addWidget(self.scores_note)

        top = QHBoxLayout()
        top.addWidget(facts_box, 1)
        top.addWidget(self.progress_box, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(top)
        layout.addWidget(self.scores_box, 1)

        session.changed.connect(self._on_changed)

    def _on_changed(self, ops: tuple[Op, ...]) -> None:
        self.mark_stale()
        self.refresh_soon()

    def refresh_view(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        store = self.session.store
        inspection = store.reads.inspection()
        members = store.reads.members()
        cases = store.reads.cases()
        self.title.setText(inspection.name + ("  (DEMO)" if store.is_demo else ""))
        self._show_facts(store, inspection, cases, members)
        self._show_progress(cases, members)
        try:
            ratings = scoring.score_store(store)
        except (FieldworkError, DriverError):  # a damaged file opened read-only
            self.scores.clear()
            self.scores.setRowCount(0)
            self.scores_note.setText("The results cannot be read: part of the file is damaged.")
            return
        self._show_scores(ratings)

    def _show_facts(self, store: Any, inspection: Any, cases: list, members: list) -> None:
        _empty(self.facts)
        dates = show_range(inspection.start_date, inspection.end_date)
        mf = method_forms(store)
        forms = ", ".join(f"{f.title} (version {f.version})" for f in mf.all_forms())
        rows = [
            ("Area", inspection.area or "—"),
            ("Fieldwork", dates or "—"),
            ("Organisations", ", ".join(inspection.organisations)),
            ("Method", mf.method.title),
            ("Form" if len(mf.all_forms()) == 1 else "Forms", forms),
            ("Cases in the sample", str(len(cases))),
            ("Team", roles.team_words(members)),
            *(
                [("Bundles also go to", ", ".join(m.name for m in others))]
                if (others := [m for m in members if not roles.reviews_cases(m)])
                else []
            ),
            ("File", f"{store.path.name}" + (" (encrypted)" if store.encrypted else "")),
        ]
        if inspection.marking:
            rows.append(("Marking", inspection.marking))
        for i, (label, value) in enumerate(rows):
            name = muted(plain_label(label, wrap=False))
            self.facts.addWidget(name, i, 0, Qt.AlignmentFlag.AlignTop)
            self.facts.addWidget(plain_label(value, selectable=True), i, 1)
        self.facts.setColumnStretch(1, 1)
        self.facts.setRowStretch(len(rows), 1)

    def _show_progress(self, cases: list, members: list) -> None:
        _empty(self.progress_grid)
        allotted: dict[str, int] = {}
        done: dict[str, int] = {}
        for c in cases:
            if c.inspector:
                allotted[c.inspector] = allotted.get(c.inspector, 0) + 1
                if c.status in scoring.COUNTED_STATUSES:
                    done[c.inspector] = done.get(c.inspector, 0) + 1
        row = 0
        for m in roles.reviewers(members):  # headquarters reviews nothing: no bar
            total = allotted.get(m.id, 0)
            if not total and roles.role_of(m) == roles.LEAD:
                continue
            you = " (you)" if m.id == self.session.me else ""
            name = plain_label(f"{roles.name_with_role(m)}{you}", wrap=False)
            name.setObjectName("progressName")
            bar = QProgressBar()
            bar.setMaximum(max(total, 1))
            bar.setValue(done.get(m.id, 0))
            bar.setTextVisible(False)
            bar.setAccessibleName(f"Progress of {m.name}")
            bar.setMaximumHeight(14)
            count = plain_label(f"{done.get(m.id, 0)} of {total}", wrap=False)
            count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.progress_grid.addWidget(name, row, 0)
            self.progress_grid.addWidget(bar, row, 1)
            self.progress_grid.addWidget(count, row, 2)
            row += 1
        unallotted = sum(1 for c in cases if not c.inspector)
        if unallotted:
            self.progress_grid.addWidget(
                muted(plain_label(f"{wording.count(unallotted, 'case')} not yet allotted")),
                row,
                0,
                1,
                3,
            )

    def _show_scores(self, ratings: scoring.Ratings) -> None:
        orgs = ratings.organisations
        headers = ["Key question"] + [o.name for o in orgs]
        # Case-based key questions of every standard any organisation is rated on, in order.
        seen: dict[str, Any] = {}
        for o in orgs:
            for s in o.standards:
                if s.basis == "cases":
                    seen.setdefault(s.id, s)
        kqs = [(s, kq) for s in seen.values() for kq in s.key_questions]
        self.scores.clear()
        self.scores.setColumnCount(len(headers))
        self.scores.setHorizontalHeaderLabels(headers)
        self.scores.setRowCount(len(kqs))
        for r, (standard, kq) in enumerate(kqs):
            self.scores.setItem(r, 0, _item(f"{kq.id}  {kq.text}"))
            for c, org in enumerate(orgs, start=1):
                if not org.has_standard(standard.id):
                    self.scores.setItem(r, c, _item("", align_right=True))
                    continue
                result = org.standard(standard.id).key_questions[r - self._first(kqs, standard)]
                if result.percent is None:
                    text = "—"
                else:
                    text = f"{result.percent:.1f}%  ({result.sufficient}/{result.applicable})"
                small = samples.is_small(result.applicable, ratings.min_cases)
                if small:
                    text += f"  {samples.based_on(result.applicable)}"
                item = _item(text, align_right=True)
                if small:
                    item.setForeground(self.palette().placeholderText())
                    item.setToolTip(
                        f"Fewer than {ratings.min_cases} applicable cases: not a firm result"
                        + (f" ({result.rating} as it stands)." if result.rating else ".")
                    )
                elif result.rating:
                    item.setToolTip(result.rating)
                self.scores.setItem(r, c, item)
        header = self.scores.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in range(1, len(headers)):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        counts = "; ".join(
            f"{o.name}: {o.cases_complete} complete, {o.cases_draft} begun" for o in orgs
        )
        self.scores_note.setText(f"Counted: {counts}." if orgs else "No organisations.")

    @staticmethod
    def _first(kqs: list, standard: Any) -> int:
        return next(i for i, (s, _) in enumerate(kqs) if s.id == standard.id)
