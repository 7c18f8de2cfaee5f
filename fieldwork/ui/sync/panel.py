"""The Sync screen: export a bundle, import bundles (file dialog or drop), the history of
bundles sent and received, and the open conflicts, each resolved with one click.

All the work is `core.bundle`; export and import run in the window's one worker (their
own Store connection), and the screens refresh from `Session.external_change` after.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fieldwork.core.casework import conflicts, roles
from fieldwork.core.casework.dates import show_datetime
from fieldwork.core.errors import FieldworkError
from fieldwork.core.model import Conflict
from fieldwork.core.storage.clock import hlc_text
from fieldwork.core.storage.store import Store
from fieldwork.core.sync import bundle, naming
from fieldwork.core.sync.crypto import file_needs_passphrase
from fieldwork.ui.sync.conflict_card import ConflictCard
from fieldwork.ui.sync.trust_box import TrustBox
from fieldwork.ui.tasks import raising_on_cancel
from fieldwork.ui.widgets.labels import plain_label
from fieldwork.ui.widgets.screen import Screen

HISTORY_COLUMNS = ("When", "Direction", "Ops", "New", "Written by", "File")


def when(hlc: str | None) -> str:
    """A clock value in local time; never an error, whatever the value."""
    text = hlc_text(hlc, "%Y-%m-%dT%H:%M", local=True)
    return show_datetime(text) if text[:1].isdigit() else text  # 8 Mar 2016 18:02


def export_task(
    dest: str, keys: Sequence[str] | None
) -> Callable[[Store, Any], bundle.ExportResult]:
    """The worker function for an export; `keys` None means the whole team's keys."""

    def run(store: Store, progress: Any) -> bundle.ExportResult:
        return bundle.export_bundle(
            store,
            dest,
            recipients=list(keys or ()),
            team=keys is None,
            progress=raising_on_cancel(progress),
        )

    return run


def import_task(
    paths: Sequence[str], passphrase: str | None
) -> Callable[[Store, Any], list[bundle.ImportResult]]:
    def run(store: Store, progress: Any) -> list[bundle.ImportResult]:
        return bundle.import_bundles(
            store,
            paths,
            ask_passphrase=(lambda: passphrase or "") if passphrase else None,
            progress=raising_on_cancel(progress),
        )

    return run


