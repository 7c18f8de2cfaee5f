"""GUI composition root: the one place that wires the desktop app together.

`create_main_window(path, passphrase)` opens a file and builds its window (the entry
point and the tests both use it); `run(path)` is `fieldwork` / `fieldwork gui [FILE]`:
it opens the given file, else the last one, else (first run) a demo inspection made
in the app's data folder.
"""

from __future__ import annotations

import datetime as dt
import sys
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from fieldwork.core.casework.dates import show_date
from fieldwork.core.errors import (
    DamagedFile,
    FieldworkError,
    PassphraseRequired,
    WrongPassphrase,
)
from fieldwork.core.forms.named import form_folder
from fieldwork.core.storage import backups
from fieldwork.core.storage.store import Store
from fieldwork.ui.settings import APPLICATION, ORGANISATION, Settings, data_dir
from fieldwork.ui.shell.damage import Damage, passphrase_of
from fieldwork.ui.shell.dialogs import NewInspection, PassphraseDialog
from fieldwork.ui.shell.join_dialog import JoinSpec, join_task
from fieldwork.ui.shell.main_window import MainWindow
from fieldwork.ui.widgets import focus

DEMO_NAME = "Demo inspection.fieldwork"
DEMO_CASES = 200


def ensure_app() -> QApplication:
    app = QApplication.instance()
    if app is None:
        QCoreApplication.setOrganizationName(ORGANISATION)
        QCoreApplication.setApplicationName(APPLICATION)
        app = QApplication(sys.argv[:1])
        app.setStyle("Fusion")  # the same look everywhere; palette follows the system
    assert isinstance(app, QApplication)
    focus.install(app)  # before any dialog: a visible focus ring, Tab in visual order
    return app


@dataclass(frozen=True)
class Opened:
    """A file opened for a window: `damage` is set when it was opened read-only because
    it is damaged."""

    store: Store
    damage: Damage | None = None


def backup_taken(backup: Path) -> str:
    """When a backup was taken, for people: its file's modification time."""
    try:
        stamp = backup.stat().st_mtime
    except OSError:
        return "at an unknown time"
    when = dt.datetime.fromtimestamp(stamp)
    return f"{show_date(when.date().isoformat())} at {when:%H:%M}"  # 8 Mar 2016 at 18:02


def damage_of(path: Path, passphrase: str | None) -> Damage:
    """What the damaged-file banner says: the latest good backup and when it was taken."""
    backup = backups.latest_good(path, passphrase)
    return Damage(backup, backup_taken(backup) if backup else None)


