"""Hybrid logical clock: timestamps that sort as strings and never go backwards.

Format "0001764105600123-0000": milliseconds since the epoch (16 digits), "-",
a counter (4 digits) that breaks ties within one millisecond.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

HLC_RE = re.compile(r"^\d{16}-\d{4}$")
_MAX_COUNTER = 9999


def format_hlc(ms: int, counter: int) -> str:
    return f"{ms:016d}-{counter:04d}"


def parse_hlc(text: str) -> tuple[int, int]:
    if not HLC_RE.match(text):
        raise ValueError(f"not a clock value: {text!r}")
    ms, counter = text.split("-")
    return int(ms), int(counter)


def wall_ms() -> int:
    return time.time_ns() // 1_000_000


class Clock:
    """The persisted (ms, counter) of one laptop; the store saves `last` with each write."""

    def __init__(self, last: str | None = None, now: Callable[[], int] = wall_ms) -> None:
        self.ms, self.counter = parse_hlc(last) if last else (0, 0)
        self._now = now

    @property
    def last(self) -> str:
        return format_hlc(self.ms, self.counter)

    def tick(self) -> str:
        """The timestamp of a local write: max(wall, last), the counter bumped on a tie."""
        wall = self._now()
        if wall > self.ms:
            self.ms, self.counter = wall, 0
        elif self.counter < _MAX_COUNTER:
            self.counter += 1
        else:
            # Counter exhausted within one millisecond: borrow the next millisecond.
            self.ms, self.counter = self.ms + 1, 0
        return self.last

    def observe(self, hlc: str) -> None:
        """Move forward to at least an imported op's time, so later local writes sort after it."""
        ms, counter = parse_hlc(hlc)
        if (ms, counter) > (self.ms, self.counter):
            self.ms, self.counter = ms, counter
