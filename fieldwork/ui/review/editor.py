"""The review editor: one case's review, built from the inspection's form.

A page per standard (plus the case details), each built the first time it is shown
and kept for the next case. Every answer goes through `Session.act` with a function of
core/casework/answering.py, so the change log, undo and the case's status stay right.
Skip logic, problems and suggested judgements are recomputed from the stored answers
after every change (core/casework/validation.py decides; this module only shows).

Keyboard: focus starts on the first unanswered question; Y / N / A answer a yes/no
row and move on; Up / Down and Tab move without answering; Ctrl+Enter marks the
review complete, or shows the first problem.

The pages (pages.py) and the answers and buttons that write (actions.py) are mixins
it is built from; their shared state is `ReviewBase` (base.py).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from fieldwork.core.casework import answering, wording
from fieldwork.core.casework import validation as review
from fieldwork.core.forms.loader import Form
from fieldwork.core.model import Answer, Case, Op
from fieldwork.core.schema import natural_id
from fieldwork.ui.review.actions import ReviewActions, case_pdf_available
from fieldwork.ui.review.pages import QID_ROLE, Page
from fieldwork.ui.review.widgets import QuestionRow
from fieldwork.ui.session import Session
from fieldwork.ui.widgets.labels import bold, muted, plain_label

EMPTY_TEXT = (
    "No case is open.\n\nChoose a case on the Cases screen (Ctrl+2) and press Enter to assess it."
)


class ReviewEditor(ReviewActions):
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
        head = self._build_head()  # the case, its status and the buttons; the QA box

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
        self.problems_list.setAlternatingRowColors(True)  # a title and a message per problem
        self.problems_list.setTextElideMode(Qt.TextElideMode.ElideNone)
        # Wrapped items are measured for the width they are drawn at: a scroll bar that
        # came and went after measuring cut the last line of a long question.
        self.problems_list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.problems_list.setResizeMode(QListWidget.ResizeMode.Adjust)
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

        self.body = QWidget()
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.banner)
        layout.addWidget(self.qa_box)
        layout.addWidget(self.splitter, 1)
        self.empty = muted(plain_label(EMPTY_TEXT))
        self.empty.setObjectName("reviewEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a screen reader reads it
        self.empty.setAccessibleName("No case open")
        self.showing = QStackedWidget()
        self.showing.addWidget(self.empty)
        self.showing.addWidget(self.body)
        outer = QVBoxLayout(self)
        outer.addWidget(self.showing)
        # Only now, with a parent: setVisible(True) on a parentless widget opens a window.
        self.pdf_button.setVisible(case_pdf_available())
        self._show_empty()

    def _show_empty(self) -> None:
        """No case open: a line saying how to open one, and no button to press."""
        self.case = None
        self.showing.setCurrentWidget(self.empty)
        for button in (self.pdf_button, self.reopen_button, self.complete_button,
                       self.confirm_button, self.return_button):  # fmt: skip
            button.setEnabled(False)

    def _show_body(self) -> None:
        """A case is open: its review, and the buttons that act on it."""
        self.showing.setCurrentWidget(self.body)
        for button in (self.pdf_button, self.reopen_button, self.complete_button):
            button.setEnabled(True)

    # ------------------------------------------------------------ opening

    def open_case(self, case_id: str, focus: str | None = None) -> bool:
        """Show a case's review; focus a question (or the first unanswered one)."""
        self.flush()
        case = self.store.reads.case(case_id)
        if case is None:
            return False
        self._use_form(answering.form_of(self.store, case))
        self.case, self._removed = case, None
        self._show_body()
        ids = [q.id for q in self.form.questions()] + [kq.id for kq in self.form.key_questions()]
        self._answer_rows = {natural_id("answers", case.id, q): q for q in ids}
        self.qa_comment.clear()
        self._reload()
        self.opened.emit(case.id)
        target = focus if focus in self.page_of else self.first_unanswered()
        if target is not None:
            self.focus_question(target)
        return True

    def _reload(self) -> None:
        assert self.case is not None
        case = self.store.reads.case(self.case.id)
        if case is None:  # removed (here or by an import): nothing left to edit
            removed = self.case.id
            self._show_empty()
            self._removed = removed
            return
        self.case = case
        self.answers = self.store.reads.answers(case.id)
        self.values = {q: a.value for q, a in self.answers.items() if a.value is not None}
        self.reasons = {q: a.reason for q, a in self.answers.items() if a.reason}
        # Which questions show, worked out once per state of the answers: every key
        # question's suggestion reads it (once each, it made a big form quadratic).
        self.visible = {q.id for q in review.visible_questions(self.form, self.values)}
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

    # ------------------------------------------------------------ refreshing

    def _refresh(self) -> None:
        case = self.case
        assert case is not None
        form = self.form
        self.problems = review.validate(form, self.values, self.reasons)
        for i, page in enumerate(self.pages):
            if page.built:
                self._refresh_page(i)
        self._show_problems()
        self._show_header(case)
        self._show_progress()

    def _show_problems(self) -> None:
        self.problems_list.clear()
        for p in self.problems:
            title = wording.question_title(self.form, p.question_id)
            item = QListWidgetItem(f"{title}\n{p.message}")  # items are plain text
            item.setData(QID_ROLE, p.question_id)
            item.setToolTip(f"{title}: {p.message}")
            self.problems_list.addItem(item)
        n = len(self.problems)
        self.problems_title.setText(
            f"Problems ({n})" if n else "No problems: the case assessment can be marked complete"
        )

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

    def _problem_chosen(self, item: QListWidgetItem) -> None:
        self.focus_question(item.data(QID_ROLE))

    # ------------------------------------------------------------ changes

    def _on_changed(self, ops: tuple[Op, ...]) -> None:
        if self.case is None:
            gone = self._removed
            if gone and any(o.entity == "cases" and o.row == gone for o in ops):
                back = self.store.reads.case(gone)
                if back is not None:  # the removal was undone
                    self.case, self._removed = back, None
                    self._show_body()
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
