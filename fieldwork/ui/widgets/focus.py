"""Keyboard focus for everyone: always visible, and Tab in the order things are seen.

`install(app)` (once per application; the main window and the composition root call it)
sets up two things for every window of the app:

- a focus ring: one QFocusFrame that follows the focused control, drawn by the style
  in the palette's window-text colour (black on the light palette, white on the dark),
  so where the focus is can always be seen (WCAG 2.2, 2.4.7 Focus Visible), whatever
  the style does for that kind of control;
- Tab in visual order in every dialog of the app: the first time one is shown, its tab
  chain is set to the order of its layouts (`tab_in_layout_order`), top to bottom and
  left to right, whatever order its widgets were made in.

`logical_home_end(edit)` makes Home and End in a plain-text box go to the start and end
of the line as typed (the paragraph), not of the line as wrapped on screen.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QDialog,
    QFocusFrame,
    QFormLayout,
    QGridLayout,
    QLayout,
    QMenu,
    QMenuBar,
    QPlainTextEdit,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QTextEdit,
    QWidget,
)

INSTALLED = "fieldworkFocus"
ORDERED = "fieldworkTabOrdered"


def install(app: QApplication) -> None:
    """The focus ring and visual tab order for every window of `app` (idempotent)."""
    if app.property(INSTALLED):
        return
    app.setProperty(INSTALLED, True)
    ring = FocusRing(app)
    app.focusChanged.connect(ring.follow)
    app.installEventFilter(DialogTabOrder(app))


class FocusRing(QObject):
    """Keeps one QFocusFrame around whichever control has the keyboard focus."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.frame: QFocusFrame | None = None

    def follow(self, old: QWidget | None, new: QWidget | None) -> None:
        frame = self.frame if self.frame is not None and shiboken6.isValid(self.frame) else None
        if not wants_ring(new):
            if frame is not None:
                frame.setWidget(None)  # type: ignore[arg-type]  # None: follow nothing
            return
        assert new is not None
        if frame is None:
            # The frame lives beside the control (a child of its parent) and goes with it.
            frame = QFocusFrame(new)
            frame.setObjectName("focusRing")
            self.frame = frame
        frame.setWidget(new)


def wants_ring(widget: QWidget | None) -> bool:
    if widget is None or widget.isWindow() or widget.parentWidget() is None:
        return False
    if isinstance(widget, QMenu | QMenuBar):
        return False
    return widget.window().windowType() != Qt.WindowType.Popup


