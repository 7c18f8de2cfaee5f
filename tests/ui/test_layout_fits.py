"""Layout that fits: on a 1366x768 and a 1280x720 screen no label, header, button, tab or
hint of any screen or dialog is cut off (each text measured with its own font against
the room its widget has), nothing makes the window wider or taller than the screen, and
text a window made narrower has to wrap still gets the height it needs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEventLoop, QThread
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from fieldwork.ui.review.judgement import JudgementRow
from tests.ui.fit import clipped, header_problems, label_problem

SIZES = ((1366, 768), (1280, 720))
DESKTOP_FONT_SCALE = 11 / 9  # the app's 9 pt, and the 11 pt many Linux desktops use


def settle(rounds: int = 6) -> None:
    for _ in range(rounds):
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        QThread.msleep(10)


def screen_states(window) -> list[tuple[str, Callable[[], None]]]:
    """Every screen, and the states of the review that add text: a case open, an
    override waiting for its reason, quality assurance."""
    reads = window.store.reads

    def review() -> None:
        window.open_case(next(c for c in reads.cases() if c.status == "draft").id)

    def override() -> None:
        review()
        editor = window.review_editor()
        kq = next(k for k, v in editor._suggestions.items() if v)
        editor.focus_question(kq)
        settle()
        row = editor.rows[kq]
        assert isinstance(row, JudgementRow)
        row._choose("no" if row.suggested == "yes" else "yes")
        assert row.reason.isVisible()

    def quality_assurance() -> None:
        me = window.session.me
        case = next(c for c in reads.cases() if c.status == "complete")
        window.store.update("cases", case.id, {"qa_inspector": me})
        window.session.external_change()
        window.open_case(case.id)
        assert window.review_editor().qa_box.isVisible()

    def interviews() -> None:
        window.show_screen("Interviews").open_interview(reads.interviews()[0].id)

    return [
        ("Overview", lambda: window.show_screen("Overview")),
        ("Cases", lambda: window.show_screen("Cases")),
        ("Review", review),
        ("Review, overriding a judgement", override),
        ("Review, quality assurance", quality_assurance),
        ("Interviews", interviews),
        ("Sync", lambda: window.show_screen("Sync")),
        ("Findings", lambda: window.show_screen("Findings")),
        ("Moderation", lambda: window.show_screen("Moderation")),
        ("Evidence", lambda: window.show_screen("Evidence")),
        ("Standards", lambda: window.show_screen("Standards")),
    ]


def dialogs(window) -> list[tuple[str, Callable[[], QDialog]]]:
    """Every dialog of the menus, opened as a person would, the one shown returned."""

    def menu(name: str, attribute: str) -> Callable[[], QDialog]:
        def open_it() -> QDialog:
            window.findChild(QAction, name).trigger()
            return getattr(window, attribute)

        return open_it

    def modal(make: Callable[[], QDialog]) -> Callable[[], QDialog]:
        def open_it() -> QDialog:
            dialog = make()
            dialog.show()
            return dialog

        return open_it

    from fieldwork.ui.cases.case_import import CaseImportDialog
    from fieldwork.ui.interviews.quotes import QuoteTagDialog
    from fieldwork.ui.shell.dialogs import (
        ChangePassphraseDialog,
        NewInspectionDialog,
        PassphraseDialog,
        SettingsDialog,
    )
    from fieldwork.ui.shell.interop import FormImportDialog
    from fieldwork.ui.shell.join_dialog import JoinDialog

    def search() -> QDialog:
        window.open_search()
        return window.search_dialog

    return [
        ("New inspection", modal(lambda: NewInspectionDialog(window.settings, window))),
        ("Join an inspection", modal(lambda: JoinDialog(window.settings, window))),
        ("Passphrase", modal(lambda: PassphraseDialog("d.fieldwork", lambda _: None, window))),
        ("Change passphrase", modal(lambda: ChangePassphraseDialog(window))),
        ("Settings", modal(lambda: SettingsDialog(window.settings, window))),
        ("Case import", modal(lambda: CaseImportDialog(window.session, window.tasks, window))),
        ("Form import", modal(lambda: FormImportDialog(window))),
        ("Quote tags", modal(lambda: QuoteTagDialog("A passage.", ["2.1 Assessment"], [], window))),
        ("Search", search),
        ("Setup bundle", menu("makeSetupBundle", "lead_dialog")),
        ("Team and keys", menu("teamKeys", "lead_dialog")),
        ("Sync history", menu("syncHistory", "lead_dialog")),
        ("Export data", menu("export_xlsx", "lead_dialog")),
        ("Guide", menu("helpGuide", "help_dialog")),
        ("Keyboard shortcuts", menu("helpShortcuts", "help_dialog")),
        ("About", menu("helpAbout", "help_dialog")),
    ]


@contextmanager
def app_font_scaled(scale: float) -> Iterator[None]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    old = app.font()
    bigger = app.font()
    bigger.setPointSizeF(old.pointSizeF() * scale)
    app.setFont(bigger)
    try:
        yield
    finally:
        app.setFont(old)


def walk_screens(window, check: Callable[[QWidget], list[str]]) -> list[str]:
    """Each screen at each size, larger first (as a window made narrower): what fails."""
    problems = []
    for width, height in SIZES:
        window.resize(width, height)
        settle()
        for name, show in screen_states(window):
            show()
            settle()
            assert (window.width(), window.height()) == (width, height), (
                f"{name} forces the window to {window.width()}x{window.height()}"
            )
            problems += [f"{width}x{height} {name}: {p}" for p in check(window)]
    return problems


def test_every_screen_fits_at_1366_and_1280(qtbot, window) -> None:
    problems = walk_screens(window, clipped)
    assert not problems, "\n".join(problems)


def test_every_dialog_fits_its_text(qtbot, window) -> None:
    problems = []
    for width, height in SIZES:
        window.resize(width, height)
        settle()
        for name, open_dialog in dialogs(window):
            dialog = open_dialog()
            settle()
            assert dialog.isVisible(), name
            assert dialog.width() <= width and dialog.height() <= height, name
            problems += [f"{width}x{height} {name}: {p}" for p in clipped(dialog)]
            if window.tasks.busy():
                window.tasks.wait(20_000)
            dialog.close()
            settle(2)
    assert not problems, "\n".join(problems)


def labels_and_headers(root: QWidget) -> list[str]:
    from PySide6.QtWidgets import QHeaderView, QLabel

    found: list[Any] = [label_problem(w) for w in root.findChildren(QLabel)]
    for header in root.findChildren(QHeaderView):
        found += header_problems(header)
    return [p for p in found if p]


def test_labels_and_headers_fit_with_a_larger_desktop_font(qtbot, window) -> None:
    with app_font_scaled(DESKTOP_FONT_SCALE):
        problems = walk_screens(window, labels_and_headers)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("text", ["2.3 Implementation and delivery"])
def test_the_ratings_header_shows_the_whole_standard(qtbot, window, text: str) -> None:
    panel = window.show_screen("Findings")
    window.resize(1280, 720)
    settle()
    header = panel.ratings.horizontalHeader()
    model = header.model()
    shown = [model.headerData(i, header.orientation()) for i in range(header.count())]
    assert any(" ".join(s.split()) == text for s in shown)
    assert header_problems(header) == []
