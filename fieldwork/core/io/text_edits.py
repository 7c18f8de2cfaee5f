"""Editing a text while keeping track of where its passages went.

An exported interview's notes get LF line endings and the draft report's redaction
(report/redaction.py: case-reference-shaped words, then known names). Both change lengths,
so a quote's start and end are carried through each edit: a boundary inside a replaced
span moves to the edge of its replacement, so the passage still covers it whole.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from fieldwork.core.report.redaction import Redactor

_LINE_END = re.compile(r"\r\n?")


class Edit:
    """`text` with non-overlapping (start, end, replacement) edits applied."""

    def __init__(self, text: str, edits: Iterable[tuple[int, int, str]]) -> None:
        self.spans = sorted(edits)
        parts, last, shift = [], 0, 0
        self._starts: list[int] = []
        self._shift_after: list[int] = []  # total length change once past each edit
        self._new: list[tuple[int, int]] = []
        for start, end, replacement in self.spans:
            parts += [text[last:start], replacement]
            new_start = start + shift
            shift += len(replacement) - (end - start)
            self._starts.append(start)
            self._shift_after.append(shift)
            self._new.append((new_start, new_start + len(replacement)))
            last = end
        parts.append(text[last:])
        self.text = "".join(parts)

    def _locate(self, pos: int) -> tuple[int, int]:
        """(index of the last edit starting before pos, or -1; the shift before pos)."""
        i = bisect.bisect_left(self._starts, pos) - 1
        return i, (self._shift_after[i] if i >= 0 else 0)

    def start(self, pos: int) -> int:
        i, shift = self._locate(pos)
        if i >= 0 and pos < self.spans[i][1]:
            return self._new[i][0]  # inside a replaced span: from its replacement's start
        return pos + shift

    def end(self, pos: int) -> int:
        i, shift = self._locate(pos)
        if i >= 0 and pos < self.spans[i][1]:
            return self._new[i][1]  # inside a replaced span: to its replacement's end
        return pos + shift


def _matches(pattern: re.Pattern[str] | None, text: str, replacement: str) -> Edit:
    found = [] if pattern is None else pattern.finditer(text)
    return Edit(text, ((m.start(), m.end(), replacement) for m in found if m.end() > m.start()))


class Cleaned:
    """Notes with LF line endings and redacted as the draft report does, with a map from
    positions in the original notes to positions in the result."""

    def __init__(self, text: str, names: Iterable[str | None]) -> None:
        stages = [_matches(_LINE_END, text, "\n")]
        for pattern, replacement in Redactor(names).substitutions():
            stages.append(_matches(pattern, stages[-1].text, replacement))
        self.stages = tuple(stages)
        self.text = stages[-1].text

    def span(self, start: int, end: int) -> tuple[int, int]:
        for stage in self.stages:
            start, end = stage.start(start), stage.end(end)
        return start, end
