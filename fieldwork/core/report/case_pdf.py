"""The single-case PDF: one case assessment as entered, for quality assurance.

Unlike the findings report this one shows the case reference, and every page
says so. It still leaves out people's names (officer, inspector).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from fieldwork.core.casework import validation as review
from fieldwork.core.casework.dates import show_date
from fieldwork.core.errors import UserError
from fieldwork.core.report.document import Progress, mark_heading, write_pdf
from fieldwork.core.report.styles import HEADER_BG, RULE, esc, styles
from fieldwork.core.schema import STATUS_LABELS

CASE_MARK = "Contains case reference — OFFICIAL-SENSITIVE"
YES_NO = {"yes": "Yes", "no": "No", "na": "Not applicable"}
WIDTH = 170 * mm


@dataclass(frozen=True)
class AnswerLine:
    id: str
    text: str
    answer: str
    comment: str | None = None


@dataclass(frozen=True)
class JudgementBlock:
    id: str
    text: str
    prompts: tuple[AnswerLine, ...]
    judgement: str
    suggested: str | None
    reason: str | None


@dataclass(frozen=True)
class SectionBlock:
    id: str
    title: str
    key_questions: tuple[JudgementBlock, ...]
    notes: tuple[AnswerLine, ...]


@dataclass(frozen=True)
class CaseData:
    inspection: str
    ref: str
    organisation: str | None
    office: str | None
    status: str
    qa_comment: str | None
    form_title: str
    attributes: tuple[AnswerLine, ...]
    sections: tuple[SectionBlock, ...]


def answer_text(question: Any, value: Any) -> str:
    """A stored value as the reader sees it (choice labels, Yes/No/Not applicable)."""
    if value is None or value == "" or value == []:
        return "Not answered"
    labels = {c.id: c.label for c in getattr(question, "choices", ()) or ()}
    if isinstance(value, list):
        return "; ".join(labels.get(v, str(v)) for v in value)
    if question is not None and getattr(question, "type", "") in ("yes_no", "yes_no_na"):
        return YES_NO.get(str(value), str(value))
    if question is not None and getattr(question, "type", "") == "date" and isinstance(value, str):
        return show_date(value)  # 21 Sep 2015, as every screen shows it
    return labels.get(value, str(value)) if isinstance(value, str) else str(value)


def _judgement_text(value: Any) -> str:
    """A stored judgement as words; a value no judgement can hold (a list from a careless
    bundle, say) is shown as such rather than breaking the PDF."""
    if value is None or value == "":
        return "Not judged"
    if isinstance(value, str) and value in YES_NO:
        return YES_NO[value]
    return "Not a judgement: " + (
        ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    )


def gather_case(store: Any, ref: str) -> CaseData:
    case = store.reads.case_by_ref(ref)
    if case is None:
        raise UserError(f"No case {ref!r} in this inspection.")
    from fieldwork.core.moderation.rounds import first_answers
    from fieldwork.core.storage.method_reads import form_for_case

    form = form_for_case(store, case)
    answers = first_answers(store, case.id, store.author)  # refused while assessing blind
    values = {q: a.value for q, a in answers.items() if a.value is not None}

    def line(q: Any) -> AnswerLine:
        a = answers.get(q.id)
        return AnswerLine(
            q.id, q.text, answer_text(q, a.value if a else None), a.comment if a else None
        )

    # The skip logic is worked out once for the whole form: asking per question made a
    # 2,000-prompt form quadratic.
    visible = {q.id for q in review.visible_questions(form, values)}
    sections = []
    for section in form.sections:
        kqs = []
        for kq in section.key_questions:
            prompts = tuple(line(q) for q in kq.prompts if q.id in visible)
            a = answers.get(kq.id)
            suggested = review.suggest_judgement(form, kq, values, visible)
            kqs.append(
                JudgementBlock(
                    kq.id,
                    kq.text,
                    prompts,
                    _judgement_text(a.value if a else None),
                    YES_NO.get(suggested) if suggested else None,
                    a.reason if a else None,
                )
            )
        notes = tuple(
            line(q)
            for q in getattr(section, "notes", ())
            if answers.get(q.id) and answers[q.id].value
        )
        sections.append(SectionBlock(section.id, section.title, tuple(kqs), notes))
    return CaseData(
        inspection=store.reads.inspection().name,
        ref=case.ref,
        organisation=case.organisation,
        office=case.office,
        status=STATUS_LABELS.get(case.status, case.status),
        qa_comment=case.qa_comment,
        form_title=getattr(form, "title", form.id),
        attributes=tuple(line(q) for q in form.attributes if q.id in visible),
        sections=tuple(sections),
    )


def render_case(data: CaseData, out: str | Path, progress: Progress | None = None) -> Path:
    return write_pdf(
        out,
        lambda: story(data),
        marks=("CASE REVIEW", CASE_MARK),
        footer=f"Case {data.ref}: {data.inspection}"[:90],
        metadata={
            "title": f"Case assessment {data.ref}",
            "author": "Fieldwork",
            "subject": f"{CASE_MARK}; {data.form_title}",
        },
        progress=progress,
    )


def _grid(rows: list[list[Any]], widths: list[float]) -> Table:
    t = Table(rows, colWidths=widths, repeatRows=1)
    t.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, RULE),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return t


def story(data: CaseData) -> list[Any]:
    s = styles()
    out: list[Any] = [
        mark_heading(
            Paragraph(f"Case assessment {esc(data.ref)}", s["h1"]),
            f"Case assessment {data.ref}",
            0,
            "case",
            toc=False,
        ),
        Paragraph(f"{esc(data.inspection)} · {esc(data.form_title)}", s["lead"]),
        Paragraph(
            f"<b>{esc(CASE_MARK)}.</b> For quality assurance only; do not circulate.", s["small"]
        ),
    ]
    facts: list[tuple[str, str | None]] = [
        ("Organisation", data.organisation),
        ("Office", data.office),
        ("Status", data.status),
        ("Quality assurance comment", data.qa_comment),
    ]
    out.append(
        _grid(
            [[Paragraph("<b>Case</b>", s["cell"]), Paragraph(f"<b>{esc(data.ref)}</b>", s["cell"])]]
            + [
                [Paragraph(esc(k), s["cell"]), Paragraph(esc(v or "–"), s["cell"])]
                for k, v in facts
            ],
            [55 * mm, WIDTH - 55 * mm],
        )
    )
    if data.attributes:
        out.append(Paragraph("Case details", s["h2"]))
        out.append(_answers_table(data.attributes))
    for section in data.sections:
        out.append(
            mark_heading(
                Paragraph(f"{esc(section.id)} {esc(section.title)}", s["h2"]),
                f"{section.id} {section.title}",
                1,
                f"s-{section.id}",
                toc=False,
            )
        )
        for kq in section.key_questions:
            block: list[Any] = [Paragraph(f"{esc(kq.id)} {esc(kq.text)}", s["h3"])]
            if kq.prompts:
                block.append(_answers_table(kq.prompts))
            verdict = f"<b>Judgement: {esc(kq.judgement)}</b>"
            if kq.suggested and kq.suggested != kq.judgement:
                verdict += f" (the prompts suggest {esc(kq.suggested)})"
            if kq.reason:
                verdict += f"<br/>Override reason: {esc(kq.reason)}"
            block.append(Spacer(1, 2))
            block.append(Paragraph(verdict, s["body"]))
            out.append(KeepTogether(block))
        for note in section.notes:
            out.append(Paragraph(f"<b>{esc(note.text)}</b>", s["body"]))
            out.append(Paragraph(esc(note.answer), s["quote"]))
    return out


def _answers_table(lines: tuple[AnswerLine, ...]) -> Table:
    s = styles()
    rows = [[Paragraph(f"<b>{h}</b>", s["cell"]) for h in ("Question", "Answer", "Comment")]]
    rows += [
        [
            Paragraph(
                f"{esc(a.text)} <font color='#5a5a5a' size='7'>{esc(a.id)}</font>", s["cell"]
            ),
            Paragraph(esc(a.answer), s["cell"]),
            Paragraph(esc(a.comment or ""), s["cell"]),
        ]
        for a in lines
    ]
    return _grid(rows, [WIDTH - 95 * mm, 45 * mm, 50 * mm])
