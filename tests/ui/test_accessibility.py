"""Keyboard and assistive technology (WCAG 2.2 AA), walked as a keyboard user would:
in every screen and dialog, Tab reaches every control and comes back round, in the order
they are seen in dialogs, focus is always visible, every control tells a screen reader
its name and role, and text is dark (or light) enough to read."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QWidget

from fieldwork.core.sync import bundle
from fieldwork.ui.shell.join_dialog import JoinDialog
from tests.ui.a11y import (
    controls,
    describe,
    first_seen,
    focused,
    low_contrast,
    tab_cycle,
    unnamed,
)
from tests.ui.test_layout_fits import dialogs, screen_states, settle


def place(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def out_of_visual_order(chain: list[QWidget]) -> list[str]:
    """Steps of the tab chain that go back: up and to the left, or left along a row."""
    problems = []
    for a, b in zip(chain, chain[1:], strict=False):
        ra, rb = place(a), place(b)
        same_row = rb.top() < ra.bottom() and ra.top() < rb.bottom()
        back_up = rb.bottom() <= ra.top() and rb.left() < ra.right()
        back_left = same_row and rb.right() <= ra.left()
        if back_up or back_left:
            problems.append(f"{describe(a)} -> {describe(b)}")
    return problems


def walk(qtbot, root: QWidget, start: QWidget, what: str) -> list[str]:
    """Everything wrong with `root` for a keyboard or screen-reader user, one line each."""
    start.setFocus()  # what shows only while it has the focus (a reason box) goes now
    settle(2)
    expected = controls(root)
    try:
        reached, unseen = tab_cycle(qtbot, start)
    except AssertionError as exc:
        return [f"{what}: {exc}"]
    problems = [f"{what}: {p} has no accessible name or role" for p in unnamed(root)]
    problems += [f"{what}: low contrast: {p}" for p in low_contrast(root)]
    problems += [f"{what}: Tab never reaches {describe(w)}" for w in expected if w not in reached]
    problems += [f"{what}: focus not visible on {u}" for u in unseen]
    return problems


def test_the_join_dialog_tabs_down_the_form_as_it_is_seen(qtbot, window, tmp_path: Path) -> None:
    sealed = tmp_path / "setup.bundle"
    bundle.export_bundle(window.store, sealed, passphrase="told in person, once only")
    dialog = JoinDialog(window.settings, window)
    qtbot.addWidget(dialog)
    dialog.bundle.setText(str(sealed))  # sealed: the passphrase field is in use
    dialog.show()
    qtbot.waitExposed(dialog)
    chain, _ = tab_cycle(qtbot, dialog.bundle)
    names = [w.objectName() or w.accessibleName() or w.text() for w in chain]  # type: ignore[attr-defined]
    at = names.index
    assert at("setupBundle") < at("Bundle_passphrase") < at("yourName") < at("newFilePath")
    assert at("Bundle_passphrase") == at("setupBundle") + 2  # the bundle's Browse… between
    assert out_of_visual_order(chain) == []
    dialog.close()


def test_every_dialog_by_keyboard(qtbot, window) -> None:
    window.resize(1366, 768)
    problems = []
    for name, open_dialog in dialogs(window):
        dialog = open_dialog()
        qtbot.waitExposed(dialog)
        if window.tasks.busy():
            window.tasks.wait(20_000)
        settle()
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
        start = focused() if focused() in controls(dialog) else first_seen(controls(dialog))
        problems += walk(qtbot, dialog, start, name)
        try:
            chain, _ = tab_cycle(qtbot, first_seen(controls(dialog)))
        except AssertionError:
            chain = []  # said above
        problems += [f"{name}: out of visual order {p}" for p in out_of_visual_order(chain)]
        dialog.close()
        settle(2)
    assert not problems, "\n".join(problems)


def test_every_screen_by_keyboard(qtbot, window) -> None:
    window.resize(1366, 768)
    problems = []
    for name, show in screen_states(window):
        show()
        settle()
        window.activateWindow()
        problems += walk(qtbot, window, window.nav, name)
    assert not problems, "\n".join(problems)


def test_faint_red_and_status_text_are_readable_on_light_and_dark_palettes(qtbot) -> None:
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QApplication

    from fieldwork.ui.widgets.colours import TEXT_CONTRAST, contrast, status_colour
    from fieldwork.ui.widgets.labels import in_colour, in_error_colour, muted, plain_label

    app = QApplication.instance()
    before = app.palette()
    try:
        for window_colour, text_colour in (("#efefef", "#000000"), ("#2d2d2d", "#f0f0f0")):
            palette = QPalette(before)
            palette.setColor(QPalette.ColorRole.Window, QColor(window_colour))
            palette.setColor(QPalette.ColorRole.WindowText, QColor(text_colour))
            palette.setColor(QPalette.ColorRole.PlaceholderText, QColor(128, 128, 128, 160))
            app.setPalette(palette)
            for label in (
                muted(plain_label("Area")),
                in_error_colour(plain_label("That passphrase is wrong.")),
                in_colour(plain_label("● Draft"), status_colour("draft")),
            ):
                qtbot.addWidget(label)
                shown = label.palette().color(QPalette.ColorRole.WindowText)
                assert contrast(shown, QColor(window_colour)) >= TEXT_CONTRAST, label.text()
    finally:
        app.setPalette(before)
