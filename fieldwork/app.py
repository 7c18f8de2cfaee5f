"""GUI composition root: the one place that wires the desktop app together.

`create_main_window(path, passphrase)` opens a file and builds its window (the entry
point and the tests both use it); `run(path)` is `fieldwork` / `fieldwork gui [FILE]`:
it opens the given file, else the last one, else (first run) a demo inspection made
in the app's data folder.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from fieldwork.core.errors import FieldworkError, PassphraseRequired, WrongPassphrase
from fieldwork.core.store import Store
from fieldwork.ui.dialogs import NewInspection, PassphraseDialog
from fieldwork.ui.main_window import MainWindow
from fieldwork.ui.settings import APPLICATION, ORGANISATION, Settings, data_dir

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
    return app


class App:
    """Opens files into windows; one window per open file, the old one closed."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.window: MainWindow | None = None

    def window_for(self, store: Store) -> MainWindow:
        window = MainWindow(store, self.settings, self)
        self.settings.add_recent(store.path)
        return window

    def ask_and_open(self, path: str | Path, parent: QWidget | None = None) -> Store | None:
        """Open a file, asking for its passphrase (again after a wrong one) if it has one."""
        try:
            return Store.open(path)
        except PassphraseRequired:
            pass
        except WrongPassphrase:
            pass
        opened: list[Store] = []

        def check(passphrase: str) -> str | None:
            try:
                opened.append(Store.open(path, passphrase))
            except WrongPassphrase:
                return "That passphrase is wrong. Try again."
            except PassphraseRequired:
                return "Enter the passphrase."
            except FieldworkError as exc:
                return str(exc)
            return None

        dialog = PassphraseDialog(Path(path).name, check, parent)
        dialog.exec()
        return opened[0] if opened else None

    def open_file(self, path: str, passphrase: str | None = None, parent: Any = None) -> bool:
        try:
            store = Store.open(path, passphrase) if passphrase else self.ask_and_open(path, parent)
        except FieldworkError as exc:
            QMessageBox.warning(parent, "Fieldwork", str(exc))
            return False
        if store is None:
            return False
        self._replace(store)
        return True

    def create_file(self, spec: NewInspection, parent: Any = None) -> bool:
        try:
            store = Store.create(
                spec.path,
                spec.passphrase,
                name=spec.name,
                form_id=spec.form_id,
                organisations=spec.organisations,
                area=spec.area,
                start_date=spec.start_date,
                end_date=spec.end_date,
                author_name=self.settings.inspector_name or None,
            )
        except FieldworkError as exc:
            QMessageBox.warning(parent, "Fieldwork", str(exc))
            return False
        self._replace(store)
        return True

    def _replace(self, store: Store) -> None:
        old = self.window
        window = self.window_for(store)
        self.window = window
        if old is not None:
            old.close()
            old.deleteLater()
        window.show()
        window.backup_on_open()


def create_main_window(
    path: str | Path,
    passphrase: str | None = None,
    *,
    settings: Settings | None = None,
) -> MainWindow:
    """Open the inspection file at `path` and build its main window (not yet shown).

    Raises PassphraseRequired / WrongPassphrase / DamagedFile ... as core does.
    """
    ensure_app()
    settings = settings or Settings.load()
    store = Store.open(path, passphrase)
    app = App(settings)
    window = app.window_for(store)
    app.window = window
    return window


def demo_path() -> Path:
    return data_dir() / DEMO_NAME


def first_run_demo() -> Path:
    """The demo inspection in the data folder, made on first run."""
    from fieldwork.core.demo import make_demo

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
        store = controller.ask_and_open(path)
    except FieldworkError as exc:
        QMessageBox.critical(None, "Fieldwork", str(exc))
        return 1
    if store is None:
        return 1
    controller._replace(store)
    return app.exec()
