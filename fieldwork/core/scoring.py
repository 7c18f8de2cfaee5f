"""Key-question results, standard ratings and the overall rating (pure, no store).

The inspection's method decides what is rated (forms/method.py): a quality and impact
method rates nothing, and every rating and point is then null; the standards framework
rates each organisation on the standards that apply to it. Rules (DESIGN.md section 6,
DOMAIN.md "From answers to ratings"):

- Only complete and reviewed cases count; cases begun but not complete (draft,
  returned) are counted apart as ``cases_draft``; cases not started are in neither.
- Per key question and organisation: cases judged sufficient ("yes") over cases
  where it applies ("yes" or "no"; "na" and unanswered are left out).
- Each case counts under the instrument of its sample, towards the standards that
  instrument feeds.
- The percentage has one decimal, rounded half up from the exact fraction; the
  band comes from the method's bands on the exact counts, never on the rounded
  figure. The 95% interval is Wilson's score interval (for the team, never the report).
- A key question with no applicable case has a null percentage and rating and
  does not drive its standard. A standard takes the band of its lowest rated
  key question; with none rated it is null.
- A judgement-rated standard takes the rating the team recorded, with its
  justification; its key questions carry the team's judgements and how many
  evidence items stand behind each.
- Professional discretion: an override sets a case-based standard's rating away
  from the rules' result (``rule_rating`` keeps that result) with a reason.
- The overall rating comes from the sum of standard points through the method's
  overall bands, and only when every standard the organisation is rated on is
  rated and they are as many as the bands assume (``overall_standards``: ten);
  ``points`` still holds the partial sum and ``standards_rated`` says how many
  counted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fieldwork.core.results import (
    Z95,
    InstrumentCount,
    KeyQuestionResult,
    OrganisationRatings,
    OverallResult,
    OverrideResult,
    PromptResult,
    Ratings,
    StandardResult,
    judgement_of,
    percent,
    round_half_up,
    wilson_interval,
)

__all__ = [
    "COUNTED_STATUSES", "NO_ORGANISATION", "Z95", "InstrumentCount", "KeyQuestionResult",
    "OrganisationRatings", "OverallResult", "OverrideResult", "PromptResult", "Ratings",
    "StandardResult", "judgement_of", "percent", "ratings_json", "round_half_up", "score",
    "score_store", "wilson_interval",
]  # fmt: skip

COUNTED_STATUSES = ("complete", "reviewed")
DRAFT_STATUSES = ("draft", "returned")  # begun, not counted; not_started is neither
NO_ORGANISATION = "Not recorded"


def as_method_forms(source: Any) -> Any:
    """A MethodForms from a MethodForms, or from one form (as release 0.1.0 scored)."""
    if hasattr(source, "method") and hasattr(source, "forms"):
        return source
    from fieldwork.core.forms.method_forms import MethodForms, derive_for_form
    from fieldwork.core.storage.method_reads import shipped_methods

    return MethodForms(derive_for_form(source, shipped_methods()), {source.id: source})


@dataclass
class _Tally:
    complete: int = 0
    draft: int = 0
    by_instrument: dict[str, list[int]] = field(default_factory=dict)  # id -> [complete, draft]
    applicable: dict[tuple[str, str], int] = field(default_factory=dict)  # (instrument, kq)
    sufficient: dict[tuple[str, str], int] = field(default_factory=dict)
    prompts: dict[tuple[str, str], list[int]] = field(default_factory=dict)  # -> [yes, no, na]


def score(
    source: Any,
    cases: Iterable[tuple[Any, ...]],
    *,
    organisations: Iterable[str] = (),
    inspection: str = "",
    judgements: Mapping[tuple[str, str], Any] | None = None,
    kq_judgements: Mapping[tuple[str, str], Any] | None = None,
    overrides: Mapping[tuple[str, str], Any] | None = None,
    evidence: Iterable[Any] = (),
) -> Ratings:
    """Results and ratings per organisation.

    `source` is the inspection's MethodForms (or one form, scored as release 0.1.0 did).
    `cases` are (organisation, status, answers[, sample]) tuples; `answers` maps
    question id to value (or Answer); a key question's judgement is the answer stored
    under its id. `organisations` fixes the order and makes an organisation with no
    cases appear; organisations met only in the cases follow in alphabetical order.
    `judgements` {(org, standard id): StandardJudgement}, `kq_judgements`
    {(org, key question id): KeyQuestionJudgement} and `overrides` {(org, standard id):
    Override} come from the store (evidence_reads); `evidence` is the register.
    """
    mf = as_method_forms(source)
    method = mf.method
    rules = method.rating
    if rules is not None and rules.standard_rule != "lowest":
        raise ValueError(f"unknown standard rule {rules.standard_rule!r}")
    order = list(dict.fromkeys(organisations))
    tallies: dict[str, _Tally] = {org: _Tally() for org in order}
    wanted = _wanted(mf)
    for row in cases:
        case_org, status, answers = row[0], row[1], row[2]
        sample = row[3] if len(row) > 3 else None
        org = case_org or NO_ORGANISATION
        tally = tallies.setdefault(org, _Tally())
        inst = mf.instrument_of(sample).id
        counts = tally.by_instrument.setdefault(inst, [0, 0])
        if status not in COUNTED_STATUSES:
            begun = status in DRAFT_STATUSES  # not_started is in neither count
            tally.draft += begun
            counts[1] += begun
            continue
        tally.complete += 1
        counts[0] += 1
        kq_ids, prompt_ids = wanted.get(inst, ((), ()))
        for qid in kq_ids:
            j = judgement_of(answers.get(qid))
            if j in ("yes", "no"):
                key = (inst, qid)
                tally.applicable[key] = tally.applicable.get(key, 0) + 1
                if j == "yes":
                    tally.sufficient[key] = tally.sufficient.get(key, 0) + 1
        for pid in prompt_ids:
            j = judgement_of(answers.get(pid))
            if j is not None:
                slot = tally.prompts.setdefault((inst, pid), [0, 0, 0])
                slot[("yes", "no", "na").index(j)] += 1
    extra = sorted(o for o in tallies if o not in order)
    items = list(evidence)
    results = []
    for org in order + extra:
        t = tallies[org]
        standards = tuple(
            _standard(mf, s, org, t, judgements or {}, kq_judgements or {}, overrides or {}, items)
            for s in method.standards_for(org)
        )
        found_type = method.organisation_type(org)
        results.append(
            OrganisationRatings(
                name=org,
                cases_complete=t.complete,
                cases_draft=t.draft,
                standards=standards,
                overall=_overall(rules, standards),
                type=found_type.id if found_type else None,
                instruments=tuple(
                    InstrumentCount(i.id, *t.by_instrument.get(i.id, [0, 0]))
                    for i in method.instruments
                    if method.applies(i.organisation_types, org) or i.id in t.by_instrument
                ),
            )
        )
    return Ratings(
        inspection=inspection,
        form=method.main.form_id,
        organisations=tuple(results),
        method=method.id,
        method_title=method.title,
        rated=rules is not None,
        bands=rules.bands if rules else (),
        instruments=method.instruments,
        overall_standards=rules.overall_standards if rules else None,
        form_version=mf.main_form.version,
        form_hash=mf.main_form.short_hash,
        min_cases=method.min_cases,
    )


def _wanted(mf: Any) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Per instrument: the key questions and yes/no prompts the standards report on."""
    out: dict[str, tuple[list[str], list[str]]] = {}
    for s in mf.method.standards():
        if s.basis != "cases":
            continue
        kqs, prompts = out.setdefault(s.instrument, ([], []))
        for kq in mf.form_key_questions(s):
            kqs.append(kq.id)
            prompts += [p.id for p in kq.prompts if p.type in ("yes_no", "yes_no_na")]
    return {k: (tuple(a), tuple(b)) for k, (a, b) in out.items()}


