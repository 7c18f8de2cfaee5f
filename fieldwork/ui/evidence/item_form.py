"""The Evidence register's editor for one item: kind, title, date, organisation, who was
there (by role), notes, and its tags to standards and key questions.

Each field saves itself (after a pause in typing, on leaving it, or when chosen) through
`Session.act` with a core/casework/evidence.py action, so each change is one undo step.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fieldwork.core.casework.evidence import tag_evidence, targets, update_evidence
from fieldwork.core.model import Evidence
from fieldwork.core.schema import EVIDENCE_KIND_LABELS, EVIDENCE_KINDS
from fieldwork.core.storage import method_reads
from fieldwork.ui.widgets.autosave import AutosaveEdit, TextAutosave
from fieldwork.ui.widgets.focus import logical_home_end

EVERY = "Every organisation"


def wrapping(view: QListWidget) -> QListWidget:
    """Long lines wrap rather than run under the list's edge."""
    view.setWordWrap(True)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setResizeMode(QListWidget.ResizeMode.Adjust)
    return view


class EvidenceForm(QWidget):
    """Shows one evidence item and saves what is changed in it."""

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.item: Evidence | None = None
        self._loading = False

        self.kind = QComboBox()
        self.kind.setObjectName("evidenceKind")
        self.kind.setAccessibleName("Kind of evidence")
        for kind in EVIDENCE_KINDS:
            self.kind.addItem(EVIDENCE_KIND_LABELS[kind], kind)
        self.kind.currentIndexChanged.connect(lambda _i: self._choose("kind", self.kind))

        self.title = QLineEdit()
        self.title.setObjectName("evidenceTitle")
        self.title.setAccessibleName("Title")
        self.title.setPlaceholderText("For example: Meeting with the head of the division")
        self.date = QLineEdit()
        self.date.setObjectName("evidenceDate")
        self.date.setAccessibleName("Date (year-month-day)")
        self.date.setPlaceholderText("YYYY-MM-DD")
        self.date.setMaximumWidth(140)
        self.organisation = QComboBox()
        self.organisation.setObjectName("evidenceOrganisation")
        self.organisation.setAccessibleName("Organisation it is about")
        self.organisation.currentIndexChanged.connect(
            lambda _i: self._choose("organisation", self.organisation)
        )
        self.attendees = QLineEdit()
        self.attendees.setObjectName("evidenceAttendees")
        self.attendees.setAccessibleName("Who was there, by role")
        self.notes = AutosaveEdit()
        self.notes.setObjectName("evidenceNotes")
        self.notes.setAccessibleName("Notes")
        self.notes.setPlaceholderText("What was said or read, in plain text")
        logical_home_end(self.notes)
        self.notes.commit.connect(lambda text: self._save("notes", text))
        self.savers: dict[str, TextAutosave] = {}
        for name, edit in (
            ("title", self.title),
            ("date", self.date),
            ("attendees", self.attendees),
        ):
            self.savers[name] = TextAutosave(edit, partial(self._save, name), self)
            edit.returnPressed.connect(self.savers[name].flush)

        self.tags = wrapping(QListWidget())
        self.tags.setObjectName("evidenceTags")
        self.tags.setAccessibleName("Standards and key questions it bears on (Space ticks)")
        self.tags.itemChanged.connect(self._tag_changed)
        self.tags_label = QLabel("&Tags (Space ticks a standard or key question):")
        self.tags_label.setBuddy(self.tags)

        form = QFormLayout()
        form.addRow("&Kind", self.kind)
        form.addRow("T&itle", self.title)
        form.addRow("D&ate", self.date)
        form.addRow("O&rganisation", self.organisation)
        form.addRow("&Who was there", self.attendees)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        notes_label = QLabel("N&otes:")
        notes_label.setBuddy(self.notes)
        layout.addWidget(notes_label)
        layout.addWidget(self.notes, 3)
        layout.addWidget(self.tags_label)
        layout.addWidget(self.tags, 2)
        self.reload_vocabulary()

    @property
    def store(self) -> Any:
        return self.session.store

    # -------------------------------------------------------------- filling

    def reload_vocabulary(self) -> None:
        """The method's words, organisations and tag targets (standards, key questions)."""
        people = method_reads.method(self.store).term("people")
        self.attendees.setPlaceholderText(
            f"By role, for example: two senior probation officers (never names of {people})"
        )
        self._loading = True
        try:
            self.organisation.clear()
            self.organisation.addItem(EVERY, "")
            for org in self.store.reads.inspection().organisations:
                self.organisation.addItem(org, org)
            self.tags.clear()
            standards = {s.id for s in method_reads.method(self.store).standards()}
            for target, label in targets(self.store).items():
                is_standard = target in standards
                entry = QListWidgetItem(label if is_standard else f"    {label}")
                entry.setData(Qt.ItemDataRole.UserRole, target)
                entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                entry.setCheckState(Qt.CheckState.Unchecked)
                if is_standard:
                    font = QFont(entry.font())
                    font.setBold(True)
                    entry.setFont(font)
                self.tags.addItem(entry)
        finally:
            self._loading = False
        self.show_item(self.item, force=True)

    def show_item(self, item: Evidence | None, *, force: bool = False) -> None:
        """Show `item` (None: nothing to edit). Text being typed stays unless `force`."""
        if force or item is None or self.item is None or item.id != self.item.id:
            force = True
        self.item = item
        self._loading = True
        try:
            self.setEnabled(item is not None)
            self.kind.setCurrentIndex(max(0, self.kind.findData(item.kind if item else "")))
            org = item.organisation if item else None
            self.organisation.setCurrentIndex(max(0, self.organisation.findData(org or "")))
            self.savers["title"].load(item.title if item else "", force=force)
            self.savers["date"].load(item.date if item else "", force=force)
            self.savers["attendees"].load(item.attendees if item else "", force=force)
            if force or not (self.notes.pending() and self.notes.hasFocus()):
                self.notes.load(item.notes if item else "")
            tagged = set(item.targets) if item else set()
            for i in range(self.tags.count()):
                entry = self.tags.item(i)
                on = entry.data(Qt.ItemDataRole.UserRole) in tagged
                entry.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        finally:
            self._loading = False

    def tagged(self) -> list[str]:
        """The targets ticked (for tests and the screen's summary)."""
        return [
            self.tags.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.tags.count())
            if self.tags.item(i).checkState() == Qt.CheckState.Checked
        ]

    # -------------------------------------------------------------- saving

    def flush(self) -> None:
        for saver in self.savers.values():
            saver.flush()
        self.notes.flush()

    def _save(self, field: str, value: Any) -> None:
        if self._loading or self.item is None:
            return
        words = {"attendees": "who was there"}.get(field, field)
        self.session.act(
            f"Change the evidence's {words}", update_evidence, self.item.id, **{field: value}
        )

    def _choose(self, field: str, combo: QComboBox) -> None:
        if self._loading or self.item is None:
            return
        value = combo.currentData() or None
        if value != getattr(self.item, field):
            self._save(field, value)

    def _tag_changed(self, entry: QListWidgetItem) -> None:
        if self._loading or self.item is None:
            return
        target = entry.data(Qt.ItemDataRole.UserRole)
        on = entry.checkState() == Qt.CheckState.Checked
        what = "Tag the evidence with" if on else "Untag the evidence from"
        self.session.act(f"{what} {target}", tag_evidence, self.item.id, target, present=on)
