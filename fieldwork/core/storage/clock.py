"""Hybrid logical clock: timestamps that sort as strings and never go backwards.

Format "0001764105600123-0000": milliseconds since the epoch (16 digits), "-",
a counter (4 digits) that breaks ties within one millisecond.

The clock is bounded, as in Kulkarni et al. 2014 ("Logical physical clocks"): it never
follows a time more than `MAX_AHEAD_MS` ahead of this laptop's wall clock, whatever an
imported op or the log says, so one wrong clock (or a crafted op dated year 9999) cannot
drag every later edit on every laptop with it. Bundles holding new ops beyond that bound
are refused (storage/vetting.py). Every clock value shown to a person goes through
`hlc_text`, which never raises.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable

from fieldwork.core.errors import StoreError

HLC_RE = re.compile(r"^\d{16}-\d{4}$")
_MAX_COUNTER = 9999
_MAX_MS = 10**16 - 1
# How far ahead of this laptop's wall clock an op may be dated: one day covers time zones
# set wrong and laptops that drifted, and still stops a clock that is days or years out.
MAX_AHEAD_MS = 24 * 60 * 60 * 1000


def format_hlc(ms: int, counter: int) -> str:
    if not (0 <= ms <= _MAX_MS and 0 <= counter <= _MAX_COUNTER):
        raise ValueError(f"not a clock value: {ms}-{counter}")
    return f"{ms:016d}-{counter:04d}"


def parse_hlc(text: str) -> tuple[int, int]:
    if not isinstance(text, str) or not HLC_RE.match(text):
        raise ValueError(f"not a clock value: {text!r}")
    ms, counter = text.split("-")
    return int(ms), int(counter)


def hlc_ms(text: str | None) -> int | None:
    """The milliseconds of a clock value, or None when it is not one."""
    try:
        return parse_hlc(text)[0] if text else None
    except ValueError:
        return None


def wall_ms() -> int:
    return time.time_ns() // 1_000_000


def ms_datetime(ms: int | None, *, local: bool = False) -> dt.datetime | None:
    """A time in milliseconds as a datetime (UTC, or local time), or None when out of
    the range a datetime holds (before year 1, after year 9999)."""
    if ms is None:
        return None
    try:
        when = dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(milliseconds=ms)
        return when.astimezone() if local else when
    except (OverflowError, ValueError, OSError):
        return None


def ms_text(ms: int | None, fmt: str = "%Y-%m-%d %H:%M:%S UTC", *, local: bool = False) -> str:
    """A time in milliseconds for people; never raises, whatever the value."""
    if ms is None:
        return "-"
    when = ms_datetime(ms, local=local)
    if when is None:
        return "after the year 9999" if ms > 0 else "an impossible time"
    return when.strftime(fmt)


def hlc_text(hlc: str | None, fmt: str = "%Y-%m-%d %H:%M:%S UTC", *, local: bool = False) -> str:
    """A clock value as a time for people: '-' for none, and something readable rather
    than an error for a garbled value or one past the year 9999."""
    if not hlc:
        return "-"
    ms = hlc_ms(hlc)
    if ms is None:
        return f"an unreadable time ({str(hlc)[:24]!r})"
    return ms_text(ms, fmt, local=local)


def span_text(ms: int) -> str:
    """A length of time for people, to the nearest of its largest unit: '3 hours',
    '2 days', '7,980 years'."""
    minutes = ms / 60_000
    for size, unit in ((525_960, "year"), (1440, "day"), (60, "hour"), (1, "minute")):
        if minutes >= size:
            n = int(minutes / size + 0.5)
            return f"{n:,} {unit}{'s' if n != 1 else ''}"
    return "less than a minute"


class Clock:
    """The (ms, counter) of one laptop: the newest time it has written or followed.

    `now` is the wall clock in milliseconds (a parameter, so tests can skew it).
    """

    def __init__(self, last: str | None = None, now: Callable[[], int] = wall_ms) -> None:
        self.ms, self.counter = 0, 0
        self.now = now
        if last:
            self.observe(last)

    @property
    def last(self) -> str:
        return format_hlc(self.ms, self.counter)

    def limit_ms(self) -> int:
        """The latest time this clock follows or accepts: the wall clock plus the margin."""
        return min(self.now() + MAX_AHEAD_MS, _MAX_MS)

    def limit(self) -> str:
        """`limit_ms` as the greatest clock value of that millisecond (compare as text)."""
        return format_hlc(self.limit_ms(), _MAX_COUNTER)

    def tick(self) -> str:
        """The timestamp of a local write: max(wall, last), the counter bumped on a tie,
        and never past the bound (the counter carries into the milliseconds)."""
        wall = self.now()
        limit = min(wall + MAX_AHEAD_MS, _MAX_MS)
        if wall > self.ms:
            self.ms, self.counter = wall, 0
        elif self.ms > limit:
            # The wall clock went back by more than the margin since the last write here:
            # stay within the bound rather than keep stamping far ahead of it.
            self.ms, self.counter = limit, 0
        elif self.counter < _MAX_COUNTER:
            self.counter += 1
        elif self.ms < limit:
            # Counter exhausted within one millisecond: carry into the next millisecond.
            self.ms, self.counter = self.ms + 1, 0
        else:  # 10,000 writes in the last millisecond of the bound: cannot be sane
            raise StoreError("The clock cannot go further ahead of this laptop's time.")
        return self.last

    def observe(self, hlc: str | None) -> bool:
        """Move forward to at least an op's time, so later local writes sort after it.

        A value that is not a clock value, or more than the margin ahead of the wall
        clock, is not followed: returns False for it.
        """
        try:
            ms, counter = parse_hlc(hlc or "")
        except ValueError:
            return False
        if ms > self.limit_ms():
            return False
        if (ms, counter) > (self.ms, self.counter):
            self.ms, self.counter = ms, counter
        return True
