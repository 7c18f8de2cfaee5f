"""Files written by release 0.1.0 keep working (tests/fixtures/golden/, never rewritten).

Each test works on a COPY. An inspection made with one form opens as a single-instrument
inspection under the method of its form; its dump is the dump 0.1.0 wrote (plus the
empty tables and null fields of later schemas), its bundle carries the same change log
and still states schema 1 (so a teammate on 0.1.0 can read it), and its report is drawn.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from fieldwork.cli import main
from fieldwork.core.report import gather, render
from fieldwork.core.schema import ADDED_IN, ENTITIES
from fieldwork.core.scoring import score_store
from fieldwork.core.storage import method_reads
from fieldwork.core.storage.store import Store
from fieldwork.core.sync.bundle import export_bundle, join_from_bundle

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "golden"
PASSPHRASE = "golden fixture passphrase"
FILES = [
    ("release-0.1.0.fieldwork", "release-0.1.0.dump.json", None),
    ("release-0.1.0-encrypted.fieldwork", "release-0.1.0-encrypted.dump.json", PASSPHRASE),
]


def _copy(tmp_path: Path, name: str) -> Path:
    dest = tmp_path / name
    shutil.copy2(GOLDEN / name, dest)
    return dest


def _as_0_1_0(dump: dict) -> dict:
    """A dump without what later schemas added, which must be empty or null in an old file."""
    out = {}
    for entity, rows in dump.items():
        added = ADDED_IN[2].get(entity, ())
        if added is None:
            assert rows == [], entity  # a table 0.1.0 did not have: empty
            continue
        cleaned = []
        for row in rows:
            for field in added or ():
                assert row.pop(field) is None, (entity, field)
            cleaned.append(row)
        out[entity] = cleaned
    return out


@pytest.mark.parametrize(("name", "dump_name", "passphrase"), FILES)
def test_a_0_1_0_file_opens_and_dumps_as_it_did(
    tmp_path: Path, name: str, dump_name: str, passphrase: str | None
) -> None:
    path = _copy(tmp_path, name)
    expected = json.loads((GOLDEN / dump_name).read_text(encoding="utf-8"))
    with Store.open(path, passphrase) as store:
        assert _as_0_1_0(store.audit.dump()) == expected
        assert store.audit.check()["ok"]
        # One form, no method id: the method of its form, cut down to that one instrument.
        method = method_reads.method(store)
        assert method.id == "standards-2018" and method.legacy_form == "adult-case-supervision"
        assert [i.form_id for i in method.instruments] == ["adult-case-supervision"]
        assert [s.id for s in method.standards()] == ["2.1", "2.2", "2.3", "2.4"]
        assert store.reads.form().version == 1  # the form the file was made with, not today's
    assert (tmp_path / f"{name}.pre-v3.bak").exists()  # the file before upgrading, kept


def test_the_dump_command_reads_a_0_1_0_file(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = _copy(tmp_path, "release-0.1.0.fieldwork")
    assert main(["dump", str(path), "--json"]) == 0
    dumped = json.loads(capsys.readouterr().out)
    expected = json.loads((GOLDEN / "release-0.1.0.dump.json").read_text(encoding="utf-8"))
    assert _as_0_1_0(dumped) == expected


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_a_0_1_0_file_exports_the_same_change_log_as_schema_1(tmp_path: Path) -> None:
    path = _copy(tmp_path, "release-0.1.0.fieldwork")
    out = tmp_path / "again.bundle"
    with Store.open(path) as store:
        export_bundle(store, out, plain=True)
    golden = _members((GOLDEN / "release-0.1.0.bundle").read_bytes())
    again = _members(out.read_bytes())
    # No methods/ member (the file holds no method); the lead's laptop now signs its
    # chain (signatures.json), which a reader needs schema 2 for (release 0.1.0 asks to
    # update rather than import it half understood).
    assert sorted(again) == sorted([*golden, "signatures.json"])
    assert again["changes.ndjson"] == golden["changes.ndjson"]
    assert again["forms/adult-case-supervision.yaml"] == golden["forms/adult-case-supervision.yaml"]
    old, new = json.loads(golden["manifest.json"]), json.loads(again["manifest.json"])
    assert new["schema"] == 2  # nothing newer in its ops, but signed
    for key in ("bundle_id", "inspection_id", "author", "created", "op_count"):
        assert new[key] == old[key], key
    assert [f for f in new["files"] if f["name"] != "signatures.json"] == old["files"]


def test_a_0_1_0_bundle_still_joins(tmp_path: Path) -> None:
    store, result = join_from_bundle(
        GOLDEN / "release-0.1.0.bundle", tmp_path / "mate.fieldwork", None
    )
    try:
        assert result.new == 4821
        assert method_reads.method(store).legacy_form == "adult-case-supervision"
        assert len(store.reads.cases()) == 24
    finally:
        store.close()


def test_a_0_1_0_file_gets_its_report_and_ratings(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    path = _copy(tmp_path, "release-0.1.0.fieldwork")
    # The report command opens the file read-only: an older file is upgraded first.
    pdf = tmp_path / "draft.pdf"
    assert main(["report", str(path), str(pdf)]) == 0
    captured = capsys.readouterr()
    assert "Upgraded release-0.1.0.fieldwork" in captured.err
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(pdf).pages)
    for title in ("2.1 Assessment", "2.2 Planning", "2.3 Implementation and delivery"):
        assert title in text
    assert "Summary of ratings" in text and "Annex 2: Inspection results" in text
    assert main(["ratings", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["method"]["id"] == "standards-2018" and data["method"]["rated"]
    assert [i["form"] for i in data["instruments"]] == ["adult-case-supervision"]
    nps = data["organisations"][0]
    assert [s["id"] for s in nps["standards"]] == ["2.1", "2.2", "2.3", "2.4"]
    assert nps["overall"]["rating"] is None  # the overall rating needs all ten standards
    with Store.open(path, readonly=True) as store:
        assert score_store(store).organisation("NPS").standard("2.1").rating is not None
        render(gather(store), tmp_path / "again.pdf")


LOCAL_TABLES = {"meta", "changes", "supersedes", "forms", "methods", "bundles", "search_rows"}
LOCAL_TABLES |= {"set_aside", "set_aside_forms", "chain_heads", "chain_evidence"}  # 6
FTS_TABLES = {"search", "search_data", "search_idx", "search_content", "search_docsize"}
FTS_TABLES |= {"search_config"}
BUNDLE = GOLDEN / "release-0.1.0.bundle"


def _dump(path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """What `fieldwork dump FILE --json` prints, less the tables of entities added after
    release 0.1.0 (schema.ADDED_IN), which must be there and empty."""
    capsys.readouterr()
    assert main(["dump", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    for added in ADDED_IN.values():
        for entity, fields in added.items():
            if fields is None:
                assert data.pop(entity) == [], entity
    return _as_dump_json(data)


def _as_dump_json(data: dict[str, Any]) -> str:
    # The serialisation of `fieldwork dump --json` (commands/inspection.py).
    return json.dumps(data, sort_keys=True, ensure_ascii=False, indent=1) + "\n"


def _expected(name: str) -> str:
    return (GOLDEN / name).read_text(encoding="utf-8")


def test_a_bundle_exported_from_a_copy_is_the_release_bundle(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = _copy(tmp_path, "release-0.1.0.fieldwork")
    out = tmp_path / "again.bundle"
    assert main(["bundle", "export", str(copy), str(out), "--plain"]) == 0
    with Store.open(copy) as store:
        new_device = store.device_id
    with zipfile.ZipFile(BUNDLE) as old, zipfile.ZipFile(out) as new:
        # The same members and one more: the lead's laptop now signs its chain.
        assert new.namelist() == [*old.namelist()[:-1], "signatures.json", "SHA256SUMS"]
        for was, now in zip(old.infolist(), new.infolist(), strict=False):
            assert (now.date_time, now.external_attr, now.compress_type) == (
                was.date_time,
                was.external_attr,
                was.compress_type,
            ), now.filename
        for name in old.namelist():
            if name not in ("manifest.json", "SHA256SUMS"):
                assert new.read(name) == old.read(name), name
        # A copied file takes a new device id by design, and its bundle is signed.
        old_manifest = json.loads(old.read("manifest.json"))
        new_manifest = json.loads(new.read("manifest.json"))
        assert new_manifest["device_id"] == new_device != old_manifest["device_id"]
        assert new_manifest["schema"] == 2 and old_manifest["schema"] == 1
        assert new_manifest["files"][:-1] == old_manifest["files"]
        assert new_manifest["files"][-1]["name"] == "signatures.json"
        same = ("device_id", "schema", "files")
        assert {**new_manifest, **{k: old_manifest[k] for k in same}} == old_manifest
        new_sums = new.read("SHA256SUMS").decode().splitlines()
        old_sums = old.read("SHA256SUMS").decode().splitlines()
        manifest_sum = hashlib.sha256(new.read("manifest.json")).hexdigest()
        assert f"{manifest_sum}  manifest.json" in new_sums
        kept = [s for s in new_sums if not s.endswith(("manifest.json", "signatures.json"))]
        assert kept == [s for s in old_sums if "manifest.json" not in s]


def test_joining_from_the_release_bundle_gives_the_same_state(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    joined = tmp_path / "mate.fieldwork"
    bundle = _copy(tmp_path, "release-0.1.0.bundle")
    assert main(["new", str(joined), "--from-bundle", str(bundle), "--no-encryption"]) == 0
    with Store.open(joined) as store:
        me = store.author
    data = _as_0_1_0(json.loads(_dump(joined, capsys)))
    # Joining asks the lead to add this laptop (issue 12): the team, and everything
    # else, is the release's state until the lead admits it.
    assert [m["id"] for m in data["members"] if m["id"] == me] == []
    assert _as_dump_json(data) == _expected("release-0.1.0.dump.json")


def test_the_entities_are_the_tables_the_migrations_make(tmp_path: Path) -> None:
    with Store.create_empty(tmp_path / "new.fieldwork") as store:
        tables = set(store.db.table_names())
        assert tables - LOCAL_TABLES - FTS_TABLES == set(ENTITIES)
        for name, entity in ENTITIES.items():
            table = store.db.table(name)
            assert sorted(c.name for c in table.columns) == sorted(["id", *entity.fields]), name
            assert table.pks == ["id"], name
            deleted = next(c for c in table.columns if c.name == "deleted")
            assert (deleted.notnull, deleted.default_value) == (1, "0"), name
