"""Whether an interview's words may leave the team: the one consent rule.

A person on probation is quoted only with their recorded consent. Staff, managers and
partners speak in their professional role, so their interviews need no consent. Every
output meant for people outside the team (the draft findings PDF, CSV/XLSX exports for
headquarters, REFI-QDA exports for analysts) asks this one function.
"""

from __future__ import annotations

from typing import Any

# Interview kinds whose words may be used only with the interviewee's consent.
NEEDS_CONSENT = frozenset({"person"})


def may_quote(interview: Any) -> bool:
    """Whether quotes and notes from this interview may appear outside the team."""
    return interview.kind not in NEEDS_CONSENT or bool(interview.consent)


def unusable_reason(interview: Any) -> str | None:
    """Why the interview's quotes cannot be used in the report, in the user's words."""
    if may_quote(interview):
        return None
    return "No consent recorded: not used in the report or exports."
