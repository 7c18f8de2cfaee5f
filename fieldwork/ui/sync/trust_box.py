"""The Sync screen's team box: what was set aside (team changes not from the lead),
evidence from refused bundles, laptops asking to join (the lead admits them) and the
members (the lead removes one), and a history dialog naming who wrote each change and
whether it is verified. All the work is core.team and core.history, through the Session.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fieldwork.core import history, team
from fieldwork.core.casework import roles
from fieldwork.core.errors import FieldworkError
from fieldwork.core.storage.store import Store
from fieldwork.ui.widgets.labels import plain_label

ID_ROLE = Qt.ItemDataRole.UserRole


class TrustBox(QGroupBox):
    """Team and audit trail, on the Sync screen."""

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__("Team and audit trail", parent)
        self.session = session
        layout = QVBoxLayout(self)
        self.summary = plain_label("")  # names come from bundles
        self.summary.setObjectName("trustSummary")
        layout.addWidget(self.summary)
        self.people = QListWidget()
        self.people.setObjectName("teamList")
        self.people.setAccessibleName("Team members and requests to join")
        self.people.setMaximumHeight(120)
        layout.addWidget(self.people)
        buttons = QHBoxLayout()
        self.admit_button = QPushButton("Admit")
        self.admit_button.setObjectName("admitMember")
        self.admit_button.clicked.connect(self.admit_selected)
        self.remove_button = QPushButton("Remove from team")
        self.remove_button.setObjectName("removeMember")
        self.remove_button.clicked.connect(self.remove_selected)
        self.history_button = QPushButton("History…")
        self.history_button.setObjectName("showHistory")
        self.history_button.clicked.connect(self.show_history)
        for b in (self.admit_button, self.remove_button, self.history_button):
            buttons.addWidget(b)
        layout.addLayout(buttons)
        self.people.currentItemChanged.connect(lambda *_: self._buttons())

    @property
    def store(self) -> Store:
        return self.session.store

    def refresh(self) -> None:
        store = self.store
        aside = store.trust.set_aside_count() + len(store.trust.set_aside_forms())
        evidence = store.trust.evidence()
        parts = [
            f"{aside} team change(s) set aside: not from the lead, kept but not applied."
            if aside
            else "Nothing set aside."
        ]
        parts += [f"Evidence: {e.detail}" for e in evidence[-3:]]
        self.summary.setText("\n".join(parts))
        self.people.clear()
        self.is_lead = store.trust.is_lead()
        for r in team.join_requests(store):
            asks = "to add another laptop" if r.keys_row else f"to join as {r.role}"
            item = QListWidgetItem(f"{r.name} asks {asks}")
            item.setData(ID_ROLE, ("request", r.member_id))
            self.people.addItem(item)
        lead = store.trust.lead
        for m in store.reads.members():
            # The role in words ("Lead inspector", "Headquarters"); the member whose key
            # signs the team is the lead whatever the role field says.
            role = roles.role_words("lead" if m.id == lead else m.role)
            item = QListWidgetItem(f"{m.name} · {role}")
            item.setData(ID_ROLE, ("member", m.id))
            self.people.addItem(item)
        self._buttons()

    def _selected(self) -> tuple[str, str] | None:
        item = self.people.currentItem()
        return item.data(ID_ROLE) if item is not None else None

    def _buttons(self) -> None:
        chosen = self._selected()
        lead = getattr(self, "is_lead", False)
        self.admit_button.setEnabled(lead and chosen is not None and chosen[0] == "request")
        self.remove_button.setEnabled(
            lead and chosen is not None and chosen[0] == "member" and chosen[1] != self.store.author
        )

    def admit_selected(self) -> None:
        chosen = self._selected()
        if chosen and chosen[0] == "request":
            self.session.act("Admit to the team", lambda s: team.admit(s, chosen[1]))
            self.refresh()

    def remove_selected(self) -> None:
        chosen = self._selected()
        if chosen and chosen[0] == "member":
            self.session.act("Remove from the team", lambda s: team.remove(s, chosen[1]))
            self.refresh()

    def show_history(self) -> HistoryDialog:
        dialog = HistoryDialog(self.store, self)
        dialog.show()
        return dialog


class HistoryDialog(QDialog):
    """Who wrote each change, and whether that is verified; one case or everything."""

    COLUMNS = ("When", "Who", "Proof", "Change")
    LIMIT = 2000  # the newest changes of a whole inspection

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("History of changes")
        self.store = store
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.case = QLineEdit()
        self.case.setObjectName("historyCase")
        self.case.setPlaceholderText("Case reference (blank: every change)")
        self.case.returnPressed.connect(self.fill)
        row.addWidget(self.case)
        layout.addLayout(row)
        self.message = plain_label("")
        layout.addWidget(self.message)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("historyTable")
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)
        self.resize(760, 480)
        self.fill()

    def fill(self) -> None:
        from fieldwork.ui.sync.panel import when

        ref = self.case.text().strip() or None
        try:
            shown = list(history.changes(self.store, ref, newest=None if ref else self.LIMIT))
        except FieldworkError as exc:
            self.message.setText(str(exc))
            return
        what = f"case {ref.upper()}" if ref else f"the newest {self.LIMIT} at most"
        self.message.setText(f"{len(shown)} changes: {what}, newest first.")
        self.table.setRowCount(len(shown))
        for r, c in enumerate(reversed(shown)):
            op = c.op
            cells = (when(op.hlc), c.who, c.status, f"{op.entity} {op.field}: {op.value!r}"[:200])
            for col, text in enumerate(cells):
                self.table.setItem(r, col, QTableWidgetItem(text))
