"""Whether the text a window shows fits where it is drawn: labels, headers, buttons, tabs,
group titles and placeholders, each measured with its own font against the room its
widget has now. `clipped(window)` lists what does not fit, one line each."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics, QTextDocument
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QTabBar,
    QToolButton,
    QWidget,
)

SLACK = 1  # pixels of rounding allowed
BIG = 100_000


def shown(text: str) -> str:
    """A text as drawn with its mnemonic: "&Open" -> "Open", "A && B" -> "A & B"."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _visible(widget: QWidget) -> bool:
    return widget.isVisible() and widget.width() > 0 and widget.height() > 0


def _name(widget: QWidget, text: str) -> str:
    where = widget.objectName() or type(widget).__name__
    return f"{type(widget).__name__} {where!r} {text[:60]!r}"


def label_problem(label: QLabel) -> str | None:
    text = label.text()
    if not text or not _visible(label):
        return None
    margin = label.margin()
    room = label.contentsRect().adjusted(margin, margin, -margin, -margin)
    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text)
    )
    if rich:
        doc = QTextDocument()
        doc.setDefaultFont(label.font())
        doc.setDocumentMargin(0)
        doc.setHtml(text)
        if label.wordWrap():
            doc.setTextWidth(room.width())
        need = QSize(int(doc.idealWidth() + 0.999), int(doc.size().height() + 0.999))
    else:
        if label.buddy() is not None:
            text = shown(text)
        metrics = label.fontMetrics()
        flags = int(label.alignment())
        if label.wordWrap():
            box = QRect(0, 0, max(1, room.width()), BIG)
            need = metrics.boundingRect(box, flags | Qt.TextFlag.TextWordWrap, text).size()
        else:
            need = metrics.boundingRect(QRect(0, 0, BIG, BIG), flags, text).size()
    if need.width() > room.width() + SLACK or need.height() > room.height() + SLACK:
        return (
            f"{_name(label, text)} needs {need.width()}x{need.height()}, "
            f"has {room.width()}x{room.height()}"
        )
    return None


def header_problems(header: QHeaderView) -> list[str]:
    if not _visible(header) or header.model() is None:
        return []
    problems = []
    metrics = QFontMetrics(header.font())
    margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    horizontal = header.orientation() == Qt.Orientation.Horizontal
    for i in range(header.count()):
        if header.isSectionHidden(i):
            continue
        text = header.model().headerData(i, header.orientation(), Qt.ItemDataRole.DisplayRole)
        if not text:
            continue
        text = str(text)
        size = header.sectionSize(i)
        width = size if horizontal else header.width()
        height = header.height() if horizontal else size
        room_w = width - 2 * margin
        if header.isSortIndicatorShown() and header.sortIndicatorSection() == i:
            arrow = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header)
            room_w -= arrow + margin
        lines = text.split("\n")
        need_w = max(metrics.horizontalAdvance(line) for line in lines)
        need_h = metrics.height() * len(lines)
        if need_w > room_w + SLACK or need_h > height + SLACK:
            problems.append(
                f"{_name(header, text)} section {i} needs {need_w}x{need_h}, has {room_w}x{height}"
            )
    return problems


def _push_margin(button: QPushButton) -> int:
    option = QStyleOptionButton()
    option.initFrom(button)
    wide = 400
    size = button.style().sizeFromContents(
        QStyle.ContentsType.CT_PushButton, option, QSize(wide, 20), button
    )
    return size.width() - wide


def button_problem(button: QAbstractButton) -> str | None:
    text = shown(button.text())
    if not text or not _visible(button):
        return None
    if isinstance(button, QPushButton):
        icon = button.iconSize().width() + 4 if not button.icon().isNull() else 0
        arrow = 16 if button.menu() is not None else 0
        need = button.fontMetrics().horizontalAdvance(text) + icon + arrow + _push_margin(button)
    elif isinstance(button, QCheckBox | QRadioButton | QToolButton):
        need = button.sizeHint().width()
    else:
        return None
    if need > button.width() + SLACK:
        return f"{_name(button, text)} needs {need} wide, has {button.width()}"
    return None


def tab_problems(bar: QTabBar) -> list[str]:
    if not _visible(bar):
        return []
    return [
        f"{_name(bar, bar.tabText(i))} tab needs {bar.tabSizeHint(i).width()}, "
        f"has {bar.tabRect(i).width()}"
        for i in range(bar.count())
        if bar.isTabVisible(i) and bar.tabRect(i).width() + SLACK < bar.tabSizeHint(i).width()
    ]


def group_problem(box: QGroupBox) -> str | None:
    title = shown(box.title())
    if not title or not _visible(box):
        return None
    need = box.fontMetrics().horizontalAdvance(title) + 16
    if box.isCheckable():
        need += 20
    if need > box.width() + SLACK:
        return f"{_name(box, title)} title needs {need}, has {box.width()}"
    return None


def placeholder_problem(line: QLineEdit) -> str | None:
    text = line.placeholderText()
    if not text or line.text() or not _visible(line):
        return None
    frame = (
        line.style().pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth, None, line)
        if line.hasFrame()
        else 0
    )
    margins = line.textMargins()
    room = line.width() - 2 * frame - 4 - margins.left() - margins.right()
    need = line.fontMetrics().horizontalAdvance(text)
    if need > room + SLACK:
        return f"{_name(line, text)} placeholder needs {need}, has {room}"
    return None


def list_problem(view: QListView) -> str | None:
    """A list whose lines are wider than it is (they run under its edge)."""
    if not _visible(view) or not view.horizontalScrollBar().isVisible():
        return None
    return f"{_name(view, view.accessibleName())} has lines wider than its {view.width()} pixels"


def clipped(root: QWidget) -> list[str]:
    """Every text under `root` (shown now) that does not fit its widget."""
    problems: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if widget.window() is not root.window():
            continue
        found: list[str | None] = []
        if isinstance(widget, QLabel):
            found.append(label_problem(widget))
        elif isinstance(widget, QHeaderView):
            found.extend(header_problems(widget))
        elif isinstance(widget, QAbstractButton):
            found.append(button_problem(widget))
        elif isinstance(widget, QTabBar):
            found.extend(tab_problems(widget))
        elif isinstance(widget, QGroupBox):
            found.append(group_problem(widget))
        elif isinstance(widget, QListView):
            found.append(list_problem(widget))
        if isinstance(widget, QLineEdit):
            found.append(placeholder_problem(widget))
        problems.extend(p for p in found if p)
    return problems
