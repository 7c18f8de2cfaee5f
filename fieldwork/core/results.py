"""The values scoring hands out: results per prompt, key question, standard, organisation.

Plain frozen values (no store, no method), made by scoring.py and read by the report,
the ratings JSON and table (ratings_view.py) and the app. Percentages are rounded half
up from the exact fraction here too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

# z for a two-sided 95% interval (the 0.975 quantile of the standard normal).
Z95 = 1.959963984540054


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


@dataclass(frozen=True)
class PromptResult:
    """How the counted cases answered one yes/no prompt (for the results annex)."""

    id: str
    text: str
    yes: int
    no: int
    na: int

    @property
    def applicable(self) -> int:
        return self.yes + self.no

    @property
    def percent(self) -> float | None:
        return percent(self.yes, self.applicable)


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
    basis: str = "cases"
    prompts: tuple[PromptResult, ...] = ()
    judgement: str | None = None  # judgement-rated: the team's "yes" / "no"
    judgement_text: str | None = None
    sources: int | None = None  # judgement-rated: evidence items behind it
    lens: str | None = None

    @property
    def fraction(self) -> Fraction | None:
        return Fraction(self.sufficient, self.applicable) if self.applicable else None


@dataclass(frozen=True)
class OverrideResult:
    rating: str
    reason: str


@dataclass(frozen=True)
class StandardResult:
    id: str
    title: str
    rating: str | None
    points: int | None
    key_questions: tuple[KeyQuestionResult, ...]
    number: str = ""
    statement: str | None = None
    domain: str = ""
    basis: str = "cases"
    instrument: str | None = None
    rule_rating: str | None = None  # the rules' result (cases) or the team's rating
    override: OverrideResult | None = None
    justification: str | None = None  # judgement-rated: why the team rated it so
    cases_counted: int = 0

    @property
    def overridden(self) -> bool:
        return self.override is not None

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title


@dataclass(frozen=True)
class OverallResult:
    points: int
    rating: str | None
    standards_rated: int
    standards_total: int


@dataclass(frozen=True)
class InstrumentCount:
    id: str
    cases_complete: int
    cases_draft: int


@dataclass(frozen=True)
class OrganisationRatings:
    name: str
    cases_complete: int
    cases_draft: int
    standards: tuple[StandardResult, ...]
    overall: OverallResult
    type: str | None = None
    instruments: tuple[InstrumentCount, ...] = ()

    def standard(self, standard_id: str) -> StandardResult:
        for s in self.standards:
            if s.id == standard_id:
                return s
        raise KeyError(standard_id)

    def has_standard(self, standard_id: str) -> bool:
        return any(s.id == standard_id for s in self.standards)


@dataclass(frozen=True)
class Ratings:
    inspection: str
    form: str
    organisations: tuple[OrganisationRatings, ...]
    method: str = ""
    method_title: str = ""
    rated: bool = True
    bands: tuple[Any, ...] = ()  # the method's key-question bands, highest first
    instruments: tuple[Any, ...] = ()  # the method's Instruments
    overall_standards: int | None = None  # how many rated standards the overall needs
    form_version: int | None = None  # which form exactly the ratings used
    form_hash: str | None = None  # its content hash, short (forms/loader.py)
    min_cases: int = 10  # fewer applicable cases: "based on N cases" (core/samples.py)

    def organisation(self, name: str) -> OrganisationRatings:
        for o in self.organisations:
            if o.name == name:
                return o
        raise KeyError(name)

    def overrides(self) -> list[tuple[str, StandardResult]]:
        """Every standard rated by professional discretion, as (organisation, standard)."""
        return [(o.name, s) for o in self.organisations for s in o.standards if s.overridden]
