"""The annexes of the findings report: Annex 1 methodology, Annex 2 inspection results
(every key question and every prompt, per organisation, with n and %), the glossary.

The report gives the number of cases behind every percentage and no confidence
interval: the inspectorate does not publish them (the app may show them to the team).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer

from fieldwork.core import samples
from fieldwork.core.report.blocks import CONTENT_WIDTH, dates, h1, h2, table
from fieldwork.core.report.styles import ACCENT, HEADER_BG, esc, styles
from fieldwork.core.report.values import ReportData


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


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def methodology(data: ReportData, title: str = "Annex 1: Methodology") -> list[Any]:
    s = styles()
    m = data.methodology
    people = data.terms.get("people", "people on probation")
    out: list[Any] = [
        h1(title, "methodology"),
        Paragraph(
            f"This inspection followed the {esc(data.form_title)} method. Fieldwork took place "
            f"{esc(dates(m.start_date, m.end_date))}. A team of {_n(m.team_size, 'inspector')} "
            f"assessed {_n(m.cases_total, 'case')} of {esc(people)}; {m.cases_counted} complete "
            f"and quality-assured case assessments are counted in the findings. Inspectors "
            f"held {_n(m.interviews_total, 'interview')} and marked {_n(m.quotes_total, 'quote')} "
            "as evidence.",
            s["body"],
        ),
        h2("Instruments and samples", "methodology-samples", toc=False),
    ]
    for inst in m.instruments:
        out.append(
            Paragraph(
                f"<b>{esc(inst.title)}</b>: the {esc(inst.sample_title.lower())}, assessed with "
                f"the {esc(inst.form_title)} instrument."
                + (f" {esc(inst.drawn)}" if inst.drawn else ""),
                s["body"],
            )
        )
        if inst.counts:
            out.append(
                _count_table(
                    "Organisation",
                    ["Counted", "Not counted"],
                    [(o, (a, b)) for o, a, b in inst.counts],
                )
            )
    out.append(h2("Moderation", "methodology-moderation", toc=False))
    out.append(
        Paragraph(
            f"{_n(m.quality_assured, 'case assessment')} {'was' if m.quality_assured == 1 else 'were'} "
            "quality assured by a second inspector who had not seen the first judgements; "
            f"{m.returned} {'was' if m.returned == 1 else 'were'} returned to their assessor "
            "and are not counted until settled. Local assessors' cases are quality assured in "
            "the same way.",
            s["body"],
        )
    )
    if m.moderation:  # core/moderation: cases moderated and the agreement reached
        out.append(Paragraph(esc(m.moderation), s["body"]))
    if m.judgement_standards:
        out.append(h2("Judgement-rated standards", "methodology-judgement", toc=False))
        out.append(
            Paragraph(
                f"{esc(', '.join(m.judgement_standards))}: rated by the inspectors' judgement on "
                f"the evidence register ({_n(m.evidence_total, 'item')}: meetings, focus groups, "
                "interviews with managers and partners, and documents) and the case evidence.",
                s["body"],
            )
        )
        if m.evidence_by_kind:
            out.append(
                _count_table(
                    "Kind of evidence",
                    ["Items"],
                    list((k, (n,)) for k, n in m.evidence_by_kind),
                    total=False,
                )  # fmt: skip
            )
    if data.rated:
        out.append(h2("Professional discretion", "methodology-discretion", toc=False))
        if not m.overrides:
            out.append(Paragraph("Every rating is the one the rules give.", s["body"]))
        for o in m.overrides:
            out.append(
                Paragraph(
                    f"<b>{esc(o.organisation)}, {esc(o.standard)}</b>: rated {esc(o.rating)}; "
                    f"the rules give {esc(o.rule_rating or 'no rating')}. {esc(o.reason)}",
                    s["bullet"],
                    bulletText="•",
                )
            )
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


def results(data: ReportData, title: str = "Annex 2: Inspection results") -> list[Any]:
    """Every key question and every prompt of the case-based standards, per organisation:
    the cases where it applies (n) and the percentage met."""
    s = styles()
    orgs = data.ratings.organisations
    out: list[Any] = [
        h1(title, "results"),
        Paragraph(
            "For each key question, the cases where it applies (n) and the percentage judged "
            "sufficient; under it, each prompt: the cases where it was answered yes or no (n) "
            "and the percentage answered yes. A key question's result on fewer than "
            f"{data.ratings.min_cases} cases is marked as not firm.",
            s["body"],
        ),
    ]
    head = [Paragraph("<b>Key question and prompts</b>", s["cell"])]
    for o in orgs:
        head += [
            Paragraph(f"<b>{esc(o.name)}</b> n", s["cell_centre"]),
            Paragraph(f"<b>{esc(o.name)}</b> %", s["cell_centre"]),
        ]
    rows: list[list[Any]] = [head]
    style: list[tuple] = []
    for chapter in data.chapters:
        if chapter.basis != "cases":
            continue
        r = len(rows)
        rows.append(
            [Paragraph(f"<b>{esc(chapter.label)}</b>", s["cell"])]
            + ["" for _ in range(2 * len(orgs))]
        )
        style += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), HEADER_BG)]
        for i, kq in enumerate(chapter.key_questions):
            row: list[Any] = [Paragraph(f"<b>{esc(kq.id)}</b> {esc(kq.text)}", s["cell"])]
            results_ = [
                o.standard(chapter.id).key_questions[i] if o.has_standard(chapter.id) else None
                for o in orgs
            ]
            for res in results_:
                small = res is not None and samples.is_small(res.applicable, data.ratings.min_cases)
                row += _cells(
                    res.applicable if res else None,
                    res.percent if res else None,
                    bold=True,
                    small=small,
                )
            rows.append(row)
            prompts = next((r_.prompts for r_ in results_ if r_ is not None), ())
            for j, p in enumerate(prompts):
                prow: list[Any] = [Paragraph(f"{esc(p.id)} {esc(p.text)}", s["small"])]
                for res in results_:
                    pr = res.prompts[j] if res else None
                    prow += _cells(pr.applicable if pr else None, pr.percent if pr else None)
                rows.append(prow)
    if len(rows) == 1:
        out.append(Paragraph("No case-based standards in this method.", s["small"]))
        return out
    col = 12 * mm
    pct = 16 * mm
    widths = [CONTENT_WIDTH - (col + pct) * len(orgs)] + [col, pct] * len(orgs)
    out.append(table(rows, widths, style))
    return out  # fmt: skip


def _cells(
    n: int | None, percent: float | None, bold: bool = False, small: bool = False
) -> list[Any]:
    s = styles()
    if n is None:
        return [Paragraph("", s["cell_centre"]), Paragraph("", s["cell_centre"])]
    pct = "–" if percent is None else f"{percent:.1f}"
    if bold:
        pct = f"<b>{pct}</b>"
    if small:  # fewer applicable cases than the method's minimum
        pct += "<br/><font size='6.5'><i>not firm</i></font>"
    return [Paragraph(str(n), s["cell_centre"]), Paragraph(pct, s["cell_centre"])]


def glossary(data: ReportData, title: str = "Glossary") -> list[Any]:
    s = styles()
    out: list[Any] = [h1(title, "glossary")]
    if not data.glossary:
        out.append(Paragraph("No glossary in this method or its forms.", s["small"]))
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
