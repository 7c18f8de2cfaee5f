"""What the parts of the Interviews screen share: the interview shown and how edits are saved.

The details form, the notes pane and the linked cases are mixins on `InterviewsBase`;
`InterviewsScreen` (editor.py) puts them together with the list of interviews.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QListWidget, QPlainTextEdit, QPushButton

from fieldwork.core.casework.interviews import update_interview
from fieldwork.core.model import Interview
from fieldwork.core.storage.store import Store
from fieldwork.ui.session import Session
from fieldwork.ui.widgets.autosave import Autosave
from fieldwork.ui.widgets.screen import Screen


class InterviewsBase(Screen):
    """The state the Interviews screen's parts read and write (set up by `InterviewsScreen`)."""

    session: Session
    store: Store
    _current: Interview | None  # the interview in the editor
    _loading: bool  # True while widgets are filled from the store: no saving then
    _notes_saver: Autosave
    _date_saver: Autosave
    notes: QPlainTextEdit
    mark_action: QAction
    mark_button: QPushButton
    linked: QListWidget
    unlink_button: QPushButton

    def _act(self, description: str, fields: dict[str, Any]) -> None:
        if self._current is None:
            return
        self.session.act(description, update_interview, self._current.id, fields)

    def _update_actions(self) -> None:
        has = self._current is not None
        self.mark_action.setEnabled(has and self.notes.textCursor().hasSelection())
        self.mark_button.setEnabled(self.mark_action.isEnabled())
        self.unlink_button.setEnabled(has and self.linked.currentItem() is not None)
