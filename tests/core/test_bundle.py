"""Sync bundles on real files: round trips, determinism, checksums, age, joining, history."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from fieldwork.core import team
from fieldwork.core.demo.generator import make_demo
from fieldwork.core.errors import BundleError, FieldworkError, UserError
from fieldwork.core.schema import ENTITIES
from fieldwork.core.storage import filelock
from fieldwork.core.storage.store import Store
from fieldwork.core.sync import bundle
from fieldwork.core.sync.crypto import is_age, new_identity_file
from tests.conftest import PASSPHRASE, need_tool, new_store


def _shared(dump: dict) -> dict:
    """The dump without the members table (a joining laptop adds itself)."""
    return {k: v for k, v in dump.items() if k != "members"}


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.fieldwork"
    make_demo(path, cases=12, seed=3).close()
    return path


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path) -> Store:
    path = tmp_path / "lead.fieldwork"
    shutil.copy(demo_file, path)
    s = Store.open(path)
    yield s
    s.close()


def test_lines_are_the_canonical_ops_in_order(demo: Store, tmp_path: Path) -> None:
    bundle.export_bundle(demo, tmp_path / "b.zip")
    with zipfile.ZipFile(tmp_path / "b.zip") as z:
        names = z.namelist()
        lines = z.read("changes.ndjson").decode().splitlines()
        infos = z.infolist()
    assert names == [
        "manifest.json",
        "changes.ndjson",
        "forms/adult-case-supervision.yaml",
        "signatures.json",
        "SHA256SUMS",
    ]
    assert lines == [op.to_json() for op in demo.audit.ops()]
    assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in infos)
    assert all(i.external_attr >> 16 == 0o100644 for i in infos)


def test_same_ops_give_the_same_bytes(demo: Store, tmp_path: Path) -> None:
    first = bundle.export_bundle(demo, tmp_path / "one.zip")
    second = bundle.export_bundle(demo, tmp_path / "two.zip")
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "two.zip").read_bytes()
    # Another laptop holding the same ops writes the same change log (same bundle id).
    copy = tmp_path / "copy.fieldwork"
    shutil.copy(demo.path, copy)
    with Store.open(copy) as other:
        assert other.device_id != demo.device_id
        third = bundle.export_bundle(other, tmp_path / "three.zip")
    assert first.info.bundle_id == second.info.bundle_id == third.info.bundle_id
    assert first.info.created == max(op.hlc for op in demo.audit.ops())


def test_sha256sum_checks_an_unzipped_bundle(demo: Store, tmp_path: Path) -> None:
    bundle.export_bundle(demo, tmp_path / "b.zip")
    out = tmp_path / "unzipped"
    with zipfile.ZipFile(tmp_path / "b.zip") as z:
        z.extractall(out)
    done = subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS"], cwd=out, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count(": OK") == 4  # manifest, changes, form, signatures


def test_join_and_import_round_trip(demo: Store, tmp_path: Path) -> None:
    bundle.export_bundle(demo, tmp_path / "setup.zip")
    joined, result = bundle.join_from_bundle(
        tmp_path / "setup.zip", tmp_path / "new.fieldwork", None, member_name="Newcomer"
    )
    try:
        assert result.new == demo.audit.op_count() and result.known == 0
        assert joined.device_id != demo.device_id and joined.author != demo.author
        assert _shared(joined.audit.dump()) == _shared(demo.audit.dump())
        # The newcomer asks to join: the lead's ops alone make the team, here too.
        assert joined.author not in {m.id for m in joined.reads.members()}
        assert set(team.join_requests(joined)[0].__dict__.items()) >= {
            ("name", "Newcomer"),
            ("role", "inspector"),
            ("public_key", joined.age_recipient),
            ("signing_key", joined.signing_public),
        }
        # The newcomer's bundle brings the lead its member row (and so its key).
        bundle.export_bundle(joined, tmp_path / "back.zip")
    finally:
        joined.close()
    (r,) = bundle.import_bundles(demo, [tmp_path / "back.zip"])
    assert r.new == 0 and r.conflicts == ()
    assert sorted(row[6] for row in r.set_aside) == [
        "deleted", "name", "public_key", "role", "signing_key"
    ]  # fmt: skip
    assert not any(m.name == "Newcomer" for m in demo.reads.members())
    team.admit(demo, "Newcomer")
    (me,) = [m for m in demo.reads.members() if m.name == "Newcomer"]
    assert me.role == "inspector" and me.public_key in bundle.recipients_of(demo)


def _rows(store: Store) -> dict[str, list[tuple]]:
    """Every column of every shared table, as stored (NULL and 0 told apart)."""
    return {
        name: store.conn.execute(f"SELECT * FROM {name} ORDER BY id").fetchall()
        for name in ENTITIES
        if name != "members"
    }


def test_a_joined_file_holds_the_same_rows_and_conflicts(demo: Store, tmp_path: Path) -> None:
    other = tmp_path / "other.fieldwork"
    shutil.copy(demo.path, other)
    # Two conflicts; the later edit (ours) wins, its value sorting first in one, last in the other.
    first, second = demo.reads.cases()[:2]
    with Store.open(other) as s:
        s.update("cases", first.id, {"office": "Their office"})
        s.update("cases", second.id, {"office": "Their office"})
        bundle.export_bundle(s, tmp_path / "theirs.zip")
    demo.update("cases", first.id, {"office": "Our office"})
    demo.update("cases", second.id, {"office": "Your office"})
    (r,) = bundle.import_bundles(demo, [tmp_path / "theirs.zip"])
    assert [c.field for c in r.conflicts] == ["office", "office"]
    assert {demo.reads.case(first.id).office, demo.reads.case(second.id).office} == {
        "Our office",
        "Your office",
    }
    demo.insert("interviews", {"title": "Staff group", "organisation": "NPS"})  # no consent
    bundle.export_bundle(demo, tmp_path / "setup.zip")
    joined, result = bundle.join_from_bundle(
        tmp_path / "setup.zip", tmp_path / "new.fieldwork", None
    )
    try:
        assert _rows(joined) == _rows(demo)
        assert [c.id for c in result.conflicts] == [c.id for c in demo.reads.conflicts()] != []
        assert [c.heads for c in joined.reads.conflicts()] == [
            c.heads for c in demo.reads.conflicts()
        ]
        assert joined.audit.check()["ok"]
    finally:
        joined.close()
    held = filelock.lock_path(demo.path).name  # the lock of the file still open
    hidden = [p.name for p in tmp_path.iterdir() if p.name.startswith(".") and p.name != held]
    assert hidden == []


def test_importing_twice_changes_nothing(demo: Store, tmp_path: Path) -> None:
    other = tmp_path / "other.fieldwork"
    shutil.copy(demo.path, other)
    with Store.open(other) as s:
        case = s.reads.cases()[0]
        s.update("cases", case.id, {"office": "Somewhere new"})
        bundle.export_bundle(s, tmp_path / "b.zip")
    (first,) = bundle.import_bundles(demo, [tmp_path / "b.zip"])
    assert first.new == 1 and first.known == demo.audit.op_count() - 1
    before, count = demo.audit.dump(), demo.audit.op_count()
    (second,) = bundle.import_bundles(demo, [tmp_path / "b.zip"])
    assert second.new == 0 and second.known == count
    assert demo.audit.dump() == before and demo.audit.op_count() == count
    assert [h["direction"] for h in demo.audit.bundle_history()][:2] == ["in", "in"]


def test_encrypted_bundle_opens_with_age_and_the_hq_key(tmp_path: Path) -> None:
    s = new_store(tmp_path / "secret.fieldwork", PASSPHRASE)
    hq_text, hq_public = new_identity_file()
    (tmp_path / "hq.key").write_text(hq_text)
    bundle.add_recipient(s, hq_public, "Headquarters")
    result = bundle.export_bundle(s, tmp_path / "b.age")
    (tmp_path / "own.key").write_text(s.age_identity + "\n")
    s.close()
    data = (tmp_path / "b.age").read_bytes()
    assert is_age(data) and result.info.encryption == "recipients" and result.recipients == 2
    for key in ("own.key", "hq.key"):
        done = subprocess.run(
            [need_tool("age"), "-d", "-i", str(tmp_path / key), str(tmp_path / "b.age")],
            capture_output=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith(b"PK\x03\x04")
    with pytest.raises(BundleError, match="encrypted"):
        bundle.verify_bundle(tmp_path / "b.age")


def test_plain_from_an_encrypted_file_only_when_asked(tmp_path: Path) -> None:
    s = new_store(tmp_path / "secret.fieldwork", PASSPHRASE)
    try:
        bundle.export_bundle(s, tmp_path / "plain.zip", plain=True)
        assert zipfile.is_zipfile(tmp_path / "plain.zip")
        with pytest.raises(UserError):
            bundle.export_bundle(s, tmp_path / "x.zip", plain=True, recipients=[s.age_recipient])
        with pytest.raises(UserError, match="not an age public key"):
            bundle.export_bundle(s, tmp_path / "x.zip", recipients=["age1nonsense"])
    finally:
        s.close()


def test_setup_bundle_sealed_with_a_passphrase(tmp_path: Path) -> None:
    s = new_store(tmp_path / "secret.fieldwork", PASSPHRASE)
    bundle.export_bundle(s, tmp_path / "setup.age", passphrase="tea and biscuits")
    s.close()
    with pytest.raises(BundleError, match="wrong passphrase"):
        bundle.verify_bundle(tmp_path / "setup.age", ask_passphrase=lambda: "coffee")
    joined, result = bundle.join_from_bundle(
        tmp_path / "setup.age",
        tmp_path / "joined.fieldwork",
        "another passphrase",
        ask_passphrase=lambda: "tea and biscuits",
    )
    assert joined.encrypted and result.info.encryption == "passphrase"
    joined.close()


def test_a_failed_join_leaves_no_file(tmp_path: Path) -> None:
    (tmp_path / "junk.zip").write_bytes(b"not a bundle at all")
    with pytest.raises(BundleError):
        bundle.join_from_bundle(tmp_path / "junk.zip", tmp_path / "new.fieldwork", None)
    assert not (tmp_path / "new.fieldwork").exists()


def test_export_refuses_an_unwritable_place(demo: Store, tmp_path: Path) -> None:
    with pytest.raises(BundleError, match="Cannot write"):
        bundle.export_bundle(demo, tmp_path / "no" / "such" / "folder" / "b.zip")


def test_a_damaged_file_exports_nothing(tmp_path: Path) -> None:
    path = tmp_path / "plain.fieldwork"
    store = new_store(path)
    with store.transaction():
        for i in range(300):
            store.insert("cases", {"ref": f"A{100000 + i}", "organisation": "NPS"})
    store.close()
    data = bytearray(path.read_bytes())
    at = len(data) // 4096 // 2 * 4096  # a page in the middle: the change log's
    data[at + 8 : at + 400] = b"\xff" * 392
    path.write_bytes(bytes(data))
    damaged = Store.open(path, check=False)  # as a worker opens it
    try:
        with pytest.raises(FieldworkError) as info:
            bundle.export_bundle(damaged, tmp_path / "b.zip")
        message = str(info.value)
        assert message.startswith("plain.fieldwork is damaged: nothing was exported")
        assert "\n" not in message and len(message) < 300, message
    finally:
        damaged.close()
    assert list(tmp_path.glob("*.zip")) == [] and list(tmp_path.glob(".*")) == []
