"""Load and validate form definitions (forms/*.yaml) into frozen Form values.

A form file may arrive inside a bundle from another laptop, so it is checked as hostile
input: a bad form is refused with one line naming the file, the line, the question and
what is wrong. The YAML format is documented in forms/README.md.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fieldwork.core import data
from fieldwork.core.forms import expressions as ex
from fieldwork.core.forms import rules
from fieldwork.core.forms.rules import Band as Band
from fieldwork.core.forms.rules import OverallBand as OverallBand
from fieldwork.core.forms.yaml_source import (
    ITEM_ID,
    Checker,
    FormError,
    YamlMap,
    read_yaml,
)
from fieldwork.core.forms.yaml_source import (
    MAX_TEXT as MAX_TEXT,
)

MAX_FORM_BYTES = 1_000_000
SHORT_HASH = 12  # hex digits of a form's content hash shown in reports and ratings
MAX_QUESTIONS = 5000
MAX_CHOICES = 1000
QUESTION_TYPES = ("yes_no", "yes_no_na", "single", "multiple", "text", "number", "date")
SCORING_TYPES = ("yes_no", "yes_no_na")
SUGGEST_RULES = ("all", "majority", "threshold")
STANDARD_RULES = ("lowest",)
FORM_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_YES_NO = {"yes_no": ("yes", "no"), "yes_no_na": ("yes", "no", "na")}


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
        """Band of sufficient/applicable under a release-0.1.0 `rating:` block, compared as
        an exact fraction. Forms of later releases carry no bands: the method rates."""
        return rules.band_for(self.rating.bands, sufficient, applicable)

    def overall_for(self, points: int) -> OverallBand:
        return rules.overall_for(self.rating.overall_bands, points)


# --- building and validating ---------------------------------------------------------------


class _Builder(Checker):
    def question(self, raw: Any, parent: YamlMap) -> Question:
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

    def section(self, raw: Any, parent: YamlMap) -> tuple[Section, list[tuple[Question, YamlMap]]]:
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

    def suggest(self, raw: Any, parent: YamlMap) -> tuple[str, int | float | None]:
        s = self.mapping(raw, "suggest", ("rule", "value"), ("rule",), parent)
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
        return rule, value

    def rating(self, raw: Any, parent: YamlMap) -> Rating:
        """The `rating:` block of a form written by release 0.1.0 (rules now live in the
        inspection's method; see methods/README.md). Still read, so older files open."""
        keys = ("suggest", "bands", "standard_rule", "overall_bands")
        r = self.mapping(raw, "rating", keys, keys, parent)
        rule, value = self.suggest(r["suggest"], r)
        bands = rules.read_bands(self, r, "bands")
        if r["standard_rule"] not in STANDARD_RULES:
            raise self.fail(f"unknown standard_rule {r['standard_rule']!r}", r, "standard_rule")
        overall = rules.read_overall_bands(self, r, "overall_bands")
        return Rating(rule, value, bands, r["standard_rule"], overall)


def form_hash(source: str) -> str:
    """A form's content hash: the SHA-256 of its YAML text, in hex."""
    return hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()


def parse_form(text: str, path: str = "<form>") -> Form:
    """Build a Form from YAML text, or raise FormError saying what is wrong and where.

    A Form is immutable, so one parse serves every Store of the process: the worker
    thread opens its own for each task and would otherwise read every form again."""
    return _parse_form(text, path)


@functools.lru_cache(maxsize=16)
def _parse_form(text: str, path: str) -> Form:
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FORM_BYTES:
        raise FormError(f"form file larger than {MAX_FORM_BYTES:,} bytes", path)
    data = read_yaml(text, path)
    b = _Builder(path)
    if not isinstance(data, YamlMap):
        raise FormError("a form must be a YAML mapping", path)
    keys = ("id", "version", "title", "attributes", "sections", "suggest", "rating", "glossary")
    b.mapping(data, "form", keys, ("id", "version", "title", "sections"))
    if not isinstance(data["id"], str) or not FORM_ID.fullmatch(data["id"]):
        raise b.fail("form id must be lower-case letters, digits and -", data, "id")
    version = data["version"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise b.fail("version must be a whole number of 1 or more", data, "version")
    title = str(b.text(data, "title", None))
    raw_questions: list[tuple[Question, YamlMap]] = []
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
    if ("suggest" in data) == ("rating" in data):
        raise b.fail("a form needs suggest: (or, from release 0.1.0, rating:), not both", data)
    if "rating" in data:
        rating = b.rating(data["rating"], data)
    else:
        rule, value = b.suggest(data["suggest"], data)
        rating = Rating(rule, value, (), "lowest", ())
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


def _check_expressions(form: Form, questions: list[tuple[Question, YamlMap]], b: _Builder) -> None:
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


def _check_count(b: _Builder, questions: list[Any], where: YamlMap) -> None:
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
