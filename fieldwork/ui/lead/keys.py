"""Team > Team and keys…: the public keys bundles are encrypted to, with who holds each;
add one (headquarters, or a team member's laptop) or remove one.

Adding is `bundle.add_recipient`, removing `recipients.remove_recipient`; both run in the
worker and sync to the team like any edit. This laptop's own key is listed and cannot
be removed.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fieldwork.core.model import Member
from fieldwork.core.sync import bundle, recipients
from fieldwork.ui.lead.base import TaskDialog
from fieldwork.ui.tasks import raising_on_cancel
from fieldwork.ui.widgets.labels import muted, plain_label

COLUMNS = ("Name", "Role", "Public key", "")
ROLES = (("Headquarters", "headquarters"), ("Inspector", "inspector"))
ROLE_NAMES = {"headquarters": "Headquarters", "inspector": "Inspector", "lead": "Lead inspector"}


def short_key(key: str) -> str:
    """age1qyqs…x7dm: enough to tell keys apart and check one read out."""
    return key if len(key) <= 20 else f"{key[:10]}…{key[-6:]}"


class TeamKeysDialog(TaskDialog):
    def __init__(self, window: Any, parent: QWidget | None = None) -> None:
        super().__init__(window, parent)
        self.setObjectName("teamKeysDialog")
        self.setWindowTitle("Team and keys")
        self.resize(760, 560)
        self.members: list[Member] = []
        self.confirm_box: QMessageBox | None = None

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("recipientKeys")
        self.table.setAccessibleName("Keys bundles are encrypted to")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.remove_button = QPushButton("&Remove key…")
        self.remove_button.setObjectName("removeKey")
        self.remove_button.setAccessibleName("Remove the selected key")
        self.remove_button.clicked.connect(lambda: self.ask_remove())

        self.name = QLineEdit("Headquarters")
        self.name.setObjectName("keyName")
        self.name.setAccessibleName("Name of the key's holder")
        self.role = QComboBox()
        self.role.setObjectName("keyRole")
        self.role.setAccessibleName("Role")
        for text, value in ROLES:
            self.role.addItem(text, value)
        self.key = QLineEdit()
        self.key.setObjectName("publicKey")
        self.key.setAccessibleName("Public key")
        self.key.setPlaceholderText("age1… (headquarters: from fieldwork keygen)")
        self.add_button = QPushButton("&Add key")
        self.add_button.setObjectName("addKey")
        self.add_button.clicked.connect(lambda: self.add())
        self.key.returnPressed.connect(lambda: self.add())

        add_box = QGroupBox("Add a key")
        add_form = QFormLayout(add_box)
        add_form.addRow("&Name", self.name)
        add_form.addRow("R&ole", self.role)
        add_form.addRow("Public &key", self.key)
        add_row = QHBoxLayout()
        add_row.addStretch(1)
        add_row.addWidget(self.add_button)
        add_form.addRow(add_row)

        self.own_key = plain_label(selectable=True)
        self.own_key.setObjectName("ownKey")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        for button in buttons.findChildren(QPushButton):
            button.setAutoDefault(False)

        remove_row = QHBoxLayout()
        remove_row.addWidget(
            muted(plain_label("Bundles made after a change are encrypted to these keys only.")), 1
        )
        remove_row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addWidget(
            plain_label(
                "Every bundle from this inspection is encrypted to each key below: the team's "
                "laptops and headquarters. A team member's laptop is added by itself when it "
                "joins; add headquarters' key here."
            )
        )
        layout.addWidget(self.table, 1)
        layout.addLayout(remove_row)
        layout.addWidget(add_box)
        layout.addWidget(self.own_key)
        layout.addWidget(self.error)
        layout.addWidget(self.outcome)
        layout.addWidget(buttons)
        for button in (self.remove_button, self.add_button):
            button.setAutoDefault(False)
        self.refresh()

    # ------------------------------------------------------------- showing

    def refresh(self) -> None:
        store = self.store
        own = store.age_recipient
        chosen = self.selected()
        self.members = [m for m in store.reads.members() if m.public_key]
        self.table.setRowCount(len(self.members))
        for r, m in enumerate(self.members):
            key = m.public_key or ""
            cells = (
                m.name,
                ROLE_NAMES.get(m.role or "", (m.role or "member").capitalize()),
                short_key(key),
                "this laptop" if key == own else "",
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 2:
                    item.setToolTip(key)
                self.table.setItem(r, c, item)
            if chosen is not None and m.id == chosen.id:
                self.table.selectRow(r)
        self.own_key.setText(f"This laptop's public key: {own}")
        writable = not store.readonly
        self.add_button.setEnabled(writable)
        self.key.setEnabled(writable)
        self._update_buttons()

    def selected(self) -> Member | None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        if len(rows) != 1:
            return None
        row = rows.pop()
        return self.members[row] if 0 <= row < len(self.members) else None

    def select(self, name: str) -> bool:
        """Select the key of the member called `name` (for people and tests alike)."""
        for r, m in enumerate(self.members):
            if m.name == name:
                self.table.selectRow(r)
                return True
        return False

    def _update_buttons(self) -> None:
        m = self.selected()
        own = self.store.age_recipient
        self.remove_button.setEnabled(
            m is not None and m.public_key != own and not self.store.readonly
        )

    # ------------------------------------------------------------- changing

    def add(self) -> bool:
        name = " ".join(self.name.text().split())
        key = self.key.text().strip()
        role = self.role.currentData()
        if not key:
            self.fail("Paste the public key (it starts with age1).")
            self.key.setFocus()
            return False

        def work(store: Any, progress: Any) -> str:
            raising_on_cancel(progress)(0, 1)
            bundle.add_recipient(store, key, name, role)
            return name

        def done(added: str) -> None:
            self.key.clear()
            self.refresh()
            self.select(added)
            self.say(f"Added {added}: bundles from now on are encrypted to their key too.")

        return self.run("Adding the key…", work, done, changes_file=True)

    def ask_remove(self) -> QMessageBox | None:
        """Ask first; the removal runs when the person says yes."""
        m = self.selected()
        if m is None:
            return None
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Remove key",
            f"Stop encrypting bundles to {m.name}'s key? Bundles made from now on will not "
            "open for them; ones they have already received still do.",
            parent=self,
        )
        box.setObjectName("confirmRemoveKey")
        yes = box.addButton("Remove key", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(yes)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda b: self.remove(m) if b is yes else None)
        box.finished.connect(lambda _: setattr(self, "confirm_box", None))
        self.confirm_box = box
        box.open()
        return box

    def remove(self, member: Member) -> bool:
        member_id, name = member.id, member.name

        def work(store: Any, progress: Any) -> str:
            raising_on_cancel(progress)(0, 1)
            recipients.remove_recipient(store, member_id)
            return name

        def done(removed: str) -> None:
            self.refresh()
            self.say(f"Removed {removed}'s key: bundles from now on are not encrypted to it.")

        return self.run("Removing the key…", work, done, changes_file=True)
