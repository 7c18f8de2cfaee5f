"""The Standards screen: per organisation, every standard it is rated on, with its rating
as it stands. A judgement-rated standard (1.1 to 1.4) opens the lead's judgements per key
question, the triangulation count and the rating with its justification and evidence
(judged.py); a case-based one opens what the rules give and professional discretion
(overridden.py). A method that rates nothing (quality and impact, 2016) says so instead.

Keys: Tab moves from the organisation to the list of standards to the page; arrows
choose a standard. Every change is a core/casework/judgements.py action run through
`Session.act`, so Ctrl+Z undoes it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from fieldwork.core.forms.method import Standard
from fieldwork.core.model import Op
from fieldwork.core.results import OrganisationRatings
from fieldwork.core.scoring import score_store
from fieldwork.core.storage import method_reads
from fieldwork.ui.evidence.item_form import wrapping
from fieldwork.ui.standards.judged import JudgedStandard
from fieldwork.ui.standards.overridden import OverriddenStandard
from fieldwork.ui.widgets.labels import bold, muted, plain_label
from fieldwork.ui.widgets.screen import Screen

WATCHED = {
    "answers", "cases", "inspection", "standard_judgements", "kq_judgements", "overrides",
    "evidence", "evidence_links", "methods", "forms",
}  # fmt: skip


class StandardsScreen(Screen):
    refresh_delay_ms = 150  # the ratings: scoring reads every answer

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("standardsScreen")
        self.session = session
        self.standards: list[Standard] = []
        self.ratings: OrganisationRatings | None = None

        self.organisation = QComboBox()
        self.organisation.setObjectName("standardsOrganisation")
        self.organisation.setAccessibleName("Organisation rated")
        self.organisation.currentIndexChanged.connect(lambda _i: self._organisation_changed())
        self.summary = muted(plain_label())
        self.summary.setObjectName("standardsSummary")
        self.list = wrapping(QListWidget())
        self.list.setObjectName("standardsList")
        self.list.setAccessibleName("Standards")
        self.list.currentRowChanged.connect(lambda _r: self._show_current())
        self.judged = JudgedStandard(session)
        self.overridden = OverriddenStandard(session)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.judged)
        self.pages.addWidget(self.overridden)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.pages)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the controls in it
        scroll.setAccessibleName("The chosen standard")

        self.unrated = plain_label()
        self.unrated.setObjectName("noRatings")
        org_label = QLabel("Or&ganisation:")
        org_label.setBuddy(self.organisation)
        head = QHBoxLayout()
        head.addWidget(bold(plain_label("Standards and ratings", wrap=False), 1.3))
        head.addWidget(org_label)
        head.addWidget(self.organisation)
        head.addWidget(self.summary, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        split.addWidget(self.list)
        split.addWidget(scroll)
        split.setSizes([300, 900])
        self.rated_part = QWidget()
        rated = QVBoxLayout(self.rated_part)
        rated.setContentsMargins(0, 0, 0, 0)
        rated.addLayout(head)
        rated.addWidget(split, 1)
        self.unrated_part = QWidget()
        unrated = QVBoxLayout(self.unrated_part)
        unrated.addWidget(bold(plain_label("Standards and ratings", wrap=False), 1.3))
        unrated.addWidget(self.unrated)
        unrated.addStretch(1)
        self.outer = QStackedWidget()
        self.outer.addWidget(self.rated_part)
        self.outer.addWidget(self.unrated_part)
        layout = QVBoxLayout(self)
        layout.addWidget(self.outer)

        session.changed.connect(self._on_changed)
        self.refresh_view()

    @property
    def store(self) -> Any:
        return self.session.store

    # -------------------------------------------------------------- refresh

    def _on_changed(self, ops: tuple[Op, ...]) -> None:
        if not ops or any(op.entity in WATCHED for op in ops):
            self.refresh_soon()

    def refresh_view(self) -> None:
        method = method_reads.method(self.store)
        if not method.rated:
            self.outer.setCurrentWidget(self.unrated_part)
            self.unrated.setText(
                f"{method.title} gives no ratings: there are no ratings in this method to "
                "judge, record or override. Its results are percentages of applicable "
                "cases, per organisation, on the Findings screen; the Evidence register "
                "still holds the meetings, focus groups and documents."
            )
            return
        self.outer.setCurrentWidget(self.rated_part)
        orgs = list(self.store.reads.inspection().organisations)
        keep = self.organisation.currentText()
        self.organisation.blockSignals(True)
        self.organisation.clear()
        self.organisation.addItems(orgs)
        self.organisation.setCurrentIndex(orgs.index(keep) if keep in orgs else 0)
        self.organisation.blockSignals(False)
        self._fill_list()

    def current_organisation(self) -> str:
        return self.organisation.currentText()

    def _organisation_changed(self) -> None:
        self.judged.flush()
        self._fill_list()

    def _fill_list(self) -> None:
        org = self.current_organisation()
        method = method_reads.method(self.store)
        keep = self.current_standard()
        self.standards = method.standards_for(org)
        scored = score_store(self.store).organisations
        self.ratings = next((o for o in scored if o.name == org), None)
        results = {s.id: s for s in self.ratings.standards} if self.ratings else {}
        self.list.blockSignals(True)
        self.list.clear()
        for s in self.standards:
            r = results.get(s.id)
            rating = r.rating if r and r.rating else "not rated"
            how = "the team's judgement" if s.basis == "judgement" else "case assessments"
            flag = ", overridden" if r is not None and r.override is not None else ""
            entry = QListWidgetItem(f"{s.label}\n    {rating}{flag}")
            entry.setToolTip(f"{s.label}: rated from {how}")
            entry.setData(Qt.ItemDataRole.UserRole, s.id)
            self.list.addItem(entry)
        ids = [s.id for s in self.standards]
        self.list.setCurrentRow(ids.index(keep.id) if keep and keep.id in ids else 0)
        self.list.blockSignals(False)
        if self.ratings is not None:
            ov = self.ratings.overall
            overall = ov.rating or "not yet rated"
            self.summary.setText(
                f"Overall: {overall} ({ov.points} points from {ov.standards_rated} of "
                f"{ov.standards_total} standards rated)."
            )
        self._show_current()

    def current_standard(self) -> Standard | None:
        row = self.list.currentRow()
        return self.standards[row] if 0 <= row < len(self.standards) else None

    def select_standard(self, standard_id: str) -> None:
        ids = [s.id for s in self.standards]
        if standard_id in ids:
            self.list.setCurrentRow(ids.index(standard_id))

    def _show_current(self) -> None:
        s = self.current_standard()
        if s is None:
            return
        org = self.current_organisation()
        if s.basis == "judgement":
            self.pages.setCurrentWidget(self.judged)
            self.judged.show_standard(org, s)
        else:
            self.judged.flush()
            result = None
            if self.ratings is not None and self.ratings.has_standard(s.id):
                result = self.ratings.standard(s.id)
            self.pages.setCurrentWidget(self.overridden)
            self.overridden.show_standard(org, s, result)

    def flush(self) -> None:
        self.judged.flush()
