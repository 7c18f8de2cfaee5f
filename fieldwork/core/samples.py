"""Honesty about small samples: a key question judged on fewer applicable cases than the
method's minimum is marked "based on 6 cases" wherever its rating shows, and a standard
or overall rating that rests on one is not shown in its band's colour as if it were firm.

The minimum is the method's `min_cases` when it sets one, else MIN_CASES; the ratings
carry it (`Ratings.min_cases`). Pure: works on the results of core/scoring.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

MIN_CASES = 10


def minimum_cases(form: Any) -> int:
    """The fewest applicable cases a firm result needs, from the method (or the ratings,
    which carry the method's) if set."""
    for source in (getattr(form, "rating", None), form):
        found = getattr(source, "min_cases", None)
        if isinstance(found, int) and not isinstance(found, bool) and found > 0:
            return found
    return MIN_CASES


def based_on(n: int) -> str:
    """`based on 1 case`, `based on 6 cases`."""
    return f"based on {n} case" if n == 1 else f"based on {n} cases"


def is_small(applicable: int, minimum: int) -> bool:
    """A result there is (some case applies) but on fewer cases than the minimum."""
    return 0 < applicable < minimum


def smallest(key_questions: Iterable[Any], minimum: int) -> int | None:
    """The fewest applicable cases among the rated key questions that fall short of the
    minimum (what a standard's rating rests on), or None when every one is firm."""
    short = [k.applicable for k in key_questions if is_small(k.applicable, minimum)]
    return min(short) if short else None


def standard_note(standard: Any, minimum: int) -> str | None:
    """`based on 6 cases` when the standard's rating rests on a small sample, else None."""
    if getattr(standard, "rating", None) is None:
        return None
    n = smallest(standard.key_questions, minimum)
    return None if n is None else based_on(n)


def overall_note(standards: Iterable[Any], minimum: int) -> str | None:
    """A note for an overall rating that rests on a standard with a small sample."""
    short = [n for s in standards if (n := smallest(s.key_questions, minimum)) is not None]
    if not short:
        return None
    return f"some standards rest on fewer than {minimum} cases (the fewest: {min(short)})"
