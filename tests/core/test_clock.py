"""The hybrid clock is bounded (issue 12, section 1): a bundle dated far ahead is refused
whole, naming the laptop; the local clock never follows a far-ahead op whatever the log
holds; a laptop whose clock is far wrong says so; every line exported is checked; and
every time shown survives any clock value."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from fieldwork.cli import main
from fieldwork.core.errors import BundleError, FieldworkError
from fieldwork.core.model import Op
from fieldwork.core.storage.clock import (
    MAX_AHEAD_MS,
    Clock,
    format_hlc,
    hlc_text,
    parse_hlc,
    wall_ms,
)
from fieldwork.core.storage.store import Store
from fieldwork.core.sync import bundle
from tests.conftest import new_store
from tests.core import craft

DAY = 24 * 60 * 60 * 1000
FAR = "9999999999999999-9999"


def _team(tmp: Path) -> tuple[Store, Store, str]:
    """A lead's file, a teammate ("Mate") joined from it, and one case."""
    lead = new_store(tmp / "lead.fieldwork")
    case = lead.insert("cases", {"ref": "X123456", "organisation": "NPS"})
    bundle.export_bundle(lead, tmp / "setup.zip")
    mate, _ = bundle.join_from_bundle(
        tmp / "setup.zip", tmp / "mate.fieldwork", None, member_name="Mate"
    )
    return lead, mate, case


def _state(store: Store) -> tuple[dict, int]:
    return store.audit.dump(), store.audit.op_count()


def _foreign(store: Store, case: str, hlc: str, value: str = "Far office") -> Op:
    """An op another laptop wrote, as an older release would have taken it in."""
    return Op(
        uuid.uuid4().hex, hlc, uuid.uuid4().hex, store.author, "cases", case, "office", value, ()
    )


def test_a_bundle_dated_days_ahead_is_refused_whole_naming_the_laptop(tmp_path: Path) -> None:
    lead, mate, case = _team(tmp_path)
    try:
        mate.update("cases", case, {"officer": "On time"})
        mate.clock.now = lambda: wall_ms() + 3 * DAY  # this laptop's clock is 3 days fast
        mate.update("cases", case, {"office": "Three days ahead"})
        bundle.export_bundle(mate, tmp_path / "fast.zip")  # exported: its own time is fine
        before = _state(lead)
        with pytest.raises(BundleError) as info:
            bundle.import_bundles(lead, [tmp_path / "fast.zip"])
        message = str(info.value)
        assert "\n" not in message and message.startswith("Refused:")
        assert "Mate's laptop" in message and mate.device_id[:8] in message
        assert "3 days ahead" in message
        assert _state(lead) == before  # not even the op that was on time
    finally:
        lead.close()
        mate.close()


def test_a_bundle_within_the_margin_is_taken_and_the_clock_follows(tmp_path: Path) -> None:
    lead, mate, case = _team(tmp_path)
    try:
        mate.clock.now = lambda: wall_ms() + 20 * 60 * 60 * 1000  # 20 hours fast
        ahead = mate.update("cases", case, {"office": "Twenty hours ahead"})[0]
        bundle.export_bundle(mate, tmp_path / "b.zip")
        bundle.import_bundles(lead, [tmp_path / "b.zip"])
        assert lead.reads.case(case).office == "Twenty hours ahead"
        mine = lead.update("cases", case, {"office": "Later here"})[0]
        assert mine.hlc > ahead.hlc  # a later edit here still sorts after what it replaced
        assert lead.reads.case(case).office == "Later here"
    finally:
        lead.close()
        mate.close()


def test_a_crafted_op_dated_year_9999_is_refused_and_verify_shows_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lead, mate, case = _team(tmp_path)
    mate.update("cases", case, {"office": "Real"})
    bundle.export_bundle(mate, tmp_path / "real.zip")
    mate.close()
    ops = craft.ops_of(tmp_path / "real.zip")
    ops[-1]["hlc"] = FAR
    craft.rewrite(tmp_path / "real.zip", tmp_path / "far.zip", ops)
    lead.close()
    before = (tmp_path / "lead.fieldwork").read_bytes()
    capsys.readouterr()
    assert main(["bundle", "verify", str(tmp_path / "far.zip")]) == 0
    shown = capsys.readouterr().out
    assert "after the year 9999" in shown and "warning" in shown and "refuses it" in shown
    assert (
        main(["bundle", "import", str(tmp_path / "lead.fieldwork"), str(tmp_path / "far.zip")]) == 1
    )
    err = capsys.readouterr().err
    assert err.startswith("fieldwork: error: Refused:") and err.count("\n") == 1
    assert "Mate's laptop" in err and "after the year 9999" in err
    assert (tmp_path / "lead.fieldwork").read_bytes() == before


