"""The window comes back where it was, but never too small to work in, nor off every
screen (a laptop unplugged from a larger monitor, a settings file from elsewhere)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from fieldwork.app import create_main_window
from fieldwork.ui.shell.geometry import DEFAULT_SIZE, restore_geometry, usable_minimum


def reopen(qtbot, path: Path, geometry: QRect):
    """Leave the window at `geometry`, close it (which saves it), open the file again."""
    first = create_main_window(path)
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    first.setGeometry(geometry)
    qtbot.wait(50)
    left = first.geometry()
    first.close()
    again = create_main_window(path)
    qtbot.addWidget(again)
    again.left_at = left  # where the first window really was when it closed
    again.show()
    qtbot.waitExposed(again)
    return again


def usable(window) -> QRect:
    screen = QGuiApplication.screenAt(window.frameGeometry().center())
    return (screen or QGuiApplication.primaryScreen()).availableGeometry()


def test_a_window_left_tiny_comes_back_at_a_usable_size(qtbot, demo_path: Path) -> None:
    window = reopen(qtbot, demo_path, QRect(40, 40, 420, 260))
    smallest = usable_minimum(usable(window))
    assert window.width() >= smallest.width() and window.height() >= smallest.height()
    window.close()


def test_a_window_left_off_screen_comes_back_on_it(qtbot, demo_path: Path) -> None:
    window = reopen(qtbot, demo_path, QRect(9000, 7000, 1300, 740))
    on_screen = usable(window)
    frame = window.frameGeometry()
    assert on_screen.intersected(frame).width() >= 120  # enough of it to grab
    assert on_screen.top() <= frame.top() < on_screen.bottom(), (frame, on_screen)
    window.close()


def test_a_usable_place_and_size_are_kept(qtbot) -> None:
    screen = QGuiApplication.primaryScreen().availableGeometry()
    size = usable_minimum(screen)  # the smallest usable size is usable
    wanted = QRect(screen.left() + 4, screen.top() + 30, size.width(), size.height())
    first = QWidget()
    qtbot.addWidget(first)
    first.setGeometry(wanted)
    saved = first.saveGeometry()
    again = QWidget()
    qtbot.addWidget(again)
    restore_geometry(again, saved)
    assert again.geometry() == first.geometry()


def test_no_saved_place_gives_the_default_size_on_screen(qtbot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    restore_geometry(window, None)
    screen = QGuiApplication.primaryScreen().availableGeometry()
    assert window.size() == DEFAULT_SIZE.boundedTo(screen.size())  # no bigger than the screen
    assert screen.contains(window.geometry().topLeft())
