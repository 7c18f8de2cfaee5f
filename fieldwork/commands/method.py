"""Subcommands for the inspection's method: methods, evidence, judge, rate, override, text.

- `fieldwork methods`: the shipped methods.
- `fieldwork evidence add|list|tag|delete FILE ...`: the evidence register.
- `fieldwork judge FILE ORG KEY_QUESTION yes|no --text T`: a key question of a
  judgement-rated standard.
- `fieldwork rate FILE ORG STANDARD RATING --justification T [--evidence ID]`: a
  judgement-rated standard's rating.
- `fieldwork override FILE ORG STANDARD RATING --reason T` (or `--clear`): professional
  discretion on a case-based standard.
- `fieldwork text FILE foreword|overall_findings|background [TEXT | --from-file F]`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fieldwork.commands.common import open_store, out
from fieldwork.core.errors import UserError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("methods", help="list the inspection methods this release ships")
    p.set_defaults(func=cmd_methods)

    p = sub.add_parser("evidence", help="the evidence register (meetings, documents, ...)")
    ev = p.add_subparsers(dest="evidence_command", required=True)
    add = ev.add_parser("add", help="add a meeting, focus group, interview or document")
    add.add_argument("file")
    add.add_argument("--kind", required=True, help="meeting, focus_group, manager, partner, ...")
    add.add_argument("--title", required=True)
    add.add_argument("--date", help="YYYY-MM-DD")
    add.add_argument("--attendees", help="who was there, by role (never names)")
    add.add_argument("--notes")
    add.add_argument("--notes-file", help="read the notes from a UTF-8 text file")
    add.add_argument("--organisation", help="the organisation it is about (default: all)")
    add.add_argument("--tag", action="append", default=[], help="a standard or key question")
    add.set_defaults(func=cmd_evidence_add)
    ls = ev.add_parser("list", help="list the register")
    ls.add_argument("file")
    ls.add_argument("--organisation")
    ls.set_defaults(func=cmd_evidence_list)
    tag = ev.add_parser("tag", help="tag an item with a standard or key question")
    tag.add_argument("file")
    tag.add_argument("id", help="the item's id, or its first characters")
    tag.add_argument("target", help="a standard or key question id, e.g. 1.2 or 1.2.3")
    tag.add_argument("--remove", action="store_true", help="take the tag off")
    tag.set_defaults(func=cmd_evidence_tag)
    rm = ev.add_parser("delete", help="delete an item")
    rm.add_argument("file")
    rm.add_argument("id")
    rm.set_defaults(func=cmd_evidence_delete)

    p = sub.add_parser("judge", help="judge a key question of a judgement-rated standard")
    p.add_argument("file")
    p.add_argument("organisation")
    p.add_argument("key_question")
    p.add_argument("judgement", help="yes (sufficient), no, or '' to clear")
    p.add_argument("--text", help="the reasoning behind the judgement")
    p.set_defaults(func=cmd_judge)

    p = sub.add_parser("rate", help="rate a judgement-rated standard, with its justification")
    p.add_argument("file")
    p.add_argument("organisation")
    p.add_argument("standard")
    p.add_argument("rating", help="e.g. Good, 'Requires improvement'; '' clears it")
    p.add_argument("--justification")
    p.add_argument("--evidence", action="append", default=[], help="an evidence item it rests on")
    p.set_defaults(func=cmd_rate)

    p = sub.add_parser("override", help="professional discretion: rate a standard otherwise")
    p.add_argument("file")
    p.add_argument("organisation")
    p.add_argument("standard")
    p.add_argument("rating", nargs="?")
    p.add_argument("--reason")
    p.add_argument("--clear", action="store_true", help="let the rules' rating stand again")
    p.set_defaults(func=cmd_override)

    p = sub.add_parser("text", help="the report's foreword, overall findings or background")
    p.add_argument("file")
    p.add_argument("part", help="foreword, overall_findings or background")
    p.add_argument("text", nargs="?")
    p.add_argument("--from-file", help="read the text from a UTF-8 text file")
    p.set_defaults(func=cmd_text)


def _read_text(path: str | None, inline: str | None) -> str | None:
    if path is None:
        return inline
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"Cannot read {path}: {getattr(exc, 'strerror', None) or exc}.") from exc


def cmd_methods(args: argparse.Namespace) -> int:
    from fieldwork.core.storage.method_reads import shipped_methods

    for m in shipped_methods().values():
        rated = "rated" if m.rated else "rates nothing"
        samples = ", ".join(i.sample for i in m.instruments)
        out(f"{m.id}: {m.title} ({rated}; samples: {samples})")
    return 0


def cmd_evidence_add(args: argparse.Namespace) -> int:
    from fieldwork.core.casework.evidence import add_evidence

    notes = _read_text(args.notes_file, args.notes)
    store = open_store(args.file)
    try:
        ops = add_evidence(
            store,
            kind=args.kind,
            title=args.title,
            date=args.date,
            attendees=args.attendees,
            notes=notes,
            organisation=args.organisation,
            tags=args.tag,
        )
    finally:
        store.close()
    out(f"Added evidence {ops[0].row[:8]}.")
    return 0


def cmd_evidence_list(args: argparse.Namespace) -> int:
    from fieldwork.core.casework.evidence import kind_label
    from fieldwork.core.casework.records import organisation
    from fieldwork.core.storage.evidence_reads import evidence

    store = open_store(args.file, readonly=True, check=False)
    try:
        org = organisation(store, args.organisation, optional=True)
        items = evidence(store, org)
    finally:
        store.close()
    for e in items:
        tags = f" [{', '.join(e.targets)}]" if e.targets else ""
        about = f" ({e.organisation})" if e.organisation else ""
        out(f"{e.id[:8]}  {e.date or '----------'}  {kind_label(e.kind)}: {e.title}{about}{tags}")
    if not items:
        out("The evidence register is empty.")
    return 0


def cmd_evidence_tag(args: argparse.Namespace) -> int:
    from fieldwork.core.casework.evidence import find_evidence, tag_evidence

    store = open_store(args.file)
    try:
        item = find_evidence(store, args.id)
        ops = tag_evidence(store, item.id, args.target, present=not args.remove)
    finally:
        store.close()
    did = "Untagged" if args.remove else "Tagged"
    out(f"{did} {item.id[:8]} {args.target}" + ("" if ops else " (unchanged)") + ".")
    return 0


def cmd_evidence_delete(args: argparse.Namespace) -> int:
    from fieldwork.core.casework.evidence import delete_evidence, find_evidence

    store = open_store(args.file)
    try:
        item = find_evidence(store, args.id)
        delete_evidence(store, item.id)
    finally:
        store.close()
    out(f"Deleted evidence {item.id[:8]}.")
    return 0


def cmd_judge(args: argparse.Namespace) -> int:
    from fieldwork.core.casework.judgements import judge_key_question

    store = open_store(args.file)
    try:
        ops = judge_key_question(
            store, args.organisation, args.key_question, args.judgement or None, args.text
        )
    finally:
        store.close()
    out(f"Recorded the judgement on {args.key_question}" + ("" if ops else " (unchanged)") + ".")
    return 0


def cmd_rate(args: argparse.Namespace) -> int:
    from fieldwork.core.casework.evidence import find_evidence
    from fieldwork.core.casework.judgements import rate_standard

    store = open_store(args.file)
    try:
        ids = [find_evidence(store, e).id for e in args.evidence]
        ops = rate_standard(
            store,
            args.organisation,
            args.standard,
            args.rating or None,
            args.justification,
            evidence_ids=ids,
        )
    finally:
        store.close()
    did = "Rated" if args.rating else "Cleared the rating of"
    out(f"{did} {args.standard}" + ("" if ops else " (unchanged)") + ".")
    return 0


def cmd_override(args: argparse.Namespace) -> int:
    from fieldwork.core.casework.judgements import clear_override, override_rating

    if args.clear == bool(args.rating):
        raise UserError("Give a RATING with --reason, or --clear to let the rules' rating stand.")
    store = open_store(args.file)
    try:
        if args.clear:
            ops = clear_override(store, args.organisation, args.standard)
        else:
            ops = override_rating(store, args.organisation, args.standard, args.rating, args.reason)
    finally:
        store.close()
    did = "Cleared the override of" if args.clear else "Overrode"
    out(f"{did} {args.standard}" + ("" if ops else " (unchanged)") + ".")
    return 0


def cmd_text(args: argparse.Namespace) -> int:
    from fieldwork.core.casework.judgements import set_report_text

    text = _read_text(args.from_file, args.text)
    store = open_store(args.file)
    try:
        ops = set_report_text(store, args.part, text)
    finally:
        store.close()
    out(f"Saved the {args.part.replace('_', ' ')}" + ("" if ops else " (unchanged)") + ".")
    return 0
