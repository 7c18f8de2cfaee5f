"""Crafting bundles as a hostile or broken teammate would: a real plain bundle's change
log rewritten line by line, with the manifest and checksums made consistent again, so
only the rules about the ops themselves can refuse it."""

from __future__ import annotations

import hashlib
import io
import json
import stat
import zipfile
from pathlib import Path
from typing import Any


def ops_of(path: Path) -> list[dict[str, Any]]:
    """The ops of a plain bundle, in order."""
    with zipfile.ZipFile(path) as z:
        return [json.loads(line) for line in z.read("changes.ndjson").decode().splitlines()]


def line(op: dict[str, Any]) -> str:
    return json.dumps(op, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def rewrite(
    src: Path,
    dest: Path,
    ops: list[dict[str, Any]],
    *,
    sort: bool = True,
    files: dict[str, bytes] | None = None,
    signed: bool = False,
) -> Path:
    """Write `dest`: the bundle `src` with `ops` as its change log (sorted as an export
    sorts them, unless `sort` is false) and `files` in place of its members of those
    names (forms/ID.yaml), manifest and SHA256SUMS recomputed. Its signatures.json is
    dropped unless `signed` (a writer that rewrote its log cannot keep the signatures of
    the log it had; an unsigned bundle still meets every rule of storage/vetting.py)."""
    if sort:
        ops = sorted(ops, key=lambda o: (o["hlc"], o["device"], o["op"]))
    with zipfile.ZipFile(src) as z:
        members = {n: z.read(n) for n in z.namelist()}
    manifest = json.loads(members.pop("manifest.json"))
    members.pop("SHA256SUMS")
    if not signed:
        members.pop("signatures.json", None)
    members.update(files or {})
    members["changes.ndjson"] = "".join(line(o) + "\n" for o in ops).encode()
    members = {"changes.ndjson": members.pop("changes.ndjson"), **dict(sorted(members.items()))}
    manifest.update(op_count=len(ops), created=ops[-1]["hlc"] if ops else None)
    return pack(dest, manifest, members)


def pack(dest: Path, manifest: dict[str, Any], members: dict[str, bytes]) -> Path:
    """Write `dest`: `members` with the manifest's bundle id and file list, and
    SHA256SUMS, made consistent with them, as an export zips a bundle."""
    sha = {n: hashlib.sha256(d).hexdigest() for n, d in members.items()}
    manifest.update(
        bundle_id=sha["changes.ndjson"],
        files=[{"name": n, "size": len(d), "sha256": sha[n]} for n, d in members.items()],
    )
    raw = (json.dumps(manifest, sort_keys=True, indent=1) + "\n").encode()
    sums = f"{hashlib.sha256(raw).hexdigest()}  manifest.json\n"
    sums += "".join(f"{sha[n]}  {n}\n" for n in members)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in [("manifest.json", raw), *members.items(), ("SHA256SUMS", sums.encode())]:
            info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            z.writestr(info, data)
    dest.write_bytes(buf.getvalue())
    return dest
