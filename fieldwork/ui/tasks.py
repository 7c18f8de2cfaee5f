"""Long work off the UI thread: one worker thread, results back through a signal.

A task is a plain function `fn(store, progress)` run in the worker. It gets a Store
connection of its own (opened in the worker from `Store.opener()`, closed after), never
the UI's. `progress(done, total)` is throttled to a few signals a second and returns
False once the person pressed Cancel (core functions then raise Cancelled and roll back).
The result or the one-line error comes back to the UI thread through a signal.

While a task runs, Python's cyclic garbage collector is paused, and it runs on the UI
thread when the task ends. Left automatic, it runs in whichever thread happens to be
allocating: in the worker, it would free garbage holding Qt objects (a closed dialog,
say) off the UI thread, which crashes Qt.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import threading
import time
import traceback
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from fieldwork.core.errors import Cancelled, FieldworkError
from fieldwork.core.storage.store import Store

PROGRESS_EVERY_S = 0.1
SHOW_DIALOG_AFTER_MS = 400


def raising_on_cancel(
    progress: Any, message: str = "Cancelled: nothing was changed."
) -> Callable[[int, int], None]:
    """Core progress from the worker's: raise Cancelled (core then rolls back) on Cancel."""

    def report(done: int, total: int) -> None:
        if progress is not None and progress(done, total) is False:
            raise Cancelled(message)

    return report


class Progress:
    """What a task calls to report progress; False back means: stop now."""

    def __init__(self, emit: Callable[[int, int], None], stop: threading.Event) -> None:
        self._emit = emit
        self._stop = stop
        self._last = 0.0

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set()

    def __call__(self, done: int, total: int) -> bool:
        now = time.monotonic()
        if now - self._last >= PROGRESS_EVERY_S or (total and done >= total):
            self._last = now
            self._emit(int(done), int(total))
        return not self._stop.is_set()


@dataclass
class _Job:
    id: int
    label: str
    fn: Callable[..., Any]
    opener: Callable[[], Store] | None
    stop: threading.Event


class _Worker(QObject):
    progressed = Signal(int, int, int)  # job id, done, total
    finished = Signal(int, str, object)  # job id, outcome ("done" | "failed" | "cancelled"), value

    @Slot(object)
    def work(self, job: _Job) -> None:
        progress = Progress(lambda d, t: self.progressed.emit(job.id, d, t), job.stop)
        store = None
        try:
            store = job.opener() if job.opener else None
            value = job.fn(store, progress) if job.opener else job.fn(progress)
        except FieldworkError as exc:
            # report/document.py has a Cancelled of its own: go by the code.
            outcome = "cancelled" if exc.code == "cancelled" or job.stop.is_set() else "failed"
            self.finished.emit(job.id, outcome, str(exc))
        except OSError as exc:
            where = f": {exc.filename}" if exc.filename else ""
            self.finished.emit(job.id, "failed", f"{exc.strerror or exc}{where}")
        except Exception as exc:  # a bug: say so in one line, keep the trace for the log
            traceback.print_exc()
            self.finished.emit(job.id, "failed", f"Unexpected error: {type(exc).__name__}: {exc}")
        else:
            outcome = "cancelled" if job.stop.is_set() and value is None else "done"
            self.finished.emit(job.id, outcome, value)
        finally:
            if store is not None:
                store.close()


