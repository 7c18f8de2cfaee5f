"""Help > Keyboard shortcuts: every key the app answers to, read from the window's own
QAction and QShortcut objects (and the review's answer keys, from the mapping the rows
use), so the sheet never drifts from what the keys do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fieldwork.ui.review.widgets import ANSWER_KEYS, JUDGEMENT_WORDS

COLUMNS = ("Keys", "What they do", "Where")


@dataclass(frozen=True, order=True)
class Shortcut:
    where: str
    keys: str
    what: str


def key_text(sequences: list[QKeySequence]) -> str:
    texts = [
        s.toString(QKeySequence.SequenceFormat.NativeText) for s in sequences if not s.isEmpty()
    ]
    return " or ".join(dict.fromkeys(texts))


def plain(text: str) -> str:
    """A menu text without its mnemonic, ellipsis or tab: "&Find…" -> "Find"."""
    text = text.split("\t")[0].replace("&&", "\0").replace("&", "").replace("\0", "&")
    return text.rstrip("…").rstrip(".").strip()


def _where(obj: Any, screens: dict[Any, str]) -> str:
    if isinstance(obj, QAction):
        for owner in obj.associatedObjects():
            if isinstance(owner, QMenu) and owner.title():
                return f"{plain(owner.title())} menu"
    widget = obj.parent()
    while widget is not None:
        if widget in screens:
            return f"{screens[widget]} screen"
        widget = widget.parent()
    return "Everywhere"


def collect(window: Any) -> list[Shortcut]:
    """Every shortcut of the main window and its screens (each screen is made if it was
    not yet, so its keys are there to read)."""
    from fieldwork.ui.shell.window_base import SCREENS, screen_label

    screens = {window.screen_named(name): screen_label(name) for name in SCREENS}
    found: set[Shortcut] = set()
    for action in window.findChildren(QAction):
        keys = key_text(action.shortcuts())
        if keys and action.text():
            found.add(Shortcut(_where(action, screens), keys, plain(action.text())))
    for shortcut in window.findChildren(QShortcut):
        keys = key_text(shortcut.keys())
        what = shortcut.whatsThis() or shortcut.objectName()
        if keys and what:
            found.add(Shortcut(_where(shortcut, screens), keys, what))
    for key, value in ANSWER_KEYS.items():
        letter = QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
        found.add(
            Shortcut(
                "Assessment screen",
                letter,
                f"Answer {JUDGEMENT_WORDS[value]} to the question in focus, then move on",
            )
        )
    return _merged(found)


def _merged(found: set[Shortcut]) -> list[Shortcut]:
    """One line per thing done in one place, its keys together ("Ctrl+Return or Ctrl+Enter")."""
    keys: dict[tuple[str, str], list[str]] = {}
    for s in sorted(found):
        keys.setdefault((s.where, s.what), []).append(s.keys)
    return sorted(Shortcut(where, " or ".join(k), what) for (where, what), k in keys.items())


class ShortcutsDialog(QDialog):
    def __init__(self, window: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts — Fieldwork")
        self.resize(720, 620)
        self.shortcuts = collect(window)
        self.table = QTableWidget(len(self.shortcuts), len(COLUMNS))
        self.table.setObjectName("shortcutTable")
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        for r, s in enumerate(self.shortcuts):
            for c, text in enumerate((s.keys, s.what, s.where)):
                item = QTableWidgetItem(text)
                if c == 0:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.sortItems(2, Qt.SortOrder.AscendingOrder)
        self.table.resizeRowsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    def rows(self) -> list[tuple[str, str, str]]:
        """What the table shows, row by row."""

        def text(r: int, c: int) -> str:
            item = self.table.item(r, c)
            return item.text() if item is not None else ""

        return [(text(r, 0), text(r, 1), text(r, 2)) for r in range(self.table.rowCount())]
