"""Validating the ops of a bundle, one NDJSON line at a time, against the schema.

`Store.apply_rows` trusts what it is given, so every line must pass here first: the
exact keys, ids of 32 lowercase hex digits, a clock value, a known entity and field,
and a value of the field's kind. A line comes out as the row `changes` stores (merge.Row:
value and prev as canonical JSON text). Pure functions that raise BundleError.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from fieldwork.core.errors import BundleError
from fieldwork.core.model import Op
from fieldwork.core.schema import ENTITIES, REF, TEXT, check_value, is_text
from fieldwork.core.storage.merge import Row, dumps, op_row

KEYS = frozenset(("op", "hlc", "device", "author", "entity", "row", "field", "value", "prev"))
_HEX32 = re.compile(r"[0-9a-f]{32}")
_HEX128 = re.compile(r"[0-9a-f]{128}")
_HLC = re.compile(r"[0-9]{16}-[0-9]{4}")
_FIELDS = {name: spec.fields for name, spec in ENTITIES.items()}


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("a number out of range")
    return value


_DECODER = json.JSONDecoder(parse_constant=_no_constant, parse_float=_finite)
_SCAN = _DECODER.scan_once  # type: ignore[attr-defined]  # canonical values have no spaces


def _described(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "that text"
    return "a list" if isinstance(value, list) else "an object"


def is_id(value: Any) -> bool:
    return isinstance(value, str) and _HEX32.fullmatch(value) is not None


# The canonical line (Op.to_json, which export writes): matched in one go, so only the
# value needs the JSON decoder. Anything else falls through to the full check below.
_CANONICAL = re.compile(
    r'\{"author":"([0-9a-f]{32})","device":"([0-9a-f]{32})","entity":"([a-z_]{1,40})",'
    r'"field":"([a-z_]{1,40})","hlc":"([0-9]{16}-[0-9]{4})","op":"([0-9a-f]{32})",'
    r'"prev":\[((?:"[0-9a-f]{32}"(?:,"[0-9a-f]{32}")*)?)\],"row":"([0-9a-f]{32})",'
    r'"value":(.*)\}',
    re.DOTALL,
)


def _fits(kind: str, value: Any) -> bool:
    """schema.check_value, with the two commonest kinds first and ids checked in C."""
    if kind == TEXT:
        return value is None or (type(value) is str and is_text(value))
    if kind == REF:
        return value is None or (type(value) is str and _HEX32.fullmatch(value) is not None)
    return check_value(kind, value)


def parse_row(line: bytes, number: int) -> Row:
    """One line of changes.ndjson, checked, as a row of `changes`; `number` (from 1)
    names it in errors."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BundleError(f"Refused: changes.ndjson line {number} is not UTF-8.") from exc
    found = _CANONICAL.fullmatch(text)
    if found is not None:
        author, device, entity, field, hlc, op, prev, row, raw = found.groups()
        kind = _FIELDS.get(entity, {}).get(field)
        if kind is not None:
            try:
                value, end = _SCAN(raw, 0)
            except (ValueError, RecursionError, StopIteration):
                end = -1  # the full check names the problem
            if end == len(raw) and _fits(kind, value):
                # A JSON string with no backslash, or null, is already canonical text.
                if not (value is None or (type(value) is str and "\\" not in raw)):
                    raw = dumps(value)
                return (op, hlc, device, author, entity, row, field, raw, f"[{prev}]")
    return op_row(_parse_slowly(text, number))


def _parse_slowly(text: str, number: int) -> Op:
    where = f"changes.ndjson line {number}"
    try:
        d = _DECODER.decode(text)
    except (ValueError, RecursionError) as exc:
        raise BundleError(f"Refused: {where} is not valid JSON.") from exc
    if type(d) is not dict or d.keys() != KEYS:
        raise BundleError(f"Refused: {where} is not an op (wrong or missing keys).")
    op, device, author, row = d["op"], d["device"], d["author"], d["row"]
    try:
        ids_ok = _HEX128.fullmatch(op + device + author + row) is not None
    except TypeError:
        ids_ok = False
    if not ids_ok or len(op) != 32 or len(device) != 32 or len(author) != 32:
        raise BundleError(f"Refused: {where} has an id that is not 32 lowercase hex digits.")
    hlc = d["hlc"]
    if type(hlc) is not str or _HLC.fullmatch(hlc) is None:
        raise BundleError(f"Refused: {where} has a bad clock value.")
    entity, field = d["entity"], d["field"]
    fields = _FIELDS.get(entity) if type(entity) is str else None
    if fields is None:
        raise BundleError(
            f"Refused: {where} is for an unknown kind of record {str(entity)[:40]!r}."
        )
    kind = fields.get(field) if type(field) is str else None
    if kind is None:
        raise BundleError(f"Refused: {where} is for an unknown field {entity}.{str(field)[:40]}.")
    value = d["value"]
    if not check_value(kind, value):
        raise BundleError(f"Refused: {where}: {entity}.{field} cannot hold {_described(value)}.")
    prev = d["prev"]
    if type(prev) is not list or not all(is_id(p) for p in prev):
        raise BundleError(f"Refused: {where} has a bad list of earlier ops (prev).")
    return Op(op, hlc, device, author, entity, row, field, value, tuple(prev))
