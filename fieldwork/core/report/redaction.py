"""Blanking people's names and case references in free text that leaves the team.

Redaction works from what the file knows: every name of every person in it (team
members, responsible officers), in full and by each part of three letters or more, and
anything shaped like a case reference whatever its spacing or punctuation
("X 908172", "CRN_X908172", "x-908-172", "X908172a").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

REDACTED = "[name removed]"
CASE = "[case]"
# A letter, then six ASCII digits, run together or in 3+3 / 2+2+2 groups, with at most two
# separators after the letter. A date (2015-06-01) has no such shape.
CASE_REF_RE = re.compile(
    r"[A-Za-z][\s_\-./:#]{0,2}(?:[0-9]{6}|[0-9]{3}[\s\-.][0-9]{3}|[0-9]{2}[\s\-.][0-9]{2}[\s\-.][0-9]{2})(?![0-9])"
)
# Parts of names that are also everyday words: redacted only when written with a capital.
EVERYDAY = frozenset(
    [
        "will",
        "mark",
        "rose",
        "hope",
        "grace",
        "may",
        "june",
        "april",
        "bill",
        "green",
        "brown",
        "white",
        "black",
        "young",
        "king",
        "hill",
        "wood",
        "ward",
        "long",
        "small",
        "rich",
        "page",
        "hall",
        "bird",
        "stone",
        "mason",
        "baker",
        "cook",
        "price",
        "lane",
        "day",
        "love",
        "faith",
        "joy",
        "dawn",
        "sky",
        "summer",
        "hunter",
        "carter",
        "fisher",
        "mills",
        "parsons",
        "person",
        "probation",
    ]
)
_PART_SPLIT = re.compile(r"[\s\-'’.]+")


class Redactor:
    """Blanks known names and case-reference-shaped words in free text."""

    def __init__(self, names: Iterable[str | None]) -> None:
        full: set[str] = set()
        parts: set[str] = set()
        for name in names:
            name = " ".join((name or "").split())
            if len(name) < 3:
                continue
            full.add(name)
            parts.update(p for p in _PART_SPLIT.split(name) if len(p) >= 3)
        anywhere = sorted(full | {p for p in parts if p.casefold() not in EVERYDAY}, key=len)
        capital = sorted({p for p in parts if p.casefold() in EVERYDAY}, key=len)
        self._anywhere = _words(reversed(anywhere), re.IGNORECASE)
        # An everyday word is a name only when capitalised: "Will" but not "will".
        self._capital = _words((p[0].upper() + p[1:] for p in reversed(capital)), 0)

    def substitutions(self) -> list[tuple[re.Pattern[str], str]]:
        """(pattern, replacement) in the order they apply: io/text_edits.py follows a
        quote's position through each of them."""
        subs = [(CASE_REF_RE, CASE)]
        subs += [(p, REDACTED) for p in (self._anywhere, self._capital) if p is not None]
        return subs

    def __call__(self, text: str) -> str:
        for pattern, replacement in self.substitutions():
            text = pattern.sub(replacement, text)
        return text


def _words(words: Iterable[str], flags: int) -> re.Pattern[str] | None:
    listed = [re.escape(w) for w in words]
    if not listed:
        return None
    # Whole words only: "Owen" is a name in "Owen's" but not in "Owens".
    return re.compile(r"(?<!\w)(?:" + "|".join(listed) + r")(?!\w)", flags)
