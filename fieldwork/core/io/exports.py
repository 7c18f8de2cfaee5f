"""CSV and XLSX exports for analysis at headquarters (`fieldwork export csv|xlsx`).

Tables: `cases` (one row per case of the main sample: case fields, then a column
per attribute, per prompt, per key question judgement and its override reason, and
per section note, named by their ids), one `cases-<instrument>` table per other
instrument of the inspection's method (the same, with that instrument's form),
`answers` (long: one row per answer), `interviews`, `quotes`, and `dictionary`
(what every column of the cases tables means, from the forms, with its instrument).

Cell rules, shared by CSV and XLSX and read back by `reviews_import`:
- CSV is UTF-8 with a byte-order mark; dates are ISO; multiple choices are
  their ids separated by single spaces; unanswered is blank; not applicable is
  `na`.
- Formula safety: a cell a spreadsheet would run as a formula (starting with
  `=`, `+`, `-`, `@`, tab or carriage return) is written with one leading
  single quote `'`, and so is a cell that itself starts with `'`; reading strips
  exactly one leading `'`. Plain numbers (`-3`, `-2.5`) are left alone. So every
  value reads back unchanged.
- XLSX is XML, which turns a bare carriage return inside a cell into a line
  feed; CSV keeps it.
- These exports carry case references and officers' names: the command line and
  the app say so each time, in the one sentence `PERSONAL_DATA_WARNING` (the command
  line prints it as `CASE_REF_WARNING`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fieldwork.core import files
from fieldwork.core.casework.consent import may_quote
from fieldwork.core.errors import UserError

CASE_FIELDS = ("ref", "organisation", "office", "officer", "status", "qa_comment", "sample")
TABLES = ("cases", "answers", "interviews", "quotes", "dictionary")
REASON_SUFFIX = "/reason"
PERSONAL_DATA_WARNING = (
    "This export contains case references and names: keep it OFFICIAL-SENSITIVE."
)
CASE_REF_WARNING = "warning: " + PERSONAL_DATA_WARNING[0].lower() + PERSONAL_DATA_WARNING[1:-1]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


@dataclass(frozen=True)
class Column:
    """One column of the wide cases table."""

    name: str
    kind: str  # case | attribute | prompt | judgement | reason | note
    question: Any = None  # the form Question (or KeyQuestion for judgement/reason)
    section: str = ""
    key_question: str = ""


def case_columns(form: Any) -> list[Column]:
    """The columns of cases.csv, in order; the same list drives the reviews import."""
    cols = [Column(name, "case") for name in CASE_FIELDS]
    cols += [Column(q.id, "attribute", q) for q in form.attributes]
    for section in form.sections:
        for kq in section.key_questions:
            cols += [Column(q.id, "prompt", q, section.id, kq.id) for q in kq.prompts]
            cols.append(Column(kq.id, "judgement", kq, section.id, kq.id))
            cols.append(Column(kq.id + REASON_SUFFIX, "reason", kq, section.id, kq.id))
        cols += [Column(q.id, "note", q, section.id) for q in getattr(section, "notes", ())]
    seen: set[str] = set()
    for c in cols:
        if c.name in seen:
            raise UserError(f"The form {form.id} uses the column name {c.name!r} twice.")
        seen.add(c.name)
    return cols


def safe_cell(text: str) -> str:
    """Neutralise a would-be formula with a leading `'` (see the module docstring)."""
    if text and text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def read_cell(text: str) -> str:
    """Undo `safe_cell`: strip exactly one leading `'`."""
    return text[1:] if text.startswith("'") else text


def format_value(value: Any) -> str:
    """An answer value as cell text (before `safe_cell`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def case_tables(store: Any) -> list[tuple[str, Any, Any]]:
    """(table name, instrument, form) per instrument: `cases` for the main one."""
    from fieldwork.core.storage.method_reads import method_forms

    mf = method_forms(store)
    return [
        ("cases" if i == 0 else f"cases-{inst.id}", inst, mf.forms[inst.form_id])
        for i, inst in enumerate(mf.method.instruments)
    ]


def tables(store: Any) -> dict[str, tuple[list[str], list[list[str]]]]:
    """Every export table as (header, rows) of plain strings (not yet formula-safe)."""
    from fieldwork.core.storage.method_reads import method_forms

    mf = method_forms(store)
    cases = store.reads.cases()
    ref_of = {c.id: c.ref for c in cases}
    values = store.reads.answer_values()
    reasons: dict[str, dict[str, str]] = {}
    long_rows = []
    for case in cases:
        answers = store.reads.answers(case.id)
        for qid in sorted(answers):
            a = answers[qid]
            if a.reason:
                reasons.setdefault(case.id, {})[qid] = a.reason
            if a.value is None and not a.comment and not a.reason:
                continue
            long_rows.append(
                [case.ref, qid, format_value(a.value), a.comment or "", a.reason or ""]
            )
    out: dict[str, tuple[list[str], list[list[str]]]] = {}
    dictionaries: list[tuple[Any, Any, list[Column]]] = []
    for name, inst, form in case_tables(store):
        cols = case_columns(form)
        dictionaries.append((inst, form, cols))
        case_rows = []
        for case in cases:
            if mf.instrument_of(case.sample).id != inst.id:
                continue
            v = values.get(case.id, {})
            row = []
            for col in cols:
                if col.kind == "case":
                    row.append(format_value(getattr(case, col.name)))
                elif col.kind == "reason":
                    row.append(reasons.get(case.id, {}).get(col.key_question, ""))
                else:
                    row.append(format_value(v.get(col.name)))
            case_rows.append(row)
        out[name] = ([c.name for c in cols], case_rows)
    members = store.reads.member_names()
    interviews = store.reads.interviews()
    interview_rows = [
        [
            i.id,
            i.kind,
            i.date or "",
            i.organisation or "",
            i.title or "",
            "yes" if i.consent else "no",
            members.get(i.author or "", ""),
            " ".join(sorted(ref_of[c] for c in i.case_ids if c in ref_of)),
            i.notes if may_quote(i) else "",  # withheld: the person gave no consent
        ]
        for i in interviews
    ]
    quotable = {i.id for i in interviews if may_quote(i)}
    quote_rows = [
        [q.id, q.interview_id, str(q.start), str(q.end), q.text, "; ".join(q.tags)]
        for q in store.reads.quotes()
        if q.interview_id in quotable
    ]
    header: list[str] = []
    rows: list[list[str]] = []
    for inst, form, cols in dictionaries:
        header, part = dictionary(form, cols, mf.method)
        rows += [[*r, inst.id] for r in part]
    out.update(
        {
            "answers": (["ref", "question_id", "value", "comment", "reason"], long_rows),
            "interviews": (
                [
                    "id",
                    "kind",
                    "date",
                    "organisation",
                    "title",
                    "consent",
                    "author",
                    "case_refs",
                    "notes",
                ],
                interview_rows,
            ),
            "quotes": (["id", "interview_id", "start", "end", "text", "tags"], quote_rows),
            "dictionary": ([*header, "instrument"], rows),
        }
    )
    return out


def dictionary(
    form: Any, cols: Sequence[Column], method: Any = None
) -> tuple[list[str], list[list[str]]]:
    header = [
        "column",
        "kind",
        "section",
        "key_question",
        "type",
        "text",
        "choices",
        "required",
        "relevant",
    ]
    practitioner = method.term("practitioner") if method is not None else "responsible officer"
    case_text = {
        "ref": "Case reference number (CRN)",
        "organisation": "Organisation",
        "office": "Office or hub",
        "officer": practitioner[:1].upper() + practitioner[1:],
        "status": (
            "Case assessment status: not_started, draft, complete, reviewed (quality "
            "assured), returned"
        ),
        "qa_comment": "Quality assurance comment",
        "sample": "The sample the case came from (blank: the main sample)",
    }
    rows = []
    for c in cols:
        q = c.question
        if c.kind == "case":
            rows.append([c.name, "case", "", "", "text", case_text[c.name], "", "", ""])
        elif c.kind == "judgement":
            rows.append(
                [
                    c.name,
                    c.kind,
                    c.section,
                    c.key_question,
                    "judgement",
                    q.text,
                    "yes no na",
                    "",
                    "",
                ]
            )
        elif c.kind == "reason":
            rows.append(
                [
                    c.name,
                    c.kind,
                    c.section,
                    c.key_question,
                    "text",
                    f"Reason for overriding the suggested judgement of {c.key_question}",
                    "",
                    "",
                    "",
                ]
            )
        else:
            choices = "; ".join(f"{ch.id}={ch.label}" for ch in getattr(q, "choices", ()) or ())
            rows.append(
                [
                    c.name,
                    c.kind,
                    c.section,
                    c.key_question,
                    q.type,
                    q.text,
                    choices,
                    "yes" if getattr(q, "required", False) else "no",
                    getattr(q, "relevant", None) or "",
                ]
            )
    return header, rows


def csv_text(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([safe_cell(h) for h in header])
    for row in rows:
        w.writerow([safe_cell(v) for v in row])
    return buf.getvalue()


Progress = Callable[[int, int], None]  # (done, total); may raise Cancelled


def export_csv(store: Any, folder: str | Path, progress: Progress | None = None) -> list[Path]:
    """Write the five tables as CSV files into `folder` (created if missing).

    `progress(done, total)` is called once the tables are read and after each file; it
    may raise Cancelled, and before the first file is written that leaves nothing behind.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise UserError(f"{folder} is a file: for csv, OUT is a folder.")
    found = tables(store)
    texts = {name: csv_text(header, rows) for name, (header, rows) in found.items()}
    if progress:
        progress(0, len(texts))
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in texts.items():
        path = folder / f"{name}.csv"
        files.write_bytes(path, text.encode("utf-8-sig"))
        written.append(path)
        if progress:
            progress(len(written), len(texts))
    return written


_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def export_xlsx(store: Any, out: str | Path, progress: Progress | None = None) -> Path:
    """One workbook with a sheet per table; cells are text, formula-safe as in CSV.

    `progress(done, total)` is called after each sheet; it may raise Cancelled, which
    leaves nothing behind (the workbook is written, whole, at the end)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    out = Path(out)
    if out.is_dir():
        raise UserError(f"{out} is a folder: for xlsx, OUT is a file.")
    if not out.resolve().parent.is_dir():
        raise UserError(f"No such folder: {out.resolve().parent}")
    wb = Workbook()
    wb.remove(wb.active)
    found = tables(store)
    for done, (name, (header, rows)) in enumerate(found.items(), start=1):
        ws = wb.create_sheet(name)
        ws.append([safe_cell(h) for h in header])
        for row in rows:
            # XML cannot hold most control characters; they are dropped here only.
            ws.append([safe_cell(_ILLEGAL_XLSX.sub("", v)) for v in row])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        if progress:
            progress(done, len(found))
    with files.replacing(out) as tmp:
        wb.save(tmp)
    return out


def read_csv_rows(path: str | Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(header, [(line number, cells)]) of a CSV written by `export_csv`, cells unquoted."""
    try:
        # newline="" keeps a carriage return inside a cell (read_text would turn it into \n).
        with open(path, encoding="utf-8-sig", newline="") as f:
            text = f.read()
    except FileNotFoundError:
        raise UserError(f"No such file: {path}") from None
    except UnicodeDecodeError:
        raise UserError(f"{path} is not UTF-8 text.") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [read_cell(h) for h in next(reader)]
    except StopIteration:
        raise UserError(f"{path} is empty.") from None
    except csv.Error as exc:
        raise UserError(f"{path} line 1: {exc}") from None
    rows = []
    start = reader.line_num + 1
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                rows.append((start, [read_cell(c) for c in cells]))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise UserError(f"{path} line {start}: {exc}") from None
    return header, rows
