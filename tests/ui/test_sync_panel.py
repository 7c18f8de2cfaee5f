"""The Sync screen: export, import (in the worker), history, and one-click conflict resolution."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent

from fieldwork.core.storage.store import Store
from fieldwork.core.sync import bundle
from fieldwork.ui.session import Session
from fieldwork.ui.sync.panel import SyncPanel
from tests.conftest import new_store


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Store, Store, str]]:
    lead = new_store(tmp_path / "lead.fieldwork")
    case = lead.insert("cases", {"ref": "X123456", "organisation": "NPS"})
    bundle.export_bundle(lead, tmp_path / "setup.bundle")
    mate, _ = bundle.join_from_bundle(
        tmp_path / "setup.bundle", tmp_path / "mate.fieldwork", None, member_name="Sam"
    )
    lead.update("cases", case, {"office": "Durham"})
    mate.update("cases", case, {"office": "Darlington"})
    bundle.export_bundle(lead, tmp_path / "lead.bundle")
    yield lead, mate, case
    lead.close()
    mate.close()


@pytest.fixture
def panel(qtbot, pair) -> Iterator[SyncPanel]:
    _, mate, _ = pair
    session = Session(mate)
    p = SyncPanel(session)
    p.tasks.show_dialogs = False
    qtbot.addWidget(p)
    yield p
    p.shutdown()


def test_import_shows_the_conflict_and_one_click_resolves_it(
    qtbot, panel: SyncPanel, pair, tmp_path: Path
) -> None:
    lead, mate, case = pair
    with qtbot.waitSignal(panel.imported, timeout=20_000):
        assert panel.import_bundles([str(tmp_path / "lead.bundle")])
    assert "conflicts" in panel.result.text()
    assert panel.history.rowCount() >= 2  # the setup bundle and this one
    assert len(panel.card_widgets) == 1
    card = panel.card_widgets[0]
    names = [b.accessibleName() for b in card.buttons]
    assert any("Durham" in t for t in names) and any("Darlington" in t for t in names)
    durham = next(b for b in card.buttons if "Durham" in b.accessibleName())
    assert durham.text() in ("Take A", "Take B")
    qtbot.mouseClick(durham, Qt.MouseButton.LeftButton)
    assert mate.reads.conflicts() == [] and mate.reads.case(case).office == "Durham"
    assert panel.card_widgets == []
    assert panel.session.undo_text() == "resolve the conflict on office (case X123456)"
    # The resolution reaches the lead with the next bundle and closes it there too.
    with qtbot.waitSignal(panel.exported, timeout=20_000):
        assert panel.export_bundle(str(tmp_path / "mate.bundle"))
    bundle.import_bundles(lead, [tmp_path / "lead.bundle", tmp_path / "mate.bundle"])
    assert lead.reads.conflicts() == [] and lead.reads.case(case).office == "Durham"


def test_a_bad_bundle_says_why_and_changes_nothing(qtbot, panel: SyncPanel, tmp_path: Path) -> None:
    (tmp_path / "junk.bundle").write_bytes(b"junk")
    before = panel.store.audit.dump()
    messages: list[str] = []
    panel.session.failed.connect(messages.append)
    assert panel.import_bundles([str(tmp_path / "junk.bundle")])
    qtbot.waitUntil(lambda: bool(messages), timeout=20_000)
    assert "not a zip" in messages[0] and "\n" not in messages[0]
    assert panel.store.audit.dump() == before


def test_dropping_a_bundle_imports_it(qtbot, panel: SyncPanel, tmp_path: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "lead.bundle"))])
    event = QDropEvent(
        QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    with qtbot.waitSignal(panel.imported, timeout=20_000):
        panel.dropEvent(event)
    assert len(panel.card_widgets) == 1


def test_encrypted_file_exports_to_the_chosen_keys(qtbot, tmp_path: Path) -> None:
    from tests.conftest import PASSPHRASE

    store = new_store(tmp_path / "secret.fieldwork", PASSPHRASE)
    bundle.add_recipient(store, bundle.crypto.new_identity_file()[1], "Headquarters")
    session = Session(store)
    p = SyncPanel(session)
    p.tasks.show_dialogs = False
    qtbot.addWidget(p)
    try:
        assert p.recipients.count() == 1 and p.chosen_keys()
        p.recipients.item(0).setCheckState(Qt.CheckState.Unchecked)
        with qtbot.waitSignal(p.exported, timeout=20_000):
            assert p.export_bundle(str(tmp_path / "out.bundle"))
        info = bundle.verify_bundle(
            tmp_path / "out.bundle", [bundle.crypto.identity(store.age_identity)]
        )
        assert info.encryption == "recipients"
    finally:
        p.shutdown()
        store.close()


def test_the_window_shows_the_sync_screen(window) -> None:
    screen = window.show_screen("Sync")
    assert isinstance(screen, SyncPanel) and screen.tasks is window.tasks
    assert screen.history.rowCount() == 0 and "demo" in screen.note.text()


def test_names_and_case_references_in_a_conflict_are_shown_literally(qtbot, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QLabel

    lead = new_store(tmp_path / "lead.fieldwork", author_name="Alys <b>Lead</b>")
    case = lead.insert("cases", {"ref": "<i>X1</i>", "organisation": "NPS"})
    bundle.export_bundle(lead, tmp_path / "setup.bundle")
    mate, _ = bundle.join_from_bundle(
        tmp_path / "setup.bundle", tmp_path / "mate.fieldwork", None, member_name="Sam"
    )
    lead.delete("cases", case)
    mate.update("cases", case, {"office": "Darlington"})
    bundle.export_bundle(lead, tmp_path / "lead.bundle")
    bundle.import_bundles(mate, [tmp_path / "lead.bundle"])
    panel = SyncPanel(Session(mate))
    qtbot.addWidget(panel)
    try:
        [card] = panel.card_widgets
        labels = card.findChildren(QLabel)
        by = next(label for label in labels if label.text().startswith("by Alys"))
        assert "Alys <b>Lead</b>" in by.text()
        title = next(label for label in labels if "deleted on another" in label.text())
        assert "Case <i>X1</i>" in title.text()  # shown literally: plain text, not markup
        for label in labels:
            assert label.textFormat() == Qt.TextFormat.PlainText
    finally:
        panel.shutdown()
        lead.close()
        mate.close()
