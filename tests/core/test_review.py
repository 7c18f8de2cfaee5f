"""Review validation: visibility, values, constraints, judgements, completeness, CLI values."""

from __future__ import annotations

from typing import Any

import pytest

from fieldwork.core.casework.validation import (
    Problem,
    check_value,
    effective_answers,
    is_complete,
    is_visible,
    judgement_applies,
    parse_cli_value,
    suggest_judgement,
    validate,
    visible_questions,
)
from fieldwork.core.forms.loader import Form, load_forms, parse_form

FORM = """\
id: review-test
version: 1
title: Review test
attributes:
  - id: risk
    text: Risk level
    type: single
    required: true
    choices: [{id: low, label: Low}, {id: high, label: High}]
  - id: da
    text: Domestic abuse
    type: yes_no
    required: true
  - id: mappa
    text: MAPPA level
    type: single
    required: true
    relevant: "${risk} = 'high'"
    choices: [{id: none, label: None}, {id: level_2, label: Level 2}]
  - id: hours
    text: Unpaid work hours
    type: number
    constraint: ". >= 40 and . <= 300"
    constraint_message: Unpaid work hours run from 40 to 300.
  - id: start
    text: Start date
    type: date
  - id: reqs
    text: Requirements
    type: multiple
    choices: [{id: uw, label: Unpaid work}, {id: rar, label: Rehabilitation activity}]
  - id: double_hours
    text: Double the hours
    type: number
    calculate: "${hours} * 2"
sections:
  - id: S1
    title: Assessment
    question: Is assessment good?
    key_questions:
      - id: K1
        text: Engaging?
        lens: engaging
        prompts:
          - {id: p1, text: Motivation?, type: yes_no_na, required: true}
          - {id: p2, text: Views?, type: yes_no_na, required: true}
          - {id: p3, text: Optional extra?, type: yes_no_na}
          - {id: p4, text: Comment, type: text}
      - id: K2
        text: Safety?
        lens: safety
        prompts:
          - {id: q1, text: DA checks?, type: yes_no_na, required: true, relevant: "${da} = 'yes'"}
          - {id: q2, text: MAPPA used?, type: yes_no, required: true,
             relevant: "${mappa} = 'level_2'"}
          - id: q3
            text: First appointment
            type: date
            constraint: "${start} = '' or . >= ${start}"
            constraint_message: The first appointment cannot be before the start date.
rating:
  suggest: {rule: all}
  bands:
    - {rating: Outstanding, min: 80, points: 3}
    - {rating: Inadequate, min: 0, points: 0}
  standard_rule: lowest
  overall_bands:
    - {rating: Outstanding, min_points: 3}
    - {rating: Inadequate, min_points: 0}
"""


@pytest.fixture(scope="module")
def form() -> Form:
    return parse_form(FORM, "review-test.yaml")


def with_rule(rule: str) -> Form:
    return parse_form(FORM.replace("{rule: all}", rule))


def ids(problems: list[Problem], kind: str | None = None) -> list[str]:
    return [p.question_id for p in problems if kind is None or p.kind == kind]


def full(**extra: Any) -> dict[str, Any]:
    answers: dict[str, Any] = {"risk": "low", "da": "no", "p1": "yes", "p2": "yes", "K1": "yes"}
    answers.update(extra)
    return {k: v for k, v in answers.items() if v is not None}


# --- visibility ---------------------------------------------------------------------------


def test_skip_logic(form: Form) -> None:
    shown = [q.id for q in visible_questions(form, {"risk": "low", "da": "no"})]
    assert "mappa" not in shown and "q1" not in shown and "q2" not in shown
    assert shown[:2] == ["risk", "da"] and shown[-2:] == ["S1/strengths", "S1/improvements"]
    shown = [q.id for q in visible_questions(form, {"risk": "high", "da": "yes"})]
    assert {"mappa", "q1"} <= set(shown)
    assert not is_visible(form, form.question("mappa"), {})  # type: ignore[arg-type]
    assert is_visible(form, form.question("risk"), {})  # type: ignore[arg-type]


