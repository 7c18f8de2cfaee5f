"""Reading one line of a bundle's change log: the row stored is canonical, whatever the
spelling of the JSON, so equal values compare equal as text (no false conflicts)."""

from __future__ import annotations

import json

import pytest

from fieldwork.core.errors import BundleError
from fieldwork.core.storage.merge import dumps
from fieldwork.core.sync.ops import parse_row

OP = "a" * 32
ROW = "b" * 32


def _line(entity: str, field: str, value_text: str, prev: str = "[]") -> bytes:
    head = {
        "author": "c" * 32, "device": "d" * 32, "entity": entity, "field": field,
        "hlc": "0001764115200000-0000", "op": OP,
    }  # fmt: skip
    text = json.dumps(head, separators=(",", ":"))[:-1]
    return f'{text},"prev":{prev},"row":"{ROW}","value":{value_text}}}'.encode()


@pytest.mark.parametrize(
    ("entity", "field", "spelled", "value"),
    [
        ("cases", "office", '"Caf\\u00e9 Street"', "Café Street"),
        ("cases", "office", '"Ystrad Mynach \\"east\\""', 'Ystrad Mynach "east"'),
        ("cases", "office", '"Llanfair"', "Llanfair"),
        ("cases", "office", "null", None),
        ("inspection", "organisations", '[ "NPS" , "CRC" ]', ["NPS", "CRC"]),
        ("cases", "deleted", "true", True),
    ],
)
def test_a_value_is_stored_as_canonical_text(
    entity: str, field: str, spelled: str, value: object
) -> None:
    row = parse_row(_line(entity, field, spelled), 1)
    assert row[:7] == (OP, "0001764115200000-0000", "d" * 32, "c" * 32, entity, ROW, field)
    assert row[7] == dumps(value)
    assert json.loads(row[7]) == value


def test_prev_is_stored_as_canonical_text() -> None:
    prev = ["e" * 32, "f" * 32]
    assert parse_row(_line("cases", "office", '"x"', json.dumps(prev)), 1)[8] == dumps(prev)
    assert parse_row(_line("cases", "office", '"x"'), 1)[8] == "[]"


def test_a_bad_line_names_its_number() -> None:
    with pytest.raises(BundleError, match="line 7: cases.office cannot hold a number"):
        parse_row(_line("cases", "office", "12"), 7)
