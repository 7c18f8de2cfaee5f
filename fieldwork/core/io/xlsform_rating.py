"""The `fieldwork` sheet of an XLSForm: our rating rules and glossary, both ways.

XLSForm has no place for how key questions are rated, so an exported form carries a
sheet of its own that pyxform and ODK ignore:

| kind | name | value | points |
|---|---|---|---|
| suggest | all, majority or threshold | the threshold % (threshold only) | |
| band | Outstanding | 80 (lowest % for the band) | 3 |
| standard_rule | lowest | | |
| overall_band | Outstanding | 11 (lowest total points) | |
| glossary | the term | its meaning | |

A workbook without the sheet gets the default rating below, with a warning.
"""

from __future__ import annotations

from typing import Any

from fieldwork.core.forms.loader import Form
from fieldwork.core.io.xlsform_columns import Columns, RowView, text
from fieldwork.core.io.xlsform_sheets import Sheet

SHEET = "fieldwork"
HEADER = ("kind", "name", "value", "points")


def default_rating() -> dict[str, Any]:
    """Without a fieldwork sheet: prompts suggest a judgement when all are met. Ratings
    are the inspection method's business (fieldwork/methods), not the form's."""
    return {"suggest": {"rule": "all"}, "bands": [], "overall_bands": []}


def _number(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int | float):
        return value
    s = text(value)
    if s is None:
        return None
    try:
        return int(s)
    except ValueError:
        try:
            return float(s)
        except ValueError:
            return s


def read_rating(sheet: Sheet, path: str) -> tuple[dict[str, Any], list[dict[str, Any]], int]:
    """(rating, glossary, header row) from the sheet, each item with its `_row`;
    a row of an unknown kind is refused."""
    cols = Columns(sheet, SHEET, path)
    rating: dict[str, Any] = {"bands": [], "overall_bands": []}
    glossary: list[dict[str, Any]] = []
    for number, cells in sheet.rows:
        row = RowView(number, cells, cols, None)
        kind, name = row.get("kind"), row.get("name")
        value = _number(row.raw("value"))
        if kind is None:
            continue
        kind = kind.lower()
        if kind == "suggest":
            rating["suggest"] = {"rule": name, "_row": number}
            if value is not None:
                rating["suggest"]["value"] = value
        elif kind == "band":
            points = _number(row.raw("points"))
            rating["bands"].append({"rating": name, "min": value, "points": points, "_row": number})
        elif kind == "standard_rule":
            rating["standard_rule"] = name
        elif kind == "overall_band":
            rating["overall_bands"].append({"rating": name, "min_points": value, "_row": number})
        elif kind == "glossary":
            glossary.append({"term": name, "meaning": text(row.raw("value")), "_row": number})
        else:
            raise row.fail("kind", f"unknown kind {kind!r} (use {', '.join(HEADER_KINDS)})")
    return rating, glossary, sheet.header_row


HEADER_KINDS = ("suggest", "band", "standard_rule", "overall_band", "glossary")


def rating_rows(form: Form) -> list[tuple[Any, ...]]:
    """The sheet's rows (header first) for an export."""
    r = form.rating
    rows: list[tuple[Any, ...]] = [HEADER]
    rows.append(("suggest", r.suggest_rule, r.suggest_threshold, None))
    if r.bands:  # a release-0.1.0 form's own rating rules; today the method holds them
        rows += [("band", b.rating, b.min, b.points) for b in r.bands]
        rows.append(("standard_rule", r.standard_rule, None, None))
        rows += [("overall_band", b.rating, b.min_points, None) for b in r.overall_bands]
    rows += [("glossary", g.term, g.meaning, None) for g in form.glossary]
    return rows