def test_hidden_answers_cascade(form: Form) -> None:
    # mappa was answered while risk was high; once risk is low, mappa is hidden and its
    # answer no longer opens q2
    answers = {"risk": "high", "mappa": "level_2"}
    assert is_visible(form, form.question("q2"), answers)  # type: ignore[arg-type]
    answers["risk"] = "low"
    assert not is_visible(form, form.question("q2"), answers)  # type: ignore[arg-type]
    assert effective_answers(form, answers)["mappa"] is None


def test_calculate(form: Form) -> None:
    assert effective_answers(form, {"hours": 50})["double_hours"] == 100
    assert effective_answers(form, {})["double_hours"] is None
    assert effective_answers(form, {"hours": "oops"})["double_hours"] is None


# --- values -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("qid", "value", "ok"),
    [
        ("da", "yes", True),
        ("da", "na", False),
        ("da", True, False),
        ("p1", "na", True),
        ("p1", "maybe", False),
        ("risk", "high", True),
        ("risk", "medium", False),
        ("risk", ["high"], False),
        ("reqs", ["uw", "rar"], True),
        ("reqs", [], True),
        ("reqs", ["uw", "uw"], False),
        ("reqs", ["nope"], False),
        ("reqs", "uw", False),
        ("hours", 120, True),
        ("hours", 12.5, True),
        ("hours", True, False),
        ("hours", "120", False),
        ("hours", float("nan"), False),
        ("hours", 10**20, False),
        ("start", "2016-02-29", True),
        ("start", "2015-02-29", False),
        ("start", "2016-2-1", False),
        ("start", "01/02/2016", False),
        ("p4", "Some text", True),
        ("p4", 3, False),
        ("p4", "x" * 100_001, False),
        ("S1/strengths", "Clear plans", True),
        ("p1", None, True),
    ],
)
def test_check_value(form: Form, qid: str, value: Any, ok: bool) -> None:
    error = check_value(form.question(qid), value)  # type: ignore[arg-type]
    assert (error is None) == ok, error
    if error:
        assert error.endswith(".") and "\n" not in error


# --- validation ---------------------------------------------------------------------------


def test_empty_review_lists_required_questions(form: Form) -> None:
    problems = validate(form, {}, {})
    assert ids(problems, "required") == ["risk", "da", "p1", "p2"]
    # K1's prompts are shown but not answered, so its judgement is still owed
    assert ids(problems, "judgement") == ["K1"]
    assert all(p.message.endswith(".") for p in problems)


def test_complete_review(form: Form) -> None:
    assert validate(form, full(), {}) == []
    assert is_complete(form, full(), {})


def test_missing_required_after_skip_logic_opens(form: Form) -> None:
    problems = validate(form, full(risk="high", da="yes"), {})
    assert ids(problems, "required") == ["mappa", "q1"]
    assert ids(problems, "judgement") == ["K2"]
    assert not is_complete(form, full(risk="high", da="yes"), {})


def test_failed_constraint_uses_the_form_message(form: Form) -> None:
    problems = validate(form, full(hours=20), {})
    assert problems == [Problem("hours", "constraint", "Unpaid work hours run from 40 to 300.")]
    assert validate(form, full(hours=40), {}) == []


def test_constraint_against_another_answer(form: Form) -> None:
    assert ids(validate(form, full(start="2016-05-01", q3="2016-04-01"), {})) == ["q3"]
    assert validate(form, full(start="2016-05-01", q3="2016-05-02"), {}) == []
    assert validate(form, full(q3="2016-05-02"), {}) == []  # no start date: nothing to compare


def test_invalid_values_are_reported_not_checked_against_constraints(form: Form) -> None:
    problems = validate(form, full(hours="lots", risk="medium"), {})
    assert [(p.question_id, p.kind) for p in problems] == [
        ("risk", "invalid"),
        ("hours", "invalid"),
    ]


def test_hidden_answers_are_ignored(form: Form) -> None:
    # q1 is hidden (no domestic abuse): a stale, even invalid, answer does not count
    answers = full(q1="garbage", mappa="not-a-choice")
    assert validate(form, answers, {}) == []


def test_notes_are_accepted(form: Form) -> None:
    assert validate(form, full(**{"S1/strengths": "Good", "S1/improvements": "More"}), {}) == []