class DialogTabOrder(QObject):
    """Sets a dialog's tab chain to its visual order the first time it is shown."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Show
            and isinstance(watched, QDialog)
            and type(watched).__module__.startswith("fieldwork.")
            and not watched.property(ORDERED)
        ):
            watched.setProperty(ORDERED, True)
            tab_in_layout_order(watched)
        return False


# ------------------------------------------------------------------ tab order


def takes_tab(widget: QWidget) -> bool:
    """Whether Tab can land on the widget itself (not through a focus proxy)."""
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus) and widget.focusProxy() is None


def layout_order(root: QWidget) -> list[QWidget]:
    """The controls inside `root` that Tab can reach, in the order its layouts show them:
    rows of a form or grid top to bottom and each left to right, boxes in order.

    A widget that hands its focus to another (a file row to its line, a button box to
    its first button) comes just before its children, so it moves with them: left
    behind, Tab would reach it after the last of them and jump back to its proxy."""
    seen: set[int] = set()
    found: list[QWidget] = []
    for widget in _walk_widget(root, top=True):
        if id(widget) not in seen and (takes_tab(widget) or widget.focusProxy() is not None):
            seen.add(id(widget))
            found.append(widget)
    return found


def tab_in_layout_order(root: QWidget) -> list[QWidget]:
    """Chain the tab order of `root`'s controls in layout order; returns the chain
    (with the widgets that pass their focus on, see `layout_order`)."""
    chain = layout_order(root)
    # setTabOrder puts a widget's focus proxy where the widget is named, so the widgets
    # that pass focus on are placed without their proxies, which are then given back.
    # Nor does it move a widget that cannot take focus: such a widget takes it meanwhile.
    proxies = [(w, w.focusProxy(), w.focusPolicy()) for w in chain if w.focusProxy() is not None]
    for widget, _, _ in proxies:
        widget.setFocusProxy(None)  # type: ignore[arg-type]  # None: no proxy
        widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    try:
        for a, b in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(a, b)
    finally:
        for widget, proxy, policy in proxies:
            widget.setFocusPolicy(policy)
            widget.setFocusProxy(proxy)  # type: ignore[arg-type]  # never None here
    return chain


def _walk_widget(widget: QWidget, top: bool = False) -> Iterator[QWidget]:
    if not top:
        yield widget
    if isinstance(widget, QAbstractScrollArea) and not isinstance(widget, QScrollArea):
        return  # a list, table or text box is one control
    if isinstance(widget, QScrollArea):
        inner = widget.widget()
        if inner is not None:
            yield from _walk_widget(inner)
        return
    if isinstance(widget, QTabWidget | QSplitter | QStackedWidget):
        if isinstance(widget, QTabWidget):
            yield widget.tabBar()
        for i in range(widget.count()):
            page = widget.widget(i)
            if page is not None:
                yield from _walk_widget(page)
        return
    layout = widget.layout()
    if layout is not None:
        yield from _walk_layout(layout)


def _walk_layout(layout: QLayout) -> Iterator[QWidget]:
    for item in _items_in_order(layout):
        child_widget = item.widget()
        child_layout = item.layout()
        if child_widget is not None:
            yield from _walk_widget(child_widget)
        elif child_layout is not None:
            yield from _walk_layout(child_layout)


def _items_in_order(layout: QLayout) -> list:
    count = layout.count()
    items = [layout.itemAt(i) for i in range(count)]
    if isinstance(layout, QFormLayout):
        roles = (
            QFormLayout.ItemRole.LabelRole,
            QFormLayout.ItemRole.FieldRole,
            QFormLayout.ItemRole.SpanningRole,
        )
        ordered = []
        for row in range(layout.rowCount()):
            for role in roles:
                item = layout.itemAt(row, role)
                if item is not None:
                    ordered.append(item)
        return ordered
    if isinstance(layout, QGridLayout):
        placed: list[tuple[int, int, int, Any]] = []
        for i, item in enumerate(items):
            position: Any = layout.getItemPosition(i)
            placed.append((int(position[0]), int(position[1]), i, item))
        return [p[3] for p in sorted(placed, key=lambda p: p[:3])]
    return items


# ------------------------------------------------------------------ Home and End


class _LogicalHomeEnd(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(
            watched, QPlainTextEdit | QTextEdit
        ):
            return False
        assert isinstance(event, QKeyEvent)
        key = event.key()
        if key not in (Qt.Key.Key_Home, Qt.Key.Key_End):
            return False
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if mods & ~Qt.KeyboardModifier.ShiftModifier:
            return False  # Ctrl+Home / Ctrl+End: the whole text, as usual
        cursor = watched.textCursor()
        move = (
            QTextCursor.MoveOperation.StartOfBlock
            if key == Qt.Key.Key_Home
            else QTextCursor.MoveOperation.EndOfBlock
        )
        keep = (
            QTextCursor.MoveMode.KeepAnchor
            if mods & Qt.KeyboardModifier.ShiftModifier
            else QTextCursor.MoveMode.MoveAnchor
        )
        cursor.movePosition(move, keep)
        watched.setTextCursor(cursor)
        return True


def logical_home_end(edit: QPlainTextEdit | QTextEdit) -> None:
    """Home and End (with Shift to select) go to the start and end of the typed line."""
    keys = _LogicalHomeEnd(edit)
    keys.setObjectName("logicalHomeEnd")
    edit.installEventFilter(keys)
