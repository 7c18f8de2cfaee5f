"""Convergence that can't be broken (issue 12, section 4): a second body under a known op
id, an op listing itself, a later op or an op nobody holds in `prev`, and a form changed
without a new version are refused whole; conflict ids are unique; the ratings and report
say which form they used."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from fieldwork.cli import main
from fieldwork.core.errors import BundleError
from fieldwork.core.scoring import ratings_json, score_store
from fieldwork.core.storage.clock import wall_ms
from fieldwork.core.storage.store import Store
from fieldwork.core.sync import bundle
from fieldwork.core.sync.forms import form_change_allowed
from tests.conftest import new_store
from tests.core import craft

FORM = "adult-case-supervision"


def _team(tmp: Path) -> tuple[Store, Store, str]:
    lead = new_store(tmp / "lead.fieldwork")
    case = lead.insert("cases", {"ref": "X123456", "organisation": "NPS"})
    bundle.export_bundle(lead, tmp / "setup.zip")
    mate, _ = bundle.join_from_bundle(
        tmp / "setup.zip", tmp / "mate.fieldwork", None, member_name="Mate"
    )
    return lead, mate, case


def _state(store: Store) -> tuple[dict, int, dict]:
    return store.audit.dump(), store.audit.op_count(), store.reads.form_versions()


def _refused(store: Store, path: Path, why: str) -> None:
    before = _state(store)
    with pytest.raises(BundleError) as info:
        bundle.import_bundles(store, [path])
    message = str(info.value)
    assert message.startswith("Refused:") and why in message and "\n" not in message, message
    assert _state(store) == before


@pytest.fixture
def team(tmp_path: Path):
    lead, mate, case = _team(tmp_path)
    mate.update("cases", case, {"office": "Office A"})
    mate.update("cases", case, {"officer": "Officer A"})
    mate.update("cases", case, {"office": "Office C"})
    bundle.export_bundle(mate, tmp_path / "mate.zip")
    yield lead, mate, case, tmp_path
    lead.close()
    mate.close()


def _office(ops: list[dict[str, Any]], value: str) -> dict[str, Any]:
    return next(o for o in ops if o["field"] == "office" and o["value"] == value)


def test_a_second_body_under_a_known_op_id_is_refused(team) -> None:
    lead, _, case, tmp = team
    bundle.import_bundles(lead, [tmp / "mate.zip"])
    ops = craft.ops_of(tmp / "mate.zip")
    _office(ops, "Office A")["value"] = "Office B"  # the same op, another value
    _refused(lead, craft.rewrite(tmp / "mate.zip", tmp / "b.zip", ops), "a different content")
    assert lead.reads.case(case).office == "Office C"


def test_one_op_id_twice_in_a_bundle_with_two_bodies_is_refused(team) -> None:
    lead, _, _, tmp = team
    ops = craft.ops_of(tmp / "mate.zip")
    twin = {**_office(ops, "Office A"), "value": "Office B"}
    twin["hlc"] = twin["hlc"][:-4] + "9999"  # ordered after the first, so not "out of order"
    path = craft.rewrite(tmp / "mate.zip", tmp / "twice.zip", [*ops, twin])
    _refused(lead, path, "a different content")


def test_a_join_from_a_bundle_with_two_bodies_under_one_id_is_refused(tmp_path: Path) -> None:
    with new_store(tmp_path / "lead.fieldwork") as lead:
        lead.insert("cases", {"ref": "X123456", "organisation": "NPS"})
        bundle.export_bundle(lead, tmp_path / "setup.zip")
    ops = craft.ops_of(tmp_path / "setup.zip")
    twin = {**next(o for o in ops if o["field"] == "ref"), "value": "X999999"}
    twin["hlc"] = twin["hlc"][:-4] + "9999"
    craft.rewrite(tmp_path / "setup.zip", tmp_path / "bad.zip", [*ops, twin])
    with pytest.raises(BundleError, match="a different content"):
        bundle.join_from_bundle(tmp_path / "bad.zip", tmp_path / "mate.fieldwork", None)
    assert not (tmp_path / "mate.fieldwork").exists()


def _prev_to(ops: list[dict[str, Any]], which: str) -> list[dict[str, Any]]:
    """The mate's first office edit made to list in `prev`: itself, the later office
    edit, or an op no one holds."""
    first, later = _office(ops, "Office A"), _office(ops, "Office C")
    first["prev"] = {
        "itself": [first["op"]],
        "later": [later["op"]],
        "unknown": ["e" * 32],
    }[which]
    return ops


@pytest.mark.parametrize(
    "which, why",
    [
        ("itself", "lists itself"),
        ("later", "dated at or after it"),
        ("unknown", "neither this file nor the bundle holds"),
    ],
)
def test_prev_must_list_only_earlier_ops_that_are_held(team, which: str, why: str) -> None:
    lead, _, _, tmp = team
    ops = _prev_to(craft.ops_of(tmp / "mate.zip"), which)
    _refused(lead, craft.rewrite(tmp / "mate.zip", tmp / f"{which}.zip", ops), why)


@pytest.mark.parametrize("which", ["itself", "later", "unknown"])
def test_a_join_refuses_the_same_prev_rules(tmp_path: Path, which: str) -> None:
    with new_store(tmp_path / "lead.fieldwork") as lead:
        case = lead.insert("cases", {"ref": "X123456", "organisation": "NPS"})
        lead.update("cases", case, {"office": "Office A"})
        lead.update("cases", case, {"office": "Office C"})
        bundle.export_bundle(lead, tmp_path / "setup.zip")
    ops = _prev_to(craft.ops_of(tmp_path / "setup.zip"), which)
    craft.rewrite(tmp_path / "setup.zip", tmp_path / "bad.zip", ops)
    with pytest.raises(BundleError, match="Refused: the change"):
        bundle.join_from_bundle(tmp_path / "bad.zip", tmp_path / "mate.fieldwork", None)


def test_edit_delete_undo_against_a_delete_gives_two_resolvable_conflicts(
    tmp_path: Path,
) -> None:
    lead, mate, case = _team(tmp_path)
    mate.update("cases", case, {"office": "Edited"})
    deleted = mate.delete("cases", case)
    mate.undo(deleted)
    lead.clock.now = lambda: wall_ms() + 1000  # surely later (not the same millisecond)
    lead.delete("cases", case)  # and without seeing any of it
    bundle.export_bundle(mate, tmp_path / "mate.zip")
    mate.close()
    bundle.import_bundles(lead, [tmp_path / "mate.zip"])
    found = lead.reads.conflicts()
    lead.close()
    assert sorted(c.kind for c in found) == ["deleted", "edit"]
    assert len({c.id for c in found}) == 2
    # Each one resolves by its id (on a copy each), and then nothing is left open.
    for n, (conflict, take) in enumerate(zip(found, ("keep", "delete"), strict=True)):
        copy = tmp_path / f"copy{n}.fieldwork"
        shutil.copy(tmp_path / "lead.fieldwork", copy)
        assert main(["resolve", str(copy), conflict.id, "--take", take]) == 0
        with Store.open(copy) as store:
            for left in store.reads.conflicts():
                store.resolve(left.id, take == "delete")
            assert store.reads.conflicts() == []
            assert (store.reads.case(case) is None) == (take == "delete")


# ------------------------------------------------------------------ forms


def _form(tmp: Path, *, version: int, title: str) -> dict[str, bytes]:
    with Store.open(tmp / "lead.fieldwork") as lead:
        text = lead.reads.form_sources()[FORM]
    text = re.sub(r"^version: \d+$", f"version: {version}", text, count=1, flags=re.M)
    text = text.replace("title: Case supervision (adult probation)", f"title: {title}", 1)
    return {f"forms/{FORM}.yaml": text.encode()}


def test_a_different_form_under_the_same_version_is_refused(team) -> None:
    lead, _, _, tmp = team
    version = lead.reads.form().version
    lead.close()
    changed = _form(tmp, version=version, title="Quietly changed")
    ops = craft.ops_of(tmp / "mate.zip")
    path = craft.rewrite(tmp / "mate.zip", tmp / "form.zip", ops, files=changed)
    with Store.open(tmp / "lead.fieldwork") as lead:
        _refused(lead, path, "differs from the one this file holds")
        assert lead.reads.form().title == "Case supervision (adult probation)"


def test_a_higher_form_version_replaces_a_lower_one_never(team) -> None:
    """Changing the form is the lead's act (issue 12): a higher version in a bundle not
    signed by the lead is set aside; the lead's replaces the form; a lower one never."""
    lead, mate, _, tmp = team
    lead.close()
    ops = craft.ops_of(tmp / "mate.zip")
    version = mate.reads.form().version
    higher = version + 1
    newer = craft.rewrite(
        tmp / "mate.zip", tmp / "v2.zip", ops, files=_form(tmp, version=higher, title="Second")
    )
    (r,) = bundle.import_bundles(mate, [newer])
    assert r.forms_set_aside == (FORM,) and mate.reads.form().version == version
    assert form_change_allowed(mate, mate.author) is False
    with Store.open(tmp / "lead.fieldwork") as lead:
        assert form_change_allowed(mate, lead.author) is True
        text = _form(tmp, version=higher, title="Second")[f"forms/{FORM}.yaml"].decode()
        lead.add_form(text)
        bundle.export_bundle(lead, tmp / "lead-v2.zip")
    bundle.import_bundles(mate, [tmp / "lead-v2.zip"])
    assert (mate.reads.form().version, mate.reads.form().title) == (higher, "Second")
    older = craft.rewrite(
        tmp / "mate.zip", tmp / "v1.zip", ops, files=_form(tmp, version=version, title="Old")
    )
    bundle.import_bundles(mate, [older])  # a lower version: nothing changes
    assert mate.reads.form_versions()[FORM][0] == higher


def test_ratings_and_report_say_which_form_they_used(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    form = store.reads.form()
    data = ratings_json(score_store(store))
    assert (data["form"], data["form_version"], data["form_hash"]) == (
        FORM,
        form.version,
        form.hash[:12],
    )
    store.close()
    assert main(["report", str(store.path), str(tmp_path / "r.pdf")]) == 0
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "r.pdf").pages[:2])
    assert f"{FORM} version {form.version} ({form.hash[:12]})" in " ".join(text.split())