class Tasks(QObject):
    """The one worker. `run` starts a task unless one is already running."""

    _submit = Signal(object)
    busy_changed = Signal(bool)

    def __init__(self, store_opener: Callable[[], Callable[[], Store]], parent: QWidget) -> None:
        super().__init__(parent)
        self._parent_widget = parent
        self._store_opener = store_opener  # gives a fresh opener (the store may be reopened)
        self._thread = QThread(self)
        self._thread.setObjectName("fieldwork-worker")
        self._worker = _Worker()
        self._worker.moveToThread(self._thread)
        self._submit.connect(self._worker.work, Qt.ConnectionType.QueuedConnection)
        self._worker.progressed.connect(self._on_progress)
        self._worker.finished.connect(self._on_finished)
        self._thread.start()
        # A QThread destroyed while running aborts the process: stop it at exit even if
        # the window was never closed (a script, a benchmark).
        ref = weakref.ref(self)
        atexit.register(_stop_at_exit, ref)
        self._next_id = 0
        self._job: _Job | None = None
        self._callbacks: tuple[Callable[[Any], None], Callable[[str], None] | None] | None = None
        self.dialog: QProgressDialog | None = None
        self.show_dialogs = True

    def busy(self) -> bool:
        return self._job is not None

    @property
    def label(self) -> str | None:
        return self._job.label if self._job else None

    def run(
        self,
        label: str,
        fn: Callable[..., Any],
        on_done: Callable[[Any], None],
        on_failed: Callable[[str], None] | None = None,
        *,
        needs_store: bool = True,
        cancellable: bool = True,
        quiet: bool = False,
    ) -> bool:
        """Start `fn(store, progress)` (or `fn(progress)` without a store) in the worker.

        `on_done(value)` and `on_failed(message)` run on the UI thread; on_failed gets ""
        when the person cancelled. False when another task is still running. `quiet`:
        no progress dialog (housekeeping such as the backup taken on opening).
        """
        if self._job is not None:
            if on_failed:
                on_failed(f"Wait for “{self._job.label}” to finish first.")
            return False
        self._next_id += 1
        opener = self._store_opener() if needs_store else None
        self._job = _Job(self._next_id, label, fn, opener, threading.Event())
        self._callbacks = (on_done, on_failed)
        if self.show_dialogs and not quiet:
            self.dialog = QProgressDialog(
                label, "Cancel" if cancellable else "", 0, 0, self._parent_widget
            )
            self.dialog.setWindowTitle("Fieldwork")
            self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
            self.dialog.setMinimumDuration(SHOW_DIALOG_AFTER_MS)
            self.dialog.setAutoClose(False)
            self.dialog.setAutoReset(False)
            if not cancellable:
                self.dialog.setCancelButton(None)
            self.dialog.canceled.connect(self.cancel)
            self.dialog.setValue(0)
        self.busy_changed.emit(True)
        gc.collect()  # here, on the UI thread, and none in the worker until it ends
        gc.disable()
        self._submit.emit(self._job)
        return True

    def cancel(self) -> None:
        if self._job is not None:
            self._job.stop.set()
            if self.dialog is not None:
                self.dialog.setLabelText("Cancelling…")

    def wait(self, timeout_ms: int = 10_000) -> bool:
        """Block (processing the result signal) until the running task ends; False on timeout."""
        from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEventLoop

        deadline = QDeadlineTimer(timeout_ms)
        while self._job is not None and not deadline.hasExpired():
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            time.sleep(0.01)
        return self._job is None

    def shutdown(self) -> None:
        """Cancel, wait, and stop the thread (on close)."""
        self.cancel()
        self.wait(15_000)
        self._stop_thread()

    def _stop_thread(self) -> None:
        with contextlib.suppress(RuntimeError):  # already deleted on the C++ side
            if self._job is not None:
                self._job.stop.set()
            self._thread.quit()
            self._thread.wait(5_000)
        gc.enable()

    # ------------------------------------------------------------ results

    def _on_progress(self, job_id: int, done: int, total: int) -> None:
        if self.dialog is None or self._job is None or job_id != self._job.id:
            return
        if total > 0:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))

    def _on_finished(self, job_id: int, outcome: str, value: Any) -> None:
        if self._job is None or job_id != self._job.id:
            return
        callbacks = self._callbacks
        self._job = None
        self._callbacks = None
        gc.enable()
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.cancel)
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        self.busy_changed.emit(False)
        if callbacks is None:
            return
        on_done, on_failed = callbacks
        if outcome == "done":
            on_done(value)
        elif on_failed is not None:
            on_failed("" if outcome == "cancelled" else str(value))


def _stop_at_exit(ref: weakref.ref[Tasks]) -> None:
    tasks = ref()
    if tasks is not None:
        tasks._stop_thread()
