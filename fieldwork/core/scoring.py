"""Key-question results, standard ratings and the overall rating (pure, no store).

Rules (DESIGN.md section 6, DOMAIN.md "From answers to ratings"):

- Only complete and reviewed cases count; every other status (not started,
  draft, returned) is counted apart as ``cases_draft``.
- Per key question and organisation: cases judged sufficient ("yes") over cases
  where it applies ("yes" or "no"; "na" and unanswered are left out).
- The percentage has one decimal, rounded half up from the exact fraction; the
  band comes from ``form.band_for`` on the exact counts, never on the rounded
  figure. The 95% interval is Wilson's score interval.
- A key question with no applicable case has a null percentage and rating and
  does not drive its standard. A standard takes the band of its lowest rated
  key question; with none rated it is null.
- The overall rating comes from the sum of standard points through
  ``form.overall_for``, and only when every standard is rated: the overall
  bands are set for the full number of standards, so a partial sum would
  understate the rating. ``points`` still holds the partial sum and
  ``standards_rated`` says how many counted.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

COUNTED_STATUSES = ("complete", "reviewed")
# z for a two-sided 95% interval (the 0.975 quantile of the standard normal).
Z95 = 1.959963984540054
NO_ORGANISATION = "Not recorded"


@dataclass(frozen=True)
class KeyQuestionResult:
    id: str
    text: str
    applicable: int
    sufficient: int
    percent: float | None
    ci95: tuple[float, float] | None
    rating: str | None
    points: int | None

    @property
    def fraction(self) -> Fraction | None:
        return Fraction(self.sufficient, self.applicable) if self.applicable else None


@dataclass(frozen=True)
class StandardResult:
    id: str
    title: str
    rating: str | None
    points: int | None
    key_questions: tuple[KeyQuestionResult, ...]


@dataclass(frozen=True)
class OverallResult:
    points: int
    rating: str | None
    standards_rated: int
    standards_total: int


@dataclass(frozen=True)
class OrganisationRatings:
    name: str
    cases_complete: int
    cases_draft: int
    standards: tuple[StandardResult, ...]
    overall: OverallResult

    def standard(self, standard_id: str) -> StandardResult:
        for s in self.standards:
            if s.id == standard_id:
                return s
        raise KeyError(standard_id)


@dataclass(frozen=True)
class Ratings:
    inspection: str
    form: str
    organisations: tuple[OrganisationRatings, ...]

    def organisation(self, name: str) -> OrganisationRatings:
        for o in self.organisations:
            if o.name == name:
                return o
        raise KeyError(name)


def round_half_up(value: Fraction | float, places: int = 1) -> float:
    """Round half away from zero at `places` decimals (Python's round() rounds half to even)."""
    if isinstance(value, Fraction):
        scaled = abs(value) * 10**places
        whole = math.floor(scaled + Fraction(1, 2))  # exact, no float or decimal context
        return math.copysign(whole / 10**places, value) if whole else 0.0
    d = Decimal(repr(value))
    return float(d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def percent(sufficient: int, applicable: int) -> float | None:
    """`sufficient / applicable` as a percentage with one decimal, or None with no applicable case."""
    if applicable <= 0:
        return None
    return round_half_up(Fraction(100 * sufficient, applicable))


def wilson_interval(sufficient: int, applicable: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval as percentages with one decimal; None with no applicable case."""
    n = applicable
    if n <= 0:
        return None
    p = sufficient / n
    z2 = z * z
    denom = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom
    lo = max(0.0, centre - half)
    hi = min(1.0, centre + half)
    return (round_half_up(lo * 100), round_half_up(hi * 100))


def judgement_of(value: Any) -> str | None:
    """A key question's judgement as 'yes', 'no', 'na' or None (unanswered or unreadable)."""
    if hasattr(value, "value"):  # an Answer
        value = value.value
    if isinstance(value, str):
        v = value.strip().lower()
        if v in ("yes", "no", "na"):
            return v
    return None


def score(
    form: Any,
    cases: Iterable[tuple[str | None, str, Mapping[str, Any]]],
    *,
    organisations: Iterable[str] = (),
    inspection: str = "",
) -> Ratings:
    """Ratings per organisation from (organisation, status, answers) triples.

    `answers` maps question id to value (or Answer); a key question's judgement
    is the answer stored under the key question's id. `organisations` fixes the
    order and makes an organisation with no cases appear; organisations met only
    in the cases follow in alphabetical order.
    """
    rule = getattr(getattr(form, "rating", None), "standard_rule", "lowest")
    if rule != "lowest":
        raise ValueError(f"unknown standard rule {rule!r}")
    key_questions = [kq for section in form.sections for kq in section.key_questions]
    kq_ids = [kq.id for kq in key_questions]
    complete: dict[str, int] = {}
    draft: dict[str, int] = {}
    applicable: dict[str, dict[str, int]] = {}
    sufficient: dict[str, dict[str, int]] = {}
    order = list(dict.fromkeys(organisations))

    def bucket(org: str) -> None:
        if org not in complete:
            complete[org] = 0
            draft[org] = 0
            applicable[org] = dict.fromkeys(kq_ids, 0)
            sufficient[org] = dict.fromkeys(kq_ids, 0)

    for org in order:
        bucket(org)
    for case_org, status, answers in cases:
        org = case_org or NO_ORGANISATION
        bucket(org)
        if status not in COUNTED_STATUSES:
            draft[org] += 1
            continue
        complete[org] += 1
        app, suf = applicable[org], sufficient[org]
        for qid in kq_ids:
            j = judgement_of(answers.get(qid))
            if j == "yes":
                app[qid] += 1
                suf[qid] += 1
            elif j == "no":
                app[qid] += 1

    extra = sorted(o for o in complete if o not in order)
    results = []
    for org in order + extra:
        standards = tuple(
            _standard(form, section, applicable[org], sufficient[org]) for section in form.sections
        )
        results.append(
            OrganisationRatings(
                name=org,
                cases_complete=complete[org],
                cases_draft=draft[org],
                standards=standards,
                overall=_overall(form, standards),
            )
        )
    return Ratings(
        inspection=inspection, form=getattr(form, "id", ""), organisations=tuple(results)
    )


def _standard(
    form: Any, section: Any, applicable: Mapping[str, int], sufficient: Mapping[str, int]
) -> StandardResult:
    kqs = []
    lowest = None
    for kq in section.key_questions:
        a, s = applicable[kq.id], sufficient[kq.id]
        band = form.band_for(s, a) if a else None
        kqs.append(
            KeyQuestionResult(
                id=kq.id,
                text=kq.text,
                applicable=a,
                sufficient=s,
                percent=percent(s, a),
                ci95=wilson_interval(s, a),
                rating=band.rating if band else None,
                points=band.points if band else None,
            )
        )
        # Lowest by the band's threshold, so the rule holds whatever the points are.
        if band is not None and (lowest is None or band.min < lowest.min):
            lowest = band
    return StandardResult(
        id=section.id,
        title=section.title,
        rating=lowest.rating if lowest else None,
        points=lowest.points if lowest else None,
        key_questions=tuple(kqs),
    )


def _overall(form: Any, standards: tuple[StandardResult, ...]) -> OverallResult:
    rated = [s for s in standards if s.points is not None]
    points = sum(s.points for s in rated if s.points is not None)
    rating = None
    if standards and len(rated) == len(standards):
        rating = form.overall_for(points).rating
    return OverallResult(
        points=points, rating=rating, standards_rated=len(rated), standards_total=len(standards)
    )


def score_store(store: Any) -> Ratings:
    """Ratings of everything in an open Store."""
    inspection = store.reads.inspection()
    # Moderation: a settled disagreement's value counts in place of the first assessment's.
    from fieldwork.core.moderation import counted_values

    values = counted_values(store)
    cases = [(c.organisation, c.status, values.get(c.id, {})) for c in store.reads.cases()]
    return score(
        store.reads.form(),
        cases,
        organisations=inspection.organisations,
        inspection=inspection.name,
    )


def ratings_json(ratings: Ratings) -> dict[str, Any]:
    """The `fieldwork ratings --json` shape (docs/ratings-json.md); keys there stay."""
    return {
        "inspection": ratings.inspection,
        "form": ratings.form,
        "organisations": [
            {
                "name": o.name,
                "cases_complete": o.cases_complete,
                "cases_draft": o.cases_draft,
                "standards": [
                    {
                        "id": s.id,
                        "title": s.title,
                        "rating": s.rating,
                        "points": s.points,
                        "key_questions": [
                            {
                                "id": k.id,
                                "text": k.text,
                                "applicable": k.applicable,
                                "sufficient": k.sufficient,
                                "percent": k.percent,
                                "ci95": list(k.ci95) if k.ci95 else None,
                                "rating": k.rating,
                            }
                            for k in s.key_questions
                        ],
                    }
                    for s in o.standards
                ],
                "overall": {
                    "points": o.overall.points,
                    "rating": o.overall.rating,
                    "standards_rated": o.overall.standards_rated,
                    "standards_total": o.overall.standards_total,
                },
            }
            for o in ratings.organisations
        ],
    }
