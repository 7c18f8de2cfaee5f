"""The case sample CSV: read, validate every row, then import all or nothing.

Columns (header row required, names case-insensitive, any order):
  ref           case reference number, one letter and six digits (required)
  organisation  one of the inspection's organisations (required)
  sample        the sample the case came from, e.g. main, court-reports (optional;
                blank or absent: the main sample). It decides the instrument (form)
                the case is assessed with, under the inspection's method.
  office, officer, inspector (a team member's name; new names join the team)
  any case attribute id of an instrument's form (e.g. sentence_type, risk_level);
  a row fills only the attributes of its own instrument's form

A choice is named by its id or its label in any case (`community_order` or `Community
Order`; several in one cell separated by `;`), a date as `2015-09-21` or `21/09/2015`.
Problems are listed in file order, each with its line number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fieldwork.core.casework import validation as review
from fieldwork.core.errors import Cancelled, UserError
from fieldwork.core.schema import is_case_ref
from fieldwork.core.storage.method_reads import method_forms
from fieldwork.core.storage.store import Store

MAX_BYTES = 20 * 1024 * 1024
FIXED = ("ref", "organisation", "sample", "office", "officer", "inspector")


@dataclass(frozen=True)
class SampleRow:
    line: int
    ref: str
    organisation: str
    office: str | None
    officer: str | None
    inspector: str | None
    attributes: dict[str, Any] = field(default_factory=dict)
    sample: str | None = None  # the instrument's sample id; None: the main sample


@dataclass(frozen=True)
class CaseSample:
    columns: tuple[str, ...]
    rows: tuple[SampleRow, ...]
    errors: tuple[str, ...]  # "line N: reason", in file order

    @property
    def ok(self) -> bool:
        return not self.errors


def read_sample(store: Store, path: str | Path) -> CaseSample:
    """Parse and validate the whole file; nothing is written."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise UserError(f"{path.name} is over {MAX_BYTES // 2**20} MB: not a case sample.")
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(
            f"{path.name} is not UTF-8 text (byte {exc.start}): save it as CSV UTF-8."
        ) from exc
    except OSError as exc:
        raise UserError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    return parse_sample(store, text)


def parse_sample(store: Store, text: str) -> CaseSample:
    mf = method_forms(store)
    organisations = {o.casefold(): o for o in store.reads.inspection().organisations}
    attributes: dict[str, Any] = {}
    for form in mf.all_forms():
        for q in form.attributes:
            attributes.setdefault(q.id.casefold(), q)
    known_refs = {c.ref.upper() for c in store.reads.cases()}
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, None)
    except csv.Error as exc:
        raise UserError(f"line 1: not a CSV file ({exc}).") from exc
    if not header:
        raise UserError("The case sample is empty: it needs a header row and one row per case.")
    columns = tuple(h.strip().casefold() for h in header)
    for name in columns:
        if name not in FIXED and name not in attributes:
            forms = ", ".join(f.id for f in mf.all_forms())
            raise UserError(
                f"line 1: unknown column {name!r} (expected ref, organisation, sample, "
                f"office, officer, inspector or a case attribute of {forms})."
            )
    for required in ("ref", "organisation"):
        if required not in columns:
            raise UserError(f"line 1: the column {required!r} is missing.")
    if len(set(columns)) != len(columns):
        raise UserError("line 1: a column is named twice.")
    rows: list[SampleRow] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    end = reader.line_num
    try:
        for record in reader:
            line, end = end + 1, reader.line_num  # a quoted cell may span lines: the first
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(columns):
                errors.append(f"line {line}: {len(record)} cells, expected {len(columns)}.")
                continue
            cells = dict(zip(columns, (c.strip() for c in record), strict=True))
            row, problem = _row(line, cells, organisations, mf)
            if problem:
                errors.append(f"line {line}: {problem}")
                continue
            assert row is not None
            if row.ref in known_refs:
                errors.append(f"line {line}: case {row.ref} is already in this inspection.")
            elif row.ref in seen:
                errors.append(f"line {line}: case {row.ref} is also on line {seen[row.ref]}.")
            else:
                seen[row.ref] = line
                rows.append(row)
    except csv.Error as exc:
        errors.append(f"line {reader.line_num}: {exc}.")
    return CaseSample(columns, tuple(rows), tuple(errors))


def _row(
    line: int,
    cells: dict[str, str],
    organisations: dict[str, str],
    mf: Any,
) -> tuple[SampleRow | None, str | None]:
    ref = cells["ref"].upper()
    if not is_case_ref(ref):
        return None, f"{cells['ref']!r} is not a case reference (one letter and six digits)."
    org = organisations.get(cells["organisation"].casefold())
    if org is None:
        return None, (
            f"organisation {cells['organisation']!r} is not one of "
            f"{', '.join(organisations.values())}."
        )
    method = mf.method
    given = cells.get("sample") or None
    inst = method.instrument_for_sample(given)
    if inst is None:
        samples = ", ".join(i.sample for i in method.instruments)
        return None, f"sample {given!r} is not one of this inspection's samples ({samples})."
    if not method.applies(inst.organisation_types, org):
        return None, f"the {inst.sample_title.lower()} is not for {org}."
    form = mf.forms[inst.form_id]
    own = {q.id.casefold(): q for q in form.attributes}
    values: dict[str, Any] = {}
    for key, text in cells.items():
        if key in FIXED or not text:
            continue
        question = own.get(key)
        if question is None:
            return None, f"{key}: not a question of the {inst.title.lower()} form ({form.id})."
        try:
            value = review.parse_cli_value(question, text)
        except ValueError as exc:
            return None, f"{question.id}: {exc}"
        problem = review.check_value(question, value)
        if problem:
            return None, f"{question.id}: {problem}"
        values[question.id] = value
    # The form's constraints (a start date `<= today()`, say) hold here as in the editor.
    for qid, value in values.items():
        broken = review.constraint_problem(form.question(qid), value, values)
        if broken:
            return None, f"{qid}: {broken}"
    return SampleRow(
        line,
        ref,
        org,
        cells.get("office") or None,
        cells.get("officer") or None,
        cells.get("inspector") or None,
        values,
        inst.sample if given else None,
    ), None


def import_sample(
    store: Store, sample: CaseSample, progress: Callable[[int, int], bool] | None = None
) -> int:
    """Write every row in one transaction; refuse the lot if any row was bad."""
    if sample.errors:
        raise UserError(
            f"Nothing imported: {sample.errors[0]}"
            + (f" (and {len(sample.errors) - 1} more)" if len(sample.errors) > 1 else "")
        )
    members = {m.name.casefold(): m.id for m in store.reads.members()}
    total = len(sample.rows)
    with store.transaction():
        for i, row in enumerate(sample.rows):
            inspector = None
            if row.inspector:
                inspector = members.get(row.inspector.casefold())
                if inspector is None:
                    inspector = store.insert(
                        "members", {"name": row.inspector, "role": "inspector"}
                    )
                    members[row.inspector.casefold()] = inspector
            case_id = store.insert(
                "cases",
                {
                    "ref": row.ref,
                    "organisation": row.organisation,
                    "office": row.office,
                    "officer": row.officer,
                    "inspector": inspector,
                    "status": "not_started",
                    "sample": row.sample,
                },
            )
            for qid, value in row.attributes.items():
                store.set_answer(case_id, qid, value)
            if progress and i % 50 == 0 and progress(i, total) is False:
                raise Cancelled("Import cancelled: nothing was imported.")
    return total
