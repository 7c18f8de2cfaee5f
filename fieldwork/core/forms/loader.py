"""Load and validate form definitions (forms/*.yaml) into frozen Form values.

A form file may arrive inside a bundle from another laptop, so it is checked as hostile
input: a bad form is refused with one line naming the file, the line, the question and
what is wrong. The YAML format is documented in forms/README.md.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml

from fieldwork.core import data
from fieldwork.core.errors import FieldworkError
from fieldwork.core.forms import expressions as ex

MAX_FORM_BYTES = 1_000_000
SHORT_HASH = 12  # hex digits of a form's content hash shown in reports and ratings
MAX_QUESTIONS = 5000
MAX_CHOICES = 1000
MAX_TEXT = 5000
QUESTION_TYPES = ("yes_no", "yes_no_na", "single", "multiple", "text", "number", "date")
SCORING_TYPES = ("yes_no", "yes_no_na")
SUGGEST_RULES = ("all", "majority", "threshold")
STANDARD_RULES = ("lowest",)
FORM_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
ITEM_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_YES_NO = {"yes_no": ("yes", "no"), "yes_no_na": ("yes", "no", "na")}


class FormError(FieldworkError, ValueError):
    """A refused form; str() is one line: 'PATH line N: question ID: REASON'."""

    code = "form"

    def __init__(
        self,
        reason: str,
        path: str | None = None,
        line: int | None = None,
        question_id: str | None = None,
    ) -> None:
        self.path, self.line, self.question_id = path, line, question_id
        self.reason = " ".join(str(reason).split())
        where = " ".join(p for p in (path, f"line {line}" if line else None) if p)
        parts = [where, f"question {question_id}" if question_id else "", self.reason]
        super().__init__(": ".join(p for p in parts if p))


@dataclass(frozen=True)
class Choice:
    id: str
    label: str


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    type: str
    required: bool = False
    relevant: str | None = None
    constraint: str | None = None
    constraint_message: str | None = None
    hint: str | None = None
    choices: tuple[Choice, ...] = ()
    calculate: str | None = None

    def choice_ids(self) -> tuple[str, ...]:
        return _YES_NO.get(self.type) or tuple(c.id for c in self.choices)


@dataclass(frozen=True)
class KeyQuestion:
    id: str
    text: str
    lens: str
    prompts: tuple[Question, ...]

    @property
    def judgement(self) -> Question:
        """The judgement as a question (sufficient yes / no / not applicable), for editors and the CLI."""
        return Question(self.id, self.text, "yes_no_na")


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    question: str
    key_questions: tuple[KeyQuestion, ...]
    notes: tuple[Question, Question]


@dataclass(frozen=True)
class Band:
    rating: str
    min: int | float
    points: int


@dataclass(frozen=True)
class OverallBand:
    rating: str
    min_points: int


@dataclass(frozen=True)
class Rating:
    suggest_rule: str
    suggest_threshold: int | float | None
    bands: tuple[Band, ...]
    standard_rule: str
    overall_bands: tuple[OverallBand, ...]


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    meaning: str


@dataclass(frozen=True)
class Form:
    id: str
    version: int
    title: str
    attributes: tuple[Question, ...]
    sections: tuple[Section, ...]
    rating: Rating
    glossary: tuple[GlossaryEntry, ...]
    source: str
    path: str
    _questions: dict[str, Question] = field(init=False, repr=False, compare=False)
    _key_questions: dict[str, tuple[KeyQuestion, Section]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        ordered = [*self.attributes]
        ordered += [p for s in self.sections for kq in s.key_questions for p in kq.prompts]
        ordered += [n for s in self.sections for n in s.notes]
        object.__setattr__(self, "_questions", {q.id: q for q in ordered})
        kqs = {kq.id: (kq, s) for s in self.sections for kq in s.key_questions}
        object.__setattr__(self, "_key_questions", kqs)

    @property
    def hash(self) -> str:
        """The content hash: what tells two forms of one id and version apart."""
        return form_hash(self.source)

    @property
    def short_hash(self) -> str:
        return self.hash[:SHORT_HASH]

    @property
    def label(self) -> str:
        """Which form exactly, for reports: 'adult-case-supervision version 1 (3f2a9c01b7de)'."""
        return f"{self.id} version {self.version} ({self.short_hash})"

    def questions(self) -> list[Question]:
        """Attributes, then prompts in order, then the section notes."""
        return list(self._questions.values())

    def question(self, id: str) -> Question | None:
        return self._questions.get(id)

    def key_questions(self) -> list[KeyQuestion]:
        return [kq for kq, _ in self._key_questions.values()]

    def key_question(self, id: str) -> KeyQuestion | None:
        found = self._key_questions.get(id)
        return found[0] if found else None

    def section_of(self, key_question_id: str) -> Section | None:
        found = self._key_questions.get(key_question_id)
        return found[1] if found else None

    def band_for(self, sufficient: int, applicable: int) -> Band:
        """Band of sufficient/applicable, compared as an exact fraction, never a rounded percent."""
        if applicable <= 0 or not 0 <= sufficient <= applicable:
            raise ValueError(f"no band for {sufficient} of {applicable}")
        for band in self.rating.bands:
            if sufficient * 100 >= Fraction(str(band.min)) * applicable:
                return band
        return self.rating.bands[-1]  # pragma: no cover - validation makes the last min 0

    def overall_for(self, points: int) -> OverallBand:
        for band in self.rating.overall_bands:
            if points >= band.min_points:
                return band
        return self.rating.overall_bands[-1]


# --- reading YAML with line numbers ------------------------------------------------------

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Map(dict[str, Any]):
    """A YAML mapping that remembers where it and each of its keys start (1-based lines)."""

    line: int = 0
    key_lines: dict[str, int]


class _Refused(Exception):
    def __init__(self, reason: str, line: int) -> None:
        super().__init__(reason)
        self.reason, self.line = reason, line


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader, plus line numbers on mappings and refusal of duplicate keys."""


