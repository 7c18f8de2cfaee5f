"""Hostile bundles: each is refused with a one-line reason and leaves the inspection as it was."""

from __future__ import annotations

import hashlib
import io
import json
import stat
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from pyrage import x25519

from fieldwork.core.errors import BundleError
from fieldwork.core.storage.store import Store
from fieldwork.core.sync import bundle
from fieldwork.core.sync.crypto import encrypt
from tests.conftest import new_store


class Kit:
    """A lead's file, a teammate joined from it, and a good bundle of the lead's newer work."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        lead = new_store(tmp / "lead.fieldwork")
        bundle.export_bundle(lead, tmp / "setup.zip")
        self.target, _ = bundle.join_from_bundle(tmp / "setup.zip", tmp / "mate.fieldwork", None)
        lead.insert("cases", {"ref": "X123456", "organisation": "NPS"})
        bundle.export_bundle(lead, tmp / "good.zip")
        self.lead = lead
        with zipfile.ZipFile(tmp / "good.zip") as z:
            self.members = {n: z.read(n) for n in z.namelist()}
        self.manifest = json.loads(self.members["manifest.json"])
        self.lines = self.members["changes.ndjson"].decode().splitlines()

    def rebuilt(
        self,
        lines: list[str] | None = None,
        manifest: dict | None = None,
        extra: dict[str, bytes] | None = None,
    ) -> bytes:
        """A self-consistent bundle (checksums and manifest recomputed) with these changes."""
        members = {
            k: v for k, v in self.members.items() if k not in ("manifest.json", "SHA256SUMS")
        }
        if lines is not None:
            members["changes.ndjson"] = "".join(f"{line}\n" for line in lines).encode()
        members.update(extra or {})
        sha = {n: hashlib.sha256(d).hexdigest() for n, d in members.items()}
        m = dict(self.manifest)
        m["bundle_id"] = sha["changes.ndjson"]
        m["op_count"] = len(members["changes.ndjson"].splitlines())
        m["files"] = [{"name": n, "size": len(d), "sha256": sha[n]} for n, d in members.items()]
        m.update(manifest or {})
        raw_manifest = json.dumps(m).encode()
        sums = f"{hashlib.sha256(raw_manifest).hexdigest()}  manifest.json\n" + "".join(
            f"{sha[n]}  {n}\n" for n in members
        )
        return _zip(
            [("manifest.json", raw_manifest), *members.items(), ("SHA256SUMS", sums.encode())]
        )


def _zip(entries: list[tuple[str, bytes]], links: tuple[str, ...] = ()) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are the point of one case
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in entries:
                info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                mode = stat.S_IFLNK | 0o777 if name in links else stat.S_IFREG | 0o644
                info.external_attr = mode << 16
                z.writestr(info, data)
    return buf.getvalue()


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Kit:
    k = Kit(tmp_path_factory.mktemp("hostile"))
    yield k
    k.target.close()
    k.lead.close()


def _op(kit: Kit, **changes: object) -> list[str]:
    d = json.loads(kit.lines[-1])
    d.update(changes)
    return [*kit.lines[:-1], json.dumps(d, sort_keys=True, separators=(",", ":"))]


def _another_inspection(kit: Kit) -> bytes:
    if (kit.tmp / "other.zip").exists():
        return (kit.tmp / "other.zip").read_bytes()
    other = new_store(kit.tmp / "other.fieldwork", name="Somewhere else")
    bundle.export_bundle(other, kit.tmp / "other.zip")
    other.close()
    return (kit.tmp / "other.zip").read_bytes()


def _flip(data: bytes, at: int) -> bytes:
    b = bytearray(data)
    b[at] ^= 0x01
    return bytes(b)


def _good(kit: Kit) -> bytes:
    return (kit.tmp / "good.zip").read_bytes()


def _unsupported_version(data: bytes) -> bytes:
    """Every central directory entry claims it needs zip version 23.6 to extract
    (zipfile then raises NotImplementedError: found by fuzzing)."""
    out = bytearray(data)
    at = out.find(b"PK\x01\x02")
    while at >= 0:
        out[at + 6 : at + 8] = (236).to_bytes(2, "little")
        at = out.find(b"PK\x01\x02", at + 4)
    return bytes(out)


CASES: dict[str, Callable[[Kit], bytes]] = {
    "not a zip": lambda k: b"Just some text, not a bundle at all.\n" * 20,
    "empty file": lambda k: b"",
    "truncated": lambda k: _good(k)[: len(_good(k)) // 2],
    "unsupported zip version": lambda k: _unsupported_version(_good(k)),
    "checksum mismatch": lambda k: _zip(
        [(n, d.replace(b'"value":"NPS"', b'"value":"CRC"')) for n, d in k.members.items()]
    ),
    "member ../x": lambda k: k.rebuilt(extra={"../x": b"x"}),
    "member /x": lambda k: k.rebuilt(extra={"/x": b"x"}),
    "member C:x": lambda k: k.rebuilt(extra={"C:x": b"x"}),
    "member with backslash": lambda k: k.rebuilt(extra={"forms\\x.yaml": b"x"}),
    "symlink member": lambda k: _zip(
        [*k.members.items(), ("forms/link.yaml", b"/etc/passwd")], links=("forms/link.yaml",)
    ),
    "duplicate names": lambda k: _zip([*k.members.items(), ("changes.ndjson", b"{}\n")]),
    "zip bomb ratio": lambda k: k.rebuilt(extra={"forms/bomb.yaml": b" " * (8 << 20)}),
    "bigger than op count needs": lambda k: k.rebuilt(
        lines=[
            json.dumps({"pad": hashlib.sha256(str(i).encode()).hexdigest()}) for i in range(60000)
        ],
        manifest={"op_count": 1},
    ),
    "too many members": lambda k: k.rebuilt(
        extra={f"forms/f{i}.yaml": b"id: x\n" for i in range(80)}
    ),
    "manifest missing": lambda k: _zip(
        [(n, d) for n, d in k.members.items() if n != "manifest.json"]
    ),
    "manifest not JSON": lambda k: _zip(
        [(n, b"{not json" if n == "manifest.json" else d) for n, d in k.members.items()]
    ),
    "unknown format version": lambda k: k.rebuilt(manifest={"version": 0}),
    "newer schema": lambda k: k.rebuilt(manifest={"schema": 99}),
    "unknown entity": lambda k: k.rebuilt(lines=_op(k, entity="passwords")),
    "unknown field": lambda k: k.rebuilt(lines=_op(k, field="salary")),
    "value of the wrong type": lambda k: k.rebuilt(lines=_op(k, field="deleted", value="yes")),
    "lone surrogate in a value": lambda k: k.rebuilt(
        lines=_op(k, entity="cases", field="office", value="\ud800")
    ),
    "bad op id": lambda k: k.rebuilt(lines=_op(k, op="../../etc")),
    "extra key in op": lambda k: k.rebuilt(lines=_op(k, sneaky=1)),
    "not JSON op": lambda k: k.rebuilt(lines=[*k.lines[:-1], '{"op": ']),
    "ops out of order": lambda k: k.rebuilt(lines=[k.lines[-1], *k.lines[:-1]]),
    "op count differs": lambda k: k.rebuilt(manifest={"op_count": len(k.lines) + 1}),
    "another inspection": _another_inspection,
    "wrong age identity": lambda k: encrypt(
        _good(k), [str(x25519.Identity.generate().to_public())]
    ),
    "one byte changed in encrypted": lambda k: _flip(
        encrypt(_good(k), [k.target.age_recipient]), len(_good(k)) // 2
    ),
    "one byte changed in encrypted header": lambda k: _flip(
        encrypt(_good(k), [k.target.age_recipient]), 40
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_bundle_is_refused_and_changes_nothing(kit: Kit, case: str) -> None:
    assert CASES[case](kit) != _good(kit)
    path = kit.tmp / f"hostile-{case.replace(' ', '_').replace('/', '_')}.bundle"
    path.write_bytes(CASES[case](kit))
    target: Store = kit.target
    before, count, history = (
        target.audit.dump(),
        target.audit.op_count(),
        target.audit.bundle_history(),
    )
    with pytest.raises(BundleError) as err:
        bundle.import_bundles(target, [path])
    message = str(err.value)
    assert message and "\n" not in message and len(message) < 300, message
    assert target.audit.dump() == before
    assert target.audit.op_count() == count and target.audit.bundle_history() == history
    if case != "another inspection":  # a sound bundle in itself: verify knows no inspection
        with pytest.raises(BundleError):
            bundle.verify_bundle(path, [x25519.Identity.from_str(target.age_identity)])


def test_reasons_say_what_is_wrong(kit: Kit) -> None:
    expected = {
        "not a zip": "not a zip",
        "truncated": "truncated",
        "member ../x": "out of its folder",
        "member /x": "absolute",
        "member C:x": "absolute",
        "member with backslash": "backslash",
        "symlink member": "link",
        "duplicate names": "twice",
        "zip bomb ratio": "zip bomb",
        "bigger than op count needs": "bigger than it can need",
        "too many members": "too many members",
        "newer schema": "update Fieldwork",
        "unknown entity": "unknown kind of record",
        "unknown field": "unknown field",
        "value of the wrong type": "cannot hold",
        "another inspection": "another inspection",
        "wrong age identity": "wrong identity",
        "one byte changed in encrypted": "damaged",
    }
    for case, words in expected.items():
        path = kit.tmp / "reason.bundle"
        path.write_bytes(CASES[case](kit))
        with pytest.raises(BundleError, match=words):
            bundle.import_bundles(kit.target, [path])


def test_the_good_bundle_still_imports(kit: Kit, tmp_path: Path) -> None:
    (tmp_path / "good.zip").write_bytes(kit.rebuilt())
    info = bundle.verify_bundle(tmp_path / "good.zip")
    assert info.op_count == len(kit.lines)


def test_a_bad_bundle_among_good_ones_imports_none(kit: Kit, tmp_path: Path) -> None:
    (tmp_path / "bad.zip").write_bytes(CASES["unknown field"](kit))
    before = kit.target.audit.dump()
    with pytest.raises(BundleError):
        bundle.import_bundles(kit.target, [kit.tmp / "good.zip", tmp_path / "bad.zip"])
    assert kit.target.audit.dump() == before
