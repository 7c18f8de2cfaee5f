"""The Evidence register screen: meetings, focus groups, interviews with managers and
partners, and documents, each with its date, who was there (by role), notes and tags to
the method's standards and key questions.

The list is on the left, the chosen item's editor (item_form.py) on the right. Keys:
Alt+N adds an item (the title is then selected for typing), Delete on the list (or
Alt+D) deletes the chosen one, and Ctrl+Z brings it back. Every change is a
core/casework/evidence.py action run through `Session.act`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from fieldwork.core.casework.evidence import add_evidence, delete_evidence, kind_label
from fieldwork.core.model import Evidence, Op
from fieldwork.core.storage import evidence_reads
from fieldwork.ui.evidence.item_form import EvidenceForm, wrapping
from fieldwork.ui.widgets.labels import bold, muted, plain_label
from fieldwork.ui.widgets.screen import Screen

WATCHED = {"evidence", "evidence_links", "inspection", "methods", "forms"}
NEW_TITLE = "Untitled meeting"


def describe(item: Evidence, *, organisations: int = 2) -> str:
    """Two lines of the list: date and kind (and, when there are several, the
    organisation), then the title and how many tags."""
    tags = len(item.targets)
    tagged = f"{tags} tag{'s' if tags != 1 else ''}" if tags else "not tagged"
    about = f" ({item.organisation})" if item.organisation and organisations > 1 else ""
    return f"{item.date or 'No date'} · {kind_label(item.kind)}{about}\n{item.title} · {tagged}"


class EvidenceScreen(Screen):
    refresh_delay_ms = 50

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evidenceScreen")
        self.session = session
        self.items: list[Evidence] = []

        self.summary = muted(plain_label())
        self.summary.setObjectName("evidenceSummary")
        self.new_button = QPushButton("&New item")
        self.new_button.setObjectName("newEvidence")
        self.new_button.setAccessibleName("New evidence item")
        self.new_button.clicked.connect(lambda _=False: self.new_item())
        self.delete_button = QPushButton("&Delete")
        self.delete_button.setObjectName("deleteEvidence")
        self.delete_button.setAccessibleName("Delete the chosen evidence item")
        self.delete_button.setToolTip("Delete the chosen item (Ctrl+Z brings it back)")
        self.delete_button.clicked.connect(lambda _=False: self.delete_item())

        self.list = wrapping(QListWidget())
        self.list.setObjectName("evidenceList")
        self.list.setAccessibleName("Evidence register")
        self.list.setAlternatingRowColors(True)
        self.list.currentRowChanged.connect(self._chosen)
        self.list.installEventFilter(self)
        self.form = EvidenceForm(session)

        head = QHBoxLayout()
        head.addWidget(bold(plain_label("Evidence register", wrap=False), 1.3))
        head.addWidget(self.summary, 1)
        left = QWidget()
        col = QVBoxLayout(left)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        col.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        split.addWidget(left)
        split.addWidget(self.form)
        split.setSizes([420, 760])
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(split, 1)

        session.changed.connect(self._on_changed)
        self.refresh_view()

    @property
    def store(self) -> Any:
        return self.session.store

    # -------------------------------------------------------------- refresh

    def _on_changed(self, ops: tuple[Op, ...]) -> None:
        entities = {op.entity for op in ops}
        if not ops or entities & WATCHED:
            if not ops or entities & {"inspection", "methods", "forms"}:
                self.form.reload_vocabulary()
            self.refresh_soon()

    def refresh_view(self) -> None:
        keep = self.current_id()
        self.items = evidence_reads.evidence(self.store)
        self.list.blockSignals(True)
        self.list.clear()
        orgs = len(self.store.reads.inspection().organisations)
        for item in self.items:
            entry = QListWidgetItem(describe(item, organisations=orgs))
            entry.setData(Qt.ItemDataRole.UserRole, item.id)
            self.list.addItem(entry)
        ids = [i.id for i in self.items]
        row = ids.index(keep) if keep in ids else (0 if ids else -1)
        self.list.setCurrentRow(row)
        self.list.blockSignals(False)
        self._show(row)
        n = len(self.items)
        kinds = len({i.kind for i in self.items})
        self.summary.setText(
            f"{n} item{'s' if n != 1 else ''} of {kinds} kind{'s' if kinds != 1 else ''}: "
            "meetings, focus groups, interviews with managers and partners, documents."
            if n
            else "No evidence yet: Alt+N adds a meeting, focus group, interview or document."
        )
        self.delete_button.setEnabled(n > 0)

    def current_id(self) -> str | None:
        entry = self.list.currentItem()
        return entry.data(Qt.ItemDataRole.UserRole) if entry is not None else None

    def _chosen(self, row: int) -> None:
        self.form.flush()  # what was typed belongs to the item it was typed in
        self._show(row)

    def _show(self, row: int) -> None:
        self.form.show_item(self.items[row] if 0 <= row < len(self.items) else None)

    def select(self, evidence_id: str) -> None:
        ids = [i.id for i in self.items]
        if evidence_id in ids:
            self.list.setCurrentRow(ids.index(evidence_id))

    # -------------------------------------------------------------- actions

    def new_item(self) -> str | None:
        """Add an item (a meeting, untitled) and put the cursor in its title."""
        self.form.flush()
        ops = self.session.act("Add evidence", add_evidence, kind="meeting", title=NEW_TITLE)
        if not ops:
            return None
        new_id = ops[0].row
        self.refresh_view()
        self.select(new_id)
        self.form.title.setFocus()
        self.form.title.selectAll()
        return new_id

    def delete_item(self) -> bool:
        evidence_id = self.current_id()
        if evidence_id is None:
            return False
        self.form.flush()
        title = next((i.title for i in self.items if i.id == evidence_id), "")
        done = self.session.act(f"Delete “{title}”", delete_evidence, evidence_id)
        if done:
            self.session.saved.emit(f"Deleted “{title}” from the register: Ctrl+Z brings it back.")
            self.refresh_view()
            self.list.setFocus()
        return bool(done)

    def flush(self) -> None:
        self.form.flush()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.list
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Delete
        ):
            self.delete_item()
            return True
        return super().eventFilter(watched, event)