def _construct_map(loader: Any, node: yaml.MappingNode) -> Iterator[_Map]:
    data = _Map()
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


def _read_yaml(text: str, path: str) -> Any:
    try:
        # Aliases would let a small file expand into a huge tree; forms never need them.
        for event in yaml.parse(text, Loader=_BaseLoader):
            if isinstance(event, yaml.AliasEvent):
                raise FormError(
                    "YAML aliases (*name) are not allowed", path, event.start_mark.line + 1
                )
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except _Refused as exc:
        raise FormError(exc.reason, path, exc.line) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or "not valid YAML"
        raise FormError(
            f"not valid YAML: {reason}", path, mark.line + 1 if mark else None
        ) from None
    except RecursionError:
        raise FormError("YAML nested too deeply", path) from None


# --- building and validating ---------------------------------------------------------------


class _Builder:
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
        if isinstance(where, _Map):
            line = where.key_lines.get(key, where.line) if key else where.line
        return FormError(reason, self.path, line, qid)

    def mapping(
        self,
        value: Any,
        what: str,
        keys: tuple[str, ...],
        required: tuple[str, ...],
        parent: Mapping[str, Any] | None = None,
        qid: str | None = None,
    ) -> _Map:
        if not isinstance(value, _Map):
            raise self.fail(f"{what} must be a mapping", parent, None, qid)
        if qid is None and what != "form" and isinstance(value.get("id"), str):
            qid = value["id"]  # name the item in the message even before its id is checked
        for key in value:
            if key not in keys:
                raise self.fail(f"unknown field {key!r} in {what}", value, str(key), qid)
        for key in required:
            if value.get(key) is None:
                raise self.fail(f"{what} has no {key}", value, None, qid)
        return value

    def text(self, m: _Map, key: str, qid: str | None, optional: bool = False) -> str | None:
        value = m.get(key)
        if value is None and optional:
            return None
        if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
            raise self.fail(f"{key} must be text of 1 to {MAX_TEXT} characters", m, key, qid)
        return value.strip()

    def seq(self, m: _Map, key: str, qid: str | None, optional: bool = False) -> list[Any]:
        value = m.get(key)
        if value is None and optional:
            return []
        if not isinstance(value, list) or not value:
            raise self.fail(f"{key} must be a non-empty list", m, key, qid)
        return value

    def new_id(self, m: _Map, what: str, qid: str | None = None) -> str:
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

    def question(self, raw: Any, parent: _Map) -> Question:
        keys = (
            "id",
            "text",
            "type",
            "required",
            "relevant",
            "constraint",
            "constraint_message",
            "hint",
            "choices",
            "calculate",
        )
        m = self.mapping(raw, "question", keys, ("id",), parent)
        qid = self.new_id(m, "question")
        self.mapping(m, "question", keys, ("text", "type"), parent, qid)
        qtype = m["type"]
        if qtype not in QUESTION_TYPES:
            raise self.fail(f"unknown question type {qtype!r}", m, "type", qid)
        if not isinstance(m.get("required", False), bool):
            raise self.fail("required must be true or false", m, "required", qid)
        choices: list[Choice] = []
        if qtype in ("single", "multiple"):
            items = self.seq(m, "choices", qid)
            if len(items) > MAX_CHOICES:
                raise self.fail(f"more than {MAX_CHOICES} choices", m, "choices", qid)
            for item in items:
                c = self.mapping(item, "choice", ("id", "label"), ("id", "label"), m, qid)
                cid = c["id"]
                if not isinstance(cid, str) or not ITEM_ID.fullmatch(cid):
                    hint = " (quote yes/no/numbers)" if not isinstance(cid, str) else ""
                    raise self.fail(f"bad choice id {cid!r}{hint}", c, "id", qid)
                if any(cid == x.id for x in choices):
                    raise self.fail(f"duplicate choice id {cid!r}", c, "id", qid)
                choices.append(Choice(cid, str(self.text(c, "label", qid))))
        elif "choices" in m:
            raise self.fail(f"choices given for a {qtype} question", m, "choices", qid)
        exprs = {k: m.get(k) for k in ("relevant", "constraint", "calculate")}
        for key, value in exprs.items():
            if value is not None and not isinstance(value, str):
                raise self.fail(f"{key} must be an expression in quotes", m, key, qid)
        return Question(
            id=qid, text=str(self.text(m, "text", qid)), type=qtype,
            required=m.get("required", False), relevant=exprs["relevant"],
            constraint=exprs["constraint"],
            constraint_message=self.text(m, "constraint_message", qid, optional=True),
            hint=self.text(m, "hint", qid, optional=True), choices=tuple(choices),
            calculate=exprs["calculate"],
        )  # fmt: skip

    def section(self, raw: Any, parent: _Map) -> tuple[Section, list[tuple[Question, _Map]]]:
        keys = ("id", "title", "question", "key_questions")
        m = self.mapping(raw, "section", keys, ("id",), parent)
        sid = self.new_id(m, "section")
        self.mapping(m, "section", keys, ("title", "question", "key_questions"), parent, sid)
        kqs, prompts = [], []
        for raw_kq in self.seq(m, "key_questions", sid):
            k = self.mapping(raw_kq, "key question", ("id", "text", "lens", "prompts"), ("id",), m)
            kid = self.new_id(k, "key question")
            self.mapping(
                k, "key question", ("id", "text", "lens", "prompts"), ("text", "prompts"), m, kid
            )
            qs = []
            for raw_q in self.seq(k, "prompts", kid):
                q = self.question(raw_q, k)
                qs.append(q)
                prompts.append((q, raw_q))
            lens = self.text(k, "lens", kid, optional=True) or ""
            kqs.append(KeyQuestion(kid, str(self.text(k, "text", kid)), lens, tuple(qs)))
        notes = (
            Question(f"{sid}/strengths", "Strengths", "text"),
            Question(f"{sid}/improvements", "Areas for improvement", "text"),
        )
        title, headline = self.text(m, "title", sid), self.text(m, "question", sid)
        return Section(sid, str(title), str(headline), tuple(kqs), notes), prompts

    def bands(self, r: _Map, key: str, floor_key: str, top: int | None) -> list[_Map]:
        items = [self.mapping(b, "band", ("rating", "min", "points") if floor_key == "min"
                              else ("rating", "min_points"), ("rating", floor_key), r)
                 for b in self.seq(r, key, None)]  # fmt: skip
        previous = None
        for b in items:
            self.text(b, "rating", None)
            floor = b[floor_key]
            ok_type = (
                isinstance(floor, int)
                if floor_key == "min_points"
                else isinstance(floor, int | float)
            )
            if (
                isinstance(floor, bool)
                or not ok_type
                or floor < 0
                or (top is not None and floor > top)
            ):
                raise self.fail(
                    f"{floor_key} must be a number from 0 to {top or 'any'}", b, floor_key
                )
            if previous is not None and floor >= previous:
                raise self.fail(f"{key} must be in descending order of {floor_key}", b, floor_key)
            previous = floor
        if previous != 0:
            raise self.fail(f"{key} must go down to {floor_key} 0", items[-1], floor_key)
        if len({b["rating"] for b in items}) != len(items):
            raise self.fail(f"{key} name a rating twice", r, key)
        return items

    def rating(self, raw: Any, parent: _Map) -> Rating:
        keys = ("suggest", "bands", "standard_rule", "overall_bands")
        r = self.mapping(raw, "rating", keys, keys, parent)
        s = self.mapping(r["suggest"], "suggest", ("rule", "value"), ("rule",), r)
        rule, value = s["rule"], s.get("value")
        if rule not in SUGGEST_RULES:
            raise self.fail(
                f"unknown suggest rule {rule!r} (use {', '.join(SUGGEST_RULES)})", s, "rule"
            )
        if rule == "threshold":
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not 0 < value <= 100
            ):
                raise self.fail(
                    "threshold value must be a percentage above 0 and up to 100", s, "value"
                )
        elif value is not None:
            raise self.fail(f"suggest rule {rule!r} takes no value", s, "value")
        bands = []
        for b in self.bands(r, "bands", "min", 100):
            points = b.get("points")
            if isinstance(points, bool) or not isinstance(points, int) or points < 0:
                raise self.fail("points must be a whole number of 0 or more", b, "points")
            bands.append(Band(b["rating"].strip(), b["min"], points))
        if any(a.points < b.points for a, b in zip(bands, bands[1:], strict=False)):
            raise self.fail("a lower band cannot score more points", r, "bands")
        if r["standard_rule"] not in STANDARD_RULES:
            raise self.fail(f"unknown standard_rule {r['standard_rule']!r}", r, "standard_rule")
        overall = [OverallBand(b["rating"].strip(), b["min_points"])
                   for b in self.bands(r, "overall_bands", "min_points", None)]  # fmt: skip
        return Rating(rule, value, tuple(bands), r["standard_rule"], tuple(overall))


