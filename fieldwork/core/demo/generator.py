"""A realistic synthetic inspection for demos, tests and benchmarks.

Everything is invented: names, case references, offices and notes. It is written
through the normal write path, so a demo file is exactly what the app makes.
The same seed gives the same inspection (same ids, same content).
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fieldwork.core.casework import validation as review
from fieldwork.core.demo.text import (
    FIRST_NAMES,
    LAST_NAMES,
    OFFICES,
    OVERRIDE_REASONS,
    RECOMMENDATIONS,
    THEMES,
    interview_notes,
    section_note,
)
from fieldwork.core.forms.expressions import ExpressionError, evaluate
from fieldwork.core.forms.loader import Form, KeyQuestion, Question
from fieldwork.core.schema import natural_id
from fieldwork.core.storage.store import Store

TEAM = (
    ("Siân Llŷr-Evans", "lead"),
    ("Gwenllïan Ŵyn", "inspector"),
    ("Łukasz Nowak", "inspector"),
    ("Chloé Durand", "inspector"),
    ("Rhodri ap Dafydd", "inspector"),
    ("Aoife Ní Bhriain", "inspector"),
)
ORGANISATIONS = ("NPS", "CRC")
# How likely a prompt is met, per organisation; the CRC is weaker, more so on planning.
STRENGTH = {"NPS": 0.955, "CRC": 0.91}
WEAK_SECTION = {"CRC": -0.07, "NPS": 0.0}
STATUS_WEIGHTS = (
    ("complete", 55),
    ("reviewed", 10),
    ("draft", 20),
    ("not_started", 10),
    ("returned", 5),
)


class _Ids:
    """Deterministic UUID hex ids from the seed, so one seed gives one inspection."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def __call__(self) -> str:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4).hex


