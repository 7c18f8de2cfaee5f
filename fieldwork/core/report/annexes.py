"""The annexes of the findings report: methodology, results table, glossary."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer

from fieldwork.core.report.blocks import CONTENT_WIDTH, dates, h1, h2, table
from fieldwork.core.report.report import ReportData
from fieldwork.core.report.styles import ACCENT, HEADER_BG, esc, styles


def _count_table(
    title: str, orgs: Sequence[str], rows: Sequence[tuple[str, Sequence[int]]], total: bool = True
) -> Any:
    s = styles()
    head = (
        [Paragraph(f"<b>{esc(title)}</b>", s["cell"])]
        + [Paragraph(f"<b>{esc(o)}</b>", s["cell_centre"]) for o in orgs]
        + ([Paragraph("<b>Total</b>", s["cell_centre"])] if total else [])
    )
    body = [
        [Paragraph(esc(label), s["cell"])]
        + [Paragraph(str(n), s["cell_centre"]) for n in counts]
        + ([Paragraph(str(sum(counts)), s["cell_centre"])] if total else [])
        for label, counts in rows
    ]
    col, n = 24 * mm, len(orgs) + (1 if total else 0)
    t = table([head, *body], [CONTENT_WIDTH - col * n] + [col] * n)
    return KeepTogether([t, Spacer(1, 4 * mm)]) if len(body) < 20 else t


def methodology(data: ReportData) -> list[Any]:
    s = styles()
    m = data.methodology
    out: list[Any] = [
        h1("Annex 1: Methodology", "methodology"),
        Paragraph(
            f"Fieldwork took place {esc(dates(m.start_date, m.end_date))}. A team of "
            f"{_n(m.team_size, 'inspector')} assessed a sample of {_n(m.cases_total, 'case')}, "
            f"of which {m.cases_counted} complete or reviewed case assessments count towards "
            f"the ratings. Inspectors held {_n(m.interviews_total, 'interview')} and marked "
            f"{_n(m.quotes_total, 'quote')} as evidence.",
            s["body"],
        ),
        h2("Cases by organisation", "methodology-cases", toc=False),
        _count_table(
            "Organisation",
            ["Counted", "Not counted"],
            [(o, (a, b)) for o, a, b in m.cases_by_organisation],
        ),
    ]
    if m.moderation:  # core/moderation: cases moderated and the agreement reached
        out += [
            h2("Moderation", "methodology-moderation", toc=False),
            Paragraph(esc(m.moderation), s["body"]),
        ]
    if m.attribute_tables:
        out.append(h2("The cases counted", "methodology-attributes", toc=False))
        for t in m.attribute_tables:
            out.append(_count_table(t.title, t.organisations, t.rows))
    out.append(h2("Interviews by kind", "methodology-interviews", toc=False))
    out.append(
        _count_table(
            "Kind of interview",
            ["Interviews"],
            [(k, (n,)) for k, n in m.interviews_by_kind],
            total=False,
        )
    )
    return out


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def results(data: ReportData) -> list[Any]:
    s = styles()
    orgs = data.ratings.organisations
    out: list[Any] = [
        h1("Annex 2: Inspection results", "results"),
        Paragraph(
            "For each key question: the cases where it applies (n), the percentage judged "
            "sufficient, and in brackets the 95% confidence interval (Wilson).",
            s["body"],
        ),
    ]
    head = [Paragraph("<b>Key question</b>", s["cell"])]
    for o in orgs:
        head += [
            Paragraph(f"<b>{esc(o.name)}</b> n", s["cell_centre"]),
            Paragraph(f"<b>{esc(o.name)}</b> % (95% CI)", s["cell_centre"]),
        ]
    rows: list[list[Any]] = [head]
    style: list[tuple] = []
    for chapter in data.chapters:
        r = len(rows)
        rows.append(
            [Paragraph(f"<b>{esc(chapter.id)} {esc(chapter.title)}</b>", s["cell"])]
            + ["" for _ in range(2 * len(orgs))]
        )
        style += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), HEADER_BG)]
        for i, kq in enumerate(chapter.key_questions):
            row: list[Any] = [Paragraph(f"{esc(kq.id)} {esc(kq.text)}", s["cell"])]
            for o in orgs:
                res = o.standard(chapter.id).key_questions[i]
                pct = "–" if res.percent is None else f"{res.percent:.1f}"
                ci = (
                    f"<br/><font size='6.5'>({res.ci95[0]:.1f}–{res.ci95[1]:.1f})</font>"
                    if res.ci95
                    else ""
                )
                row += [
                    Paragraph(str(res.applicable), s["cell_centre"]),
                    Paragraph(pct + ci, s["cell_centre"]),
                ]
            rows.append(row)
    col = 12 * mm
    pct = 24 * mm
    widths = [CONTENT_WIDTH - (col + pct) * len(orgs)] + [col, pct] * len(orgs)
    out.append(table(rows, widths, style))
    return out


def glossary(data: ReportData) -> list[Any]:
    s = styles()
    out: list[Any] = [h1("Annex 3: Glossary", "glossary")]
    if not data.glossary:
        out.append(Paragraph("No glossary in this form.", s["small"]))
        return out
    rows = [[Paragraph("<b>Term</b>", s["cell"]), Paragraph("<b>Meaning</b>", s["cell"])]]
    rows += [
        [Paragraph(f"<b>{esc(t)}</b>", s["cell"]), Paragraph(esc(d), s["cell"])]
        for t, d in data.glossary
    ]
    out.append(
        table(
            rows,
            [45 * mm, CONTENT_WIDTH - 45 * mm],
            [("VALIGN", (0, 0), (-1, -1), "TOP"), ("TEXTCOLOR", (0, 0), (0, 0), ACCENT)],
        )
    )
    return out
