"""Sync bundles: export the change log and forms, verify a bundle, import it (DESIGN.md section 5).

A bundle is a deterministic zip (bundle_zip) of manifest.json, changes.ndjson, the
forms and SHA256SUMS, age-encrypted (bundle_crypto) when the inspection is. Import
treats it as hostile: everything is checked while it streams, every op is validated
(bundle_ops), and all ops enter through `Store.apply_rows` inside one transaction, so
a bad bundle, a crash or a cancel leaves the file exactly as it was.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

from fieldwork import __version__
from fieldwork.core import files
from fieldwork.core.errors import BundleError, DamagedFile, UserError
from fieldwork.core.model import ApplyResult, Conflict
from fieldwork.core.schema import ADDED_IN
from fieldwork.core.storage import db, method_reads
from fieldwork.core.storage.merge import Row
from fieldwork.core.storage.store import Store
from fieldwork.core.sync import crypto
from fieldwork.core.sync.archive import (
    CHANGES,
    MANIFEST,
    SIGNATURES,
    SUMS,
    Deflated,
    Deflater,
    deflate,
    write_zip,
)
from fieldwork.core.sync.authors import Gate, Judged, evidence_of
from fieldwork.core.sync.forms import take_forms
from fieldwork.core.sync.heads import sign_export
from fieldwork.core.sync.reading import (
    FORMAT,
    VERSION,
    BundleInfo,
    OpenedBundle,
    Progress,
    info_of,
    open_bundle,
    verify_bundle,
)
from fieldwork.core.sync.signing import Chain, ChainError, SignedHead


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
    # Team changes not from the lead, kept but not applied (merge.Row shape).
    set_aside: tuple[Row, ...] = ()
    forms_set_aside: tuple[str, ...] = ()
    verified: int = 0  # devices whose ops came signed with their member's bound key
    unverified: int = 0  # devices whose ops came unsigned, or signed by an unbound key
    # The lead's key this bundle gave a file of a team begun on release 0.1.0: (lead, key).
    pin: tuple[str, str] | None = None


# ------------------------------------------------------------------- export


def recipients_of(store: Store) -> list[str]:
    """This laptop's own public key and every member's (team laptops and headquarters).
    A removed member's keys are not among them (the lost laptop); nor is a key that is no
    age recipient (a file from before such keys were refused at import), which would stop
    every export."""
    keys = [store.age_recipient]
    members = store.reads.members()
    keys += [m.public_key for m in members if m.public_key]
    present = {m.id for m in members}  # a removed member's other laptops go with them
    keys += [key for member, key in store.reads.member_keys() if member in present and key]
    return [k for k in dict.fromkeys(keys) if k == store.age_recipient or _is_recipient(k)]


def _is_recipient(key: str) -> bool:
    try:
        crypto.recipient(key)
    except UserError:
        return False
    return True


def export_bundle(
    store: Store,
    dest: str | Path,
    *,
    recipients: Sequence[str] = (),
    passphrase: str | None = None,
    plain: bool = False,
    team: bool = True,
    progress: Progress | None = None,
) -> ExportResult:
    """Write the whole change log and the forms to `dest`, atomically, then read it back.

    Encrypted to the inspection's recipients (plus `recipients`) when the file is encrypted
    or recipients are given; to `passphrase` for a setup bundle; plain only from an
    unencrypted file or with `plain`. With `team=False` only `recipients` (and this laptop,
    so it can verify what it wrote) can open it: the Sync screen's chosen keys.
    """
    dest = Path(dest)
    if plain and (recipients or passphrase):
        raise UserError(
            "A plain bundle has no recipients or passphrase: make it plain, or name them.",
            needs="plain",
        )
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
    inspection = store.reads.inspection()
    integrity = _check_alongside(store)
    try:
        with db.translated(store.path):
            data, info, made = _build_zip(store, inspection.id, progress)
        checked = integrity()
    except BaseException as exc:
        with contextlib.suppress(Exception):
            integrity()  # the check's own connection (and the file's lock) goes first
        if isinstance(exc, DamagedFile):  # a damaged page met here or by the check
            raise _damaged(store, str(exc.__cause__ or exc)) from exc
        raise
    if not checked["ok"]:
        raise _damaged(store, db.problems_text(checked["integrity"]))
    if checked["ops"] != info.op_count:
        missing = checked["ops"] - info.op_count
        raise _damaged(store, f"its change log's index misses {missing} ops")
    keys: list[str] = []
    if mode == "recipients":
        team_keys = recipients_of(store) if team else [store.age_recipient]
        keys = list(dict.fromkeys([*team_keys, *recipients]))
        data = crypto.encrypt(data, keys)
    elif mode == "passphrase":
        data = crypto.encrypt_with_passphrase(data, passphrase or "")
    try:
        files.write_bytes(dest, data)
    except OSError as exc:
        raise BundleError(f"Cannot write the bundle {dest}: {exc.strerror or exc}.") from exc
    try:
        back = open_bundle(
            dest,
            [crypto.identity(store.age_identity)],
            (lambda: passphrase or "") if mode == "passphrase" else None,
        )
        back.check()  # every line, as a teammate's import checks it
        if back.info.bundle_id != info.bundle_id:
            raise BundleError("the bundle read back differs from what was written")
    except BundleError as exc:
        dest.unlink(missing_ok=True)
        raise BundleError(
            f"The bundle did not verify after writing, so it was removed: {exc}"
        ) from exc
    info = dataclasses.replace(info, encryption=mode)
    store.trust.record_heads(made)
    store.audit.record_bundle(
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


def _damaged(store: Store, why: str) -> BundleError:
    return BundleError(
        f"{store.path.name} is damaged: nothing was exported ({why}). Restore the latest backup."
    )


def _check_alongside(store: Store) -> Callable[[], dict[str, Any]]:
    """Run `store.audit.export_check()` on a second connection while the bundle is built
    (SQLite releases the GIL, so the two overlap). Returns a function that waits for
    the result.
    """
    open_again = store.opener()
    found: dict[str, Any] = {}

    def work() -> None:
        try:
            with open_again() as reader:
                found["check"] = reader.audit.export_check()
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


def _build_zip(
    store: Store, inspection_id: str, progress: Progress | None
) -> tuple[bytes, BundleInfo, list[tuple[SignedHead, str, str]]]:
    total = (store.audit.op_count() + store.audit.set_aside_count()) if progress else 0
    changes = Deflater()
    count = 0
    newest: str | None = None
    held = store.trust.held_counts()  # device -> counts of signed heads held here
    chains: dict[str, Chain] = {}
    for rows in store.audit.op_lines():
        lines = []
        for hlc, line, device, author, op in rows:
            data = line.encode("utf-8")
            chain = chains.get(device)
            if chain is None:
                chain = chains[device] = Chain(held.get(device, frozenset()))
            chain.add(data, author, hlc, op)
            lines.append(data)
        changes.write(b"\n".join(lines) + b"\n")
        count += len(rows)
        newest = rows[-1][0]
        if progress:
            progress(count, total)
    changes_d = changes.finish()
    forms = {
        fid: deflate(src.encode("utf-8")) for fid, src in sorted(store.reads.form_sources().items())
    }
    methods = {
        mid: deflate(src.encode("utf-8"))
        for mid, src in sorted(method_reads.method_sources(store).items())
    }
    members: list[tuple[str, Deflated]] = [(CHANGES, changes_d)]
    members += [(f"forms/{fid}.yaml", d) for fid, d in forms.items()]
    members += [(f"methods/{mid}.yaml", d) for mid, d in methods.items()]
    signatures, made = sign_export(store, inspection_id, chains, members[1 : 1 + len(forms)])
    if signatures is not None:
        members.append((SIGNATURES, deflate(signatures.to_bytes())))
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "bundle_id": changes_d.sha256,
        "inspection_id": inspection_id,
        "device_id": store.device_id,
        "author": store.author,
        "created": newest,
        "op_count": count,
        # Signed heads need schema 2 to be read (release 0.1.0 knows no signatures.json).
        "schema": max(needed_schema(store, bool(methods)), 2 if signatures else 1),
        "app_version": __version__,
        "files": [{"name": n, "size": d.size, "sha256": d.sha256} for n, d in members],
    }
    manifest_d = deflate(_manifest_bytes(manifest))
    members.insert(0, (MANIFEST, manifest_d))
    sums = "".join(f"{d.sha256}  {n}\n" for n, d in members)
    members.append((SUMS, deflate(sums.encode("ascii"))))
    buf = BytesIO()
    write_zip(buf, members)
    return buf.getvalue(), info_of(manifest, "plain", tuple(forms)), made


def needed_schema(store: Store, has_methods: bool) -> int:
    """The lowest entity schema the bundle's ops need (schema.ADDED_IN), so a file that
    uses nothing newer (a release-0.1.0 inspection) still reaches a teammate on an older
    release. A method file in the bundle needs schema 2."""
    need = 1
    for version, added in sorted(ADDED_IN.items()):
        if has_methods:
            need = version
            continue
        for entity, fields in added.items():
            params: tuple[str, ...]
            if fields is None:
                sql, params = "SELECT 1 FROM changes WHERE entity=? LIMIT 1", (entity,)
            else:
                marks = ",".join("?" * len(fields))
                sql = f"SELECT 1 FROM changes WHERE entity=? AND field IN ({marks}) LIMIT 1"
                params = (entity, *fields)
            if store.conn.execute(sql, params).fetchone():
                need = version
                break
    return need


def _manifest_bytes(manifest: dict[str, Any]) -> bytes:
    return (json.dumps(manifest, sort_keys=True, ensure_ascii=False, indent=1) + "\n").encode()


# --------------------------------------------------------------------- read


# ------------------------------------------------------------------- import


def import_bundles(
    store: Store,
    paths: Sequence[str | Path],
    *,
    identities: Sequence[Any] = (),
    ask_passphrase: Callable[[], str] | None = None,
    progress: Progress | None = None,
) -> list[ImportResult]:
    """Check and apply bundles, all in one transaction: any error leaves the file as it was.
    A bundle refused for what it proves about a device (a fork, a gap, altered ops) leaves
    that evidence behind (`store.trust.evidence()`)."""
    inspection = store.reads.inspection()
    ids = [crypto.identity(store.age_identity), *identities]
    results = []
    current = ""
    try:
        with store.bulk(), store.transaction():
            for path in paths:
                current = Path(path).name
                b = open_bundle(path, ids, ask_passphrase)
                if b.info.inspection_id != inspection.id:
                    raise BundleError(
                        f"{Path(path).name} is a bundle of another inspection, not of "
                        f"{inspection.name!r}: nothing was imported."
                    )
                results.append(_apply(store, b, inspection.id, progress))
            pins = {r.pin for r in results if r.pin}
            if len(pins) > 1:
                raise BundleError("Refused: these bundles name two different keys for the lead.")
    except ChainError as exc:
        store.trust.record_evidence([evidence_of(exc, current)])
        raise
    for pin in pins:
        store.pin_lead(*pin)
    return results


def _apply(
    store: Store,
    b: OpenedBundle,
    inspection_id: str,
    progress: Progress | None,
    *,
    check_values: bool = True,
    joining: bool = False,
) -> ImportResult:
    gate = Gate(store, b, inspection_id, joining)
    forms = take_forms(store, b.forms, gate.forms_signer(), b.info.bundle_id)
    judged = Judged(ApplyResult(0, 0, ()))
    for text in b.methods.values():
        try:
            method_reads.add_method(store, text)
        except ValueError as exc:
            raise BundleError(f"Refused: a method in the bundle is not valid ({exc}).") from exc
    if _seen(store, b.info.bundle_id):
        # These very ops were exported from or applied to this file before (same
        # transaction as its history line), so only the bytes need checking.
        info = b.check(parse=False)
        judged.applied = ApplyResult(0, info.op_count, ())
    else:
        mark = store.audit.log_mark()
        # storage/vetting.py's rules, then authors.py's: team changes the lead's alone
        judged = gate.settle(store.apply_rows(gate.rows(progress), vet=True))
        info = b.described()
        if check_values:  # only what this bundle newly set: ops held are not judged again
            _refuse_answers_the_form_refuses(
                store, store.audit.answers_set_since(mark), info.author
            )
    applied = judged.applied
    store.audit.record_bundle(
        bundle_id=info.bundle_id,
        direction="in",
        path=str(b.path),
        device=info.device_id,
        author=info.author,
        op_count=info.op_count,
        new_ops=applied.new,
        created=info.created,
    )
    return ImportResult(
        b.path, info, applied.new, applied.known, applied.conflicts,
        tuple(judged.set_aside_rows), tuple(f for f, v in forms.items() if v == "not allowed"),
        len(judged.verified), len(judged.unverified), judged.pin,
    )  # fmt: skip


def _refuse_answers_the_form_refuses(store: Store, answered: set[str], author: str) -> None:
    """A teammate's bundle may not put a value the form refuses into an answer (`maybe`
    in a yes/no prompt): checked as the review editor checks, after the ops are applied in
    the import's transaction, so a refusal rolls the whole bundle back."""
    if not answered:
        return
    from fieldwork.core.casework.values import answer_problem

    forms: dict[str | None, Any] = {}
    cases = {c.id: c for c in store.reads.cases()}  # one read, not one per answer
    for answer in store.reads.answers_by_id(answered):
        case = cases.get(answer.case_id)
        if case is None:
            continue
        if case.sample not in forms:
            forms[case.sample] = method_reads.form_for_case(store, case)
        problem = answer_problem(forms[case.sample], answer.question_id, answer.value)
        if problem:
            asked = store.trust.join_requests().get(author, {})  # not yet admitted
            who = store.trust.names().get(author) or asked.get("name") or "a teammate"
            shown = repr(answer.value)[:40]
            raise BundleError(
                f"Refused: {who}'s bundle gives {shown} as an answer in case {case.ref}, "
                f"which the form does not allow ({problem.rstrip('.')}). Nothing was imported."
            )


