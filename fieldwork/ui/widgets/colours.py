"""The colours screens use for statuses, ratings and errors: chosen to read on light and
dark palettes alike, and never the only sign (the text always says it too)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QColor

ERROR_COLOUR = "#d64545"

# A case's status, as a dot in the case table and in the review's header.
STATUS_COLOURS = {
    "not_started": QColor("#8a8f98"),
    "draft": QColor("#d08a00"),
    "complete": QColor("#2f7fd8"),
    "reviewed": QColor("#2e9e4f"),
    "returned": QColor(ERROR_COLOUR),
}

# The PDF's band colours (core/report/styles.py), highest band first, with text colours.
BAND_COLOURS = (("#2e7d32", "#ffffff"), ("#9ccc65", "#1a1a1a"), ("#ffb74d", "#1a1a1a"))
LOWEST_BAND = ("#e57373", "#1a1a1a")
NOT_RATED = ("#eeeeee", "#555555")


def status_colour(status: str) -> QColor:
    return STATUS_COLOURS.get(status, QColor("gray"))


def rating_colours(rating: str | None, bands: Sequence[str]) -> tuple[str, str]:
    """(background, text) for a rating by its place among the form's bands, high first."""
    if rating is None or rating not in bands:
        return NOT_RATED
    i = list(bands).index(rating)
    if i == len(bands) - 1:
        return LOWEST_BAND
    return BAND_COLOURS[min(i, len(BAND_COLOURS) - 1)]
