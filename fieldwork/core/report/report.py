"""Gather what the draft findings report says from a Store into plain frozen values.

The inspection's method decides the report: its parts in order, a chapter per domain
with a section per standard (or, for quality and impact, per outcome and practice
area), whether anything is rated, and the words of its period.

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
from dataclasses import replace
from typing import Any

from fieldwork.core.casework import roles
from fieldwork.core.casework.consent import may_quote
from fieldwork.core.forms.method_forms import MethodForms
from fieldwork.core.moderation import annex_sentence, counted_values
from fieldwork.core.report.methodology import methodology
from fieldwork.core.report.redaction import Redactor
from fieldwork.core.report.values import (
    Band,
    Chapter,
    CountTable,
    DomainPart,
    KeyQuestionInfo,
    Methodology,
    Point,
    PointList,
    QuoteItem,
    RecommendationGroup,
    RecommendationItem,
    ReportData,
)
from fieldwork.core.scoring import COUNTED_STATUSES, score

__all__ = [
    "Band", "Chapter", "CountTable", "DomainPart", "KeyQuestionInfo", "Methodology", "Point",
    "PointList", "QuoteItem", "RecommendationGroup", "RecommendationItem", "ReportData",
    "build", "gather", "pseudonyms", "tag_standard",
]  # fmt: skip

# How many case notes and quotes a chapter shows per organisation and kind; the
# rest are counted ("and 12 more") so a 10,000-case inspection stays readable.
MAX_NOTES = 6
MAX_QUOTES = 8
STRENGTHS_SUFFIX = "/strengths"
IMPROVEMENTS_SUFFIX = "/improvements"


def attributions(terms: Mapping[str, str]) -> dict[str, str]:
    """How a quote is attributed, by the interviewee's role, in the period's words."""
    return {
        "officer": f"a {terms.get('practitioner', 'responsible officer')} told us",
        "person": f"a {terms.get('person', 'person on probation')} told us",
        "manager": "a manager told us",
        "staff_group": "staff in a focus group told us",
        "partner": "a partner agency told us",
    }


ATTRIBUTION = attributions({})


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def tag_standard(
    label: str, standard_ids: Iterable[str], labels: Mapping[str, str] | None = None
) -> str | None:
    """The standard a tag label names ("2.2 Planning" -> "2.2"; with `labels`, {id: label},
    also "Reducing reoffending" -> its id), or None for a theme such as "staff morale"."""
    ids = list(standard_ids)
    if labels:
        wanted = " ".join(label.split()).casefold()
        for sid, full in labels.items():
            if full.casefold() == wanted:
                return sid
    head = label.strip().split(" ", 1)[0]
    return head if head in set(ids) else None


def pseudonyms(case_ids: Iterable[str]) -> dict[str, str]:
    """C001, C002, ... in order of the (random) case row id, so not linked to the ref."""
    ids = sorted(case_ids)
    width = max(3, len(str(len(ids))))
    return {cid: f"C{i:0{width}d}" for i, cid in enumerate(ids, 1)}


def bands_of(rules: Any) -> tuple[Band, ...]:
    if rules is None:
        return ()
    bands = [Band(str(b.rating), float(b.min), int(b.points), b.phrase) for b in rules.bands]
    return tuple(sorted(bands, key=lambda b: b.min_percent, reverse=True))


def gather(store: Any) -> ReportData:
    """Everything the draft findings report shows, read from an open Store."""
    from fieldwork.core.storage import evidence_reads, method_reads

    inspection = store.reads.inspection()
    cases = store.reads.cases()
    members = store.reads.members()
    data = build(
        inspection=inspection,
        method_forms=method_reads.method_forms(store),
        cases=cases,
        values=counted_values(store),  # moderation: settled values in place of the first
        team_size=roles.team_size(members),  # the inspectors, not headquarters
        names=[m.name for m in members] + [c.officer for c in cases],
        interviews=store.reads.interviews(),
        quotes=store.reads.quotes(),
        findings=store.reads.findings(),
        recommendations=store.reads.recommendations(),
        evidence=evidence_reads.evidence(store),
        judgements=evidence_reads.standard_judgements(store),
        kq_judgements=evidence_reads.kq_judgements(store),
        overrides=evidence_reads.overrides(store),
        texts=evidence_reads.report_texts(store),
    )
    moderation = annex_sentence(store)  # what the methodology annex says of moderation
    return replace(data, methodology=replace(data.methodology, moderation=moderation or ""))


def build(
    *,
    inspection: Any,
    method_forms: Any,
    cases: list[Any],
    values: Mapping[str, Mapping[str, Any]],
    team_size: int,
    names: Iterable[str | None],
    interviews: list[Any],
    quotes: list[Any],
    findings: list[Any],
    recommendations: list[Any],
    evidence: list[Any] = (),  # type: ignore[assignment]
    judgements: Mapping[tuple[str, str], Any] | None = None,
    kq_judgements: Mapping[tuple[str, str], Any] | None = None,
    overrides: Mapping[tuple[str, str], Any] | None = None,
    texts: Mapping[str, str] | None = None,
) -> ReportData:
    """ReportData from plain model values (the pure half of `gather`)."""
    mf: MethodForms = method_forms
    method = mf.method
    redact = Redactor(names)
    ratings = score(
        mf,
        [(c.organisation, c.status, values.get(c.id, {}), c.sample) for c in cases],
        organisations=tuple(inspection.organisations),
        inspection=inspection.name,
        judgements=judgements,
        kq_judgements=kq_judgements,
        overrides=overrides,
        evidence=evidence,
    )
    orgs = tuple(o.name for o in ratings.organisations)
    counted = [c for c in cases if c.status in COUNTED_STATUSES]
    alias = pseudonyms(c.id for c in cases)
    labels = {s.id: s.label for s in method.standards()}
    by_interview = {i.id: i for i in interviews}
    said = attributions(method.terms)

    def quote_item(q: Any) -> QuoteItem | None:
        interview = by_interview.get(q.interview_id)
        if interview is None or not _text(q.text) or not may_quote(interview):
            return None
        return QuoteItem(
            text=redact(_text(q.text)),
            attribution=said.get(interview.kind, "we were told"),
            organisation=interview.organisation,
        )

    quote_by_id = {q.id: q for q in quotes}
    domains = []
    chapters = []
    for d in method.domains:
        in_domain = []
        for standard in d.standards:
            rated_on = tuple(o.name for o in ratings.organisations if o.has_standard(standard.id))
            if not rated_on:
                continue  # a standard of another kind of organisation (NPS, CRC)
            chapter = _chapter(
                mf, standard, rated_on, findings, quotes, quote_by_id, quote_item, labels,
                by_interview, counted, values, alias, redact, orgs,
            )  # fmt: skip
            in_domain.append(chapter)
            chapters.append(chapter)
        if in_domain:
            domains.append(DomainPart(d.id, d.label, tuple(in_domain)))
    items, groups = _recommendations(recommendations)
    return ReportData(
        title=inspection.name,
        area=inspection.area,
        start_date=inspection.start_date,
        end_date=inspection.end_date,
        marking=inspection.marking or "OFFICIAL-SENSITIVE",
        form_title=method.title,
        organisations=orgs,
        bands=bands_of(method.rating),
        ratings=ratings,
        chapters=tuple(chapters),
        recommendations=items,
        methodology=methodology(
            inspection,
            mf,
            cases,
            counted,
            values,
            team_size,
            orgs,
            interviews,
            quotes,
            evidence,
            ratings,
        ),  # fmt: skip
        glossary=tuple(mf.glossary()),
        form_used=mf.main_form.label,
        rated=method.rated,
        parts=tuple((p.part, p.title) for p in method.report),
        domains=tuple(domains),
        recommendation_groups=groups,
        texts={k: v for k, v in (texts or {}).items() if _text(v)},
        terms={k: method.term(k) for k in ("person", "people", "practitioner", "practitioners")},
        method_id=method.id,
    )


def _chapter(
    mf: MethodForms,
    standard: Any,
    rated_on: tuple[str, ...],
    findings: list[Any],
    quotes: list[Any],
    quote_by_id: Mapping[str, Any],
    quote_item: Any,
    labels: Mapping[str, str],
    by_interview: Mapping[str, Any],
    counted: list[Any],
    values: Mapping[str, Mapping[str, Any]],
    alias: Mapping[str, str],
    redact: Redactor,
    orgs: tuple[str, ...],
) -> Chapter:
    sid = standard.id
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
        if q.id not in linked and any(tag_standard(t, labels, labels) == sid for t in q.tags)
    ]
    tagged.sort(
        key=lambda q: (
            (by_interview[q.interview_id].date or "", q.interview_id, q.start)
            if q.interview_id in by_interview
            else ("", "", 0)
        )
    )
    quote_items = [i for i in (quote_item(q) for q in tagged) if i]
    # Case notes belong to a standard that takes a whole form section, from its own sample.
    note_ids: list[tuple[str, str]] = []
    if standard.basis == "cases" and standard.section is not None:
        note_ids = [(s.notes[0].id, s.notes[1].id) for s in mf.standard_sections(standard)]
    own = [
        c
        for c in counted
        if c.organisation in rated_on and mf.instrument_of(c.sample).id == standard.instrument
    ]
    inst = mf.method.instrument(standard.instrument)
    return Chapter(
        id=sid,
        title=standard.title,
        question=standard.statement,
        key_questions=tuple(
            KeyQuestionInfo(k.id, k.text, k.lens, k.modelled) for k in mf.key_questions(standard)
        ),
        strengths=_point_list(points["strength"], own, values, [a for a, _ in note_ids], alias, redact, orgs),
        improvements=_point_list(points["improvement"], own, values, [b for _, b in note_ids], alias, redact, orgs),
        quotes=tuple(quote_items[:MAX_QUOTES]),
        quotes_omitted=max(0, len(quote_items) - MAX_QUOTES),
        number=standard.number,
        basis=standard.basis,
        instrument=inst.title if inst else None,
        domain=standard.domain,
        organisations=rated_on,
    )  # fmt: skip


def _recommendations(
    recommendations: list[Any],
) -> tuple[tuple[RecommendationItem, ...], tuple[RecommendationGroup, ...]]:
    """Grouped by addressee in order of each group's first recommendation, and numbered
    on across the groups (1 to 3 to the NPS and the CRC, 4 to NOMS, ...)."""
    recs = sorted(recommendations, key=lambda r: (r.position, r.id))
    order: dict[str, list[Any]] = {}
    for r in recs:
        order.setdefault(_text(r.addressee).casefold(), []).append(r)
    items: list[RecommendationItem] = []
    groups = []
    for members in order.values():
        addressee = _text(members[0].addressee) or None
        mine = []
        for r in members:
            item = RecommendationItem(len(items) + 1, addressee, _text(r.text))
            items.append(item)
            mine.append(item)
        groups.append(RecommendationGroup(addressee, tuple(mine)))
    return tuple(items), tuple(groups)


def _org_rank(org: str | None, orgs: tuple[str, ...]) -> int:
    """Findings for every organisation (None) first, then in the inspection's order."""
    if org is None:
        return -1
    return orgs.index(org) if org in orgs else len(orgs)


def _point_list(
    findings: list[Point],
    counted: list[Any],
    values: Mapping[str, Mapping[str, Any]],
    question_ids: list[str],
    alias: Mapping[str, str],
    redact: Redactor,
    orgs: tuple[str, ...],
) -> PointList:
    notes = []
    for c in counted:
        for qid in question_ids:
            text = _text(values.get(c.id, {}).get(qid))
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