def _seen(store: Store, bundle_id: str) -> bool:
    return any(h["bundle_id"] == bundle_id for h in store.audit.bundle_history())


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

    The new file has its own device id, author id, age identity and signing key. The lead
    is pinned from the setup bundle (the author of its first inspection op, and the key
    that signed that chain). This laptop asks to join (`Store.request_to_join`): once the
    lead admits it (`fieldwork members admit`) the team's bundles are encrypted to it.
    """
    dest = Path(dest)
    b = open_bundle(bundle, identities, ask_passphrase)
    with Store.building(dest, file_passphrase) as store, store.bulk(), store.transaction():
        # The lead's setup bundle, handed over in person: its answers were checked on the
        # lead's laptop, and re-reading every answer would slow a big join.
        result = _apply(store, b, b.info.inspection_id, progress, check_values=False, joining=True)
        if not store.reads.has_inspection():
            raise BundleError("This bundle holds no inspection to join (not a setup bundle).")
        store.request_to_join(member_name, "inspector")
    return Store.open(dest, file_passphrase, check=False), result


def add_recipient(store: Store, public_key: str, name: str, role: str = "headquarters") -> str:
    """Record a public key (headquarters, say) as a member, so bundles are encrypted to it."""
    key = str(crypto.recipient(public_key))
    if not name.strip():
        raise UserError("Give the recipient a name (for example Headquarters).", needs="name")
    for m in store.reads.members():
        if m.public_key == key:
            raise UserError(f"That key is already a recipient ({m.name}).")
    return store.insert("members", {"name": name.strip(), "role": role, "public_key": key})


__all__ = [
    "BundleInfo",
    "OpenedBundle",
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
