"""Bundles dropped anywhere on the main window are imported as the Sync screen imports them."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from fieldwork.core.storage.store import Store
from fieldwork.core.sync import bundle


def second_laptop_bundle(demo_path: Path, tmp_path: Path) -> tuple[str, str, Path]:
    """A copy of the demo edited on another laptop, sent back as a plain bundle."""
    other = tmp_path / "other laptop.fieldwork"
    shutil.copyfile(demo_path, other)
    dest = tmp_path / "from the other laptop.bundle"
    with Store.open(other) as store:  # the copy takes a device id of its own
        with Store.open(demo_path) as original:
            assert store.device_id != original.device_id
        case = store.reads.cases()[3]
        office = f"{case.office or 'Office'} (moved)"
        store.update("cases", case.id, {"office": office})
        bundle.export_bundle(store, dest)
    return case.id, office, dest


def test_dropping_a_bundle_on_the_window_imports_it(qtbot, window, demo_path, tmp_path) -> None:
    case_id, office, dest = second_laptop_bundle(demo_path, tmp_path)
    window.show_screen("Cases")  # not the Sync screen
    window.tasks.show_dialogs = False
    assert window.acceptDrops()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(dest))])
    centre = window.rect().center()
    enter = QDragEnterEvent(  # QPoint here, QPointF below: the bindings' own signatures
        centre, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(centre), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    panel = window.screen_named("Sync")
    with qtbot.waitSignal(panel.imported, timeout=20_000) as new:
        QApplication.sendEvent(window, drop)
    assert drop.isAccepted()
    assert new.args[0] > 0
    assert window.current_screen() == "Sync"  # the result and any conflicts shown there
    assert "Imported 1 bundle" in panel.result.text()
    assert window.store.reads.case(case_id).office == office
    window.close()
    with Store.open(demo_path) as store:  # on disk, read by a connection of its own
        assert store.reads.case(case_id).office == office
