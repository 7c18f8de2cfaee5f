"""The review editor's pages: planned from the form, each built when first shown,
and moving between the questions on them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QListWidgetItem, QScrollArea, QVBoxLayout, QWidget

from fieldwork.core.casework import validation as review
from fieldwork.core.casework import wording
from fieldwork.core.forms.loader import Form, KeyQuestion, Section
from fieldwork.ui.review.base import ReviewBase
from fieldwork.ui.review.judgement import JudgementRow
from fieldwork.ui.review.rows import TextRow, make_row
from fieldwork.ui.review.widgets import QuestionRow
from fieldwork.ui.widgets.labels import bold, muted, plain_label

QID_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass
class Page:
    title: str
    section: Section | None  # None: the case details (the form's attributes)
    scroll: QScrollArea
    qids: list[str] = field(default_factory=list)  # every row on the page, in form order
    built: bool = False


class ReviewPages(ReviewBase):
    """Plans and builds the pages of rows; shows a page, focuses a question."""

    def _plan_pages(self) -> None:
        """Pages and the navigation order from the form; rows are made when a page shows."""
        form = self.form
        plans: list[tuple[str, Section | None, list[str]]] = []
        if form.attributes:
            plans.append(("Case details", None, [q.id for q in form.attributes]))
        for s in form.sections:
            qids: list[str] = []
            for kq in s.key_questions:
                qids += [p.id for p in kq.prompts] + [kq.id]
            qids += [n.id for n in s.notes]
            plans.append((f"{s.id} {s.title}", s, qids))
        notes = {n.id for s in form.sections for n in s.notes}
        for i, (title, section, qids) in enumerate(plans):
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setAccessibleName(f"Questions: {title}")
            self.pages.append(Page(title, section, scroll, qids))
            self.stack.addWidget(scroll)
            self.sections.addItem(QListWidgetItem(title))
            for qid in qids:
                self.page_of[qid] = i
                if qid not in notes:
                    self.nav.append(qid)

    def _use_form(self, form: Form) -> None:
        """Assess with the case's own instrument: pages are planned again when a case of
        another sample (another form) is opened."""
        if form.id == self.form.id and form.version == self.form.version:
            return
        self.form = form
        self.rows.clear()
        self.pages.clear()
        self.page_of.clear()
        self.nav.clear()
        self.sections.blockSignals(True)
        self.sections.clear()
        self.sections.blockSignals(False)
        while (widget := self.stack.widget(0)) is not None:
            self.stack.removeWidget(widget)
            widget.deleteLater()
        self._plan_pages()

    def _build_page(self, index: int) -> None:
        page = self.pages[index]
        if page.built:
            return
        page.built = True
        body = QWidget()
        body.setObjectName(f"page-{index}")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 12, 12)
        layout.setSpacing(2)
        if page.section is None:
            layout.addWidget(bold(plain_label("Case details"), 1.2))
            for q in self.form.attributes:
                row = self._row(make_row(q, body))
                row.id_label.hide()  # attribute ids are names, not numbers worth showing
                layout.addWidget(row)
        else:
            s = page.section
            layout.addWidget(bold(plain_label(f"{s.id} {s.title}"), 1.2))
            layout.addWidget(muted(plain_label(s.question)))
            for kq in s.key_questions:
                layout.addSpacing(10)
                layout.addWidget(self._kq_heading(kq))
                for p in kq.prompts:
                    layout.addWidget(self._row(make_row(p, body)))
                layout.addWidget(self._row(JudgementRow(kq, body)))
            layout.addSpacing(10)
            for note in s.notes:
                layout.addWidget(self._row(TextRow(note, body)))
        layout.addStretch(1)
        page.scroll.setWidget(body)
        if self.case is not None:
            for qid in page.qids:
                self._load_row(qid)
            self._refresh_page(index)

    def _kq_heading(self, kq: KeyQuestion) -> QWidget:
        label = bold(plain_label(f"{kq.id}  {kq.text}"))
        label.setObjectName(f"{kq.id}/heading")
        return label

    def _row(self, row: QuestionRow) -> QuestionRow:
        self.rows[row.qid] = row
        row.answered.connect(self._answer)
        row.commented.connect(self._comment)
        row.move_focus.connect(self._move)
        if isinstance(row, JudgementRow):
            row.judged.connect(self._judge)
        row.set_read_only(self.read_only)
        return row

    def first_unanswered(self) -> str | None:
        for qid in self.nav:
            if self._navigable(qid) and not review.is_answered(self.values.get(qid)):
                return qid
        return self.nav[0] if self.nav else None

    def _navigable(self, qid: str) -> bool:
        if self.form.key_question(qid) is not None:
            return self._applies(qid)
        return qid in self.visible

    def _suggested(self, kq_id: str) -> str | None:
        """The suggested judgement, computed once per state of the answers."""
        if kq_id not in self._suggestions:
            self._suggestions[kq_id] = review.suggest_judgement(
                self.form, kq_id, self.values, self.visible
            )
        return self._suggestions[kq_id]

    def _applies(self, kq_id: str) -> bool:
        # suggest_judgement says 'na' exactly when the judgement does not apply
        return self._suggested(kq_id) != "na"

    def _load_row(self, qid: str) -> None:
        row = self.rows[qid]
        answer = self.answers.get(qid)
        row.set_value(answer.value if answer else None)
        row.set_comment(answer.comment if answer else None)
        if isinstance(row, JudgementRow):
            row.set_reason(answer.reason if answer else None)

    def _refresh_page(self, index: int) -> None:
        errors = {
            p.question_id: p.message for p in self.problems if p.kind in ("constraint", "invalid")
        }
        for qid in self.pages[index].qids:
            row = self.rows[qid]
            if isinstance(row, JudgementRow):
                applies = self._applies(qid)
                row.set_suggestion(self._suggested(qid) if applies else None, applies)
            else:
                row.setVisible(qid in self.visible or self.form.question(qid) is None)
            row.set_error(errors.get(qid))

    def show_page(self, index: int) -> None:
        if not 0 <= index < len(self.pages):
            return
        self._build_page(index)
        self.stack.setCurrentIndex(index)
        if self.sections.currentRow() != index:
            self.sections.blockSignals(True)
            self.sections.setCurrentRow(index)
            self.sections.blockSignals(False)

    def focus_question(self, qid: str) -> bool:
        index = self.page_of.get(qid)
        if index is None:
            return False
        self.show_page(index)
        row = self.rows[qid]
        if row.isHidden():
            what = wording.question_short(self.form, qid)
            self.message.emit(f"{what} is not asked for this case (its skip logic hides it).")
            return False
        row.setFocus(Qt.FocusReason.OtherFocusReason)
        self.pages[index].scroll.ensureWidgetVisible(row, 10, 60)
        return True

    def _move(self, qid: str, delta: int) -> None:
        if qid not in self.nav:
            return
        i = self.nav.index(qid) + delta
        while 0 <= i < len(self.nav):
            if self._navigable(self.nav[i]):
                self.focus_question(self.nav[i])
                return
            i += delta

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        if new is None or not self.isVisible():
            return
        if not self.pages:
            return
        scroll = self.pages[self.stack.currentIndex()].scroll
        body = scroll.widget()
        if body is not None and body.isAncestorOf(new):
            scroll.ensureWidgetVisible(new, 10, 60)
