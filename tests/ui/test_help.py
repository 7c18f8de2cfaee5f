"""The Help menu: the guide to the week (the repository's page, shown offline), the
keyboard shortcuts read from the window's own actions, and About."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut

from fieldwork import __version__
from fieldwork.core import data
from fieldwork.core.storage.backups import backup_dir
from fieldwork.ui.help.shortcuts import key_text, plain

ROOT = Path(__file__).resolve().parents[2]


def test_f1_shows_the_guide_to_the_week(qtbot, window) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: getattr(window, "help_dialog", None) is not None)
    dialog = window.help_dialog
    assert dialog.objectName() == "guideDialog" and dialog.isVisible()
    text = dialog.browser.toPlainText()
    for part in ("Before the week", "Each day", "Each evening", "merging and reporting"):
        assert part in text
    assert "**" not in text and "# " not in text  # rendered, not shown as Markdown source
    assert dialog.browser.isReadOnly()
    # The page in the repository is the one shipped in the package and shown here.
    assert (ROOT / "docs" / "guide.md").read_text(encoding="utf-8") == data.help_page("guide")


def test_the_guide_names_menus_and_keys_that_exist(window) -> None:
    guide = " ".join(data.help_page("guide").split())
    texts = {plain(a.text()) for a in window.findChildren(QAction)}
    for item in ("New inspection", "Import case sample", "Join an inspection",
                 "Make a setup bundle", "Team and keys", "Sync history", "Keyboard shortcuts",
                 "About Fieldwork"):  # fmt: skip
        assert item in texts and item in guide, item


def test_the_shortcuts_sheet_lists_every_key_the_window_answers_to(qtbot, window) -> None:
    qtbot.keyClick(window, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: getattr(window, "help_dialog", None) is not None)
    dialog = window.help_dialog
    assert dialog.objectName() == "shortcutsDialog"
    rows = dialog.rows()
    sheet = {(keys, what) for keys, what, _ in rows}
    assert ("Ctrl+M", "Mark as quote") in sheet
    assert ("Ctrl+F", "Find") in sheet
    complete = [keys for keys, what in sheet if what.startswith("Mark the review complete")]
    assert complete and "Ctrl+Return" in complete[0] and "Ctrl+Enter" in complete[0]
    assert ("Y", "Answer Yes to the question in focus, then move on") in sheet
    where = {what: place for _, what, place in rows}
    assert where["Mark as quote"] == "Interviews screen" and where["Find"] == "Edit menu"
    # Nothing drifts: every action and shortcut with keys is on the sheet.
    listed = {(what, k) for keys, what in sheet for k in keys.split(" or ")}
    for action in window.findChildren(QAction):
        for k in key_text(action.shortcuts()).split(" or ") if action.text() else ():
            assert not k or (plain(action.text()), k) in listed
    for shortcut in window.findChildren(QShortcut):
        assert (shortcut.whatsThis(), key_text(shortcut.keys())) in listed
    dialog.close()

    # A key added to the window shows up on the sheet made next, with no list to update.
    extra = QAction("Count the beans", window)
    extra.setShortcut(QKeySequence("Ctrl+Shift+B"))
    window.addAction(extra)
    qtbot.keyClick(window, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: getattr(window, "help_dialog", None) is not None)
    assert ("Ctrl+Shift+B", "Count the beans", "Everywhere") in window.help_dialog.rows()


def test_about_says_the_version_and_where_the_file_and_backups_are(qtbot, window) -> None:
    window.findChild(QAction, "helpAbout").trigger()
    dialog = window.help_dialog
    assert dialog.objectName() == "aboutDialog" and dialog.isVisible()
    values = {name: label.text() for name, label in dialog.values.items()}
    assert values["Version"] == f"Fieldwork {__version__}"
    path = window.store.path.resolve()
    assert values["This inspection"] == str(path)
    assert values["Its backups"].startswith(str(backup_dir(path)))
    window.backup_on_open()  # as opening the file in the app does
    assert window.tasks.wait(20_000)
    assert any(p.suffix == ".fieldwork" for p in backup_dir(path).iterdir())  # it is there
