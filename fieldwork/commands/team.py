"""Subcommands for the team and the audit trail: `fieldwork members list|admit|add|remove`
(the lead's acts) and `fieldwork history FILE [--case REF] [--json]`."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from fieldwork.commands.bundle import hlc_time
from fieldwork.commands.common import open_store, out
from fieldwork.core import history, team
from fieldwork.core.model import Op
from fieldwork.core.sync import bundle


def register(sub: argparse._SubParsersAction) -> None:
    m = sub.add_parser("members", help="the team: list, admit, add, remove (the lead's acts)")
    msub = m.add_subparsers(dest="members_command", required=True)
    ml = msub.add_parser("list", help="members, and laptops waiting to be admitted")
    ml.add_argument("file")
    ml.set_defaults(func=cmd_list)
    ma = msub.add_parser("admit", help="admit a laptop that asked to join")
    ma.add_argument("file")
    ma.add_argument("who", metavar="NAME")
    ma.add_argument("--role", help="inspector (the default) or lead's choice")
    ma.set_defaults(func=cmd_admit)
    mad = msub.add_parser("add", help="add a member by name (and age public key)")
    mad.add_argument("file")
    mad.add_argument("name")
    mad.add_argument("--role", default="inspector")
    mad.add_argument("--key", metavar="AGE_PUBLIC_KEY")
    mad.set_defaults(func=cmd_add)
    mr = msub.add_parser("remove", help="remove a member: later bundles are not encrypted to it")
    mr.add_argument("file")
    mr.add_argument("who", metavar="NAME")
    mr.set_defaults(func=cmd_remove)

    h = sub.add_parser("history", help="who changed what, and whether it is verified")
    h.add_argument("file")
    h.add_argument("--case", metavar="REF", help="only this case and its answers")
    h.add_argument("--set-aside", action="store_true", help="only the changes set aside")
    h.add_argument("--evidence", action="store_true", help="only evidence from refused bundles")
    h.add_argument("--json", action="store_true")
    h.set_defaults(func=cmd_history)


# ------------------------------------------------------------------ members


def cmd_list(args: argparse.Namespace) -> int:
    store = open_store(args.file, readonly=True)
    try:
        members = store.reads.members()
        lead = store.trust.lead
        waiting = team.join_requests(store)
        me = store.author
    finally:
        store.close()
    for m in members:
        marks = [m.role or "member"]
        if m.id == lead:
            marks.append("the lead")
        if m.id == me:
            marks.append("this laptop")
        keys = "signs" if m.signing_key else "no signing key"
        recipient = "bundles encrypted to it" if m.public_key else "no public key"
        out(f"{m.name}  ({', '.join(marks)}; {recipient}; {keys})  {m.id}")
    for r in waiting:
        out(
            f"{r.name}  (asks {'to add another laptop' if r.keys_row else 'to join as ' + r.role}"
            f"; key {(r.public_key or '-')[:20]}...)  "
            f"{r.member_id}: admit with `fieldwork members admit FILE {r.name!r}`"
        )
    return 0


def cmd_admit(args: argparse.Namespace) -> int:
    store = open_store(args.file)
    try:
        team.admit(store, args.who, args.role)
    finally:
        store.close()
    out(f"Admitted {args.who}: the team's next bundles are encrypted to it and its ops verified.")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    store = open_store(args.file)
    try:
        team.add_member(store, args.name, args.role, args.key)
    finally:
        store.close()
    out(f"Added {args.name} ({args.role}).")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    store = open_store(args.file)
    try:
        member = team.find(store, args.who)
        team.remove(store, member.id)
    finally:
        store.close()
    out(
        f"Removed {member.name}: bundles from now on are not encrypted to its key; its "
        "changes stay in the history under its name."
    )
    return 0


# ------------------------------------------------------------------ history


def _what(op: Op, refs: dict[str, str]) -> str:
    where = refs.get(op.row) or op.row[:8]
    return f"{op.entity} {where} {op.field} = {json.dumps(op.value, ensure_ascii=False)}"


def _json(c: history.Change) -> dict[str, Any]:
    op = c.op
    return {
        "op": op.op,
        "hlc": op.hlc,
        "time": hlc_time(op.hlc),
        "author": op.author,
        "author_name": c.who,
        "device": op.device,
        "entity": op.entity,
        "row": op.row,
        "field": op.field,
        "value": op.value,
        "status": c.status,
        "verified": c.status == history.VERIFIED,
        **({"reason": c.reason} if c.reason else {}),
    }


def cmd_history(args: argparse.Namespace) -> int:
    store = open_store(args.file, readonly=True)
    try:
        refs = {c.id: c.ref for c in store.reads.cases()}
        everything = not (args.set_aside or args.evidence)
        changes = list(history.changes(store, args.case)) if everything else []
        aside = history.set_aside(store) if (args.set_aside or everything) and not args.case else []
        evidence = store.trust.evidence() if (args.evidence or everything) else []
        names = store.trust.names()
    finally:
        store.close()
    if args.json:
        data = {
            "changes": [_json(c) for c in changes],
            "set_aside": [_json(c) for c in aside],
            "evidence": [
                {"device": e.device, "author": e.author, "author_name": names.get(e.author or ""),
                 "kind": e.kind, "detail": e.detail, "bundle": e.bundle, "at": e.at}
                for e in evidence
            ],
        }  # fmt: skip
        sys.stdout.write(json.dumps(data, sort_keys=True, ensure_ascii=False, indent=1) + "\n")
        return 0
    for c in changes:
        out(f"{hlc_time(c.op.hlc)}  {c.who}  {c.status}  {_what(c.op, refs)}")
    if aside:
        out(f"Set aside (kept, not applied): {len(aside)}")
        for c in aside:
            out(f"  {hlc_time(c.op.hlc)}  {c.who}  {c.reason}  {_what(c.op, refs)}")
    for e in evidence:
        who = names.get(e.author or "") or (e.author or "")[:8]
        out(f"Evidence ({e.kind}) against device {e.device[:8]} ({who}): {e.detail}")
    if args.set_aside and not aside:
        out("Nothing set aside.")
    if args.evidence and not evidence:
        out("No evidence.")
    return 0


# ------------------------------------------------------------ bundle import lines


def proof(r: bundle.ImportResult) -> str:
    """How much of a bundle's ops came provably from their authors."""
    devices = r.verified + r.unverified
    if not devices:
        return "imported before" if r.known else "no ops"
    if not r.unverified:
        return f"signed: every op verified ({devices} devices)"
    return f"{r.verified} of {devices} devices verified, {r.unverified} unverified"


