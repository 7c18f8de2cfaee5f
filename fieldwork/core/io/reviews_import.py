"""Read the wide cases table (`cases.csv` as exported) back into an inspection.

Every row is checked first: unknown columns, bad values (per the form's
question types and constraints), unknown statuses or organisations, missing or
duplicate case references. The first problem is reported as one line with its
line number and nothing is written. Then every row is written through the
store in one transaction: missing cases are created, and the table is taken as
the state of each review it names (judgements and statuses as given, an
imported judgement counting as confirmed, a blank cell clearing the answer,
the override reason kept where the reason column has one).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fieldwork.core.casework import validation as review
from fieldwork.core.errors import FieldworkError, UserError
from fieldwork.core.io.exports import CASE_FIELDS, Column, case_columns, read_csv_rows
from fieldwork.core.schema import CASE_STATUSES, is_case_ref

JUDGEMENTS = ("yes", "no", "na")


@dataclass(frozen=True)
class ReviewRow:
    line: int
    case: dict[str, str | None]
    answers: dict[str, Any]  # question id -> value (None clears)
    reasons: dict[str, str | None]  # key question id -> reason


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    answers_written: int


def parse_rows(form: Any, organisations: tuple[str, ...], path: str | Path) -> list[ReviewRow]:
    """Validate the whole file; raises UserError naming the first bad line."""
    name = Path(path).name
    header, rows = read_csv_rows(path)
    known = {c.name: c for c in case_columns(form)}
    cols: list[Column] = []
    for h in header:
        col = known.get(h.strip())
        if col is None:
            raise UserError(
                f"{name} line 1: unknown column {h!r} (not a case field or a "
                f"question of form {form.id})."
            )
        if col in cols:
            raise UserError(f"{name} line 1: the column {h!r} appears twice.")
        cols.append(col)
    if not any(c.name == "ref" for c in cols):
        raise UserError(f"{name} line 1: there is no 'ref' column.")
    seen: dict[str, int] = {}
    out = []
    for line, cells in rows:
        if len(cells) != len(cols):
            raise UserError(f"{name} line {line}: {len(cells)} cells, expected {len(cols)}.")
        try:
            row = _row(form, organisations, cols, cells, line)
        except FieldworkError as exc:
            raise UserError(f"{name} line {line}: {exc}") from None
        ref = (row.case["ref"] or "").upper()
        if ref in seen:
            raise UserError(
                f"{name} line {line}: case {row.case['ref']} is also on line {seen[ref]}."
            )
        seen[ref] = line
        out.append(row)
    return out


def _row(
    form: Any, organisations: tuple[str, ...], cols: list[Column], cells: list[str], line: int
) -> ReviewRow:
    case: dict[str, str | None] = {}
    answers: dict[str, Any] = {}
    reasons: dict[str, str | None] = {}
    for col, raw in zip(cols, cells, strict=True):
        text = raw.strip()
        if col.kind == "case":
            case[col.name] = text or None
        elif col.kind == "reason":
            reasons[col.key_question] = text or None
        elif col.kind == "judgement":
            if text and text.lower() not in JUDGEMENTS:
                raise UserError(f"{col.name}: a judgement is yes, no or na, not {text!r}.")
            answers[col.name] = text.lower() or None
        else:
            answers[col.name] = _value(col.question, raw)
    if not case.get("ref"):
        raise UserError("the case reference (ref) is blank.")
    if not is_case_ref(str(case["ref"]).upper()):
        raise UserError(f"{case['ref']!r} is not a case reference (one letter and six digits).")
    status = case.get("status")
    if "status" in case and status not in CASE_STATUSES:
        raise UserError(f"unknown status {status!r}: use one of {', '.join(CASE_STATUSES)}.")
    org = case.get("organisation")
    if org is not None and organisations and org not in organisations:
        raise UserError(
            f"organisation {org!r} is not in this inspection ({', '.join(organisations)})."
        )
    return ReviewRow(line, case, answers, reasons)


def _value(question: Any, raw: str) -> Any:
    text = raw if question.type == "text" else raw.strip()
    if not text.strip():
        return None
    try:
        value = review.parse_cli_value(question, text)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    if value is None:
        return None
    problem = review.check_value(question, value)
    if problem:
        raise UserError(f"{question.id}: {problem}")
    return value


def form_of_file(store: Any, path: str | Path) -> Any:
    """The form a cases table is in: its rows' sample's instrument (blank: the main one).
    A table is one instrument's (`cases.csv`, `cases-court-reports.csv`, ...)."""
    from fieldwork.core.storage.method_reads import method_forms

    mf = method_forms(store)
    header, rows = read_csv_rows(path)
    names = [h.strip() for h in header]
    found = set()
    if "sample" in names:
        col = names.index("sample")
        for line, cells in rows:
            sample = cells[col].strip() if col < len(cells) else ""
            inst = mf.method.instrument_for_sample(sample or None)
            if inst is None:
                raise UserError(
                    f"{Path(path).name} line {line}: {sample!r} is not a sample of this "
                    f"inspection ({', '.join(i.sample for i in mf.method.instruments)})."
                )
            found.add(inst.id)
    if len(found) > 1:
        raise UserError(
            f"{Path(path).name}: rows of several samples; a cases table holds one instrument's."
        )
    return mf.form_of(found.pop() if found else None)


def import_reviews(store: Any, path: str | Path) -> ImportResult:
    """Validate `path`, then write it in one transaction; nothing is written on error."""
    form = form_of_file(store, path)
    rows = parse_rows(form, store.reads.inspection().organisations, path)
    created = updated = written = 0
    with store.transaction():
        for row in rows:
            ref = row.case["ref"] or ""
            case = store.reads.case_by_ref(ref)
            fields = {k: v for k, v in row.case.items() if k in CASE_FIELDS}
            if case is None:
                fields.setdefault("status", "not_started")
                case_id = store.insert("cases", fields)
                existing: dict[str, Any] = {}
                created += 1
            else:
                case_id = case.id
                changed = {k: v for k, v in fields.items() if getattr(case, k) != v}
                if changed:
                    store.update("cases", case_id, changed)
                existing = store.reads.answers(case_id)
                updated += 1
            for qid, value in row.answers.items():
                old = existing.get(qid)
                reason = row.reasons.get(qid) if qid in row.reasons else None
                has_reason_col = qid in row.reasons
                if old is None and value is None and not reason:
                    continue
                if (
                    old is not None
                    and old.value == value
                    and (not has_reason_col or old.reason == reason)
                ):
                    continue
                if has_reason_col:
                    store.set_answer(case_id, qid, value, reason=reason)
                else:
                    store.set_answer(case_id, qid, value)
                written += 1
    return ImportResult(created, updated, written)
