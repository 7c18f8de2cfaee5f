"""`fieldwork moderation FILE [--json]` and its subcommands: draw the sample, add a case
by hand, mark calibration cases, assess a case blind, list and settle disagreements.

Thin: each parses its arguments, calls core/moderation and prints. Without a
subcommand it prints where moderation stands: the sample and its progress, the open
disagreements, the agreement figures with their reading, and the calibration spread.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from fieldwork.commands.common import open_store, out
from fieldwork.core.casework import answering
from fieldwork.core.casework import validation as review
from fieldwork.core.errors import UserError
from fieldwork.core.model import Case
from fieldwork.core.moderation import disagreements as dis
from fieldwork.core.moderation import figures, reads, rounds, sample
from fieldwork.core.moderation.model import KIND_LABELS, Figure
from fieldwork.core.storage.store import Store


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "moderation",
        help="second assessments: the sample, blind rounds, disagreements, agreement",
        description="Without a subcommand: where moderation stands.",
    )
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_summary)
    acts = p.add_subparsers(dest="action", metavar="ACTION")

    a = acts.add_parser("draw", help="draw the sample by a seeded rule (the lead)")
    a.add_argument("--share", type=int, required=True, metavar="PERCENT")
    a.add_argument("--seed", type=int, help="a whole number; chosen and recorded if left out")
    a.add_argument("--min", type=int, default=1, dest="minimum", metavar="N")
    a.set_defaults(func=cmd_draw)

    a = acts.add_parser("add", help="add a case to the sample by hand (the lead)")
    a.add_argument("case_ref")
    a.add_argument("--reason")
    a.add_argument("--second", metavar="NAME", help="who assesses it again")
    a.set_defaults(func=cmd_add)

    a = acts.add_parser("assign", help="name who assesses a sample case again (the lead)")
    a.add_argument("case_ref")
    a.add_argument("name")
    a.set_defaults(func=cmd_assign)

    a = acts.add_parser("calibrate", help="mark a calibration case everyone assesses blind")
    a.add_argument("case_ref")
    a.set_defaults(func=cmd_calibrate)

    a = acts.add_parser("remove", help="take a case out of the sample before it is assessed")
    a.add_argument("case_ref")
    a.set_defaults(func=cmd_remove)

    a = acts.add_parser("answer", help="record one answer of your blind assessment of a case")
    a.add_argument("case_ref")
    a.add_argument("question_id")
    a.add_argument("value", help="'' clears it")
    a.add_argument("--reason")
    a.add_argument("--comment")
    a.set_defaults(func=cmd_answer)

    a = acts.add_parser("complete", help="mark your blind assessment of a case complete")
    a.add_argument("case_ref")
    a.set_defaults(func=cmd_complete)

    a = acts.add_parser("disagreements", help="list the disagreements, side by side")
    a.add_argument("--open", action="store_true", help="only those not settled")
    a.add_argument("--json", action="store_true", dest="json_list", help="print JSON")
    a.set_defaults(func=cmd_disagreements)

    a = acts.add_parser("settle", help="settle a disagreement with the value that counts")
    a.add_argument("case_ref")
    a.add_argument("question_id")
    a.add_argument("value")
    a.add_argument("--reason")
    a.set_defaults(func=cmd_settle)


# ------------------------------------------------------------------ helpers


def _member(store: Store, name: str) -> str:
    wanted = " ".join(name.split()).casefold()
    found = [m for m in store.reads.members() if m.name.casefold() == wanted]
    if len(found) != 1:
        raise UserError(
            f"No one called {name!r} in the team."
            if not found
            else f"{name!r} names several people."
        )
    return found[0].id


def _value(store: Store, case: Case, question_id: str, text: str) -> Any:
    form = rounds.form_of(store, case)
    question = form.key_question(question_id) or form.question(question_id)
    if question is None:
        raise UserError(f"The form {form.id} has no question {question_id!r}.")
    try:
        return review.parse_cli_value(question, text)
    except ValueError as exc:
        raise UserError(f"{question_id}: {exc}") from exc


def _number(x: float | None, places: int = 2) -> str:
    return "-" if x is None else f"{x:.{places}f}"


def _figure(f: Figure) -> dict[str, Any]:
    return {"n": f.n, "percent": f.percent, "kappa": f.kappa, "ac1": f.ac1}


def _disagreement(d: dis.Disagreement, names: dict[str, str]) -> dict[str, Any]:
    return {
        "case_ref": d.case_ref,
        "question_id": d.question_id,
        "kind": d.kind,
        "text": d.text,
        "first": {
            "assessor": names.get(d.first.assessor),
            "value": d.first.value,
            "comment": d.first.comment,
        },
        "second": {
            "assessor": names.get(d.second.assessor),
            "value": d.second.value,
            "comment": d.second.comment,
        },
        "settled": None
        if d.settled is None
        else {"value": d.settled.value, "reason": d.settled.reason},
    }


def summary(store: Store) -> dict[str, Any]:
    """Where moderation stands, as the `--json` output."""
    names = store.reads.member_names()
    draws = reads.draws(store)
    agreement = figures.agreement(store)
    calibration = figures.calibration(store)

    def scope(s: Any) -> dict[str, Any]:
        return {
            "name": s.name,
            "assessors": [names.get(a) for a in s.assessors],
            "cases": s.cases,
            "key_questions": [
                {
                    "id": r.question_id,
                    "judgement": _figure(r.judgement),
                    "applies": _figure(r.applicability),
                    "band": r.band,
                }
                for r in s.rows
            ],
        }

    return {
        "draw": [
            {
                "seed": d.seed,
                "share": d.share,
                "minimum": d.minimum,
                "rule": d.rule,
                "frame": len(d.frame),
                "drawn": len(d.drawn),
                "repeats": sample.repeat(d) == list(d.drawn),
            }
            for d in draws
        ],
        "sample": [
            {
                "case_ref": p.case_ref,
                "organisation": p.organisation,
                "kind": p.kind,
                "reason": p.reason,
                "first_assessor": names.get(p.first_assessor or ""),
                "assessors": [names.get(a) for a in p.expected],
                "complete": [names.get(a) for a in p.complete],
                "state": p.state,
                "disagreements": p.disagreements,
                "open": p.open,
            }
            for p in dis.progress(store)
        ],
        "open_disagreements": [
            _disagreement(d, names) for d in dis.disagreements(store, open_only=True)
        ],
        "agreement": {
            "team": scope(agreement.team),
            "pairs": [scope(s) for s in agreement.pairs],
            "reading": list(agreement.reading),
        },
        "calibration": {
            "cases": [p.case_ref for p in calibration.cases],
            "raters": calibration.raters,
            "units": calibration.units,
            "assessed_by_everyone": calibration.assessed_by_everyone,
            "fleiss_kappa": calibration.fleiss,
            "krippendorff_alpha": calibration.alpha,
            "spread": [
                {"case_ref": s.case_ref, "question_id": s.question_id, "counts": dict(s.counts)}
                for s in calibration.spread
                if not s.unanimous
            ],
        },
    }


# ------------------------------------------------------------------ commands


def cmd_summary(args: argparse.Namespace) -> int:
    store = open_store(args.file, readonly=True, check=False)
    try:
        data = summary(store)
    finally:
        store.close()
    if args.json:
        out(json.dumps(data, ensure_ascii=False, indent=1))
        return 0
    for d in data["draw"]:
        out(f"Drawn with seed {d['seed']}: {d['rule']}; {d['drawn']} of {d['frame']} cases.")
    if not data["sample"]:
        out("No moderation sample yet: the lead draws it (fieldwork moderation FILE draw).")
    for s in data["sample"]:
        kind = KIND_LABELS.get(s["kind"], s["kind"])
        out(f"{s['case_ref']}  {s['organisation'] or '-'}  {kind}  {s['state']}")
    if data["open_disagreements"]:
        out(f"{len(data['open_disagreements'])} disagreement(s) to settle.")
    team = data["agreement"]["team"]
    out("Key question  n  agreed  kappa  AC1  N/A agreed (n)")
    for r in team["key_questions"]:
        j, a = r["judgement"], r["applies"]
        out(
            f"{r['id']}  {j['n']}  {_number(j['percent'], 0)}%  {_number(j['kappa'])}  "
            f"{_number(j['ac1'])}  {_number(a['percent'], 0)}% ({a['n']})"
        )
    for line in data["agreement"]["reading"]:
        out(line)
    cal = data["calibration"]
    if cal["cases"]:
        out(
            f"Calibration: {len(cal['cases'])} case(s), {cal['raters']} assessors; Fleiss' kappa "
            f"{_number(cal['fleiss_kappa'])}, Krippendorff's alpha {_number(cal['krippendorff_alpha'])}."
        )
    return 0


def cmd_draw(args: argparse.Namespace) -> int:
    store = open_store(args.file)
    try:
        sample.draw(store, share=args.share, seed=args.seed, minimum=args.minimum)
        (d,) = reads.draws(store)
    finally:
        store.close()
    out(f"Drew {len(d.drawn)} of {len(d.frame)} cases with seed {d.seed}: {d.rule}.")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    store = open_store(args.file)
    try:
        case = answering.find_case(store, args.case_ref)
        second = _member(store, args.second) if args.second else None
        sample.add_case(store, case.id, args.reason or "", second)
    finally:
        store.close()
    out(f"Added {case.ref} to the moderation sample by hand.")
    return 0


def cmd_assign(args: argparse.Namespace) -> int:
    store = open_store(args.file)
    try:
        case = answering.find_case(store, args.case_ref)
        sample.assign(store, case.id, _member(store, args.name))
    finally:
        store.close()
    out(f"{case.ref} is assessed again by {args.name}.")
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    store = open_store(args.file)
    try:
        case = answering.find_case(store, args.case_ref)
        sample.mark_calibration(store, case.id)
    finally:
        store.close()
    out(f"{case.ref} is a calibration case: everyone in the team assesses it blind.")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    store = open_store(args.file)
    try:
        case = answering.find_case(store, args.case_ref)
        ops = sample.remove_case(store, case.id)
    finally:
        store.close()
    out(f"Took {case.ref} out of the moderation sample." if ops else f"{case.ref} was not in it.")
    return 0


def cmd_answer(args: argparse.Namespace) -> int:
    store = open_store(args.file)
    try:
        case = answering.find_case(store, args.case_ref)
        value = _value(store, case, args.question_id, args.value)
        kw: dict[str, Any] = {} if args.comment is None else {"comment": args.comment}
        ops = rounds.answer(store, case.id, args.question_id, value, reason=args.reason, **kw)
    finally:
        store.close()
    # The value is not echoed: terminals keep scrollback and logs.
    did = "Cleared" if value is None else "Saved"
    out(f"{did} your answer to {args.question_id}" + ("" if ops else " (unchanged)") + ".")
    return 0


def cmd_complete(args: argparse.Namespace) -> int:
    store = open_store(args.file)
    try:
        case = answering.find_case(store, args.case_ref)
        rounds.complete(store, case.id)
    finally:
        store.close()
    out(f"Your assessment of {case.ref} is complete: the first assessment can now be seen.")
    return 0


def cmd_disagreements(args: argparse.Namespace) -> int:
    store = open_store(args.file, readonly=True, check=False)
    try:
        names = store.reads.member_names()
        found = dis.disagreements(store, open_only=args.open)
    finally:
        store.close()
    if args.json or args.json_list:
        out(json.dumps([_disagreement(d, names) for d in found], ensure_ascii=False, indent=1))
        return 0
    if not found:
        out("No disagreements." if not args.open else "No disagreement is waiting to be settled.")
    for d in found:
        first = f"{names.get(d.first.assessor, '?')}: {d.first.value}"
        second = f"{names.get(d.second.assessor, '?')}: {d.second.value}"
        settled = f"settled {d.settled.value} ({d.settled.reason})" if d.settled else "open"
        out(f"{d.case_ref}  {d.question_id}  {first}  |  {second}  |  {settled}")
        for who, note in ((d.first, d.first.comment), (d.second, d.second.comment)):
            if note:
                out(f"    {names.get(who.assessor, '?')}: {' '.join(note.split())[:200]}")
    return 0


def cmd_settle(args: argparse.Namespace) -> int:
    store = open_store(args.file)
    try:
        case = answering.find_case(store, args.case_ref)
        value = _value(store, case, args.question_id, args.value)
        dis.settle(store, case.id, args.question_id, value, args.reason or "")
    finally:
        store.close()
    out(f"Settled {args.question_id} of {case.ref}: the settled value counts in the ratings.")
    return 0
