"""A file dialog in the inspection's folder must not cost the app its hold on the file.

The dialog opens and closes descriptors on the files it lists; on Linux that dropped
SQLite's POSIX locks, a `fieldwork` command from a terminal then deleted the live -wal,
and the app went on writing answers into a deleted file.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from fieldwork.ui.review.rows import YesNoRow
from tests.ui.conftest import case_with_status, focused, open_window
from tests.ui.test_review_keyboard import open_from_case_list, row_of


def fieldwork(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fieldwork", *args],
        capture_output=True,
        text=True,
        input="",
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def stored(path: Path) -> dict[tuple[str, str], object]:
    """Every answer `fieldwork dump --json` finds in the file, after `check` says ok."""
    checked = fieldwork("check", str(path))
    assert checked.returncode == 0 and checked.stdout.startswith("ok:"), checked
    dumped = fieldwork("dump", str(path), "--json")
    assert dumped.returncode == 0, dumped.stderr
    return {
        (a["case_id"], a["question_id"]): a["value"]
        for a in json.loads(dumped.stdout)["answers"]
        if not a["deleted"]
    }


def crash_image(path: Path, folder: Path) -> Path:
    """What a crash would leave: the file and its -wal as they are on disk now."""
    folder.mkdir()
    for suffix in ("", "-wal"):
        if Path(f"{path}{suffix}").exists():
            shutil.copyfile(f"{path}{suffix}", folder / f"{path.name}{suffix}")
    return folder / path.name


def test_file_dialog_then_a_command_from_a_terminal_loses_nothing(qtbot, demo_path, tmp_path):
    window = open_window(qtbot, demo_path)
    dialog = QFileDialog(window, "Import bundles", str(demo_path.parent))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.wait(500)  # it lists the folder, looking at every file in it
    dialog.close()
    dialog.deleteLater()
    qtbot.wait(50)

    wal = Path(f"{demo_path}-wal")
    assert wal.exists()
    done = fieldwork("check", str(demo_path))
    assert done.returncode == 1, done
    assert done.stderr.strip().count("\n") == 0
    assert f"{demo_path.name} is open in Fieldwork on this computer" in done.stderr
    assert wal.exists()  # the app's live -wal is still there

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    case = case_with_status(demo_path, "not_started", "draft")
    open_from_case_list(qtbot, window, case.ref)
    editor = window.screen_named("Review")
    acknowledged: dict[tuple[str, str], object] = {}
    saved: list[str] = []
    window.session.saved.connect(saved.append)
    unanswered = [
        qid
        for qid, row in editor.rows.items()
        if isinstance(row, YesNoRow) and row.value is None and row.isVisibleTo(editor)
    ]
    for qid in unanswered[:5]:
        editor.focus_question(qid)
        row = editor.rows[qid]
        assert row_of(focused()) is row
        before = len(saved)
        qtbot.keyClick(focused(), Qt.Key.Key_Y)
        if len(saved) > before:  # the app said it was saved
            acknowledged[(case.id, qid)] = "yes"
    assert len(acknowledged) == len(unanswered[:5]) > 0

    # Were the laptop to crash now, what is on disk holds every acknowledged answer.
    on_disk = stored(crash_image(demo_path, tmp_path / "crash"))
    for key, value in acknowledged.items():
        assert on_disk.get(key) == value, key

    window.close()
    on_disk = stored(demo_path)
    for key, value in acknowledged.items():
        assert on_disk.get(key) == value, key
