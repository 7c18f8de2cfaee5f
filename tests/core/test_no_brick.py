"""One op must not brick the inspection (issue 12, section 2): a bundle cannot delete the
inspection, its lead's membership or its form, and a file whose log already holds
`inspection.deleted = true` (as an older release let in) still imports, resolves,
restores, answers and reports."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from fieldwork.cli import main
from fieldwork.core.errors import BundleError, UserError
from fieldwork.core.storage import merge
from fieldwork.core.storage.store import Store
from fieldwork.core.sync import bundle
from tests.conftest import new_store
from tests.core import craft


def _old_release_write(store: Store, entity: str, row: str, field: str, value: object) -> None:
    """Write an op through the storage layer's own rules, as release 0.1.0's write path
    did (it had no guard on what may be deleted)."""
    with store.transaction():
        seen = merge.row_heads(store.conn, entity, row) if field == "deleted" else []
        merge.write_local(
            store.conn,
            [(entity, row, field, value, seen)],
            store.clock,
            store.device_id,
            store.author,
        )


def _team(tmp: Path) -> tuple[Store, Store, str]:
    lead = new_store(tmp / "lead.fieldwork")
    case = lead.insert("cases", {"ref": "X123456", "organisation": "NPS"})
    bundle.export_bundle(lead, tmp / "setup.zip")
    mate, _ = bundle.join_from_bundle(
        tmp / "setup.zip", tmp / "mate.fieldwork", None, member_name="Mate"
    )
    return lead, mate, case


def _delete_inspection(mate: Store) -> None:
    _old_release_write(mate, "inspection", mate.reads.inspection().id, "deleted", True)


def _delete_lead(mate: Store) -> None:
    lead = next(m for m in mate.reads.members() if m.role == "lead")
    _old_release_write(mate, "members", lead.id, "deleted", True)


def _drop_form(mate: Store) -> None:
    _old_release_write(mate, "inspection", mate.reads.inspection().id, "form_id", "no-such-form")


@pytest.mark.parametrize(
    "harm, why",
    [
        (_delete_inspection, "deletes the inspection itself"),
        (_delete_lead, "deletes the lead's membership"),
        (_drop_form, "a form neither this file nor the bundle holds"),
    ],
)
def test_a_bundle_cannot_remove_what_holds_the_inspection_together(
    tmp_path: Path, harm: Callable[[Store], None], why: str
) -> None:
    lead, mate, case = _team(tmp_path)
    try:
        mate.update("cases", case, {"office": "Kept back too"})
        harm(mate)
        bundle.export_bundle(mate, tmp_path / "harm.zip")
        before = (lead.audit.dump(), lead.audit.op_count())
        with pytest.raises(BundleError) as info:
            bundle.import_bundles(lead, [tmp_path / "harm.zip"])
        message = str(info.value)
        assert message.startswith("Refused:") and why in message and "\n" not in message
        assert (lead.audit.dump(), lead.audit.op_count()) == before
    finally:
        lead.close()
        mate.close()


def test_a_join_from_a_bundle_deleting_the_inspection_is_refused(tmp_path: Path) -> None:
    with new_store(tmp_path / "lead.fieldwork") as lead:
        bundle.export_bundle(lead, tmp_path / "setup.zip")
    ops = craft.ops_of(tmp_path / "setup.zip")
    inspection = next(o for o in ops if o["entity"] == "inspection")
    ops.append({**inspection, "op": "f" * 32, "field": "deleted", "value": True, "prev": []})
    ops[-1]["hlc"] = max(o["hlc"] for o in ops[:-1])[:-4] + "9999"
    craft.rewrite(tmp_path / "setup.zip", tmp_path / "bad.zip", ops)
    with pytest.raises(BundleError, match="deletes the inspection itself"):
        bundle.join_from_bundle(tmp_path / "bad.zip", tmp_path / "mate.fieldwork", None)
    assert not (tmp_path / "mate.fieldwork").exists()


def test_this_laptop_cannot_delete_the_inspection_or_its_lead(store: Store) -> None:
    with pytest.raises(UserError, match="inspection itself cannot be deleted"):
        store.delete("inspection", store.reads.inspection().id)
    with pytest.raises(UserError, match="lead cannot be removed"):
        store.delete("members", store.author)
    assert store.reads.has_inspection() and store.author in store.reads.member_names()


def test_a_log_holding_a_deleted_inspection_still_works(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lead, mate, case = _team(tmp_path)
    path = tmp_path / "lead.fieldwork"
    _delete_inspection(lead)  # the state an older release could reach
    _delete_lead(lead)
    lead.backups.take()
    lead.update("cases", case, {"office": "Lead's office"})
    mate.update("cases", case, {"office": "Mate's office"})
    bundle.export_bundle(mate, tmp_path / "mate.zip")
    mate.close()
    lead.close()
    errors: list[str] = []

    def run(*args: str) -> str:
        capsys.readouterr()
        assert main(list(args)) == 0, capsys.readouterr().err
        done = capsys.readouterr()
        errors.append(done.err)
        return done.out

    assert "1 conflicts" in run("bundle", "import", str(path), str(tmp_path / "mate.zip"))
    conflict = json.loads(run("conflicts", str(path), "--json"))[0]
    run("resolve", str(path), conflict["id"], "--take", "Agreed office")
    run("answer", str(path), "X123456", "risk_level", "high")
    assert json.loads(run("ratings", str(path), "--json"))["inspection"] == "Test inspection"
    run("report", str(path), str(tmp_path / "report.pdf"))
    run("bundle", "export", str(path), str(tmp_path / "out.zip"))
    with Store.open(path) as store:
        assert store.reads.case(case).office == "Agreed office"
        assert [m.role for m in store.reads.members()].count("lead") == 1
    run("restore", str(path))
    with Store.open(path) as store:
        assert store.reads.inspection().name == "Test inspection"
    # Nothing ever said the file "holds no inspection yet".
    assert not any("no inspection" in e for e in errors)
