"""The Interviews screen's notes pane: the notes, marking quotes in them, and the quote list.

Notes are saved after a short pause in typing and when the editor loses focus, one
`update` per pause (the store records nothing when the text is unchanged). Notes are
plain text everywhere: nothing a person typed is ever read as markup.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence, QPalette, QTextCursor
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
)

from fieldwork.core.casework.quotes import mark_quote, remove_quote, standard_labels
from fieldwork.core.model import Interview, Quote
from fieldwork.ui.interviews.base import InterviewsBase
from fieldwork.ui.interviews.quotes import QuoteList, QuoteTagDialog, from_qt, locate, to_qt
from fieldwork.ui.widgets.focus import logical_home_end
from fieldwork.ui.widgets.labels import plain_label


class NotesPane(InterviewsBase):
    """Builds the notes and quotes boxes; saves the notes and marks quotes in them."""

    tag_dialog: QuoteTagDialog | None

    def _build_notes(self) -> QGroupBox:
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
        return notes_box

    def _build_quotes(self) -> QGroupBox:
        self.quote_list = QuoteList()
        self.quote_list.activated.connect(self.show_quote)
        self.quote_list.remove_requested.connect(self._remove_quote)
        quotes_box = QGroupBox("Quotes")
        quotes_layout = QVBoxLayout(quotes_box)
        quotes_layout.addWidget(self.quote_list)
        return quotes_box

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

    def select_passage(self, start: int, end: int) -> None:
        text = self.notes.toPlainText()
        cursor = self.notes.textCursor()
        cursor.setPosition(to_qt(text, min(start, len(text))))
        cursor.setPosition(to_qt(text, min(end, len(text))), QTextCursor.MoveMode.KeepAnchor)
        self.notes.setTextCursor(cursor)
        self.notes.centerCursor()
        self.notes.setFocus(Qt.FocusReason.OtherFocusReason)

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

    def _remove_quote(self, quote_id: str) -> None:
        self.session.act("Remove quote", remove_quote, quote_id)
