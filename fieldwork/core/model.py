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
    signing_key: str | None = None


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
    sample: str | None = None  # the sample it came from (None: the main sample)


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
class Evidence:
    """An item of the evidence register: a meeting, focus group, interview or document."""

    id: str
    kind: str
    date: str | None
    title: str
    attendees: str  # roles, never names of people on probation
    notes: str
    organisation: str | None  # None: about every organisation
    author: str | None
    targets: tuple[str, ...] = ()  # standard and key-question ids it is tagged with


@dataclass(frozen=True)
class KeyQuestionJudgement:
    """The team's judgement on a key question of a judgement-rated standard."""

    id: str
    organisation: str
    key_question_id: str
    judgement: str | None  # "yes" (sufficient) | "no" | None
    text: str


@dataclass(frozen=True)
class StandardJudgement:
    """The rating the team gives a judgement-rated standard, with its justification."""

    id: str
    organisation: str
    standard_id: str
    rating: str | None
    justification: str


@dataclass(frozen=True)
class Override:
    """Professional discretion: a standard rated away from the rules' result, and why."""

    id: str
    organisation: str
    standard_id: str
    rating: str
    reason: str


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
