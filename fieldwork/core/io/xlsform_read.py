"""XLSForm (.xlsx) to one of our forms: `fieldwork forms import SOURCE.xlsx OUT.yaml`.

What maps (docs/xlsform.md has the full table): questions outside any group become
case attributes; a top-level group becomes a standard (section) and a group inside it a
key question, whose questions are its prompts (questions placed straight in a standard
form a key question of their own; deeper groups are flattened, with a warning; a group's
`relevant` is added to each of its questions). A survey without groups becomes one
standard with one key question. Types: `select_one` of a yes/no(/na) list becomes
yes_no(_na), other select_one single, select_multiple multiple; text, integer (a number
with a whole-number constraint), decimal, date and calculate map directly. Expressions
are translated by xpath.py. Our own columns (`fieldwork::id`, `fieldwork::lens`,
`fieldwork::question`, `fieldwork::type`) and the `fieldwork` sheet (xlsform_rating.py)
make an exported instrument come back whole.

Refused in one line naming the sheet, row, column and feature: repeats, or_other,
choice filters, external selects, media and geo questions, other question types, and
expressions with no equivalent. Notes and device metadata are left out with a warning.
The result is then checked by the form loader exactly as a shipped form is.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fieldwork.core.forms import expressions as ex
from fieldwork.core.forms.loader import ITEM_ID, Form, FormError, parse_form
from fieldwork.core.io import xlsform_rating, xlsform_yaml, xpath
from fieldwork.core.io.xlsform_columns import Columns, RowView, choose_language, refusal
from fieldwork.core.io.xlsform_sheets import Book, XLSFormError, read_book
from fieldwork.core.io.xlsform_types import (
    KNOWN_SHEETS,
    METADATA,
    OTHER_SPEC_SHEETS,
    WARN_COLUMNS,
    YES_NO,
    GNode,
    QNode,
    Warnings,
    form_id,
    our_type,
    refused_type,
    sample,
)


@dataclass(frozen=True)
class ImportResult:
    yaml: str
    form: Form
    warnings: tuple[str, ...]


def import_xlsform(source: str | Path, out_name: str = "form.yaml") -> ImportResult:
    """Read an XLSForm and return our form as YAML text, checked by the form loader."""
    book = read_book(source, (*KNOWN_SHEETS, *OTHER_SPEC_SHEETS))
    return _Importer(book, Path(source).name, out_name).run()


class _Importer:
    def __init__(self, book: Book, name: str, out_name: str) -> None:
        self.book, self.path, self.name, self.out_name = book, book.path, name, out_name
        self.warn = Warnings()
        self.ids: dict[str, int] = {}  # our id -> survey row
        self.names: dict[str, str] = {}  # XLSForm name -> our id
        self.skipped: dict[str, str] = {}  # XLSForm name -> what it was

    # ------------------------------------------------------------ sheets

    def run(self) -> ImportResult:
        survey = self.book.sheets.get("survey")
        if survey is None:
            sheets = ", ".join(self.book.sheet_titles) or "none"
            raise XLSFormError(
                f"{self.path}: has no sheet named survey, which an XLSForm needs "
                f"(its sheets: {sheets})"
            )
        self._note_other_sheets()
        settings = self._settings()
        scols = Columns(survey, "survey", self.path)
        if not scols.has("type"):
            raise refusal(self.path, "survey", survey.header_row or None, None,
                          "the survey sheet has no type column")  # fmt: skip
        choices_sheet = self.book.sheets.get("choices")
        ccols = Columns(choices_sheet, "choices", self.path) if choices_sheet else None
        self.lang = choose_language(
            settings.get("default_language"),
            scols.languages(),
            ccols.languages() if ccols else [],
        )
        self._warn_languages(scols, ccols)
        self.lists = self._lists(choices_sheet, ccols)
        top = self._tree(survey, scols)
        form = self._form(top, settings)
        text = xlsform_yaml.emit(form, self.name)
        try:
            loaded = parse_form(text, self.out_name)
        except FormError as exc:
            raise self._from_loader(text, exc) from None
        return ImportResult(text, loaded, self.warn.lines())

    def _note_other_sheets(self) -> None:
        known = {*KNOWN_SHEETS, *OTHER_SPEC_SHEETS}
        ignored = [t for t in self.book.sheet_titles if t.strip().lower() not in known]
        for spec in OTHER_SPEC_SHEETS:
            if spec in self.book.sheets and self.book.sheets[spec].rows:
                self.warn.add("", f"the {spec} sheet is not used by fieldwork: left out")
        plain = []
        for title in ignored:
            close = difflib.get_close_matches(title.strip().lower(), KNOWN_SHEETS, 1, 0.75)
            if close:
                self.warn.add("", f"sheet {title!r} ignored: did you mean {close[0]!r}?")
            else:
                plain.append(title)
        if plain:
            self.warn.add("", f"sheets ignored: {', '.join(plain)}")

    def _settings(self) -> dict[str, str]:
        sheet = self.book.sheets.get("settings")
        if sheet is None or not sheet.header:
            return {}
        cols = Columns(sheet, "settings", self.path)
        if not sheet.rows:
            return {}
        number, cells = sheet.rows[0]
        row = RowView(number, cells, cols, None)
        return {k: v for k in ("form_title", "form_id", "version", "default_language")
                if (v := row.get(k)) is not None}  # fmt: skip

    def _warn_languages(self, scols: Columns, ccols: Columns | None) -> None:
        langs = {lang for lang in [*scols.languages(), *(ccols.languages() if ccols else [])]}
        others = sorted(lang for lang in langs if lang and lang != self.lang)
        if others:
            kept = self.lang or "the untranslated labels"
            self.warn.add("", f"the form keeps {kept}; labels in {', '.join(others)} were left out")

    def _lists(self, sheet: Any, cols: Columns | None) -> dict[str, list[tuple[RowView, str]]]:
        lists: dict[str, list[tuple[RowView, str]]] = {}
        if sheet is None or cols is None:
            return lists
        for number, cells in sheet.rows:
            row = RowView(number, cells, cols, self.lang)
            list_name = row.get("list_name")
            if list_name is None:
                continue  # helper rows (formulas, notes) below a choices table
            lists.setdefault(list_name, []).append((row, list_name))
        return lists

    # ------------------------------------------------------------ survey rows

    def _tree(self, survey: Any, cols: Columns) -> list[QNode | GNode]:
        top: list[QNode | GNode] = []
        stack: list[GNode] = []
        for number, cells in survey.rows:
            row = RowView(number, cells, cols, self.lang)
            kind = row.get("type")
            where = f"survey row {number}"
            if kind is None:
                if row.get("name") or row.translated("label"):
                    self.warn.add(where, "a row without a type was left out")
                continue
            kind = " ".join(kind.split())
            low = kind.lower()
            if low in ("begin group", "begin_group"):
                group = self._group(row, stack)
                (stack[-1].children if stack else top).append(group)
                stack.append(group)
                continue
            if low in ("end group", "end_group"):
                if not stack:
                    raise row.fail("type", "end of a group that was never begun")
                stack.pop()
                continue
            node = self._question(row, low, kind, where)
            if node is not None:
                node.groups = list(stack)
                (stack[-1].children if stack else top).append(node)
        if stack:
            raise refusal(self.path, "survey", stack[-1].row, "type",
                          f"the group {stack[-1].name!r} is never ended")  # fmt: skip
        return top

    def _check_common(self, row: RowView) -> None:
        if row.filled("choice_filter"):
            raise row.fail("choice_filter", "choice filters are not supported")
        if row.filled("trigger"):
            raise row.fail("trigger", "triggers are not supported")
        for key, what in WARN_COLUMNS.items():
            if key == "read_only" and row.filled("calculation"):
                continue  # a calculated answer is never typed in: read-only is implied
            if row.filled(key):
                self.warn.add(f"survey row {row.number}", f"{what} are not kept")

    def _new_id(self, row: RowView) -> tuple[str, str]:
        name = row.get("name")
        if name is None:
            raise row.fail("name", "the row has no name")
        own = row.get("fieldwork::id")
        qid = own if own is not None else name.lstrip("_")
        column = "fieldwork::id" if own is not None else "name"
        if not ITEM_ID.fullmatch(qid):
            raise row.fail(column, f"{qid!r} cannot be an id: use letters, digits, _ . and -, "
                           "starting with a letter or digit, up to 64")  # fmt: skip
        if qid in self.ids:
            raise row.fail(column, f"{qid!r} is already used on survey row {self.ids[qid]}")
        if name in self.names:
            raise row.fail("name", f"the name {name!r} is used twice")
        self.ids[qid] = row.number
        return name, qid

    def _group(self, row: RowView, stack: list[GNode]) -> GNode:
        self._check_common(row)
        name, gid = self._new_id(row)
        self.skipped[name] = "a group"
        relevant = row.get("relevant")
        return GNode(
            row.number, name, gid, row.translated("label") or name, row.translated("hint"),
            row.get("fieldwork::question"), row.get("fieldwork::lens"),
            (relevant, row.column("relevant")) if relevant else None,
        )  # fmt: skip

    def _question(self, row: RowView, low: str, kind: str, where: str) -> QNode | None:
        refused = refused_type(low, kind)
        if refused:
            raise row.fail("type", refused)
        if low == "note":
            self.warn.add(where, "notes are not questions: left out")
            self.skipped[row.get("name") or ""] = "a note"
            return None
        if low in METADATA or low.startswith("uri:"):
            self.warn.add(where, f"{kind} is recorded by a device, not asked: left out")
            self.skipped[row.get("name") or ""] = f"a device field ({kind})"
            return None
        self._check_common(row)
        ours, list_name = our_type(kind)
        if ours is None and low == "phone number":
            ours = "text"
            self.warn.add(where, "phone number questions become text questions")
        if ours is None:
            raise row.fail("type", f"unknown question type {kind!r}")
        name, qid = self._new_id(row)
        node = QNode(row.number, name, qid, row.translated("label") or name, ours)
        node.integer = low in ("integer", "int")
        node.required = self._required(row)
        for key, column in (("relevant", "relevant"), ("constraint", "constraint"),
                            ("calculate", "calculation")):  # fmt: skip
            value = row.get(column)
            if value is not None:
                node.exprs[key] = (value, row.column(column))
        node.constraint_message = row.translated("constraint_message")
        node.hint = row.translated("hint")
        if list_name is not None:
            node.choices, node.type = self._choices(row, list_name, ours)
        if ours == "calculate":
            node.calc_type = row.get("fieldwork::type")
            if "calculate" not in node.exprs:
                raise row.fail("calculation", "a calculate row needs a calculation")
        self.names[name] = qid
        return node

    def _required(self, row: RowView) -> bool:
        raw = row.raw("required")
        if raw is None or isinstance(raw, bool):
            return bool(raw)
        value = (row.get("required") or "").lower()
        if value in ("yes", "true", "true()", "1"):
            return True
        if value in ("no", "false", "false()", "0", ""):
            return False
        raise row.fail("required", "a condition is not supported here: write yes or no")

    def _choices(self, row: RowView, list_name: str, ours: str) -> tuple[list[dict[str, str]], str]:
        items = self.lists.get(list_name)
        if not items:
            raise row.fail("type", f"the choice list {list_name!r} is not on the choices sheet")
        out: list[dict[str, str]] = []
        for crow, _ in items:
            cid = crow.get("name")
            if cid is None:
                raise crow.fail("name", "the choice has no name")
            if not ITEM_ID.fullmatch(cid):
                raise crow.fail("name", f"{cid!r} cannot be a choice id: use letters, digits, "
                                "_ . and -, starting with a letter or digit")  # fmt: skip
            if any(c["id"] == cid for c in out):
                raise crow.fail("name", f"{cid!r} appears twice in the list {list_name!r}")
            out.append({"id": cid, "label": crow.translated("label") or cid})
        yes_no = YES_NO.get(frozenset(c["id"] for c in out)) if ours == "single" else None
        return ([], yes_no) if yes_no else (out, ours)

    # ------------------------------------------------------------ our form

    def _form(self, top: list[QNode | GNode], settings: dict[str, str]) -> dict[str, Any]:
        stem = Path(self.name).stem
        fid = form_id(settings.get("form_id")) or form_id(stem) or "imported-form"
        title = settings.get("form_title") or settings.get("form_id") or stem
        version = settings.get("version") or "1"
        if not version.isdigit() or int(version) < 1:
            self.warn.add("", f"settings version {version!r} is not a whole number: version 1")
            version = "1"
        attributes = [n for n in top if isinstance(n, QNode)]
        groups = [n for n in top if isinstance(n, GNode)]
        sections = [s for g in groups if (s := self._section(g)) is not None]
        if not sections:
            if not attributes:
                raise XLSFormError(f"{self.path}: the survey holds no question fieldwork can use")
            self.warn.add("", "the survey has no groups: its questions form one standard "
                          "with one key question")  # fmt: skip
            sid = self._free_id("1")
            kid = self._free_id(f"{sid}.1")
            kq = {"id": kid, "text": title, "prompts": attributes}
            sections = [{"id": sid, "title": title, "question": title, "key_questions": [kq]}]
            attributes = []
        self._translate(attributes, sections)
        rating_sheet = self.book.sheets.get(xlsform_rating.SHEET)
        glossary: list[dict[str, Any]] = []
        if rating_sheet is not None and rating_sheet.header:
            rating, glossary, _ = xlsform_rating.read_rating(rating_sheet, self.path)
        else:
            self.warn.add(
                "", "no fieldwork sheet: judgements are suggested when every prompt is met"
            )
            rating = xlsform_rating.default_rating()
        return {"id": fid, "version": int(version), "title": title,
                "attributes": [self._question_dict(q) for q in attributes],
                "sections": [self._section_dict(s) for s in sections],
                "rating": rating, "glossary": glossary}  # fmt: skip

    def _free_id(self, wanted: str) -> str:
        qid, n = wanted, 1
        while qid in self.ids:
            n += 1
            qid = f"{wanted}-{n}"
        self.ids[qid] = 0
        return qid

    def _section(self, g: GNode) -> dict[str, Any] | None:
        kqs: list[dict[str, Any]] = []
        run: list[QNode] = []

        def flush() -> None:
            if run:
                kid = self._free_id(f"{g.id}.{len(kqs) + 1}")
                kqs.append({"id": kid, "text": g.label, "prompts": list(run), "_row": run[0].row})
                run.clear()

        for child in g.children:
            if isinstance(child, QNode):
                run.append(child)
                continue
            flush()
            prompts = self._flatten(child)
            if prompts:
                kqs.append({"id": child.id, "text": child.label, "lens": child.lens,
                            "prompts": prompts, "_row": child.row})  # fmt: skip
            else:
                self.warn.add(f"survey row {child.row}", "a group with no questions: left out")
        flush()
        if not kqs:
            self.warn.add(f"survey row {g.row}", "a group with no questions: left out")
            return None
        headline = g.question or g.hint or g.label
        return {"id": g.id, "title": g.label, "question": headline, "key_questions": kqs,
                "_row": g.row}  # fmt: skip

    def _flatten(self, g: GNode) -> list[QNode]:
        out: list[QNode] = []
        for child in g.children:
            if isinstance(child, QNode):
                out.append(child)
            else:
                self.warn.add(f"survey row {child.row}",
                              "a group inside a key question: its questions join the key question")  # fmt: skip
                out += self._flatten(child)
        return out

    # ------------------------------------------------------------ expressions

    def _xpath(self, text: str, row: int, column: str) -> str:
        try:
            return xpath.translate(text, self.names, self.skipped)
        except xpath.XPathRefused as exc:
            raise refusal(self.path, "survey", row, column, str(exc)) from None

    def _translate(self, attributes: list[QNode], sections: list[dict[str, Any]]) -> None:
        ordered = [*attributes]
        ordered += [q for s in sections for kq in s["key_questions"] for q in kq["prompts"]]
        group_relevant: dict[int, str] = {}
        samples: dict[str, Any] = {}
        for q in ordered:
            out: dict[str, str] = {}
            for key, (text, column) in q.exprs.items():
                out[key] = self._xpath(text, q.row, column)
            conditions = []
            for g in q.groups:
                if g.relevant:
                    if g.row not in group_relevant:
                        group_relevant[g.row] = self._xpath(g.relevant[0], g.row, g.relevant[1])
                    conditions.append(group_relevant[g.row])
            if "relevant" in out:
                conditions.append(out["relevant"])
            if conditions:
                out["relevant"] = (
                    conditions[0] if len(conditions) == 1
                    else " and ".join(f"({c})" for c in conditions)
                )  # fmt: skip
            if q.integer:
                whole = ". mod 1 = 0"
                out["constraint"] = f"({out['constraint']}) and {whole}" if "constraint" in out \
                    else whole  # fmt: skip
                q.constraint_message = q.constraint_message or "Enter a whole number."
            if q.type == "calculate":
                q.type = self._calc_type(q, out["calculate"], samples)
            q.exprs = {k: (v, "") for k, v in out.items()}
            samples[q.id] = sample(q)

    def _calc_type(self, q: QNode, expr: str, samples: dict[str, Any]) -> str:
        allowed = ("text", "number", "date", "yes_no", "yes_no_na")
        if q.calc_type is not None:
            if q.calc_type not in allowed:
                raise refusal(self.path, "survey", q.row, "fieldwork::type",
                              f"a calculation's type is one of {', '.join(allowed)}")  # fmt: skip
            return q.calc_type
        try:
            value = ex.evaluate(expr, samples)
        except ex.ExpressionError:
            return "text"
        return "number" if isinstance(value, int | float) and not isinstance(value, bool) \
            else "text"  # fmt: skip

    def _question_dict(self, q: QNode) -> dict[str, Any]:
        e = {k: v for k, (v, _) in q.exprs.items()}
        return {"_row": q.row, "id": q.id, "text": q.text, "type": q.type,
                "required": q.required, "relevant": e.get("relevant"),
                "constraint": e.get("constraint"), "constraint_message": q.constraint_message,
                "hint": q.hint, "choices": q.choices or None, "calculate": e.get("calculate")}  # fmt: skip

    def _section_dict(self, s: dict[str, Any]) -> dict[str, Any]:
        kqs = [{"_row": k.get("_row"), "id": k["id"], "text": k["text"], "lens": k.get("lens"),
                "prompts": [self._question_dict(q) for q in k["prompts"]]}
               for k in s["key_questions"]]  # fmt: skip
        return {"_row": s.get("_row"), "id": s["id"], "title": s["title"],
                "question": s["question"], "key_questions": kqs}  # fmt: skip

    def _from_loader(self, text: str, exc: FormError) -> XLSFormError:
        where = xlsform_yaml.source_row(text, exc.line)
        reason = exc.reason
        if where is None:
            return XLSFormError(f"{self.path}: {reason}")
        first = reason.split(" ", 1)[0]
        column = {"relevant": "relevant", "constraint": "constraint",
                  "calculate": "calculation"}.get(first)  # fmt: skip
        return refusal(self.path, where[0], where[1], column, reason)
