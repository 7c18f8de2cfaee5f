"""The report's chapters: one per domain (or, for quality and impact, outcomes then
practice), with a section per standard: its statement, the rating per organisation (a
method that rates), the key questions (a chart of percentages for case-based ones; the
team's judgements for judgement-rated ones), strengths, areas for improvement and what
people told us."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, Spacer, Table, TableStyle

from fieldwork.core import samples
from fieldwork.core.report.blocks import CONTENT_WIDTH, h1, h2, rating_shown
from fieldwork.core.report.charts import key_question_chart
from fieldwork.core.report.styles import HEADER_BG, RULE, esc, styles
from fieldwork.core.report.values import Chapter, Point, PointList, QuoteItem, ReportData


def domain_chapters(data: ReportData) -> list[Any]:
    out: list[Any] = []
    n = 0
    for i, domain in enumerate(data.domains):
        if i:
            out.append(CondPageBreak(250 * mm))  # each domain starts a page
        out.append(h1(domain.label, f"domain-{i}"))
        for j, chapter in enumerate(domain.chapters):
            if j:
                out.append(CondPageBreak(120 * mm))
            out += _chapter(data, chapter, n)
            n += 1
    if not data.domains:
        out.append(Paragraph("This method names no standards.", styles()["small"]))
    return out


def _chapter(data: ReportData, chapter: Chapter, n: int) -> list[Any]:
    s = styles()
    key = f"standard-{n}"
    out: list[Any] = [h2(chapter.label, key)]
    if chapter.question:
        out.append(Paragraph(esc(chapter.question), s["lead"]))
    orgs = [o for o in data.ratings.organisations if o.name in chapter.organisations]
    results = [o.standard(chapter.id) for o in orgs]
    if data.rated and orgs:
        out.append(_rating_table(data, [o.name for o in orgs], results))
        for o, r in zip(orgs, results, strict=True):
            if r.override is not None:
                out.append(
                    Paragraph(
                        f"{esc(o.name)}: rated {esc(r.rating)} by professional discretion; "
                        f"the rules give {esc(r.rule_rating or 'no rating')}. "
                        f"{esc(r.override.reason)}",
                        s["small"],
                    )
                )
            if r.justification:
                prefix = f"{esc(o.name)}: " if len(orgs) > 1 else ""
                out.append(Paragraph(prefix + esc(r.justification), s["body"]))
        out.append(Spacer(1, 3 * mm))
    if chapter.basis == "cases":
        labels = [f"{k.id} {k.lens}" if k.lens else k.id for k in chapter.key_questions]
        percents = [[kq.percent for kq in r.key_questions] for r in results]
        thresholds = [(b.min_percent, b.rating) for b in data.bands if b.min_percent > 0]
        what = f" ({esc(chapter.instrument)})" if chapter.instrument else ""
        out.append(
            Paragraph(
                f"Key questions: percentage of applicable cases judged sufficient{what}", s["h3"]
            )
        )
        out.append(
            key_question_chart(
                labels, [o.name for o in orgs], percents, thresholds if data.rated else ()
            )
        )
        for kq in chapter.key_questions:
            out.append(Paragraph(f"<b>{esc(kq.id)}</b> {esc(kq.text)}", s["small"]))
        minimum = data.ratings.min_cases
        small = [
            f"{esc(k.id)} {esc(o.name)}: {samples.based_on(k.applicable)}"
            for o, r in zip(orgs, results, strict=True)
            for k in r.key_questions
            if samples.is_small(k.applicable, minimum)
        ]
        if small:
            out.append(
                Paragraph(
                    f"<i>Fewer than {minimum} applicable cases, so not firm:</i> "
                    + "; ".join(small)
                    + ".",
                    s["small"],
                )
            )
    else:
        out.append(Paragraph("Key questions: the inspectors' judgements", s["h3"]))
        for i, kq in enumerate(chapter.key_questions):
            out.append(Paragraph(f"<b>{esc(kq.id)}</b> {esc(kq.text)}", s["small"]))
            for o, r in zip(orgs, results, strict=True):
                res = r.key_questions[i]
                verdict = {"yes": "Sufficient", "no": "Not sufficient"}.get(res.judgement or "")
                sources = res.sources or 0
                line = f"{verdict or 'Not yet judged'} ({sources} evidence source"
                line += f"{'' if sources == 1 else 's'})"
                if res.judgement_text:
                    line += f": {res.judgement_text}"
                prefix = f"<b>{esc(o.name)}:</b> " if len(orgs) > 1 else ""
                out.append(Paragraph(prefix + esc(line), s["bullet"], bulletText="–"))
    out.append(Paragraph("Strengths", s["h3"]))
    out += _points(chapter.strengths, "No strengths recorded yet.")
    out.append(Paragraph("Areas for improvement", s["h3"]))
    out += _points(chapter.improvements, "No areas for improvement recorded yet.")
    if chapter.quotes:
        out.append(Paragraph("What people told us", s["h3"]))
        out += [_quote(q) for q in chapter.quotes]
        if chapter.quotes_omitted:
            out.append(
                Paragraph(f"{chapter.quotes_omitted} more marked quotes not shown.", s["small"])
            )
    return out


def _rating_table(data: ReportData, names: list[str], results: list[Any]) -> Table:
    s = styles()
    bands = [b.rating for b in data.bands]
    minimum = data.ratings.min_cases
    shown = [
        rating_shown(
            r.rating, samples.standard_note(r, minimum) if r.basis == "cases" else None, bands
        )
        for r in results
    ]
    rows = [
        [Paragraph(f"<b>{esc(n)}</b>", s["cell"]) for n in names],
        [cell for cell, _ in shown],
    ]
    style = [("BACKGROUND", (c, 1), (c, 1), bg) for c, (_, bg) in enumerate(shown)]
    t = Table(
        rows, colWidths=[min(55 * mm, CONTENT_WIDTH / len(names))] * len(names), hAlign="LEFT"
    )
    t.setStyle(
        TableStyle(
            [("GRID", (0, 0), (-1, -1), 0.4, RULE), ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG), *style]
        )
    )  # fmt: skip
    return t


def _org_prefix(org: str | None) -> str:
    return f"<b>{esc(org)}:</b> " if org else ""


def _points(points: PointList, empty: str) -> list[Any]:
    s = styles()
    out: list[Any] = []
    for p in points.findings:
        block: list[Any] = [
            Paragraph(_org_prefix(p.organisation) + esc(p.text), s["bullet"], bulletText="•")
        ]
        block += [_quote(q) for q in p.quotes]
        out.append(KeepTogether(block))
    if points.notes:
        out.append(Paragraph("From inspectors' case notes", s["small"]))
        out += [_note(p) for p in points.notes]
        if points.notes_omitted:
            out.append(Paragraph(f"{points.notes_omitted} more case notes not shown.", s["small"]))
    if not out:
        out.append(Paragraph(esc(empty), s["small"]))
    return out


def _note(p: Point) -> Paragraph:
    case = f" <font color='#5a5a5a'>({esc(p.case)})</font>" if p.case else ""
    return Paragraph(
        _org_prefix(p.organisation) + esc(p.text) + case, styles()["bullet"], bulletText="–"
    )


def _quote(q: QuoteItem) -> Paragraph:
    org = f", {esc(q.organisation)}" if q.organisation else ""
    return Paragraph(
        f"“{esc(q.text)}” <font color='#1d4f73'>({esc(q.attribution)}{org})</font>",
        styles()["quote"],
    )
