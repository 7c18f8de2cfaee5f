"""Labels that show user text literally, and the one-line texts screens build from records.

A QLabel guesses whether its text is rich text: anything a person typed must go through
`plain_label` (or have its format set to plain text) so it is never read as markup.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from fieldwork.core.model import Quote
from fieldwork.ui.widgets.colours import ERROR_COLOUR, readable


def plain_label(text: str = "", *, wrap: bool = True, selectable: bool = False) -> QLabel:
    """A label that shows its text literally (never as rich text)."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(wrap)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def muted(label: QLabel) -> QLabel:
    """Greyed text (the palette's placeholder colour, light and dark alike, darkened as
    far as it takes to be read: WCAG 2.2 AA contrast)."""
    return _coloured(label, label.palette().color(QPalette.ColorRole.PlaceholderText))


def _coloured(label: QLabel, wanted: QColor) -> QLabel:
    palette = label.palette()
    colour = readable(  # towards the app's own text colour (this label's may be coloured)
        wanted,
        palette.color(QPalette.ColorRole.Window),
        QApplication.palette().color(QPalette.ColorRole.WindowText),
    )
    palette.setColor(QPalette.ColorRole.WindowText, colour)
    label.setPalette(palette)
    return label


def bold(label: QLabel, scale: float = 1.0) -> QLabel:
    """Bold text, `scale` times the label's font size."""
    font = label.font()
    font.setBold(True)
    if scale != 1.0:
        font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)
    return label


def in_error_colour(label: QLabel) -> QLabel:
    """Red text that can be read on the palette's background."""
    return _coloured(label, QColor(ERROR_COLOUR))


def in_colour(label: QLabel, colour: QColor) -> QLabel:
    """Text in `colour` (a status, say), darkened or lightened until it can be read."""
    return _coloured(label, colour)


def one_line(text: str, limit: int = 140) -> str:
    """Text squeezed to one line, shortened with an ellipsis past `limit` characters."""
    line = " ".join(text.split())
    if not line:
        return "(no text yet)"
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def describe_quote(quote: Quote) -> str:
    """One line for a list: the passage (shortened) and its tags, as plain text."""
    passage = " ".join(quote.text.split())
    if len(passage) > 160:
        passage = passage[:157].rstrip() + "…"
    tags = "; ".join(quote.tags) if quote.tags else "no tags"
    return f"“{passage}”\n    {tags}"


def two_lines(text: str) -> str:
    """A heading broken at the space nearest its middle, for a narrow column:
    "2.3 Implementation and delivery" -> "2.3 Implementation\nand delivery"."""
    words = text.split()
    if len(words) < 2:
        return text
    best = min(
        range(1, len(words)),
        key=lambda i: max(len(" ".join(words[:i])), len(" ".join(words[i:]))),
    )
    return " ".join(words[:best]) + "\n" + " ".join(words[best:])
