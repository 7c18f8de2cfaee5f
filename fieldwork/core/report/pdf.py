"""Render a ReportData as the draft findings PDF (reportlab platypus).

Layout: cover; contents; summary of ratings; a chapter per standard (chart,
strengths, areas for improvement, what people told us); recommendations;
annexes (methodology, results table with n and %, glossary). Every page carries
DRAFT, the protective marking and "Page X of Y". All user text goes through
`esc` before it reaches Paragraph markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from fieldwork.core.report.annexes import glossary, methodology, results
from fieldwork.core.report.blocks import (
    CONTENT_WIDTH,
    dates,
    h1,
    h2,
    in_colour,
    rating_cell,
    table,
)
from fieldwork.core.report.charts import key_question_chart
from fieldwork.core.report.document import Progress, contents, mark_heading, write_pdf
from fieldwork.core.report.report import Chapter, Point, PointList, QuoteItem, ReportData
from fieldwork.core.report.styles import (
    HEADER_BG,
    RULE,
    band_colour,
    esc,
    styles,
)


def render(data: ReportData, out: str | Path, progress: Progress | None = None) -> Path:
    """Write the draft findings PDF to `out` atomically; see document.write_pdf."""
    return write_pdf(
        out,
        lambda: story(data),
        marks=("DRAFT", data.marking),
        footer=f"Draft findings: {data.title}"[:90],
        metadata={
            "title": f"Draft findings: {data.title}",
            "author": "Fieldwork",
            "subject": f"Draft inspection findings ({data.form_title})",
            "keywords": f"DRAFT, {data.marking}",
        },
        progress=progress,
    )


def story(data: ReportData) -> list[Any]:
    s = styles()
    out: list[Any] = []
    out += _cover(data)
    out.append(mark_heading(Paragraph("Contents", s["h1"]), "Contents", 0, "contents", toc=False))
    out.append(contents())
    out.append(PageBreak())
    out += _summary(data)
    for n, chapter in enumerate(data.chapters):
        out.append(PageBreak())
        out += _chapter(data, chapter, n)
    out.append(PageBreak())
    out += _recommendations(data)
    out.append(PageBreak())
    out += methodology(data)
    out.append(CondPageBreak(60 * mm))
    out += results(data)
    out.append(CondPageBreak(60 * mm))
    out += glossary(data)
    return out


def _cover(data: ReportData) -> list[Any]:
    s = styles()
    return [
        Spacer(1, 45 * mm),
        Paragraph("DRAFT FINDINGS", s["lead"]),
        Paragraph(esc(data.title), s["cover_title"]),
        Paragraph(esc(data.area or ""), s["cover_sub"]),
        Paragraph("Fieldwork " + esc(dates(data.start_date, data.end_date)), s["cover_sub"]),
        Spacer(1, 10 * mm),
        Paragraph(esc(data.form_title), s["body"]),
        Paragraph("Form " + esc(data.form_used), s["small"]),
        Paragraph("Organisations inspected: " + esc(", ".join(data.organisations)), s["body"]),
        Spacer(1, 50 * mm),
        Paragraph(
            f"<b>{esc(data.marking)}</b>. This is a draft for the inspection team and has not "
            "been checked or agreed. It does not name or identify any person on probation, "
            "practitioner or interviewee.",
            s["small"],
        ),
        PageBreak(),
    ]


def _summary(data: ReportData) -> list[Any]:
    s = styles()
    names = [b.rating for b in data.bands]
    orgs = data.ratings.organisations
    out: list[Any] = [
        h1("Summary of ratings", "summary"),
        Paragraph(
            "Ratings by standard and organisation, from the complete and reviewed case "
            "assessments. A standard takes the rating of its lowest key question; key "
            "questions with no applicable case are left out.",
            s["lead"],
        ),
    ]
    head = [Paragraph("<b>Standard</b>", s["cell"])] + [
        Paragraph(f"<b>{esc(o.name)}</b>", s["cell_centre"]) for o in orgs
    ]
    rows: list[list[Any]] = [head]
    style: list[tuple] = []
    for r, chapter in enumerate(data.chapters, 1):
        row: list[Any] = [Paragraph(f"{esc(chapter.id)} {esc(chapter.title)}", s["cell"])]
        for c, o in enumerate(orgs, 1):
            rating = o.standard(chapter.id).rating
            bg, fg = band_colour(rating, names)
            row.append(rating_cell(rating, fg))
            style.append(("BACKGROUND", (c, r), (c, r), bg))
        rows.append(row)
    r = len(rows)
    overall: list[Any] = [Paragraph("<b>Overall</b>", s["cell"])]
    for c, o in enumerate(orgs, 1):
        ov = o.overall
        text = f"<b>{esc(ov.rating or 'Not rated')}</b><br/>{_points_text(ov.points)}"
        if ov.rating is None:
            text += f" ({ov.standards_rated} of {ov.standards_total} standards rated)"
        bg, fg = band_colour(ov.rating, names)
        overall.append(Paragraph(in_colour(text, fg), s["cell_centre"]))
        style.append(("BACKGROUND", (c, r), (c, r), bg))
    rows.append(overall)
    cases: list[Any] = [Paragraph("Cases assessed (not counted)", s["cell"])]
    for o in orgs:
        cases.append(Paragraph(f"{o.cases_complete} ({o.cases_draft})", s["cell_centre"]))
    rows.append(cases)
    org_w = min(42 * mm, (CONTENT_WIDTH - 70 * mm) / max(1, len(orgs)))
    widths = [CONTENT_WIDTH - org_w * len(orgs)] + [org_w] * len(orgs)
    out.append(table(rows, widths, style))
    out.append(Spacer(1, 6 * mm))
    out.append(Paragraph("Rating bands", s["h3"]))
    legend = [
        [
            Paragraph(
                in_colour(f"<b>{esc(b.rating)}</b>", band_colour(b.rating, names)[1]), s["cell"]
            )
            for b in data.bands
        ],
        [
            Paragraph(f"{b.min_percent:g}% or more; {_points_text(b.points)}", s["small"])
            for b in data.bands
        ],
    ]
    lstyle = []
    for i, b in enumerate(data.bands):
        lstyle.append(("BACKGROUND", (i, 0), (i, 0), band_colour(b.rating, names)[0]))
    if data.bands:
        t = Table(legend, colWidths=[CONTENT_WIDTH / len(data.bands)] * len(data.bands))
        t.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, RULE),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    *lstyle,
                ]
            )
        )
        out.append(t)
    out.append(Spacer(1, 4 * mm))
    out.append(
        Paragraph(
            "Only complete and reviewed case assessments count towards the ratings; cases not "
            "started, in draft or returned by quality assurance are shown in brackets and left "
            "out. The overall rating is given only when every standard is rated.",
            s["small"],
        )
    )
    return out


def _points_text(n: int) -> str:
    return "1 point" if n == 1 else f"{n} points"


def _chapter(data: ReportData, chapter: Chapter, n: int) -> list[Any]:
    s = styles()
    key = f"standard-{n}"
    out: list[Any] = [h1(f"{chapter.id} {chapter.title}", key)]
    if chapter.question:
        out.append(Paragraph(esc(chapter.question), s["lead"]))
    names = [b.rating for b in data.bands]
    orgs = data.ratings.organisations
    rows = [
        [Paragraph(f"<b>{esc(o.name)}</b>", s["cell"]) for o in orgs],
        [
            rating_cell(
                o.standard(chapter.id).rating, band_colour(o.standard(chapter.id).rating, names)[1]
            )
            for o in orgs
        ],
    ]
    style = [
        ("BACKGROUND", (c, 1), (c, 1), band_colour(o.standard(chapter.id).rating, names)[0])
        for c, o in enumerate(orgs)
    ]
    if orgs:
        t = Table(
            rows, colWidths=[min(50 * mm, CONTENT_WIDTH / len(orgs))] * len(orgs), hAlign="LEFT"
        )
        t.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, RULE),
                    ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
                    *style,
                ]
            )
        )
        out.append(t)
    out.append(Spacer(1, 4 * mm))
    labels = [_kq_label(k.id, k.lens) for k in chapter.key_questions]
    percents = [[kq.percent for kq in o.standard(chapter.id).key_questions] for o in orgs]
    thresholds = [(b.min_percent, b.rating) for b in data.bands if b.min_percent > 0]
    out.append(
        Paragraph("Key questions: percentage of applicable cases judged sufficient", s["h3"])
    )
    out.append(key_question_chart(labels, [o.name for o in orgs], percents, thresholds))
    for kq in chapter.key_questions:
        out.append(Paragraph(f"<b>{esc(kq.id)}</b> {esc(kq.text)}", s["small"]))
    out.append(h2("Strengths", f"{key}-strengths", toc=False))
    out += _points(chapter.strengths, "No strengths recorded yet.")
    out.append(h2("Areas for improvement", f"{key}-improvements", toc=False))
    out += _points(chapter.improvements, "No areas for improvement recorded yet.")
    if chapter.quotes:
        out.append(h2("What people told us", f"{key}-quotes", toc=False))
        out += [_quote(q) for q in chapter.quotes]
        if chapter.quotes_omitted:
            out.append(
                Paragraph(f"{chapter.quotes_omitted} more marked quotes not shown.", s["small"])
            )
    return out


def _kq_label(kid: str, lens: str | None) -> str:
    return f"{kid} {lens}" if lens else kid


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
        out.append(Paragraph("From inspectors' case notes", s["h3"]))
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


def _recommendations(data: ReportData) -> list[Any]:
    s = styles()
    out: list[Any] = [h1("Recommendations", "recommendations")]
    if not data.recommendations:
        out.append(Paragraph("No recommendations recorded yet.", s["small"]))
    for r in data.recommendations:
        to = f"<b>{esc(r.addressee)} should:</b> " if r.addressee else ""
        out.append(Paragraph(to + esc(r.text), s["rec"], bulletText=f"{r.number}."))
    return out