def set_aside_lines(r: bundle.ImportResult, names: dict[str, str], file: str) -> list[str]:
    """What an import set aside, one line per member row and one per form."""
    rows: dict[tuple[str, str, str], dict[str, Any]] = {}
    for row in r.set_aside:
        rows.setdefault((row[3], row[4], row[5]), {})[row[6]] = json.loads(row[7])
    lines = []
    for (author, entity, member), fields in rows.items():
        who = names.get(author) or (fields.get("name") if author == member else None)
        who = str(who or f"unknown {author[:8]}")
        key = f"key {str(fields.get('public_key') or '-')[:24]}..."
        if entity == "members" and author == member:
            lines.append(
                f"set aside: {who} asks to join as {fields.get('role') or 'inspector'} ({key}): "
                f"the lead admits with `fieldwork members admit {file} "
                f"{str(fields.get('name') or member[:8])!r}`"
            )
        elif entity == "member_keys" and fields.get("member_id") == author:
            lines.append(
                f"set aside: {who} asks to add another laptop ({key}): the lead admits with "
                f"`fieldwork members admit {file} {who!r}`"
            )
        else:
            shown = ", ".join(f"{k}={json.dumps(v)[:40]}" for k, v in sorted(fields.items()))
            lines.append(
                f"set aside: {who} changed member {names.get(member) or member[:8]} ({shown}): "
                "only the lead changes the team"
            )
    for fid in r.forms_set_aside:
        lines.append(f"set aside: a changed form {fid!r} not signed by the lead")
    return lines
