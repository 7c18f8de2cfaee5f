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


# ------------------------------------------------------------------ contrast (WCAG 2.2)

TEXT_CONTRAST = 4.5  # WCAG 2.2 AA, 1.4.3: normal text against its background


def luminance(colour: QColor) -> float:
    """Relative luminance, as WCAG defines it."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    """The contrast ratio of two colours, 1 to 21."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable(wanted: QColor, background: QColor, strongest: QColor) -> QColor:
    """`wanted` (a grey for muted text, a red for errors, a status colour), moved just
    far enough towards `strongest` (the palette's text colour) to be read on
    `background`: the same hue on light and dark palettes, never too faint."""
    colour = QColor(wanted)
    if colour.alpha() < 255:  # a translucent colour is seen over the background
        a = colour.alphaF()
        colour = QColor.fromRgbF(
            colour.redF() * a + background.redF() * (1 - a),
            colour.greenF() * a + background.greenF() * (1 - a),
            colour.blueF() * a + background.blueF() * (1 - a),
        )
    start = QColor(colour)
    step = 0
    while contrast(colour, background) < TEXT_CONTRAST + 0.05 and step < 20:
        step += 1
        t = step / 20
        colour = QColor.fromRgbF(
            start.redF() * (1 - t) + strongest.redF() * t,
            start.greenF() * (1 - t) + strongest.greenF() * t,
            start.blueF() * (1 - t) + strongest.blueF() * t,
        )
    return colour
