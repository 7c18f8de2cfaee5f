"""The Interviews screen: a list of interviews and an editor for one of them.

Notes are saved after a short pause in typing and when the editor loses focus,
one `update` per pause (the store records nothing when the text is unchanged).
Every edit goes through `Session.act`, so the Edit menu can undo it. Notes are
plain text everywhere: nothing a person typed is ever read as markup.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, QPoint, QStringListModel, Qt
from PySide6.QtGui import QAction, QKeySequence, QPalette, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from fieldwork.core.casework.interviews import (
    create_interview,
    default_title,
    delete_interview,
    kind_label,
    link_case,
    update_interview,
)
from fieldwork.core.casework.quotes import mark_quote, remove_quote, standard_labels
from fieldwork.core.model import Interview, Op, Quote
from fieldwork.core.schema import INTERVIEW_KINDS
from fieldwork.ui.interviews.list_model import ID_ROLE, InterviewListModel
from fieldwork.ui.interviews.quotes import QuoteList, QuoteTagDialog, from_qt, locate, to_qt
from fieldwork.ui.session import Session
from fieldwork.ui.widgets.autosave import Autosave
from fieldwork.ui.widgets.focus import logical_home_end
from fieldwork.ui.widgets.labels import plain_label
from fieldwork.ui.widgets.screen import Screen

NO_DATE = QDate(2000, 1, 1)  # the QDateEdit minimum, shown as "No date"
WATCHED = frozenset({"interviews", "interview_cases", "quotes", "quote_tags", "tags", "cases"})


# ------------------------------------------------------------ the screen


class InterviewsScreen(Screen):
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
        self.kind = QComboBox()
        self.kind.setObjectName("interviewKind")
        self.kind.setAccessibleName("Kind of interview")
        for kind in INTERVIEW_KINDS:
            self.kind.addItem(kind_label(kind), kind)
        self.kind.currentIndexChanged.connect(self._kind_changed)

        self.title = QLineEdit()
        self.title.setObjectName("interviewTitle")
        self.title.setAccessibleName("Title")
        self.title.setPlaceholderText("For example: Responsible officer, Glanmor office")
        self.title.editingFinished.connect(self._save_title)

        self.date = QDateEdit()
        self.date.setObjectName("interviewDate")
        self.date.setAccessibleName("Date of interview")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("d MMM yyyy")
        self.date.setMinimumDate(NO_DATE)
        self.date.setSpecialValueText("No date")
        self.date.dateChanged.connect(self._date_edited)

        self.organisation = QComboBox()
        self.organisation.setObjectName("interviewOrganisation")
        self.organisation.setAccessibleName("Organisation")
        self.organisation.currentIndexChanged.connect(self._save_organisation)

        self.consent = QCheckBox("Consent given to take part and be quoted")
        self.consent.setObjectName("interviewConsent")
        self.consent.setAccessibleName("Consent given")
        self.consent.toggled.connect(self._save_consent)

        details = QGridLayout()
        details.setHorizontalSpacing(12)
        for col, (text, widget) in enumerate(
            (("&Kind:", self.kind), ("&Date:", self.date), ("O&rganisation:", self.organisation))
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            details.addWidget(label, 0, col * 2)
            details.addWidget(widget, 0, col * 2 + 1)
            details.setColumnStretch(col * 2 + 1, 1)
        title_label = QLabel("&Title:")
        title_label.setBuddy(self.title)
        details.addWidget(title_label, 1, 0)
        details.addWidget(self.title, 1, 1, 1, 5)
        details.addWidget(self.consent, 2, 1, 1, 5)

        # Notes.
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("interviewNotes")
        self.notes.setAccessibleName("Interview notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setPlaceholderText("Type the interview notes here. They are saved as you go.")
        self.notes.textChanged.connect(self._notes_edited)
        self.notes.copyAvailable.connect(lambda _: self._update_actions())
        self.notes.selectionChanged.connect(self._update_actions)
        logical_home_end(self.notes)  # Home and End: the typed line, not the wrapped row
        self.notes.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.notes.customContextMenuRequested.connect(self._notes_menu)

        self.mark_action = QAction("Mark as &quote", self)
        self.mark_action.setShortcut(QKeySequence("Ctrl+M"))
        self.mark_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.mark_action.setToolTip("Mark the selected passage as a quote (Ctrl+M)")
        self.mark_action.triggered.connect(self.mark_selection)
        self.addAction(self.mark_action)
        self.mark_button = QPushButton("Mark as quote  (Ctrl+M)")
        self.mark_button.setObjectName("markQuote")
        self.mark_button.setAccessibleName("Mark the selected passage as a quote")
        self.mark_button.clicked.connect(self.mark_action.trigger)

        self.saved_label = plain_label(wrap=False)
        self.saved_label.setObjectName("notesSaved")

        notes_box = QGroupBox("Notes")
        notes_layout = QVBoxLayout(notes_box)
        notes_layout.addWidget(self.notes, 1)
        notes_bar = QHBoxLayout()
        notes_bar.addWidget(self.saved_label, 1)
        notes_bar.addWidget(self.mark_button)
        notes_layout.addLayout(notes_bar)

        # Linked cases.
        self.case_ref = QLineEdit()
        self.case_ref.setObjectName("linkCaseRef")
        self.case_ref.setAccessibleName("Case reference to link")
        self.case_ref.setPlaceholderText("Case reference, e.g. A123456")
        self._ref_model = QStringListModel(self)
        completer = QCompleter(self._ref_model, self.case_ref)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.case_ref.setCompleter(completer)
        self.case_ref.returnPressed.connect(self._link_typed_case)
        self.link_button = QPushButton("Link")
        self.link_button.setObjectName("linkCase")
        self.link_button.setAccessibleName("Link the case")
        self.link_button.clicked.connect(self._link_typed_case)
        self.linked = QListWidget()
        self.linked.setObjectName("linkedCases")
        self.linked.setAccessibleName("Linked cases")
        self.linked.setMaximumHeight(110)
        self.linked.currentItemChanged.connect(lambda *_: self._update_actions())
        self.unlink_button = QPushButton("Unlink")
        self.unlink_button.setObjectName("unlinkCase")
        self.unlink_button.setAccessibleName("Unlink the selected case")
        self.unlink_button.clicked.connect(self._unlink_selected)
        self.link_error = plain_label()
        self.link_error.setVisible(False)

        cases_box = QGroupBox("Linked cases")
        cases_layout = QVBoxLayout(cases_box)
        add_row = QHBoxLayout()
        add_row.addWidget(self.case_ref, 1)
        add_row.addWidget(self.link_button)
        cases_layout.addLayout(add_row)
        cases_layout.addWidget(self.link_error)
        cases_layout.addWidget(self.linked)
        unlink_row = QHBoxLayout()
        unlink_row.addStretch(1)
        unlink_row.addWidget(self.unlink_button)
        cases_layout.addLayout(unlink_row)

        self.quote_list = QuoteList()
        self.quote_list.activated.connect(self.show_quote)
        self.quote_list.remove_requested.connect(self._remove_quote)
        quotes_box = QGroupBox("Quotes")
        quotes_layout = QVBoxLayout(quotes_box)
        quotes_layout.addWidget(self.quote_list)

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

    def _reload_cases(self) -> None:
        self._case_refs = {c.id: c.ref for c in self.store.reads.cases()}
        self._ref_model.setStringList(sorted(self._case_refs.values()))
        self._refs_to_id = {ref.upper(): cid for cid, ref in self._case_refs.items()}

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

    def _notes_changed_elsewhere(self, old: Interview, new: Interview) -> bool:
        """The stored notes changed under us (undo, import) and no typing is pending."""
        return (
            new.notes != old.notes
            and new.notes != self.notes.toPlainText()
            and not self._notes_saver.waiting
        )

    def _mark_quotes_in_notes(self, quotes: Sequence[Quote]) -> None:
        """Tint the quoted passages (the cursors follow later typing by themselves)."""
        text = self.notes.toPlainText()
        tint = self.palette().color(QPalette.ColorRole.Highlight)
        tint.setAlpha(45)
        marks = []
        for quote in quotes:
            where = locate(text, quote)
            if where is None:
                continue
            mark = QTextEdit.ExtraSelection()
            mark.cursor = QTextCursor(self.notes.document())
            mark.cursor.setPosition(to_qt(text, where[0]))
            mark.cursor.setPosition(to_qt(text, where[1]), QTextCursor.MoveMode.KeepAnchor)
            mark.format.setBackground(tint)
            marks.append(mark)
        self.notes.setExtraSelections(marks)

    def _fill_organisations(self, value: str | None) -> None:
        orgs = list(self.store.reads.inspection().organisations)
        if value and value not in orgs:
            orgs.append(value)
        self.organisation.blockSignals(True)
        self.organisation.clear()
        self.organisation.addItem("(none)", "")
        for org in orgs:
            self.organisation.addItem(org, org)
        self.organisation.setCurrentIndex(max(0, self.organisation.findData(value or "")))
        self.organisation.blockSignals(False)

    def _show_links(self, interview: Interview) -> None:
        current = self.linked.currentItem()
        keep = current.data(ID_ROLE) if current else None
        self.linked.clear()
        refs = sorted(
            (self._case_refs.get(cid, "(deleted case)"), cid) for cid in interview.case_ids
        )
        for ref, cid in refs:
            item = QListWidgetItem(ref)
            item.setData(ID_ROLE, cid)
            self.linked.addItem(item)
            if cid == keep:
                self.linked.setCurrentItem(item)

    @staticmethod
    def _qdate(value: str | None) -> QDate:
        if not value:
            return NO_DATE
        date = QDate.fromString(value[:10], "yyyy-MM-dd")
        return date if date.isValid() else NO_DATE

    def _update_actions(self) -> None:
        has = self._current is not None
        self.mark_action.setEnabled(has and self.notes.textCursor().hasSelection())
        self.mark_button.setEnabled(self.mark_action.isEnabled())
        self.unlink_button.setEnabled(has and self.linked.currentItem() is not None)

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

    def select_passage(self, start: int, end: int) -> None:
        text = self.notes.toPlainText()
        cursor = self.notes.textCursor()
        cursor.setPosition(to_qt(text, min(start, len(text))))
        cursor.setPosition(to_qt(text, min(end, len(text))), QTextCursor.MoveMode.KeepAnchor)
        self.notes.setTextCursor(cursor)
        self.notes.centerCursor()
        self.notes.setFocus(Qt.FocusReason.OtherFocusReason)

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

    def mark_selection(self) -> None:
        """Ask for tags for the selected passage, then store it as a quote."""
        if self._current is None:
            return
        cursor = self.notes.textCursor()
        if not cursor.hasSelection():
            return
        self._notes_saver.flush()  # the quote's offsets refer to the stored notes
        text = self.notes.toPlainText()
        start = from_qt(text, cursor.selectionStart())
        end = from_qt(text, cursor.selectionEnd())
        # Leave surrounding blanks out of the quote.
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end:
            return
        interview_id = self._current.id
        passage = text[start:end]
        dialog = QuoteTagDialog(passage, standard_labels(self.store), self.store.reads.tags(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(
            lambda: self._store_quote(interview_id, start, end, passage, dialog.labels())
        )
        dialog.finished.connect(lambda _: setattr(self, "tag_dialog", None))
        dialog.rejected.connect(self._back_to_notes)  # the passage stays selected
        self.tag_dialog = dialog
        dialog.open()

    def _store_quote(
        self, interview_id: str, start: int, end: int, text: str, labels: list[str]
    ) -> None:
        ops = self.session.act("Mark quote", mark_quote, interview_id, start, end, text, labels)
        if ops:
            quote_id = ops[0].row
            for i, quote in enumerate(self.quote_list.quotes()):
                if quote.id == quote_id:
                    self.quote_list.list.setCurrentRow(i)
        self._back_to_notes(end)

    def _back_to_notes(self, end: int | None = None) -> None:
        """Focus back in the notes; after a quote is marked, the cursor just after it, so
        typing goes on there rather than over the passage."""
        if end is not None:
            text = self.notes.toPlainText()
            cursor = self.notes.textCursor()
            cursor.setPosition(to_qt(text, min(end, len(text))))
            self.notes.setTextCursor(cursor)
        self.notes.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_quote(self, quote: Quote) -> None:
        where = locate(self.notes.toPlainText(), quote)
        if where is not None:
            self.select_passage(*where)

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

    def _notes_menu(self, pos: QPoint) -> None:
        menu = self.notes.createStandardContextMenu(pos)
        actions = menu.actions()
        if actions:
            menu.insertAction(actions[0], self.mark_action)
            menu.insertSeparator(actions[0])
        else:
            menu.addAction(self.mark_action)
        menu.exec(self.notes.mapToGlobal(pos))
        menu.deleteLater()

    # -------------------------------------------------------------- saving

    def _act(self, description: str, fields: dict[str, Any]) -> None:
        if self._current is None:
            return
        self.session.act(description, update_interview, self._current.id, fields)

    def _notes_edited(self) -> None:
        if self._loading or self._current is None:
            return
        self.saved_label.setText("Editing…")
        self._notes_saver.edited()

    def _save_notes(self) -> None:
        if self._current is None:
            return
        text = self.notes.toPlainText()
        if text != self._current.notes:
            self._act("Edit notes", {"notes": text})
        if self.saved_label.text():
            self.saved_label.setText(f"Notes saved at {time.strftime('%H:%M:%S')}")

    def _save_title(self) -> None:
        if self._loading or self._current is None:
            return
        title = " ".join(self.title.text().split()) or None
        if title != self._current.title:
            self._act("Edit interview title", {"title": title})

    def _date_edited(self) -> None:
        if not self._loading and self._current is not None:
            self._date_saver.edited()

    def _save_date(self) -> None:
        if self._loading or self._current is None:
            return
        date = self.date.date()
        value = None if date == NO_DATE else date.toString("yyyy-MM-dd")
        if value != self._current.date:
            self._act("Change interview date", {"date": value})

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self.consent.setVisible(kind == "person")
        if not self._loading and self._current is not None and kind != self._current.kind:
            self.flush()
            fields: dict[str, Any] = {"kind": kind}
            if self._current.title == default_title(self._current.kind):
                fields["title"] = default_title(kind)  # still the made-up title: follow the kind
            self._act("Change interview kind", fields)

    def _save_organisation(self) -> None:
        if self._loading or self._current is None:
            return
        value = self.organisation.currentData() or None
        if value != self._current.organisation:
            self._act("Change interview organisation", {"organisation": value})

    def _save_consent(self, checked: bool) -> None:
        if self._loading or self._current is None or checked == self._current.consent:
            return
        self._act("Record consent" if checked else "Withdraw consent", {"consent": checked})

    def _link_typed_case(self) -> None:
        if self._current is None:
            return
        ref = self.case_ref.text().strip().upper()
        if not ref:
            return
        case_id = self._refs_to_id.get(ref)
        if case_id is None:
            self.link_error.setText(f"No case {ref} in this inspection.")
            self.link_error.setVisible(True)
            return
        self.link_error.setVisible(False)
        self.case_ref.clear()
        if case_id not in self._current.case_ids:
            self.session.act(f"Link case {ref}", link_case, self._current.id, case_id, True)

    def _unlink_selected(self) -> None:
        item = self.linked.currentItem()
        if item is None or self._current is None:
            return
        self.session.act(
            f"Unlink case {item.text()}", link_case, self._current.id, item.data(ID_ROLE), False
        )

    def _remove_quote(self, quote_id: str) -> None:
        self.session.act("Remove quote", remove_quote, quote_id)