def _standard(
    mf: Any,
    standard: Any,
    org: str,
    t: _Tally,
    judgements: Mapping[tuple[str, str], Any],
    kq_judgements: Mapping[tuple[str, str], Any],
    overrides: Mapping[tuple[str, str], Any],
    evidence: list[Any],
) -> StandardResult:
    rules = mf.method.rating
    common = {
        "id": standard.id,
        "title": standard.title,
        "number": standard.number,
        "statement": standard.statement,
        "domain": standard.domain,
        "basis": standard.basis,
        "instrument": standard.instrument,
    }
    if standard.basis == "judgement":
        kqs = []
        for ref in mf.key_questions(standard):
            j = kq_judgements.get((org, ref.id))
            behind = [
                e
                for e in evidence
                if (e.organisation in (None, org))
                and (ref.id in e.targets or standard.id in e.targets)
            ]
            kqs.append(
                KeyQuestionResult(
                    ref.id, ref.text, 0, 0, None, None, None, None, basis="judgement",
                    judgement=getattr(j, "judgement", None),
                    judgement_text=getattr(j, "text", None) or None, sources=len(behind),
                )
            )  # fmt: skip
        team = judgements.get((org, standard.id))
        rating = getattr(team, "rating", None) if rules else None
        band = rules.band_named(rating) if rules else None
        return StandardResult(
            **common,
            rating=band.rating if band else None,
            points=band.points if band else None,
            key_questions=tuple(kqs),
            rule_rating=band.rating if band else None,
            justification=getattr(team, "justification", None) or None,
        )
    kqs = []
    lowest = None
    inst = standard.instrument
    for kq in mf.form_key_questions(standard):
        a = t.applicable.get((inst, kq.id), 0)
        s = t.sufficient.get((inst, kq.id), 0)
        band = rules.band_for(s, a) if (rules and a) else None
        prompts = tuple(
            PromptResult(p.id, p.text, *t.prompts.get((inst, p.id), [0, 0, 0]))
            for p in kq.prompts
            if p.type in ("yes_no", "yes_no_na")
        )
        kqs.append(
            KeyQuestionResult(
                id=kq.id, text=kq.text, applicable=a, sufficient=s, percent=percent(s, a),
                ci95=wilson_interval(s, a), rating=band.rating if band else None,
                points=band.points if band else None, prompts=prompts, lens=kq.lens or None,
            )
        )  # fmt: skip
        # Lowest by the band's threshold, so the rule holds whatever the points are.
        if band is not None and (lowest is None or band.min < lowest.min):
            lowest = band
    rating = lowest.rating if lowest else None
    points = lowest.points if lowest else None
    override: OverrideResult | None = None
    chosen = overrides.get((org, standard.id)) if rules else None
    if chosen is not None and rules is not None:
        band = rules.band_named(chosen.rating)
        if band is not None and band.rating != rating:
            rating, points = band.rating, band.points
            override = OverrideResult(band.rating, chosen.reason)
    return StandardResult(
        **common,
        rating=rating,
        points=points,
        key_questions=tuple(kqs),
        rule_rating=lowest.rating if lowest else None,
        override=override,
        cases_counted=t.by_instrument.get(inst, [0, 0])[0],
    )


