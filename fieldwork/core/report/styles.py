"""Fonts, paragraph styles, rating colours and the text-escaping rule for the PDFs.

Every piece of user text reaches reportlab markup through `esc`, so `<`, `&`
and `<img src=...>` print literally and nothing is fetched or embedded.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from fieldwork.core import data
from fieldwork.core.errors import FieldworkError

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_FILES = {FONT: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf"}

INK = colors.HexColor("#1b1b1b")
MUTED = colors.HexColor("#5a5a5a")
ACCENT = colors.HexColor("#1d4f73")
RULE = colors.HexColor("#b8c4ce")
HEADER_BG = colors.HexColor("#e6ecf1")
NULL_BG = colors.HexColor("#eeeeee")
# Highest band first; a form with more bands than colours reuses the last.
BAND_COLOURS = (
    colors.HexColor("#2e7d32"),
    colors.HexColor("#9ccc65"),
    colors.HexColor("#ffb74d"),
    colors.HexColor("#e57373"),
)
BAND_TEXT = (colors.white, INK, INK, INK)
ORG_COLOURS = (
    colors.HexColor("#1d4f73"),
    colors.HexColor("#e08a2e"),
    colors.HexColor("#6a9f3a"),
    colors.HexColor("#8e5ea2"),
    colors.HexColor("#c0504d"),
)


@cache
def register_fonts() -> None:
    """Register DejaVu Sans (regular and bold) once per process."""
    from reportlab.lib.fonts import addMapping

    fonts = data.resources_dir() / "fonts"
    for name, file in FONT_FILES.items():
        path = fonts / file
        if not path.is_file():
            raise FieldworkError(f"the report font is missing: {path}")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    # No oblique face shipped: italic falls back to the upright faces.
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)
    addMapping(FONT, 0, 1, FONT)
    addMapping(FONT, 1, 1, FONT_BOLD)


def esc(text: object) -> str:
    """User text made safe for Paragraph markup; line breaks kept."""
    if text is None:
        return ""
    s = escape(str(text))
    return "<br/>".join(s.splitlines()) if "\n" in s or "\r" in s else s


@cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle(
        "body", fontName=FONT, fontSize=9.5, leading=13, textColor=INK, spaceAfter=4
    )

    def derive(name: str, **kw: object) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    return {
        "body": base,
        "small": derive("small", fontSize=8, leading=10.5, textColor=MUTED),
        "cell": derive("cell", fontSize=8.5, leading=10.5, spaceAfter=0),
        "cell_bold": derive(
            "cell_bold", fontName=FONT_BOLD, fontSize=8.5, leading=10.5, spaceAfter=0
        ),
        "cell_centre": derive(
            "cell_centre", fontSize=8.5, leading=10.5, spaceAfter=0, alignment=TA_CENTER
        ),
        "h1": derive(
            "h1",
            fontName=FONT_BOLD,
            fontSize=17,
            leading=21,
            textColor=ACCENT,
            spaceBefore=14,  # dropped at the top of a page
            spaceAfter=8,
        ),
        "h2": derive(
            "h2",
            fontName=FONT_BOLD,
            fontSize=12,
            leading=15,
            textColor=ACCENT,
            spaceBefore=10,
            spaceAfter=4,
        ),
        "h3": derive(
            "h3", fontName=FONT_BOLD, fontSize=10, leading=13, spaceBefore=6, spaceAfter=2
        ),
        "lead": derive("lead", fontSize=10.5, leading=14.5, textColor=MUTED, spaceAfter=8),
        "bullet": derive("bullet", leftIndent=12, bulletIndent=2, spaceAfter=3),
        "quote": derive(
            "quote", leftIndent=22, textColor=MUTED, fontSize=9, leading=12, spaceAfter=3
        ),
        "cover_title": derive(
            "cover_title",
            fontName=FONT_BOLD,
            fontSize=26,
            leading=32,
            textColor=ACCENT,
            spaceAfter=14,
        ),
        "cover_sub": derive("cover_sub", fontSize=14, leading=19, spaceAfter=6),
        "toc0": derive("toc0", fontName=FONT_BOLD, fontSize=10, leading=15, leftIndent=0),
        "toc1": derive("toc1", fontSize=9.5, leading=13, leftIndent=14),
        "rec": derive("rec", leftIndent=22, bulletIndent=0, spaceAfter=6),
    }


def band_colour(rating: str | None, ratings_high_first: Sequence[str]) -> tuple[object, object]:
    """(background, text) colours for a rating, by its position among the form's bands."""
    if rating is None or rating not in ratings_high_first:
        return NULL_BG, MUTED
    i = min(list(ratings_high_first).index(rating), len(BAND_COLOURS) - 1)
    return BAND_COLOURS[i], BAND_TEXT[i]


def org_colour(i: int) -> object:
    return ORG_COLOURS[i % len(ORG_COLOURS)]


PAGE_MARGIN = 20 * mm
