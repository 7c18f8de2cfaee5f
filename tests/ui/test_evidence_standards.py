"""The Evidence register and Standards screens in the real main window, driven by keys
and clicks on a real standards-2018 demo file, then checked against what the file holds
(read through a connection of its own) and what `fieldwork ratings --json` says; the New
inspection dialog's method picker; the Findings screen's triangulation count."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QDialogButtonBox

from fieldwork.core.casework.evidence import triangulation
from fieldwork.core.demo.methods import make_method_demo
from fieldwork.core.storage import evidence_reads, method_reads
from fieldwork.core.storage.store import Store
from fieldwork.ui.evidence.register import NEW_TITLE, EvidenceScreen
from fieldwork.ui.shell.dialogs import NewInspectionDialog
from fieldwork.ui.standards.screen import StandardsScreen
from tests.ui.conftest import open_window
from tests.ui.test_new_or_join import FILE_PASSPHRASE, _menu_action, _open, _type, _when_dialog

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def rated_path(tmp_path: Path) -> Path:
    path = tmp_path / "rated.fieldwork"
    make_method_demo(path, "standards-2018", cases=20, interviews=6, seed=1).close()
    return path


def stored(path: Path):
    """The register, judgements, ratings and overrides as the file holds them."""
    with Store.open(path) as store:
        return (
            {e.id: e for e in evidence_reads.evidence(store)},
            evidence_reads.kq_judgements(store),
            evidence_reads.standard_judgements(store),
            evidence_reads.overrides(store),
        )


def choose(qtbot, combo: QComboBox, text: str) -> None:
    """Pick a choice by typing its first letters, as a person would."""
    combo.setFocus()
    qtbot.keyClicks(combo, text)
    assert combo.currentText().lower().startswith(text.lower()), (combo.accessibleName(), text)


def tick(qtbot, view, wanted: str) -> None:
    """Move to the first row whose text (after its indent) starts with, or else holds,
    `wanted`, and press Space."""
    view.setFocus()
    rows = [view.item(i).text().strip() for i in range(view.count())]
    row = next(
        (i for i, t in enumerate(rows) if t.startswith(wanted)),
        next(i for i, t in enumerate(rows) if wanted in t),
    )
    view.setCurrentRow(row)
    qtbot.keyClick(view, Qt.Key.Key_Space)


def test_the_register_adds_tags_edits_deletes_and_undoes(qtbot, rated_path: Path) -> None:
    window = open_window(qtbot, rated_path)
    qtbot.keyClick(window, Qt.Key.Key_8, CTRL)
    screen = window.screen_named("Evidence")
    assert isinstance(screen, EvidenceScreen) and window.current_screen() == "Evidence"
    before = set(stored(rated_path)[0])

    qtbot.keyClick(screen.new_button, Qt.Key.Key_N, ALT)  # New item: its title selected
    form = screen.form
    qtbot.waitUntil(form.title.hasFocus, timeout=2000)  # a mnemonic clicks after a moment
    assert form.title.hasFocus() and form.title.selectedText() == NEW_TITLE
    qtbot.keyClicks(form.title, "Focus group with responsible officers")
    qtbot.keyClick(form.title, Qt.Key.Key_Return)
    choose(qtbot, form.kind, "Focus")
    _type(qtbot, form.date, "2018-10-11")
    qtbot.keyClick(form.date, Qt.Key.Key_Return)
    _type(qtbot, form.attendees, "Six responsible officers")
    qtbot.keyClick(form.attendees, Qt.Key.Key_Return)
    form.notes.setFocus()
    qtbot.keyClicks(form.notes, "Caseloads are high; supervision is regular.")
    tick(qtbot, form.tags, "1.2 Staff")
    tick(qtbot, form.tags, "1.2.3")
    items = stored(rated_path)[0]
    assert len(items) == len(before) + 1
    new = next(e for e in items.values() if e.id not in before)
    assert new.title == "Focus group with responsible officers"
    assert (new.kind, new.date, new.attendees) == (
        "focus_group",
        "2018-10-11",
        "Six responsible officers",
    )
    assert new.notes == "Caseloads are high; supervision is regular."  # saved on leaving it
    assert set(new.targets) == {"1.2", "1.2.3"}

    # Edit: a new title, one tag off.
    form.title.setFocus()
    _type(qtbot, form.title, "Focus group with practitioners")
    qtbot.keyClick(form.title, Qt.Key.Key_Return)
    tick(qtbot, form.tags, "1.2.3")
    edited = stored(rated_path)[0][new.id]
    assert edited.title == "Focus group with practitioners" and edited.targets == ("1.2",)

    # Delete from the list with the Delete key; Ctrl+Z brings it back, tags and all.
    screen.select(new.id)
    screen.list.setFocus()
    qtbot.keyClick(screen.list, Qt.Key.Key_Delete)
    assert new.id not in stored(rated_path)[0]
    assert new.id not in [e.id for e in screen.items]
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    back = stored(rated_path)[0][new.id]
    assert back.title == "Focus group with practitioners" and back.targets == ("1.2",)
    qtbot.waitUntil(lambda: new.id in [e.id for e in screen.items], timeout=2000)
    window.close()


def test_the_lead_judges_rates_and_overrides_by_keyboard(qtbot, rated_path: Path, capsys) -> None:
    window = open_window(qtbot, rated_path)
    qtbot.keyClick(window, Qt.Key.Key_9, CTRL)
    screen = window.screen_named("Standards")
    assert isinstance(screen, StandardsScreen) and window.current_screen() == "Standards"
    org = screen.current_organisation()
    failures: list[str] = []
    window.session.failed.connect(failures.append)

    screen.list.setFocus()
    qtbot.keyClick(screen.list, Qt.Key.Key_Down)  # 1.1 -> 1.2 Staff
    assert screen.current_standard().id == "1.2"
    page = screen.judged
    row = page.rows["1.2.1"]
    choose(qtbot, row.judgement, "No")
    _type(qtbot, row.reason, "Caseloads above the workload tool's limit in two teams.")
    qtbot.keyClick(row.reason, Qt.Key.Key_Return)
    judged = stored(rated_path)[1][(org, "1.2.1")]
    assert judged.judgement == "no"
    assert judged.text == "Caseloads above the workload tool's limit in two teams."

    # The triangulation count beside each key question is core's.
    counts = triangulation(window.store, org)
    for kq_id, shown in page.rows.items():
        n = counts[kq_id].sources
        assert shown.sources.text().startswith(f"{n} source" if n else "No sources")

    # A rating without a justification is refused in one line; with one it is stored,
    # with the evidence ticked tied to the standard.
    choose(qtbot, page.rating, "Inadequate")
    page.justification.setFocus()
    page.justification.selectAll()
    qtbot.keyClick(page.justification, Qt.Key.Key_Delete)
    qtbot.mouseClick(page.record, Qt.MouseButton.LeftButton)
    assert failures and "\n" not in failures[-1]
    assert stored(rated_path)[2][(org, "1.2")].rating != "Inadequate"
    qtbot.keyClicks(page.justification, "Workloads are too high for sufficient supervision.")
    # Judging another key question meanwhile keeps the rating not yet recorded.
    choose(qtbot, page.rows["1.2.2"].judgement, "Yes")
    screen.refresh_view()  # as the change's refresh does
    assert page.justification.toPlainText().startswith("Workloads are too high")
    assert page.rating.currentData() == "Inadequate"
    register = stored(rated_path)[0]
    untied = next(e for e in register.values() if "1.2" not in e.targets)
    tick(qtbot, page.evidence, f": {untied.title}")
    ticked = set(page.ticked())
    qtbot.keyClick(page.record, Qt.Key.Key_Space)
    rating = stored(rated_path)[2][(org, "1.2")]
    assert rating.rating == "Inadequate"
    assert rating.justification == "Workloads are too high for sufficient supervision."
    after = stored(rated_path)[0]
    assert {e.id for e in after.values() if "1.2" in e.targets} == ticked

    # Professional discretion on 2.1: refused without a reason, stored with one.
    screen.select_standard("2.1")
    over = screen.overridden
    assert screen.pages.currentWidget() is over
    rule = next(s for s in screen.ratings.standards if s.id == "2.1").rule_rating
    wanted = next(r for r in ("Good", "Outstanding", "Requires improvement") if r != rule)
    choose(qtbot, over.rating, wanted)
    qtbot.mouseClick(over.override_button, Qt.MouseButton.LeftButton)
    assert "reason" in failures[-1]
    assert (org, "2.1") not in stored(rated_path)[3]
    over.reason.setFocus()
    qtbot.keyClicks(over.reason, "One office's cases skew the sample.")
    qtbot.keyClick(over.reason, Qt.Key.Key_Return)
    chosen = stored(rated_path)[3][(org, "2.1")]
    assert (chosen.rating, chosen.reason) == (wanted, "One office's cases skew the sample.")

    from fieldwork.cli import main

    capsys.readouterr()
    assert main(["ratings", str(rated_path), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    s21 = next(s for s in shown["organisations"][0]["standards"] if s["id"] == "2.1")
    assert s21["overridden"] and s21["override"]["reason"] == "One office's cases skew the sample."

    # Clear it: the rules' rating stands again; Ctrl+Z brings the override back.
    qtbot.waitUntil(over.clear_button.isEnabled, timeout=2000)
    qtbot.mouseClick(over.clear_button, Qt.MouseButton.LeftButton)
    assert (org, "2.1") not in stored(rated_path)[3]
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert stored(rated_path)[3][(org, "2.1")].rating == wanted
    window.close()


def test_a_method_that_rates_nothing_says_so(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "qi.fieldwork"
    make_method_demo(path, "quality-impact-2016", cases=20, interviews=6, seed=1).close()
    window = open_window(qtbot, path)
    screen = window.show_screen("Standards")
    assert isinstance(screen, StandardsScreen)
    assert screen.unrated.isVisible() and "no ratings" in screen.unrated.text()
    assert not screen.judged.isVisible() and not screen.overridden.isVisible()
    assert not screen.list.isVisible()
    window.close()


def test_the_findings_screen_shows_the_triangulation_count(qtbot, rated_path: Path) -> None:
    window = open_window(qtbot, rated_path)
    panel = window.show_screen("Findings")
    text = panel.triangulation.text()
    with Store.open(rated_path) as store:
        mf = method_reads.method_forms(store)
        for org in store.reads.inspection().organisations:
            counts = triangulation(store, org)
            for s in mf.method.standards_for(org):
                if s.basis != "judgement":
                    continue
                n = ", ".join(str(counts[k.id].sources) for k in mf.key_questions(s))
                assert f"{s.label} {n}" in text
    window.close()


def test_a_new_inspection_under_a_method_from_the_dialog(
    qtbot, rated_path: Path, tmp_path: Path
) -> None:
    dest = tmp_path / "durham.fieldwork"
    window = _open(qtbot, rated_path)

    def create(dialog: NewInspectionDialog) -> None:
        assert dialog.form.currentText().startswith("Method: Standards framework")
        dialog.form.setFocus()
        qtbot.keyClick(dialog.form, Qt.Key.Key_Down)  # the next method: quality and impact
        assert "Quality and impact" in dialog.form.currentText()
        _type(qtbot, dialog.name, "Quality and impact in Durham")
        _type(qtbot, dialog.file.path, str(dest))
        _type(qtbot, dialog.file.pass1, FILE_PASSPHRASE)
        _type(qtbot, dialog.file.pass2, FILE_PASSPHRASE)
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    _when_dialog(qtbot, create, NewInspectionDialog)
    _menu_action(window, "newInspection").trigger()
    qtbot.waitUntil(lambda: window.launcher.window is not window, timeout=10_000)
    made = window.launcher.window
    try:
        method = method_reads.method(made.store)
        assert method.id == "quality-impact-2016" and not method.rated
        assert made.store.reads.inspection().name == "Quality and impact in Durham"
    finally:
        made.close()
        QApplication.processEvents()


def rated_states(window) -> list[tuple[str, Callable[[], None]]]:
    """The new screens on a rated inspection: the register, a judgement-rated standard,
    and a case-based standard with its professional discretion."""

    def standard(standard_id: str) -> Callable[[], None]:
        def show() -> None:
            screen = window.show_screen("Standards")
            screen.select_standard(standard_id)

        return show

    return [
        ("Evidence", lambda: window.show_screen("Evidence")),
        ("Standards, 1.1 judged", standard("1.1")),
        ("Standards, 2.4 overridden", standard("2.4")),
    ]


def test_the_new_screens_by_keyboard_and_at_both_sizes(qtbot, rated_path: Path) -> None:
    """As the accessibility walk and the layout check do for every screen (their
    one-form demo has no judgement-rated standard): names, roles, Tab, focus, fit."""
    from tests.ui.fit import clipped
    from tests.ui.test_accessibility import walk
    from tests.ui.test_layout_fits import (
        DESKTOP_FONT_SCALE,
        SIZES,
        app_font_scaled,
        labels_and_headers,
        settle,
    )

    window = open_window(qtbot, rated_path)
    problems = []
    for width, height in SIZES:
        window.resize(width, height)
        settle()
        for name, show in rated_states(window):
            show()
            settle()
            assert (window.width(), window.height()) == (width, height), name
            problems += [f"{width}x{height} {name}: {p}" for p in clipped(window)]
            window.activateWindow()
            if width == SIZES[0][0]:
                problems += walk(qtbot, window, window.nav, name)
    with app_font_scaled(DESKTOP_FONT_SCALE):
        for name, show in rated_states(window):
            show()
            settle()
            problems += [f"larger font {name}: {p}" for p in labels_and_headers(window)]
    assert not problems, "\n".join(problems)
    window.close()
