"""What the lead's dialogs share: a task run in the window's worker, its outcome shown.

Each dialog gathers its choices, then runs the work as `fn(store, progress)` in the one
worker (ui/tasks.py: its own Store, progress and Cancel). The outcome comes back as a
line in the dialog (`outcome`) or as the one-line reason (`error`), and screens refresh
through `Session.external_change` when the file changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QLabel, QWidget

from fieldwork.ui.widgets.labels import in_error_colour, plain_label


def day_and_time(at: str | None) -> str:
    """An ISO time (UTC) as local time for people: "8 Mar 2016 18:04"."""
    if not at:
        return "—"
    try:
        when = dt.datetime.fromisoformat(at)
    except ValueError:
        return at
    if when.tzinfo is not None:
        when = when.astimezone()
    return f"{when.day} {when:%b %Y %H:%M}"


class TaskDialog(QDialog):
    """A dialog whose main button runs work in the window's worker."""

    finished_task = Signal(bool)  # True when the work was done, False on failure or cancel

    def __init__(self, window: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.window_ = window
        self.error: QLabel = in_error_colour(plain_label())
        self.error.setObjectName("dialogError")
        self.error.hide()
        self.outcome: QLabel = plain_label(selectable=True)
        self.outcome.setObjectName("dialogResult")
        self.outcome.hide()

    @property
    def store(self) -> Any:
        return self.window_.store

    def say(self, text: str) -> None:
        self.error.hide()
        self.outcome.setText(text)
        self.outcome.setVisible(bool(text))

    def fail(self, message: str) -> None:
        self.outcome.hide()
        self.error.setText(message)
        self.error.show()

    def run(
        self,
        label: str,
        fn: Callable[[Any, Any], Any],
        done: Callable[[Any], None],
        *,
        changes_file: bool = False,
    ) -> bool:
        """Run `fn(store, progress)` in the worker; `done(value)` on the UI thread after."""
        self.error.hide()
        self.window_.flush()

        window = self.window_

        def on_done(value: Any) -> None:
            if changes_file:
                window.session.external_change()
            if shiboken6.isValid(self):  # the dialog may have been closed meanwhile
                done(value)
                self.finished_task.emit(True)

        def on_failed(message: str) -> None:
            if shiboken6.isValid(self):
                self.fail(message or "Cancelled: nothing was changed.")
                self.finished_task.emit(False)
            elif message:
                window.show_error(message)

        return bool(window.tasks.run(label, fn, on_done, on_failed))
