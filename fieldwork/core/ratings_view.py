"""Ratings as the command line shows them: JSON (docs/ratings-json.md) and a plain table.

A method that rates nothing (quality and impact, 2016) shows percentages with their
counts and no rating anywhere: every `rating` and `points` in the JSON is null and the
table has no rating column.
"""

from __future__ import annotations

from typing import Any

from fieldwork.core import samples
from fieldwork.core.scoring import KeyQuestionResult, Ratings, StandardResult


def _kq_json(k: KeyQuestionResult, rated: bool) -> dict[str, Any]:
    cases = k.basis == "cases"
    return {
        "id": k.id,
        "text": k.text,
        "basis": k.basis,
        "applicable": k.applicable if cases else None,
        "sufficient": k.sufficient if cases else None,
        "percent": k.percent,
        "ci95": list(k.ci95) if k.ci95 else None,
        "rating": k.rating if rated else None,
        "judgement": k.judgement,
        "judgement_text": k.judgement_text,
        "evidence_sources": k.sources,
        "prompts": [
            {
                "id": p.id,
                "text": p.text,
                "yes": p.yes,
                "no": p.no,
                "na": p.na,
                "applicable": p.applicable,
                "percent": p.percent,
            }
            for p in k.prompts
        ],
    }


def _standard_json(s: StandardResult, rated: bool) -> dict[str, Any]:
    return {
        "id": s.id,
        "number": s.number,
        "title": s.title,
        "statement": s.statement,
        "domain": s.domain,
        "basis": s.basis,
        "instrument": s.instrument,
        "cases_counted": s.cases_counted if s.basis == "cases" else None,
        "rating": s.rating if rated else None,
        "points": s.points if rated else None,
        "rule_rating": s.rule_rating if rated else None,
        "overridden": s.overridden,
        "override": (
            {"rating": s.override.rating, "reason": s.override.reason} if s.override else None
        ),
        "justification": s.justification,
        "key_questions": [_kq_json(k, rated) for k in s.key_questions],
    }


def ratings_json(ratings: Ratings) -> dict[str, Any]:
    """The `fieldwork ratings --json` shape (docs/ratings-json.md); keys there stay."""
    rated = ratings.rated
    return {
        "inspection": ratings.inspection,
        "form": ratings.form,
        "form_version": ratings.form_version,
        "form_hash": ratings.form_hash,
        "method": {"id": ratings.method, "title": ratings.method_title, "rated": rated},
        "instruments": [
            {
                "id": i.id,
                "title": i.title,
                "form": i.form_id,
                "sample": i.sample,
                "sample_title": i.sample_title,
                "organisation_types": list(i.organisation_types),
            }
            for i in ratings.instruments
        ],
        "organisations": [
            {
                "name": o.name,
                "type": o.type,
                "cases_complete": o.cases_complete,
                "cases_draft": o.cases_draft,
                "instruments": [
                    {"id": i.id, "cases_complete": i.cases_complete, "cases_draft": i.cases_draft}
                    for i in o.instruments
                ],
                "standards": [_standard_json(s, rated) for s in o.standards],
                "overall": {
                    "points": o.overall.points if rated else None,
                    "rating": o.overall.rating if rated else None,
                    "standards_rated": o.overall.standards_rated if rated else 0,
                    "standards_total": o.overall.standards_total,
                },
            }
            for o in ratings.organisations
        ],
        "overrides": [
            {
                "organisation": org,
                "standard": s.id,
                "rule_rating": s.rule_rating,
                "rating": s.rating,
                "reason": s.override.reason if s.override else None,
            }
            for org, s in ratings.overrides()
        ],
    }


def _pct(k: KeyQuestionResult) -> str:
    if k.percent is None:
        return "no applicable case"
    return f"{k.percent:.1f}% ({k.sufficient} of {k.applicable})"


def ratings_table(ratings: Ratings) -> str:
    """The ratings as plain text, an organisation at a time (what `fieldwork ratings` prints)."""
    rated = ratings.rated
    minimum = ratings.min_cases
    lines = [f"{ratings.inspection}: {ratings.method_title}"]
    if not rated:
        lines.append("This method rates nothing: results are percentages with their counts.")
    lines.append(f"A result on fewer than {minimum} applicable cases is marked: it is not firm.")
    for o in ratings.organisations:
        lines.append("")
        lines.append(
            f"{o.name}: {o.cases_complete} case assessments counted, "
            f"{o.cases_draft} begun but not yet complete"
        )
        width = max((len(s.label) for s in o.standards), default=10) + 2
        for s in o.standards:
            if rated:
                rating = s.rating or "Not rated"
                note = samples.standard_note(s, minimum) if s.basis == "cases" else None
                if note:
                    rating += f" ({note})"
                extra = ""
                if s.overridden:
                    extra = f"  (professional discretion; the rules give {s.rule_rating})"
                elif s.basis == "judgement":
                    extra = "  (inspectors' judgement)"
                lines.append(f"  {s.label:<{width}}{rating}{extra}")
            else:
                lines.append(f"  {s.label}")
            for k in s.key_questions:
                if k.basis == "judgement":
                    said = {"yes": "sufficient", "no": "not sufficient"}.get(
                        k.judgement or "", "not judged"
                    )
                    n = k.sources or 0
                    lines.append(
                        f"      {k.id:<8} {said}, {n} evidence source{'' if n == 1 else 's'}"
                    )
                else:
                    band = f"  {k.rating}" if rated and k.rating else ""
                    if samples.is_small(k.applicable, minimum):
                        band += f"  (not firm: {samples.based_on(k.applicable)})"
                    lines.append(f"      {k.id:<8} {_pct(k)}{band}")
        if rated:
            ov = o.overall
            need = ratings.overall_standards
            if ov.rating:
                overall = ov.rating
                note = samples.overall_note(o.standards, minimum)
                if note:
                    overall += f" ({note})"
            elif need is not None and ov.standards_total != need:
                overall = f"not given (needs {need} rated standards; {ov.standards_rated} here)"
            else:
                overall = f"not given ({ov.standards_rated} of {ov.standards_total} rated)"
            lines.append(f"  {'Overall':<{width}}{overall}, {ov.points} points")
    overridden = ratings.overrides()
    if overridden:
        lines.append("")
        lines.append("Professional discretion:")
        for org, s in overridden:
            reason = s.override.reason if s.override else ""
            lines.append(f"  {org}, {s.label}: {s.rating} (rules: {s.rule_rating}). {reason}")
    return "\n".join(lines)