def make_demo(
    path: str | Path,
    *,
    cases: int = 200,
    interviews: int | None = None,
    seed: int = 1,
    passphrase: str | None = None,
    form_id: str = "adult-case-supervision",
) -> Store:
    """Create `path` holding a demo inspection; returns the open store."""
    rng = random.Random(seed)
    ids = _Ids(random.Random(seed * 7919 + 1))
    if interviews is None:
        interviews = max(6, min(cases // 6, 400))
    store = Store.create(
        path,
        passphrase,
        name="Demo inspection: Glanmor and Tresaith",
        area="Glanmor and Tresaith",
        form_id=form_id,
        organisations=ORGANISATIONS,
        start_date="2016-03-07",
        end_date="2016-03-18",
        author_name=TEAM[0][0],
        demo=True,
        inspection_id=ids(),
        author_id=ids(),
    )
    try:
        form = store.reads.form()
        members = _team(store, ids)
        case_rows = _cases(store, form, rng, ids, members, cases)
        _interviews(store, rng, ids, members, case_rows, interviews, form)
        _findings(store, rng, ids, form)
    except BaseException:
        store.close()
        raise
    return store


def _team(store: Store, ids: _Ids) -> list[str]:
    members = [store.author]
    with store.transaction():
        for name, role in TEAM[1:]:
            members.append(store.insert("members", {"name": name, "role": role}, row_id=ids()))
    return members


def _crn(rng: random.Random, used: set[str]) -> str:
    while True:
        ref = f"{rng.choice('ABCDEFGHJKLMNPRSTVWXY')}{rng.randrange(100000, 999999)}"
        if ref not in used:
            used.add(ref)
            return ref


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _cases(
    store: Store, form: Form, rng: random.Random, ids: _Ids, members: list[str], n: int
) -> list[tuple[str, str]]:
    used: set[str] = set()
    officers = {org: [_person(rng) for _ in range(12)] for org in ORGANISATIONS}
    statuses = [s for s, w in STATUS_WEIGHTS for _ in range(w)]
    rows = []
    batch = 100
    for start in range(0, n, batch):
        with store.transaction():
            for i in range(start, min(n, start + batch)):
                org = ORGANISATIONS[0] if rng.random() < 0.45 else ORGANISATIONS[1]
                status = rng.choice(statuses)
                case_id = ids()
                inspector = members[1 + i % (len(members) - 1)]
                answers = _answers(form, rng, org, status)
                values = {k: v for k, (v, _) in answers.items()}
                reasons = {k: r for k, (_, r) in answers.items()}
                if status in ("complete", "reviewed") and review.validate(form, values, reasons):
                    status = "draft"
                fields = {
                    "ref": _crn(rng, used),
                    "organisation": org,
                    "office": rng.choice(OFFICES[org]),
                    "officer": rng.choice(officers[org]),
                    "inspector": inspector,
                    "status": status,
                }
                if status == "reviewed":
                    fields["qa_inspector"] = members[0]
                    fields["qa_comment"] = "Judgements well evidenced; agreed."
                elif status == "returned":
                    fields["qa_inspector"] = members[0]
                    fields["qa_comment"] = rng.choice(
                        (
                            "Please evidence the risk of harm judgement.",
                            "Planning judgement looks generous: check contingency plans.",
                        )
                    )
                store.insert("cases", fields, row_id=case_id)
                _write_answers(store, case_id, answers)
                rows.append((case_id, org))
    return rows


def _write_answers(store: Store, case_id: str, answers: dict[str, Any]) -> None:
    """A new case's answers in one write: every answer row is new (UUID5 of case and question),
    so the write path has no heads to look up."""
    edits = []
    rows = []
    for qid, (value, reason) in answers.items():
        row = natural_id("answers", case_id, qid)
        rows.append(row)
        edits += [
            ("answers", row, "case_id", case_id),
            ("answers", row, "question_id", qid),
            ("answers", row, "value", value),
        ]
        if reason:
            edits.append(("answers", row, "reason", reason))
    store.write(edits, fresh=frozenset(rows))


def _answers(form: Form, rng: random.Random, org: str, status: str) -> dict[str, Any]:
    """A plausible review: attributes always, prompts and judgements by status.

    Every question gets a value first; then one pass of the skip logic drops the
    answers to questions that end up hidden (much cheaper than asking per question).
    """
    values: dict[str, Any] = {}
    for q in form.attributes:
        _put(values, q, _value(q, rng, org, 0.0, values))
    if status != "not_started":
        share = 1.0 if status in ("complete", "reviewed") else rng.uniform(0.2, 0.8)
        sections = form.sections[: max(1, round(len(form.sections) * share))]
        for si, section in enumerate(sections):
            tilt = WEAK_SECTION[org] if si in (1, 2) else 0.0
            for kq in section.key_questions:
                for q in kq.prompts:
                    _put(values, q, _value(q, rng, org, tilt, values))
            if rng.random() < 0.35:
                values[section.notes[0].id] = section_note(rng, section.title, True)
            if rng.random() < 0.35:
                values[section.notes[1].id] = section_note(rng, section.title, False)
    visible = {q.id for q in review.visible_questions(form, values)}
    values = {k: v for k, v in values.items() if k in visible}
    reasons: dict[str, str] = {}
    if status != "not_started":
        for section in sections:
            for kq in section.key_questions:
                _judge(form, kq, values, reasons, rng)
    return {k: (v, reasons.get(k)) for k, v in values.items()}


def _put(values: dict[str, Any], q: Question, value: Any) -> None:
    if value is not None and not review.check_value(q, value):
        values[q.id] = value


def _judge(
    form: Form, kq: KeyQuestion, values: dict[str, Any], reasons: dict[str, str], rng: random.Random
) -> None:
    suggested = review.suggest_judgement(form, kq, values)
    if suggested is None:
        return
    if suggested != "na" and rng.random() < 0.05:
        values[kq.id] = "no" if suggested == "yes" else "yes"
        reasons[kq.id] = rng.choice(OVERRIDE_REASONS)
    else:
        values[kq.id] = suggested


def _value(q: Question, rng: random.Random, org: str, tilt: float, values: dict[str, Any]) -> Any:
    kind = q.type
    if kind in ("yes_no", "yes_no_na"):
        if kind == "yes_no_na" and rng.random() < 0.08:
            return "na"
        return "yes" if rng.random() < STRENGTH[org] + tilt else "no"
    if kind == "single":
        return rng.choice(q.choices).id if q.choices else None
    if kind in ("number", "date", "multiple"):
        for _ in range(12):
            candidate = _candidate(q, rng, values)
            if not q.constraint or _holds(q.constraint, values, candidate):
                return candidate
        return None
    if kind == "text":
        return rng.choice(
            (
                "Seen on the case record.",
                "Discussed with the officer.",
                "Evidence in the assessment summary.",
            )
        )
    return None


def _candidate(q: Question, rng: random.Random, values: dict[str, Any]) -> Any:
    kind = q.type
    if kind == "multiple":
        k = rng.randint(1, min(3, len(q.choices)))
        return sorted(c.id for c in rng.sample(q.choices, k))
    if kind == "number":
        return rng.choice((12, 20, 40, 60, 80, 100, 120, 150, 200))
    start = values.get("start_date")
    base = dt.date.fromisoformat(start) if isinstance(start, str) else dt.date(2015, 1, 5)
    return (base + dt.timedelta(days=rng.randrange(0, 120))).isoformat()


def _holds(constraint: str, values: dict[str, Any], value: Any) -> bool:
    try:
        return bool(evaluate(constraint, values, current=value))
    except ExpressionError:
        return False


def _interviews(
    store: Store,
    rng: random.Random,
    ids: _Ids,
    members: list[str],
    case_rows: list[tuple[str, str]],
    n: int,
    form: Form,
) -> None:
    standards = [(s.id, s.title) for s in form.sections]
    add_interviews(
        store, rng, ids, members, case_rows, n, standards, ORGANISATIONS, dt.date(2016, 3, 7)
    )


def add_interviews(
    store: Store,
    rng: random.Random,
    ids: _Ids,
    members: list[str],
    case_rows: list[tuple[str, str]],
    n: int,
    standards: list[tuple[str, str]],
    organisations: Sequence[str],
    start: dt.date,
) -> None:
    """`n` interviews over fieldwork's first twelve days from `start`: officers and people
    on probation linked to a case, managers, staff groups and partners; quotes marked."""
    kinds = ("officer",) * 5 + ("person",) * 2 + ("manager", "staff_group", "partner")
    used: set[str] = set()
    for i in range(n):
        with store.transaction():
            kind = rng.choice(kinds)
            linked = rng.choice(case_rows) if case_rows and kind in ("officer", "person") else None
            org = linked[1] if linked else rng.choice(organisations)
            paragraphs, quotes = interview_notes(rng, kind, standards, used)
            notes = "\n\n".join(paragraphs)
            day = start + dt.timedelta(days=rng.randrange(0, 12))
            iid = store.insert(
                "interviews",
                {
                    "kind": kind,
                    "date": day.isoformat(),
                    "organisation": org,
                    "title": _title(kind, i),
                    "consent": kind != "person" or rng.random() < 0.9,
                    "notes": notes,
                    "author": members[i % len(members)],
                },
                row_id=ids(),
            )
            if linked:
                store.link("interview_cases", iid, linked[0])
            mark_quotes(store, ids, iid, notes, quotes)


def mark_quotes(
    store: Store, ids: _Ids, iid: str, notes: str, quotes: list[tuple[str, Any]]
) -> None:
    """Each quoted sentence, in order, as a quote of the interview with its tags."""
    searched = 0
    for sentence, tags in quotes:
        at = notes.find(sentence, searched)
        if at < 0:
            continue
        searched = at + len(sentence)
        qid = store.insert(
            "quotes",
            {"interview_id": iid, "start": at, "end": searched, "text": sentence},
            row_id=ids(),
        )
        for tag in tags:
            store.link("quote_tags", qid, store.tag_id(tag))


def _title(kind: str, i: int) -> str:
    return {
        "officer": f"Responsible officer interview {i + 1}",
        "person": f"Person on probation {i + 1}",
        "manager": f"Senior manager {i + 1}",
        "staff_group": f"Staff focus group {i + 1}",
        "partner": f"Partner agency meeting {i + 1}",
    }[kind]


def _findings(store: Store, rng: random.Random, ids: _Ids, form: Form) -> None:
    quotes = store.reads.quotes()
    with store.transaction():
        for section in form.sections:
            tagged = [q for q in quotes if any(t.startswith(section.id + " ") for t in q.tags)]
            for org in ORGANISATIONS:
                for pos, kind in enumerate(("strength", "improvement")):
                    fid = store.insert(
                        "findings",
                        {
                            "standard_id": section.id,
                            "organisation": org,
                            "kind": kind,
                            "text": section_note(rng, section.title, kind == "strength"),
                            "position": pos + 1,
                        },
                        row_id=ids(),
                    )
                    for quote in rng.sample(tagged, min(2, len(tagged))):
                        store.link("finding_quotes", fid, quote.id)
        for pos, (addressee, text) in enumerate(RECOMMENDATIONS, start=1):
            store.insert(
                "recommendations",
                {"position": pos, "addressee": addressee, "text": text},
                row_id=ids(),
            )


__all__ = ["make_demo", "THEMES"]
