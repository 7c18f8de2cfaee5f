"""The inspection file: encryption, opening errors, the write path, undo, backups, search."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from fieldwork.core.errors import (
    CannotUndo,
    DamagedFile,
    NewerVersion,
    NotAnInspection,
    PassphraseRequired,
    StoreError,
    UserError,
    WrongPassphrase,
)
from fieldwork.core.storage import audit as audit_module
from fieldwork.core.storage import backups, db
from fieldwork.core.storage import merge as merge_module
from fieldwork.core.storage import writes as writes_module
from fieldwork.core.storage.store import Store
from tests.conftest import PASSPHRASE, new_store

REF = "X123456"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _add_case(store: Store, ref: str = REF, org: str = "NPS") -> str:
    return store.insert("cases", {"ref": ref, "organisation": org, "status": "not_started"})


def test_encrypted_file_has_no_sqlite_header_and_no_plain_case_reference(tmp_path: Path) -> None:
    path = tmp_path / "secret.fieldwork"
    store = new_store(path, PASSPHRASE)
    case_id = _add_case(store)
    store.set_answer(case_id, "2.1/strengths", f"Notes about {REF} and Gwenllïan")
    # Look at the files while the connection is open, so the -wal and -shm exist.
    files = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
    assert files[1].exists()
    assert not path.read_bytes().startswith(b"SQLite format 3")
    for f in files:
        if f.exists():
            data = f.read_bytes()
            assert REF.encode() not in data, f.name
            assert "Gwenllïan".encode() not in data, f.name
    store.close()
    assert REF.encode() not in path.read_bytes()


def test_plain_demo_file_is_a_normal_sqlite_database(store: Store) -> None:
    _add_case(store)
    store.close()
    con = sqlite3.connect(store.path)
    assert con.execute("SELECT ref FROM cases").fetchone() == (REF,)
    con.close()


def test_wrong_passphrase_is_reported_and_the_file_is_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "secret.fieldwork"
    new_store(path, PASSPHRASE).close()
    before = _digest(path)
    with pytest.raises(WrongPassphrase, match="Wrong passphrase"):
        Store.open(path, "not the passphrase")
    with pytest.raises(PassphraseRequired):
        Store.open(path, None)
    assert _digest(path) == before
    Store.open(path, PASSPHRASE).close()


def test_damaged_file_is_told_apart_from_a_wrong_passphrase(tmp_path: Path) -> None:
    path = tmp_path / "secret.fieldwork"
    store = new_store(path, PASSPHRASE)
    store.backups.take()
    store.close()
    data = bytearray(path.read_bytes())
    data[100:200] = b"\0" * 100  # damage page 1
    path.write_bytes(bytes(data))
    with pytest.raises(DamagedFile, match="damaged"):
        Store.open(path, PASSPHRASE)
    # a truncated file is damaged whatever the passphrase
    path.write_bytes(bytes(data[:5000]))
    with pytest.raises(DamagedFile):
        Store.open(path, "anything")


def test_damage_inside_the_file_is_found_by_the_check_on_open(tmp_path: Path) -> None:
    path = tmp_path / "plain.fieldwork"
    store = new_store(path)
    for i in range(300):
        _add_case(store, f"A{100000 + i}")
    store.close()
    data = bytearray(path.read_bytes())
    page = len(data) // 4096 // 2
    data[page * 4096 + 8 : page * 4096 + 400] = b"\xff" * 392
    path.write_bytes(bytes(data))
    with pytest.raises(DamagedFile):
        Store.open(path)


def test_file_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.fieldwork"
    new_store(path).close()
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {db.LATEST_SCHEMA + 1}")
    con.commit()
    con.close()
    before = _digest(path)
    with pytest.raises(NewerVersion, match="newer Fieldwork"):
        Store.open(path)
    assert _digest(path) == before


def test_other_sqlite_database_is_not_an_inspection(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE x(a)")
    con.commit()
    con.close()
    with pytest.raises(NotAnInspection):
        Store.open(path)


def test_every_edit_is_an_op_with_author_and_device(store: Store) -> None:
    case_id = _add_case(store)
    ops = store.set_answer(case_id, "2.1.1a", "yes")
    assert [o.field for o in ops] == ["case_id", "question_id", "value"]
    log = {o.op: o for o in store.audit.ops()}
    for op in ops:
        assert log[op.op] == op
        assert op.author == store.author and op.device == store.device_id
    assert store.reads.answers(case_id)["2.1.1a"].value == "yes"
    # the same value again records nothing
    assert store.set_answer(case_id, "2.1.1a", "yes") == []
    second = store.set_answer(case_id, "2.1.1a", "no")
    assert second[0].prev == (ops[2].op,)
    assert second[0].hlc > ops[2].hlc


def test_values_of_the_wrong_type_or_unknown_fields_are_refused(store: Store) -> None:
    with pytest.raises(UserError):
        store.insert("cases", {"ref": 12})
    with pytest.raises(UserError):
        store.insert("cases", {"colour": "red"})
    with pytest.raises(UserError):
        store.write([("nonsense", "r", "f", 1)])
    assert store.reads.cases() == []


def test_undo_and_redo_write_new_ops(store: Store) -> None:
    case_id = _add_case(store)
    first = store.set_answer(case_id, "2.1.1a", "yes")
    change = store.set_answer(case_id, "2.1.1a", "no")
    undo = store.undo(change)
    assert store.reads.answers(case_id)["2.1.1a"].value == "yes"
    redo = store.undo(undo)
    assert store.reads.answers(case_id)["2.1.1a"].value == "no"
    assert len({o.op for o in first + change + undo + redo}) == len(first + change + undo + redo)
    # undoing a creation removes the row
    iid = store.insert("interviews", {"kind": "manager", "notes": "x"})
    created = [o for o in store.audit.history("interviews", iid)]
    store.undo(created)
    assert store.reads.interview(iid) is None


def test_undo_is_refused_once_the_field_has_another_head(tmp_path: Path) -> None:
    a = new_store(tmp_path / "a.fieldwork")
    case_id = _add_case(a)
    a.close()
    shutil.copy(tmp_path / "a.fieldwork", tmp_path / "b.fieldwork")
    a = Store.open(tmp_path / "a.fieldwork")
    b = Store.open(tmp_path / "b.fieldwork")
    mine = a.set_answer(case_id, "2.1.1a", "yes")
    b.set_answer(case_id, "2.1.1a", "no")
    a.apply_ops(b.audit.ops())
    with pytest.raises(CannotUndo):
        a.undo(mine)
    assert not a.can_undo(mine)
    a.close()
    b.close()


def test_copied_file_takes_a_new_device_id(tmp_path: Path) -> None:
    a = new_store(tmp_path / "a.fieldwork")
    device = a.device_id
    a.close()
    assert Store.open(tmp_path / "a.fieldwork").device_id == device
    shutil.copy(tmp_path / "a.fieldwork", tmp_path / "copy.fieldwork")
    assert Store.open(tmp_path / "copy.fieldwork").device_id != device


def test_rolling_backups_keep_three_encrypted_and_follow_a_new_passphrase(tmp_path: Path) -> None:
    path = tmp_path / "secret.fieldwork"
    new_store(path, PASSPHRASE).close()
    for _ in range(5):
        Store.open(path, PASSPHRASE, backup=True).close()
    kept = backups.backup_paths(path)
    assert len(kept) == 3
    for b in kept:
        assert not b.read_bytes().startswith(b"SQLite format 3")
    store = Store.open(path, PASSPHRASE)
    with pytest.raises(UserError):
        store.rekey("wrong", "a new laptop passphrase")
    store.rekey(PASSPHRASE, "a new laptop passphrase")
    store.close()
    with pytest.raises(WrongPassphrase):
        Store.open(path, PASSPHRASE)
    Store.open(path, "a new laptop passphrase").close()
    for b in backups.backup_paths(path):
        Store.open(b, "a new laptop passphrase", readonly=True).close()


def test_restored_backup_keeps_the_data_and_takes_a_new_device_id(tmp_path: Path) -> None:
    path = tmp_path / "secret.fieldwork"
    store = new_store(path, PASSPHRASE)
    _add_case(store)
    device = store.device_id
    backup = store.backups.take()
    store.close()
    path.write_bytes(b"\0" * 8192)  # ruined
    restored = Store.restore(backup, path, PASSPHRASE)
    assert [c.ref for c in restored.reads.cases()] == [REF]
    assert restored.device_id != device
    assert list(tmp_path.glob("secret.fieldwork.damaged-*")), "the damaged file is kept aside"
    restored.close()


def test_search_finds_notes_and_quotes_and_forgets_deleted_ones(store: Store) -> None:
    iid = store.insert(
        "interviews",
        {
            "kind": "officer",
            "notes": "Supervision is regular.\nThe caseload is heavy since the split.",
        },
    )
    qid = store.insert(
        "quotes", {"interview_id": iid, "start": 0, "end": 5, "text": "caseload heavy"}
    )
    hits = store.search.find("casel")
    assert {(h["entity"], h["row"]) for h in hits} == {("interviews", iid), ("quotes", qid)}
    store.delete("quotes", qid)
    assert [h["entity"] for h in store.search.find("caseload")] == ["interviews"]
    assert store.search.find('"') == []


def test_check_reports_integrity_and_schema(store: Store) -> None:
    result = store.audit.check()
    assert result["ok"] and result["schema_version"] == db.LATEST_SCHEMA


def test_lock_drops_the_key_and_unlock_reopens_in_place(tmp_path: Path) -> None:
    store = new_store(tmp_path / "lock.fieldwork", PASSPHRASE)
    _add_case(store)
    assert store.lock() and store.locked and store.conn is None
    assert store._passphrase is None  # nothing left to reopen with
    with pytest.raises(WrongPassphrase):
        store.unlock("wrong")
    assert store.locked
    store.unlock(PASSPHRASE)
    assert not store.locked and store.encrypted
    assert [c.ref for c in store.reads.cases()] == [REF]
    store.close()
    plain = new_store(tmp_path / "plain.fieldwork")
    assert plain.lock() is False and not plain.locked
    plain.close()


def test_filling_an_empty_log_keeps_the_same_indexes(tmp_path: Path) -> None:
    source = new_store(tmp_path / "a.fieldwork")
    _add_case(source)
    empty = Store.create_empty(tmp_path / "b.fieldwork")
    empty.apply_ops(source.audit.ops())  # the log was empty: indexes are rebuilt at the end

    def indexes(store: Store) -> list[tuple[str, str]]:
        return store.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type='index' AND tbl_name='changes'"
            " AND sql IS NOT NULL ORDER BY name"
        ).fetchall()

    assert indexes(empty) == indexes(source) and len(indexes(source)) == 4
    assert empty.audit.check()["ok"]
    source.close()
    empty.close()


def test_the_same_op_twice_into_an_empty_log_is_applied_once(tmp_path: Path) -> None:
    source = new_store(tmp_path / "a.fieldwork")
    _add_case(source)
    ops = list(source.audit.ops())
    empty = Store.create_empty(tmp_path / "b.fieldwork")
    result = empty.apply_ops([*ops, *reversed(ops)])
    assert (result.new, result.known) == (len(ops), len(ops))
    assert list(empty.audit.ops()) == ops and empty.audit.check()["ok"]
    assert [c.ref for c in empty.reads.cases()] == [REF]
    source.close()
    empty.close()


def _entities_before(version: int) -> dict:
    """schema.ENTITIES as it was before file schema `version` (3 added issue 13's)."""
    from dataclasses import replace

    from fieldwork.core.schema import ADDED_IN, ENTITIES

    added = ADDED_IN[2] if version == 3 else {}
    out = {}
    for name, spec in ENTITIES.items():
        if name in added and added[name] is None:
            continue
        gone = added.get(name) or ()
        out[name] = replace(spec, fields={f: k for f, k in spec.fields.items() if f not in gone})
    return out


def _as_before(dump: dict, version: int) -> dict:
    kept = _entities_before(version)
    out = {}
    for name, rows in dump.items():
        if name == "conflicts":
            out[name] = rows
        elif name in kept:
            out[name] = [
                {k: v for k, v in r.items() if k == "id" or k in kept[name].fields} for r in rows
            ]
    return out


def test_a_schema_1_file_is_upgraded_with_its_log_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.fieldwork"
    first = [m for m in db.migrations() if m[0] == 1]
    with monkeypatch.context() as m:
        m.setattr(db, "migrations", lambda: first)
        # The entities of schema 1: none of the tables and fields schema 3 added.
        for module in (writes_module, merge_module, audit_module):
            m.setattr(module, "ENTITIES", _entities_before(3))

        def lead_of_schema_1(self: Store, name: str | None, role: str) -> str:
            # Release 0.1.0 wrote no signing key (a field schema 6 added).
            key = {"public_key": self.age_recipient}
            return self.insert("members", {"name": name, "role": role, **key}, self.author)

        m.setattr(Store, "add_self_as_member", lead_of_schema_1)
        old = new_store(path, PASSPHRASE)
        case_id = _add_case(old)
        old.set_answer(case_id, "2.1/strengths", "first")
        old.set_answer(case_id, "2.1/strengths", "second")
        assert old.conn.execute("PRAGMA user_version").fetchone()[0] == 1
        before_ops, before_dump = list(old.audit.ops()), old.audit.dump()
        old.close()
    upgraded = Store.open(path, PASSPHRASE)
    try:
        assert upgraded.conn.execute("PRAGMA user_version").fetchone()[0] == db.LATEST_SCHEMA
        assert list(upgraded.audit.ops()) == before_ops
        assert _as_before(upgraded.audit.dump(), 3) == before_dump
        assert upgraded.audit.check()["ok"]
        assert upgraded.reads.answers(case_id)["2.1/strengths"].value == "second"
        with pytest.raises(db.IntegrityError):  # op ids are still unique
            upgraded.conn.execute(
                "INSERT INTO changes SELECT * FROM changes WHERE op=?", (before_ops[0].op,)
            )
        assert (tmp_path / "old.fieldwork.pre-v2.bak").exists()  # the file before, kept
    finally:
        upgraded.close()


def test_an_unknown_form_id_is_one_line_not_a_traceback(store: Store) -> None:
    store.update("inspection", store.reads.inspection().id, {"form_id": "no-such-form"})
    with Store.open(store.path) as again, pytest.raises(StoreError, match="'no-such-form'"):
        again.reads.form()
