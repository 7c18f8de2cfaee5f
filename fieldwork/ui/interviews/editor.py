"""The Interviews screen: a list of interviews and an editor for one of them.

The editor's parts are mixins: the details form (details.py), the notes pane and its
quotes (notes.py) and the linked cases (links.py). Every edit goes through
`Session.act`, so the Edit menu can undo it.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from fieldwork.core.casework.interviews import (
    create_interview,
    delete_interview,
    kind_label,
)
from fieldwork.core.model import Interview, Op
from fieldwork.core.schema import INTERVIEW_KINDS
from fieldwork.ui.interviews.details import DetailsForm
from fieldwork.ui.interviews.links import LinkedCases
from fieldwork.ui.interviews.list_model import InterviewListModel
from fieldwork.ui.interviews.notes import NotesPane
from fieldwork.ui.interviews.quotes import QuoteTagDialog, to_qt
from fieldwork.ui.session import Session
from fieldwork.ui.widgets.autosave import Autosave
from fieldwork.ui.widgets.labels import plain_label

WATCHED = frozenset({"interviews", "interview_cases", "quotes", "quote_tags", "tags", "cases"})


# ------------------------------------------------------------ the screen


class InterviewsScreen(DetailsForm, NotesPane, LinkedCases):
    """List of interviews on the left, the selected one's editor on the right."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("interviewsScreen")
        self.session = session
        self.store = session.store
        self._current: Interview | None = None
        self._loading = False
        self._case_refs: dict[str, str] = {}  # case id -> ref
        self.tag_dialog: QuoteTagDialog | None = None
        self._loaded = False
        self._switching_to: str | None = None

        self._build()
        self._notes_saver = Autosave(self._save_notes, self, watch=self.notes)
        self._date_saver = Autosave(self._save_date, self)
        session.changed.connect(self._on_changed)
        self._reload_cases()
        self._reload()

    # -------------------------------------------------------------- layout

    def _build(self) -> None:
        # Left: filter, list, new / delete.
        self.kind_filter = QComboBox()
        self.kind_filter.setObjectName("interviewKindFilter")
        self.kind_filter.setAccessibleName("Show interviews of kind")
        self.kind_filter.addItem("All kinds", "")
        for kind in INTERVIEW_KINDS:
            self.kind_filter.addItem(kind_label(kind), kind)
        self.kind_filter.currentIndexChanged.connect(self._filter_changed)

        self.model = InterviewListModel(self)
        self.list = QListView()
        self.list.setObjectName("interviewList")
        self.list.setAccessibleName("Interviews")
        self.list.setModel(self.model)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(1)
        self.list.selectionModel().currentChanged.connect(self._current_changed)

        self.new_button = QPushButton("New interview")
        self.new_button.setObjectName("newInterview")
        self.new_button.setAccessibleName("New interview")
        self.new_button.clicked.connect(self.new_interview)
        self.delete_button = QPushButton("Delete")
        self.delete_button.setObjectName("deleteInterview")
        self.delete_button.setAccessibleName("Delete the selected interview")
        self.delete_button.setToolTip("Delete the selected interview (Undo brings it back)")
        self.delete_button.clicked.connect(self.delete_interview)

        filter_label = QLabel("&Show:")
        filter_label.setBuddy(self.kind_filter)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(filter_label)
        top.addWidget(self.kind_filter, 1)
        left_layout.addLayout(top)
        left_layout.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.delete_button)
        left_layout.addLayout(buttons)

        # Right: the details, then notes beside linked cases and quotes.
        details = self._build_details()
        notes_box = self._build_notes()
        cases_box = self._build_links()
        quotes_box = self._build_quotes()

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(cases_box)
        side_layout.addWidget(quotes_box, 1)

        body = QSplitter(Qt.Orientation.Horizontal)
        body.setChildrenCollapsible(False)
        body.addWidget(notes_box)
        body.addWidget(side)
        body.setStretchFactor(0, 3)
        body.setStretchFactor(1, 2)

        self.editor = QWidget()
        self.editor.setObjectName("interviewEditor")
        editor_layout = QVBoxLayout(self.editor)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.addLayout(details)
        editor_layout.addWidget(body, 1)

        self.placeholder = plain_label(
            "No interview selected. Choose one on the left, or New interview.", wrap=False
        )
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.editor, 1)
        right_layout.addWidget(self.placeholder, 1)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 4)
        split.setSizes([340, 960])  # the list's lines whole at 1280 pixels wide
        layout = QVBoxLayout(self)
        layout.addWidget(split)

        order = [
            self.kind_filter, self.list, self.new_button, self.delete_button, self.kind,
            self.date, self.organisation, self.title, self.consent, self.notes,
            self.mark_button, self.case_ref, self.link_button, self.linked,
            self.unlink_button, self.quote_list.list, self.quote_list.remove,
        ]  # fmt: skip
        for a, b in zip(order, order[1:], strict=False):
            self.setTabOrder(a, b)

    # -------------------------------------------------------------- loading

    def _reload(self) -> None:
        """Read the interviews again, keeping the selection (and any text being typed)."""
        first = not self._loaded
        self._loaded = True
        current_id = self._switching_to or (self._current.id if self._current else None)
        self._loading = True
        try:
            self.model.set_interviews(self.store.reads.interviews())
            row = self.model.row_of(current_id) if current_id else -1
            if row < 0 and first and self.model.rowCount():
                row = 0
            self._select_row(row)
        finally:
            self._loading = False
        if row >= 0:
            self._show(self.model.interview(row))
        else:  # deleted, or hidden by the kind filter but still open
            self._show(self.store.reads.interview(current_id) if current_id else None)

    def _select_row(self, row: int) -> None:
        sel = self.list.selectionModel()
        if row < 0:
            sel.clearCurrentIndex()
            sel.clearSelection()
        else:
            index = self.model.index(row)
            sel.setCurrentIndex(index, sel.SelectionFlag.ClearAndSelect)
            self.list.scrollTo(index)

    def _show(self, interview: Interview | None) -> None:
        """Put `interview` in the editor; fields the store did not change keep their widgets."""
        old = (
            self._current
            if interview and self._current and self._current.id == interview.id
            else None
        )
        self._current = interview
        self.editor.setVisible(interview is not None)
        self.placeholder.setVisible(interview is None)
        self.delete_button.setEnabled(interview is not None)
        if interview is None:
            self.placeholder.setText(
                "No interview selected: choose one on the left."
                if self.model.rowCount()
                else "No interviews yet. Press New interview to write up the first one."
            )
            self._loading = True
            self.notes.setPlainText("")
            self._loading = False
            self._update_actions()
            return
        self._loading = True
        try:
            if old is None:
                self._fill_organisations(interview.organisation)

            def changed(name: str) -> bool:
                return old is None or getattr(old, name) != getattr(interview, name)

            if changed("kind"):
                self.kind.setCurrentIndex(max(0, self.kind.findData(interview.kind)))
            if changed("title"):
                self.title.setText(interview.title or "")
            if changed("date"):
                self.date.setDate(self._qdate(interview.date))
            if changed("organisation"):
                self._fill_organisations(interview.organisation)
            if changed("consent"):
                self.consent.setChecked(interview.consent)
            self.consent.setVisible(interview.kind == "person")
            if old is None:
                self._notes_saver.cancel()
                self.notes.setPlainText(interview.notes)
                self.saved_label.setText("")
            elif self._notes_changed_elsewhere(old, interview):
                position = self.notes.textCursor().position()
                self.notes.setPlainText(interview.notes)
                cursor = self.notes.textCursor()
                cursor.setPosition(min(position, to_qt(interview.notes, len(interview.notes))))
                self.notes.setTextCursor(cursor)
            self._show_links(interview)
            quotes = self.store.reads.quotes(interview.id)
            self.quote_list.set_quotes(quotes)
            self._mark_quotes_in_notes(quotes)
        finally:
            self._loading = False
        self._update_actions()

    # -------------------------------------------------------------- public

    def current_interview_id(self) -> str | None:
        return self._current.id if self._current else None

    def open_interview(self, interview_id: str, select: tuple[int, int] | None = None) -> bool:
        """Show an interview; `select` is a passage (Python indices into the notes) to select."""
        self.flush()
        if self.model.row_of(interview_id) < 0:
            self.kind_filter.setCurrentIndex(0)
        row = self.model.row_of(interview_id)
        if row < 0:
            self._reload()
            row = self.model.row_of(interview_id)
            if row < 0:
                return False
        self._select_row(row)
        if select is not None:
            self.select_passage(*select)
        return True

    def flush(self) -> None:
        """Save whatever is typed but not yet saved (called before close, lock, switching)."""
        if self._current is None:
            return
        self._save_title()
        if self._date_saver.waiting:
            self._date_saver.flush()
        self._notes_saver.flush()

    def new_interview(self) -> None:
        self.flush()
        kind = self.kind_filter.currentData() or "officer"
        ops = self.session.act("New interview", create_interview, kind, author=self.session.me)
        if not ops:
            return
        self.open_interview(ops[0].row)
        self.title.setFocus()
        self.title.selectAll()

    def delete_interview(self) -> None:
        if self._current is None:
            return
        self._notes_saver.cancel()
        self._date_saver.cancel()
        row = self.list.currentIndex().row()
        doomed = self._current.id
        self._current = None
        self.session.act("Delete interview", delete_interview, doomed)
        row = min(row, self.model.rowCount() - 1)
        if row >= 0:
            self._select_row(row)

    # -------------------------------------------------------------- events

    def _on_changed(self, ops: tuple[Op, ...]) -> None:
        entities = {op.entity for op in ops}
        if ops and not entities & WATCHED:
            return
        if not ops or "cases" in entities:
            self._reload_cases()
        self._reload()

    def _filter_changed(self) -> None:
        self.flush()
        self.model.set_kind(self.kind_filter.currentData() or "")
        row = self.model.row_of(self._current.id) if self._current else -1
        if row < 0 and self.model.rowCount():
            row = 0
        self._select_row(row)
        if row < 0:
            self._show(None)

    def _current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if self._loading:
            return
        interview = self.model.interview(current.row())
        if interview is None:
            return
        if self._current is not None and self._current.id != interview.id:
            # Saving the one we leave refreshes the list: keep the new choice selected.
            self._switching_to = interview.id
            try:
                self.flush()
            finally:
                self._switching_to = None
            interview = self.store.reads.interview(interview.id) or interview
            self._current = None  # a different interview: load every field
        self._show(interview)
