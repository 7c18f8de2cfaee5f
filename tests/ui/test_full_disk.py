"""A full disk while answering: a one-line message in the status bar, the app keeps
running, and once space is freed the next answer is stored."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from fieldwork.core.demo.generator import make_demo
from fieldwork.core.storage.store import Store
from tests.fault_fs import fill, small_fs
from tests.ui.conftest import case_with_status, open_window, stored_answers


def yes_no_prompts(editor) -> list[str]:
    return [
        p.id
        for section in editor.form.sections
        for kq in section.key_questions
        for p in kq.prompts
        if p.type in ("yes_no", "yes_no_na")
    ]


def press(qtbot, editor, qid: str, key: Qt.Key) -> None:
    assert editor.focus_question(qid)
    qtbot.keyClick(editor.rows[qid], key)


def test_full_disk_while_answering_says_so_and_keeps_running(qtbot, tmp_path: Path) -> None:
    with small_fs(tmp_path / "disk", 8192) as disk:
        path = disk / "full.fieldwork"
        make_demo(path, cases=10, interviews=2, seed=1).close()
        window = open_window(qtbot, path)
        try:
            case = case_with_status(path, "not_started", "draft")
            window.open_case(case.id)
            editor = window.screen_named("Review")
            before = stored_answers(path, case.id)
            prompts = [
                q for q in yes_no_prompts(editor) if editor._navigable(q) and q not in before
            ]
            assert prompts
            filler = fill(disk)
            failed = None
            for qid in prompts[:40]:  # SQLite may still have room in pages it holds
                press(qtbot, editor, qid, Qt.Key.Key_Y)
                if window.error_label.text():
                    failed = qid
                    break
            assert failed is not None, "the full disk never refused a save"
            message = window.error_label.text()
            assert "disk is full" in message and "\n" not in message
            assert window.isVisible() and not window.locked  # still running
            assert failed not in stored_answers(path, case.id)  # refused, nothing half-saved
            assert editor.rows[failed].value is None  # the editor shows what is stored

            filler.unlink()  # space again: the same window saves the same answer
            window.error_label.clear()
            press(qtbot, editor, failed, Qt.Key.Key_N)
            assert window.error_label.text() == ""
            assert "Saved at" in window.saved_label.text()
            assert stored_answers(path, case.id)[failed].value == "no"
            window.close()
            with Store.open(path) as store:
                assert store.audit.check()["ok"]
                assert store.reads.answers(case.id)[failed].value == "no"
        finally:
            if window.isVisible():
                window.close()