def _overall(rules: Any, standards: tuple[StandardResult, ...]) -> OverallResult:
    rated = [s for s in standards if s.points is not None]
    points = sum(s.points for s in rated if s.points is not None)
    rating = None
    complete = bool(standards) and len(rated) == len(standards)
    full = rules is not None and rules.overall_standards in (None, len(standards))
    if rules is not None and complete and full:
        rating = rules.overall_for(points).rating
    return OverallResult(
        points=points, rating=rating, standards_rated=len(rated), standards_total=len(standards)
    )


def score_store(store: Any) -> Ratings:
    """Ratings of everything in an open Store, under the inspection's method."""
    from fieldwork.core.storage import evidence_reads, method_reads

    inspection = store.reads.inspection()
    # Moderation: a settled disagreement's value counts in place of the first assessment's.
    from fieldwork.core.moderation import counted_values

    values = counted_values(store)
    cases = [
        (c.organisation, c.status, values.get(c.id, {}), c.sample) for c in store.reads.cases()
    ]
    return score(
        method_reads.method_forms(store),
        cases,
        organisations=inspection.organisations,
        inspection=inspection.name,
        judgements=evidence_reads.standard_judgements(store),
        kq_judgements=evidence_reads.kq_judgements(store),
        overrides=evidence_reads.overrides(store),
        evidence=evidence_reads.evidence(store),
    )


def ratings_json(ratings: Ratings) -> dict[str, Any]:
    """The `fieldwork ratings --json` shape (docs/ratings-json.md); keys there stay."""
    from fieldwork.core.ratings_view import ratings_json as as_json

    return as_json(ratings)
