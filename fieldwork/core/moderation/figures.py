"""The agreement figures of an inspection's moderation, and what they say in words.

Units are (moderated case, key question) with both assessments complete: the first
assessor is one rater, the blind second assessor the other. Per key question and over
all key questions, for the team and for each pair of assessors, each with its n:

- on the judgement (sufficient yes / no), over the units where both found it applied:
  percentage agreement, Cohen's kappa and Gwet's AC1;
- separately, on whether the key question applied at all (applies / not applicable).

Calibration cases, which everyone assesses blind, give Fleiss' kappa (units judged by
the same number of raters) and Krippendorff's alpha (nominal), and the spread of the
team's judgements per case and key question.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fieldwork.core.casework import validation as review
from fieldwork.core.moderation import agreement as stats
from fieldwork.core.moderation import reads, rounds
from fieldwork.core.moderation.disagreements import effective, progress, ready_cases
from fieldwork.core.moderation.model import (
    CALIBRATION,
    COMPLETE,
    Agreement,
    Calibration,
    Figure,
    FigureRow,
    Scope,
    Spread,
)
from fieldwork.core.storage.store import Store

JUDGED = ("yes", "no")
APPLIES = ("applies", "na")
ALL = "all"
FEW = 10  # under this many units, the reading says to take the figures with care
WEAK = ("poor", "slight", "fair")
STRONG = ("substantial", "almost perfect")

# A unit: (case id, key question id, first assessor, second assessor, first, second).
Unit = tuple[str, str, str, str, str, str]


def units(store: Store) -> list[Unit]:
    """Every (case, key question) judged in both assessments of a moderated case."""
    out: list[Unit] = []
    for case, _, second in ready_cases(store):
        form = rounds.form_of(store, case)
        mine = reads.round_answers(store, case.id).get((case.id, second), {})
        a = effective(form, rounds.first_values(store, case))
        b = effective(form, rounds.values(store, case, mine))
        for kq in form.key_questions():
            ja, jb = a.get(kq.id), b.get(kq.id)
            if ja in review.JUDGEMENTS and jb in review.JUDGEMENTS:
                out.append((case.id, kq.id, case.inspector or "", second, ja, jb))
    return out


def figure(pairs: Sequence[tuple[str, str]], categories: Sequence[str]) -> Figure:
    table = stats.contingency(pairs, categories)
    return Figure(
        len(pairs),
        stats.percent_agreement(table),
        stats.cohen_kappa(table),
        stats.gwet_ac1(table),
    )


def _row(question_id: str, label: str, found: Sequence[Unit]) -> FigureRow:
    judged = [(u[4], u[5]) for u in found if u[4] in JUDGED and u[5] in JUDGED]
    applies = [
        ("na" if u[4] == "na" else "applies", "na" if u[5] == "na" else "applies") for u in found
    ]
    j = figure(judged, JUDGED)
    return FigureRow(question_id, label, j, figure(applies, APPLIES), stats.landis_koch(j.kappa))


def scope(
    name: str, assessors: tuple[str, ...], found: Sequence[Unit], kqs: Sequence[Any]
) -> Scope:
    rows = [_row(kq.id, kq.text, [u for u in found if u[1] == kq.id]) for kq in kqs]
    rows.append(_row(ALL, "All key questions", found))
    return Scope(name, assessors, len({u[0] for u in found}), tuple(rows))


def key_questions(store: Store) -> list[Any]:
    """The key questions of the instruments the sample's cases are assessed with, in
    instrument order (one instrument: its key questions)."""
    found: dict[str, Any] = {}
    forms: dict[str, Any] = {}
    for case_id in reads.sample(store):
        case = store.reads.case(case_id)
        if case is not None:
            form = rounds.form_of(store, case)
            forms.setdefault(form.id, form)
    for form in forms.values() or [store.reads.form()]:
        for kq in form.key_questions():
            found.setdefault(kq.id, kq)
    return list(found.values())


def agreement(store: Store) -> Agreement:
    """The figures for the team and for each pair of assessors, with the reading."""
    names = store.reads.member_names()
    kqs = key_questions(store)
    found = units(store)
    team = scope("Team", (), found, kqs)
    pairs = []
    for pair in sorted({tuple(sorted((u[2], u[3]))) for u in found}):
        label = " & ".join(names.get(m, "someone who left") for m in pair)
        mine = [u for u in found if tuple(sorted((u[2], u[3]))) == pair]
        pairs.append(scope(label, (pair[0], pair[1]), mine, kqs))
    pairs.sort(key=lambda s: (s.name, s.assessors))
    return Agreement(team, tuple(pairs), reading(team))


def _num(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.2f}"


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.0f}%"


def paradox(row: FigureRow) -> bool:
    """Nearly every case got the same judgement: kappa says little, AC1 says they agree."""
    j = row.judgement
    return (
        j.ac1 is not None
        and j.ac1 >= 0.8
        and (j.percent or 0) >= 90
        and (j.kappa is None or row.band in WEAK)
    )


def reading(team: Scope) -> tuple[str, ...]:
    """The figures in plain words, Landis & Koch (1977) for kappa."""
    overall = team.row(ALL)
    if overall.judgement.n == 0:
        return ("No moderated case has both assessments complete yet: no figures to read.",)
    j = overall.judgement
    cases = f"{team.cases} case{'s' if team.cases != 1 else ''}"
    figures = f"kappa {_num(j.kappa)}, AC1 {_num(j.ac1)}, {_pct(j.percent)} agreed, n={j.n}"
    if paradox(overall):
        lines = [
            f"Over all key questions: {_pct(j.percent)} agreed ({figures}, {cases}); nearly "
            "every judgement was the same, so kappa says little and AC1 is the figure to read."
        ]
    else:
        lines = [
            f"Over all key questions: {overall.band or 'undefined'} agreement ({figures}, {cases})."
        ]
    strong, weak, same = [], [], []
    for row in team.rows:
        if row.question_id == ALL or row.judgement.n == 0:
            continue
        if paradox(row):
            same.append(row.question_id)
        elif row.band in STRONG:
            strong.append(row.question_id)
        elif row.band in WEAK or row.band is None:
            weak.append((row.question_id, row.band or "undefined"))
    parts = []
    if strong:
        parts.append(f"substantial agreement or better on {', '.join(strong)}")
    if weak:
        by_band: dict[str, list[str]] = {}
        for qid, band in weak:
            by_band.setdefault(band, []).append(qid)
        words = "; ".join(f"{band} on {', '.join(q)}" for band, q in by_band.items())
        parts.append(f"{words}: discuss before rating")
    if parts:
        lines.append(_cap("; ".join(parts)) + ".")
    if same:
        lines.append(
            f"{', '.join(same)}: nearly every case got the same judgement, so kappa says "
            "little; Gwet's AC1 shows the assessors agree."
        )
    a = overall.applicability
    if a.n:
        lines.append(
            f"Whether a key question applied at all: {_pct(a.percent)} agreed (kappa "
            f"{_num(a.kappa)}, n={a.n})."
        )
    if j.n < FEW:
        lines.append(
            f"Only {j.n} judgement{'s' if j.n != 1 else ''} so far: read these figures with care."
        )
    return tuple(lines)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def calibration(store: Store) -> Calibration:
    """The calibration exercise: who has assessed, the spread, Fleiss' kappa and alpha."""
    cases = tuple(p for p in progress(store) if p.kind == CALIBRATION)
    status = reads.rounds(store)
    spread: list[Spread] = []
    counts_by_unit: list[list[int]] = []  # of the cases everyone has assessed: Fleiss
    labels_by_unit: list[list[str]] = []  # of every case, whoever has: Krippendorff
    everyone = 0
    raters_everywhere: set[str] | None = None
    for p in cases:
        case = store.reads.case(p.case_id)
        if case is None:
            continue
        form = rounds.form_of(store, case)
        judged: dict[str, dict[str, Any]] = {}
        if p.first_done and case.inspector:
            judged[case.inspector] = effective(form, rounds.first_values(store, case))
        answers = reads.round_answers(store, case.id)
        for assessor in p.expected:
            if status.get((case.id, assessor)) == COMPLETE:
                mine = answers.get((case.id, assessor), {})
                judged[assessor] = effective(form, rounds.values(store, case, mine))
        kqs = form.key_questions()
        who = set(judged)
        raters_everywhere = who if raters_everywhere is None else raters_everywhere & who
        full = len(p.complete) == len(p.expected) and (p.first_done or not case.inspector)
        everyone += full
        for kq in kqs:
            labels = [v[kq.id] for v in judged.values() if v.get(kq.id) in review.JUDGEMENTS]
            counts = [labels.count(j) for j in review.JUDGEMENTS]
            spread.append(
                Spread(case.id, case.ref, kq.id, tuple(zip(review.JUDGEMENTS, counts, strict=True)))
            )
            if len(labels) >= 2:
                labels_by_unit.append(labels)
                if full:
                    counts_by_unit.append(counts)
    same_raters = len({sum(c) for c in counts_by_unit}) == 1
    return Calibration(
        cases,
        tuple(spread),
        len(raters_everywhere or ()),
        len(labels_by_unit),
        everyone,
        stats.fleiss_kappa(counts_by_unit) if same_raters else None,
        stats.krippendorff_alpha(labels_by_unit),
    )


def annex_sentence(store: Store) -> str | None:
    """What the methodology annex says of moderation (None when there was none)."""
    found = [p for p in progress(store) if p.kind != CALIBRATION]
    done = [p for p in found if p.first_done and len(p.complete) == len(p.expected) and p.expected]
    if not done:
        return None
    team = agreement(store).team
    j = team.row(ALL).judgement
    settled = sum(p.disagreements - p.open for p in done)
    total = sum(p.disagreements for p in done)
    return (
        f"{len(done)} case assessment{'s were' if len(done) != 1 else ' was'} moderated: a "
        "second inspector who had not seen the first judgements assessed "
        f"{'each' if len(done) != 1 else 'it'} blind, and {settled} of {total} "
        f"disagreement{'s' if total != 1 else ''} {'were' if settled != 1 else 'was'} settled "
        "by the lead. Agreement on the key-question judgements: "
        f"{_pct(j.percent)} (Cohen's kappa {_num(j.kappa)}, Gwet's AC1 {_num(j.ac1)}, "
        f"n = {j.n})."
    )
