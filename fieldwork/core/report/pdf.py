"""Render a ReportData as the draft findings PDF (reportlab platypus), in the
inspectorate's order as the method lists it (ReportData.parts).

Layout: cover; contents; then the method's parts: foreword, overall findings, summary of
ratings (a method that rates), recommendations grouped by addressee and numbered on,
background and contextual facts, a chapter per domain with a section per standard
(chapters.py), Annex 1 methodology and Annex 2 results (annexes.py), glossary. Every page
carries DRAFT, the protective marking and "Page X of Y". All user text goes through `esc`
before it reaches Paragraph markup. Confidence intervals stay out of the report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, Spacer, Table, TableStyle

from fieldwork.core import samples
from fieldwork.core.report.annexes import glossary, methodology, results
from fieldwork.core.report.blocks import (
    CONTENT_WIDTH,
    dates,
    h1,
    h2,
    in_colour,
    rating_shown,
    table,
)
from fieldwork.core.report.chapters import domain_chapters
from fieldwork.core.report.document import Progress, contents, mark_heading, write_pdf
from fieldwork.core.report.styles import MUTED, NULL_BG, RULE, band_colour, esc, styles
from fieldwork.core.report.values import ReportData


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
    parts = data.parts or tuple((p, p.replace("_", " ").capitalize()) for p in _DEFAULT)
    for part, title in parts:
        render_part = _PARTS.get(part)
        if render_part is None or (part == "ratings" and not data.rated):
            continue
        out.append(PageBreak())
        out += render_part(data, title)
    return out


_DEFAULT = ("overall_findings", "ratings", "recommendations", "chapters", "methodology",
            "results", "glossary")  # fmt: skip


def _cover(data: ReportData) -> list[Any]:
    s = styles()
    person = data.terms.get("person", "person on probation")
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
            f"been checked or agreed. It does not name or identify any {esc(person)}, "
            "practitioner or interviewee.",
            s["small"],
        ),
        PageBreak(),
    ]


def _text_part(key: str, empty: str) -> Any:
    def render_text(data: ReportData, title: str) -> list[Any]:
        s = styles()
        out: list[Any] = [h1(title, key)]
        text = data.texts.get(key, "")
        paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
        out += [Paragraph(esc(p), s["body"]) for p in paragraphs]
        if not paragraphs:
            out.append(Paragraph(esc(empty), s["small"]))
        return out

    return render_text


def _summary(data: ReportData, title: str) -> list[Any]:
    """Each organisation rated separately: a table per organisation, never one joint table."""
    s = styles()
    names = [b.rating for b in data.bands]
    minimum = data.ratings.min_cases
    out: list[Any] = [
        h1(title, "summary"),
        Paragraph(
            "Each organisation is rated on its own standards. A case-based standard takes the "
            "rating of its lowest key question; standards in domain one are rated by the "
            "inspectors' judgement on the evidence. The overall rating is the sum of the "
            "points of the standards.",
            s["lead"],
        ),
    ]
    for org in data.ratings.organisations:
        if len(data.ratings.organisations) > 1:
            out.append(h2(org.name, f"summary-{org.name}", toc=False))
        rows: list[list[Any]] = [
            [Paragraph("<b>Standard</b>", s["cell"]), Paragraph("<b>Rating</b>", s["cell_centre"])]
        ]
        style: list[tuple] = []
        domain = None
        for std in org.standards:
            part = next((d for d in data.domains if any(c.id == std.id for c in d.chapters)), None)
            if part is not None and part.id != domain:
                domain = part.id
                r = len(rows)
                rows.append([Paragraph(f"<b>{esc(part.label)}</b>", s["cell"]), ""])
                style.append(("SPAN", (0, r), (-1, r)))
            label = esc(std.label) + (" *" if std.overridden else "")
            note = samples.standard_note(std, minimum) if std.basis == "cases" else None
            cell, bg = rating_shown(std.rating, note, names)
            style.append(("BACKGROUND", (1, len(rows)), (1, len(rows)), bg))
            rows.append([Paragraph(label, s["cell"]), cell])
        ov = org.overall
        points = "1 point" if ov.points == 1 else f"{ov.points} points"
        text = f"<b>{esc(ov.rating or 'Not rated')}</b><br/>{points}"
        if ov.rating is None:
            need = data.ratings.overall_standards
            text += f" ({ov.standards_rated} of {need or ov.standards_total} standards rated)"
        bg, fg = band_colour(ov.rating, names)
        if ov.rating and samples.overall_note(org.standards, minimum):
            bg, fg = NULL_BG, MUTED  # not firm: some standards rest on small samples
            text += "<br/><font size='7'>on small samples</font>"
        style.append(("BACKGROUND", (1, len(rows)), (1, len(rows)), bg))
        rows.append(
            [
                Paragraph("<b>Overall</b>", s["cell"]),
                Paragraph(in_colour(text, fg), s["cell_centre"]),
            ]
        )
        out.append(table(rows, [CONTENT_WIDTH - 55 * mm, 55 * mm], style))
        out.append(Spacer(1, 4 * mm))
    if any(std.overridden for o in data.ratings.organisations for std in o.standards):
        out.append(Paragraph("* Rated by professional discretion; see Annex 1.", s["small"]))
    out.append(Paragraph("Rating bands", s["h3"]))
    legend = [
        [Paragraph(in_colour(f"<b>{esc(b.rating)}</b>", band_colour(b.rating, names)[1]), s["cell"]) for b in data.bands],
        [Paragraph(f"{b.min_percent:g}% or more" + (f" ({esc(b.phrase)})" if b.phrase else "")
                   + f"; {b.points} point{'s' if b.points != 1 else ''}", s["small"]) for b in data.bands],
    ]  # fmt: skip
    if data.bands:
        t = Table(legend, colWidths=[CONTENT_WIDTH / len(data.bands)] * len(data.bands))
        t.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, RULE),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    *[("BACKGROUND", (i, 0), (i, 0), band_colour(b.rating, names)[0])
                      for i, b in enumerate(data.bands)],
                ]
            )
        )  # fmt: skip
        out.append(t)
    out.append(Spacer(1, 4 * mm))
    out.append(
        Paragraph(
            "Only complete and quality-assured case assessments count; cases not started, in "
            "draft or returned by quality assurance are left out. The overall rating is given "
            "only when every standard is rated. A rating that rests on a key question with "
            f"fewer than {minimum} applicable cases is not firm: it is shown without its "
            "band's colour, with the number of cases it is based on.",
            s["small"],
        )
    )
    return out


def _recommendations(data: ReportData, title: str) -> list[Any]:
    """Grouped by addressee ("The CRC should:"), numbered on across the groups."""
    s = styles()
    out: list[Any] = [h1(title, "recommendations")]
    if not data.recommendation_groups:
        out.append(Paragraph("No recommendations recorded yet.", s["small"]))
    for group in data.recommendation_groups:
        who = group.addressee or "The organisations inspected"
        out.append(Paragraph(f"<b>{esc(who)} should:</b>", s["h3"]))
        for r in group.items:
            out.append(Paragraph(esc(r.text), s["rec"], bulletText=f"{r.number}."))
    return out


def _chapters(data: ReportData, title: str) -> list[Any]:
    return domain_chapters(data)


def _methodology(data: ReportData, title: str) -> list[Any]:
    return methodology(data, title)


def _results(data: ReportData, title: str) -> list[Any]:
    return results(data, title)


def _glossary(data: ReportData, title: str) -> list[Any]:
    return glossary(data, title)


_PARTS = {
    "foreword": _text_part("foreword", "No foreword written yet."),
    "overall_findings": _text_part("overall_findings", "No overall findings written yet."),
    "ratings": _summary,
    "recommendations": _recommendations,
    "background": _text_part("background", "No background written yet."),
    "chapters": _chapters,
    "methodology": _methodology,
    "results": _results,
    "glossary": _glossary,
}
