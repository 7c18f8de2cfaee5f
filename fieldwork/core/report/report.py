"""Gather what the draft findings report says from a Store into plain frozen values.

Rendering (pdf.py) sees only `ReportData`, never the store. Privacy is decided
here: ReportData holds no case reference, no name (team members, officers,
interviewees) and no date of birth. Cases are called by pseudonym (C001, ...),
quotes are attributed by the interviewee's role, and free text taken from case
notes and quotes passes through `Redactor`, which blanks every known name and
anything shaped like a case reference.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from fieldwork.core.casework.consent import may_quote
from fieldwork.core.moderation import annex_sentence, counted_values
from fieldwork.core.report.redaction import Redactor
from fieldwork.core.schema import INTERVIEW_KIND_LABELS, INTERVIEW_KINDS
from fieldwork.core.scoring import COUNTED_STATUSES, NO_ORGANISATION, Ratings, score

# How many case notes and quotes a chapter shows per organisation and kind; the
# rest are counted ("and 12 more") so a 10,000-case inspection stays readable.
MAX_NOTES = 6
MAX_QUOTES = 8
ATTRIBUTION = {
    "officer": "a responsible officer told us",
    "person": "a person on probation told us",
    "manager": "a manager told us",
    "staff_group": "staff in a focus group told us",
    "partner": "a partner agency told us",
}
STRENGTHS_SUFFIX = "/strengths"
IMPROVEMENTS_SUFFIX = "/improvements"


@dataclass(frozen=True)
class Band:
    rating: str
    min_percent: float
    points: int


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


@dataclass(frozen=True)
class Chapter:
    id: str
    title: str
    question: str | None
    key_questions: tuple[KeyQuestionInfo, ...]
    strengths: PointList
    improvements: PointList
    quotes: tuple[QuoteItem, ...]
    quotes_omitted: int = 0


@dataclass(frozen=True)
class RecommendationItem:
    number: int
    addressee: str | None
    text: str


@dataclass(frozen=True)
class CountTable:
    """Counts of cases by one attribute, a column per organisation."""

    title: str
    organisations: tuple[str, ...]
    rows: tuple[tuple[str, tuple[int, ...]], ...]


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
    moderation: str | None = None  # core/moderation: cases moderated, agreement reached


@dataclass(frozen=True)
class ReportData:
    title: str
    area: str | None
    start_date: str | None
    end_date: str | None
    marking: str
    form_title: str
    organisations: tuple[str, ...]
    bands: tuple[Band, ...]  # highest first
    ratings: Ratings
    chapters: tuple[Chapter, ...]
    recommendations: tuple[RecommendationItem, ...]
    methodology: Methodology
    glossary: tuple[tuple[str, str], ...]


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def tag_standard(label: str, standard_ids: Iterable[str]) -> str | None:
    """The standard a tag label names ("2.2 Planning" -> "2.2"), or None for a theme."""
    head = label.strip().split(" ", 1)[0]
    return head if head in set(standard_ids) else None


def pseudonyms(case_ids: Iterable[str]) -> dict[str, str]:
    """C001, C002, ... in order of the (random) case row id, so not linked to the ref."""
    ids = sorted(case_ids)
    width = max(3, len(str(len(ids))))
    return {cid: f"C{i:0{width}d}" for i, cid in enumerate(ids, 1)}


def bands_of(form: Any) -> tuple[Band, ...]:
    bands = [Band(str(b.rating), float(b.min), int(b.points)) for b in form.rating.bands]
    return tuple(sorted(bands, key=lambda b: b.min_percent, reverse=True))


def glossary_of(form: Any) -> tuple[tuple[str, str], ...]:
    g = getattr(form, "glossary", None) or ()
    if isinstance(g, Mapping):
        items = list(g.items())
    else:
        items = []
        for entry in g:
            if isinstance(entry, tuple | list):
                items.append((entry[0], entry[1]))
            elif isinstance(entry, Mapping):
                items.append((entry.get("term", ""), entry.get("meaning", "")))
            else:
                items.append((getattr(entry, "term", str(entry)), getattr(entry, "meaning", "")))
    return tuple((str(t), str(d)) for t, d in items)


def gather(store: Any) -> ReportData:
    """Everything the draft findings report shows, read from an open Store."""
    inspection = store.reads.inspection()
    form = store.reads.form()
    cases = store.reads.cases()
    values = counted_values(store)  # moderation: settled values in place of the first
    members = store.reads.members()
    interviews = store.reads.interviews()
    quotes = store.reads.quotes()
    findings = store.reads.findings()
    recommendations = store.reads.recommendations()
    data = build(
        inspection=inspection,
        form=form,
        cases=cases,
        values=values,
        team_size=len(members),
        names=[m.name for m in members] + [c.officer for c in cases],
        interviews=interviews,
        quotes=quotes,
        findings=findings,
        recommendations=recommendations,
    )
    moderation = annex_sentence(store)  # what the methodology annex says of moderation
    return replace(data, methodology=replace(data.methodology, moderation=moderation))


def build(
    *,
    inspection: Any,
    form: Any,
    cases: list[Any],
    values: Mapping[str, Mapping[str, Any]],
    team_size: int,
    names: Iterable[str | None],
    interviews: list[Any],
    quotes: list[Any],
    findings: list[Any],
    recommendations: list[Any],
) -> ReportData:
    """ReportData from plain model values (the pure half of `gather`)."""
    redact = Redactor(names)
    orgs = tuple(inspection.organisations)
    ratings = score(
        form,
        [(c.organisation, c.status, values.get(c.id, {})) for c in cases],
        organisations=orgs,
        inspection=inspection.name,
    )
    orgs = tuple(o.name for o in ratings.organisations)
    counted = [c for c in cases if c.status in COUNTED_STATUSES]
    alias = pseudonyms(c.id for c in cases)
    standard_ids = [s.id for s in form.sections]
    by_interview = {i.id: i for i in interviews}

    def quote_item(q: Any) -> QuoteItem | None:
        interview = by_interview.get(q.interview_id)
        if interview is None or not _text(q.text) or not may_quote(interview):
            return None
        return QuoteItem(
            text=redact(_text(q.text)),
            attribution=ATTRIBUTION.get(interview.kind, "we were told"),
            organisation=interview.organisation,
        )

    quote_by_id = {q.id: q for q in quotes}
    chapters = []
    for section in form.sections:
        sid = section.id
        linked: set[str] = set()
        points: dict[str, list[Point]] = {"strength": [], "improvement": []}
        for f in sorted(
            (f for f in findings if f.standard_id == sid),
            key=lambda f: (_org_rank(f.organisation, orgs), f.position, f.id),
        ):
            items = []
            for qid in f.quote_ids:
                linked.add(qid)
                item = quote_item(quote_by_id[qid]) if qid in quote_by_id else None
                if item:
                    items.append(item)
            if f.kind in points and _text(f.text):
                points[f.kind].append(
                    Point(_text(f.text), f.organisation, "finding", quotes=tuple(items))
                )
        tagged = [
            q
            for q in quotes
            if q.id not in linked and any(tag_standard(t, standard_ids) == sid for t in q.tags)
        ]
        tagged.sort(
            key=lambda q: (
                (by_interview[q.interview_id].date or "", q.interview_id, q.start)
                if q.interview_id in by_interview
                else ("", "", 0)
            )
        )
        quote_items = [i for i in (quote_item(q) for q in tagged) if i]
        chapters.append(
            Chapter(
                id=sid,
                title=section.title,
                question=getattr(section, "question", None),
                key_questions=tuple(
                    KeyQuestionInfo(kq.id, kq.text, getattr(kq, "lens", None))
                    for kq in section.key_questions
                ),
                strengths=_point_list(
                    points["strength"], counted, values, sid + STRENGTHS_SUFFIX, alias, redact, orgs
                ),
                improvements=_point_list(
                    points["improvement"],
                    counted,
                    values,
                    sid + IMPROVEMENTS_SUFFIX,
                    alias,
                    redact,
                    orgs,
                ),
                quotes=tuple(quote_items[:MAX_QUOTES]),
                quotes_omitted=max(0, len(quote_items) - MAX_QUOTES),
            )
        )

    recs = sorted(recommendations, key=lambda r: (r.position, r.id))
    return ReportData(
        title=inspection.name,
        area=inspection.area,
        start_date=inspection.start_date,
        end_date=inspection.end_date,
        marking=inspection.marking or "OFFICIAL-SENSITIVE",
        form_title=getattr(form, "title", form.id),
        organisations=orgs,
        bands=bands_of(form),
        ratings=ratings,
        chapters=tuple(chapters),
        recommendations=tuple(
            RecommendationItem(n, r.addressee, _text(r.text)) for n, r in enumerate(recs, 1)
        ),
        methodology=_methodology(
            inspection, form, cases, counted, values, team_size, orgs, interviews, quotes
        ),
        glossary=glossary_of(form),
    )


def _org_rank(org: str | None, orgs: tuple[str, ...]) -> int:
    """Findings for every organisation (None) first, then in the inspection's order."""
    if org is None:
        return -1
    return orgs.index(org) if org in orgs else len(orgs)


