"""A blind assessment of one case: the instrument's prompts and key-question judgements,
every one blank at the start, with the case facts from the record. Nothing of the first
assessment (or of anyone else's round) is read here: core/moderation/rounds.py would
refuse it (Blind) until this round is complete.

Each answer is saved as it is chosen, through Session.act (one undo step each); the
keyboard goes from prompt to prompt with Tab, and a choice is made by typing its first
letters (y, n, not) or with the arrow keys.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fieldwork.core.casework import validation as review
from fieldwork.core.casework import wording
from fieldwork.core.forms.loader import KeyQuestion, Question
from fieldwork.core.moderation import rounds
from fieldwork.ui.widgets.labels import bold, muted, plain_label

CHOICES = {
    "yes_no_na": (("Yes", "yes"), ("No", "no"), ("Not applicable", "na")),
    "yes_no": (("Yes", "yes"), ("No", "no")),
}


class BlindRoundEditor(QWidget):
    done = Signal(str)  # case id: the round was completed (or left, with "")

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.case_id: str | None = None
        self.inputs: dict[str, QWidget] = {}
        self.reasons: dict[str, QLineEdit] = {}
        self.hints: dict[str, Any] = {}
        self.rows: dict[str, list[QWidget]] = {}
        self._loading = False

        self.title = bold(plain_label(wrap=False), 1.2)
        self.note = muted(plain_label())
        self.facts = plain_label()
        self.complete_button = QPushButton("&Complete my assessment")
        self.complete_button.clicked.connect(lambda _=False: self.complete())
        self.back_button = QPushButton("&Back to moderation")
        self.back_button.clicked.connect(lambda _=False: self.done.emit(""))
        self.body = QWidget()
        self.grid = QGridLayout(self.body)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.body)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.complete_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.note)
        layout.addWidget(self.facts)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)

    @property
    def store(self) -> Any:
        return self.session.store

    # -------------------------------------------------------------- building

    def open_case(self, case_id: str) -> None:
        case = self.store.reads.case(case_id)
        if case is None:
            return
        self.case_id = case_id
        self.form = rounds.form_of(self.store, case)
        self.title.setText(f"Blind assessment of {case.ref}")
        self.note.setText(
            "Every prompt and judgement starts blank. The first assessment stays hidden "
            "until you complete yours; then the lead sees where you differ."
        )
        facts = rounds.case_facts(self.store, case)
        shown = [
            f"{q.text}: {wording.value_words(self.form, q.id, facts[q.id])}"
            for q in self.form.attributes
            if q.id in facts
        ]
        self.facts.setText("Case facts from the record: " + ("; ".join(shown) or "none recorded"))
        self._build()
        self.reload()
        first = next(iter(self.inputs.values()), None)
        if first is not None:
            first.setFocus()

    def _build(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.inputs.clear()
        self.reasons.clear()
        self.hints.clear()
        self.rows.clear()
        r = 0
        for kq in self.form.key_questions():
            self.grid.addWidget(bold(plain_label(f"{kq.id}  {kq.text}")), r, 0, 1, 3)
            r += 1
            for p in kq.prompts:
                label = plain_label(f"{p.id}  {p.text}")
                widget = self._input(p)
                self.grid.addWidget(label, r, 0)
                self.grid.addWidget(widget, r, 1)
                self.rows[p.id] = [label, widget]
                self.inputs[p.id] = widget
                r += 1
            r = self._judgement_row(kq, r)
        self.grid.setColumnStretch(0, 1)

    def _judgement_row(self, kq: KeyQuestion, r: int) -> int:
        label = bold(plain_label(f"Judgement on {kq.id}: does it focus sufficiently?"))
        combo = self._combo(kq.id, CHOICES["yes_no_na"])
        reason = QLineEdit()
        reason.setPlaceholderText("Reason, if the judgement differs from what the prompts suggest")
        reason.setAccessibleName(f"Reason for the judgement on {kq.id}")
        reason.editingFinished.connect(lambda q=kq.id: self._reason_changed(q))
        hint = muted(plain_label(wrap=False))
        self.grid.addWidget(label, r, 0)
        self.grid.addWidget(combo, r, 1)
        self.grid.addWidget(hint, r, 2)
        self.grid.addWidget(reason, r + 1, 0, 1, 3)
        self.inputs[kq.id] = combo
        self.reasons[kq.id] = reason
        self.hints[kq.id] = hint
        return r + 2

    def _combo(self, qid: str, choices: Any) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(qid)
        combo.addItem("", None)
        for text, value in choices:
            combo.addItem(text, value)
        combo.currentIndexChanged.connect(lambda _i, q=qid: self._chosen(q))
        return combo

    def _input(self, q: Question) -> QWidget:
        if q.type in CHOICES:
            return self._combo(q.id, CHOICES[q.type])
        if q.type == "single":
            return self._combo(q.id, [(c.label, c.id) for c in q.choices])
        edit = QLineEdit()
        edit.setAccessibleName(q.id)
        edit.setPlaceholderText("space between choices" if q.type == "multiple" else q.type)
        edit.editingFinished.connect(lambda qid=q.id: self._typed(qid))
        return edit

    # -------------------------------------------------------------- values

    def _mine(self) -> dict[str, Any]:
        me = self.session.me
        return rounds.answers_of(self.store, self.case_id, me, me) if self.case_id else {}

    def reload(self) -> None:
        """Show what this round holds (after a refused save, an undo or an import)."""
        if self.case_id is None:
            return
        mine = self._mine()
        self._loading = True
        try:
            for qid, widget in self.inputs.items():
                answer = mine.get(qid)
                value = answer.value if answer else None
                if isinstance(widget, QComboBox):
                    index = widget.findData(value)
                    widget.setCurrentIndex(max(index, 0))
                elif isinstance(widget, QLineEdit):
                    widget.setText(_text(value))
            for qid, edit in self.reasons.items():
                answer = mine.get(qid)
                edit.setText(answer.reason or "" if answer else "")
        finally:
            self._loading = False
        self._update_shown(mine)

    def _update_shown(self, mine: dict[str, Any]) -> None:
        case = self.store.reads.case(self.case_id)
        values = rounds.values(self.store, case, mine)
        visible = {q.id for q in review.visible_questions(self.form, values)}
        for qid, widgets in self.rows.items():
            for w in widgets:
                w.setVisible(qid in visible)
        for kq in self.form.key_questions():
            suggested = review.suggest_judgement(self.form, kq, values)
            words = review.JUDGEMENT_WORDS.get(suggested or "", "")
            self.hints[kq.id].setText(f"The prompts suggest: {words}" if words else "")
        self.complete_button.setEnabled(True)

    def _save(self, qid: str, value: Any) -> None:
        reason = self.reasons[qid].text().strip() if qid in self.reasons else None
        done = self.session.act(
            f"Blind answer to {qid}", rounds.answer, self.case_id, qid, value, reason=reason or None
        )
        if done is None:
            self.reload()  # refused: show what is stored
        else:
            self._update_shown(self._mine())

    def _chosen(self, qid: str) -> None:
        if self._loading or self.case_id is None:
            return
        widget = self.inputs[qid]
        assert isinstance(widget, QComboBox)
        self._save(qid, widget.currentData())

    def _typed(self, qid: str) -> None:
        if self._loading or self.case_id is None:
            return
        widget = self.inputs[qid]
        assert isinstance(widget, QLineEdit)
        question = self.form.question(qid)
        try:
            value = review.parse_cli_value(question, widget.text()) if question else None
        except ValueError as exc:
            self.session.failed.emit(str(exc))
            return
        stored = self._mine().get(qid)
        if value != (stored.value if stored else None):
            self._save(qid, value)

    def _reason_changed(self, qid: str) -> None:
        if self._loading or self.case_id is None:
            return
        combo = self.inputs[qid]
        assert isinstance(combo, QComboBox)
        current = self._mine().get(qid)
        typed = self.reasons[qid].text().strip() or None
        if combo.currentData() is not None and (current is None or current.reason != typed):
            self._save(qid, combo.currentData())

    def complete(self) -> bool:
        if self.case_id is None:
            return False
        done = self.session.act("Complete blind assessment", rounds.complete, self.case_id)
        if done is None:
            return False
        self.session.saved.emit(
            "Your assessment is complete: the first assessment can now be seen."
        )
        self.done.emit(self.case_id)
        return True


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return str(value)
