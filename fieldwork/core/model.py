"""Frozen values the store hands out: one dataclass per shared entity, plus Op.

The store reads rows into these; nothing outside the store builds them from SQL.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Op:
    """One field write, exactly the shape of DESIGN.md section 3."""

    op: str
    hlc: str
    device: str
    author: str
    entity: str
    row: str
    field: str
    value: Any
    prev: tuple[str, ...] = ()

    def to_json(self) -> str:
        return json.dumps(
            {
                "op": self.op,
                "hlc": self.hlc,
                "device": self.device,
                "author": self.author,
                "entity": self.entity,
                "row": self.row,
                "field": self.field,
                "value": self.value,
                "prev": list(self.prev),
            },
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        )


@dataclass(frozen=True)
class Inspection:
    id: str
    name: str
    area: str | None
    form_id: str
    organisations: tuple[str, ...]
    start_date: str | None
    end_date: str | None
    marking: str | None
    encrypted: bool = False
    demo: bool = False


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    role: str | None
    public_key: str | None = None


@dataclass(frozen=True)
class Case:
    id: str
    ref: str
    organisation: str | None
    office: str | None = None
    officer: str | None = None
    inspector: str | None = None
    qa_inspector: str | None = None
    status: str = "not_started"
    qa_comment: str | None = None


@dataclass(frozen=True)
class Answer:
    id: str
    case_id: str
    question_id: str
    value: Any
    comment: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Interview:
    id: str
    kind: str
    date: str | None
    organisation: str | None
    title: str | None
    consent: bool
    notes: str
    author: str | None
    case_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Quote:
    id: str
    interview_id: str
    start: int
    end: int
    text: str
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Finding:
    id: str
    standard_id: str
    organisation: str | None
    kind: str
    text: str
    position: int
    quote_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recommendation:
    id: str
    position: int
    addressee: str | None
    text: str


@dataclass(frozen=True)
class Conflict:
    """A field with two or more heads holding different values, or an edit to a deleted row."""

    id: str
    entity: str
    row: str
    field: str
    kind: str  # "edit" (two values) | "deleted" (edited on one laptop, deleted on another)
    heads: tuple[Op, ...] = ()
    case_ref: str | None = None


@dataclass(frozen=True)
class ApplyResult:
    new: int
    known: int
    conflicts: tuple[Conflict, ...]
