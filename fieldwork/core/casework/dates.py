"""Dates the way people type and read them: stored ISO (`2015-09-21`), shown the UK way
(`21 Sep 2015`), typed in any of the forms an inspector uses.

`parse_date` takes `2015-09-21`, `21/09/2015`, `21/9/15`, `21-09-2015`, `21.09.2015` and
`21 Sep 2015` (or `21 September 2015`); day before month, as in the UK. `show_date`
turns a stored date into the one form every screen shows.
"""

from __future__ import annotations

import datetime as dt
import re

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_FULL = ("January", "February", "March", "April", "May", "June", "July", "August",
         "September", "October", "November", "December")  # fmt: skip
_MONTH_NAMES = {
    n.casefold(): i for i, names in enumerate(zip(MONTHS, _FULL, strict=True), 1) for n in names
}
_MONTH_NAMES["sept"] = 9
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})")
_WORDS = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})")
HINT = "a date such as 21/09/2015 or 2015-09-21"


def parse_date(text: str) -> str:
    """The ISO date `text` names, or ValueError with a one-line reason."""
    raw = " ".join(text.split())
    day = month = year = None
    if m := _ISO.fullmatch(raw):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := _NUMERIC.fullmatch(raw):
        day, month, year = int(m[1]), int(m[2]), _full_year(m[3])
    elif m := _WORDS.fullmatch(raw):
        found = _MONTH_NAMES.get(m[2].casefold())
        if found is None:
            raise ValueError(f"{m[2]!r} is not a month: enter {HINT}.")
        day, month, year = int(m[1]), found, int(m[3])
    if day is None or month is None or year is None:
        shown = raw if len(raw) <= 40 else raw[:37] + "..."
        raise ValueError(f"{shown!r} is not a date: enter {HINT}.")
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        raise ValueError(f"{raw} is not a day of the calendar.") from None


def _full_year(text: str) -> int:
    """A two-digit year is this century's unless that is more than ten years ahead."""
    if len(text) == 4:
        return int(text)
    year = 2000 + int(text)
    return year if year <= dt.date.today().year + 10 else year - 100


def show_date(value: str | None, empty: str = "") -> str:
    """A stored date as people read it: `21 Sep 2015`. Anything not a date is shown as is."""
    if not value:
        return empty
    try:
        day = dt.date.fromisoformat(value[:10])
    except ValueError:
        return value
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def show_datetime(value: str | None, empty: str = "") -> str:
    """A stored time (`2016-03-08T18:02:11`) as `8 Mar 2016 18:02`."""
    if not value:
        return empty
    try:
        when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if when.tzinfo is not None:
        when = when.astimezone()  # as the clock on this laptop reads
    return f"{show_date(when.date().isoformat())} {when:%H:%M}"


def show_range(start: str | None, end: str | None, empty: str = "") -> str:
    """`21 Sep 2015 to 2 Oct 2015`, or the one date there is."""
    if start and end:
        return f"{show_date(start)} to {show_date(end)}"
    return show_date(start or end, empty)
