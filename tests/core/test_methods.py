"""Method files: the two shipped methods, the published rules worked through, refusals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fieldwork.core.forms.loader import load_forms, parse_form
from fieldwork.core.forms.method_forms import MethodForms, derive_for_form
from fieldwork.core.forms.method_loader import (
    check_against_forms,
    load_methods,
    parse_method,
)
from fieldwork.core.forms.yaml_source import MethodError
from fieldwork.core.model import KeyQuestionJudgement, Override, StandardJudgement
from fieldwork.core.ratings_view import ratings_json, ratings_table
from fieldwork.core.scoring import score

REPO_METHODS = Path(__file__).resolve().parents[2] / "fieldwork" / "methods"
NPS, CRC = "Glanmor NPS", "Tresaith CRC"
RATINGS = ("Outstanding", "Good", "Requires improvement", "Inadequate")


@pytest.fixture(scope="module")
def forms() -> dict:
    return load_forms()


@pytest.fixture(scope="module")
def methods() -> dict:
    return load_methods()


@pytest.fixture(scope="module")
def standards(methods: dict, forms: dict) -> MethodForms:
    return MethodForms(methods["standards-2018"], forms)


@pytest.fixture(scope="module")
def quality(methods: dict, forms: dict) -> MethodForms:
    return MethodForms(methods["quality-impact-2016"], forms)


# --- the shipped methods -------------------------------------------------------------------


def test_both_methods_ship_and_match_their_forms(methods: dict, forms: dict) -> None:
    assert set(methods) == {"standards-2018", "quality-impact-2016"}
    assert {p.stem for p in REPO_METHODS.glob("*.yaml")} == set(methods)
    for m in methods.values():
        check_against_forms(m, forms)


def test_standards_framework_rates_ten_standards_per_organisation(methods: dict) -> None:
    m = methods["standards-2018"]
    assert m.rated and m.rating is not None
    nps = [s.label for s in m.standards_for(NPS)]
    crc = [s.label for s in m.standards_for(CRC)]
    assert len(nps) == len(crc) == 10 == m.rating.overall_standards
    assert nps[:8] == crc[:8] == [
        "1.1 Leadership", "1.2 Staff", "1.3 Services", "1.4 Information and facilities",
        "2.1 Assessment", "2.2 Planning", "2.3 Implementation and delivery", "2.4 Reviewing",
    ]  # fmt: skip
    assert nps[8:] == ["3.1 Court reports and allocation", "3.2 Statutory victim work"]
    assert crc[8:] == ["3.1 Unpaid work", "3.2 Through the Gate"]
    assert [s.basis for s in m.standards_for(NPS)[:4]] == ["judgement"] * 4
    # Standards are statements, in the published wording.
    assert m.standard("2.1").statement == (
        "Assessment is well-informed, analytical and personalised, actively involving "
        "the service user."
    )
    assert [(b.rating, b.min, b.points, b.phrase) for b in m.rating.bands] == [
        ("Outstanding", 80, 3, "a large majority"),
        ("Good", 65, 2, "a reasonable majority"),
        ("Requires improvement", 50, 1, "too few"),
        ("Inadequate", 0, 0, "a minority"),
    ]
    assert m.term("person") == "service user"


def test_quality_and_impact_rates_nothing_and_puts_outcomes_first(methods: dict) -> None:
    m = methods["quality-impact-2016"]
    assert m.rating is None and not m.rated
    assert "ratings" not in [p.part for p in m.report]
    assert [d.title for d in m.domains] == ["Outcomes", "Delivering quality services"]
    assert [s.title for s in m.domains[0].standards] == [
        "Reducing reoffending",
        "Protecting the public",
        "Abiding by the sentence",
    ]
    assert (m.term("person"), m.term("practitioner")) == ("service user", "responsible officer")


def test_every_instrument_has_its_own_sample(methods: dict) -> None:
    m = methods["standards-2018"]
    assert [(i.id, i.sample) for i in m.instruments] == [
        ("case-supervision", "main"),
        ("court-reports", "court-reports"),
        ("victim-work", "victim-contact"),
        ("unpaid-work", "unpaid-work"),
        ("through-the-gate", "through-the-gate"),
    ]
    assert m.instrument_for_sample(None) is m.main
    assert m.instrument_for_sample("Victim-Contact").id == "victim-work"  # type: ignore[union-attr]
    assert m.instrument_for_sample("nonsense") is None


# --- the published rules, worked -----------------------------------------------------------


def _cases(org: str, sample: str | None, judged: dict[str, tuple[int, int]]) -> list[tuple]:
    """Complete cases of one sample: per key question (sufficient, not sufficient)."""
    n = max(y + no for y, no in judged.values())
    rows = []
    for i in range(n):
        answers = {}
        for kq, (y, no) in judged.items():
            if i < y:
                answers[kq] = "yes"
            elif i < y + no:
                answers[kq] = "no"
        rows.append((org, "complete", answers, sample))
    return rows


ALL_YES = {k: (10, 0) for k in ("2.1.1", "2.1.2", "2.1.3")}


def test_a_standard_whose_lowest_key_question_is_64_9_percent_requires_improvement(
    standards: MethodForms,
) -> None:
    cases = _cases(NPS, None, {"2.1.1": (1000, 0), "2.1.2": (649, 351), "2.1.3": (900, 100)})
    r = score(standards, cases, organisations=[NPS])
    s = r.organisation(NPS).standard("2.1")
    kq = s.key_questions[1]
    assert (kq.sufficient, kq.applicable, kq.percent) == (649, 1000, 64.9)
    assert kq.rating == "Requires improvement"
    assert (s.rating, s.points) == ("Requires improvement", 1)
    # banded on the exact fraction: 1299 of 2000 is 64.95%, shown as 65.0, still below Good
    r = score(standards, _cases(NPS, None, {"2.1.1": (1299, 701)}), organisations=[NPS])
    kq = r.organisation(NPS).standard("2.1").key_questions[0]
    assert kq.percent == 65.0 and kq.rating == "Requires improvement"


def _ten_standards(standards: MethodForms, outstanding: int) -> Any:
    """An NPS division with ten rated standards: `outstanding` of them Outstanding (3), the
    rest Good (2). Domain one by judgement, the rest from cases of their own samples."""
    m = standards.method
    chosen = m.standards_for(NPS)
    want = {s.id: ("Outstanding" if i < outstanding else "Good") for i, s in enumerate(chosen)}
    judgements = {
        (NPS, s.id): StandardJudgement("x", NPS, s.id, want[s.id], "Seen in meetings")
        for s in chosen
        if s.basis == "judgement"
    }
    cases: list[tuple] = []
    for s in chosen:
        if s.basis != "cases":
            continue
        share = (9, 1) if want[s.id] == "Outstanding" else (7, 3)  # 90% or 70%
        inst = m.instrument(s.instrument)
        assert inst is not None
        kqs = {k.id: share for k in standards.form_key_questions(s)}
        cases += _cases(NPS, inst.sample, kqs)
    return score(standards, cases, organisations=[NPS], judgements=judgements)


def test_ten_standards_worth_26_points_are_outstanding_and_25_good(standards: MethodForms) -> None:
    top = _ten_standards(standards, outstanding=6).organisation(NPS)  # 6*3 + 4*2 = 26
    assert [s.rating for s in top.standards].count("Outstanding") == 6
    assert (top.overall.points, top.overall.rating) == (26, "Outstanding")
    assert (top.overall.standards_rated, top.overall.standards_total) == (10, 10)
    below = _ten_standards(standards, outstanding=5).organisation(NPS)  # 5*3 + 5*2 = 25
    assert (below.overall.points, below.overall.rating) == (25, "Good")
    rules = standards.method.rating
    assert rules is not None
    assert [rules.overall_for(p).rating for p in (0, 5, 6, 15, 16, 25, 26, 30)] == [
        "Inadequate", "Inadequate", "Requires improvement", "Requires improvement",
        "Good", "Good", "Outstanding", "Outstanding",
    ]  # fmt: skip


def test_no_overall_rating_until_all_ten_are_rated(standards: MethodForms) -> None:
    r = score(standards, _cases(NPS, None, ALL_YES), organisations=[NPS])
    o = r.organisation(NPS)
    assert o.standard("2.1").rating == "Outstanding"
    assert o.overall.rating is None and o.overall.standards_rated == 1


def test_a_joint_inspection_rates_each_organisation_separately(standards: MethodForms) -> None:
    cases = _cases(NPS, None, ALL_YES) + _cases(CRC, None, {"2.1.1": (5, 5)})
    cases += _cases(CRC, "unpaid-work", {"3.1.1": (8, 2)})
    r = score(standards, cases, organisations=[NPS, CRC])
    nps, crc = r.organisation(NPS), r.organisation(CRC)
    assert (nps.type, crc.type) == ("nps", "crc")
    assert nps.standard("2.1").rating == "Outstanding"
    assert crc.standard("2.1").rating == "Requires improvement"
    assert crc.standard("3.1-unpaid").rating == "Outstanding"
    assert not nps.has_standard("3.1-unpaid") and not crc.has_standard("3.1-court")
    # Each case counts under its own instrument only.
    assert crc.standard("2.1").cases_counted == 10
    assert crc.standard("3.1-unpaid").cases_counted == 10
    assert {i.id: i.cases_complete for i in crc.instruments}["unpaid-work"] == 10


def test_professional_discretion_sets_the_rating_and_keeps_the_rules_result(
    standards: MethodForms,
) -> None:
    overrides = {(NPS, "2.1"): Override("x", NPS, "2.1", "Good", "One missing risk assessment")}
    r = score(standards, _cases(NPS, None, ALL_YES), organisations=[NPS], overrides=overrides)
    s = r.organisation(NPS).standard("2.1")
    assert (s.rating, s.points, s.rule_rating) == ("Good", 2, "Outstanding")
    assert s.overridden and s.override.reason == "One missing risk assessment"  # type: ignore[union-attr]
    data = ratings_json(r)
    assert data["overrides"] == [
        {
            "organisation": NPS,
            "standard": "2.1",
            "rule_rating": "Outstanding",
            "rating": "Good",
            "reason": "One missing risk assessment",
        }
    ]
    std = data["organisations"][0]["standards"][4]
    assert (std["id"], std["overridden"], std["rule_rating"]) == ("2.1", True, "Outstanding")
    assert "professional discretion" in ratings_table(r)


def test_judgement_rated_key_questions_carry_judgements_and_sources(
    standards: MethodForms,
) -> None:
    from fieldwork.core.model import Evidence

    items = [
        Evidence("e1", "meeting", None, "Heads of service", "", "", None, None, ("1.1.1",)),
        Evidence("e2", "document", None, "Business plan", "", "", NPS, None, ("1.1",)),
        Evidence("e3", "focus_group", None, "Staff", "", "", CRC, None, ("1.1.1",)),
    ]
    kqj = {(NPS, "1.1.1"): KeyQuestionJudgement("x", NPS, "1.1.1", "yes", "Clear vision")}
    r = score(standards, [], organisations=[NPS], kq_judgements=kqj, evidence=items)
    kq = r.organisation(NPS).standard("1.1").key_questions[0]
    assert (kq.judgement, kq.judgement_text, kq.sources) == ("yes", "Clear vision", 2)
    assert r.organisation(NPS).standard("1.1").rating is None


def test_quality_and_impact_prints_no_rating_anywhere(quality: MethodForms) -> None:
    cases = _cases("NPS", None, {"QI1.1": (9, 1), "QI4.1": (3, 7)})
    cases += _cases("NPS", "court-reports", {"PSR.1": (4, 6)})
    cases += _cases("CRC", None, {"QI1.1": (5, 5)})
    r = score(quality, cases, organisations=["NPS", "CRC"])
    data = ratings_json(r)
    assert data["method"] == {"id": "quality-impact-2016", "title": r.method_title, "rated": False}

    def ratings_in(node: Any) -> list[Any]:
        found = []
        if isinstance(node, dict):
            for k, v in node.items():
                if k in ("rating", "points", "rule_rating") and v is not None:
                    found.append((k, v))
                found += ratings_in(v)
        elif isinstance(node, list):
            for v in node:
                found += ratings_in(v)
        return found

    assert ratings_in(data) == []
    text = json.dumps(data) + ratings_table(r)
    assert not [name for name in RATINGS if name in text]
    nps = r.organisation("NPS")
    assert [s.title for s in nps.standards][:3] == [
        "Reducing reoffending",
        "Protecting the public",
        "Abiding by the sentence",
    ]
    assert nps.standard("reducing-reoffending").key_questions[0].percent == 30.0
    assert nps.standard("court-work").key_questions[0].applicable == 10
    assert not r.organisation("CRC").has_standard("court-work")  # NPS-only sample


def test_prompt_counts_are_kept_for_the_results_annex(standards: MethodForms) -> None:
    rows = [(NPS, "complete", {"2.1.1a": v, "2.1.1": "yes"}, None) for v in ("yes", "no", "na")]
    r = score(standards, rows, organisations=[NPS])
    prompt = r.organisation(NPS).standard("2.1").key_questions[0].prompts[0]
    assert (prompt.id, prompt.yes, prompt.no, prompt.na, prompt.percent) == (
        "2.1.1a",
        1,
        1,
        1,
        50.0,
    )


# --- a file made with one form -------------------------------------------------------------


def test_a_one_form_file_opens_under_the_method_of_its_form(methods: dict, forms: dict) -> None:
    m = derive_for_form(forms["adult-case-supervision"], methods)
    assert m.id == "standards-2018" and m.legacy_form == "adult-case-supervision"
    assert [i.id for i in m.instruments] == ["case-supervision"]
    assert [s.id for s in m.standards()] == ["2.1", "2.2", "2.3", "2.4"]
    q = derive_for_form(forms["quality-impact-2016"], methods)
    assert q.id == "quality-impact-2016" and not q.rated
    assert "court-work" not in [s.id for s in q.standards()]


def test_a_form_no_method_uses_gets_a_method_of_its_own(methods: dict) -> None:
    text = (REPO_METHODS.parent / "forms" / "court-work.yaml").read_text()
    other = parse_form(text.replace("id: court-work", "id: other-court-work"))
    m = derive_for_form(other, methods)
    assert m.id == "form-other-court-work" and not m.rated
    assert [s.id for s in m.standards()] == ["3.1"]


# --- refusals ---------------------------------------------------------------------------------


def _shipped_text() -> str:
    return (REPO_METHODS / "standards-2018.yaml").read_text(encoding="utf-8")


def refusal(text: str) -> str:
    with pytest.raises(MethodError) as info:
        parse_method(text, "methods/x.yaml")
    message = str(info.value)
    assert "\n" not in message and message.startswith("methods/x.yaml")
    return message


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ("title: Standards framework", "titel: Standards framework", "unknown field 'titel'"),
        ("basis: judgement", "basis: vibes", "basis must be one of"),
        ("instrument: case-supervision", "instrument: nowhere", "instrument must be one of"),
        ("sample: victim-contact", "sample: main", "two instruments use the sample"),
        ("organisation_types: [nps]", "organisation_types: [probation]", "unknown organisation"),
        ("  overall_standards: 10", "  overall_standards: 11", "overall_standards is 11"),
        ("{rating: Good, min: 65", "{rating: Good, min: 85", "descending order"),
        ("  - {part: chapters}\n", "", "needs its chapters"),
        ("  - {part: glossary, title: Glossary}", "  - {part: glossry}", "unknown report part"),
    ],
)
def test_bad_method_files_are_refused_in_one_line(old: str, new: str, reason: str) -> None:
    text = _shipped_text()
    assert old in text, old
    assert reason in refusal(text.replace(old, new, 1))


def test_a_method_that_rates_nothing_has_no_summary_of_ratings() -> None:
    text = (REPO_METHODS / "quality-impact-2016.yaml").read_text(encoding="utf-8")
    text = text.replace("  - {part: overall_findings, title: Overview}\n",
                        "  - {part: overall_findings, title: Overview}\n  - {part: ratings}\n")  # fmt: skip
    assert "rates nothing" in refusal(text)


def test_a_method_naming_a_missing_section_is_refused(forms: dict) -> None:
    m = parse_method(_shipped_text().replace('section: "2.4"', 'section: "2.9"'), "x.yaml")
    with pytest.raises(MethodError, match="no section '2.9'"):
        check_against_forms(m, forms)