def test_judgement_values(form: Form) -> None:
    assert ids(validate(form, full(K1=None), {}), "judgement") == ["K1"]
    assert ids(validate(form, full(K1="maybe"), {}), "invalid") == ["K1"]
    # Differs from the prompts' "yes": complete only with a recorded reason.
    assert ids(validate(form, full(K1="no"), {}), "reason") == ["K1"]
    assert validate(form, full(K1="no"), {"K1": "Seen in the file"}) == []
    # An inspector may override to n/a, with a reason like any other override.
    assert validate(form, full(K1="na"), {"K1": "Not relevant to this order"}) == []


def test_key_question_with_all_prompts_na_needs_no_judgement(form: Form) -> None:
    answers = full(p1="na", p2="na", K1=None)
    assert not judgement_applies(form, "K1", answers)
    assert validate(form, answers, {}) == []


def test_key_question_with_no_visible_prompts_needs_no_judgement(form: Form) -> None:
    assert not judgement_applies(form, "K2", full())
    assert judgement_applies(form, "K2", full(da="yes"))


# --- suggested judgements ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "answers", "expected"),
    [
        ("{rule: all}", {"p1": "yes", "p2": "yes"}, "yes"),
        ("{rule: all}", {"p1": "yes", "p2": "no"}, "no"),
        ("{rule: all}", {"p1": "yes", "p2": "na"}, "yes"),  # na is left out
        ("{rule: all}", {"p1": "yes", "p2": "yes", "p3": "no"}, "no"),
        ("{rule: all}", {"p1": "na", "p2": "na"}, "na"),
        ("{rule: all}", {"p1": "yes"}, None),  # a required prompt is unanswered
        ("{rule: all}", {}, None),
        ("{rule: all}", {"p1": "na", "p2": "na", "p3": "yes"}, "yes"),
        ("{rule: majority}", {"p1": "yes", "p2": "yes", "p3": "no"}, "yes"),
        ("{rule: majority}", {"p1": "yes", "p2": "no"}, "no"),  # a tie is not a majority
        ("{rule: majority}", {"p1": "yes", "p2": "no", "p3": "na"}, "no"),
        ("{rule: threshold, value: 66}", {"p1": "yes", "p2": "yes", "p3": "no"}, "yes"),
        ("{rule: threshold, value: 67}", {"p1": "yes", "p2": "yes", "p3": "no"}, "no"),
        ("{rule: threshold, value: 50}", {"p1": "yes", "p2": "no"}, "yes"),  # exactly 50%
    ],
)
def test_suggest_judgement(rule: str, answers: dict[str, Any], expected: str | None) -> None:
    form = with_rule(rule)
    kq = form.key_question("K1")
    assert suggest_judgement(form, kq, answers) == expected  # type: ignore[arg-type]


def test_suggestion_ignores_hidden_prompts(form: Form) -> None:
    answers = full(q1="no", q2="no")  # both hidden
    assert suggest_judgement(form, "K2", answers) == "na"
    answers = full(da="yes", q1="yes", q2="no")  # q2 still hidden
    assert suggest_judgement(form, "K2", answers) == "yes"


def test_suggest_unknown_key_question(form: Form) -> None:
    with pytest.raises(KeyError):
        suggest_judgement(form, "nope", {})


# --- the shipped adult form end to end ------------------------------------------------------


def complete_answers(form: Form, answers: dict[str, Any]) -> dict[str, Any]:
    """Answer every visible required question with its first valid value, then judge."""
    simple = {"yes_no": "yes", "yes_no_na": "yes", "text": "x", "date": "2016-04-01"}
    for _ in range(3):  # answers open more questions
        for q in visible_questions(form, answers):
            if q.id in answers or not q.required:
                continue
            if q.type in simple:
                answers[q.id] = simple[q.type]
            elif q.type == "number":
                answers[q.id] = 60
            elif q.type == "multiple":
                answers[q.id] = [q.choices[0].id]
            else:
                answers[q.id] = q.choices[0].id
    for kq in form.key_questions():
        answers[kq.id] = suggest_judgement(form, kq, answers)
    return {k: v for k, v in answers.items() if v is not None}


