"""What the main window's parts share: the open file's session, the settings, the screens.

The status bar (status.py), the menus (menus.py) and the File menu's commands
(file_actions.py) are mixins on `MainWindowBase`; `MainWindow` (main_window.py) puts
them together with the screens, the idle lock and closing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtWidgets import QMainWindow

from fieldwork.core.storage.store import Store
from fieldwork.ui.session import Session
from fieldwork.ui.settings import Settings
from fieldwork.ui.shell.damage import Damage
from fieldwork.ui.shell.lock import IdleWatcher
from fieldwork.ui.tasks import Tasks
from fieldwork.ui.widgets.screen import Screen

SCREENS = (
    "Overview", "Cases", "Review", "Interviews", "Sync", "Findings", "Moderation", "Evidence",
    "Standards",
)  # fmt: skip
# What a person reads for a screen, where it differs from its name in code: a case is
# assessed, never "reviewed" (DOMAIN.md: 2.4 is Reviewing).
SCREEN_LABELS = {"Review": "Assessment"}


def screen_label(name: str) -> str:
    return SCREEN_LABELS.get(name, name)


class Launcher(Protocol):
    def open_file(self, path: str, passphrase: str | None = None, parent: Any = None) -> bool: ...

    def create_file(self, spec: Any, parent: Any = None) -> bool: ...

    def restore_latest_backup(self, window: Any, *, confirm: bool = True) -> bool: ...

    def join_file(self, spec: Any, window: Any) -> bool: ...


class MainWindowBase(QMainWindow):
    """The state the window's parts read (set up by `MainWindow.__init__`)."""

    settings: Settings
    launcher: Launcher | None
    damage: Damage | None
    session: Session
    tasks: Tasks
    idle: IdleWatcher
    locked: bool
    screens: dict[str, Screen]

    @property
    def store(self) -> Store:
        return self.session.store

    if TYPE_CHECKING:  # defined by MainWindow; the menus connect to them

        def flush(self) -> None: ...
        def lock(self) -> None: ...
        def undo(self) -> None: ...
        def redo(self) -> None: ...
        def open_search(self) -> None: ...
        def _go(self, name: str) -> None: ...
