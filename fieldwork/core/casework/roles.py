"""Who is who in the team: the roles a member can hold, in words, and who reviews cases.

The lead, inspectors and local assessors review cases: they have progress bars, cases
are allotted to them, and they are the team the report counts. Headquarters (added with
`fieldwork recipients add`) only receives bundles: it is a recipient, not an inspector.
A member with no role recorded (an older file) is taken for an inspector.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from fieldwork.core.model import Member

LEAD, INSPECTOR, LOCAL_ASSESSOR, HEADQUARTERS = (
    "lead",
    "inspector",
    "local_assessor",
    "headquarters",
)
REVIEWING_ROLES = (LEAD, INSPECTOR, LOCAL_ASSESSOR)
ROLE_WORDS = {
    LEAD: "Lead inspector",
    INSPECTOR: "Inspector",
    LOCAL_ASSESSOR: "Local assessor",
    HEADQUARTERS: "Headquarters",
}
_PLURALS = {
    LEAD: "lead inspectors",
    INSPECTOR: "inspectors",
    LOCAL_ASSESSOR: "local assessors",
    HEADQUARTERS: "headquarters",
}


def role_of(member: Member) -> str:
    """The member's role, an unrecorded one read as inspector."""
    return (member.role or INSPECTOR).strip().lower() or INSPECTOR


def role_words(role: str | None) -> str:
    """`lead` -> `Lead inspector`; a role this release does not know is shown as written."""
    key = (role or INSPECTOR).strip().lower() or INSPECTOR
    return ROLE_WORDS.get(key, key.replace("_", " ").capitalize())


def reviews_cases(member: Member) -> bool:
    """Whether cases can be allotted to this member (not headquarters, not a recipient)."""
    return role_of(member) in REVIEWING_ROLES


def reviewers(members: Iterable[Member]) -> list[Member]:
    """The members who review cases, in the order given."""
    return [m for m in members if reviews_cases(m)]


def team_size(members: Iterable[Member]) -> int:
    """How many people inspected: the lead, inspectors and local assessors."""
    return len(reviewers(members))


def team_words(members: Sequence[Member]) -> str:
    """`1 lead inspector, 5 inspectors and 1 local assessor` (headquarters left out)."""
    counts: dict[str, int] = {}
    for m in reviewers(members):
        counts[role_of(m)] = counts.get(role_of(m), 0) + 1
    parts = []
    for role in REVIEWING_ROLES:
        n = counts.get(role, 0)
        if n:
            parts.append(f"{n} {ROLE_WORDS[role].lower() if n == 1 else _PLURALS[role]}")
    if not parts:
        return "nobody yet"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def name_with_role(member: Member) -> str:
    """`Siân Llŷr-Evans (lead inspector)`; inspectors, the usual case, by name alone."""
    role = role_of(member)
    if role == INSPECTOR:
        return member.name
    return f"{member.name} ({role_words(role).lower()})"
