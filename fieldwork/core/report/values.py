"""The plain frozen values the draft findings report is rendered from (ReportData).

Gathered by report.py from a Store; rendered by pdf.py. They hold no case reference, no
name and no date of birth.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fieldwork.core.scoring import Ratings


@dataclass(frozen=True)
class Band:
    rating: str
    min_percent: float
    points: int
    phrase: str | None = None


@dataclass(frozen=True)
class QuoteItem:
    text: str
    attribution: str  # "a responsible officer told us"
    organisation: str | None


@dataclass(frozen=True)
class Point:
    """One strength or area for improvement: a finding or a case note."""

    text: str
    organisation: str | None
    source: str  # "finding" | "note"
    case: str | None = None  # pseudonym for a note
    quotes: tuple[QuoteItem, ...] = ()


@dataclass(frozen=True)
class PointList:
    findings: tuple[Point, ...]
    notes: tuple[Point, ...]
    notes_omitted: int = 0


@dataclass(frozen=True)
class KeyQuestionInfo:
    id: str
    text: str
    lens: str | None
    modelled: bool = False


@dataclass(frozen=True)
class Chapter:
    """A standard (or, for quality and impact, an outcome or practice area)."""

    id: str
    title: str
    question: str | None  # the standard as a statement
    key_questions: tuple[KeyQuestionInfo, ...]
    strengths: PointList
    improvements: PointList
    quotes: tuple[QuoteItem, ...]
    quotes_omitted: int = 0
    number: str = ""
    basis: str = "cases"
    instrument: str | None = None  # the instrument's title, for a case-based standard
    domain: str = ""
    organisations: tuple[str, ...] = ()  # the organisations rated (or reported) on it

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title


@dataclass(frozen=True)
class DomainPart:
    """A chapter of the report: a domain (or outcomes, practice) and its standards."""

    id: str
    label: str
    chapters: tuple[Chapter, ...]


@dataclass(frozen=True)
class RecommendationItem:
    number: int
    addressee: str | None
    text: str


@dataclass(frozen=True)
class RecommendationGroup:
    """'The CRC should:' and its recommendations, numbered on from the group before."""

    addressee: str | None
    items: tuple[RecommendationItem, ...]


@dataclass(frozen=True)
class CountTable:
    """Counts of cases by one attribute, a column per organisation."""

    title: str
    organisations: tuple[str, ...]
    rows: tuple[tuple[str, tuple[int, ...]], ...]


@dataclass(frozen=True)
class InstrumentInfo:
    """An instrument and its sample, for the methodology annex."""

    id: str
    title: str
    form_title: str
    sample_title: str
    drawn: str | None
    counts: tuple[tuple[str, int, int], ...]  # (organisation, counted, not counted)


@dataclass(frozen=True)
class OverrideLine:
    organisation: str
    standard: str  # its label, "2.4 Reviewing"
    rule_rating: str | None
    rating: str
    reason: str


@dataclass(frozen=True)
class Methodology:
    start_date: str | None
    end_date: str | None
    team_size: int
    cases_total: int
    cases_counted: int
    cases_by_organisation: tuple[tuple[str, int, int], ...]  # (org, counted, not counted)
    attribute_tables: tuple[CountTable, ...]
    interviews_by_kind: tuple[tuple[str, int], ...]
    interviews_total: int
    quotes_total: int
    instruments: tuple[InstrumentInfo, ...] = ()
    evidence_by_kind: tuple[tuple[str, int], ...] = ()
    evidence_total: int = 0
    quality_assured: int = 0
    moderation: str = ""  # core/moderation: cases moderated and the agreement reached
    returned: int = 0
    overrides: tuple[OverrideLine, ...] = ()
    judgement_standards: tuple[str, ...] = ()  # labels of the judgement-rated standards


@dataclass(frozen=True)
class ReportData:
    title: str
    area: str | None
    start_date: str | None
    end_date: str | None
    marking: str
    form_title: str  # the method's title (the form's, for a file made with one form)
    organisations: tuple[str, ...]
    bands: tuple[Band, ...]  # highest first; empty when the method rates nothing
    ratings: Ratings
    chapters: tuple[Chapter, ...]
    recommendations: tuple[RecommendationItem, ...]
    methodology: Methodology
    glossary: tuple[tuple[str, str], ...]
    rated: bool = True
    parts: tuple[tuple[str, str], ...] = ()  # (part, title) in the method's order
    domains: tuple[DomainPart, ...] = ()
    recommendation_groups: tuple[RecommendationGroup, ...] = ()
    texts: dict[str, str] = field(default_factory=dict)  # foreword, overall_findings, ...
    terms: dict[str, str] = field(default_factory=dict)  # person, practitioner, ...
    method_id: str = ""
    form_used: str = ""  # which form exactly: id, version, short content hash
