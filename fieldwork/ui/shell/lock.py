"""The idle lock: after some minutes without input the window locks.

Locking is the window's job (save typed text, stop running work, hide its contents);
this module watches for input, shows the lock screen, and closes or reopens the Store.
An encrypted file's connection is closed and its passphrase dropped, so the key is no
longer in memory; the passphrase reopens it. An unencrypted demo is only hidden.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLineEdit, QPushButton, QVBoxLayout, QWidget

from fieldwork.core.errors import FieldworkError, WrongPassphrase
from fieldwork.core.storage.store import Store
from fieldwork.ui.widgets.labels import muted, plain_label

INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)


class IdleWatcher(QObject):
    """Emits `idle` once after `interval_ms` with no keyboard, mouse or touch input."""

    idle = Signal()

    def __init__(self, interval_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._last = time.monotonic()
        self._check = QTimer(self)
        self._check.timeout.connect(self._tick)
        self.paused = False
        self.set_interval(interval_ms)

    def set_interval(self, interval_ms: int) -> None:
        self.interval_ms = max(0, int(interval_ms))
        self._last = time.monotonic()
        if self.interval_ms:
            self._check.start(max(50, min(self.interval_ms // 4, 5_000)))
        else:
            self._check.stop()

    def touch(self) -> None:
        self._last = time.monotonic()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS:
            self._last = time.monotonic()
        return False

    def _tick(self) -> None:
        if self.paused or not self.interval_ms:
            return
        if (time.monotonic() - self._last) * 1000 >= self.interval_ms:
            self.paused = True
            self.idle.emit()


class LockScreen(QWidget):
    """What the window shows while locked: nothing of the inspection but its file name."""

    unlock_requested = Signal(str)  # the passphrase ("" for an unencrypted file)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        title = plain_label("Fieldwork is locked", wrap=False)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        self.detail = muted(plain_label(wrap=False))
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("unlockPassphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passphrase")
        self.passphrase.setPlaceholderText("Passphrase")
        self.passphrase.setMaximumWidth(360)
        self.passphrase.returnPressed.connect(self._unlock)
        self.button = QPushButton("&Unlock")
        self.button.setObjectName("unlockButton")
        self.button.setMaximumWidth(360)
        self.button.clicked.connect(self._unlock)
        self.error = plain_label()
        self.error.setObjectName("unlockError")
        box = QVBoxLayout()
        box.setSpacing(10)
        for w in (title, self.detail, self.passphrase, self.button, self.error):
            box.addWidget(w, 0, Qt.AlignmentFlag.AlignHCenter)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(box)
        layout.addStretch(2)

    def prepare(self, file_name: str, needs_passphrase: bool) -> None:
        self.error.clear()
        self.passphrase.clear()
        self.passphrase.setVisible(needs_passphrase)
        if needs_passphrase:
            self.detail.setText(f"{file_name} is closed. Enter its passphrase to go on.")
        else:
            self.detail.setText(f"{file_name} is a demo without encryption.")

    def focus(self) -> None:
        (self.passphrase if self.passphrase.isVisibleTo(self) else self.button).setFocus()

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.passphrase.selectAll()
        self.passphrase.setFocus()

    def _unlock(self) -> None:
        self.unlock_requested.emit(self.passphrase.text() if self.passphrase.isVisible() else "")


def close_store(store: Store) -> bool:
    """Close an encrypted store and forget its key; True if it was closed (encrypted)."""
    return store.lock()


def reopen_store(store: Store, passphrase: str) -> str | None:
    """Reopen a closed store in place (every screen keeps its reference to it).

    None on success, or the sentence to show.
    """
    try:
        store.unlock(passphrase)  # the same object: screens and the undo stack hold it
    except WrongPassphrase:
        return "That passphrase is wrong. Try again."
    except FieldworkError as exc:
        return str(exc)
    return None
