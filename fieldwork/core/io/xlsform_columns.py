"""XLSForm column headers and cells: names, languages and the language a form keeps.

Headers are matched without regard to case (`TYPE`, `Label`), with the spellings the
spec and older forms use (`list name`, `label:english`, `bind:relevant`,
`jr:constraintMsg`). A translatable column carries its language after `::`
(`label::English (en)`); the form keeps one language: the settings' default_language,
else the untranslated column, else the first language of the survey's labels.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from fieldwork.core.io.xlsform_sheets import Sheet, XLSFormError

TRANSLATABLE = frozenset(
    {"label", "hint", "constraint_message", "required_message", "image", "audio", "video"}
)
NAMESPACES = frozenset({"media", "bind", "body", "instance", "fieldwork", "jr", "odk"})
ALIASES = {
    "list name": "list_name",
    "caption": "label",
    "bind::relevant": "relevant",
    "bind::constraint": "constraint",
    "bind::required": "required",
    "bind::calculate": "calculation",
    "bind::readonly": "read_only",
    "bind::jr:constraintmsg": "constraint_message",
    "jr:constraintmsg": "constraint_message",
    "constraint message": "constraint_message",
    "requiredmsg": "required_message",
    "required message": "required_message",
    "readonly": "read_only",
    "read only": "read_only",
    "choice filter": "choice_filter",
    "repeat count": "repeat_count",
}


def column_letter(index: int) -> str:
    """0-based column index as Excel letters (0 -> A, 26 -> AA)."""
    letters, n = "", index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def text(value: Any) -> str | None:
    """A cell as text (None when empty): 12.0 reads as 12, dates as YYYY-MM-DD."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    s = str(value).strip()
    return s or None


@dataclass(frozen=True)
class Column:
    index: int
    raw: str
    key: str  # e.g. "label", "relevant", "fieldwork::id", "media::image"
    lang: str | None  # as written, e.g. "English (en)"


def parse_header(raw: str) -> tuple[str, str | None]:
    """(key, language) of a header cell."""
    raw = " ".join(raw.split())
    if "::" in raw:
        parts = raw.split("::")
        if parts[0].lower() in NAMESPACES and len(parts) > 1:
            key, rest = "::".join(parts[:2]).lower(), parts[2:]
        else:
            key, rest = parts[0].lower(), parts[1:]
        lang = "::".join(rest).strip() or None
    elif ":" in raw:
        head, tail = raw.split(":", 1)
        if head.lower() in TRANSLATABLE:
            key, lang = head.lower(), tail.strip() or None
        elif head.lower() == "bind":
            key, lang = "bind::" + tail.lower(), None
        else:
            key, lang = raw.lower(), None
    else:
        key, lang = raw.lower(), None
    return ALIASES.get(key, key), lang


class Columns:
    """The header of one sheet: which column holds what, in which language."""

    def __init__(self, sheet: Sheet, name: str, path: str) -> None:
        self.sheet, self.name, self.path = sheet, name, path
        self.columns: list[Column] = []
        seen: dict[tuple[str, str | None], Column] = {}
        for index, cell in enumerate(sheet.header):
            raw = text(cell)
            if raw is None:
                continue
            key, lang = parse_header(raw)
            ident = (key, lang.lower() if lang else None)
            if ident in seen:
                raise self.fail(
                    sheet.header_row,
                    f"column {column_letter(index)}",
                    f"the column {raw!r} appears twice (also column "
                    f"{column_letter(seen[ident].index)})",
                )
            seen[ident] = Column(index, raw, key, lang)
            self.columns.append(seen[ident])
        self.by_key: dict[str, list[Column]] = {}
        for c in self.columns:
            self.by_key.setdefault(c.key, []).append(c)

    def fail(self, row: int, column: int | str | None, reason: str) -> XLSFormError:
        return refusal(self.path, self.name, row, self.label(column), reason)

    def label(self, column: int | str | None) -> str | None:
        if isinstance(column, int):
            for c in self.columns:
                if c.index == column:
                    return c.raw
            return column_letter(column)
        return column

    def has(self, key: str) -> bool:
        return key in self.by_key

    def languages(self, key: str = "label") -> list[str | None]:
        return [c.lang for c in self.by_key.get(key, [])]


def refusal(
    path: str, sheet: str, row: int | None, column: str | None, reason: str
) -> XLSFormError:
    where = f"{sheet} row {row}" if row else sheet
    if column:
        where += f", {column}"
    return XLSFormError(f"{path}: {where}: {reason}")


def choose_language(
    default: str | None, survey: Sequence[str | None], choices: Sequence[str | None]
) -> str | None:
    """The language the imported form keeps (None: the untranslated columns)."""
    found = [*survey, *choices]
    if default:
        for lang in found:
            if lang and lang.lower() == default.lower():
                return lang
    if None in survey or (not survey and None in choices):
        return None
    return next((lang for lang in found if lang), None)


class RowView:
    """One row of a sheet, read through its Columns in the chosen language."""

    def __init__(self, number: int, cells: Sequence[Any], columns: Columns, lang: str | None):
        self.number, self.cells, self.columns, self.lang = number, cells, columns, lang

    def raw(self, key: str) -> Any:
        for c in self.columns.by_key.get(key, []):
            if c.lang is None and c.index < len(self.cells):
                return self.cells[c.index]
        return None

    def get(self, key: str) -> str | None:
        return text(self.raw(key))

    def column(self, key: str) -> str:
        """The header as written, for messages (`label::English (en)`)."""
        cols = self.columns.by_key.get(key, [])
        chosen = [c for c in cols if c.lang == self.lang] or [c for c in cols if c.lang is None]
        return (chosen or cols)[0].raw if (chosen or cols) else key

    def translated(self, key: str) -> str | None:
        """In the form's language, else untranslated, else the first language that has it."""
        cols = self.columns.by_key.get(key, [])
        order = [c for c in cols if c.lang == self.lang]
        order += [c for c in cols if c.lang is None and c not in order]
        order += [c for c in cols if c not in order]
        for c in order:
            value = text(self.cells[c.index]) if c.index < len(self.cells) else None
            if value is not None:
                return value
        return None

    def filled(self, key: str) -> bool:
        """Whether any column of this key (any language) holds something on this row."""
        return any(
            c.index < len(self.cells) and text(self.cells[c.index]) is not None
            for c in self.columns.by_key.get(key, [])
        )

    def fail(self, key: str | None, reason: str) -> XLSFormError:
        return self.columns.fail(self.number, self.column(key) if key else None, reason)
