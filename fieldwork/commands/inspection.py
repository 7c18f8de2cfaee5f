"""Subcommands on the inspection file: new, demo, cases (import, remove, restore, correct),
answer, dump, check, restore."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import sys
from pathlib import Path

from fieldwork.commands.common import PASSPHRASE_ENV, ask_passphrase, open_store, out
from fieldwork.core import passphrase as new_passphrase
from fieldwork.core.casework import answering as casework
from fieldwork.core.casework import cases, values
from fieldwork.core.casework import validation as review
from fieldwork.core.casework.wording import count
from fieldwork.core.errors import UserError
from fieldwork.core.forms.named import form_folder
from fieldwork.core.io import case_sample
from fieldwork.core.storage import backups, db
from fieldwork.core.storage.store import Store


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("new", help="create an inspection file")
    p.add_argument("file")
    p.add_argument("--name")
    p.add_argument("--area")
    p.add_argument(
        "--method",
        help="the inspection method: standards-2018 (the default) or quality-impact-2016",
    )
    p.add_argument(
        "--form",
        help="one form only, as release 0.1.0 made inspections: a shipped form's id, or a "
        "form file (.yaml), e.g. one from `forms import`",
    )
    p.add_argument("--organisation", action="append", default=[])
    p.add_argument("--start", type=_date)
    p.add_argument("--end", type=_date)
    p.add_argument("--inspector", help="your name as it appears in the team")
    p.add_argument("--no-encryption", action="store_true")
    p.add_argument("--from-bundle")
    p.add_argument("--identity")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("demo", help="write a realistic synthetic inspection")
    p.add_argument("file")
    p.add_argument("--cases", type=_count, default=200)
    p.add_argument("--interviews", type=_count, default=None)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--method",
        help="quality-impact-2016 (the 2016 Durham shape) or standards-2018 (a rated "
        "inspection of one organisation, ten standards); default: one form, NPS and CRC",
    )
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("cases", help="the case sample")
    cases_sub = p.add_subparsers(dest="cases_command", required=True)
    imp = cases_sub.add_parser("import", help="import the case sample from a CSV file")
    imp.add_argument("file")
    imp.add_argument("csv")
    imp.set_defaults(func=cmd_cases_import)
    rem = cases_sub.add_parser("remove", help="remove a case imported by mistake")
    rem.add_argument("file")
    rem.add_argument("case_ref")
    rem.add_argument(
        "--confirm",
        action="store_true",
        help="remove it even though it has review answers (they are hidden with it)",
    )
    rem.set_defaults(func=cmd_cases_remove)
    res = cases_sub.add_parser("restore", help="bring back a removed case and its answers")
    res.add_argument("file")
    res.add_argument("case_ref")
    res.set_defaults(func=cmd_cases_restore)
    cor = cases_sub.add_parser("correct", help="correct a case's organisation, office or officer")
    cor.add_argument("file")
    cor.add_argument("case_ref")
    cor.add_argument("--organisation", help="one of the inspection's organisations")
    cor.add_argument("--office", help="the office (an empty value clears it)")
    cor.add_argument("--officer", help="the case's officer (an empty value clears it)")
    cor.set_defaults(func=cmd_cases_correct)

    p = sub.add_parser("answer", help="record one answer or key-question judgement")
    p.add_argument("file")
    p.add_argument("case_ref")
    p.add_argument("question_id")
    p.add_argument("value")
    p.add_argument("--reason")
    p.set_defaults(func=cmd_answer)

    p = sub.add_parser("dump", help="print the shared state")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", required=True)
    p.set_defaults(func=cmd_dump)

    p = sub.add_parser("check", help="integrity and foreign-key checks")
    p.add_argument("file")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("restore", help="put the latest good backup in place of a damaged file")
    p.add_argument("file")
    p.add_argument("--backup", help="a particular backup file (default: the newest good one)")
    p.set_defaults(func=cmd_restore)


def _judgement(text: str) -> str | None:
    value = text.strip().lower()
    if value not in ("yes", "no", "na", ""):
        raise UserError(f"A key-question judgement is yes, no or na, not {text!r}.")
    return value or None


def _date(text: str) -> str:
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _count(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if n < 0 or n > 100_000:
        raise argparse.ArgumentTypeError("give a number from 0 to 100000")
    return n


def _new_passphrase(no_encryption: bool, name: str | None = None) -> str | None:
    """The new file's passphrase, held to the rule of core/passphrase.py."""
    if no_encryption:
        return None
    chosen = ask_passphrase("New passphrase for the inspection file: ", confirm=True)
    return new_passphrase.check_new(chosen, name)


