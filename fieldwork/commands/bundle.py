"""Subcommands for sync: bundle export/import/verify, keygen, recipients, conflicts, resolve,
and joining an inspection from a setup bundle (`fieldwork new FILE --from-bundle B`)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from fieldwork.commands.common import ask_passphrase, open_store, out
from fieldwork.core.casework import conflicts, roles
from fieldwork.core.errors import UserError
from fieldwork.core.model import Conflict
from fieldwork.core.passphrase import check_new
from fieldwork.core.schema import ENTITIES, check_value
from fieldwork.core.storage.clock import MAX_AHEAD_MS, hlc_ms, hlc_text, span_text, wall_ms
from fieldwork.core.storage.store import Store
from fieldwork.core.sync import bundle, crypto

BUNDLE_PASSPHRASE_ENV = "FIELDWORK_BUNDLE_PASSPHRASE"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bundle", help="sync bundles: export, import, verify")
    bsub = p.add_subparsers(dest="bundle_command", required=True)
    e = bsub.add_parser("export", help="write the whole change log and forms to a bundle")
    e.add_argument("file")
    e.add_argument("out")
    e.add_argument("--recipient", action="append", default=[], metavar="AGE_PUBLIC_KEY")
    e.add_argument("--passphrase-env", metavar="VAR", help="seal a setup bundle with $VAR")
    e.add_argument("--plain", action="store_true", help="no encryption (from an encrypted file)")
    e.set_defaults(func=cmd_export)
    i = bsub.add_parser("import", help="check and apply bundles, all or nothing")
    i.add_argument("file")
    i.add_argument("bundles", nargs="+", metavar="bundle")
    i.add_argument("--identity", metavar="KEYFILE")
    i.set_defaults(func=cmd_import)
    v = bsub.add_parser("verify", help="check a bundle and show what it holds")
    v.add_argument("bundle")
    v.add_argument("--identity", metavar="KEYFILE")
    v.set_defaults(func=cmd_verify)

    k = sub.add_parser("keygen", help="write an age identity (for headquarters)")
    k.add_argument("out")
    k.set_defaults(func=cmd_keygen)

    r = sub.add_parser("recipients", help="public keys bundles are encrypted to")
    rsub = r.add_subparsers(dest="recipients_command", required=True)
    ra = rsub.add_parser("add", help="add a public key (headquarters) as a recipient")
    ra.add_argument("file")
    ra.add_argument("key", metavar="AGE_PUBLIC_KEY")
    ra.add_argument("--name", default="Headquarters")
    ra.add_argument("--role", default="headquarters")
    ra.set_defaults(func=cmd_recipients_add)
    rl = rsub.add_parser("list", help="list the recipients")
    rl.add_argument("file")
    rl.set_defaults(func=cmd_recipients_list)

    c = sub.add_parser("conflicts", help="list open conflicts")
    c.add_argument("file")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_conflicts)

    s = sub.add_parser("resolve", help="resolve one conflict")
    s.add_argument("file")
    s.add_argument("conflict_id")
    s.add_argument("--take", required=True, metavar="VALUE")
    s.set_defaults(func=cmd_resolve)


# ----------------------------------------------------------------- helpers


def hlc_time(hlc: str | None) -> str:
    """A clock value as a readable UTC time (never an error, whatever the value)."""
    return hlc_text(hlc)


def _ahead_note(hlc: str | None) -> str | None:
    """Why importing a bundle this new would be refused here, if it would."""
    ms = hlc_ms(hlc)
    if ms is None or ms <= wall_ms() + MAX_AHEAD_MS:
        return None
    return (
        f"dated {span_text(ms - wall_ms())} ahead of this laptop's clock: an import here "
        "refuses it (check the date and time on both laptops)"
    )


def _identities(path: str | None) -> list[Any]:
    return crypto.read_identity_file(path) if path else []


def _bundle_passphrase() -> str:
    return ask_passphrase("Bundle passphrase: ", env=BUNDLE_PASSPHRASE_ENV)


def _describe(info: bundle.BundleInfo) -> str:
    who = info.author_name or f"someone not in the team (device {info.device_id[:8]})"
    return f"{info.op_count} ops from {who}, newest {hlc_time(info.created)}"


# ------------------------------------------------------------------ bundle


def cmd_export(args: argparse.Namespace) -> int:
    passphrase = None
    if args.passphrase_env:
        passphrase = os.environ.get(args.passphrase_env)
        if not passphrase:
            raise UserError(
                f"{args.passphrase_env} is not set: it must hold the bundle passphrase."
            )
    store = open_store(args.file)
    try:
        if passphrase is not None:  # a setup bundle's seal: the rule of core/passphrase.py
            check_new(passphrase, store.reads.inspection().name)
        result = bundle.export_bundle(
            store, args.out, recipients=args.recipient, passphrase=passphrase, plain=args.plain
        )
    finally:
        store.close()
    info = result.info
    how = {
        "plain": "not encrypted",
        "passphrase": "sealed with a passphrase",
        "recipients": f"encrypted to {result.recipients} recipients",
    }[info.encryption]
    out(
        f"Wrote {result.path}: {info.op_count} ops, newest {hlc_time(info.created)}, {how}; "
        f"verified (bundle {info.bundle_id[:12]})."
    )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    store = open_store(args.file)
    try:
        results = bundle.import_bundles(
            store,
            args.bundles,
            identities=_identities(args.identity),
            ask_passphrase=_bundle_passphrase,
        )
        everyone = store.trust.names()
        lines = {c.id: _conflict_lines(store, c) for r in results for c in r.conflicts}
    finally:
        store.close()
    from fieldwork.commands.team import proof, set_aside_lines  # (it imports this module)

    for r in results:
        out(
            f"{r.path.name}: {r.new} new ops, {r.known} already known, "
            f"{len(r.conflicts)} conflicts ({_describe(r.info)}); {proof(r)}"
        )
        for c in r.conflicts:
            for line in lines[c.id]:
                out("  " + line)
        for line in set_aside_lines(r, everyone, args.file):
            out("  " + line)
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    info = bundle.verify_bundle(
        args.bundle, _identities(args.identity), ask_passphrase=_bundle_passphrase
    )
    out(f"ok: {args.bundle}")
    out(f"  inspection  {info.inspection_name or '?'} ({info.inspection_id})")
    out(f"  device      {info.device_id}")
    out(f"  author      {info.author_name or '?'} ({info.author})")
    out(f"  ops         {info.op_count}")
    out(f"  created     {hlc_time(info.created)} ({info.created or '-'})")
    if note := _ahead_note(info.created):
        out(f"  warning     {note}")
    out(f"  forms       {', '.join(info.forms) or '-'}")
    out(f"  encryption  {info.encryption}")
    out(f"  bundle id   {info.bundle_id}")
    out(f"  signed      {info.signed} of {info.devices} devices (each signature checked)")
    out(f"  made by     Fieldwork {info.app_version} (schema {info.schema})")
    return 0


def join_from_bundle(args: argparse.Namespace, passphrase: str | None) -> int:
    """`fieldwork new FILE --from-bundle B [--identity K]`: this laptop joins the inspection."""
    name = args.inspector or os.environ.get("FIELDWORK_INSPECTOR") or None
    store, result = bundle.join_from_bundle(
        args.from_bundle,
        args.file,
        passphrase,
        identities=_identities(args.identity),
        ask_passphrase=_bundle_passphrase,
        member_name=name,
    )
    try:
        inspection = store.reads.inspection()
        key = store.age_recipient
        asked = store.trust.join_requests().get(store.author, {})  # a new member's request
        me = store.reads.member_names().get(store.author) or str(asked.get("name") or "")
        mine = sum(c.inspector == store.author for c in store.reads.cases())
    finally:
        store.close()
    out(
        f"Joined {inspection.name!r} in {args.file} ({result.new} ops; "
        f"{'encrypted' if passphrase else 'not encrypted'})."
    )
    out(f"You are {me} in the team, with {mine} case{'s' if mine != 1 else ''} allotted to you.")
    out(f"This laptop's public key: {key}")
    out(
        "Send the lead a bundle: the lead admits this laptop (`fieldwork members admit`), "
        "then the team's bundles are encrypted to it."
    )
    return 0


# ------------------------------------------------------------- keys


def cmd_keygen(args: argparse.Namespace) -> int:
    path = Path(args.out)
    if path.exists():
        raise UserError(f"{path} already exists: keys are never overwritten.")
    text, public = crypto.new_identity_file()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as exc:
        raise UserError(f"Cannot write {path}: {exc.strerror or exc}.") from exc
    sys.stderr.write(f"Wrote the identity to {path}: keep it secret.\n")
    out(public)
    return 0


def cmd_recipients_add(args: argparse.Namespace) -> int:
    store = open_store(args.file)
    try:
        bundle.add_recipient(store, args.key, args.name, args.role)
    finally:
        store.close()
    what = roles.role_words(args.role).lower()
    out(f"Added {args.name} ({what}): bundles from now on are encrypted to it too.")
    return 0


def cmd_recipients_list(args: argparse.Namespace) -> int:
    store = open_store(args.file, readonly=True)
    try:
        members = [m for m in store.reads.members() if m.public_key]
        own = store.age_recipient
    finally:
        store.close()
    for m in members:
        mine = " (this laptop)" if m.public_key == own else ""
        out(f"{m.public_key}  {m.name} ({roles.role_words(m.role).lower()}){mine}")
    return 0


# ------------------------------------------------------------ conflicts


def _value_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _conflict_lines(store: Store, c: Conflict) -> list[str]:
    """A conflict in words (core/casework/conflicts.describe), its id first for `resolve`."""
    lines = conflicts.describe(store, c).lines()
    return [f"{c.id}  {lines[0]}", *lines[1:]]


def conflict_json(c: Conflict, names: dict[str, str]) -> dict[str, Any]:
    return {
        "id": c.id,
        "entity": c.entity,
        "row": c.row,
        "case_ref": c.case_ref,
        "field": c.field,
        "kind": c.kind,
        "heads": [
            {
                "op": h.op,
                "field": h.field,
                "value": h.value,
                "author": h.author,
                "author_name": names.get(h.author),
                "device": h.device,
                "hlc": h.hlc,
                "time": hlc_time(h.hlc),
            }
            for h in c.heads
        ],
    }


def cmd_conflicts(args: argparse.Namespace) -> int:
    store = open_store(args.file, readonly=True)
    try:
        found = store.reads.conflicts()
        names = store.reads.member_names()
        lines = [_conflict_lines(store, c) for c in found] if not args.json else []
    finally:
        store.close()
    if args.json:
        data = [conflict_json(c, names) for c in found]
        sys.stdout.write(json.dumps(data, sort_keys=True, ensure_ascii=False, indent=1) + "\n")
        return 0
    if not found:
        out("No open conflicts.")
    for block in lines:
        for line in block:
            out(line)
    return 0


def take_value(store: Store, conflict_id: str, text: str) -> Any:
    """The value `--take` names: JSON when it fits the field, else the text itself;
    for an edit-versus-delete conflict, keep/false or delete/true."""
    matches = [c for c in store.reads.conflicts() if c.id.startswith(conflict_id)]
    if len(matches) != 1:
        return text  # store.resolve gives the reason
    c = matches[0]
    if c.kind == "deleted" or c.field == "deleted":
        word = text.strip().lower()
        if word in ("keep", "false"):
            return False
        if word in ("delete", "true"):
            return True
        raise UserError("Take keep or delete for a conflict between an edit and a deletion.")
    taken = conflicts.parse_take(store, c, text)  # an answer: read as `answer` reads it
    if taken is not None:
        return taken
    kind = ENTITIES[c.entity].fields[c.field]
    try:
        value = json.loads(text)
    except ValueError:
        return text
    return value if check_value(kind, value) else text


def cmd_resolve(args: argparse.Namespace) -> int:
    store = open_store(args.file)
    try:
        value = take_value(store, args.conflict_id, args.take)
        found = conflicts.find(store, args.conflict_id)
        line = f"Resolved {args.conflict_id}: {_value_text(value)}."
        if found is not None:
            words = conflicts.describe(store, found)
            line = (
                f"Resolved {words.where}, {words.what}: {conflicts.words_for(store, found, value)}."
            )
        conflicts.resolve(store, args.conflict_id, value)
    finally:
        store.close()
    out(line)
    return 0
