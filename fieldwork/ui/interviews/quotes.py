"""Quotes marked in interview notes: the store actions, the tag dialog and the quote list.

A quote is a passage of an interview's notes (start and end are Python string
indices into the notes) tagged with standards of the form and free themes.
Qt counts text positions in UTF-16 units, so the helpers here convert both ways.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldwork.core.model import Op, Quote
from fieldwork.core.storage.store import Store

NO_STANDARD = "(no standard)"
PREVIEW_CHARS = 280


# ------------------------------------------------------------ text positions


def to_qt(text: str, index: int) -> int:
    """A Python index into `text` as a Qt (UTF-16) position."""
    return len(text[: max(0, index)].encode("utf-16-le")) // 2


def from_qt(text: str, position: int) -> int:
    """A Qt (UTF-16) position in `text` as a Python index."""
    raw = text.encode("utf-16-le")[: max(0, position) * 2]
    return len(raw.decode("utf-16-le", errors="ignore"))


def locate(notes: str, quote: Quote) -> tuple[int, int] | None:
    """Where the quote's passage is now: its stored place, or the nearest copy of its text
    if the notes were edited since it was marked."""
    if notes[quote.start : quote.end] == quote.text:
        return quote.start, quote.end
    if not quote.text:
        return None
    found, at = None, notes.find(quote.text)
    while at >= 0:
        if found is None or abs(at - quote.start) < abs(found - quote.start):
            found = at
        at = notes.find(quote.text, at + 1)
    return None if found is None else (found, found + len(quote.text))


# ------------------------------------------------------------ store actions


def mark_quote(
    store: Store,
    quote_id: str,
    interview_id: str,
    start: int,
    end: int,
    text: str,
    labels: Sequence[str],
) -> list[Op]:
    """Store a quote and its tags in one transaction (one undo step)."""
    with store.transaction():
        ops = store.write(
            [
                ("quotes", quote_id, "interview_id", interview_id),
                ("quotes", quote_id, "start", start),
                ("quotes", quote_id, "end", end),
                ("quotes", quote_id, "text", text),
                ("quotes", quote_id, "deleted", False),
            ]
        )
        for label in labels:
            ops += store.link("quote_tags", quote_id, store.tag_id(label))
    return ops


def remove_quote(store: Store, quote_id: str) -> list[Op]:
    return store.delete("quotes", quote_id)


def standard_labels(store: Store) -> list[str]:
    """The method's standards as tag labels, e.g. "2.1 Assessment", "Reducing reoffending"."""
    from fieldwork.core.storage.method_reads import method

    return [s.label for s in method(store).standards()]


def describe(quote: Quote) -> str:
    """One line for a list: the passage (shortened) and its tags, as plain text."""
    passage = " ".join(quote.text.split())
    if len(passage) > 160:
        passage = passage[:157].rstrip() + "…"
    tags = "; ".join(quote.tags) if quote.tags else "no tags"
    return f"“{passage}”\n    {tags}"


# ------------------------------------------------------------ tag dialog


class QuoteTagDialog(QDialog):
    """Ask for a standard and/or a theme to tag a quote with."""

    def __init__(
        self,
        passage: str,
        standards: Sequence[str],
        themes: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Mark as quote")
        self.setObjectName("quoteTagDialog")
        self.setMinimumWidth(460)

        shown = " ".join(passage.split())
        if len(shown) > PREVIEW_CHARS:
            shown = shown[: PREVIEW_CHARS - 1].rstrip() + "…"
        self.passage = QLabel(f"“{shown}”")
        self.passage.setTextFormat(Qt.TextFormat.PlainText)
        self.passage.setWordWrap(True)
        self.passage.setAccessibleName("Passage to quote")

        self.standard = QComboBox()
        self.standard.setObjectName("quoteStandard")
        self.standard.setAccessibleName("Standard")
        self.standard.addItem(NO_STANDARD, "")
        for label in standards:
            self.standard.addItem(label, label)

        self.theme = QLineEdit()
        self.theme.setObjectName("quoteTheme")
        self.theme.setAccessibleName("Theme")
        self.theme.setPlaceholderText("A theme, for example Risk of harm")
        completer = QCompleter(sorted(set(themes) - set(standards)), self.theme)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.theme.setCompleter(completer)

        form = QFormLayout()
        form.addRow("&Standard:", self.standard)
        form.addRow("&Theme:", self.theme)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Mark as quote")
        ok.setObjectName("quoteOk")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.passage)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setTabOrder(self.standard, self.theme)
        self.standard.setFocus()

    def labels(self) -> list[str]:
        """The chosen tags (standard first), without blanks or repeats."""
        chosen = [self.standard.currentData() or "", " ".join(self.theme.text().split())]
        return list(dict.fromkeys(label for label in chosen if label))


# ------------------------------------------------------------ quote list


class QuoteList(QWidget):
    """The quotes of one interview with their tags; a click shows the passage."""

    activated = Signal(object)  # Quote
    remove_requested = Signal(str)  # quote id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setObjectName("quoteList")
        self.list.setAccessibleName("Quotes from this interview")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.itemClicked.connect(self._emit_activated)
        self.list.itemActivated.connect(self._emit_activated)
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())

        self.remove = QPushButton("Remove quote")
        self.remove.setObjectName("removeQuote")
        self.remove.setAccessibleName("Remove the selected quote")
        self.remove.clicked.connect(self._emit_remove)

        self.empty = QLabel("No quotes yet: select a passage in the notes and press Ctrl+M.")
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        self.empty.setWordWrap(True)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.remove)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)
        self._update_buttons()

    def set_quotes(self, quotes: Sequence[Quote]) -> None:
        current = self.current_id()
        self.list.clear()
        for quote in quotes:
            item = QListWidgetItem(describe(quote))
            item.setData(Qt.ItemDataRole.UserRole, quote)
            item.setToolTip(quote.text)
            self.list.addItem(item)
            if quote.id == current:
                self.list.setCurrentItem(item)
        self.empty.setVisible(not quotes)
        self._update_buttons()

    def quotes(self) -> list[Quote]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())]

    def current_id(self) -> str | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole).id if item else None

    def _update_buttons(self) -> None:
        self.remove.setEnabled(self.list.currentItem() is not None)

    def _emit_activated(self, item: QListWidgetItem) -> None:
        self.activated.emit(item.data(Qt.ItemDataRole.UserRole))

    def _emit_remove(self) -> None:
        quote_id = self.current_id()
        if quote_id:
            self.remove_requested.emit(quote_id)
