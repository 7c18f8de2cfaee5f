"""One of our forms as an XLSForm workbook: `fieldwork forms export FORM OUT.xlsx`.

Attributes are questions outside any group; each standard is a `begin_group`, each key
question a group inside it, holding its prompts. yes_no and yes_no_na use the lists
`fw_yes_no` and `fw_yes_no_na`; single and multiple get a list named after the
question; numbers are `decimal`; a calculated question keeps its type, with a
`calculation` and `read_only`. XLSForm names must be XML names, so an id such as
`2.1.1a` is written as `q2.1.1a` (sections `s`, key questions `k`), and our columns
`fieldwork::id`, `fieldwork::lens` and `fieldwork::question` plus the `fieldwork` sheet
(xlsform_rating.py) carry what XLSForm has no place for, so that importing the
workbook gives the same form back. pyxform converts every workbook written here.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fieldwork.core import files
from fieldwork.core.errors import UserError
from fieldwork.core.forms.loader import Form, Question
from fieldwork.core.io import xlsform_rating, xpath

SURVEY_HEADER = ("type", "name", "label", "hint", "required", "relevant", "constraint",
                 "constraint_message", "calculation", "read_only", "fieldwork::id",
                 "fieldwork::lens", "fieldwork::question")  # fmt: skip
YES_NO_LISTS = {
    "yes_no": [("yes", "Yes"), ("no", "No")],
    "yes_no_na": [("yes", "Yes"), ("no", "No"), ("na", "Not applicable")],
}
_XML_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
WIDTHS = {"type": 26, "name": 18, "label": 60, "hint": 40, "relevant": 36, "constraint": 30,
          "constraint_message": 30, "calculation": 30}  # fmt: skip


class _Names:
    """XLSForm names for our ids: the id itself when it is an XML name, else prefixed."""

    def __init__(self) -> None:
        self.of: dict[str, str] = {}
        self.used: set[str] = set()

    def add(self, item_id: str, prefix: str) -> str:
        base = item_id if _XML_NAME.fullmatch(item_id) else prefix + item_id
        name, n = base, 1
        while name in self.used:
            n += 1
            name = f"{base}_{n}"
        self.used.add(name)
        self.of[item_id] = name
        return name


def _names(form: Form) -> _Names:
    names = _Names()
    for q in form.attributes:
        names.add(q.id, "q")
    for s in form.sections:
        names.add(s.id, "s")
        for kq in s.key_questions:
            names.add(kq.id, "k")
            for p in kq.prompts:
                names.add(p.id, "q")
    return names


def sheets(form: Form) -> dict[str, list[tuple[Any, ...]]]:
    """The workbook's sheets as rows of cell values, header first."""
    names = _names(form)
    lists: dict[str, list[tuple[str, str]]] = {}
    yes_no_list = {t: _free(f"fw_{t}", names.used) for t in YES_NO_LISTS}

    def expr(text: str | None) -> str | None:
        return xpath.to_xlsform(text, names.of) if text else None

    def question(q: Question) -> tuple[Any, ...]:
        name = names.of[q.id]
        if q.type in YES_NO_LISTS:
            kind = f"select_one {yes_no_list[q.type]}"
            lists[yes_no_list[q.type]] = YES_NO_LISTS[q.type]
        elif q.type in ("single", "multiple"):
            kind = f"select_{'one' if q.type == 'single' else 'multiple'} {name}"
            lists[name] = [(c.id, c.label) for c in q.choices]
        else:
            kind = {"number": "decimal"}.get(q.type, q.type)
        return (kind, name, q.text, q.hint, "yes" if q.required else None, expr(q.relevant),
                expr(q.constraint), q.constraint_message, expr(q.calculate),
                "yes" if q.calculate else None, q.id, None, None)  # fmt: skip

    survey: list[tuple[Any, ...]] = [SURVEY_HEADER]
    survey += [question(q) for q in form.attributes]
    for s in form.sections:
        survey.append(("begin_group", names.of[s.id], s.title, *([None] * 7), s.id, None,
                       s.question))  # fmt: skip
        for kq in s.key_questions:
            survey.append(("begin_group", names.of[kq.id], kq.text, *([None] * 7), kq.id,
                           kq.lens or None, None))  # fmt: skip
            survey += [question(p) for p in kq.prompts]
            survey.append(("end_group", *([None] * 12)))
        survey.append(("end_group", *([None] * 12)))
    choices: list[tuple[Any, ...]] = [("list_name", "name", "label")]
    for list_name, items in lists.items():
        choices += [(list_name, cid, label) for cid, label in items]
    settings = [("form_title", "form_id", "version"), (form.title, form.id, str(form.version))]
    return {"survey": survey, "choices": choices, "settings": settings,
            xlsform_rating.SHEET: xlsform_rating.rating_rows(form)}  # fmt: skip


def _free(wanted: str, used: set[str]) -> str:
    name, n = wanted, 1
    while name in used:
        n += 1
        name = f"{wanted}_{n}"
    used.add(name)
    return name


def export_xlsform(form: Form, out: str | Path) -> Path:
    """Write the form as an .xlsx workbook (atomically) and return its path."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    out = Path(out)
    if out.is_dir():
        raise UserError(f"{out} is a folder: give the name of the .xlsx file to write.")
    if out.suffix.lower() != ".xlsx":
        raise UserError(f"{out}: an XLSForm is an Excel workbook, so OUT must end in .xlsx.")
    if not out.resolve().parent.is_dir():
        raise UserError(f"No such folder: {out.resolve().parent}")
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets(form).items():
        ws = wb.create_sheet(title)
        for values in rows:
            ws.append([_cell(v) for v in values])
        for cell in ws[1]:
            cell.font = Font(bold=True)
            # A text starting with '=' is text, never a formula.
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
        for cell in ws[1]:
            width = WIDTHS.get(str(cell.value))
            if width:
                ws.column_dimensions[cell.column_letter].width = width
        ws.freeze_panes = "A2"
    with files.replacing(out) as tmp:
        wb.save(tmp)
    return out


def _cell(value: Any) -> Any:
    return _ILLEGAL_XML.sub("", value) if isinstance(value, str) else value
