"""What the methodology annex says: instruments and their samples, fieldwork dates, the
team, interviews and the evidence register by kind, moderation (quality assurance), the
cases counted, and every rating set by professional discretion."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from fieldwork.core.report.values import CountTable, InstrumentInfo, Methodology, OverrideLine
from fieldwork.core.schema import (
    EVIDENCE_KIND_LABELS,
    EVIDENCE_KINDS,
    INTERVIEW_KIND_LABELS,
    INTERVIEW_KINDS,
)
from fieldwork.core.scoring import NO_ORGANISATION, Ratings


def _choice_labels(question: Any) -> dict[str, str]:
    return {str(c.id): str(c.label) for c in getattr(question, "choices", ()) or ()}


def _org_of(c: Any) -> str:
    return c.organisation or NO_ORGANISATION


def interview_labels(terms: Mapping[str, str]) -> dict[str, str]:
    labels = dict(INTERVIEW_KIND_LABELS)
    practitioner = terms.get("practitioner")
    person = terms.get("person")
    if practitioner:
        labels["officer"] = practitioner[:1].upper() + practitioner[1:]
    if person:
        labels["person"] = person[:1].upper() + person[1:]
    return labels


def methodology(
    inspection: Any,
    mf: Any,
    cases: list[Any],
    counted: list[Any],
    values: Mapping[str, Mapping[str, Any]],
    team_size: int,
    orgs: tuple[str, ...],
    interviews: list[Any],
    quotes: list[Any],
    evidence: Any,
    ratings: Ratings,
) -> Methodology:
    method = mf.method
    by_org = []
    for org in orgs:
        n_all = sum(1 for c in cases if _org_of(c) == org)
        n_counted = sum(1 for c in counted if _org_of(c) == org)
        by_org.append((org, n_counted, n_all - n_counted))
    instruments = []
    for inst in method.instruments:
        mine = [c for c in cases if mf.instrument_of(c.sample).id == inst.id]
        rows = []
        for org in orgs:
            of_org = [c for c in mine if _org_of(c) == org]
            n_counted = sum(1 for c in of_org if c in counted)
            if of_org or method.applies(inst.organisation_types, org):
                rows.append((org, n_counted, len(of_org) - n_counted))
        instruments.append(
            InstrumentInfo(
                inst.id, inst.title, mf.forms[inst.form_id].title, inst.sample_title,
                inst.drawn, tuple(rows),
            )
        )  # fmt: skip
    main = method.main.id
    main_counted = [c for c in counted if mf.instrument_of(c.sample).id == main]
    tables = []
    for q in mf.main_form.attributes:
        if getattr(q, "type", None) not in ("single", "yes_no", "yes_no_na"):
            continue
        labels = _choice_labels(q) or {"yes": "Yes", "no": "No"}
        if q.type == "yes_no_na":
            labels["na"] = "Not applicable"
        counts: dict[str, list[int]] = {label: [0] * len(orgs) for label in labels.values()}
        missing = [0] * len(orgs)
        for c in main_counted:
            col = orgs.index(_org_of(c))
            v = values.get(c.id, {}).get(q.id)
            if isinstance(v, str) and v in labels:
                counts[labels[v]][col] += 1
            else:
                missing[col] += 1
        rows_ = [(label, tuple(n)) for label, n in counts.items()]
        if any(missing):
            rows_.append(("No answer", tuple(missing)))
        tables.append(CountTable(str(q.text), orgs, tuple(rows_)))
    kinds = Counter(i.kind for i in interviews)
    names = interview_labels(method.terms)
    interviews_by_kind = tuple(
        (names.get(k, k), kinds[k])
        for k in (*INTERVIEW_KINDS, *sorted(set(kinds) - set(INTERVIEW_KINDS)))
    )
    items = list(evidence)
    ev_kinds = Counter(e.kind for e in items)
    evidence_by_kind = tuple(
        (EVIDENCE_KIND_LABELS.get(k, k), ev_kinds[k])
        for k in (*EVIDENCE_KINDS, *sorted(set(ev_kinds) - set(EVIDENCE_KINDS)))
        if ev_kinds[k]
    )
    overrides = tuple(
        OverrideLine(org, s.label, s.rule_rating, str(s.rating), s.override.reason)
        for org, s in ratings.overrides()
        if s.override is not None
    )
    judged = tuple(s.label for s in method.standards() if s.basis == "judgement")
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
        instruments=tuple(instruments),
        evidence_by_kind=evidence_by_kind,
        evidence_total=len(items),
        quality_assured=sum(1 for c in cases if c.status == "reviewed"),
        returned=sum(1 for c in cases if c.status == "returned"),
        overrides=overrides,
        judgement_standards=judged,
    )
