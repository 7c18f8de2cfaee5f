"""Writing an imported form as YAML, each item under a comment naming its source row.

The comments (`# survey row 14`) let a refusal by the form loader, which names a line
of the YAML, be reported against the row of the workbook the line came from.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

QUESTION_KEYS = ("id", "text", "type", "required", "relevant", "constraint",
                 "constraint_message", "hint", "choices", "calculate")  # fmt: skip
_ROW_COMMENT = re.compile(r"^\s*# (\w+) row (\d+)$")


def scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if value is None:
        return "null"
    out = yaml.safe_dump(str(value), allow_unicode=True, width=2**31 - 1)
    if "\n" in out.rstrip("\n").removesuffix("\n..."):  # a multi-line plain or quoted scalar
        out = yaml.safe_dump(str(value), allow_unicode=True, width=2**31 - 1, default_style='"')
    out = out.rstrip("\n")
    return out[: -len("\n...")] if out.endswith("\n...") else out


def _flow(d: dict[str, Any]) -> str:
    out = yaml.safe_dump(d, default_flow_style=True, allow_unicode=True, width=2**31 - 1,
                         sort_keys=False)  # fmt: skip
    if "\n" in out.strip():  # a label with a line break: quoted with escapes, on one line
        out = yaml.safe_dump(d, default_flow_style=True, allow_unicode=True, width=2**31 - 1,
                             sort_keys=False, default_style='"')  # fmt: skip
    return out.strip()


def _item(lines: list[str], d: dict[str, Any], indent: int, sheet: str = "survey") -> None:
    pad = " " * indent
    if d.get("_row"):
        lines.append(f"{pad}# {d.get('_sheet', sheet)} row {d['_row']}")
    first = True
    for key, value in d.items():
        if key.startswith("_") or value in (None, "") or (key == "required" and value is False):
            continue
        lead = pad + ("- " if first else "  ")
        first = False
        if isinstance(value, list):
            lines.append(f"{lead}{key}:")
            for sub in value:
                if key == "choices":
                    lines.append(f"{pad}    - {_flow(sub)}")
                else:
                    _item(lines, sub, indent + 4, sheet)
        else:
            lines.append(f"{lead}{key}: {scalar(value)}")


def emit(form: dict[str, Any], source: str) -> str:
    """YAML text of a form given as plain dicts and lists (keys in the file's order)."""
    lines = [
        f"# Imported from {source} (XLSForm) by `fieldwork forms import`.",
        "# '# survey row N' above an item names the workbook row it came from.",
        "# The format is described in forms/README.md.",
        f"id: {scalar(form['id'])}",
        f"version: {scalar(form['version'])}",
        f"title: {scalar(form['title'])}",
    ]
    if form["attributes"]:
        lines += ["", "attributes:"]
        for q in form["attributes"]:
            _item(lines, q, 2)
    lines += ["", "sections:"]
    for s in form["sections"]:
        _item(lines, s, 2)
    rating = form["rating"]
    if not rating.get("bands"):  # today's form: the suggest rule alone, ratings in the method
        suggest = rating.get("suggest") or {"rule": "all"}
        if suggest.get("_row"):
            lines += ["", f"# fieldwork row {suggest['_row']}"]
        else:
            lines.append("")
        lines.append(f"suggest: {_flow({k: v for k, v in suggest.items() if k != '_row'})}")
        rating = {}
    else:
        lines += ["", "rating:"]
    if rating.get("_row"):
        lines.append(f"  # fieldwork row {rating['_row']}")
    suggest = rating.get("suggest")
    if suggest is not None:
        if suggest.get("_row"):
            lines.append(f"  # fieldwork row {suggest['_row']}")
        lines.append(f"  suggest: {_flow({k: v for k, v in suggest.items() if k != '_row'})}")
    for key in ("bands", "overall_bands"):
        if key in rating:
            lines.append(f"  {key}:")
            for band in rating[key]:
                if band.get("_row"):
                    lines.append(f"    # fieldwork row {band['_row']}")
                lines.append(f"    - {_flow({k: v for k, v in band.items() if k != '_row'})}")
    if "standard_rule" in rating:
        lines.append(f"  standard_rule: {scalar(rating['standard_rule'])}")
    if form.get("glossary"):
        lines += ["", "glossary:"]
        for g in form["glossary"]:
            _item(lines, {**g, "_sheet": "fieldwork"}, 2)
    return "\n".join(lines) + "\n"


def source_row(text: str, line: int | None) -> tuple[str, int] | None:
    """(sheet, row) named by the nearest row comment at or above a 1-based line."""
    if not line:
        return None
    lines = text.splitlines()
    for i in range(min(line, len(lines)) - 1, -1, -1):
        m = _ROW_COMMENT.match(lines[i])
        if m:
            return m.group(1), int(m.group(2))
        if lines[i] and not lines[i].startswith((" ", "-", "#")):
            return None  # reached a top-level key: the line has no row of its own
    return None
