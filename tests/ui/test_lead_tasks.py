"""The lead's tasks from the Team and File menus, each run in the worker: a setup bundle
with its one-time passphrase, the keys bundles are encrypted to, the data exports with
their warning, and who has synced what and when."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

from fieldwork.cli import main as cli
from fieldwork.core import team
from fieldwork.core.io import exports
from fieldwork.core.passphrase import problem
from fieldwork.core.sync import bundle, crypto
from fieldwork.core.sync.naming import bundle_name, default_bundle_path, slug
from tests.ui.conftest import PASSPHRASE, open_window


def trigger(window, name: str):
    """Choose a menu item, as a person would, and return the dialog it opened."""
    action = window.findChild(QAction, name)
    assert action is not None and action.isEnabled(), name
    action.trigger()
    dialog = window.lead_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def finish(qtbot, dialog, click_this) -> bool:
    with qtbot.waitSignal(dialog.finished_task, timeout=30_000) as blocker:
        click(qtbot, click_this)
    return bool(blocker.args[0])


def set_text(qtbot, line, text: str) -> None:
    line.selectAll()
    qtbot.keyClicks(line, text)


# ------------------------------------------------------------- setup bundle


def test_setup_bundle_with_its_one_time_passphrase_joins_a_new_laptop(
    qtbot, window, tmp_path: Path
) -> None:
    dialog = trigger(window, "makeSetupBundle")
    offered = dialog.passphrase.text()
    assert problem(offered) is None and len(offered) >= 15
    click(qtbot, dialog.new_button)
    assert dialog.passphrase.text() != offered  # another, fresh one
    told = dialog.passphrase.text()
    assert dialog.dest.text().endswith("-setup.bundle")
    dest = tmp_path / "for Sam"
    set_text(qtbot, dialog.dest, str(dest))
    assert finish(qtbot, dialog, dialog.make_button)
    written = tmp_path / "for Sam.bundle"
    assert "written and verified" in dialog.outcome.text() and written.is_file()
    assert crypto.file_needs_passphrase(written)
    # The new member's laptop joins with the passphrase told in person.
    joined, _ = bundle.join_from_bundle(
        written, tmp_path / "sam.fieldwork", None, ask_passphrase=lambda: told, member_name="Sam"
    )
    with joined:
        assert joined.reads.inspection().name == window.store.reads.inspection().name
        assert len(joined.reads.cases()) == len(window.store.reads.cases())


def test_a_weak_or_cancelled_setup_bundle_writes_nothing(qtbot, window, tmp_path: Path) -> None:
    dialog = trigger(window, "makeSetupBundle")
    set_text(qtbot, dialog.passphrase, "password123")
    set_text(qtbot, dialog.dest, str(tmp_path / "weak.bundle"))
    click(qtbot, dialog.make_button)
    assert dialog.error.isVisible() and "15 characters" in dialog.error.text()
    assert not (tmp_path / "weak.bundle").exists()

    set_text(qtbot, dialog.passphrase, "juniper tractor velvet orbit")
    with qtbot.waitSignal(dialog.finished_task, timeout=30_000) as blocker:
        click(qtbot, dialog.make_button)
        window.tasks.cancel()  # the Cancel button of the progress dialog
    assert blocker.args == [False]
    assert dialog.error.text() == "Cancelled: nothing was changed."
    assert not (tmp_path / "weak.bundle").exists()


# ------------------------------------------------------------- keys


@pytest.fixture
def secret_window(qtbot, encrypted_demo_path: Path):
    w = open_window(qtbot, encrypted_demo_path, PASSPHRASE)
    yield w
    w.close()


def test_add_list_and_remove_the_headquarters_key(qtbot, secret_window, tmp_path: Path) -> None:
    window = secret_window
    store = window.store
    identity_text, public = crypto.new_identity_file()
    hq = crypto.identity(identity_text.strip().splitlines()[-1])

    dialog = trigger(window, "teamKeys")
    own_row = [dialog.table.item(r, 3).text() for r in range(dialog.table.rowCount())]
    assert "this laptop" in own_row  # listed, with who holds it
    assert store.age_recipient in dialog.own_key.text()
    set_text(qtbot, dialog.name, "Headquarters")
    dialog.role.setCurrentIndex(dialog.role.findData("headquarters"))
    set_text(qtbot, dialog.key, public)
    assert finish(qtbot, dialog, dialog.add_button)
    names = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert "Headquarters" in names and dialog.selected().name == "Headquarters"
    assert public in bundle.recipients_of(store)

    # A bundle made now opens with headquarters' identity.
    sent = bundle.export_bundle(store, tmp_path / "to-hq.bundle")
    assert bundle.verify_bundle(sent.path, [hq]).op_count == sent.info.op_count

    # Remove it again: asked first, then bundles no longer open for headquarters.
    assert dialog.select("Headquarters")
    click(qtbot, dialog.remove_button)
    box = dialog.confirm_box
    assert isinstance(box, QMessageBox) and "Headquarters" in box.text()
    yes = next(b for b in box.buttons() if b.text() == "Remove key")
    with qtbot.waitSignal(dialog.finished_task, timeout=30_000):
        click(qtbot, yes)
    assert public not in bundle.recipients_of(store)
    assert "Headquarters" not in [m.name for m in store.reads.members()]
    later = bundle.export_bundle(store, tmp_path / "later.bundle")
    with pytest.raises(Exception, match="identity"):
        bundle.verify_bundle(later.path, [hq])


def test_a_bad_key_is_refused_in_one_line_and_the_own_key_cannot_go(qtbot, secret_window) -> None:
    dialog = trigger(secret_window, "teamKeys")
    set_text(qtbot, dialog.key, "age1notakey")
    assert not finish(qtbot, dialog, dialog.add_button)
    assert dialog.error.isVisible() and "\n" not in dialog.error.text()
    own = next(r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 3).text())
    dialog.table.selectRow(own)
    assert not dialog.remove_button.isEnabled()


# ------------------------------------------------------------- exports


def test_export_xlsx_and_csv_say_what_the_command_line_says(
    qtbot, window, tmp_path: Path, capsys
) -> None:
    dialog = trigger(window, "export_xlsx")
    assert dialog.warning.text() == exports.PERSONAL_DATA_WARNING
    workbook = tmp_path / "analysis.xlsx"
    set_text(qtbot, dialog.dest, str(workbook))
    assert finish(qtbot, dialog, dialog.export_button)
    assert exports.PERSONAL_DATA_WARNING in dialog.outcome.text()
    book = openpyxl.load_workbook(workbook, read_only=True)
    assert book.sheetnames == list(exports.TABLES)
    refs = {row[0] for row in book["cases"].iter_rows(min_row=2, values_only=True)}
    assert refs == {c.ref for c in window.store.reads.cases()}
    book.close()
    dialog.close()

    dialog = trigger(window, "export_csv")
    assert dialog.kind == "csv" and not dialog.dest.text().endswith(".xlsx")
    set_text(qtbot, dialog.dest, str(tmp_path / "csv"))
    assert finish(qtbot, dialog, dialog.export_button)
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == sorted(
        f"{t}.csv" for t in exports.TABLES
    )

    # The command line prints the same sentence.
    window.close()
    assert cli(["export", "csv", str(window.store.path), str(tmp_path / "cli")]) == 0
    err = capsys.readouterr().err
    sentence = exports.PERSONAL_DATA_WARNING.rstrip(".")
    assert sentence[1:] in err and exports.CASE_REF_WARNING in err


# ------------------------------------------------------------- history


def test_sync_history_names_who_sent_what_and_when(qtbot, window, tmp_path: Path) -> None:
    store = window.store
    bundle.export_bundle(store, tmp_path / "setup.bundle")
    gwen, _ = bundle.join_from_bundle(
        tmp_path / "setup.bundle", tmp_path / "gwen.fieldwork", None, member_name="Gwen Evans"
    )
    with gwen:
        case = gwen.reads.cases()[0]
        gwen.update("cases", case.id, {"office": "Aberwern hub"})
        from_gwen = bundle.export_bundle(gwen, tmp_path / bundle_name("Gwen", dt.date.today()))
    bundle.import_bundles(store, [from_gwen.path])

    dialog = trigger(window, "syncHistory")
    qtbot.waitUntil(lambda: dialog.every.rowCount() == 2, timeout=30_000)
    me = store.reads.member_names()[store.author]
    every = [
        [dialog.every.item(r, c).text() for c in range(dialog.every.columnCount())]
        for r in range(dialog.every.rowCount())
    ]
    people = {row[1] for row in every}
    # Her first bundle asks to join: named, and said to be not yet admitted.
    assert people == {"Gwen Evans (asking to join)", f"{me} (you)"}
    received = next(row for row in every if row[1].startswith("Gwen Evans"))
    assert received[2] == "Received" and int(received[4]) >= 1  # new changes it brought
    assert received[5] == from_gwen.path.name
    assert str(dt.date.today().year) in received[0]
    latest = {dialog.latest.item(r, 0).text() for r in range(dialog.latest.rowCount())}
    assert latest == people
    shown = " ".join(" ".join(row) for row in every)
    assert gwen.device_id[:8] not in shown and store.device_id[:8] not in shown
    dialog.close()
    team.admit(store, "Gwen Evans")
    dialog = trigger(window, "syncHistory")
    qtbot.waitUntil(lambda: dialog.every.rowCount() == 2, timeout=30_000)
    names = {dialog.every.item(r, 1).text() for r in range(dialog.every.rowCount())}
    assert names == {"Gwen Evans", f"{me} (you)"}


# ------------------------------------------------------------- bundle names


def test_the_sync_screen_offers_a_dated_bundle_named_for_its_maker(window, tmp_path) -> None:
    panel = window.show_screen("Sync")
    me = window.store.reads.member_names()[window.store.author]
    day = dt.date(2016, 3, 8)
    offered = panel.default_bundle_path(day)
    assert offered.name == f"2016-03-08-{slug(me)}.bundle"
    assert offered.parent == window.store.path.parent
    offered.write_bytes(b"last evening's")  # a bundle of the same name is never offered
    assert panel.default_bundle_path(day) != offered
    assert default_bundle_path(tmp_path, "Gwenllïan Ŵyn", day).name == "2016-03-08-gwenllian.bundle"
