"""The Sync screen's team box: a request to join and a teammate's team change are shown
as set aside; the lead admits with one click, removes a member, and the history says
who wrote each change and whether it is verified."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from fieldwork.core.storage.store import Store
from fieldwork.core.sync import bundle
from fieldwork.core.sync.crypto import new_identity_file
from fieldwork.ui.session import Session
from fieldwork.ui.sync.panel import SyncPanel
from tests.conftest import new_store


@pytest.fixture
def lead_and_mate(tmp_path: Path) -> Iterator[tuple[Store, Store, str]]:
    lead = new_store(tmp_path / "lead.fieldwork", author_name="Lee")
    case = lead.insert("cases", {"ref": "X123456", "organisation": "NPS"})
    bundle.export_bundle(lead, tmp_path / "setup.bundle")
    mate, _ = bundle.join_from_bundle(
        tmp_path / "setup.bundle", tmp_path / "mate.fieldwork", None, member_name="Sam"
    )
    mate.update("cases", case, {"office": "Darlington"})
    # Sam's laptop also tries to add an outsider (its meta made to say it leads).
    mate.set_meta("lead_member", mate.author)
    bundle.add_recipient(mate, new_identity_file()[1], "Outsider", "inspector")
    bundle.export_bundle(mate, tmp_path / "mate.bundle")
    yield lead, mate, case
    lead.close()
    mate.close()


@pytest.fixture
def panel(qtbot, lead_and_mate) -> Iterator[SyncPanel]:
    lead, _, _ = lead_and_mate
    p = SyncPanel(Session(lead))
    p.tasks.show_dialogs = False
    qtbot.addWidget(p)
    yield p
    p.shutdown()


def _row(panel: SyncPanel, starts: str) -> int:
    texts = [panel.trust.people.item(i).text() for i in range(panel.trust.people.count())]
    return next(i for i, t in enumerate(texts) if t.startswith(starts))


def test_set_aside_changes_are_shown_and_the_lead_admits_and_removes(
    qtbot, panel: SyncPanel, lead_and_mate, tmp_path: Path
) -> None:
    lead, mate, case = lead_and_mate
    with qtbot.waitSignal(panel.imported, timeout=20_000):
        assert panel.import_bundles([str(tmp_path / "mate.bundle")])
    assert "set aside: not from the lead" in panel.result.text()
    assert "set aside" in panel.trust.summary.text()
    assert "Outsider" not in {m.name for m in lead.reads.members()}
    box = panel.trust
    box.people.setCurrentRow(_row(panel, "Sam asks to join"))
    assert box.admit_button.isEnabled()
    qtbot.mouseClick(box.admit_button, Qt.MouseButton.LeftButton)
    assert {m.name for m in lead.reads.members()} == {"Lee", "Sam"}
    assert mate.age_recipient in bundle.recipients_of(lead)
    # The history names Sam and says the change is verified (Sam's key is now bound).
    dialog = box.show_history()
    qtbot.addWidget(dialog)
    dialog.case.setText("X123456")
    qtbot.keyClick(dialog.case, Qt.Key.Key_Return)
    rows = [
        [dialog.table.item(r, c).text() for c in range(4)] for r in range(dialog.table.rowCount())
    ]
    assert any(r[1] == "Sam" and r[2] == "verified" and "office" in r[3] for r in rows)
    box.people.setCurrentRow(_row(panel, "Sam ·"))
    qtbot.mouseClick(box.remove_button, Qt.MouseButton.LeftButton)
    assert {m.name for m in lead.reads.members()} == {"Lee"}
    assert mate.age_recipient not in bundle.recipients_of(lead)
