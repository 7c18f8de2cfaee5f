"""A damaged inspection file opens read-only with a banner offering the latest good
backup; Restore puts the backup in place and reopens the window on it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from fieldwork.app import App
from fieldwork.core.demo.generator import make_demo
from fieldwork.core.errors import DamagedFile
from fieldwork.core.storage import backups
from fieldwork.core.storage.store import Store
from fieldwork.ui.shell.main_window import MainWindow
from tests.ui.conftest import PASSPHRASE, open_window

PAGE = 4096


def damage(path: Path) -> None:
    """Overwrite ~300 bytes inside one page in the middle of the file so that it reads as
    damaged, choosing a page the screens do not need: the file must still show its cases
    and answers read-only, as a file damaged in its change log does. (Which table a middle
    page holds depends on the file's layout, which changes from release to release.)"""
    original = path.read_bytes()
    pages = len(original) // PAGE
    for n in range(pages // 2, pages - 1):
        data = bytearray(original)
        offset = n * PAGE + 1000
        data[offset : offset + 300] = b"\xa5" * 300
        path.write_bytes(bytes(data))
        try:
            Store.open(path, PASSPHRASE).close()
        except DamagedFile:
            if _screens_can_read(path):
                return
    raise AssertionError("could not damage the file")


def _screens_can_read(path: Path) -> bool:
    try:
        with Store.open(path, PASSPHRASE, readonly=True, check=False) as store:
            store.reads.cases()
            store.reads.answer_values()
            store.reads.members()
            store.reads.inspection()
    except Exception:  # noqa: BLE001 - any failure: try another page
        return False
    return True


@pytest.fixture
def damaged_path(tmp_path: Path) -> Path:
    path = tmp_path / "damaged.fieldwork"
    make_demo(path, cases=20, interviews=3, seed=1, passphrase=PASSPHRASE).close()
    Store.open(path, PASSPHRASE, backup=True).close()
    assert backups.backup_paths(path)
    damage(path)
    with pytest.raises(DamagedFile):
        Store.open(path, PASSPHRASE)
    return path


def test_damaged_file_opens_read_only_and_restore_brings_the_cases_back(
    qtbot, damaged_path: Path, monkeypatch
) -> None:
    path = damaged_path
    window = open_window(qtbot, path, PASSPHRASE)
    assert window.store.readonly and window.damage is not None
    assert window.banner.isVisible()
    text = window.banner_text.text()
    assert text.startswith("This file is damaged and opened read-only.")
    assert "Restore the latest good backup (taken " in text
    assert window.restore_button.isVisible()
    assert "READ-ONLY" in window.windowTitle()

    # Edits are refused by the store with a one-line message; the app keeps running.
    case = window.store.reads.cases()[0]
    assert (
        window.session.act("office", lambda s: s.update("cases", case.id, {"office": "X"})) is None
    )
    assert "read-only" in window.error_label.text() and "\n" not in window.error_label.text()
    window.error_label.clear()
    assert not window.import_dropped([str(path)])  # no bundle goes into a damaged file
    assert "read-only" in window.error_label.text()

    app = window.launcher
    assert isinstance(app, App)
    asked: list[str] = []
    monkeypatch.setattr(app, "ask", lambda parent, title, text, yes: asked.append(text) or True)
    qtbot.mouseClick(window.restore_button, Qt.MouseButton.LeftButton)
    assert asked and "Replace damaged.fieldwork" in asked[0]

    restored = app.window
    assert isinstance(restored, MainWindow) and restored is not window
    qtbot.addWidget(restored)
    assert not restored.store.readonly and restored.damage is None
    assert not restored.banner.isVisible()
    assert restored.store.path == path
    assert len(restored.store.reads.cases()) == 20
    assert list(path.parent.glob("damaged.fieldwork.damaged-*"))  # kept aside
    restored.tasks.wait(10_000)  # the backup taken on opening
    restored.close()

    with Store.open(path, PASSPHRASE) as store:  # healthy on disk, the cases back
        assert store.audit.check()["ok"]
        assert len(store.reads.cases()) == 20


def test_file_open_asks_the_passphrase_then_opens_a_damaged_file_read_only(
    qtbot, damaged_path: Path, encrypted_demo_path: Path
) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from fieldwork.ui.shell.dialogs import PassphraseDialog

    window = open_window(qtbot, encrypted_demo_path, PASSPHRASE)
    app = window.launcher
    typed: list[bool] = []

    def type_passphrase() -> None:  # as a person: the passphrase, then Enter
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, PassphraseDialog):
            QTimer.singleShot(20, type_passphrase)
            return
        qtbot.keyClicks(dialog.line, PASSPHRASE)
        qtbot.keyClick(dialog.line, Qt.Key.Key_Return)
        typed.append(True)

    QTimer.singleShot(0, type_passphrase)
    window.open_file(str(damaged_path))  # File > Open and Open Recent come here
    assert typed
    damaged = app.window
    assert damaged is not window and isinstance(damaged, MainWindow)
    qtbot.addWidget(damaged)
    assert damaged.store.readonly and damaged.banner.isVisible()
    assert damaged.store.path == damaged_path
    assert damaged.screen_named("Cases") is not None  # the screens read the damaged file
    damaged.close()


def test_no_good_backup_is_said_plainly(qtbot, damaged_path: Path, monkeypatch) -> None:
    for backup in backups.backup_paths(damaged_path):
        backup.unlink()
    window = open_window(qtbot, damaged_path, PASSPHRASE)
    assert window.banner.isVisible() and not window.restore_button.isVisible()
    assert "No good backup" in window.banner_text.text()
    told: list[str] = []
    monkeypatch.setattr(window.launcher, "tell", lambda parent, text: told.append(text))
    assert not window.restore_latest_backup(confirm=False)
    assert told and "No good backup of damaged.fieldwork was found" in told[0]
    assert window.store.readonly and window.store.conn is not None  # still open, read-only
    window.close()