def test_an_old_file_holding_a_year_9999_op_still_stamps_edits_sanely(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "old.fieldwork"
    store = new_store(path)
    case = store.insert("cases", {"ref": "X123456", "organisation": "NPS"})
    store.apply_ops([_foreign(store, case, FAR)])  # as release 0.1.0 took it in
    store.close()
    with Store.open(path) as store:
        warning = store.audit.clock_warning()
        assert warning is not None and "after the year 9999" in warning
        before = wall_ms()
        op = store.update("cases", case, {"officer": "Next edit"})[0]
        ms, _ = parse_hlc(op.hlc)  # 16 digits, never 17
        assert before <= ms <= wall_ms() + MAX_AHEAD_MS
    # The command line says so whenever it opens the file, and goes on.
    capsys.readouterr()
    assert main(["dump", str(path), "--json"]) == 0
    captured = capsys.readouterr()
    assert captured.err.startswith("fieldwork: note: This laptop's clock reads")
    assert json.loads(captured.out)["cases"][0]["officer"] == "Next edit"


def test_export_checks_every_line_it_writes(tmp_path: Path) -> None:
    """A 17-digit stamp an old release wrote after following a year-9999 op is refused
    at export, whatever line it is on, rather than sent to teammates who refuse it."""
    path = tmp_path / "old.fieldwork"
    store = new_store(path)
    case = store.insert("cases", {"ref": "X123456", "organisation": "NPS"})
    store.apply_ops([_foreign(store, case, "10000000000000000-0000", "Seventeen digits")])
    store.apply_ops([_foreign(store, case, FAR)])  # the last line is well formed
    store.close()
    with Store.open(path) as store:
        with pytest.raises(FieldworkError) as info:
            bundle.export_bundle(store, tmp_path / "out.zip")
        assert "bad clock value" in str(info.value) and "\n" not in str(info.value)
    assert not (tmp_path / "out.zip").exists()


def test_a_clock_before_the_file_was_made_says_so(tmp_path: Path) -> None:
    with new_store(tmp_path / "a.fieldwork") as store:
        assert store.audit.clock_warning() is None
        store.clock.now = lambda: wall_ms() - 3 * 60 * 60 * 1000  # three hours slow
        warning = store.audit.clock_warning()
        assert warning is not None and "before this file was created" in warning
        store.clock.now = lambda: wall_ms() - 3 * DAY  # days slow: the file looks ahead
        warning = store.audit.clock_warning()
        assert warning is not None and "ahead of it" in warning


def test_the_clock_never_goes_past_its_bound() -> None:
    now = 1_764_105_600_000
    clock = Clock(now=lambda: now)
    assert not clock.observe(format_hlc(now + MAX_AHEAD_MS + 1, 0))  # not followed
    assert clock.tick() == format_hlc(now, 0)
    assert clock.observe(format_hlc(now + 5, 9999))
    assert clock.tick() == format_hlc(now + 6, 0)  # the counter carries, never 5 digits
    clock.ms, clock.counter = now + 3 * DAY, 0  # the wall clock went back three days
    assert parse_hlc(clock.tick())[0] == now + MAX_AHEAD_MS
    assert Clock("garbage", now=lambda: now).tick() == format_hlc(now, 0)
    assert Clock(FAR, now=lambda: now).tick() == format_hlc(now, 0)
    with pytest.raises(ValueError):
        format_hlc(10**16, 0)


@pytest.mark.parametrize(
    "hlc, shown",
    [
        (None, "-"),
        ("0001764105600123-0000", "2025-11-25 21:20:00 UTC"),
        (FAR, "after the year 9999"),
        ("10000000000000000-0000", "an unreadable time"),
        ("not a clock", "an unreadable time"),
    ],
)
def test_times_render_whatever_the_value(hlc: str | None, shown: str) -> None:
    assert hlc_text(hlc).startswith(shown)
    assert hlc_text(hlc, "%d %b %Y %H:%M", local=True)


def test_conflicts_dated_past_9999_still_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "old.fieldwork"
    with new_store(path) as store:
        case = store.insert("cases", {"ref": "X123456", "organisation": "NPS"})
        store.update("cases", case, {"office": "Here"})
        first = store.reads.case(case)
        assert first is not None
        heads = store.audit.history("cases", case, "office")
        store.apply_ops(
            [
                Op(
                    uuid.uuid4().hex,
                    FAR,
                    uuid.uuid4().hex,
                    store.author,
                    "cases",
                    case,
                    "office",
                    "There",
                    heads[0].prev,
                )
            ]
        )
        assert store.reads.conflicts()
    capsys.readouterr()
    assert main(["conflicts", str(path)]) == 0
    assert "after the year 9999" in capsys.readouterr().out
