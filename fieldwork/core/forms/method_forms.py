"""A method together with its instruments' forms: what the rest of the code asks of both.

`MethodForms` answers "which form assesses this case", "which key questions make up
this standard", "what is this key question called". `derive_for_form` gives the method
an inspection made with one form (release 0.1.0) opens under: the shipped method whose
instrument uses that form, cut down to that one instrument and the standards it feeds,
so the rules, words and report order are the method's own.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

from fieldwork.core.forms.loader import Form, KeyQuestion, Section
from fieldwork.core.forms.method import (
    DEFAULT_TITLES,
    REPORT_PARTS,
    Domain,
    GlossaryTerm,
    Instrument,
    Method,
    RatingRules,
    ReportPart,
    Standard,
)


@dataclass(frozen=True)
class KeyQuestionRef:
    """A key question of a standard, from a form (cases) or the method (judgement)."""

    id: str
    text: str
    lens: str | None
    modelled: bool = False


@dataclass(frozen=True)
class MethodForms:
    method: Method
    forms: Mapping[str, Form]

    @property
    def main_form(self) -> Form:
        return self.forms[self.method.main.form_id]

    def form_of(self, instrument_id: str | None) -> Form:
        inst = self.method.instrument(instrument_id) or self.method.main
        return self.forms[inst.form_id]

    def instrument_of(self, sample: str | None) -> Instrument:
        """The instrument of a case's sample; an unknown sample (say, from a method edited
        on another laptop) falls back to the main instrument rather than losing the case."""
        return self.method.instrument_for_sample(sample) or self.method.main

    def form_for_sample(self, sample: str | None) -> Form:
        return self.forms[self.instrument_of(sample).form_id]

    def all_forms(self) -> list[Form]:
        return [self.forms[fid] for fid in self.method.form_ids()]

    def section(self, standard: Standard) -> Section | None:
        """The form section a case-based standard takes whole (its notes feed the report)."""
        if standard.basis != "cases" or standard.section is None:
            return None
        form = self.form_of(standard.instrument)
        return next((s for s in form.sections if s.id == standard.section), None)

    def form_key_questions(self, standard: Standard) -> list[KeyQuestion]:
        if standard.basis != "cases":
            return []
        section = self.section(standard)
        if section is not None:
            return list(section.key_questions)
        form = self.form_of(standard.instrument)
        found = (form.key_question(k) for k in standard.form_key_questions)
        return [kq for kq in found if kq is not None]

    def key_questions(self, standard: Standard) -> list[KeyQuestionRef]:
        if standard.basis == "judgement":
            return [KeyQuestionRef(k.id, k.text, None, k.modelled) for k in standard.key_questions]
        return [
            KeyQuestionRef(k.id, k.text, k.lens or None) for k in self.form_key_questions(standard)
        ]

    def standard_sections(self, standard: Standard) -> list[Section]:
        """Sections whose notes (strengths, areas for improvement) belong to a standard:
        the whole section, or the sections its chosen key questions come from."""
        if standard.basis != "cases":
            return []
        section = self.section(standard)
        if section is not None:
            return [section]
        form = self.form_of(standard.instrument)
        found = [form.section_of(k) for k in standard.form_key_questions]
        return list({s.id: s for s in found if s is not None}.values())

    def glossary(self) -> list[tuple[str, str]]:
        """The method's terms first, then each form's, each term once."""
        seen: dict[str, tuple[str, str]] = {}
        for g in self.method.glossary:
            seen.setdefault(g.term.casefold(), (g.term, g.meaning))
        for form in self.all_forms():
            for e in form.glossary:
                seen.setdefault(e.term.casefold(), (e.term, e.meaning))
        return sorted(seen.values(), key=lambda t: t[0].casefold())


def derive_for_form(form: Form, shipped: Mapping[str, Method]) -> Method:
    """The method a file made with one form (release 0.1.0) opens under."""
    for method in sorted(shipped.values(), key=lambda m: m.id):
        for inst in method.instruments:
            if inst.form_id != form.id:
                continue
            cut = _cut_to(method, inst, form)
            if cut is not None:
                return cut
    return _from_form(form)


def _cut_to(method: Method, inst: Instrument, form: Form) -> Method | None:
    sections = {s.id for s in form.sections}
    domains = []
    for d in method.domains:
        kept = []
        for s in d.standards:
            if s.basis != "cases" or s.instrument != inst.id:
                continue
            if s.section is not None and s.section not in sections:
                return None
            if any(form.key_question(k) is None for k in s.form_key_questions):
                return None
            kept.append(dataclasses.replace(s, organisation_types=()))
        if kept:
            domains.append(dataclasses.replace(d, standards=tuple(kept), organisation_types=()))
    if not domains:
        return None
    return dataclasses.replace(
        method,
        instruments=(dataclasses.replace(inst, organisation_types=()),),
        domains=tuple(domains),
        source="",
        path=f"{method.id} (for {form.id})",
        legacy_form=form.id,
    )


def _from_form(form: Form) -> Method:
    """No shipped method uses this form: one domain, a standard per section, rated only
    if the form carries release 0.1.0's rating block (then by those bands)."""
    r = form.rating
    rating = None
    if r.bands and r.overall_bands:
        rating = RatingRules(r.bands, r.standard_rule, r.overall_bands, len(form.sections))
    standards = tuple(
        Standard(
            id=s.id,
            number=s.id if s.id[:1].isdigit() else "",
            title=s.title,
            statement=s.question,
            domain="form",
            basis="cases",
            instrument="main",
            section=s.id,
        )  # fmt: skip
        for s in form.sections
    )
    parts = [p for p in REPORT_PARTS if rating is not None or p != "ratings"]
    return Method(
        id=f"form-{form.id}",
        version=form.version,
        title=form.title,
        period=None,
        description=None,
        terms={},
        organisation_types=(),
        instruments=(Instrument("main", form.title, form.id, "main", "Case sample"),),
        domains=(Domain("form", "", form.title, standards),),
        rating=rating,
        report=tuple(ReportPart(p, DEFAULT_TITLES[p]) for p in parts),
        glossary=tuple(GlossaryTerm(g.term, g.meaning) for g in form.glossary),
        source="",
        path=f"(made from the form {form.id})",
        legacy_form=form.id,
    )
