"""The main window's size and place when it opens: the one saved last time, unless that
would be too small to work in or off every screen (a laptop unplugged from a larger
monitor, a settings file from another machine).

The smallest usable size is MIN_SIZE (the layout is checked at 1280x720 and 1366x768),
or the whole usable area of the screen when that is smaller still.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect, QSize
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

DEFAULT_SIZE = QSize(1366, 768)
MIN_SIZE = QSize(1280, 720)  # the smallest size the layout is checked at
MIN_ON_SCREEN = 120  # pixels of the title bar that must be on a screen to grab it
FRAME_ALLOWANCE = 16  # a window that fills a small screen loses its frame's width to it


def usable_minimum(available: QRect) -> QSize:
    """MIN_SIZE, or on a smaller screen the whole of it (less room for a window frame)."""
    room = available.size() - QSize(FRAME_ALLOWANCE, FRAME_ALLOWANCE)
    return MIN_SIZE.boundedTo(room)


def restore_geometry(window: QWidget, saved: QByteArray | None) -> None:
    """Put `window` where it was (`saved`, from saveGeometry), kept usable and on screen."""
    if saved is None or not window.restoreGeometry(saved):
        screen = _screen_of(window)
        window.resize(DEFAULT_SIZE.boundedTo(screen.availableGeometry().size()))
        _centre(window, screen)
        return
    if window.isMaximized() or window.isFullScreen():
        return
    screen = _screen_of(window)
    available = screen.availableGeometry()
    frame = window.frameGeometry()
    smallest = usable_minimum(available)
    if window.width() < smallest.width() or window.height() < smallest.height():
        window.resize(DEFAULT_SIZE.boundedTo(available.size()).expandedTo(smallest))
        frame = window.frameGeometry()
    if not _reachable(frame):
        _centre(window, screen)


def _screen_of(window: QWidget) -> QScreen:
    """The screen the saved place is on, or the primary one."""
    found = QGuiApplication.screenAt(window.frameGeometry().center())
    return found or QGuiApplication.primaryScreen()


def _reachable(frame: QRect) -> bool:
    """Whether enough of the window's top edge is on some screen to be grabbed."""
    title = QRect(frame.left(), frame.top(), frame.width(), 30)
    for screen in QGuiApplication.screens():
        overlap = title.intersected(screen.availableGeometry())
        if overlap.width() >= min(MIN_ON_SCREEN, frame.width()) and overlap.height() > 0:
            return True
    return False


def _centre(window: QWidget, screen: QScreen) -> None:
    available = screen.availableGeometry()
    size = window.frameGeometry().size().boundedTo(available.size())
    x = available.left() + (available.width() - size.width()) // 2
    y = available.top() + (available.height() - size.height()) // 2
    window.move(max(available.left(), x), max(available.top(), y))