class App:
    """Opens files into windows; one window per open file, the old one closed."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.window: MainWindow | None = None

    def window_for(self, store: Store, damage: Damage | None = None) -> MainWindow:
        window = MainWindow(store, self.settings, self, damage=damage)
        self.settings.add_recent(store.path)
        return window

    # ------------------------------------------------------------ asking

    def ask(self, parent: QWidget | None, title: str, text: str, yes: str) -> bool:
        """A yes/no question; `yes` names the button that goes ahead. Tests replace it."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
        go = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(go)
        box.exec()
        return box.clickedButton() is go

    def tell(self, parent: QWidget | None, text: str) -> None:
        """A plain message with an OK button. Tests replace it."""
        QMessageBox.warning(parent, "Fieldwork", text)

    # ------------------------------------------------------------ opening

    def ask_and_open(self, path: str | Path, parent: QWidget | None = None) -> Opened | None:
        """Open a file, asking for its passphrase (again after a wrong one) if it has one.

        A damaged file opens read-only (or, if even that fails, the latest good backup is
        offered); None when nothing was opened.
        """
        try:
            return self.open_store(path, None, parent)
        except PassphraseRequired:
            pass
        except WrongPassphrase:
            pass
        opened: list[Store] = []
        damaged: list[str] = []

        def check(passphrase: str) -> str | None:
            try:
                opened.append(Store.open(path, passphrase))
            except WrongPassphrase:
                return "That passphrase is wrong. Try again."
            except PassphraseRequired:
                return "Enter the passphrase."
            except DamagedFile:
                damaged.append(passphrase)  # the passphrase is right: the file is damaged
            except FieldworkError as exc:
                return str(exc)
            return None

        dialog = PassphraseDialog(Path(path).name, check, parent)
        dialog.exec()
        if damaged:
            return self.open_damaged(path, damaged[0], parent)
        return Opened(opened[0]) if opened else None

    def open_store(
        self, path: str | Path, passphrase: str | None, parent: QWidget | None = None
    ) -> Opened | None:
        """Open with a known passphrase (None for a plain file). Raises what core raises,
        except DamagedFile, which opens read-only or offers the latest good backup."""
        try:
            return Opened(Store.open(path, passphrase))
        except DamagedFile:
            return self.open_damaged(path, passphrase, parent)

    def open_damaged(
        self, path: str | Path, passphrase: str | None, parent: QWidget | None = None
    ) -> Opened | None:
        """A damaged file: read-only if it still opens so, else offer the latest good backup."""
        path = Path(path)
        try:
            store = Store.open(path, passphrase, readonly=True, check=False)
        except FieldworkError:
            return self.offer_restore(path, passphrase, parent)
        return Opened(store, damage_of(path, passphrase))

    def offer_restore(
        self, path: Path, passphrase: str | None, parent: QWidget | None = None
    ) -> Opened | None:
        """The file does not open even read-only: offer its latest good backup."""
        backup = backups.latest_good(path, passphrase)
        if backup is None:
            self.tell(
                parent,
                f"{path.name} is damaged and cannot be opened, even read-only, and no good "
                "backup of it was found.",
            )
            return None
        question = (
            f"{path.name} is damaged and cannot be opened, even read-only. Restore the latest "
            f"good backup (taken {backup_taken(backup)})? The damaged file is kept beside it."
        )
        if not self.ask(parent, "Damaged file", question, "Restore backup"):
            return None
        return self._restore(path, backup, passphrase, parent)

    def _restore(
        self, path: Path, backup: Path, passphrase: str | None, parent: QWidget | None
    ) -> Opened | None:
        try:
            store = Store.restore(backup, path, passphrase)
        except FieldworkError as exc:
            self.tell(parent, f"The backup could not be restored: {exc}")
            return None
        except OSError as exc:
            self.tell(parent, f"The backup could not be restored: {exc.strerror or exc}")
            return None
        return Opened(store)

    def restore_latest_backup(self, window: MainWindow, *, confirm: bool = True) -> bool:
        """Put the latest good backup in place of the window's (damaged) file and reopen
        the window on it. Asks first unless `confirm` is False."""
        store = window.store
        path, passphrase = store.path, passphrase_of(store)
        backup = backups.latest_good(path, passphrase)
        if backup is None:
            self.tell(window, f"No good backup of {path.name} was found: it cannot be restored.")
            return False
        if confirm and not self.ask(
            window,
            "Restore backup",
            f"Replace {path.name} with its backup taken {backup_taken(backup)}? Changes made "
            "after that backup are not in it. The damaged file is kept beside it.",
            "Restore backup",
        ):
            return False
        window.tasks.cancel()
        window.tasks.wait(15_000)
        store.close()  # the file is moved aside: let go of it first
        opened = self._restore(path, backup, passphrase, window)
        if opened is None:  # back to where we were: the damaged file, read-only
            try:
                again = Store.open(path, passphrase, readonly=True, check=False)
            except FieldworkError:
                window.close()  # nothing left to show; the message said why
                return False
            self._replace(Opened(again, damage_of(path, passphrase)))
            return False
        self._replace(opened)
        if self.window is not None:
            self.window.session.saved.emit(f"Restored the backup taken {backup_taken(backup)}.")
        return True

    def open_file(self, path: str, passphrase: str | None = None, parent: Any = None) -> bool:
        try:
            opened = (
                self.open_store(path, passphrase, parent)
                if passphrase
                else self.ask_and_open(path, parent)
            )
        except FieldworkError as exc:
            QMessageBox.warning(parent, "Fieldwork", str(exc))
            return False
        if opened is None:
            return False
        self._replace(opened)
        return True

    def create_file(self, spec: NewInspection, parent: Any = None) -> bool:
        # A method names its own forms; a form is a shipped id or a form file.
        chosen = form_folder(spec.form_id) if spec.form_id else nullcontext((None, None))
        try:
            with chosen as (form_id, forms_dir):
                store = Store.create(
                    spec.path,
                    spec.passphrase,
                    name=spec.name,
                    form_id=form_id,
                    method_id=spec.method_id,
                    organisations=spec.organisations,
                    area=spec.area,
                    start_date=spec.start_date,
                    end_date=spec.end_date,
                    author_name=self.settings.inspector_name or None,
                    forms_dir=forms_dir,
                )
        except FieldworkError as exc:
            QMessageBox.warning(parent, "Fieldwork", str(exc))
            return False
        self._replace(Opened(store))
        return True

    def join_file(self, spec: JoinSpec, window: MainWindow) -> bool:
        """Join in the window's worker (a big inspection takes a while), then open the new
        file in place of this one. A failure brings the dialog back with the reason."""

        def joined(path: Path) -> None:
            if self.open_file(str(path), spec.passphrase, window):
                self.settings.inspector_name = self.settings.inspector_name or spec.name
                self.settings.sync()

        def failed(message: str) -> None:
            if message:
                window.join_inspection(spec, message)
            else:
                window.show_error("Cancelled: no file was made.")

        return window.tasks.run(
            "Joining the inspection…", join_task(spec), joined, failed, needs_store=False
        )

    def _replace(self, opened: Opened | Store) -> None:
        if isinstance(opened, Store):
            opened = Opened(opened)
        old = self.window
        window = self.window_for(opened.store, opened.damage)
        self.window = window
        if old is not None:
            old.close()
            old.deleteLater()
        window.show()
        if not opened.store.readonly:
            window.backup_on_open()  # never back up a damaged file over the good backups


