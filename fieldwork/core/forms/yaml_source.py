"""Reading a form or method file as hostile YAML: line numbers, one-line refusals.

Shared by the form loader (loader.py) and the method loader (method_loader.py). A
file may arrive inside a bundle from another laptop, so aliases, duplicate keys and
deep nesting are refused, and every refusal names the file, the line, the item and
what is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

import yaml

from fieldwork.core.errors import FieldworkError

MAX_TEXT = 5000
ITEM_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


class FormError(FieldworkError, ValueError):
    """A refused form or method; str() is one line: 'PATH line N: question ID: REASON'."""

    code = "form"

    def __init__(
        self,
        reason: str,
        path: str | None = None,
        line: int | None = None,
        question_id: str | None = None,
        label: str = "question",
    ) -> None:
        self.path, self.line, self.question_id = path, line, question_id
        self.reason = " ".join(str(reason).split())
        where = " ".join(p for p in (path, f"line {line}" if line else None) if p)
        parts = [where, f"{label} {question_id}" if question_id else "", self.reason]
        super().__init__(": ".join(p for p in parts if p))


class MethodError(FormError):
    """A refused method file; str() is one line: 'PATH line N: item ID: REASON'."""

    code = "method"


_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlMap(dict[str, Any]):
    """A YAML mapping that remembers where it and each of its keys start (1-based lines)."""

    line: int = 0
    key_lines: dict[str, int]


class _Refused(Exception):
    def __init__(self, reason: str, line: int) -> None:
        super().__init__(reason)
        self.reason, self.line = reason, line


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader, plus line numbers on mappings and refusal of duplicate keys."""


def _construct_map(loader: Any, node: yaml.MappingNode) -> Iterator[YamlMap]:
    data = YamlMap()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    yield data
    loader.flatten_mapping(node)
    for key_node, _ in node.value:
        key, line = key_node.value, key_node.start_mark.line + 1
        if isinstance(key, str) and key in data.key_lines:
            raise _Refused(f"duplicate key {key!r}", line)
        data.key_lines[str(key)] = line
    data.update(loader.construct_mapping(node))


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
# A date-looking scalar stays the text it is: forms and methods hold no YAML dates, and
# building one from "8392-01-00" raised a bare ValueError (found by `make soak`'s fuzzer).
_LineLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)


def read_yaml(text: str, path: str, error: type[FormError] = FormError) -> Any:
    """The YAML document in `text`, mappings as YamlMap; refused with `error`."""
    try:
        # Aliases would let a small file expand into a huge tree; forms never need them.
        for event in yaml.parse(text, Loader=_BaseLoader):
            if isinstance(event, yaml.AliasEvent):
                raise error("YAML aliases (*name) are not allowed", path, event.start_mark.line + 1)
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except _Refused as exc:
        raise error(exc.reason, path, exc.line) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or "not valid YAML"
        raise error(f"not valid YAML: {reason}", path, mark.line + 1 if mark else None) from None
    except RecursionError:
        raise error("YAML nested too deeply", path) from None


class Checker:
    """Typed reads of YamlMap values that raise one-line errors naming the line and item."""

    error: type[FormError] = FormError
    label = "question"
    top = "form"

    def __init__(self, path: str) -> None:
        self.path = path
        self.ids: dict[str, str] = {}  # id -> what it is, for the duplicate message

    def fail(
        self,
        reason: str,
        where: Mapping[str, Any] | None = None,
        key: str | None = None,
        qid: str | None = None,
    ) -> FormError:
        line = None
        if isinstance(where, YamlMap):
            line = where.key_lines.get(key, where.line) if key else where.line
        return self.error(reason, self.path, line, qid, self.label)

    def mapping(
        self,
        value: Any,
        what: str,
        keys: tuple[str, ...],
        required: tuple[str, ...],
        parent: Mapping[str, Any] | None = None,
        qid: str | None = None,
    ) -> YamlMap:
        if not isinstance(value, YamlMap):
            raise self.fail(f"{what} must be a mapping", parent, None, qid)
        if qid is None and what != self.top and isinstance(value.get("id"), str):
            qid = value["id"]  # name the item in the message even before its id is checked
        for key in value:
            if key not in keys:
                raise self.fail(f"unknown field {key!r} in {what}", value, str(key), qid)
        for key in required:
            if value.get(key) is None:
                raise self.fail(f"{what} has no {key}", value, None, qid)
        return value

    def text(self, m: YamlMap, key: str, qid: str | None, optional: bool = False) -> str | None:
        value = m.get(key)
        if value is None and optional:
            return None
        if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
            raise self.fail(f"{key} must be text of 1 to {MAX_TEXT} characters", m, key, qid)
        return value.strip()

    def flag(self, m: YamlMap, key: str, qid: str | None) -> bool:
        value = m.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(f"{key} must be true or false", m, key, qid)
        return value

    def seq(self, m: YamlMap, key: str, qid: str | None, optional: bool = False) -> list[Any]:
        value = m.get(key)
        if value is None and optional:
            return []
        if not isinstance(value, list) or not value:
            raise self.fail(f"{key} must be a non-empty list", m, key, qid)
        return value

    def new_id(self, m: YamlMap, what: str, qid: str | None = None) -> str:
        value = m.get("id")
        if not isinstance(value, str):
            hint = ' (quote it, e.g. id: "2.1")' if isinstance(value, int | float) else ""
            raise self.fail(f"{what} id must be text{hint}", m, "id", qid)
        if not ITEM_ID.fullmatch(value):
            raise self.fail(f"bad {what} id {value!r}: use letters, digits, _ . -", m, "id", value)
        if value in self.ids:
            raise self.fail(f"duplicate id (already used by a {self.ids[value]})", m, "id", value)
        self.ids[value] = what
        return value
