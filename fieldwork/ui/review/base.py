"""What the review editor's parts share: the case open, its answers, the rows and pages.

The pages (pages.py) and the writing actions (actions.py) are mixins on `ReviewBase`;
`ReviewEditor` (editor.py) puts them together and keeps them up to date.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QListWidget, QStackedWidget

from fieldwork.core.casework import validation as review
from fieldwork.core.forms.loader import Form
from fieldwork.core.model import Answer, Case
from fieldwork.ui.review.widgets import QuestionRow
from fieldwork.ui.session import Session
from fieldwork.ui.widgets.screen import Screen

if TYPE_CHECKING:
    from fieldwork.ui.review.pages import Page


class ReviewBase(Screen):
    """The state the review editor's parts read and write (set up by `ReviewEditor`)."""

    opened = Signal(str)  # case id
    message = Signal(str)  # a line for the status bar

    session: Session
    tasks: Any
    form: Form
    case: Case | None
    answers: dict[str, Answer]
    values: dict[str, Any]
    reasons: dict[str, str | None]
    visible: set[str]
    problems: list[review.Problem]
    read_only: bool
    qa_mode: bool
    rows: dict[str, QuestionRow]
    pages: list[Page]
    page_of: dict[str, int]
    nav: list[str]  # rows Y/N/A and arrows move through, in form order
    _suggestions: dict[str, str | None]  # key question -> suggestion, now
    sections: QListWidget
    stack: QStackedWidget
    problems_list: QListWidget

    @property
    def store(self) -> Any:
        return self.session.store

    @property
    def case_id(self) -> str | None:
        return self.case.id if self.case else None

    if TYPE_CHECKING:  # defined by ReviewEditor and ReviewActions; the page rows call them

        def _reload(self) -> None: ...
        def _answer(self, qid: str, value: Any) -> None: ...
        def _comment(self, qid: str, text: str) -> None: ...
        def _judge(self, qid: str, value: Any, reason: str) -> None: ...
