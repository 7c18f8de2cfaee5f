"""XLSForm's question types and what each becomes here, and the import's working values.

Types are matched without regard to case or to `_` versus a space (`begin group`,
`select one from yes_or_no`, the spec's and older spellings alike).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from fieldwork.core.forms.loader import FORM_ID
from fieldwork.core.io.xlsform_rating import SHEET as RATING_SHEET

KNOWN_SHEETS = ("survey", "choices", "settings", RATING_SHEET)
OTHER_SPEC_SHEETS = ("external_choices", "entities", "osm")
YES_NO = {frozenset({"yes", "no"}): "yes_no", frozenset({"yes", "no", "na"}): "yes_no_na"}
SIMPLE = {"text": "text", "string": "text", "integer": "number", "int": "number",
          "decimal": "number", "date": "date", "calculate": "calculate"}  # fmt: skip
METADATA = frozenset({"start", "end", "today", "deviceid", "subscriberid", "simserial",
                      "phonenumber", "username", "email", "audit", "instanceid"})  # fmt: skip
MEDIA = frozenset({"image", "audio", "video", "file", "background-audio", "photo"})
GEO = frozenset({"geopoint", "geotrace", "geoshape", "osm", "start-geopoint",
                 "background-geopoint"})  # fmt: skip
EXTERNAL = frozenset({"select_one_external", "select_one_from_file",
                      "select_multiple_from_file", "xml-external", "csv-external"})  # fmt: skip
_SELECT = re.compile(
    r"^(select_one|select one|select1|select_multiple|select multiple|select all that apply)"
    r"(?: from)? (\S+)(?: (or_other|or specify other))?$",
    re.IGNORECASE,
)
WARN_COLUMNS = {"default": "default values", "read_only": "read-only settings",
                "image": "media", "audio": "media", "video": "media",
                "media::image": "media", "media::audio": "media", "media::video": "media"}  # fmt: skip


@dataclass
class QNode:
    row: int
    name: str
    id: str
    text: str
    type: str
    required: bool = False
    exprs: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (text, column)
    constraint_message: str | None = None
    hint: str | None = None
    choices: list[dict[str, str]] = field(default_factory=list)
    integer: bool = False
    calc_type: str | None = None
    groups: list[GNode] = field(default_factory=list)


@dataclass
class GNode:
    row: int
    name: str
    id: str
    label: str
    hint: str | None
    question: str | None
    lens: str | None
    relevant: tuple[str, str] | None
    children: list[QNode | GNode] = field(default_factory=list)


class Warnings:
    def __init__(self) -> None:
        self.items: dict[str, list[str]] = {}

    def add(self, where: str, message: str) -> None:
        self.items.setdefault(message, []).append(where)

    def lines(self) -> tuple[str, ...]:
        out = []
        for message, wheres in self.items.items():
            rows = [w for w in wheres if w]
            if not rows:
                out.append(message)
                continue
            sheet = rows[0].split(" row ")[0]
            if len(rows) > 1 and all(w.startswith(sheet + " row ") for w in rows):
                numbers = ", ".join(w.split(" row ", 1)[1] for w in rows)
                out.append(f"{sheet} rows {numbers}: {message}")
            else:
                out.append(f"{'; '.join(rows)}: {message}")
        return tuple(out)


def form_id(raw: str | None) -> str:
    s = re.sub(r"[^a-z0-9-]+", "-", (raw or "").lower()).strip("-")
    s = re.sub(r"-{2,}", "-", s)[:64].strip("-")
    return s if FORM_ID.fullmatch(s or "-") else ""


def sample(q: QNode) -> Any:
    if q.type in ("yes_no", "yes_no_na"):
        return "yes"
    if q.type == "single":
        return q.choices[0]["id"]
    if q.type == "multiple":
        return [q.choices[0]["id"]]
    return {"number": 1, "date": "2016-04-01"}.get(q.type, "text")


def refused_type(low: str, kind: str) -> str | None:
    if re.match(r"^(begin|end)[ _](repeat|loop)\b", low):
        return "repeats are not supported"
    if "or_other" in low or "or specify other" in low:
        return "or_other (an 'other' choice with its own text) is not supported"
    word = low.split()[0]
    if word in EXTERNAL:
        return "external selects (choices from a file or another sheet) are not supported"
    if word in MEDIA:
        return f"media questions ({word}) are not supported"
    if word in GEO:
        return f"geo questions ({word}) are not supported"
    if word in ("time", "datetime", "barcode", "range", "rank", "acknowledge", "trigger",
                "hidden", "begin_rank"):  # fmt: skip
        return f"{kind} questions are not supported"
    return None


def our_type(kind: str) -> tuple[str | None, str | None]:
    m = _SELECT.match(kind)
    if m:
        how = m.group(1).lower()
        return ("single" if "one" in how or how == "select1" else "multiple"), m.group(2)
    return SIMPLE.get(kind.lower()), None
