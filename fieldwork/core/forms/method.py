"""An inspection method as frozen values: instruments, standards, rating rules, report order.

A method file (fieldwork/methods/*.yaml, documented in its README) says how an
inspection is done: which case assessment forms (instruments) it uses and on which
sample, which standards it reports on (from cases or by the team's judgement), whether
and how anything is rated, the report's parts in order, and the words of its period.
method_loader.py reads and checks the files; this module holds the values.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fieldwork.core.forms import rules
from fieldwork.core.forms.rules import Band, OverallBand
from fieldwork.core.samples import MIN_CASES

BASES = ("cases", "judgement")
REPORT_PARTS = (
    "foreword",
    "overall_findings",
    "ratings",
    "recommendations",
    "background",
    "chapters",
    "methodology",
    "results",
    "glossary",
)
TERM_KEYS = ("person", "people", "practitioner", "practitioners")
DEFAULT_TERMS = {
    "person": "person on probation",
    "people": "people on probation",
    "practitioner": "probation practitioner",
    "practitioners": "probation practitioners",
}
DEFAULT_TITLES = {
    "foreword": "Foreword",
    "overall_findings": "Overall findings",
    "ratings": "Summary of ratings",
    "recommendations": "Recommendations",
    "background": "Background and contextual facts",
    "chapters": "Findings",
    "methodology": "Annex 1: Methodology",
    "results": "Annex 2: Inspection results",
    "glossary": "Glossary",
}


@dataclass(frozen=True)
class OrganisationType:
    id: str
    title: str
    names: tuple[str, ...]  # words that, found in an organisation's name, give its type


@dataclass(frozen=True)
class Instrument:
    """A case assessment form used on one sample of cases."""

    id: str
    title: str
    form_id: str
    sample: str
    sample_title: str
    drawn: str | None = None  # how the sample was drawn, for the methodology annex
    organisation_types: tuple[str, ...] = ()  # empty: every organisation


@dataclass(frozen=True)
class MethodKeyQuestion:
    """A key question of a judgement-rated standard (case-based ones come from the form)."""

    id: str
    text: str
    modelled: bool = False


@dataclass(frozen=True)
class Standard:
    """A standard (rated methods) or an area reported on (quality and impact)."""

    id: str
    number: str
    title: str
    statement: str | None
    domain: str
    basis: str  # "cases" | "judgement"
    instrument: str | None = None
    section: str | None = None  # the form section whose key questions it takes
    form_key_questions: tuple[str, ...] = ()  # or these key questions of the form
    key_questions: tuple[MethodKeyQuestion, ...] = ()  # judgement-rated only
    organisation_types: tuple[str, ...] = ()
    modelled: bool = False

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title


@dataclass(frozen=True)
class Domain:
    id: str
    number: str
    title: str
    standards: tuple[Standard, ...]
    organisation_types: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"Domain {self.number}: {self.title}" if self.number else self.title


@dataclass(frozen=True)
class RatingRules:
    """HMIP's rules: key-question bands, the lowest key question sets a case-based
    standard, points per standard, overall bands on the sum over `overall_standards`."""

    bands: tuple[Band, ...]  # highest first
    standard_rule: str
    overall_bands: tuple[OverallBand, ...]
    overall_standards: int | None = None

    def band_for(self, sufficient: int, applicable: int) -> Band:
        return rules.band_for(self.bands, sufficient, applicable)

    def overall_for(self, points: int) -> OverallBand:
        return rules.overall_for(self.overall_bands, points)

    def band_named(self, rating: str | None) -> Band | None:
        return next((b for b in self.bands if b.rating == rating), None)

    def ratings(self) -> tuple[str, ...]:
        return tuple(b.rating for b in self.bands)


@dataclass(frozen=True)
class ReportPart:
    part: str
    title: str


@dataclass(frozen=True)
class GlossaryTerm:
    term: str
    meaning: str


@dataclass(frozen=True)
class Method:
    id: str
    version: int
    title: str
    period: str | None
    description: str | None
    terms: dict[str, str]
    organisation_types: tuple[OrganisationType, ...]
    instruments: tuple[Instrument, ...]
    domains: tuple[Domain, ...]
    rating: RatingRules | None
    report: tuple[ReportPart, ...]
    glossary: tuple[GlossaryTerm, ...]
    source: str
    path: str
    legacy_form: str | None = None  # set when derived for a file made with one form
    # Fewer applicable cases than this and a key question's result is marked "based on
    # N cases", not shown as firm (core/samples.py); the method's `min_cases`, else 10.
    min_cases: int = MIN_CASES
    _standards: dict[str, Standard] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        found = {s.id: s for d in self.domains for s in d.standards}
        object.__setattr__(self, "_standards", found)

    @property
    def rated(self) -> bool:
        return self.rating is not None

    @property
    def main(self) -> Instrument:
        return self.instruments[0]

    def standards(self) -> list[Standard]:
        return list(self._standards.values())

    def standard(self, standard_id: str) -> Standard | None:
        return self._standards.get(standard_id)

    def instrument(self, instrument_id: str | None) -> Instrument | None:
        return next((i for i in self.instruments if i.id == instrument_id), None)

    def instrument_for_sample(self, sample: str | None) -> Instrument | None:
        """The instrument a case of `sample` is assessed with; no sample is the main one."""
        if not sample:
            return self.main
        folded = sample.casefold()
        return next(
            (i for i in self.instruments if folded in (i.sample.casefold(), i.id.casefold())),
            None,
        )

    def form_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(i.form_id for i in self.instruments))

    def organisation_type(self, name: str | None) -> OrganisationType | None:
        """The type whose `names` word appears, as a whole word, in an organisation's name."""
        if not name:
            return None
        words = " ".join("".join(c if c.isalnum() else " " for c in name).split()).casefold()
        padded = f" {words} "
        for t in self.organisation_types:
            for n in (t.id, *t.names):
                key = " ".join("".join(c if c.isalnum() else " " for c in n).split()).casefold()
                if key and f" {key} " in padded:
                    return t
        return None

    def applies(self, types: tuple[str, ...], organisation: str | None) -> bool:
        """Whether something restricted to `types` (empty: all) applies to an organisation."""
        if not types:
            return True
        found = self.organisation_type(organisation)
        return found is not None and found.id in types

    def standards_for(self, organisation: str | None) -> list[Standard]:
        """The standards an organisation is rated on (for a CRC, its own domain three)."""
        out = []
        for d in self.domains:
            if not self.applies(d.organisation_types, organisation):
                continue
            out += [s for s in d.standards if self.applies(s.organisation_types, organisation)]
        return out

    def term(self, key: str) -> str:
        return self.terms.get(key) or DEFAULT_TERMS[key]

    def part_title(self, part: str) -> str:
        found = next((p for p in self.report if p.part == part), None)
        return found.title if found else DEFAULT_TITLES[part]
