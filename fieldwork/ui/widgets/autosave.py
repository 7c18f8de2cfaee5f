"""Saving as the person types: after a pause, when the editor loses focus, and on `flush()`.

One save per pause, so one op (and one undo step) per pause rather than per key. Every
screen that saves typed text uses these; AUTOSAVE_MS is the pause, here only.

- `Autosave`: the pause timer (and, given an editor to watch, its focus-out).
- `TextAutosave`: the same for a line or plain-text box, keeping the text last saved so a
  save happens only when something changed, and text arriving from the store (undo,
  another screen) does not overwrite what is being typed.
- `AutosaveEdit`: a plain-text box that saves itself through its `commit` signal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

AUTOSAVE_MS = 800


class Autosave(QObject):
    """Calls `save()` after a pause in editing (`edited()` restarts the pause), and when
    the watched editor, if any, loses focus."""

    def __init__(
        self,
        save: Callable[[], None],
        parent: QObject,
        *,
        watch: QWidget | None = None,
        delay_ms: int = AUTOSAVE_MS,
    ) -> None:
        super().__init__(parent)
        self._save = save
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.flush)
        self._watched = watch
        if watch is not None:
            watch.installEventFilter(self)

    def edited(self, *_: Any) -> None:
        """Something was typed: save after the pause (restarted by each edit)."""
        self._timer.start()

    @property
    def waiting(self) -> bool:
        """An edit is waiting for its pause to end."""
        return self._timer.isActive()

    def cancel(self) -> None:
        """Forget the pause without saving (the edit is being thrown away)."""
        self._timer.stop()

    def flush(self) -> None:
        """Save now (before close, lock, undo or moving elsewhere)."""
        self._timer.stop()
        self._save()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._watched and event.type() == QEvent.Type.FocusOut:
            self.flush()
        return False


class TextAutosave(Autosave):
    """Autosave for a line or plain-text box: `save(text)` is called only when the text
    differs from what was last saved or loaded."""

    def __init__(
        self, editor: QLineEdit | QPlainTextEdit, save: Callable[[str], None], parent: QObject
    ) -> None:
        super().__init__(self._save_text, parent, watch=editor)
        self.editor = editor
        self._save_with = save
        self.saved_text = ""
        self._loading = False
        if isinstance(editor, QLineEdit):
            editor.textEdited.connect(self._typed)
        else:
            editor.textChanged.connect(self._typed)

    def text(self) -> str:
        e = self.editor
        return e.text() if isinstance(e, QLineEdit) else e.toPlainText()

    @property
    def pending(self) -> bool:
        """Typed text not saved yet."""
        return self.text() != self.saved_text

    def load(self, text: str | None, *, force: bool = False) -> None:
        """Show stored text. Unless `force`, what is being typed is kept (it is saved over
        this shortly); with `force` a pending edit is dropped (flush first if it matters)."""
        text = text or ""
        if force:
            self.cancel()
        elif self.pending and self.editor.hasFocus():
            return
        self.saved_text = text
        if self.text() != text:
            self._loading = True
            try:
                if isinstance(self.editor, QLineEdit):
                    self.editor.setText(text)
                else:
                    self.editor.setPlainText(text)
            finally:
                self._loading = False

    def _typed(self, *_: Any) -> None:
        if not self._loading:
            self.edited()

    def _save_text(self) -> None:
        if self.pending and self.editor.isEnabled():
            text = self.text()
            self.saved_text = text
            self._save_with(text)


class AutosaveEdit(QPlainTextEdit):
    """Plain text that asks to be saved after a pause in typing and on focus-out:
    `commit` carries the text; the owner stores it."""

    commit = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.autosave = TextAutosave(self, self.commit.emit, self)

    def load(self, text: str) -> None:
        """Show stored text (drops any pending edit: flush first if it matters)."""
        self.autosave.load(text, force=True)

    def pending(self) -> bool:
        return self.autosave.pending

    def flush(self) -> None:
        self.autosave.flush()

    def cancel(self) -> None:
        """Drop the pause under way (the record edited is going away)."""
        self.autosave.cancel()
