"""Reading a sync bundle: open (decrypting if need be), check the manifest, the checksums
and the forms, then stream the ops, validated, with the checksum, count and order checked
by the end. Nothing here touches an inspection file.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fieldwork.core.errors import BundleError, FieldworkError
from fieldwork.core.schema import OPS_SCHEMA
from fieldwork.core.storage.merge import Row
from fieldwork.core.sync import crypto
from fieldwork.core.sync.archive import (
    CHANGES,
    FORM_RE,
    MANIFEST,
    MAX_OP_BYTES,
    METHOD_RE,
    PER_OP_BYTES,
    SIGNATURES,
    SUMS,
    BundleZip,
)
from fieldwork.core.sync.ops import is_id, parse_row
from fieldwork.core.sync.signing import Chains, Signatures, check_signed, parse_signatures

FORMAT = "fieldwork-bundle"
VERSION = 1
MANIFEST_KEYS = frozenset(
    (
        "format", "version", "bundle_id", "inspection_id", "device_id", "author", "created",
        "op_count", "schema", "app_version", "files",
    )
)  # fmt: skip
_SUM_LINE = re.compile(r"([0-9a-f]{64})  (\S+)")
_HLC = re.compile(r"[0-9]{16}-[0-9]{4}")
PROGRESS_EVERY = 20_000
Progress = Callable[[int, int], None]  # (done, total); may raise Cancelled


@dataclass(frozen=True)
class BundleInfo:
    """What a bundle holds, as `bundle verify` shows it."""

    bundle_id: str
    inspection_id: str
    device_id: str
    author: str
    created: str | None
    op_count: int
    schema: int
    app_version: str
    encryption: str  # "recipients" | "passphrase" | "plain"
    forms: tuple[str, ...] = ()
    inspection_name: str | None = None
    author_name: str | None = None
    signed: int = 0  # devices whose ops carry a good signature
    devices: int = 0  # devices the bundle carries ops of


def info_of(m: dict[str, Any], encryption: str, forms: tuple[str, ...]) -> BundleInfo:
    return BundleInfo(
        m["bundle_id"], m["inspection_id"], m["device_id"], m["author"], m["created"],
        m["op_count"], m["schema"], m["app_version"], encryption, forms,
    )  # fmt: skip


class OpenedBundle:
    """A bundle opened and its manifest, checksums and forms checked; ops stream from `ops`."""

    def __init__(self, path: Path, zip_: BundleZip, encryption: str) -> None:
        self.path = path
        self.zip = zip_
        self.manifest = _manifest(zip_)
        self.sums = _sums(zip_, self.manifest)
        self.forms = _forms(zip_, self.sums)
        self.methods = _methods(zip_, self.sums)
        self.signatures = _signatures(zip_, self.sums)
        self.info = info_of(self.manifest, encryption, tuple(self.forms))
        self._names: dict[str, str | None] = {}
        self.chains: Chains | None = None

    def rows(
        self,
        *,
        inspection_id: str | None = None,
        progress: Progress | None = None,
        chains: Chains | None = None,
    ) -> Iterator[Row]:
        """Every op, validated, as a row of `changes`; the checksum, count and order are
        checked by the end, so a consumer applying them inside a transaction rolls back
        on any error. Each device's hash chain is fed to `chains` (signing.py) and, by
        the end, checked against the bundle's signatures."""
        chains = self.chains = chains if chains is not None else Chains(self._marks())
        m = self.manifest
        want = inspection_id or m["inspection_id"]
        total = m["op_count"]
        cap = MAX_OP_BYTES + total * PER_OP_BYTES
        digest: dict[str, str] = {}
        last: tuple[str, str, str] = ("", "", "")
        n = 0
        for line in self.zip.lines(CHANGES, cap, digest):
            n += 1
            if n > total:
                raise BundleError("Refused: the change log holds more ops than the manifest says.")
            row = parse_row(line, n)
            key = (row[1], row[2], row[0])  # hlc, device, op
            if key <= last:
                raise BundleError(f"Refused: changes.ndjson line {n} is out of order.")
            last = key
            entity = row[4]
            if entity == "inspection" and row[5] != want:
                raise BundleError("Refused: the bundle holds ops of another inspection.")
            if entity in ("inspection", "members") and row[6] == "name":
                self._names[row[5]] = json.loads(row[7])
            if progress and n % PROGRESS_EVERY == 0:
                progress(n, total)
            chains.add(line, row)
            yield row
        self._check_end(digest, n, last[0] or None)
        check_signed(self.signatures, chains, m["inspection_id"], self.name_of)

    def _marks(self) -> dict[str, frozenset[int]]:
        return {c.device: frozenset((c.count,)) for c in self.signatures.chains}

    def name_of(self, member: str) -> str:
        """A member's name as the bundle's ops give it, else the start of the id."""
        return str(self._names.get(member) or member[:8])

    def check(self, *, parse: bool = True) -> BundleInfo:
        """Read the whole change log and check it (validating every op when `parse`)."""
        if parse:
            for _ in self.rows():
                pass
        else:
            digest: dict[str, str] = {}
            cap = MAX_OP_BYTES + self.manifest["op_count"] * PER_OP_BYTES
            n = 0
            last = b""
            for line in self.zip.lines(CHANGES, cap, digest):
                n += 1
                last = line
            self._check_end(digest, n, parse_row(last, n)[1] if n else None)
        return self.described()

    def _check_end(self, digest: dict[str, str], n: int, newest: str | None) -> None:
        m = self.manifest
        if digest.get("sha256") != m["bundle_id"]:
            raise BundleError("Refused: changes.ndjson does not match its checksum.")
        if n != m["op_count"]:
            raise BundleError("Refused: the change log holds fewer ops than the manifest says.")
        if m["created"] != newest:
            raise BundleError("Refused: the manifest's time is not that of the newest op.")

    def described(self) -> BundleInfo:
        insp = self._names.get(self.info.inspection_id)
        who = self._names.get(self.info.author)
        devices = len(self.chains.by_device) if self.chains else 0
        return dataclasses.replace(
            self.info,
            inspection_name=insp,
            author_name=who,
            signed=len(self.signatures.chains),
            devices=devices,
        )