def cmd_new(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if path.exists():
        raise UserError(f"{path} already exists: choose another name.")
    if args.from_bundle:
        from fieldwork.commands.bundle import join_from_bundle

        return join_from_bundle(args, _new_passphrase(args.no_encryption))
    if not args.name:
        raise UserError("Give the inspection a name with --name.")
    if args.start and args.end and args.end < args.start:
        raise UserError("The fieldwork end date is before its start date.")
    method = args.method or (None if args.form else "standards-2018")
    if method and args.form:
        raise UserError("Give --method or --form, not both: a method names its own forms.")
    passphrase = _new_passphrase(args.no_encryption, args.name)
    chosen = form_folder(args.form) if args.form else contextlib.nullcontext((None, None))
    with chosen as (form_id, forms_dir):
        store = Store.create(
            path,
            passphrase,
            name=args.name,
            area=args.area,
            form_id=form_id,
            method_id=method,
            organisations=args.organisation or ["NPS", "CRC"],
            start_date=args.start,
            end_date=args.end,
            author_name=args.inspector,
            forms_dir=forms_dir,
        )
    store.close()
    out(f"Created {path} ({'encrypted' if passphrase else 'not encrypted'}).")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from fieldwork.core.demo.generator import make_demo

    path = Path(args.file)
    passphrase = os.environ.get(PASSPHRASE_ENV) or None
    if passphrase is not None:
        new_passphrase.check_new(passphrase)
    if args.method:
        from fieldwork.core.demo.methods import make_method_demo

        store = make_method_demo(
            path,
            args.method,
            cases=args.cases,
            interviews=args.interviews,
            seed=args.seed,
            passphrase=passphrase,
        )
    else:
        store = make_demo(
            path,
            cases=args.cases,
            interviews=args.interviews,
            seed=args.seed,
            passphrase=passphrase,
        )
    n = len(store.reads.cases())
    store.close()
    out(
        f"Wrote demo inspection {path}: {n} cases ({'encrypted' if passphrase else 'not encrypted'})."
    )
    return 0


def cmd_cases_import(args: argparse.Namespace) -> int:
    store = open_store(args.file)
    try:
        sample = case_sample.read_sample(store, args.csv)
        if sample.errors:
            if len(sample.errors) == 1:
                raise UserError(f"{args.csv}: nothing imported; {sample.errors[0]}")
            for line in sample.errors:  # in file order, then the one-line verdict
                sys.stderr.write(f"  {line}\n")
            raise UserError(
                f"{args.csv}: nothing imported; {count(len(sample.errors), 'line')} "
                "above have problems."
            )
        n = case_sample.import_sample(store, sample)
    finally:
        store.close()
    out(f"Imported {count(n, 'case')}.")
    return 0


# Case references are not echoed below: terminals keep scrollback and logs.
def cmd_cases_remove(args: argparse.Namespace) -> int:
    store = open_store(args.file)
    try:
        case = casework.find_case(store, args.case_ref)
        hidden = cases.review_answer_count(store, case.id)
        cases.remove_case(store, case.id, confirmed=args.confirm)
    finally:
        store.close()
    plural = "s" if hidden != 1 else ""
    also = f" with its {hidden} review answer{plural}" if hidden else ""
    out(f"Removed the case{also}; `fieldwork cases restore` brings it back.")
    return 0


def cmd_cases_restore(args: argparse.Namespace) -> int:
    store = open_store(args.file)
    try:
        ops = cases.restore_case(store, args.case_ref)
    finally:
        store.close()
    out("Restored the case and its answers." if ops else "The case is not removed.")
    return 0


def cmd_cases_correct(args: argparse.Namespace) -> int:
    if args.organisation is None and args.office is None and args.officer is None:
        raise UserError("Give what to correct: --organisation, --office or --officer.")
    store = open_store(args.file)
    try:
        case = casework.find_case(store, args.case_ref)
        ops = cases.correct_case(
            store,
            case.id,
            organisation=args.organisation,
            office=args.office,
            officer=args.officer,
        )
    finally:
        store.close()
    fields = [f for f in ("organisation", "office", "officer") if any(o.field == f for o in ops)]
    named = ", ".join(fields[:-1]) + " and " + fields[-1] if len(fields) > 1 else "".join(fields)
    out(f"Corrected the case's {named}." if ops else "Nothing changed.")
    return 0


def cmd_answer(args: argparse.Namespace) -> int:
    store = open_store(args.file)
    try:
        case = casework.find_case(store, args.case_ref)
        form = casework.form_of(store, case)
        qid = args.question_id
        if form.key_question(qid) is not None:
            value = _judgement(args.value)
        else:
            question = form.question(qid)
            if question is None:
                raise UserError(f"The form {form.id} has no question {qid!r}.")
            try:
                value = review.parse_cli_value(question, args.value)
            except ValueError as exc:
                raise UserError(f"{qid}: {exc}") from exc
        ops = casework.answer(store, case, qid, value, reason=args.reason)
    finally:
        store.close()
    # The value and the case reference are not echoed: terminals keep scrollback and logs.
    did = "Cleared" if value is None else "Saved"
    out(f"{did} the answer to {qid}" + ("" if ops else " (unchanged)") + ".")
    return 0


def cmd_dump(args: argparse.Namespace) -> int:
    store = open_store(args.file, check=False)
    try:
        data = store.audit.dump()
    finally:
        store.close()
    sys.stdout.write(json.dumps(data, sort_keys=True, ensure_ascii=False, indent=1) + "\n")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    store = open_store(args.file, check=False)
    try:
        result = store.audit.check()
        refused = list(values.stored_problems(store)) if result["ok"] else []
    finally:
        store.close()
    if not result["ok"]:
        raise UserError(
            f"{args.file}: integrity check failed: {'; '.join(result['integrity'][:3])}"
        )
    if refused:
        more = f" (and {len(refused) - 1} more)" if len(refused) > 1 else ""
        raise UserError(f"{args.file}: {len(refused)} stored answers the form refuses: "
                        f"first {refused[0]}{more}")  # fmt: skip
    out(
        f"ok: schema {result['schema_version']} (latest {result['latest_schema']}), "
        f"{result['ops']} ops, {'encrypted' if result['encrypted'] else 'not encrypted'}"
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    path = Path(args.file)
    found = backups.backup_paths(path)
    encrypted = bool(found) and not db.is_plaintext(found[0])
    passphrase = ask_passphrase(f"Passphrase for {path.name}: ") if encrypted else None
    backup = Path(args.backup) if args.backup else backups.latest_good(path, passphrase)
    if backup is None or not backup.exists():
        raise UserError(f"No good backup of {path.name} was found in {backups.backup_dir(path)}.")
    store = Store.restore(backup, path, passphrase)
    store.close()
    out(f"Restored {path.name} from {backup.name}; the damaged file was kept beside it.")
    return 0
