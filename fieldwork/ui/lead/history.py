"""Team > Sync history…: who has sent what, and when, as this laptop has seen it.

Two tables from `store.audit.bundle_history()`, read in the worker: the latest bundle
from each member (by name, never a device id), and every bundle sent and received.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fieldwork.core import team
from fieldwork.ui.lead.base import TaskDialog, day_and_time
from fieldwork.ui.tasks import raising_on_cancel
from fieldwork.ui.widgets.labels import bold, plain_label

LATEST_COLUMNS = ("Person", "Last bundle", "Changes in it", "Sent or received")
ALL_COLUMNS = ("When", "Person", "Sent or received", "Changes", "New here", "File")


@dataclass(frozen=True)
class Line:
    at: str
    person: str
    direction: str  # "Sent" | "Received"
    changes: int
    new: int | None
    file: str
    path: str


def read_history(store: Any) -> list[Line]:
    """Every bundle in this laptop's history, newest first, with people's names."""
    names = team.writer_names(store)
    lines = []
    for h in store.audit.bundle_history():
        sent = h["direction"] == "out"
        author = h["author"] or ""
        person = names.get(author) or (
            f"Unknown (device {(h['device'] or '?')[:8]})" if author else "Unknown"
        )
        if author == store.author:
            person = f"{person} (you)"
        lines.append(
            Line(
                h["at"] or "",
                person,
                "Sent" if sent else "Received",
                int(h["op_count"] or 0),
                h["new_ops"],
                Path(h["path"] or "").name,
                h["path"] or "",
            )
        )
    return lines


def latest_per_person(lines: list[Line]) -> list[Line]:
    """The newest line of each person (lines come newest first)."""
    seen: dict[str, Line] = {}
    for line in lines:
        seen.setdefault(line.person, line)
    return sorted(seen.values(), key=lambda line: line.person.casefold())


def _table(name: str, accessible: str, columns: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setObjectName(name)
    table.setAccessibleName(accessible)
    table.setHorizontalHeaderLabels(columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setTabKeyNavigation(False)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


class SyncHistoryDialog(TaskDialog):
    def __init__(self, window: Any, parent: QWidget | None = None) -> None:
        super().__init__(window, parent)
        self.setObjectName("syncHistoryDialog")
        self.setWindowTitle("Sync history")
        self.resize(860, 600)
        self.lines: list[Line] = []
        self.latest = _table("latestBundles", "Latest bundle from each person", LATEST_COLUMNS)
        self.every = _table("everyBundle", "Every bundle sent and received", ALL_COLUMNS)
        self.refresh_button = QPushButton("&Refresh")
        self.refresh_button.setObjectName("refreshHistory")
        self.refresh_button.setAccessibleName("Read the history again")
        self.refresh_button.clicked.connect(lambda: self.load())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.refresh_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        for button in buttons.findChildren(QPushButton):
            button.setAutoDefault(False)

        latest_title: QLabel = bold(QLabel("&Latest from each person"))
        latest_title.setBuddy(self.latest)
        every_title: QLabel = bold(QLabel("E&very bundle, newest first"))
        every_title.setBuddy(self.every)
        layout = QVBoxLayout(self)
        layout.addWidget(
            plain_label(
                "Who has sent what, and when, as this laptop has seen it: bundles made here "
                "and bundles imported here."
            )
        )
        layout.addWidget(latest_title)
        layout.addWidget(self.latest, 1)
        layout.addWidget(every_title)
        layout.addWidget(self.every, 2)
        layout.addWidget(self.error)
        layout.addWidget(self.outcome)
        layout.addWidget(buttons)

    def load(self) -> bool:
        """Read the history in the worker and show it."""

        def work(store: Any, progress: Any) -> list[Line]:
            raising_on_cancel(progress)(0, 1)
            return read_history(store)

        return self.run("Reading the sync history…", work, self.show_lines)

    def show_lines(self, lines: list[Line]) -> None:
        self.lines = lines
        latest = latest_per_person(lines)
        self._fill(
            self.latest,
            [(x.person, day_and_time(x.at), str(x.changes), x.direction) for x in latest],
        )
        rows = [
            (
                day_and_time(x.at),
                x.person,
                x.direction,
                str(x.changes),
                "" if x.new is None else str(x.new),
                x.file,
            )
            for x in lines
        ]
        self._fill(self.every, rows, tips={5: [x.path for x in lines]})
        self.say("" if lines else "No bundles sent or received on this laptop yet.")

    @staticmethod
    def _fill(
        table: QTableWidget,
        rows: Sequence[Sequence[str]],
        tips: dict[int, list[str]] | None = None,
    ) -> None:
        table.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if tips and c in tips:
                    item.setToolTip(tips[c][r])
                table.setItem(r, c, item)
