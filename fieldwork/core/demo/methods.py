"""Demo inspections that follow a method: the 2016 quality and impact shape, and a rated
standards framework inspection of one CRC (`fieldwork demo FILE --method ID`).

Everything is invented and written through the normal write path, like demo/generator.py
(whose helpers it shares). The same seed gives the same inspection. Answers are drawn so
that each key question is met in about the share of cases method_text.py sets (a prompt
is met with probability target ** (1 / prompts), since the suggested judgement needs
every prompt met), so the findings come out in the shape of the published reports.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fieldwork.core.casework import evidence as evidence_work
from fieldwork.core.casework import judgements as judgement_work
from fieldwork.core.casework import validation as review
from fieldwork.core.demo import method_text as words
from fieldwork.core.demo.generator import (
    OFFICES,
    TEAM,
    _crn,
    _Ids,
    _person,
    _put,
    _team,
    _value,
    _write_answers,
    add_interviews,
)
from fieldwork.core.demo.text import section_note
from fieldwork.core.errors import UserError
from fieldwork.core.forms.loader import Form
from fieldwork.core.forms.method_forms import MethodForms
from fieldwork.core.storage.method_reads import method_forms
from fieldwork.core.storage.store import Store

Target = Callable[[str, dict[str, Any]], float]  # (key question id, answers) -> share met
STATUSES = (("complete", 60), ("reviewed", 25), ("draft", 10), ("not_started", 5))


def make_method_demo(
    path: str | Path,
    method_id: str,
    *,
    cases: int = 200,
    interviews: int | None = None,
    seed: int = 1,
    passphrase: str | None = None,
) -> Store:
    """Create `path` holding a demo inspection under `method_id`; returns the open store."""
    builders = {"quality-impact-2016": _quality_impact, "standards-2018": _standards}
    if method_id not in builders:
        raise UserError(f"No demo for the method {method_id!r}: use {', '.join(builders)}.")
    rng = random.Random(seed)
    ids = _Ids(random.Random(seed * 7919 + 1))
    n_interviews = max(6, min(cases // 6, 400)) if interviews is None else interviews
    return builders[method_id](path, rng, ids, cases, n_interviews, passphrase)


def _create(
    path: str | Path,
    passphrase: str | None,
    ids: _Ids,
    method_id: str,
    name: str,
    orgs: tuple[str, ...],
    dates: tuple[str, str],
) -> Store:
    return Store.create(
        path,
        passphrase,
        name=name,
        area=words.AREA,
        method_id=method_id,
        organisations=orgs,
        start_date=dates[0],
        end_date=dates[1],
        author_name=TEAM[0][0],
        demo=True,
        inspection_id=ids(),
        author_id=ids(),
    )


# --- quality and impact, 2016 -----------------------------------------------------------------


def _quality_impact(
    path: str | Path, rng: random.Random, ids: _Ids, n: int, n_interviews: int, passphrase: Any
) -> Store:
    store = _create(path, passphrase, ids, "quality-impact-2016", words.QI_NAME,
                    words.QI_ORGS, ("2016-03-07", "2016-03-18"))  # fmt: skip
    try:
        mf = method_forms(store)
        members = _team(store, ids)
        court = mf.method.instruments[1]
        n_court = max(1, n // 4)
        plan: list[tuple[str, str | None, Target]] = []
        for i in range(n - n_court):
            org = "NPS" if i % 20 < 7 else "CRC"  # the CRC supervises most cases
            plan.append((org, None, _qi_target(words.QI_TARGETS[org])))
        for _ in range(n_court):
            plan.append(("NPS", court.sample, _psr_target))
        rng.shuffle(plan)
        rows = _cases(store, mf, rng, ids, members, plan)
        _interviews(store, mf, rng, ids, members, rows, n_interviews, "2016-03-07")
        _evidence(store, words.QI_EVIDENCE, "2016-03-0", None)
        _findings(store, mf, ids, words.QI_FINDINGS, words.QI_ORGS)
        _recommendations(store, ids, words.QI_RECOMMENDATIONS)
        _texts(store, words.QI_TEXTS)
    except BaseException:
        store.close()
        raise
    return store


def _qi_target(targets: dict[str, float]) -> Target:
    def target(kq: str, values: dict[str, Any]) -> float:
        return targets[kq.split(".")[0]]  # by section: QI1.2 -> QI1

    return target


def _psr_target(kq: str, values: dict[str, Any]) -> float:
    return words.PSR_TARGETS.get(str(values.get("report_type")), 0.8)


# --- standards framework, 2018 ----------------------------------------------------------------


def _standards(
    path: str | Path, rng: random.Random, ids: _Ids, n: int, n_interviews: int, passphrase: Any
) -> Store:
    org = words.SF_ORG
    store = _create(path, passphrase, ids, "standards-2018", words.SF_NAME, (org,),
                    ("2018-10-08", "2018-10-19"))  # fmt: skip
    try:
        mf = method_forms(store)
        members = _team(store, ids)
        samples = [
            i.sample for i in mf.method.instruments if mf.method.applies(i.organisation_types, org)
        ]
        plan: list[tuple[str, str | None, Target]] = []
        for i in range(n):
            # three in five cases from the main sample, the rest from the CRC's own samples
            sample = samples[0] if i % 5 < 3 else samples[1 + i % 2]
            plan.append((org, None if sample == samples[0] else sample, _sf_target))
        rows = _cases(store, mf, rng, ids, members, plan)
        _interviews(store, mf, rng, ids, members, rows, n_interviews, "2018-10-08")
        items = _evidence(store, words.SF_EVIDENCE, "2018-10-", org)
        for sid, (rating, why, kqs) in words.SF_JUDGEMENTS.items():
            for kq, judged in kqs.items():
                behind = [e.title.lower() for e in items if kq in e.targets][:2]
                text = f"{'Sufficient' if judged == 'yes' else 'Not sufficient'}: " + (
                    f"from {' and '.join(behind)}." if behind else "from the case evidence."
                )
                judgement_work.judge_key_question(store, org, kq, judged, text)
            linked = [
                e.id
                for e in items
                if sid in e.targets or any(t.startswith(sid + ".") for t in e.targets)
            ]
            judgement_work.rate_standard(store, org, sid, rating, why, evidence_ids=linked)
        sid, rating, reason = words.SF_OVERRIDE
        with contextlib.suppress(UserError):  # a small demo whose rules give that already
            judgement_work.override_rating(store, org, sid, rating, reason)
        _findings(store, mf, ids, words.SF_FINDINGS, (org,))
        _recommendations(store, ids, words.SF_RECOMMENDATIONS)
        _texts(store, words.SF_TEXTS)
    except BaseException:
        store.close()
        raise
    return store


def _sf_target(kq: str, values: dict[str, Any]) -> float:
    return words.SF_TARGETS.get(kq, 0.75)


# --- shared ----------------------------------------------------------------------------------


def _cases(
    store: Store,
    mf: MethodForms,
    rng: random.Random,
    ids: _Ids,
    members: list[str],
    plan: list[tuple[str, str | None, Target]],
) -> list[tuple[str, str]]:
    used: set[str] = set()
    officers: dict[str, list[str]] = {}
    statuses = [s for s, w in STATUSES for _ in range(w)]
    rows = []
    for start in range(0, len(plan), 100):
        with store.transaction():
            for i in range(start, min(len(plan), start + 100)):
                org, sample, target = plan[i]
                form = mf.form_for_sample(sample)
                status = rng.choice(statuses)
                answers = _assess(form, rng, status, target)
                values = {k: v for k, (v, _) in answers.items()}
                if status in ("complete", "reviewed") and review.validate(form, values, {}):
                    status = "draft"
                kind = "NPS" if "NPS" in org else "CRC"
                team = officers.setdefault(org, [_person(rng) for _ in range(10)])
                fields = {
                    "ref": _crn(rng, used),
                    "organisation": org,
                    "office": rng.choice(OFFICES[kind]),
                    "officer": rng.choice(team),
                    "inspector": members[1 + i % (len(members) - 1)],
                    "status": status,
                    "sample": sample,
                }
                if status == "reviewed":
                    fields["qa_inspector"] = members[0]
                    fields["qa_comment"] = "Judgements well evidenced; agreed."
                case_id = ids()
                store.insert("cases", fields, row_id=case_id)
                _write_answers(store, case_id, answers)
                rows.append((case_id, org))
    return rows


def _assess(form: Form, rng: random.Random, status: str, target: Target) -> dict[str, Any]:
    """A case assessment whose key questions are each met in about `target` of cases."""
    values: dict[str, Any] = {}
    for q in form.attributes:
        if q.type == "yes_no":  # a flag such as domestic abuse: present in some cases
            values[q.id] = "yes" if rng.random() < 0.3 else "no"
        else:
            _put(values, q, _value(q, rng, "NPS", 0.0, values))
    if status == "not_started":
        return {k: (v, None) for k, v in values.items()}
    sections = form.sections
    if status == "draft":
        sections = sections[: max(1, len(sections) // 2)]
    # The prompts the case's attributes show (domestic abuse prompts only where it is a
    # feature): a key question is met when every one shown is, so the odds are per shown.
    shown = {q.id for q in review.visible_questions(form, values)}
    for section in sections:
        for kq in section.key_questions:
            scoring = [p for p in kq.prompts if p.type in ("yes_no", "yes_no_na") and p.id in shown]
            p_met = target(kq.id, values) ** (1 / max(1, len(scoring)))
            for q in kq.prompts:
                if q.type in ("yes_no", "yes_no_na"):
                    values[q.id] = "yes" if rng.random() < p_met else "no"
                else:
                    _put(values, q, _value(q, rng, "NPS", 0.0, values))
        if rng.random() < 0.3:
            values[section.notes[0].id] = section_note(rng, section.title, True, "service user")
        if rng.random() < 0.3:
            values[section.notes[1].id] = section_note(rng, section.title, False, "service user")
    visible = {q.id for q in review.visible_questions(form, values)}
    values = {k: v for k, v in values.items() if k in visible}
    for section in sections:
        for kq in section.key_questions:
            suggested = review.suggest_judgement(form, kq, values)
            if suggested is not None:
                values[kq.id] = suggested
    return {k: (v, None) for k, v in values.items()}


def _interviews(
    store: Store,
    mf: MethodForms,
    rng: random.Random,
    ids: _Ids,
    members: list[str],
    case_rows: list[tuple[str, str]],
    n: int,
    first_day: str,
) -> None:
    standards = [(s.number, s.title) for s in mf.method.standards() if s.basis == "cases"]
    orgs = store.reads.inspection().organisations
    start = dt.date.fromisoformat(first_day)
    add_interviews(store, rng, ids, members, case_rows, n, standards, orgs, start)


def _evidence(store: Store, items: tuple[Any, ...], month: str, org: str | None) -> list[Any]:
    from fieldwork.core.storage.evidence_reads import evidence

    for n, (kind, title, attendees, tags) in enumerate(items):
        day = f"{month}{8 + n % 10:02d}" if month.endswith("-") else f"{month}{7 + n % 3}"
        evidence_work.add_evidence(
            store,
            kind=kind,
            title=title,
            date=day,
            attendees=attendees or None,
            notes=f"Notes of the {kind.replace('_', ' ')}: {title.lower()}. (Demo text.)",
            organisation=org,
            tags=tags,
        )
    return evidence(store)


def _findings(
    store: Store, mf: MethodForms, ids: _Ids, texts: dict[str, tuple[str, str]], orgs: Any
) -> None:
    quotes = store.reads.quotes()
    with store.transaction():
        for s in mf.method.standards():
            pair = texts.get(s.id)
            tagged = [q for q in quotes if s.label in q.tags]
            for pos, kind in enumerate(("strength", "improvement")):
                text = pair[pos] if pair else section_note(random.Random(s.id), s.title, pos == 0)
                fid = store.insert(
                    "findings",
                    {
                        "standard_id": s.id,
                        "organisation": None if len(orgs) > 1 else orgs[0],
                        "kind": kind,
                        "text": text,
                        "position": pos + 1,
                    },
                    row_id=ids(),
                )
                for quote in tagged[pos : pos + 1]:
                    store.link("finding_quotes", fid, quote.id)


def _recommendations(store: Store, ids: _Ids, recs: tuple[tuple[str, str], ...]) -> None:
    with store.transaction():
        for pos, (addressee, text) in enumerate(recs, start=1):
            store.insert(
                "recommendations",
                {"position": pos, "addressee": addressee, "text": text},
                row_id=ids(),
            )


def _texts(store: Store, texts: dict[str, str]) -> None:
    for part, text in texts.items():
        judgement_work.set_report_text(store, part, text)