def test_adult_form_review_completes() -> None:
    form = load_forms()["adult-case-supervision"]
    answers = complete_answers(
        form,
        {"sentence_type": "community_order", "risk_level": "high", "mappa_level": "level_2",
         "domestic_abuse": "yes", "child_safeguarding": "no",
         "requirements": ["unpaid_work", "drug_treatment"]},
    )  # fmt: skip
    assert validate(form, answers, {}) == []
    assert answers["2.1.3c"] == "yes" and "2.1.3d" not in answers  # safeguarding flag is no
    assert all(answers[kq.id] == "yes" for kq in form.key_questions())
    answers["unpaid_work_hours"] = 500
    assert ids(validate(form, answers, {}), "constraint") == ["unpaid_work_hours"]
    answers["unpaid_work_hours"] = 60.5
    assert ids(validate(form, answers, {}), "constraint") == ["unpaid_work_hours"]


def test_adult_form_low_risk_hides_mappa() -> None:
    form = load_forms()["adult-case-supervision"]
    shown = {q.id for q in visible_questions(form, {"risk_level": "low", "mappa_level": "level_3"})}
    assert "mappa_level" not in shown and "2.2.3e" not in shown and "2.4.3e" not in shown
    shown = {q.id for q in visible_questions(form, {"risk_level": "very_high"})}
    assert {"mappa_level", "2.4.3e"} <= shown and "2.2.3e" not in shown


# --- command-line values ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("qid", "text", "expected"),
    [
        ("da", "yes", "yes"),
        ("da", " NO ", "no"),
        ("p1", "na", "na"),
        ("risk", "high", "high"),
        ("reqs", "uw rar", ["uw", "rar"]),
        ("reqs", "rar  uw rar", ["rar", "uw"]),
        ("reqs", "   ", None),
        ("hours", "120", 120),
        ("hours", "-3", -3),
        ("hours", "12.5", 12.5),
        ("start", "2016-04-01", "2016-04-01"),
        ("start", "1/4/2016", "2016-04-01"),  # the UK way: day first
        ("start", "21 Sep 2015", "2015-09-21"),
        ("risk", "HIGH", "high"),  # a choice by its id in any case
        ("da", "Yes", "yes"),
        ("p1", "Not applicable", "na"),
        ("p4", "  any text, kept as typed ", "  any text, kept as typed "),
        ("p4", "", None),
        ("risk", "", None),
    ],
)
def test_parse_cli_value(form: Form, qid: str, text: str, expected: Any) -> None:
    assert parse_cli_value(form.question(qid), text) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("qid", "text", "fragment"),
    [
        ("da", "na", "question da takes yes or no, not 'na'"),
        ("p1", "maybe", "question p1 takes yes, no or na"),
        ("risk", "medium", "question risk has no choice 'medium' (choices: low, high)"),
        ("risk", "low high", "question risk takes one choice, not 2"),
        ("reqs", "uw nope", "has no choice 'nope'"),
        ("hours", "ten", "question hours takes a number"),
        ("hours", "1e400", "takes a number"),
        ("hours", "9" * 40, "takes a number"),
        ("hours", "nan", "takes a number"),
        ("start", "1/4/20166", "takes a date such as 21/09/2015 or 2015-09-21"),
        ("start", "31/2/2016", "question start: 31/2/2016 is not a day of the calendar."),
        ("start", "2016-02-30", "question start: That date does not exist."),
    ],
)
def test_parse_cli_value_errors(form: Form, qid: str, text: str, fragment: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_cli_value(form.question(qid), text)  # type: ignore[arg-type]
    assert fragment in str(info.value)
    assert "\n" not in str(info.value)


def test_parse_cli_value_for_a_judgement(form: Form) -> None:
    kq = form.key_question("K1")
    assert parse_cli_value(kq, "na") == "na"  # type: ignore[arg-type]
    assert parse_cli_value(kq.judgement, "yes") == "yes"  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="question K1 takes yes, no or na"):
        parse_cli_value(kq, "sufficient")  # type: ignore[arg-type]


def test_core_does_not_import_qt() -> None:
    import subprocess
    import sys

    code = (
        "import sys, fieldwork.core.casework.validation, fieldwork.core.forms.loader, fieldwork.core.forms.expressions; "
        "sys.exit(any(m.startswith('PySide6') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