def create_main_window(
    path: str | Path,
    passphrase: str | None = None,
    *,
    settings: Settings | None = None,
) -> MainWindow:
    """Open the inspection file at `path` and build its main window (not yet shown).

    Raises PassphraseRequired / WrongPassphrase ... as core does. A damaged file opens
    read-only with a banner offering the latest good backup; one that does not open even
    read-only raises DamagedFile.
    """
    ensure_app()
    settings = settings or Settings.load()
    app = App(settings)
    try:
        opened = Opened(Store.open(path, passphrase))
    except DamagedFile as damaged:
        try:
            store = Store.open(path, passphrase, readonly=True, check=False)
        except FieldworkError:
            raise damaged from None
        opened = Opened(store, damage_of(Path(path), passphrase))
    window = app.window_for(opened.store, opened.damage)
    app.window = window
    return window


def demo_path() -> Path:
    return data_dir() / DEMO_NAME


def first_run_demo() -> Path:
    """The demo inspection in the data folder, made on first run."""
    from fieldwork.core.demo.generator import make_demo

    path = demo_path()
    if not path.exists():
        make_demo(path, cases=DEMO_CASES).close()
    return path


def run(path: str | Path | None = None) -> int:
    app = ensure_app()
    app.setAttribute(Qt.ApplicationAttribute.AA_DontShowIconsInMenus, False)
    settings = Settings.load()
    controller = App(settings)
    if path is None:
        last = settings.last_file
        path = last if last and Path(last).exists() else None
    try:
        if path is None:
            path = first_run_demo()
        opened = controller.ask_and_open(path)
    except FieldworkError as exc:
        QMessageBox.critical(None, "Fieldwork", str(exc))
        return 1
    if opened is None:
        return 1
    controller._replace(opened)
    return app.exec()
