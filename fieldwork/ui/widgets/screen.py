"""The base of the main window's screens.

A screen saves typed text when it is hidden (`flush`), and refreshes only while it is
seen: a refresh asked for while it is hidden waits until it is shown again, so a change
(an import, an undo) does not make every screen re-read the file at once.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import QWidget


class Screen(QWidget):
    # Changes come in bursts (typing, an import): `refresh_soon` waits this long first.
    refresh_delay_ms = 0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._stale = False
        self._refresh_timer: QTimer | None = None

    # -------------------------------------------------------------- for subclasses

    def refresh_view(self) -> None:
        """Re-read what the screen shows from the store."""

    def flush(self) -> None:
        """Save whatever is typed but not yet saved (before close, lock, undo, hiding)."""

    def shutdown(self) -> None:
        """Before the window closes: stop anything the screen runs by itself."""

    # -------------------------------------------------------------- refreshing

    def mark_stale(self) -> None:
        """Refresh the next time the screen is shown."""
        self._stale = True

    def refresh_when_shown(self) -> None:
        """Refresh now if the screen is seen, else the next time it is shown."""
        if self.isVisible():
            self._stale = False
            self.refresh_view()
        else:
            self._stale = True

    def refresh_soon(self) -> None:
        """`refresh_when_shown` after `refresh_delay_ms` (restarted by each call)."""
        if self._refresh_timer is None:
            self._refresh_timer = QTimer(self)
            self._refresh_timer.setSingleShot(True)
            self._refresh_timer.setInterval(self.refresh_delay_ms)
            self._refresh_timer.timeout.connect(self.refresh_when_shown)
        self._refresh_timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.refresh_view()

    def hideEvent(self, event: QHideEvent) -> None:
        self.flush()
        super().hideEvent(event)
