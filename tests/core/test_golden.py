"""Files written by release 0.1.0 (tests/fixtures/golden, see its README) read the same
today: the same `dump --json`, the same bundle, the same state after joining from it.
And the entities schema.py names are the tables and columns the migrations make.

Every test works on a copy: the fixtures stand for files laptops in the field hold.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest

from fieldwork.cli import main
from fieldwork.core.schema import ADDED_IN, ENTITIES
from fieldwork.core.storage.store import Store

GOLDEN = Path(__file__).parent.parent / "fixtures" / "golden"
PLAIN = GOLDEN / "release-0.1.0.fieldwork"
ENCRYPTED = GOLDEN / "release-0.1.0-encrypted.fieldwork"
BUNDLE = GOLDEN / "release-0.1.0.bundle"
GOLDEN_PASSPHRASE = "golden fixture passphrase"

# Tables the migrations make that hold no shared entity: local to the laptop, or the
# search index (an FTS5 table and the shadow tables SQLite keeps for it).
LOCAL_TABLES = {"meta", "changes", "supersedes", "forms", "bundles", "search_rows"}
FTS_TABLES = {"search", "search_data", "search_idx", "search_content", "search_docsize"}
FTS_TABLES |= {"search_config"}


def _copy(src: Path, tmp_path: Path) -> Path:
    dest = tmp_path / src.name
    shutil.copyfile(src, dest)
    return dest


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


def test_the_plain_file_gives_the_same_dump(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _dump(_copy(PLAIN, tmp_path), capsys) == _expected("release-0.1.0.dump.json")


def test_the_encrypted_file_gives_the_same_dump(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FIELDWORK_PASSPHRASE", GOLDEN_PASSPHRASE)
    got = _dump(_copy(ENCRYPTED, tmp_path), capsys)
    assert got == _expected("release-0.1.0-encrypted.dump.json")


def test_a_bundle_exported_from_a_copy_is_the_release_bundle(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = _copy(PLAIN, tmp_path)
    out = tmp_path / "again.bundle"
    assert main(["bundle", "export", str(copy), str(out), "--plain"]) == 0
    with Store.open(copy) as store:
        new_device = store.device_id
    with zipfile.ZipFile(BUNDLE) as old, zipfile.ZipFile(out) as new:
        assert new.namelist() == old.namelist()
        for was, now in zip(old.infolist(), new.infolist(), strict=True):
            assert (now.date_time, now.external_attr, now.compress_type) == (
                was.date_time,
                was.external_attr,
                was.compress_type,
            ), now.filename
        for name in old.namelist():
            if name not in ("manifest.json", "SHA256SUMS"):
                assert new.read(name) == old.read(name), name
        # A copied file takes a new device id by design: the manifest differs there only.
        old_manifest = json.loads(old.read("manifest.json"))
        new_manifest = json.loads(new.read("manifest.json"))
        assert new_manifest["device_id"] == new_device != old_manifest["device_id"]
        assert {**new_manifest, "device_id": old_manifest["device_id"]} == old_manifest
        new_sums = new.read("SHA256SUMS").decode().splitlines()
        old_sums = old.read("SHA256SUMS").decode().splitlines()
        manifest_sum = hashlib.sha256(new.read("manifest.json")).hexdigest()
        assert f"{manifest_sum}  manifest.json" in new_sums
        assert [s for s in new_sums if "manifest.json" not in s] == [
            s for s in old_sums if "manifest.json" not in s
        ]


def test_joining_from_the_release_bundle_gives_the_same_state(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    joined = tmp_path / "mate.fieldwork"
    bundle = _copy(BUNDLE, tmp_path)
    assert main(["new", str(joined), "--from-bundle", str(bundle), "--no-encryption"]) == 0
    with Store.open(joined) as store:
        me = store.author
    data = json.loads(_dump(joined, capsys))
    # Joining adds this laptop to the team; everything else is the release's state.
    assert [m["id"] for m in data["members"] if m["id"] == me] == [me]
    data["members"] = [m for m in data["members"] if m["id"] != me]
    assert _as_dump_json(data) == _expected("release-0.1.0.dump.json")


def test_the_entities_are_the_tables_the_migrations_make(tmp_path: Path) -> None:
    with Store.create_empty(tmp_path / "new.fieldwork") as store:
        tables = set(store.db.table_names())
        assert tables - LOCAL_TABLES - FTS_TABLES == set(ENTITIES)
        for name, entity in ENTITIES.items():
            table = store.db.table(name)
            assert [c.name for c in table.columns] == ["id", *entity.fields], name
            assert table.pks == ["id"], name
            deleted = next(c for c in table.columns if c.name == "deleted")
            assert (deleted.notnull, deleted.default_value) == (1, "0"), name
