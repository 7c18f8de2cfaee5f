"""Interviews: create one with sensible defaults, edit its details and notes, link the
cases it spoke about, delete it. Every function returns the ops it wrote (one undo step).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fieldwork.core.errors import UserError
from fieldwork.core.model import Inspection, Op
from fieldwork.core.schema import INTERVIEW_KIND_LABELS, INTERVIEW_KINDS
from fieldwork.core.storage.store import Store

# What a person may change on an interview (its author is who created it).
EDITABLE = frozenset({"kind", "date", "organisation", "title", "consent", "notes"})


def kind_label(kind: str) -> str:
    """The kind as people say it ("Responsible officer")."""
    return INTERVIEW_KIND_LABELS.get(kind, kind or "Interview")


def default_title(kind: str) -> str:
    """The title a new interview gets until someone types one."""
    return f"New {kind_label(kind).lower()} interview"


def default_date(inspection: Inspection, today: str | None = None) -> str:
    """Today, kept within the inspection's fieldwork dates when it has them."""
    day = today or dt.date.today().isoformat()
    if inspection.start_date and day < inspection.start_date:
        return inspection.start_date
    if inspection.end_date and day > inspection.end_date:
        return inspection.end_date
    return day


def _check_kind(kind: Any) -> None:
    if kind not in INTERVIEW_KINDS:
        raise UserError(f"An interview is of kind {', '.join(INTERVIEW_KINDS)}, not {kind!r}.")


def create_interview(
    store: Store, kind: str = "officer", *, author: str | None = None, today: str | None = None
) -> list[Op]:
    """A new interview of `kind` with empty notes: titled after its kind, dated today
    (within the fieldwork dates), for the inspection's organisation when there is only
    one, written by `author` (this laptop's person by default). Its id is `ops[0].row`."""
    _check_kind(kind)
    inspection = store.reads.inspection()
    orgs = inspection.organisations
    fields = {
        "kind": kind,
        "title": default_title(kind),
        "date": default_date(inspection, today),
        "organisation": orgs[0] if len(orgs) == 1 else None,
        "consent": False,
        "notes": "",
        "author": author or store.author,
    }
    return store.add("interviews", fields)


def update_interview(store: Store, interview_id: str, fields: dict[str, Any]) -> list[Op]:
    """Change some of an interview's details or its notes (unchanged fields write nothing)."""
    unknown = set(fields) - EDITABLE
    if unknown:
        raise UserError(f"An interview has no editable {', '.join(sorted(unknown))}.")
    if "kind" in fields:
        _check_kind(fields["kind"])
    return store.update("interviews", interview_id, fields)


def delete_interview(store: Store, interview_id: str) -> list[Op]:
    return store.delete("interviews", interview_id)


def link_case(store: Store, interview_id: str, case_id: str, present: bool = True) -> list[Op]:
    """Link a case the interview spoke about (or with present=False unlink it)."""
    if present and store.reads.case(case_id) is None:
        raise UserError("That case is no longer in this inspection.")
    return store.link("interview_cases", interview_id, case_id, present=present)
