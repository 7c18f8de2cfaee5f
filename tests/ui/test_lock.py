"""The idle lock: typed text saved, contents hidden, key dropped; the passphrase unlocks."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import PASSPHRASE, case_with_status, open_window, stored_answers


def test_idle_lock_closes_the_store_and_the_passphrase_reopens_it(qtbot, encrypted_demo_path):
    path = encrypted_demo_path
    window = open_window(qtbot, path, PASSPHRASE)
    case = case_with_status(path, "not_started", "draft", passphrase=PASSPHRASE)
    window.open_case(case.id)
    editor = window.screen_named("Review")
    note = editor.form.sections[0].notes[0]
    editor.show_page(editor.page_of[note.id])
    box = editor.rows[note.id].edit
    box.setFocus()
    qtbot.keyClicks(box, "Typed just before the lock")  # not yet saved (800 ms pause)

    window.idle.set_interval(150)
    qtbot.waitUntil(lambda: window.locked, timeout=3000)
    assert not window.main.isVisible()
    assert window.lock_screen.isVisible()
    assert window.store.conn is None  # the connection (and its key) is gone
    assert window.store.locked and window.store._passphrase is None  # and the passphrase with it
    saved = stored_answers(path, case.id, PASSPHRASE)
    assert saved[note.id].value == "Typed just before the lock"

    field = window.lock_screen.passphrase
    assert field.isVisible()
    qtbot.keyClicks(field, "wrong")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert window.locked
    assert "wrong" in window.lock_screen.error.text()

    field.clear()
    qtbot.keyClicks(field, PASSPHRASE)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert not window.locked
    assert window.main.isVisible()
    assert window.store.conn is not None
    assert window.store.reads.case(case.id) is not None
    assert editor.rows[note.id].edit.toPlainText() == "Typed just before the lock"
    window.idle.set_interval(0)
    window.close()


def test_a_demo_file_lock_only_hides(qtbot, window):
    window.lock()
    assert window.locked and not window.main.isVisible()
    assert window.store.conn is not None
    assert not window.lock_screen.passphrase.isVisible()
    qtbot.mouseClick(window.lock_screen.button, Qt.MouseButton.LeftButton)
    assert not window.locked and window.main.isVisible()