def form_hash(source: str) -> str:
    """A form's content hash: the SHA-256 of its YAML text, in hex."""
    return hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()


def parse_form(text: str, path: str = "<form>") -> Form:
    """Build a Form from YAML text, or raise FormError saying what is wrong and where."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FORM_BYTES:
        raise FormError(f"form file larger than {MAX_FORM_BYTES:,} bytes", path)
    data = _read_yaml(text, path)
    b = _Builder(path)
    if not isinstance(data, _Map):
        raise FormError("a form must be a YAML mapping", path)
    keys = ("id", "version", "title", "attributes", "sections", "rating", "glossary")
    b.mapping(data, "form", keys, ("id", "version", "title", "sections", "rating"))
    if not isinstance(data["id"], str) or not FORM_ID.fullmatch(data["id"]):
        raise b.fail("form id must be lower-case letters, digits and -", data, "id")
    version = data["version"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise b.fail("version must be a whole number of 1 or more", data, "version")
    title = str(b.text(data, "title", None))
    raw_questions: list[tuple[Question, _Map]] = []
    attributes = []
    for raw in b.seq(data, "attributes", None, optional=True):
        attributes.append(b.question(raw, data))
        raw_questions.append((attributes[-1], raw))
        _check_count(b, raw_questions, raw)
    sections = []
    for raw in b.seq(data, "sections", None):
        section, prompts = b.section(raw, data)
        sections.append(section)
        raw_questions += prompts
        _check_count(b, raw_questions, raw)
    for section in sections:
        for note in section.notes:
            if note.id in b.ids:  # pragma: no cover - '/' is not allowed in ids
                raise FormError("duplicate id", path, None, note.id)
    rating = b.rating(data["rating"], data)
    glossary = []
    for raw in b.seq(data, "glossary", None, optional=True):
        g = b.mapping(raw, "glossary entry", ("term", "meaning"), ("term", "meaning"), data)
        glossary.append(
            GlossaryEntry(str(b.text(g, "term", None)), str(b.text(g, "meaning", None)))
        )
    form = Form(data["id"], version, title, tuple(attributes), tuple(sections), rating,
                tuple(glossary), text, path)  # fmt: skip
    _check_expressions(form, raw_questions, b)
    return form


def _sample(q: Question) -> Any:
    samples = {"text": "text", "number": 1, "date": "2016-04-01"}
    if q.type in samples:
        return samples[q.type]
    first = q.choice_ids()[0]
    return [first] if q.type == "multiple" else first


def _check_expressions(form: Form, questions: list[tuple[Question, _Map]], b: _Builder) -> None:
    order = {q.id: i for i, q in enumerate(form.questions())}
    samples = {q.id: _sample(q) for q in form.questions()}
    for q, raw in questions:
        for key in ("relevant", "constraint", "calculate"):
            text = getattr(q, key)
            if text is None:
                continue
            try:
                tree = ex.parse(text)
            except ex.ExpressionError as exc:
                raise b.fail(f"{key} is not a valid expression: {exc}", raw, key, q.id) from None
            for name in sorted(ex.names(tree)):
                if name not in order:
                    raise b.fail(f"{key} refers to unknown question ${{{name}}}", raw, key, q.id)
                if key == "constraint":
                    continue  # a constraint may compare with any answer, its own included
                # Skip logic and calculations look back only, so one pass in form order
                # settles every question and no cycle can form.
                if name == q.id:
                    raise b.fail(f"{key} refers to the question itself", raw, key, q.id)
                if order[name] > order[q.id]:
                    raise b.fail(
                        f"{key} refers to ${{{name}}}, which comes later in the form",
                        raw,
                        key,
                        q.id,
                    )
            if key != "constraint" and ex.uses_current(tree):
                raise b.fail(f"{key} cannot use '.', which is only for constraints", raw, key, q.id)
            reason = _bad_choice(form, q, tree)
            if reason:
                raise b.fail(f"{key} {reason}", raw, key, q.id)
            try:
                ex.evaluate(tree, samples, samples[q.id])
            except ex.ExpressionError as exc:
                # division by zero and the like depend on the answers; wrong types never do
                if exc.kind == "type":
                    raise b.fail(f"{key} cannot be evaluated: {exc}", raw, key, q.id) from None


def _bad_choice(form: Form, q: Question, tree: ex.Expr) -> str | None:
    """Catch a misspelt choice id in `${x} = 'hgh'` or `selected(${x}, 'hgh')`."""
    pairs: list[tuple[ex.Expr, ex.Expr]] = []
    for node in ex.walk(tree):
        if isinstance(node, ex.Chain):
            operands = [node.first, *(e for _, e in node.rest)]
            pairs += [(operands[i], e) for i, (op, e) in enumerate(node.rest) if op in ("=", "!=")]
        elif isinstance(node, ex.Call) and node.name == "selected":
            pairs.append((node.args[0], node.args[1]))
    for left, right in pairs:
        for ref, lit in ((left, right), (right, left)):
            if not isinstance(lit, ex.Literal) or not isinstance(lit.value, str) or not lit.value:
                continue
            target = q if isinstance(ref, ex.Current) else None
            if isinstance(ref, ex.Ref):
                target = form.question(ref.name)
            if target is None or target.type not in ("single", "multiple", *SCORING_TYPES):
                continue
            if lit.value not in target.choice_ids():
                return (
                    f"compares ${{{target.id}}} with {lit.value!r}, which is not one of its choices"
                )
    return None


def _check_count(b: _Builder, questions: list[Any], where: _Map) -> None:
    if len(questions) > MAX_QUESTIONS:
        raise b.fail(f"more than {MAX_QUESTIONS} questions", where)


def load_form(path: str | Path) -> Form:
    shown = str(path)
    p = Path(path)
    try:
        if p.stat().st_size > MAX_FORM_BYTES:
            raise FormError(f"form file larger than {MAX_FORM_BYTES:,} bytes", shown)
        text = p.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise FormError("form file is not UTF-8 text", shown) from None
    except OSError as exc:
        raise FormError(f"cannot read form file: {exc.strerror or exc}", shown) from None
    return parse_form(text, shown)


def default_forms_dir() -> Path:
    return data.forms_dir()


def load_forms(directory: str | Path | None = None) -> dict[str, Form]:
    """Every *.yaml form in the directory, by form id; a bad or duplicate form is refused."""
    folder = Path(directory) if directory is not None else default_forms_dir()
    forms: dict[str, Form] = {}
    for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        form = load_form(path)
        if form.id in forms:
            raise FormError(f"form id {form.id!r} also defined in {forms[form.id].path}", str(path))
        forms[form.id] = form
    return forms
