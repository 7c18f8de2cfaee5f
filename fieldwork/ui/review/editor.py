"""The review editor: one case's review, built from the inspection's form.

A page per standard (plus the case details), each built the first time it is shown
and kept for the next case. Every answer goes through `Session.act` with a function of
core/casework/answering.py, so the change log, undo and the case's status stay right.
Skip logic, problems and suggested judgements are recomputed from the stored answers
after every change (core/casework/validation.py decides; this module only shows).

Keyboard: focus starts on the first unanswered question; Y / N / A answer a yes/no
row and move on; Up / Down and Tab move without answering; Ctrl+Enter marks the
review complete, or shows the first problem.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from fieldwork.core.casework import answering
from fieldwork.core.casework import validation as review
from fieldwork.core.forms.loader import Form, KeyQuestion, Section
from fieldwork.core.model import Answer, Case, Op
from fieldwork.core.schema import STATUS_LABELS, natural_id
from fieldwork.ui.review.judgement import JudgementRow
from fieldwork.ui.review.rows import TextRow, make_row
from fieldwork.ui.review.widgets import QuestionRow
from fieldwork.ui.session import Session
from fieldwork.ui.widgets.colours import status_colour
from fieldwork.ui.widgets.labels import bold, in_colour, muted, plain_label
from fieldwork.ui.widgets.screen import Screen

QID_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass
class Page:
    title: str
    section: Section | None  # None: the case details (the form's attributes)
    scroll: QScrollArea
    qids: list[str] = field(default_factory=list)  # every row on the page, in form order
    built: bool = False


def case_pdf_available() -> bool:
    """Whether the report module can print one case (looked up without importing
    reportlab, which would slow down opening the first review)."""
    import fieldwork.core

    return (Path(fieldwork.core.__file__).parent / "report" / "case_pdf.py").is_file()


def write_case_pdf(store: Any, case: Case, out: str, progress: Any = None) -> str:
    """The single-case PDF, through whichever entry point the report module offers."""
    module = importlib.import_module("fieldwork.core.report.case_pdf")
    if hasattr(module, "write_case_pdf"):
        module.write_case_pdf(store, case.id, out)
    else:
        module.render_case(module.gather_case(store, case.ref), out, progress)
    return out


class ReviewEditor(Screen):
    opened = Signal(str)  # case id
    message = Signal(str)  # a line for the status bar

    def __init__(self, session: Session, tasks: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewEditor")
        self.setAccessibleName("Review editor")
        self.session = session
        self.tasks = tasks
        self.form: Form = session.store.reads.form()
        self.case: Case | None = None
        self.answers: dict[str, Answer] = {}
        self.values: dict[str, Any] = {}
        self.reasons: dict[str, str | None] = {}
        self.visible: set[str] = set()
        self.problems: list[review.Problem] = []
        self.read_only = False
        self.qa_mode = False
        self.rows: dict[str, QuestionRow] = {}
        self.pages: list[Page] = []
        self.page_of: dict[str, int] = {}
        self.nav: list[str] = []  # rows Y/N/A and arrows move through, in form order
        self._answer_rows: dict[str, str] = {}  # answer row id -> question id, this case
        self._removed: str | None = None  # the case shown when it was removed (until undone)
        self._suggestions: dict[str, str | None] = {}  # key question -> suggestion, now

        self._build()
        self._plan_pages()
        session.changed.connect(self._on_changed)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.setWhatsThis("Mark the review complete, or go to its first problem")
            shortcut.activated.connect(self.mark_complete)

    # ------------------------------------------------------------ layout

    def _build(self) -> None:
        self.ref_label = bold(plain_label(wrap=False), 1.35)
        self.details_label = muted(plain_label(wrap=False))
        self.status_label = bold(plain_label(wrap=False))
        self.status_label.setObjectName("reviewStatus")
        self.pdf_button = QPushButton("&Print (PDF)…")
        self.pdf_button.setObjectName("printReview")
        self.pdf_button.setAccessibleName("Print this case assessment as a PDF")
        self.pdf_button.clicked.connect(self.print_pdf)
        self.reopen_button = QPushButton("Re&open as draft")
        self.reopen_button.setAccessibleName("Reopen this case assessment as a draft")
        self.reopen_button.clicked.connect(self.reopen)
        self.complete_button = QPushButton("&Mark complete  (Ctrl+Enter)")
        self.complete_button.setObjectName("markComplete")
        self.complete_button.setAccessibleName("Mark the case assessment complete")
        self.complete_button.clicked.connect(self.mark_complete)

        head = QHBoxLayout()
        names = QVBoxLayout()
        names.setSpacing(0)
        names.addWidget(self.ref_label)
        names.addWidget(self.details_label)
        head.addLayout(names, 1)
        head.addWidget(self.status_label)
        head.addSpacing(12)
        head.addWidget(self.pdf_button)
        head.addWidget(self.reopen_button)
        head.addWidget(self.complete_button)

        self.banner = QFrame()
        self.banner.setObjectName("qaBanner")
        self.banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.banner.setAutoFillBackground(True)
        self.banner_text = plain_label(selectable=True)
        self.banner_text.setObjectName("qaComment")
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.addWidget(self.banner_text)
        self.banner.hide()

        self.qa_box = QGroupBox("Quality assurance")
        self.qa_box.setObjectName("qaBox")
        self.qa_comment = QPlainTextEdit()
        self.qa_comment.setObjectName("qaCommentEdit")
        self.qa_comment.setAccessibleName("Quality assurance comment")
        self.qa_comment.setPlaceholderText("Comment for the inspector (required to return)")
        self.qa_comment.setTabChangesFocus(True)
        self.qa_comment.setMaximumHeight(64)
        self.confirm_button = QPushButton("Quality assured")
        self.confirm_button.setObjectName("qaConfirm")
        self.confirm_button.clicked.connect(self.confirm_qa)
        self.return_button = QPushButton("Return to inspector")
        self.return_button.setObjectName("qaReturn")
        self.return_button.clicked.connect(self.return_qa)
        qa_layout = QHBoxLayout(self.qa_box)
        qa_layout.addWidget(self.qa_comment, 1)
        buttons = QVBoxLayout()
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(self.return_button)
        qa_layout.addLayout(buttons)
        self.qa_box.hide()

        self.sections = QListWidget()
        self.sections.setObjectName("reviewSections")
        self.sections.setAccessibleName("Standards")
        self.sections.currentRowChanged.connect(self.show_page)
        self.sections.setWordWrap(True)
        self.sections.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.sections.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sections.setSpacing(3)
        self.stack = QStackedWidget()
        self.problems_list = QListWidget()
        self.problems_list.setObjectName("reviewProblems")
        self.problems_list.setAccessibleName("Problems")
        self.problems_list.setWordWrap(True)
        self.problems_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.problems_list.itemActivated.connect(self._problem_chosen)
        self.problems_list.itemClicked.connect(self._problem_chosen)
        self.problems_title = bold(plain_label())
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.problems_title)
        side_layout.addWidget(self.problems_list, 1)

        self.splitter = QSplitter()
        self.splitter.addWidget(self.sections)
        self.splitter.addWidget(self.stack)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([245, 790, 235])
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.banner)
        layout.addWidget(self.qa_box)
        layout.addWidget(self.splitter, 1)
        # Only now, with a parent: setVisible(True) on a parentless widget opens a window.
        self.pdf_button.setVisible(case_pdf_available())

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

    # ------------------------------------------------------------ opening

    @property
    def store(self) -> Any:
        return self.session.store

    @property
    def case_id(self) -> str | None:
        return self.case.id if self.case else None

    def open_case(self, case_id: str, focus: str | None = None) -> bool:
        """Show a case's review; focus a question (or the first unanswered one)."""
        self.flush()
        case = self.store.reads.case(case_id)
        if case is None:
            return False
        self._use_form(answering.form_of(self.store, case))
        self.case, self._removed = case, None
        self.setEnabled(True)
        ids = [q.id for q in self.form.questions()] + [kq.id for kq in self.form.key_questions()]
        self._answer_rows = {natural_id("answers", case.id, q): q for q in ids}
        self.qa_comment.clear()
        self._reload()
        self.opened.emit(case.id)
        target = focus if focus in self.page_of else self.first_unanswered()
        if target is not None:
            self.focus_question(target)
        return True

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
            self._suggestions[kq_id] = review.suggest_judgement(self.form, kq_id, self.values)
        return self._suggestions[kq_id]

    def _applies(self, kq_id: str) -> bool:
        # suggest_judgement says 'na' exactly when the judgement does not apply
        return self._suggested(kq_id) != "na"

    def _reload(self) -> None:
        assert self.case is not None
        case = self.store.reads.case(self.case.id)
        if case is None:  # removed (here or by an import): nothing left to edit
            self._removed, self.case = self.case.id, None
            self.setEnabled(False)
            return
        self.case = case
        self.answers = self.store.reads.answers(case.id)
        self.values = {q: a.value for q, a in self.answers.items() if a.value is not None}
        self.reasons = {q: a.reason for q, a in self.answers.items() if a.reason}
        self._suggestions = {}
        me = self.session.me
        self.qa_mode = case.qa_inspector == me and case.status in ("complete", "reviewed")
        read_only = self.qa_mode or self.store.readonly
        if read_only != self.read_only:
            self.read_only = read_only
            for row in self.rows.values():
                row.set_read_only(read_only)
        for qid in self.rows:
            self._load_row(qid)
        self._refresh()

    def _load_row(self, qid: str) -> None:
        row = self.rows[qid]
        answer = self.answers.get(qid)
        row.set_value(answer.value if answer else None)
        row.set_comment(answer.comment if answer else None)
        if isinstance(row, JudgementRow):
            row.set_reason(answer.reason if answer else None)

    # ------------------------------------------------------------ refreshing

    def _refresh(self) -> None:
        case = self.case
        assert case is not None
        form = self.form
        self.visible = {q.id for q in review.visible_questions(form, self.values)}
        self.problems = review.validate(form, self.values, self.reasons)
        for i, page in enumerate(self.pages):
            if page.built:
                self._refresh_page(i)
        self._show_problems()
        self._show_header(case)
        self._show_progress()

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

    def _show_problems(self) -> None:
        self.problems_list.clear()
        for p in self.problems:
            item = QListWidgetItem(f"{p.question_id}: {p.message}")  # items are plain text
            item.setData(QID_ROLE, p.question_id)
            item.setToolTip(self._question_text(p.question_id))
            self.problems_list.addItem(item)
        n = len(self.problems)
        self.problems_title.setText(
            f"Problems ({n})" if n else "No problems: the review can be marked complete"
        )

    def _question_text(self, qid: str) -> str:
        q = self.form.question(qid)
        if q is not None:
            return q.text
        kq = self.form.key_question(qid)
        return kq.text if kq else qid

    def _show_header(self, case: Case) -> None:
        names = {m.id: m.name for m in self.store.reads.members()}
        self.ref_label.setText(f"Case {case.ref}")
        bits = [
            case.organisation,
            case.office,
            f"officer {case.officer}" if case.officer else None,
            f"reviewed by {names.get(case.inspector or '', '—')}",
        ]
        if case.qa_inspector:
            bits.append(f"QA by {names.get(case.qa_inspector, '—')}")
        self.details_label.setText(" · ".join(b for b in bits if b))
        self.status_label.setText(f"● {STATUS_LABELS.get(case.status, case.status)}")
        in_colour(self.status_label, status_colour(case.status))
        done = case.status in ("complete", "reviewed")
        self.complete_button.setVisible(not done and not self.read_only)
        self.reopen_button.setVisible(done and not self.read_only)
        self.qa_box.setVisible(self.qa_mode)
        self.confirm_button.setEnabled(self.qa_mode)
        self.return_button.setEnabled(self.qa_mode)
        if case.qa_comment and case.status in ("returned", "reviewed"):
            what = "Returned" if case.status == "returned" else "Reviewed"
            self.banner_text.setText(f"{what} by quality assurance: {case.qa_comment}")
            self.banner.show()
            palette = self.banner.palette()
            tint = QColor(status_colour(case.status))
            tint.setAlpha(45)
            palette.setColor(QPalette.ColorRole.Window, tint)
            self.banner.setPalette(palette)
        else:
            self.banner.hide()

    def _show_progress(self) -> None:
        for i, page in enumerate(self.pages):
            total = answered = 0
            for qid in page.qids:
                if self.form.key_question(qid) is not None:
                    if not self._applies(qid):
                        continue
                elif qid not in self.visible or page.section is not None and "/" in qid:
                    continue
                total += 1
                answered += review.is_answered(self.values.get(qid))
            flagged = sum(self.page_of.get(p.question_id) == i for p in self.problems)
            item = self.sections.item(i)
            mark = "✓" if not flagged else f"{flagged} to do"
            item.setText(f"{page.title}\n{answered}/{total} answered · {mark}")

    # ------------------------------------------------------------ navigation

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
            self.message.emit(f"{qid} is not asked for this case (its skip logic hides it).")
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

    def _problem_chosen(self, item: QListWidgetItem) -> None:
        self.focus_question(item.data(QID_ROLE))

    # ------------------------------------------------------------ writing

    def _act(self, description: str, fn: Any, *args: Any, **kw: Any) -> bool:
        if self.case is None or self.read_only:
            return False
        ops = self.session.act(description, fn, self.case, *args, **kw)
        if ops is None:  # refused: show what is stored again
            self._reload()
            return False
        return True

    def _answer(self, qid: str, value: Any) -> None:
        q = self.form.question(qid)
        what = "note" if "/" in qid else "answer"
        if q is not None and q.type == "text" and "/" not in qid:
            what = "text"
        self._act(f"{what} {qid}", answering.answer, qid, value)

    def _comment(self, qid: str, text: str) -> None:
        value = self.values.get(qid)
        self._act(f"comment {qid}", answering.answer, qid, value, comment=text)

    def _judge(self, qid: str, value: Any, reason: str) -> None:
        self._act(f"judgement {qid}", answering.answer, qid, value, reason=reason or None)

    def flush(self) -> None:
        """Save any text typed but not yet saved (before close, lock, undo, another case)."""
        if self.case is None or self.read_only:
            return
        for row in list(self.rows.values()):
            row.flush()

    def mark_complete(self) -> None:
        if self.case is None or self.read_only:
            return
        self.flush()
        if self.case.status in ("complete", "reviewed"):
            self.message.emit("This review is already complete.")
            return
        problems = review.validate(self.form, self.values, self.reasons)
        if problems:
            first = problems[0]
            n = len(problems)
            self.message.emit(
                f"Not complete yet: {n} problem{'s' if n != 1 else ''}; "
                f"first {first.question_id}: {first.message}"
            )
            self.problems_list.setCurrentRow(0)
            self.focus_question(first.question_id)
            return
        if self._act("mark complete", answering.mark_complete):
            self.message.emit(f"Case {self.case.ref} marked complete.")

    def reopen(self) -> None:
        self._act("reopen review", answering.reopen)

    def confirm_qa(self) -> None:
        if self.case is None or not self.qa_mode:
            return
        comment = self.qa_comment.toPlainText().strip() or None
        if self.session.act("confirm review", answering.confirm_qa, self.case, comment):
            self.message.emit(f"Case {self.case.ref} confirmed as reviewed.")

    def return_qa(self) -> None:
        if self.case is None or not self.qa_mode:
            return
        comment = self.qa_comment.toPlainText()
        if self.session.act("return review", answering.return_to_inspector, self.case, comment):
            self.message.emit(f"Case {self.case.ref} returned to its inspector.")

    def print_pdf(self) -> None:
        if self.case is None:
            return
        self.flush()
        case = self.case
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        ) or str(Path.home())
        out, _ = QFileDialog.getSaveFileName(
            self, "Print review", str(Path(folder) / f"review-{case.ref}.pdf"), "PDF (*.pdf)"
        )
        if not out:
            return
        if self.tasks is None:
            write_case_pdf(self.store, case, out)
            self.message.emit(f"Review saved as {out}")
            return
        self.tasks.run(
            f"Writing the review of case {case.ref}…",
            lambda store, progress: write_case_pdf(store, case, out, progress),
            lambda path: self.message.emit(f"Review saved as {path}"),
            lambda error: self.message.emit(error or "Cancelled: no PDF was written."),
        )

    # ------------------------------------------------------------ changes

    def _on_changed(self, ops: tuple[Op, ...]) -> None:
        if self.case is None:
            gone = self._removed
            if gone and any(o.entity == "cases" and o.row == gone for o in ops):
                back = self.store.reads.case(gone)
                if back is not None:  # the removal was undone
                    self.case, self._removed = back, None
                    self.setEnabled(True)
                    self._reload()
            return
        mine = not ops or any(
            (o.entity == "cases" and o.row == self.case.id)
            or (o.entity == "answers" and o.row in self._answer_rows)
            or o.entity == "members"
            for o in ops
        )
        if mine:
            self._reload()