def _point_list(
    findings: list[Point],
    counted: list[Any],
    values: Mapping[str, Mapping[str, Any]],
    question_id: str,
    alias: Mapping[str, str],
    redact: Redactor,
    orgs: tuple[str, ...],
) -> PointList:
    notes = []
    for c in counted:
        text = _text(values.get(c.id, {}).get(question_id))
        if text:
            notes.append(Point(text, c.organisation, "note", case=alias[c.id]))
    notes.sort(key=lambda p: (_org_rank(p.organisation, orgs), p.case or ""))
    # Keep the first few per organisation so every organisation is heard.
    kept: list[Point] = []
    per_org: Counter[str | None] = Counter()
    for p in notes:
        if per_org[p.organisation] < MAX_NOTES:
            kept.append(Point(redact(p.text), p.organisation, "note", case=p.case))
            per_org[p.organisation] += 1
    return PointList(tuple(findings), tuple(kept), len(notes) - len(kept))


def _choice_labels(question: Any) -> dict[str, str]:
    return {str(c.id): str(c.label) for c in getattr(question, "choices", ()) or ()}


def _methodology(
    inspection: Any,
    form: Any,
    cases: list[Any],
    counted: list[Any],
    values: Mapping[str, Mapping[str, Any]],
    team_size: int,
    orgs: tuple[str, ...],
    interviews: list[Any],
    quotes: list[Any],
) -> Methodology:
    def org_of(c: Any) -> str:
        return c.organisation or NO_ORGANISATION

    by_org = []
    for org in orgs:
        n_all = sum(1 for c in cases if org_of(c) == org)
        n_counted = sum(1 for c in counted if org_of(c) == org)
        by_org.append((org, n_counted, n_all - n_counted))
    tables = []
    for q in getattr(form, "attributes", ()) or ():
        if getattr(q, "type", None) not in ("single", "yes_no", "yes_no_na"):
            continue
        labels = _choice_labels(q) or {"yes": "Yes", "no": "No"}
        if q.type == "yes_no_na":
            labels["na"] = "Not applicable"
        counts: dict[str, list[int]] = {label: [0] * len(orgs) for label in labels.values()}
        missing = [0] * len(orgs)
        for c in counted:
            col = orgs.index(org_of(c))
            v = values.get(c.id, {}).get(q.id)
            if isinstance(v, str) and v in labels:
                counts[labels[v]][col] += 1
            else:
                missing[col] += 1
        rows = [(label, tuple(n)) for label, n in counts.items()]
        if any(missing):
            rows.append(("No answer", tuple(missing)))
        tables.append(CountTable(str(q.text), orgs, tuple(rows)))
    kinds = Counter(i.kind for i in interviews)
    interviews_by_kind = tuple(
        (INTERVIEW_KIND_LABELS.get(k, k), kinds[k])
        for k in (*INTERVIEW_KINDS, *sorted(set(kinds) - set(INTERVIEW_KINDS)))
    )
    return Methodology(
        start_date=inspection.start_date,
        end_date=inspection.end_date,
        team_size=team_size,
        cases_total=len(cases),
        cases_counted=len(counted),
        cases_by_organisation=tuple(by_org),
        attribute_tables=tuple(tables),
        interviews_by_kind=interviews_by_kind,
        interviews_total=len(interviews),
        quotes_total=len(quotes),
    )
