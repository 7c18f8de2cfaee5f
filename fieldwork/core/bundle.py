"""Sync bundles: export the change log and forms, verify a bundle, import it (DESIGN.md section 5).

A bundle is a deterministic zip (bundle_zip) of manifest.json, changes.ndjson, the
forms and SHA256SUMS, age-encrypted (bundle_crypto) when the inspection is. Import
treats it as hostile: everything is checked while it streams, every op is validated
(bundle_ops), and all ops enter through `Store.apply_ops` inside one transaction, so
a bad bundle, a crash or a cancel leaves the file exactly as it was.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

from fieldwork import __version__
from fieldwork.core import bundle_crypto as crypto
from fieldwork.core import db
from fieldwork.core.bundle_ops import is_id, parse_op
from fieldwork.core.bundle_zip import (
    CHANGES,
    FORM_RE,
    MANIFEST,
    MAX_OP_BYTES,
    PER_OP_BYTES,
    SUMS,
    BundleZip,
    Deflated,
    Deflater,
    deflate,
    write_zip,
)
from fieldwork.core.errors import BundleError, FieldworkError, UserError
from fieldwork.core.model import ApplyResult, Conflict, Op
from fieldwork.core.store import Store, atomic_write_bytes

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
BULK_CACHE_KIB = 256 * 1024
Progress = Callable[[int, int], None]  # (done, total); may raise Cancelled

# The canonical line of an op (Op.to_json) built by SQLite: the columns already hold
# canonical JSON for value and prev, and the ids, names and clock need no escaping.
_LINE_SQL = (
    'SELECT hlc, \'{"author":"\' || author || \'","device":"\' || device'
    ' || \'","entity":"\' || entity || \'","field":"\' || field || \'","hlc":"\' || hlc'
    ' || \'","op":"\' || op || \'","prev":\' || prev || \',"row":"\' || row'
    " || '\",\"value\":' || coalesce(value, 'null') || '}' FROM changes ORDER BY hlc, device, op"
)


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


@dataclass(frozen=True)
class ExportResult:
    path: Path
    info: BundleInfo
    recipients: int
    size: int


@dataclass(frozen=True)
class ImportResult:
    path: Path
    info: BundleInfo
    new: int
    known: int
    conflicts: tuple[Conflict, ...] = field(default_factory=tuple)


# ------------------------------------------------------------------- export


def recipients_of(store: Store) -> list[str]:
    """This laptop's own public key and every member's (team laptops and headquarters)."""
    keys = [store.age_recipient]
    keys += [m.public_key for m in store.members() if m.public_key]
    return list(dict.fromkeys(keys))


def export_bundle(
    store: Store,
    dest: str | Path,
    *,
    recipients: Sequence[str] = (),
    passphrase: str | None = None,
    plain: bool = False,
    progress: Progress | None = None,
) -> ExportResult:
    """Write the whole change log and the forms to `dest`, atomically, then read it back.

    Encrypted to the inspection's recipients (plus `recipients`) when the file is encrypted
    or recipients are given; to `passphrase` for a setup bundle; plain only from an
    unencrypted file or with `plain`.
    """
    dest = Path(dest)
    if plain and (recipients or passphrase):
        raise UserError("A plain bundle has no recipients or passphrase: drop --plain or them.")
    if recipients and passphrase:
        raise UserError("Give either recipients or a passphrase for the bundle, not both.")
    for key in recipients:
        crypto.recipient(key)
    if passphrase is not None:
        mode = "passphrase"
    elif plain or (not store.encrypted and not recipients):
        mode = "plain"
    else:
        mode = "recipients"
    inspection = store.inspection()
    integrity = _check_alongside(store)
    data, info = _build_zip(store, inspection.id, progress)
    checked = integrity()
    if not checked["ok"]:
        raise BundleError(
            f"{store.path.name} failed its integrity check: nothing was exported "
            f"({'; '.join(checked['integrity'][:1])})."
        )
    keys: list[str] = []
    if mode == "recipients":
        keys = list(dict.fromkeys([*recipients_of(store), *recipients]))
        data = crypto.encrypt(data, keys)
    elif mode == "passphrase":
        data = crypto.encrypt_with_passphrase(data, passphrase or "")
    try:
        with db.translated(dest):
            atomic_write_bytes(dest, data)
    except OSError as exc:
        raise BundleError(f"Cannot write the bundle {dest}: {exc.strerror or exc}.") from exc
    try:
        back = open_bundle(
            dest,
            [crypto.identity(store.age_identity)],
            (lambda: passphrase or "") if mode == "passphrase" else None,
        )
        back.check(parse=False)
        if back.info.bundle_id != info.bundle_id:
            raise BundleError("the bundle read back differs from what was written")
    except BundleError as exc:
        dest.unlink(missing_ok=True)
        raise BundleError(
            f"The bundle did not verify after writing, so it was removed: {exc}"
        ) from exc
    info = BundleInfo(**{**info.__dict__, "encryption": mode})
    store.record_bundle(
        bundle_id=info.bundle_id,
        direction="out",
        path=str(dest),
        device=store.device_id,
        author=store.author,
        op_count=info.op_count,
        new_ops=None,
        created=info.created,
    )
    return ExportResult(dest, info, len(keys), len(data))


def _check_alongside(store: Store) -> Callable[[], dict[str, Any]]:
    """Run `store.check()` on a second, read-only connection while the bundle is built.

    The integrity check of a 2-million-op file takes longer than writing its bundle, and
    SQLite releases the GIL, so the two overlap. Returns a function that waits for it.
    """
    # No public accessor yet for the file's key (Store.reader() is asked for in issue 4).
    passphrase = getattr(store, "_passphrase", None)
    found: dict[str, Any] = {}

    def work() -> None:
        try:
            with Store.open(store.path, passphrase, readonly=True, check=False) as reader:
                found["check"] = reader.check()
        except BaseException as exc:  # handed to the waiting thread
            found["error"] = exc

    thread = threading.Thread(target=work, name="bundle-integrity", daemon=True)
    thread.start()

    def wait() -> dict[str, Any]:
        thread.join()
        if "error" in found:
            raise found["error"]
        return found["check"]  # type: ignore[no-any-return]

    return wait


@contextlib.contextmanager
def _bulk(store: Store) -> Iterator[None]:
    """A bigger page cache while a large bundle is applied (random-order index inserts
    into `changes` thrash the default 2 MB cache); put back afterwards."""
    before = store.conn.execute("PRAGMA cache_size").fetchone()[0]
    store.conn.execute(f"PRAGMA cache_size = {-BULK_CACHE_KIB}")
    try:
        yield
    finally:
        store.conn.execute(f"PRAGMA cache_size = {int(before)}")


def _build_zip(
    store: Store, inspection_id: str, progress: Progress | None
) -> tuple[bytes, BundleInfo]:
    total = store.op_count() if progress else 0
    changes = Deflater()
    count = 0
    newest: str | None = None
    cur = store.conn.execute(_LINE_SQL)
    while rows := cur.fetchmany(5000):
        changes.write(("\n".join([r[1] for r in rows]) + "\n").encode("utf-8"))
        count += len(rows)
        newest = rows[-1][0]
        if progress:
            progress(count, total)
    changes_d = changes.finish()
    forms = {fid: deflate(src.encode("utf-8")) for fid, src in sorted(store.form_sources().items())}
    members: list[tuple[str, Deflated]] = [(CHANGES, changes_d)]
    members += [(f"forms/{fid}.yaml", d) for fid, d in forms.items()]
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "bundle_id": changes_d.sha256,
        "inspection_id": inspection_id,
        "device_id": store.device_id,
        "author": store.author,
        "created": newest,
        "op_count": count,
        "schema": db.LATEST_SCHEMA,
        "app_version": __version__,
        "files": [{"name": n, "size": d.size, "sha256": d.sha256} for n, d in members],
    }
    manifest_d = deflate(_manifest_bytes(manifest))
    members.insert(0, (MANIFEST, manifest_d))
    sums = "".join(f"{d.sha256}  {n}\n" for n, d in members)
    members.append((SUMS, deflate(sums.encode("ascii"))))
    buf = BytesIO()
    write_zip(buf, members)
    return buf.getvalue(), _info(manifest, "plain", tuple(forms))


def _manifest_bytes(manifest: dict[str, Any]) -> bytes:
    return (json.dumps(manifest, sort_keys=True, ensure_ascii=False, indent=1) + "\n").encode()


def _info(m: dict[str, Any], encryption: str, forms: tuple[str, ...]) -> BundleInfo:
    return BundleInfo(
        m["bundle_id"], m["inspection_id"], m["device_id"], m["author"], m["created"],
        m["op_count"], m["schema"], m["app_version"], encryption, forms,
    )  # fmt: skip


# --------------------------------------------------------------------- read


class OpenedBundle:
    """A bundle opened and its manifest, checksums and forms checked; ops stream from `ops`."""

    def __init__(self, path: Path, zip_: BundleZip, encryption: str) -> None:
        self.path = path
        self.zip = zip_
        self.manifest = _manifest(zip_)
        self.sums = _sums(zip_, self.manifest)
        self.forms = _forms(zip_, self.sums)
        self.info = _info(self.manifest, encryption, tuple(self.forms))
        self._names: dict[str, str | None] = {}

    def ops(
        self, *, inspection_id: str | None = None, progress: Progress | None = None
    ) -> Iterator[Op]:
        """Every op, validated; the checksum, count and order are checked by the end, so a
        consumer applying them inside a transaction rolls back on any error."""
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
            op = parse_op(line, n)
            key = (op.hlc, op.device, op.op)
            if key <= last:
                raise BundleError(f"Refused: changes.ndjson line {n} is out of order.")
            last = key
            if op.entity == "inspection" and op.row != want:
                raise BundleError("Refused: the bundle holds ops of another inspection.")
            if op.entity in ("inspection", "members") and op.field == "name":
                self._names[op.row] = op.value
            if progress and n % PROGRESS_EVERY == 0:
                progress(n, total)
            yield op
        self._check_end(digest, n, last[0] or None)

    def check(self, *, parse: bool = True) -> BundleInfo:
        """Read the whole change log and check it (validating every op when `parse`)."""
        if parse:
            for _ in self.ops():
                pass
        else:
            digest: dict[str, str] = {}
            cap = MAX_OP_BYTES + self.manifest["op_count"] * PER_OP_BYTES
            n = 0
            last = b""
            for line in self.zip.lines(CHANGES, cap, digest):
                n += 1
                last = line
            self._check_end(digest, n, parse_op(last, n).hlc if n else None)
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
        return BundleInfo(**{**self.info.__dict__, "inspection_name": insp, "author_name": who})


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
    if version > VERSION or (type(schema) is int and schema > db.LATEST_SCHEMA):
        raise BundleError(
            f"This bundle was made by a newer Fieldwork (bundle version {version}, schema "
            f"{schema}; this app reads up to {VERSION} and {db.LATEST_SCHEMA}): update Fieldwork "
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
    from fieldwork.core.forms import parse_form

    forms: dict[str, str] = {}
    for name in sorted(z.names()):
        found = FORM_RE.match(name)
        if not found:
            continue
        data, sha = z.read(name, "a form")
        if sha != sums[name]:
            raise BundleError(f"Refused: {name} does not match its checksum.")
        try:
            text = data.decode("utf-8")
            form = parse_form(text, name)
        except (ValueError, FieldworkError) as exc:
            raise BundleError(f"Refused: {name} is not a valid form ({exc}).") from exc
        if form.id != found[1]:
            raise BundleError(f"Refused: {name} holds the form {form.id!r}.")
        forms[form.id] = text
    return forms


def verify_bundle(
    path: str | Path,
    identities: Sequence[Any] = (),
    ask_passphrase: Callable[[], str] | None = None,
) -> BundleInfo:
    """Check everything in a bundle, touching no inspection file."""
    return open_bundle(path, identities, ask_passphrase).check()


# ------------------------------------------------------------------- import


def import_bundles(
    store: Store,
    paths: Sequence[str | Path],
    *,
    identities: Sequence[Any] = (),
    ask_passphrase: Callable[[], str] | None = None,
    progress: Progress | None = None,
) -> list[ImportResult]:
    """Check and apply bundles, all in one transaction: any error leaves the file as it was."""
    inspection = store.inspection()
    ids = [crypto.identity(store.age_identity), *identities]
    results = []
    with _bulk(store), store.transaction():
        for path in paths:
            b = open_bundle(path, ids, ask_passphrase)
            if b.info.inspection_id != inspection.id:
                raise BundleError(
                    f"{Path(path).name} is a bundle of another inspection, not of "
                    f"{inspection.name!r}: nothing was imported."
                )
            results.append(_apply(store, b, inspection.id, progress))
    return results


def _apply(
    store: Store, b: OpenedBundle, inspection_id: str, progress: Progress | None
) -> ImportResult:
    for text in b.forms.values():
        try:
            store.add_form(text)
        except ValueError as exc:
            raise BundleError(f"Refused: a form in the bundle is not valid ({exc}).") from exc
    if _seen(store, b.info.bundle_id):
        # These very ops were exported from or applied to this file before (same
        # transaction as its history line), so only the bytes need checking.
        info = b.check(parse=False)
        applied = ApplyResult(0, info.op_count, ())
    else:
        applied = store.apply_ops(b.ops(inspection_id=inspection_id, progress=progress))
        info = b.described()
    store.record_bundle(
        bundle_id=info.bundle_id,
        direction="in",
        path=str(b.path),
        device=info.device_id,
        author=info.author,
        op_count=info.op_count,
        new_ops=applied.new,
        created=info.created,
    )
    return ImportResult(b.path, info, applied.new, applied.known, applied.conflicts)


def _seen(store: Store, bundle_id: str) -> bool:
    return any(h["bundle_id"] == bundle_id for h in store.bundle_history())


def join_from_bundle(
    bundle: str | Path,
    dest: str | Path,
    file_passphrase: str | None,
    *,
    identities: Sequence[Any] = (),
    ask_passphrase: Callable[[], str] | None = None,
    member_name: str | None = None,
    progress: Progress | None = None,
) -> tuple[Store, ImportResult]:
    """Make `dest` a new laptop's copy of the inspection in a setup bundle.

    The new file has its own device id, author id and age identity; this laptop is added
    as a team member with its public key, so the team's next bundles are encrypted to it.
    """
    dest = Path(dest)
    b = open_bundle(bundle, identities, ask_passphrase)
    store = Store.create_empty(dest, file_passphrase)
    try:
        with _bulk(store), store.transaction():
            result = _apply(store, b, b.info.inspection_id, progress)
            if not store.has_inspection():
                raise BundleError("This bundle holds no inspection to join (not a setup bundle).")
            store.insert(
                "members",
                {
                    "name": member_name or getpass.getuser(),
                    "role": "inspector",
                    "public_key": store.age_recipient,
                },
                row_id=store.author,
            )
    except BaseException:
        store.close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(dest) + suffix).unlink(missing_ok=True)
        raise
    return store, result


def add_recipient(store: Store, public_key: str, name: str, role: str = "headquarters") -> str:
    """Record a public key (headquarters, say) as a member, so bundles are encrypted to it."""
    key = str(crypto.recipient(public_key))
    if not name.strip():
        raise UserError("Give the recipient a name (for example --name Headquarters).")
    for m in store.members():
        if m.public_key == key:
            raise UserError(f"That key is already a recipient ({m.name}).")
    return store.insert("members", {"name": name.strip(), "role": role, "public_key": key})


__all__ = [
    "BundleInfo",
    "ExportResult",
    "ImportResult",
    "add_recipient",
    "export_bundle",
    "import_bundles",
    "join_from_bundle",
    "open_bundle",
    "recipients_of",
    "verify_bundle",
]
