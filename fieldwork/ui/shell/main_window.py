"""The main window: the screens on the left, the idle lock, drag and drop, closing.

The menus (menus.py), the File menu's commands (file_actions.py) and the status bar
(status.py) are mixins it is built from.

It owns the Session, the one worker (Tasks) and the screens, all made for one open
file. Opening another file is the composition root's job (app.py): the window only
asks for it through `launcher`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from fieldwork.core import data
from fieldwork.core.storage.store import Store
from fieldwork.ui.cases.case_list import CasesScreen
from fieldwork.ui.session import Session
from fieldwork.ui.settings import Settings
from fieldwork.ui.shell.damage import Damage, damage_text, read_only_opener
from fieldwork.ui.shell.geometry import restore_geometry
from fieldwork.ui.shell.lock import IdleWatcher, LockScreen, close_store, reopen_store
from fieldwork.ui.shell.menus import Menus
from fieldwork.ui.shell.overview import OverviewScreen
from fieldwork.ui.shell.window_base import SCREENS, Launcher, screen_label
from fieldwork.ui.tasks import Tasks
from fieldwork.ui.widgets import focus
from fieldwork.ui.widgets.labels import plain_label
from fieldwork.ui.widgets.screen import Screen

if TYPE_CHECKING:  # the other screens are imported when first shown (a faster start)
    from fieldwork.ui.interviews.editor import InterviewsScreen
    from fieldwork.ui.review.editor import ReviewEditor
    from fieldwork.ui.sync.panel import SyncPanel


def load_style(name: str) -> str:
    """A style sheet from resources/styles (palette colours only: light and dark alike)."""
    path = data.resources_dir() / "styles" / name
    return path.read_text(encoding="utf-8") if path.is_file() else ""


class MainWindow(Menus):
    def __init__(
        self,
        store: Store,
        settings: Settings,
        launcher: Launcher | None = None,
        *,
        damage: Damage | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.settings = settings
        self.launcher = launcher
        self.damage = damage
        self.session = Session(store, self)
        self.tasks = Tasks(self._worker_opener, self)
        self.locked = False
        self._was_encrypted = store.encrypted
        self._closing = False
        self.screens: dict[str, Screen] = {}
        self.search_dialog: Any = None

        self._build_central()
        self._build_menus()
        self._build_status()
        self.session.saved.connect(self._saved)
        self.session.failed.connect(self.show_error)
        self.session.undo_changed.connect(self._update_undo)
        self._update_title()
        self._update_undo()
        self.setAcceptDrops(True)  # bundles dropped anywhere are imported

        self.idle = IdleWatcher(settings.idle_lock_minutes * 60_000, self)
        self.idle.idle.connect(self.lock)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.installEventFilter(self.idle)
            focus.install(app)  # a visible focus ring; Tab in visual order in dialogs
        restore_geometry(self, settings.window_geometry)
        self.show_screen("Overview")

    def _worker_opener(self) -> Callable[[], Store]:
        store = self.session.store
        return read_only_opener(store) if store.readonly else store.opener()

    # ------------------------------------------------------------ building

    def _build_banner(self) -> QFrame:
        """The damaged-file banner: stays at the top while the window is read-only."""
        banner = QFrame()
        banner.setObjectName("damageBanner")
        banner.setFrameShape(QFrame.Shape.StyledPanel)
        banner.setStyleSheet(
            "#damageBanner { background: #fff4d6; border: 1px solid #d9a400; border-radius: 4px; }"
            "#damageBanner QLabel { color: #3d2e00; }"
        )
        row = QHBoxLayout(banner)
        row.setContentsMargins(10, 6, 10, 6)
        self.banner_text = plain_label()
        self.banner_text.setObjectName("damageText")
        self.restore_button = QPushButton("&Restore backup")
        self.restore_button.setObjectName("restoreBackup")
        self.restore_button.setAccessibleName("Restore the latest good backup")
        self.restore_button.clicked.connect(lambda _=False: self.restore_latest_backup())
        row.addWidget(self.banner_text, 1)
        row.addWidget(self.restore_button)
        if self.damage is None:
            banner.hide()
        else:
            self.banner_text.setText(damage_text(self.damage))
            self.restore_button.setVisible(self.damage.backup is not None)
        return banner

    def _build_central(self) -> None:
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName("Screens")
        for i, name in enumerate(SCREENS, start=1):
            item = QListWidgetItem(screen_label(name))
            item.setToolTip(f"{screen_label(name)} (Ctrl+{i})")
            self.nav.addItem(item)
        self.nav.setFixedWidth(150)
        self.nav.setStyleSheet(load_style("navigation.qss"))  # this widget only: fast
        self.nav.setSpacing(2)
        font = self.nav.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.nav.setFont(font)
        self.nav.currentRowChanged.connect(lambda r: self._go(SCREENS[r]))
        self.stack = QStackedWidget()
        self.holders: dict[str, QStackedWidget] = {}
        for name in SCREENS:
            holder = QStackedWidget()  # the screen is made the first time it is shown
            self.holders[name] = holder
            self.stack.addWidget(holder)
        self.main = QWidget()
        column = QVBoxLayout(self.main)
        column.setContentsMargins(4, 4, 4, 0)
        self.banner = self._build_banner()
        column.addWidget(self.banner)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        column.addLayout(row, 1)
        self.lock_screen = LockScreen()
        self.lock_screen.unlock_requested.connect(self.unlock)
        self.outer = QStackedWidget()
        self.outer.addWidget(self.main)
        self.outer.addWidget(self.lock_screen)
        self.setCentralWidget(self.outer)

    def screen_named(self, name: str) -> Screen:
        """The screen, made now if it was not yet."""
        if name not in self.screens:
            widget = self._make_screen(name)
            self.screens[name] = widget
            self.holders[name].addWidget(widget)
        return self.screens[name]

    def _make_screen(self, name: str) -> Screen:
        s = self.session
        if name == "Overview":
            return OverviewScreen(s)
        if name == "Cases":
            cases = CasesScreen(s)
            cases.open_case.connect(self.open_case)
            return cases
        if name == "Review":
            from fieldwork.ui.review.editor import ReviewEditor

            editor = ReviewEditor(s, self.tasks)
            editor.message.connect(lambda m: self.statusBar().showMessage(m, 10_000))
            return editor
        if name == "Interviews":
            from fieldwork.ui.interviews.editor import InterviewsScreen

            return InterviewsScreen(s)
        if name == "Sync":
            from fieldwork.ui.sync.panel import SyncPanel

            return SyncPanel(s, self.tasks)
        if name == "Findings":
            from fieldwork.ui.findings.panel import FindingsPanel

            return FindingsPanel(s, self.tasks)
        if name == "Moderation":  # core/moderation: the sample, blind rounds, agreement
            from fieldwork.ui.moderation.screen import ModerationScreen

            return ModerationScreen(s)
        if name == "Evidence":  # the evidence register (issue 13)
            from fieldwork.ui.evidence.register import EvidenceScreen

            return EvidenceScreen(s)
        if name == "Standards":  # judgement-rated standards, professional discretion
            from fieldwork.ui.standards.screen import StandardsScreen

            return StandardsScreen(s)
        raise ValueError(f"No screen {name!r}: the screens are {', '.join(SCREENS)}.")

    def show_screen(self, name: str) -> Screen:
        widget = self.screen_named(name)
        self.stack.setCurrentWidget(self.holders[name])
        row = SCREENS.index(name)
        if self.nav.currentRow() != row:
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(row)
            self.nav.blockSignals(False)
        return widget

    def current_screen(self) -> str:
        return SCREENS[self.stack.currentIndex()]

    # ------------------------------------------------------------ screens

    def _go(self, name: str) -> None:
        widget = self.show_screen(name)
        if isinstance(widget, CasesScreen):
            widget.focus_table()
        if name == "Review" and self.review_editor().case is None:
            self.statusBar().showMessage("Open a case from the Cases screen.", 5_000)

    def review_editor(self) -> ReviewEditor:
        return cast("ReviewEditor", self.screen_named("Review"))

    def open_case(self, case_id: str, focus: str | None = None) -> bool:
        from fieldwork.core.moderation.rounds import Blind, first_answers

        try:  # moderation: not while this laptop's assessor assesses the case blind
            first_answers(self.store, case_id, self.session.me)
        except Blind as exc:
            self.show_error(str(exc))
            return False
        editor = self.review_editor()
        self.show_screen("Review")
        ok = editor.open_case(case_id, focus)
        if not ok:
            self.show_error("That case is no longer in this inspection.")
        return ok

    def flush(self) -> None:
        """Save every screen's typed text now (before undo, lock, close)."""
        for widget in self.screens.values():
            widget.flush()

    def undo(self) -> None:
        self.flush()
        if not self.session.undo():
            self.statusBar().showMessage("Nothing to undo.", 4_000)

    def redo(self) -> None:
        self.flush()
        if not self.session.redo():
            self.statusBar().showMessage("Nothing to redo.", 4_000)

    def open_search(self) -> None:
        """Show the search dialog (Ctrl+F), made the first time."""
        from fieldwork.ui.shell.search import SearchDialog

        self.flush()
        if self.search_dialog is None:
            self.search_dialog = SearchDialog(self.session, self)
            self.search_dialog.place_requested.connect(self.go_to_place)
        self.search_dialog.show()
        self.search_dialog.raise_()
        self.search_dialog.activateWindow()

    def go_to_place(self, place: Any) -> None:
        if place.entity == "interviews":
            screen = cast("InterviewsScreen", self.show_screen("Interviews"))
            screen.open_interview(place.row, place.select)
        elif place.entity == "cases":
            self.open_case(place.row, place.question_id)

    # ---------------------------------------------------------- drag and drop

    @staticmethod
    def _dropped_files(event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> list[str]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        return [u.toLocalFile() for u in mime.urls() if u.isLocalFile()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if not self.locked and self._dropped_files(event):
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if not self.locked and self._dropped_files(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self._dropped_files(event)
        if self.locked or not paths:
            return
        event.acceptProposedAction()
        self.import_dropped(paths)

    def import_dropped(self, paths: list[str]) -> bool:
        """Bundles dropped on the window: imported as the Sync screen imports them."""
        if self.store.readonly:
            self.show_error("This file is open read-only: bundles cannot be imported into it.")
            return False
        self.flush()
        panel = cast("SyncPanel", self.show_screen("Sync"))
        return panel.import_bundles(paths)

    # ------------------------------------------------------------ locking

    def lock(self) -> None:
        if self.locked or self._closing:
            return
        self.flush()
        if self.tasks.busy():
            self.tasks.cancel()
            self.tasks.wait(15_000)
        for dialog in self.findChildren(QWidget):
            if dialog.isWindow() and dialog is not self and dialog.isVisible():
                dialog.hide()
        self.locked = True
        self.idle.paused = True
        for menu in self.menus:
            menu.menuAction().setEnabled(False)
        self.outer.setCurrentWidget(self.lock_screen)
        self._was_encrypted = close_store(self.store)
        self.lock_screen.prepare(self.store.path.name, self._was_encrypted)
        self.lock_screen.focus()

    def unlock(self, passphrase: str) -> bool:
        if not self.locked:
            return True
        if self._was_encrypted:
            problem = reopen_store(self.store, passphrase)
            if problem is not None:
                self.lock_screen.show_error(problem)
                return False
        self.locked = False
        for menu in self.menus:
            menu.menuAction().setEnabled(True)
        self.outer.setCurrentWidget(self.main)
        self.idle.set_interval(self.settings.idle_lock_minutes * 60_000)
        self.idle.paused = False
        if self._was_encrypted:
            self.session.external_change()
        self._update_undo()
        return True

    # ------------------------------------------------------------ closing

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.locked and self._was_encrypted:
            # Typed text was saved when it locked; nothing is open to save.
            self._shutdown()
            event.accept()
            return
        self.flush()
        self._shutdown()
        event.accept()

    def _shutdown(self) -> None:
        if self._closing:
            return
        self._closing = True
        self.idle.paused = True
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle)
        for widget in self.screens.values():
            widget.shutdown()
        self.tasks.shutdown()
        self.settings.window_geometry = self.saveGeometry()
        self.settings.sync()
        if self.search_dialog is not None:
            self.search_dialog.close()
        if self.store.conn is not None:
            self.store.close()
