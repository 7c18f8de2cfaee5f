"""Load and check method files (fieldwork/methods/*.yaml) into frozen Method values.

Like a form, a method file may come inside a bundle, so it is read as hostile YAML and a
bad one is refused with one line naming the file, the line, the item and what is wrong.
`check_against_forms` then checks what the method says of its forms (every instrument's
form exists, every section and key question it names is there). The format is
documented in fieldwork/methods/README.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fieldwork.core import data
from fieldwork.core.forms import rules
from fieldwork.core.forms.method import (
    BASES,
    DEFAULT_TITLES,
    REPORT_PARTS,
    TERM_KEYS,
    Domain,
    GlossaryTerm,
    Instrument,
    Method,
    MethodKeyQuestion,
    OrganisationType,
    RatingRules,
    ReportPart,
    Standard,
)
from fieldwork.core.forms.yaml_source import Checker, MethodError, YamlMap, read_yaml
from fieldwork.core.samples import MIN_CASES

MAX_METHOD_BYTES = 1_000_000
METHOD_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
STANDARD_RULES = ("lowest",)
TOP_KEYS = (
    "id", "version", "title", "period", "description", "terms", "organisation_types",
    "instruments", "domains", "rating", "report", "glossary", "min_cases",
)  # fmt: skip
INSTRUMENT_KEYS = (
    "id", "title", "form", "sample", "sample_title", "drawn", "organisation_types",
)  # fmt: skip
STANDARD_KEYS = (
    "id", "number", "title", "statement", "basis", "instrument", "section",
    "form_key_questions", "key_questions", "organisation_types", "modelled",
)  # fmt: skip


class _Reader(Checker):
    error = MethodError
    label = "item"
    top = "method"

    def id_list(self, m: YamlMap, key: str, qid: str | None) -> tuple[str, ...]:
        items = self.seq(m, key, qid, optional=True)
        if not all(isinstance(i, str) and i.strip() for i in items):
            raise self.fail(f"{key} must be a list of ids in quotes", m, key, qid)
        if len(set(items)) != len(items):
            raise self.fail(f"{key} names an id twice", m, key, qid)
        return tuple(items)

    def types(self, m: YamlMap, qid: str | None, known: set[str]) -> tuple[str, ...]:
        found = self.id_list(m, "organisation_types", qid)
        for t in found:
            if t not in known:
                raise self.fail(f"unknown organisation type {t!r}", m, "organisation_types", qid)
        return found


def parse_method(text: str, path: str = "<method>") -> Method:
    """Build a Method from YAML text, or raise MethodError saying what is wrong and where."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_METHOD_BYTES:
        raise MethodError(f"method file larger than {MAX_METHOD_BYTES:,} bytes", path)
    doc = read_yaml(text, path, MethodError)
    r = _Reader(path)
    if not isinstance(doc, YamlMap):
        raise MethodError("a method must be a YAML mapping", path)
    r.mapping(doc, "method", TOP_KEYS, ("id", "version", "title", "instruments", "domains"))
    if not isinstance(doc["id"], str) or not METHOD_ID.fullmatch(doc["id"]):
        raise r.fail("method id must be lower-case letters, digits and -", doc, "id")
    version = doc["version"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise r.fail("version must be a whole number of 1 or more", doc, "version")
    min_cases = doc.get("min_cases", MIN_CASES)
    if isinstance(min_cases, bool) or not isinstance(min_cases, int) or min_cases < 1:
        raise r.fail("min_cases must be a whole number of 1 or more", doc, "min_cases")
    types = _organisation_types(r, doc)
    known = {t.id for t in types}
    instruments = _instruments(r, doc, known)
    rating = _rating(r, doc)
    domains = _domains(r, doc, known, {i.id for i in instruments})
    if not any(d.standards for d in domains):  # pragma: no cover - seq refuses empty lists
        raise r.fail("a method needs at least one standard", doc, "domains")
    if rating and rating.overall_standards is not None:
        # The most standards one organisation can be rated on (its type's, plus shared).
        most = max(
            sum(
                1
                for d in domains
                for st in d.standards
                if all(not ts or t in ts for ts in (d.organisation_types, st.organisation_types))
            )
            for t in [None, *known]
        )
        if rating.overall_standards > most:
            raise r.fail(
                f"overall_standards is {rating.overall_standards} but the method has {most}",
                doc,
                "rating",
            )
    glossary = []
    for raw in r.seq(doc, "glossary", None, optional=True):
        g = r.mapping(raw, "glossary entry", ("term", "meaning"), ("term", "meaning"), doc)
        glossary.append(GlossaryTerm(str(r.text(g, "term", None)), str(r.text(g, "meaning", None))))
    return Method(
        id=doc["id"],
        version=version,
        title=str(r.text(doc, "title", None)),
        period=r.text(doc, "period", None, optional=True),
        description=r.text(doc, "description", None, optional=True),
        terms=_terms(r, doc),
        organisation_types=types,
        instruments=instruments,
        domains=domains,
        rating=rating,
        report=_report(r, doc, rating is not None),
        glossary=tuple(glossary),
        source=text,
        path=path,
        min_cases=min_cases,
    )


def _terms(r: _Reader, doc: YamlMap) -> dict[str, str]:
    if doc.get("terms") is None:
        return {}
    m = r.mapping(doc["terms"], "terms", TERM_KEYS, (), doc)
    return {k: str(r.text(m, k, None)) for k in TERM_KEYS if k in m}


def _organisation_types(r: _Reader, doc: YamlMap) -> tuple[OrganisationType, ...]:
    out = []
    for raw in r.seq(doc, "organisation_types", None, optional=True):
        m = r.mapping(raw, "organisation type", ("id", "title", "names"), ("id", "title"), doc)
        tid = r.new_id(m, "organisation type")
        names = r.id_list(m, "names", tid)
        out.append(OrganisationType(tid, str(r.text(m, "title", tid)), names))
    return tuple(out)


def _instruments(r: _Reader, doc: YamlMap, known: set[str]) -> tuple[Instrument, ...]:
    out: list[Instrument] = []
    samples: set[str] = set()
    for raw in r.seq(doc, "instruments", None):
        required = ("id", "title", "form", "sample", "sample_title")
        m = r.mapping(raw, "instrument", INSTRUMENT_KEYS, required, doc)
        iid = r.new_id(m, "instrument")
        form = m["form"]
        if not isinstance(form, str) or not METHOD_ID.fullmatch(form):
            raise r.fail("form must be the id of a form", m, "form", iid)
        sample = m["sample"]
        if not isinstance(sample, str) or not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", sample):
            raise r.fail("sample must be lower-case letters, digits, _ and -", m, "sample", iid)
        if sample.casefold() in samples:
            raise r.fail(f"two instruments use the sample {sample!r}", m, "sample", iid)
        samples.add(sample.casefold())
        out.append(
            Instrument(
                iid,
                str(r.text(m, "title", iid)),
                form,
                sample,
                str(r.text(m, "sample_title", iid)),
                r.text(m, "drawn", iid, optional=True),
                r.types(m, iid, known),
            )
        )
    if out[0].organisation_types:
        raise r.fail(
            "the first (main) instrument must be for every organisation", doc, "instruments"
        )
    return tuple(out)


def _domains(
    r: _Reader, doc: YamlMap, known: set[str], instruments: set[str]
) -> tuple[Domain, ...]:
    out = []
    for raw in r.seq(doc, "domains", None):
        keys = ("id", "number", "title", "organisation_types", "standards")
        m = r.mapping(raw, "domain", keys, ("id", "title", "standards"), doc)
        did = r.new_id(m, "domain")
        types = r.types(m, did, known)
        standards = tuple(
            _standard(r, s, m, did, known, instruments) for s in r.seq(m, "standards", did)
        )
        number = _number(r, m, did)
        out.append(Domain(did, number, str(r.text(m, "title", did)), standards, types))
    return tuple(out)


def _number(r: _Reader, m: YamlMap, item_id: str) -> str:
    # "2.1" numbers itself; "reducing-reoffending" has no number unless given one.
    number = m.get("number", item_id if item_id[:1].isdigit() else "")
    if not isinstance(number, str) or len(number) > 16:
        raise r.fail('number must be short text in quotes, e.g. "2.1"', m, "number", item_id)
    return number


def _standard(
    r: _Reader, raw: Any, parent: YamlMap, domain: str, known: set[str], instruments: set[str]
) -> Standard:
    m = r.mapping(raw, "standard", STANDARD_KEYS, ("id", "title", "basis"), parent)
    sid = r.new_id(m, "standard")
    basis = m["basis"]
    if basis not in BASES:
        raise r.fail(f"basis must be one of {', '.join(BASES)}", m, "basis", sid)
    kqs: list[MethodKeyQuestion] = []
    instrument = section = None
    form_kqs: tuple[str, ...] = ()
    if basis == "cases":
        for key in ("key_questions",):
            if key in m:
                raise r.fail(f"{key} is for judgement-rated standards", m, key, sid)
        instrument = m.get("instrument")
        if instrument not in instruments:
            raise r.fail(
                f"instrument must be one of {', '.join(sorted(instruments))}", m, "instrument", sid
            )
        section = m.get("section")
        form_kqs = r.id_list(m, "form_key_questions", sid)
        if (section is None) == (not form_kqs):
            raise r.fail(
                "a case-based standard names a section or form_key_questions", m, None, sid
            )
        if section is not None and not isinstance(section, str):
            raise r.fail('section must be a section id in quotes, e.g. "2.1"', m, "section", sid)
    else:
        for key in ("instrument", "section", "form_key_questions"):
            if key in m:
                raise r.fail(f"{key} is for case-based standards", m, key, sid)
        for raw_kq in r.seq(m, "key_questions", sid):
            k = r.mapping(raw_kq, "key question", ("id", "text", "modelled"), ("id", "text"), m)
            kid = r.new_id(k, "key question")
            kqs.append(
                MethodKeyQuestion(kid, str(r.text(k, "text", kid)), r.flag(k, "modelled", kid))
            )
    return Standard(
        id=sid,
        number=_number(r, m, sid),
        title=str(r.text(m, "title", sid)),
        statement=r.text(m, "statement", sid, optional=True),
        domain=domain,
        basis=basis,
        instrument=instrument,
        section=section,
        form_key_questions=form_kqs,
        key_questions=tuple(kqs),
        organisation_types=r.types(m, sid, known),
        modelled=r.flag(m, "modelled", sid),
    )  # fmt: skip


def _rating(r: _Reader, doc: YamlMap) -> RatingRules | None:
    raw = doc.get("rating")
    if raw is None or raw == "none":
        return None
    keys = ("bands", "standard_rule", "overall_bands", "overall_standards")
    m = r.mapping(raw, "rating", keys, ("bands", "standard_rule", "overall_bands"), doc)
    if m["standard_rule"] not in STANDARD_RULES:
        raise r.fail(f"unknown standard_rule {m['standard_rule']!r}", m, "standard_rule")
    count = m.get("overall_standards")
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 1):
        raise r.fail(
            "overall_standards must be a whole number of 1 or more", m, "overall_standards"
        )
    bands = rules.read_bands(r, m, "bands", phrases=True)
    overall = rules.read_overall_bands(r, m, "overall_bands")
    return RatingRules(bands, m["standard_rule"], overall, count)