def open_bundle(
    path: str | Path,
    identities: Sequence[Any] = (),
    ask_passphrase: Callable[[], str] | None = None,
) -> OpenedBundle:
    """Open (decrypting if need be) and check everything but the ops themselves."""
    path = Path(path)
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
            size = path.stat().st_size
            if crypto.is_age(head):
                f.seek(0)
                data = crypto.decrypt(f.read(), identities, ask_passphrase)
                return OpenedBundle(path, BundleZip(data, len(data)), _sealed(head))
            raw = f.read()
    except IsADirectoryError as exc:
        raise BundleError(f"{path} is a folder, not a bundle.") from exc
    except FileNotFoundError as exc:
        raise BundleError(f"No such bundle: {path}") from exc
    except OSError as exc:
        raise BundleError(f"Cannot read the bundle {path}: {exc.strerror or exc}.") from exc
    return OpenedBundle(path, BundleZip(head + raw, size), "plain")


def _sealed(head: bytes) -> str:
    return "passphrase" if crypto.needs_passphrase(head) else "recipients"


def _manifest(z: BundleZip) -> dict[str, Any]:
    data, _ = z.read(MANIFEST, "the manifest", 64 << 10)
    try:
        m = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError) as exc:
        raise BundleError("Refused: the bundle's manifest is not valid JSON.") from exc
    if not isinstance(m, dict) or m.get("format") != FORMAT:
        raise BundleError("Refused: this zip is not a Fieldwork bundle (manifest format).")
    version = m.get("version")
    if type(version) is not int:
        raise BundleError("Refused: the bundle's manifest has no format version.")
    schema = m.get("schema")
    if version > VERSION or (type(schema) is int and schema > OPS_SCHEMA):
        raise BundleError(
            f"This bundle was made by a newer Fieldwork (bundle version {version}, schema "
            f"{schema}; this app reads up to {VERSION} and {OPS_SCHEMA}): update Fieldwork "
            "to import it."
        )
    if version != VERSION:
        raise BundleError(f"Refused: unknown bundle format version {version}.")
    if m.keys() != MANIFEST_KEYS:
        raise BundleError("Refused: the bundle's manifest has missing or unknown fields.")
    ok = (
        all(is_id(m[k]) for k in ("inspection_id", "device_id", "author"))
        and isinstance(m["bundle_id"], str)
        and re.fullmatch(r"[0-9a-f]{64}", m["bundle_id"]) is not None
        and (m["created"] is None or (type(m["created"]) is str and _HLC.fullmatch(m["created"])))
        and type(m["op_count"]) is int
        and 0 <= m["op_count"] <= 1_000_000_000
        and type(schema) is int
        and schema >= 1
        and isinstance(m["app_version"], str)
        and isinstance(m["files"], list)
    )
    if not ok:
        raise BundleError("Refused: the bundle's manifest has a field of the wrong kind.")
    return m


