"""The Moderation screen: the sample and its progress, the open disagreements side by
side with a box to settle them, the agreement table with its plain-language reading, and
the calibration spread; and, for an assessor, their blind assessments.

Every change is a core/moderation action run through Session.act. Keys: Alt+D draw,
Alt+A add a case, Alt+M mark a calibration case, Alt+B assess blind (or Enter on a sample
row), Alt+S settle; Tab moves between the tables.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fieldwork.core.model import Op
from fieldwork.core.moderation import disagreements as dis
from fieldwork.core.moderation import figures, reads, sample
from fieldwork.core.moderation.model import COMPLETE
from fieldwork.ui.moderation.blind import BlindRoundEditor
from fieldwork.ui.moderation.dialogs import AddCaseDialog, CalibrationDialog, DrawDialog
from fieldwork.ui.moderation.tables import (
    AgreementTable,
    DisagreementTable,
    SampleTable,
    SpreadTable,
    words,
)
from fieldwork.ui.widgets.labels import bold, plain_label
from fieldwork.ui.widgets.screen import Screen

WATCHED = {"cases", "answers", "members", "inspection"}


class ModerationScreen(Screen):
    refresh_delay_ms = 150

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.stack = QStackedWidget()
        self.overview = QWidget()
        self.blind = BlindRoundEditor(session)
        self.blind.done.connect(self._blind_done)
        self.stack.addWidget(self.overview)
        self.stack.addWidget(self.blind)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self._build_overview()
        session.changed.connect(self._on_changed)
        self.refresh_view()

    @property
    def store(self) -> Any:
        return self.session.store

    # -------------------------------------------------------------- building

    def _button(self, text: str, name: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(lambda _=False: slot())
        return button

    def _build_overview(self) -> None:
        self.draw_button = self._button("&Draw sample…", "drawSample", self.draw)
        self.add_button = self._button("&Add case…", "addCase", self.add_case)
        self.calibrate_button = self._button(
            "&Mark calibration…", "markCalibration", self.calibrate
        )
        self.blind_button = self._button("Assess &blind", "assessBlind", self.assess_blind)
        self.summary = plain_label()
        head = QHBoxLayout()
        head.addWidget(bold(plain_label("Moderation", wrap=False), 1.3))
        head.addWidget(self.summary, 1)
        for b in (self.blind_button, self.draw_button, self.add_button, self.calibrate_button):
            head.addWidget(b)

        self.sample_table = SampleTable()
        self.sample_table.activated.connect(lambda _i: self.assess_blind())  # Enter, double click
        self.sample_table.itemSelectionChanged.connect(self._update_buttons)
        left = QWidget()
        col = QVBoxLayout(left)
        col.setContentsMargins(0, 0, 0, 0)
        self.sample_title = bold(plain_label("Sample", wrap=False))
        col.addWidget(self.sample_title)
        col.addWidget(self.sample_table, 1)

        self.scope = QComboBox()
        self.scope.setAccessibleName("Whose agreement")
        self.scope.currentIndexChanged.connect(lambda _i: self._show_scope())
        self.agreement_table = AgreementTable()
        self.reading = plain_label(selectable=True)
        self.reading.setObjectName("reading")
        agreement = QWidget()
        a = QVBoxLayout(agreement)
        row = QHBoxLayout()
        row.addWidget(plain_label("Agreement of:", wrap=False))
        row.addWidget(self.scope, 1)
        a.addLayout(row)
        a.addWidget(self.agreement_table, 1)
        a.addWidget(self.reading)
        self.spread_table = SpreadTable()
        self.calibration_note = plain_label()
        calibration = QWidget()
        c = QVBoxLayout(calibration)
        c.addWidget(self.calibration_note)
        c.addWidget(self.spread_table, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(agreement, "Agreement")
        self.tabs.addTab(calibration, "Calibration")

        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(left)
        top.addWidget(self.tabs)
        top.setSizes([620, 700])

        self.disagreement_table = DisagreementTable()
        self.disagreement_table.itemSelectionChanged.connect(self._disagreement_chosen)
        self.settle_value = QComboBox()
        self.settle_value.setAccessibleName("The value that counts")
        self.settle_reason = QLineEdit()
        self.settle_reason.setAccessibleName("Why this value counts")
        self.settle_reason.setPlaceholderText("Why this is the value that counts")
        self.settle_reason.returnPressed.connect(self.settle)
        self.settle_button = self._button("&Settle", "settle", self.settle)
        self.open_only = QComboBox()
        self.open_only.addItems(["To settle", "All"])
        self.open_only.setAccessibleName("Which disagreements")
        self.open_only.currentIndexChanged.connect(lambda _i: self.refresh_view())
        self.disagreement_title = bold(plain_label(wrap=False))
        bottom = QWidget()
        lower = QVBoxLayout(bottom)
        lower.setContentsMargins(0, 0, 0, 0)
        titles = QHBoxLayout()
        titles.addWidget(self.disagreement_title, 1)
        titles.addWidget(self.open_only)
        lower.addLayout(titles)
        lower.addWidget(self.disagreement_table, 1)
        settle = QHBoxLayout()
        settle.addWidget(plain_label("Settle with:", wrap=False))
        settle.addWidget(self.settle_value)
        settle.addWidget(self.settle_reason, 1)
        settle.addWidget(self.settle_button)
        lower.addLayout(settle)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setSizes([420, 300])
        layout = QVBoxLayout(self.overview)
        layout.addLayout(head)
        layout.addWidget(split, 1)

    # -------------------------------------------------------------- refresh

    def _on_changed(self, ops: tuple[Op, ...]) -> None:
        if not ops or any(
            op.entity.startswith("moderation_") or op.entity in WATCHED for op in ops
        ):
            self.refresh_soon()

    def refresh_view(self) -> None:
        store = self.store
        self.names = store.reads.member_names()
        me = next((m for m in store.reads.members() if m.id == self.session.me), None)
        self.is_lead = me is not None and me.role == "lead"
        progress = dis.progress(store)
        self.progress = {p.case_id: p for p in progress}
        self.sample_table.show_progress(progress, self.names)
        draws = reads.draws(store)
        if draws:
            d = draws[0]
            again = "repeats exactly" if sample.repeat(d) == list(d.drawn) else "NO LONGER REPEATS"
            text = f"Drawn with seed {d.seed}: {d.share}% of each assessor's cases, at least {d.minimum}; {len(d.drawn)} of {len(d.frame)} drawn (the draw {again})."
        else:
            text = "No sample drawn yet." + ("" if self.is_lead else " The lead draws it.")
        mine = [
            p
            for p in progress
            if self.session.me in p.expected and self.session.me not in p.complete
        ]
        if mine:
            text += f" You have {len(mine)} blind assessment{'s' if len(mine) != 1 else ''} to do."
        self.summary.setText(text)
        self.sample_title.setText(f"Sample ({len(progress)} cases)")
        open_only = self.open_only.currentIndex() == 0
        found = dis.disagreements(store, open_only=open_only)
        n_open = sum(1 for d in found if d.open) if not open_only else len(found)
        self.disagreement_table.show_disagreements(found, self.names)
        self.disagreement_title.setText(f"Disagreements to settle: {n_open}")
        self.agreement = figures.agreement(store)
        keep = self.scope.currentIndex()
        self.scope.blockSignals(True)
        self.scope.clear()
        self.scope.addItem(f"The team ({self.agreement.team.cases} cases)")
        for s in self.agreement.pairs:
            self.scope.addItem(f"{s.name} ({s.cases} cases)")
        self.scope.setCurrentIndex(keep if 0 <= keep < self.scope.count() else 0)
        self.scope.blockSignals(False)
        self._show_scope()
        self.reading.setText("\n".join(self.agreement.reading))
        self._show_calibration()
        self._update_buttons()
        self._disagreement_chosen()

    def _show_scope(self) -> None:
        i = self.scope.currentIndex()
        scopes = [self.agreement.team, *self.agreement.pairs]
        if 0 <= i < len(scopes):
            self.agreement_table.show_rows(scopes[i].rows)

    def _show_calibration(self) -> None:
        cal = figures.calibration(self.store)
        self.spread_table.show_spread(cal.spread)
        if not cal.cases:
            self.calibration_note.setText(
                "No calibration case yet: the lead marks a few that everyone assesses blind."
            )
            return
        done = ", ".join(f"{p.case_ref} {p.state.lower()}" for p in cal.cases)
        fleiss = "–" if cal.fleiss is None else f"{cal.fleiss:.2f}"
        alpha = "–" if cal.alpha is None else f"{cal.alpha:.2f}"
        everyone = cal.assessed_by_everyone
        self.calibration_note.setText(
            f"{done}. Fleiss' kappa {fleiss} (over the {everyone} case"
            f"{'s' if everyone != 1 else ''} assessed by everyone); Krippendorff's alpha "
            f"{alpha} (over {cal.units} case key questions, whoever has judged them). "
            "Split judgements are listed first."
        )

    def _update_buttons(self) -> None:
        for b in (self.draw_button, self.add_button, self.calibrate_button):
            b.setVisible(self.is_lead)
        self.draw_button.setEnabled(not reads.draws(self.store))
        p = self.progress.get(self.sample_table.current_key())
        self.blind_button.setEnabled(
            p is not None and self.session.me in p.expected and self.session.me not in p.complete
        )

    def _disagreement_chosen(self) -> None:
        d = self.disagreement_table.current()
        self.settle_value.clear()
        if d is None:
            self.settle_button.setEnabled(False)
            return
        values = [d.first.value, d.second.value]
        if d.kind == "judgement":
            values += ["yes", "no", "na"]
        for v in dict.fromkeys(v for v in values if v is not None if not isinstance(v, list)):
            self.settle_value.addItem(words(v), v)
        if d.settled is not None:
            self.settle_value.setCurrentIndex(max(0, self.settle_value.findData(d.settled.value)))
        self.settle_button.setEnabled(True)

    # -------------------------------------------------------------- actions

    def draw(self) -> bool:
        dialog = DrawDialog(self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        rule = {
            "share": dialog.share.value(),
            "seed": dialog.chosen_seed(),
            "minimum": dialog.minimum.value(),
        }
        dialog.deleteLater()
        if not accepted:
            return False
        return self.session.act("Draw the moderation sample", sample.draw, **rule) is not None

    def _cases_outside(self) -> list[Any]:
        inside = reads.sample(self.store)
        return [c for c in self.store.reads.cases() if c.id not in inside]

    def add_case(self) -> bool:
        cases = [c for c in self._cases_outside() if c.inspector]
        dialog = AddCaseDialog(cases, sample.second_assessors(self.store), self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        chosen = (dialog.case.currentData(), dialog.reason.text(), dialog.second.currentData())
        dialog.deleteLater()
        if not accepted or chosen[0] is None:
            return False
        done = self.session.act("Add a case to the moderation sample", sample.add_case, *chosen)
        return done is not None

    def calibrate(self) -> bool:
        dialog = CalibrationDialog(self._cases_outside(), self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        case_id = dialog.case.currentData()
        dialog.deleteLater()
        if not accepted or case_id is None:
            return False
        done = self.session.act("Mark a calibration case", sample.mark_calibration, case_id)
        return done is not None

    def assess_blind(self) -> bool:
        case_id = self.sample_table.current_key()
        p = self.progress.get(case_id)
        if p is None or self.session.me not in p.expected:
            self.session.failed.emit("Choose a case you are to assess blind.")
            return False
        if reads.round_status(self.store, case_id, self.session.me) == COMPLETE:
            self.session.failed.emit("Your assessment of that case is complete already.")
            return False
        self.blind.open_case(case_id)
        self.stack.setCurrentWidget(self.blind)
        return True

    def _blind_done(self, case_id: str) -> None:
        self.stack.setCurrentWidget(self.overview)
        self.refresh_view()
        if case_id:
            self.sample_table.select_key(case_id)
        self.sample_table.setFocus()

    def settle(self) -> bool:
        d = self.disagreement_table.current()
        if d is None:
            return False
        done = self.session.act(
            f"Settle {d.question_id} of {d.case_ref}",
            dis.settle,
            d.case_id,
            d.question_id,
            self.settle_value.currentData(),
            self.settle_reason.text(),
        )
        if done is None:
            return False
        self.settle_reason.clear()
        self.session.saved.emit(
            f"Settled {d.question_id} of {d.case_ref}: the settled value counts."
        )
        return True

    def flush(self) -> None:
        """Nothing typed waits to be saved: each answer is saved when chosen."""