def _report(r: _Reader, doc: YamlMap, rated: bool) -> tuple[ReportPart, ...]:
    if doc.get("report") is None:
        parts = [p for p in REPORT_PARTS if rated or p != "ratings"]
        return tuple(ReportPart(p, DEFAULT_TITLES[p]) for p in parts)
    out: list[ReportPart] = []
    for raw in r.seq(doc, "report", None):
        m = r.mapping(raw, "report part", ("part", "title"), ("part",), doc)
        part = m["part"]
        if part not in REPORT_PARTS:
            raise r.fail(f"unknown report part {part!r} (use {', '.join(REPORT_PARTS)})", m, "part")
        if any(p.part == part for p in out):
            raise r.fail(f"the report names {part!r} twice", m, "part")
        if part == "ratings" and not rated:
            raise r.fail("a method that rates nothing has no summary of ratings", m, "part")
        out.append(
            ReportPart(part, r.text(m, "title", None, optional=True) or DEFAULT_TITLES[part])
        )
    if not any(p.part == "chapters" for p in out):
        raise r.fail("the report needs its chapters (part: chapters)", doc, "report")
    return tuple(out)


def check_against_forms(method: Method, forms: Mapping[str, Any]) -> None:
    """Refuse a method whose instruments or standards name what their forms do not hold."""
    used: dict[tuple[str, str], str] = {}
    for inst in method.instruments:
        if inst.form_id not in forms:
            raise MethodError(
                f"instrument {inst.id} uses the form {inst.form_id!r}, which is not there",
                method.path,
            )
    for s in method.standards():
        if s.basis != "cases":
            continue
        found = method.instrument(s.instrument)
        assert found is not None
        form = forms[found.form_id]
        if s.section is not None:
            section = next((x for x in form.sections if x.id == s.section), None)
            if section is None:
                raise MethodError(
                    f"standard {s.id}: the form {form.id} has no section {s.section!r}", method.path
                )
            ids = [kq.id for kq in section.key_questions]
        else:
            ids = list(s.form_key_questions)
            for kid in ids:
                if form.key_question(kid) is None:
                    raise MethodError(
                        f"standard {s.id}: the form {form.id} has no key question {kid!r}",
                        method.path,
                    )
        for kid in ids:
            if (found.id, kid) in used:
                raise MethodError(
                    f"standard {s.id}: key question {kid} is already reported under {used[(found.id, kid)]}",
                    method.path,
                )
            used[(found.id, kid)] = s.id


def load_method(path: str | Path) -> Method:
    shown = str(path)
    p = Path(path)
    try:
        if p.stat().st_size > MAX_METHOD_BYTES:
            raise MethodError(f"method file larger than {MAX_METHOD_BYTES:,} bytes", shown)
        text = p.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise MethodError("method file is not UTF-8 text", shown) from None
    except OSError as exc:
        raise MethodError(f"cannot read method file: {exc.strerror or exc}", shown) from None
    return parse_method(text, shown)


def load_methods(directory: str | Path | None = None) -> dict[str, Method]:
    """Every *.yaml method in the directory (default: the shipped ones), by id."""
    folder = Path(directory) if directory is not None else data.methods_dir()
    methods: dict[str, Method] = {}
    for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        method = load_method(path)
        if method.id in methods:
            raise MethodError(
                f"method id {method.id!r} also defined in {methods[method.id].path}", str(path)
            )
        methods[method.id] = method
    return methods