def _sums(z: BundleZip, m: dict[str, Any]) -> dict[str, str]:
    data, _ = z.read(SUMS, "the checksums")
    sums: dict[str, str] = {}
    for line in data.decode("ascii", "replace").splitlines():
        found = _SUM_LINE.fullmatch(line)
        if not found or found[2] in sums:
            raise BundleError("Refused: the bundle's SHA256SUMS is malformed.")
        sums[found[2]] = found[1]
    members = set(z.names()) - {SUMS}
    if set(sums) != members:
        raise BundleError("Refused: the bundle's SHA256SUMS does not list exactly its members.")
    _, manifest_sha = z.read(MANIFEST, "the manifest", 64 << 10)
    if sums[MANIFEST] != manifest_sha:
        raise BundleError("Refused: manifest.json does not match its checksum.")
    files = m["files"]
    listed: dict[str, dict[str, Any]] = {}
    for f in files:
        if (
            not isinstance(f, dict)
            or f.keys() != {"name", "size", "sha256"}
            or not isinstance(f["name"], str)
            or f["name"] in listed
        ):
            raise BundleError("Refused: the manifest's list of files is malformed.")
        listed[f["name"]] = f
    if set(listed) != members - {MANIFEST}:
        raise BundleError("Refused: the manifest does not list exactly the bundle's files.")
    for name, f in listed.items():
        if f["sha256"] != sums[name] or f["size"] != z.infos[name].file_size:
            raise BundleError(f"Refused: the manifest and SHA256SUMS disagree about {name}.")
    if sums[CHANGES] != m["bundle_id"]:
        raise BundleError("Refused: the bundle id is not the checksum of its change log.")
    return sums


def _forms(z: BundleZip, sums: dict[str, str]) -> dict[str, str]:
    from fieldwork.core.forms.loader import parse_form

    return _definitions(z, sums, FORM_RE, parse_form, "form")


def _methods(z: BundleZip, sums: dict[str, str]) -> dict[str, str]:
    """The method file a bundle carries (schema 2 on): checked like a form."""
    from fieldwork.core.forms.method_loader import parse_method

    return _definitions(z, sums, METHOD_RE, parse_method, "method")


def _definitions(
    z: BundleZip,
    sums: dict[str, str],
    pattern: re.Pattern[str],
    parse: Callable[[str, str], Any],
    what: str,
) -> dict[str, str]:
    """The form or method files a bundle carries ({id: YAML text}), each checked against
    its checksum and parsed as the shipped ones are; one named for another id is refused."""
    found_texts: dict[str, str] = {}
    for name in sorted(z.names()):
        found = pattern.match(name)
        if not found:
            continue
        data, sha = z.read(name, f"a {what}")
        if sha != sums[name]:
            raise BundleError(f"Refused: {name} does not match its checksum.")
        try:
            text = data.decode("utf-8")
            parsed = parse(text, name)
        except (ValueError, FieldworkError) as exc:
            raise BundleError(f"Refused: {name} is not a valid {what} ({exc}).") from exc
        if parsed.id != found[1]:
            raise BundleError(f"Refused: {name} holds the {what} {parsed.id!r}.")
        found_texts[parsed.id] = text
    return found_texts


def _signatures(z: BundleZip, sums: dict[str, str]) -> Signatures:
    if SIGNATURES not in sums:
        return Signatures()  # a bundle from release 0.1.0: its ops are unverified
    data, sha = z.read(SIGNATURES, "the signatures")
    if sha != sums[SIGNATURES]:
        raise BundleError(f"Refused: {SIGNATURES} does not match its checksum.")
    return parse_signatures(data)


def verify_bundle(
    path: str | Path,
    identities: Sequence[Any] = (),
    ask_passphrase: Callable[[], str] | None = None,
) -> BundleInfo:
    """Check everything in a bundle, touching no inspection file."""
    return open_bundle(path, identities, ask_passphrase).check()
