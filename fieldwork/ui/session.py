"""The open inspection as the UI sees it: the store, undo and redo, and change signals.

Every screen gets the Session in its constructor (no global). A user action is a
function of the store that returns the ops it wrote; `Session.act` runs it, puts
it on the undo stack under a description, and tells every screen what changed.

Changes made elsewhere reach the screens too: a timer asks SQLite's `data_version`
(`store.reads.data_version()`, a read of a counter, no query of the data) every
WATCH_MS, and when another connection has committed (a `fieldwork` command, the
app's own worker importing a bundle) the Session emits `changed(())`, so every screen
re-reads within a second. Screens keep what is being typed (ui/widgets/autosave.py).

Descriptions name things as people do: "answer to 2.4.2a (case A488417)", never ids.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from fieldwork.core.errors import FieldworkError
from fieldwork.core.model import Op
from fieldwork.core.storage.store import Store

WATCH_MS = 400  # how often the file is asked whether someone else wrote to it


@dataclass(frozen=True)
class Action:
    description: str
    ops: tuple[Op, ...]


class Session(QObject):
    changed = Signal(object)  # tuple[Op, ...] just written (by an action, undo, redo or import)
    saved = Signal(str)  # a line for the status bar
    failed = Signal(str)  # a one-line error for the user
    undo_changed = Signal()

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._undo: list[Action] = []
        self._redo: list[Action] = []
        self.last_saved: float | None = None
        self._version: int | None = None
        self._watch = QTimer(self)
        self._watch.setInterval(WATCH_MS)
        self._watch.timeout.connect(self.check_file)
        self.watch_file(True)

    @property
    def me(self) -> str:
        """The team member id this laptop writes as."""
        return self.store.author

    def act(
        self, description: str, fn: Callable[..., Sequence[Op]], *args: Any, **kw: Any
    ) -> tuple[Op, ...] | None:
        """Run one user action through the store; None (and `failed` emitted) on error."""
        try:
            ops = tuple(fn(self.store, *args, **kw) or ())
        except FieldworkError as exc:
            self.failed.emit(str(exc))
            return None
        if ops:
            self._undo.append(Action(description, ops))
            self._redo.clear()
            self._announce(ops)
        return ops

    def _announce(self, ops: tuple[Op, ...]) -> None:
        self.last_saved = time.time()
        self.saved.emit(f"Saved at {time.strftime('%H:%M:%S')}")
        self.changed.emit(ops)
        self.undo_changed.emit()

    def external_change(self, ops: tuple[Op, ...] = ()) -> None:
        """Something outside the undo stack changed the file (an import): refresh everyone."""
        self._version = self._data_version()  # seen: the watch need not say it again
        self.changed.emit(tuple(ops))
        self.undo_changed.emit()

    # ------------------------------------------------------------ the file's other writers

    def watch_file(self, on: bool) -> None:
        """Start (or stop, while locked) noticing other writers' commits."""
        if on:
            self._version = self._data_version()
            self._watch.start()
        else:
            self._watch.stop()

    def _data_version(self) -> int | None:
        if self.store.conn is None:  # locked: the key is dropped, nothing is open
            return None
        try:
            return self.store.reads.data_version()
        except Exception:  # noqa: BLE001 - a file going away: its screens will say so
            return None

    def check_file(self) -> bool:
        """Refresh every screen if another connection committed since last asked."""
        version = self._data_version()
        if version is None:
            return False
        if self._version is None:
            self._version = version
            return False
        if version == self._version:
            return False
        self.external_change()
        return True

    def undo_text(self) -> str | None:
        top = self._undoable()
        return top.description if top else None

    def redo_text(self) -> str | None:
        return self._redo[-1].description if self._redo and self._can(self._redo[-1]) else None

    def _can(self, action: Action) -> bool:
        try:
            return self.store.can_undo(action.ops)
        except FieldworkError:
            return False

    def _undoable(self) -> Action | None:
        return self._undo[-1] if self._undo and self._can(self._undo[-1]) else None

    def undo(self) -> bool:
        action = self._undoable()
        if action is None:
            return False
        try:
            ops = tuple(self.store.undo(action.ops))
        except FieldworkError as exc:
            self.failed.emit(str(exc))
            return False
        self._undo.pop()
        self._redo.append(Action(action.description, ops))
        self._announce(ops)
        return True

    def redo(self) -> bool:
        if not self._redo or not self._can(self._redo[-1]):
            return False
        action = self._redo.pop()
        try:
            ops = tuple(self.store.undo(action.ops))
        except FieldworkError as exc:
            self.failed.emit(str(exc))
            return False
        self._undo.append(Action(action.description, ops))
        self._announce(ops)
        return True