class SyncPanel(Screen):
    """The Sync screen, made by the main window with the Session and the tasks runner."""

    exported = Signal(str)  # path
    imported = Signal(int)  # new ops

    def __init__(self, session: Any, tasks: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncPanel")
        self.session = session
        self._own_tasks = tasks is None
        if tasks is None:  # standalone (a test, a tool): a worker of our own
            from fieldwork.ui.tasks import Tasks

            tasks = Tasks(lambda: self.session.store.opener(), self)
        self.tasks = tasks
        self.setAcceptDrops(True)

        outer = QVBoxLayout(self)
        heading = QLabel("<h2>Sync</h2>")
        outer.addWidget(heading)

        send = QGroupBox("Send your work")
        send_layout = QVBoxLayout(send)
        self.note = plain_label()
        send_layout.addWidget(self.note)
        self.recipients = QListWidget()
        self.recipients.setObjectName("recipients")
        self.recipients.setAccessibleName("Who can open the bundle")
        self.recipients.setMaximumHeight(110)
        send_layout.addWidget(self.recipients)
        self.export_button = QPushButton("Export bundle…")
        self.export_button.setObjectName("exportBundle")
        self.export_button.clicked.connect(lambda: self.export_bundle())
        send_layout.addWidget(self.export_button)

        receive = QGroupBox("Receive the team's work")
        receive_layout = QVBoxLayout(receive)
        receive_layout.addWidget(QLabel("Choose bundles, or drop them on this screen."))
        self.import_button = QPushButton("Import bundles…")
        self.import_button.setObjectName("importBundles")
        self.import_button.clicked.connect(lambda: self.import_bundles())
        receive_layout.addWidget(self.import_button)
        self.result = plain_label()
        self.result.setObjectName("syncResult")
        receive_layout.addWidget(self.result)

        top = QHBoxLayout()
        top.addWidget(send, 1)
        top.addWidget(receive, 1)
        outer.addLayout(top)

        self.conflicts_box = QGroupBox("Conflicts")
        conflicts_layout = QVBoxLayout(self.conflicts_box)
        self.conflicts_note = plain_label(wrap=False)
        conflicts_layout.addWidget(self.conflicts_note)
        self.cards_holder = QWidget()
        self.cards = QVBoxLayout(self.cards_holder)
        self.cards.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.cards_holder)
        conflicts_layout.addWidget(scroll)
        outer.addWidget(self.conflicts_box, 2)

        history_box = QGroupBox("Bundles sent and received")
        history_layout = QVBoxLayout(history_box)
        self.history = QTableWidget(0, len(HISTORY_COLUMNS))
        self.history.setObjectName("bundleHistory")
        self.history.setHorizontalHeaderLabels(HISTORY_COLUMNS)
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.verticalHeader().setVisible(False)
        self.history.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.history.horizontalHeader().setSectionResizeMode(
            len(HISTORY_COLUMNS) - 1, QHeaderView.ResizeMode.Stretch
        )
        history_layout.addWidget(self.history)
        outer.addWidget(history_box, 1)
        self.trust = TrustBox(session)  # set-aside changes, evidence, admit/remove, history
        outer.addWidget(self.trust, 1)

        self.card_widgets: list[ConflictCard] = []
        tasks.busy_changed.connect(self._busy)
        session.changed.connect(lambda _ops: self.refresh())
        self.refresh()

    @property
    def store(self) -> Store:
        return self.session.store

    # ------------------------------------------------------------- refresh

    def refresh(self) -> None:
        store = self.store
        self._fill_recipients(store)
        self._fill_history(store)
        self._fill_conflicts(store)
        self.trust.refresh()

    def _fill_recipients(self, store: Store) -> None:
        chosen = {
            self.recipients.item(i).data(Qt.ItemDataRole.UserRole): self.recipients.item(
                i
            ).checkState()
            for i in range(self.recipients.count())
        }
        self.recipients.clear()
        own = store.age_recipient
        for m in store.reads.members():
            if not m.public_key or m.public_key == own:
                continue
            item = QListWidgetItem(f"{m.name} ({roles.role_words(m.role).lower()})")
            item.setData(Qt.ItemDataRole.UserRole, m.public_key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(chosen.get(m.public_key, Qt.CheckState.Checked))
            self.recipients.addItem(item)
        encrypted = store.encrypted
        self.recipients.setEnabled(encrypted)
        self.note.setText(
            "Bundles are encrypted: choose who can open them (this laptop always can)."
            if encrypted
            else "This is a demo file: its bundles are not encrypted."
        )

    def chosen_keys(self) -> list[str]:
        return [
            self.recipients.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.recipients.count())
            if self.recipients.item(i).checkState() == Qt.CheckState.Checked
        ]

    def _fill_history(self, store: Store) -> None:
        rows = store.audit.bundle_history()
        names = store.reads.member_names()
        self.history.setRowCount(len(rows))
        for r, h in enumerate(rows):
            cells = (
                show_datetime(h["at"]),
                "Sent" if h["direction"] == "out" else "Received",
                str(h["op_count"] or 0),
                "" if h["new_ops"] is None else str(h["new_ops"]),
                names.get(h["author"] or "", conflicts.UNKNOWN_AUTHOR) if h["author"] else "",
                Path(h["path"] or "").name,
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == len(cells) - 1:
                    item.setToolTip(h["path"] or "")
                self.history.setItem(r, c, item)

    def _fill_conflicts(self, store: Store) -> None:
        for card in self.card_widgets:
            self.cards.removeWidget(card)
            card.deleteLater()
        self.card_widgets = []
        found = store.reads.conflicts()
        self.conflicts_note.setText(
            f"{len(found)} open: choose the value to keep; the choice reaches every laptop "
            "with your next bundle."
            if found
            else "No open conflicts."
        )
        for c in found:
            card = ConflictCard(c, conflicts.describe(store, c), self.resolve, self.resolve_new)
            self.cards.insertWidget(self.cards.count() - 1, card)
            self.card_widgets.append(card)

    # ------------------------------------------------------------- actions

    def resolve(self, conflict: Conflict, value: Any) -> None:
        words = conflicts.describe(self.store, conflict)
        self.session.act(
            words.action, lambda store: conflicts.resolve(store, conflict.id, value)
        )  # refresh follows from session.changed

    def resolve_new(self, card: ConflictCard, value: Any, typed: bool) -> None:
        """A value typed (read as the review editor reads it) or picked on a card; one the
        form refuses is shown on the card and nothing is written."""
        try:
            if typed:
                value = conflicts.parse_typed(self.store, card.conflict, str(value))
            refused = conflicts.problem(self.store, card.conflict, value)
        except FieldworkError as exc:
            card.show_error(str(exc))
            return
        if refused:
            card.show_error(f"Not resolved: {refused}")
            return
        card.show_error("")
        self.resolve(card.conflict, value)

    def export_bundle(self, dest: str | None = None) -> bool:
        if dest is None:
            suggested = str(self.default_bundle_path())
            dest, _ = QFileDialog.getSaveFileName(
                self, "Export a sync bundle", suggested, "Fieldwork bundles (*.bundle)"
            )
            if not dest:
                return False
        keys = self.chosen_keys() if self.store.encrypted else None
        return bool(
            self.tasks.run(
                "Writing the bundle…",
                export_task(dest, keys),
                self._exported,
                self._failed,
            )
        )

    def default_bundle_path(self, day: dt.date | None = None) -> Path:
        """Beside the file, named for the day and this laptop's person
        (`2016-03-08-gwen.bundle`), never the name of a bundle already there."""
        store = self.store
        me = store.reads.member_names().get(store.author) or store.path.stem
        return naming.default_bundle_path(Path(store.path).parent, me, day)

    def import_bundles(self, paths: Sequence[str] | None = None) -> bool:
        if paths is None:
            paths, _ = QFileDialog.getOpenFileNames(
                self, "Import sync bundles", "", "Fieldwork bundles (*.bundle *.zip *.age);;All (*)"
            )
            if not paths:
                return False
        passphrase = None
        if any(file_needs_passphrase(p) for p in paths):
            passphrase = self.ask_bundle_passphrase()
            if not passphrase:
                return False
        return bool(
            self.tasks.run(
                "Importing bundles…",
                import_task(list(paths), passphrase),
                self._imported,
                self._failed,
            )
        )

    def ask_bundle_passphrase(self) -> str | None:
        text, ok = QInputDialog.getText(
            self, "Bundle passphrase", "This bundle is sealed with a passphrase:",
            QLineEdit.EchoMode.Password,
        )  # fmt: skip
        return text if ok and text else None

    def _exported(self, result: bundle.ExportResult) -> None:
        info = result.info
        line = f"Bundle written and verified: {result.path.name} ({info.op_count} ops)."
        self.result.setText(line)
        self.session.saved.emit(line)
        self._fill_history(self.store)
        self.exported.emit(str(result.path))

    def _imported(self, results: list[bundle.ImportResult]) -> None:
        new = sum(r.new for r in results)
        known = sum(r.known for r in results)
        conflicts = sum(len(r.conflicts) for r in results)
        aside = sum(len(r.set_aside) + len(r.forms_set_aside) for r in results)
        unverified = sum(r.unverified for r in results)
        line = (
            f"Imported {len(results)} bundle(s): {new} new changes, {known} already here, "
            f"{conflicts} conflicts."
            + (f" {aside} team change(s) set aside: not from the lead." if aside else "")
            + (f" Ops of {unverified} device(s) are unverified." if unverified else "")
        )
        self.result.setText(line)
        self.session.saved.emit(line)
        self.session.external_change(())  # every screen re-reads; this one too
        self.refresh()
        self.imported.emit(new)

    def _failed(self, message: str) -> None:
        text = message or "Cancelled: nothing was changed."
        self.result.setText(text)
        if message:
            self.session.failed.emit(message)

    def _busy(self, busy: bool) -> None:
        self.export_button.setEnabled(not busy)
        self.import_button.setEnabled(not busy)

    def shutdown(self) -> None:
        if self._own_tasks:
            self.tasks.shutdown()

    # ---------------------------------------------------------- drag and drop

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_bundles(paths)
