"""The shared entities: which tables and fields ops may touch, and their value types.

This is the one list that the write path, bundle import (op validation) and
`dump --json` agree on. Adding a field means a migration plus a line here.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

# Value kinds an op may carry for a field.
TEXT = "text"  # str or None
INT = "int"  # int or None (not bool)
BOOL = "bool"  # True / False
JSON = "json"  # any JSON value (answers hold str, number, list of str, or None)
REF = "ref"  # a row id (32 hex chars) or None
TEXTLIST = "textlist"  # list of str


@dataclass(frozen=True)
class Entity:
    name: str
    fields: dict[str, str]
    # Natural key fields for entities whose id is a UUID5 (answers and links).
    natural_key: tuple[str, ...] = ()


# The version of ENTITIES below (the kinds of record and their fields) that ops carry and
# a bundle's manifest states as "schema": bump it when an entity or field is added. It is
# not the file's layout (db.LATEST_SCHEMA), which can change without teammates on an older
# release being unable to read this laptop's bundles.
OPS_SCHEMA = 2

# What each version of the entities added. A bundle states the lowest version its ops
# need (sync/bundle.py), so a file that uses nothing newer still reaches a teammate on
# an older release. None: the whole entity is new.
ADDED_IN: dict[int, dict[str, tuple[str, ...] | None]] = {
    2: {
        "inspection": ("method_id",),
        "cases": ("sample",),
        "evidence": None,
        "evidence_links": None,
        "kq_judgements": None,
        "standard_judgements": None,
        "overrides": None,
        "report_texts": None,
        "member_keys": None,
        "members": ("signing_key",),  # the Ed25519 key that signs a member's ops
        "moderation_draws": None,
        "moderation_cases": None,
        "moderation_rounds": None,
        "moderation_answers": None,
        "moderation_settlements": None,
    },
}

# The team: every field of these is the lead's to change (issue 12); another member's
# change is set aside on import, never applied (core/sync/authors.py).
TEAM_ENTITIES = frozenset(("members", "member_keys"))
# The lead's alone as well: professional discretion, a standard rated away from the rules'
# result (DOMAIN.md: "The lead may depart from a rule's result"). Judgements and evidence
# are the team's.
LEAD_ENTITIES = TEAM_ENTITIES | frozenset(("overrides",))

ENTITIES: dict[str, Entity] = {
    e.name: e
    for e in (
        Entity(
            "inspection",
            {
                "name": TEXT,
                "area": TEXT,
                "form_id": TEXT,
                "method_id": TEXT,
                "organisations": TEXTLIST,
                "start_date": TEXT,
                "end_date": TEXT,
                "marking": TEXT,
                "deleted": BOOL,
            },
        ),
        Entity(
            "members",
            {
                "name": TEXT,
                "role": TEXT,
                "public_key": TEXT,  # an age recipient: bundles are encrypted to it
                "deleted": BOOL,
                "signing_key": TEXT,  # Ed25519 public key, 64 hex digits (ADDED_IN 2)
            },
        ),
        Entity(
            "cases",
            {
                "ref": TEXT,
                "organisation": TEXT,
                "office": TEXT,
                "officer": TEXT,
                "inspector": REF,
                "qa_inspector": REF,
                "status": TEXT,
                "qa_comment": TEXT,
                "sample": TEXT,
                "deleted": BOOL,
            },
        ),
        Entity(
            "answers",
            {
                "case_id": REF,
                "question_id": TEXT,
                "value": JSON,
                "comment": TEXT,
                "reason": TEXT,
                "deleted": BOOL,
            },
            natural_key=("case_id", "question_id"),
        ),
        Entity(
            "interviews",
            {
                "kind": TEXT,
                "date": TEXT,
                "organisation": TEXT,
                "title": TEXT,
                "consent": BOOL,
                "notes": TEXT,
                "author": REF,
                "deleted": BOOL,
            },
        ),
        Entity(
            "interview_cases",
            {"interview_id": REF, "case_id": REF, "deleted": BOOL},
            natural_key=("interview_id", "case_id"),
        ),
        Entity(
            "quotes",
            {
                "interview_id": REF,
                "start": INT,
                "end": INT,
                "text": TEXT,
                "deleted": BOOL,
            },
        ),
        Entity("tags", {"label": TEXT, "deleted": BOOL}, natural_key=("label",)),
        Entity(
            "quote_tags",
            {"quote_id": REF, "tag_id": REF, "deleted": BOOL},
            natural_key=("quote_id", "tag_id"),
        ),
        Entity(
            "findings",
            {
                "standard_id": TEXT,
                "organisation": TEXT,
                "kind": TEXT,  # "strength" | "improvement"
                "text": TEXT,
                "position": INT,
                "deleted": BOOL,
            },
        ),
        Entity(
            "finding_quotes",
            {"finding_id": REF, "quote_id": REF, "deleted": BOOL},
            natural_key=("finding_id", "quote_id"),
        ),
        Entity(
            "recommendations",
            {
                "position": INT,
                "addressee": TEXT,
                "text": TEXT,
                "deleted": BOOL,
            },
        ),
        # The evidence register: meetings, focus groups, interviews with managers and
        # partners, documents. Attendees are roles, never names of people on probation.
        Entity(
            "evidence",
            {
                "kind": TEXT,
                "date": TEXT,
                "title": TEXT,
                "attendees": TEXT,
                "notes": TEXT,
                "organisation": TEXT,
                "author": REF,
                "deleted": BOOL,
            },
        ),
        # Another laptop's age key for a team member (the member row holds the first).
        Entity(
            "member_keys",
            {"member_id": REF, "public_key": TEXT, "deleted": BOOL, "signing_key": TEXT},
            natural_key=("member_id", "public_key"),
        ),
        # An evidence item tagged to a standard or key question of the method (target).
        Entity(
            "evidence_links",
            {"evidence_id": REF, "target": TEXT, "deleted": BOOL},
            natural_key=("evidence_id", "target"),
        ),
        # The team's judgement on a key question of a judgement-rated standard.
        Entity(
            "kq_judgements",
            {
                "organisation": TEXT,
                "key_question_id": TEXT,
                "judgement": TEXT,  # "yes" (sufficient) | "no" | None
                "text": TEXT,
                "deleted": BOOL,
            },
            natural_key=("organisation", "key_question_id"),
        ),
        # The rating of a judgement-rated standard, with its justification.
        Entity(
            "standard_judgements",
            {
                "organisation": TEXT,
                "standard_id": TEXT,
                "rating": TEXT,
                "justification": TEXT,
                "deleted": BOOL,
            },
            natural_key=("organisation", "standard_id"),
        ),
        # Professional discretion: a standard's rating set away from the rules' result.
        Entity(
            "overrides",
            {
                "organisation": TEXT,
                "standard_id": TEXT,
                "rating": TEXT,
                "reason": TEXT,
                "deleted": BOOL,
            },
            natural_key=("organisation", "standard_id"),
        ),
        # The report's own texts: foreword, overall findings, background.
        Entity(
            "report_texts",
            {"part": TEXT, "text": TEXT, "deleted": BOOL},
            natural_key=("part",),
        ),
        # Moderation (core/moderation). A draw records the seeded rule that picked cases
        # for a second assessment: its seed, share and minimum, the cases it drew from
        # (frame) and those it drew, so anyone can repeat it.
        Entity(
            "moderation_draws",
            {
                "seed": INT,
                "share": INT,  # percent of each assessor's cases
                "minimum": INT,  # at least this many per assessor
                "rule": TEXT,
                "frame": TEXTLIST,
                "drawn": TEXTLIST,
                "deleted": BOOL,
            },
        ),
        # A case in the moderation sample: drawn, added by hand (with the lead's reason),
        # or a calibration case that everyone assesses blind.
        Entity(
            "moderation_cases",
            {
                "case_id": REF,
                "kind": TEXT,  # "drawn" | "added" | "calibration"
                "draw_id": REF,
                "second_assessor": REF,
                "reason": TEXT,
                "deleted": BOOL,
            },
            natural_key=("case_id",),
        ),
        # One assessor's blind round of a case: draft until they complete it.
        Entity(
            "moderation_rounds",
            {"case_id": REF, "assessor": REF, "status": TEXT, "deleted": BOOL},
            natural_key=("case_id", "assessor"),
        ),
        # An answer of a blind round: never the first assessment's row, which it never
        # overwrites.
        Entity(
            "moderation_answers",
            {
                "case_id": REF,
                "assessor": REF,
                "question_id": TEXT,
                "value": JSON,
                "comment": TEXT,
                "reason": TEXT,
                "deleted": BOOL,
            },
            natural_key=("case_id", "assessor", "question_id"),
        ),
        # A disagreement settled: the value that counts for the case, and why.
        Entity(
            "moderation_settlements",
            {
                "case_id": REF,
                "question_id": TEXT,
                "value": JSON,
                "reason": TEXT,
                "deleted": BOOL,
            },
            natural_key=("case_id", "question_id"),
        ),
    )
}

# A case reference number (CRN): one ASCII capital letter and six ASCII digits. `\d`
# would also take full-width and Arabic-Indic digits, which look alike but never match.
CASE_REF = re.compile(r"[A-Z][0-9]{6}")


def is_case_ref(text: str) -> bool:
    return CASE_REF.fullmatch(text) is not None


CASE_STATUSES = ("not_started", "draft", "complete", "reviewed", "returned")
# "reviewed" is the stored value; people read "Quality assured" (2.4 is Reviewing).
STATUS_LABELS = {
    "not_started": "Not started",
    "draft": "Draft",
    "complete": "Complete",
    "reviewed": "Quality assured",
    "returned": "Returned",
}
INTERVIEW_KINDS = ("officer", "person", "manager", "staff_group", "partner")
INTERVIEW_KIND_LABELS = {
    "officer": "Responsible officer",
    "person": "Person on probation",
    "manager": "Manager",
    "staff_group": "Staff focus group",
    "partner": "Partner agency",
}
FINDING_KINDS = ("strength", "improvement")
EVIDENCE_KINDS = ("meeting", "focus_group", "manager", "partner", "document", "other")
EVIDENCE_KIND_LABELS = {
    "meeting": "Meeting",
    "focus_group": "Focus group",
    "manager": "Interview with a manager",
    "partner": "Interview with a partner agency",
    "document": "Document",
    "other": "Other evidence",
}
REPORT_TEXT_PARTS = ("foreword", "overall_findings", "background")

_NS = uuid.UUID("6f1c2a9e-2b0c-4a8e-9d7e-5a2f0c1b3d4e")


def new_id() -> str:
    """A fresh row id for something a person creates."""
    return uuid.uuid4().hex


def natural_id(entity: str, *key: str) -> str:
    """The UUID5 row id of an answer, tag or link, so two laptops meet on it."""
    return uuid.uuid5(_NS, "\x1f".join((entity, *key))).hex


def check_value(kind: str, value: Any) -> bool:
    """Whether `value` is acceptable for a field of this kind."""
    if kind == BOOL:
        return isinstance(value, bool)
    if value is None:
        return True
    if kind == TEXT:
        return isinstance(value, str) and is_text(value)
    if kind == INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == REF:
        return isinstance(value, str) and len(value) == 32 and _is_hex(value)
    if kind == TEXTLIST:
        return isinstance(value, list) and all(isinstance(v, str) and is_text(v) for v in value)
    if kind == JSON:
        return _is_answer_value(value)
    return False


def is_text(s: str) -> bool:
    """Whether `s` can be stored and written as UTF-8: no lone surrogate, such as an
    escaped "\\ud800" in a bundle or an undecodable byte in a command's argument."""
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _is_hex(s: str) -> bool:
    return all(c in "0123456789abcdef" for c in s)


def _is_answer_value(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, str):
        return is_text(value)
    if isinstance(value, (int, float)):
        return True
    return isinstance(value, list) and all(isinstance(v, str) and is_text(v) for v in value)
