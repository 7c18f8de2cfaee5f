"""A scripted run of the app with a planted case reference and name: afterwards neither
appears in settings, temporary files, -wal/-shm, backups or anything else on disk except
the encrypted inspection file itself."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt

from fieldwork.core.demo.generator import make_demo
from fieldwork.core.storage.backups import backup_paths
from fieldwork.core.storage.store import Store
from tests.ui.conftest import PASSPHRASE, open_window
from tests.ui.test_review_keyboard import open_from_case_list

REF = "Q908172"
NAME = "Zbigniew Quiller-Ffrench"


def _needles() -> list[bytes]:
    return [t.encode(enc) for t in (REF, NAME, "Quiller") for enc in ("utf-8", "utf-16-le")]


def test_app_run_leaves_no_case_reference_or_name_outside_the_file(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    path = work / "leak.fieldwork"
    store = make_demo(path, cases=12, interviews=3, seed=8, passphrase=PASSPHRASE)
    store.insert(
        "cases", {"ref": REF, "organisation": "NPS", "officer": NAME, "status": "not_started"}
    )
    store.close()

    window = open_window(qtbot, path, PASSPHRASE)
    window.backup_on_open()  # as `fieldwork` does once the window is up
    qtbot.waitUntil(lambda: bool(backup_paths(path)), timeout=10000)
    open_from_case_list(qtbot, window, REF)
    editor = window.screen_named("Review")
    note = editor.form.sections[0].notes[0]
    editor.show_page(editor.page_of[note.id])
    box = editor.rows[note.id].edit
    box.setFocus()
    qtbot.keyClicks(box, f"Seen with {NAME} about {REF}.")
    qtbot.keyClick(box, Qt.Key.Key_Tab)  # leaving the box saves it
    window.close()

    with Store.open(path, PASSPHRASE) as again:  # the work was kept
        case = again.reads.case_by_ref(REF)
        assert again.reads.answers(case.id)[note.id].value == f"Seen with {NAME} about {REF}."

    config = Path(os.environ["FIELDWORK_CONFIG_DIR"])
    roots = [work, scratch, config]
    scanned = 0
    for root in roots:
        for f in root.rglob("*"):
            if f.is_file() and f != path:
                scanned += 1
                data = f.read_bytes()
                for needle in _needles():
                    assert needle not in data, f"{needle!r} found in {f}"
    assert scanned >= 2  # settings and at least one backup
    data = path.read_bytes()
    assert all(n not in data for n in _needles())  # the file itself is encrypted
