"""Small building blocks shared by the findings report's sections."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table, TableStyle

from fieldwork.core.casework.dates import show_range
from fieldwork.core.report.document import mark_heading
from fieldwork.core.report.styles import HEADER_BG, NULL_BG, RULE, band_colour, esc, styles

CONTENT_WIDTH = 170 * mm


def h1(text: str, key: str) -> Paragraph:
    return mark_heading(Paragraph(esc(text), styles()["h1"]), text, 0, key)


def h2(text: str, key: str, toc: bool = True) -> Paragraph:
    return mark_heading(Paragraph(esc(text), styles()["h2"]), text, 1, key, toc=toc)


def dates(start: str | None, end: str | None) -> str:
    return show_range(start, end, "dates not recorded")


def table(rows: list[list[Any]], widths: Sequence[float], extra: Sequence[tuple] = ()) -> Table:
    t = Table(rows, colWidths=list(widths), repeatRows=1)
    t.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
                ("GRID", (0, 0), (-1, -1), 0.4, RULE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                *extra,
            ]
        )
    )
    return t


def in_colour(markup: str, colour: Any) -> str:
    """Markup drawn in `colour` (a Paragraph ignores the table's TEXTCOLOR)."""
    return f'<font color="#{colour.hexval()[2:]}">{markup}</font>'


def rating_cell(rating: str | None, colour: Any) -> Paragraph:
    return Paragraph(in_colour(esc(rating or "Not rated"), colour), styles()["cell_centre"])


def rating_shown(rating: str | None, note: str | None, names: Sequence[str]) -> tuple[Any, Any]:
    """(cell, background) for a rating: in its band's colour when firm; when it rests on
    a small sample (`note`, "based on 6 cases"), plain and italic with the note under it."""
    if note and rating:
        text = f"<i>{esc(rating)}</i><br/><font size='7'>{esc(note)}</font>"
        return Paragraph(text, styles()["cell_centre"]), NULL_BG
    bg, fg = band_colour(rating, names)
    return rating_cell(rating, fg), bg
