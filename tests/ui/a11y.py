"""What the keyboard and assistive technology meet in a window: the controls Tab can
reach, the accessible name and role each one gives a screen reader, the tab cycle, and
whether the focused control looks different from the unfocused one."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QAccessible, QImage
from PySide6.QtWidgets import QApplication, QRadioButton, QWidget

NO_ROLES = {QAccessible.Role.NoRole}
STUCK = 6  # Tab presses that may stay in one control (the parts of a date) before it is a trap


def controls(root: QWidget) -> list[QWidget]:
    """The controls of `root`'s window that Tab can land on now (of a set of radio
    buttons, the one chosen: arrows move between them)."""
    window = root.window()
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        if (
            widget.window() is window
            and widget.isVisible()
            and widget.isEnabled()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and widget.focusProxy() is None
            and widget.objectName() != "focusRing"
            and not _unchosen_radio(widget)
        ):
            found.append(widget)
    return found


def _unchosen_radio(widget: QWidget) -> bool:
    if not isinstance(widget, QRadioButton) or widget.isChecked():
        return False
    group = widget.group()
    mates = (
        group.buttons() if group is not None else widget.parentWidget().findChildren(QRadioButton)
    )
    return any(b.isChecked() for b in mates if b is not widget)


def first_seen(widgets: list[QWidget]) -> QWidget:
    """The control a reader meets first: the top row, then the left."""
    return min(
        widgets, key=lambda w: (w.mapToGlobal(QPoint(0, 0)).y(), w.mapToGlobal(QPoint(0, 0)).x())
    )


def describe(widget: QWidget) -> str:
    return f"{type(widget).__name__} {widget.objectName() or '?'!r}"


def name_and_role(widget: QWidget) -> tuple[str, QAccessible.Role]:
    face = QAccessible.queryAccessibleInterface(widget)
    if face is None:
        return "", QAccessible.Role.NoRole
    return face.text(QAccessible.Text.Name).strip(), face.role()


def unnamed(root: QWidget) -> list[str]:
    """Controls with no accessible name, or no role, one line each."""
    problems = []
    for widget in controls(root):
        name, role = name_and_role(widget)
        if not name or role in NO_ROLES:
            problems.append(f"{describe(widget)}: name {name!r}, role {role}")
    return problems


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def around(widget: QWidget) -> QRect:
    """The widget's place in its window, with room for a focus ring drawn outside it."""
    window = widget.window()
    top_left = widget.mapTo(window, QPoint(0, 0))
    return QRect(top_left, widget.size()).adjusted(-3, -3, 3, 3).intersected(window.rect())


def grab(widget: QWidget) -> QImage:
    return widget.window().grab(around(widget)).toImage()


def tab_cycle(qtbot, start: QWidget, limit: int = 400) -> tuple[list[QWidget], list[str]]:
    """Press Tab from `start` until the focus comes back to it: (the controls in the
    order reached, the ones that looked the same focused and not)."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: focused() is start, timeout=2000)
    seen = [start]
    unseen_focus = []
    stayed = 0
    for _ in range(limit):
        current = focused()
        assert current is not None
        before = grab(current)
        qtbot.keyClick(current, Qt.Key.Key_Tab)
        now = focused()
        assert now is not None, f"Tab from {describe(current)} left the window"
        if now is current:  # a date moves through day, month and year first
            stayed += 1
            if stayed >= STUCK and current is start and len(seen) == 1:
                return seen, unseen_focus  # the one control there is: round already
            assert stayed < STUCK, f"Tab is stuck in {describe(current)}"
            continue
        stayed = 0
        if grab(current) == before:
            unseen_focus.append(describe(current))
        if now is start:
            return seen, unseen_focus
        seen.append(now)
    raise AssertionError(f"Tab never came back to {describe(start)} in {limit} presses")


def low_contrast(root: QWidget) -> list[str]:
    """Labels whose text is fainter than WCAG 2.2 AA allows (4.5:1) on their background."""
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QLabel

    from fieldwork.ui.widgets.colours import TEXT_CONTRAST, contrast

    problems = []
    for label in [root, *root.findChildren(QLabel)]:
        if not isinstance(label, QLabel) or not label.text() or not label.isVisible():
            continue
        if not label.isEnabled():
            continue  # WCAG: text of a control that cannot be used is exempt
        palette = label.palette()
        background = palette.color(label.backgroundRole())
        text = palette.color(label.foregroundRole())
        a = text.alphaF()  # a translucent colour is seen over the background
        seen = QColor.fromRgbF(
            text.redF() * a + background.redF() * (1 - a),
            text.greenF() * a + background.greenF() * (1 - a),
            text.blueF() * a + background.blueF() * (1 - a),
        )
        ratio = contrast(seen, background)
        if ratio < TEXT_CONTRAST:
            problems.append(
                f"{describe(label)} {label.text()[:30]!r}: {seen.name()} on "
                f"{background.name()} is {ratio:.2f}:1"
            )
    return problems
