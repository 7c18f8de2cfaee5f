"""Form files: the shipped forms load, bad forms are refused with one clear line, bands."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldwork.core.forms.loader import (
    Form,
    FormError,
    default_forms_dir,
    load_form,
    load_forms,
    parse_form,
)

REPO_FORMS = Path(__file__).resolve().parents[2] / "fieldwork" / "forms"
SHIPPED = sorted(REPO_FORMS.glob("*.yaml"))

BASE = """\
id: tiny
version: 1
title: Tiny form
attributes:
  - id: risk_level
    text: Risk level
    type: single
    required: true
    choices:
      - {id: low, label: Low}
      - {id: high, label: High}
  - id: hours
    text: Hours
    type: number
    constraint: ". >= 0"
sections:
  - id: "2.1"
    title: Assessment
    question: Is assessment good?
    key_questions:
      - id: "2.1.1"
        text: Engaging?
        lens: engaging
        prompts:
          - id: "2.1.1a"
            text: Motivation considered?
            type: yes_no_na
            required: true
            relevant: "${risk_level} = 'high'"
          - id: "2.1.1b"
            text: Views recorded?
            type: yes_no_na
rating:
  suggest: {rule: all}
  bands:
    - {rating: Outstanding, min: 80, points: 3}
    - {rating: Good, min: 65, points: 2}
    - {rating: Requires improvement, min: 50, points: 1}
    - {rating: Inadequate, min: 0, points: 0}
  standard_rule: lowest
  overall_bands:
    - {rating: Outstanding, min_points: 3}
    - {rating: Inadequate, min_points: 0}
glossary:
  - {term: MAPPA, meaning: Multi-agency public protection arrangements}
"""


def edited(old: str, new: str) -> str:
    assert old in BASE, old
    return BASE.replace(old, new, 1)


def refusal(text: str) -> FormError:
    with pytest.raises(FormError) as info:
        parse_form(text, "forms/tiny.yaml")
    error = info.value
    assert "\n" not in str(error)
    assert str(error).startswith("forms/tiny.yaml")
    return error


# --- the shipped forms --------------------------------------------------------------------


def test_the_shipped_forms_are_the_instruments_of_the_two_methods() -> None:
    assert {p.stem for p in SHIPPED} >= {
        "adult-case-supervision",
        "court-work",
        "victim-work",
        "unpaid-work",
        "through-the-gate",
        "quality-impact-2016",
        "court-reports-2016",
    }


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_every_shipped_form_loads_and_is_consistent(path: Path) -> None:
    form = load_form(path)
    assert form.id == path.stem
    assert form.source == path.read_text(encoding="utf-8")
    assert form.path == str(path)
    ids = [q.id for q in form.questions()]
    ids += [s.id for s in form.sections] + [kq.id for kq in form.key_questions()]
    assert len(ids) == len(set(ids))
    assert form.glossary and form.sections and form.key_questions()
    for section in form.sections:
        assert [n.id for n in section.notes] == [
            f"{section.id}/strengths",
            f"{section.id}/improvements",
        ]
        for kq in section.key_questions:
            assert any(p.type in ("yes_no", "yes_no_na") for p in kq.prompts)
            assert form.section_of(kq.id) is section
    # Rating rules live in the method now (methods/*.yaml): a shipped form rates nothing.
    assert form.rating.bands == () and form.rating.overall_bands == ()
    assert "rating:" not in form.source


def test_load_forms_reads_the_default_directory() -> None:
    forms = load_forms()
    assert default_forms_dir() == REPO_FORMS
    assert set(forms) == {p.stem for p in SHIPPED}
    assert all(isinstance(f, Form) for f in forms.values())


def test_adult_case_supervision_shape() -> None:
    form = load_forms()["adult-case-supervision"]
    assert [s.id for s in form.sections] == ["2.1", "2.2", "2.3", "2.4"]
    for section in form.sections:
        assert [kq.lens for kq in section.key_questions] == ["engaging", "desistance", "safety"]
        assert all(3 <= len(kq.prompts) <= 8 for kq in section.key_questions)
    attribute_ids = {q.id for q in form.attributes}
    assert {
        "sentence_type",
        "start_date",
        "requirements",
        "risk_level",
        "mappa_level",
        "domestic_abuse",
        "child_safeguarding",
        "gender",
        "ethnicity_group",
        "age_band",
    } <= attribute_ids
    assert not attribute_ids & {"organisation", "office", "officer"}
    assert form.rating.suggest_rule == "all"
    assert form.question("mappa_level").relevant  # type: ignore[union-attr]
    # The key questions in the published wording ("...focus sufficiently on...").
    assert form.key_question("2.1.1").text == (  # type: ignore[union-attr]
        "Does assessment focus sufficiently on engaging the service user?"
    )


def test_quality_impact_has_three_outcome_questions() -> None:
    form = load_forms()["quality-impact-2016"]
    outcomes = form.sections[-1]
    assert outcomes.title == "Outcomes" and len(outcomes.key_questions) == 3
    # 2016 rated nothing: no bands, no points, no invented "three-quarters" rule.
    assert form.rating.bands == () and form.rating.suggest_rule == "all"


def test_court_work_is_one_standard_as_published() -> None:
    form = load_forms()["court-work"]
    assert [(s.id, s.title) for s in form.sections] == [("3.1", "Court reports and allocation")]
    assert [kq.id for kq in form.key_questions()] == ["3.1.1", "3.1.2", "3.1.3"]


def test_a_release_0_1_0_form_with_its_rating_block_still_loads() -> None:
    form = parse_form(BASE)
    assert [b.rating for b in form.rating.bands][0] == "Outstanding"


def test_a_form_gives_suggest_or_the_old_rating_block_not_both() -> None:
    both = BASE + "suggest: {rule: all}\n"
    assert "not both" in str(refusal(both))
    neither = BASE[: BASE.index("rating:")] + BASE[BASE.index("glossary:") :]
    assert "needs suggest" in str(refusal(neither))
    new = (
        BASE[: BASE.index("rating:")]
        + "suggest: {rule: majority}\n"
        + BASE[BASE.index("glossary:") :]
    )
    assert parse_form(new).rating.suggest_rule == "majority"


# --- the Form API -----------------------------------------------------------------------------


def test_questions_order_and_lookup() -> None:
    form = parse_form(BASE)
    assert [q.id for q in form.questions()] == [
        "risk_level",
        "hours",
        "2.1.1a",
        "2.1.1b",
        "2.1/strengths",
        "2.1/improvements",
    ]
    assert form.question("2.1/strengths").type == "text"  # type: ignore[union-attr]
    assert not form.question("2.1/strengths").required  # type: ignore[union-attr]
    assert form.question("2.1.1") is None and form.question("nope") is None
    kq = form.key_question("2.1.1")
    assert kq is not None and kq.lens == "engaging"
    assert kq.judgement.type == "yes_no_na" and kq.judgement.id == "2.1.1"
    assert form.key_questions() == [kq]
    assert form.section_of("2.1.1").title == "Assessment"  # type: ignore[union-attr]
    assert form.section_of("2.1.1a") is None
    assert form.glossary[0].term == "MAPPA"
    assert form.path == "<form>" and form.source == BASE


def test_forms_are_frozen_and_comparable() -> None:
    a, b = parse_form(BASE), parse_form(BASE)
    assert a == b
    with pytest.raises(AttributeError):
        a.title = "x"  # type: ignore[misc]


# --- bands on the exact fraction ----------------------------------------------------------


@pytest.mark.parametrize(
    ("sufficient", "applicable", "rating"),
    [
        (4, 5, "Outstanding"),  # exactly 80%
        (8, 10, "Outstanding"),
        (399, 500, "Good"),  # 79.8%, rounds to 80 but is not
        (79, 100, "Good"),
        (7999, 10000, "Good"),
        (13, 20, "Good"),  # exactly 65%
        (129, 200, "Requires improvement"),  # 64.5%
        (1, 2, "Requires improvement"),  # exactly 50%
        (99, 199, "Inadequate"),  # 49.7%
        (0, 3, "Inadequate"),
        (3, 3, "Outstanding"),
        (2, 3, "Good"),  # 66.67%
    ],
)
def test_band_edges(sufficient: int, applicable: int, rating: str) -> None:
    assert parse_form(BASE).band_for(sufficient, applicable).rating == rating


def test_fractional_band_minimum_is_exact() -> None:
    form = parse_form(edited("min: 65, points: 2", "min: 62.5, points: 2"))
    assert form.band_for(5, 8).rating == "Good"  # exactly 62.5%
    assert form.band_for(624, 1000).rating == "Requires improvement"


@pytest.mark.parametrize(("sufficient", "applicable"), [(1, 0), (-1, 3), (4, 3)])
def test_band_for_refuses_impossible_counts(sufficient: int, applicable: int) -> None:
    with pytest.raises(ValueError):
        parse_form(BASE).band_for(sufficient, applicable)


def test_overall_for() -> None:
    form = parse_form(BASE)
    assert form.overall_for(3).rating == "Outstanding"
    assert form.overall_for(2).rating == "Inadequate"
    assert form.overall_for(0).rating == "Inadequate"


# --- refusals ---------------------------------------------------------------------------------

BAD = [
    # (old, new, question id in the message, line or None, reason fragment)
    (
        "relevant: \"${risk_level} = 'high'\"",
        'relevant: "${foo} = 1"',
        "2.1.1a",
        29,
        "relevant refers to unknown question ${foo}",
    ),
    (
        "relevant: \"${risk_level} = 'high'\"",
        "relevant: \"${2.1.1a} = 'yes'\"",
        "2.1.1a",
        29,
        "relevant refers to the question itself",
    ),
    (
        "relevant: \"${risk_level} = 'high'\"",
        "relevant: \"${2.1.1b} = 'yes'\"",
        "2.1.1a",
        29,
        "comes later in the form",
    ),
    (
        "relevant: \"${risk_level} = 'high'\"",
        "relevant: \". = 'yes'\"",
        "2.1.1a",
        29,
        "relevant cannot use '.'",
    ),
    (
        "relevant: \"${risk_level} = 'high'\"",
        'relevant: "${risk_level} = = 1"',
        "2.1.1a",
        29,
        "relevant is not a valid expression: unexpected '=' at position 16",
    ),
    (
        "relevant: \"${risk_level} = 'high'\"",
        "relevant: \"${risk_level} = 'hgh'\"",
        "2.1.1a",
        29,
        "compares ${risk_level} with 'hgh', which is not one of its choices",
    ),
    (
        "relevant: \"${risk_level} = 'high'\"",
        "relevant: \"selected(${risk_level}, 'x')\"",
        "2.1.1a",
        29,
        "not one of its choices",
    ),
    (
        "relevant: \"${risk_level} = 'high'\"",
        "relevant: \"${hours} = 'many'\"",
        "2.1.1a",
        29,
        "relevant cannot be evaluated: cannot compare a number with text",
    ),
    (
        "relevant: \"${risk_level} = 'high'\"",
        "relevant: true",
        "2.1.1a",
        29,
        "relevant must be an expression in quotes",
    ),
    (
        'constraint: ". >= 0"',
        'constraint: ". >= ${nope}"',
        "hours",
        15,
        "constraint refers to unknown question ${nope}",
    ),
    (
        'constraint: ". >= 0"',
        "constraint: \". + 'a' > 1\"",
        "hours",
        15,
        "constraint cannot be evaluated",
    ),
    (
        'constraint: ". >= 0"',
        'constraint: "frobnicate(.)"',
        "hours",
        15,
        "unknown function frobnicate()",
    ),
    (
        "type: yes_no_na\n            required: true",
        "type: maybe\n            required: true",
        "2.1.1a",
        27,
        "unknown question type 'maybe'",
    ),
    ('id: "2.1.1b"', 'id: "2.1.1a"', "2.1.1a", 30, "duplicate id"),
    ('id: "2.1.1b"', "id: hours", "hours", 30, "duplicate id (already used by a question)"),
    ('id: "2.1.1"', 'id: "2.1"', "2.1", 21, "duplicate id (already used by a section)"),
    ('id: "2.1.1b"', 'id: "bad id!"', "bad id!", 30, "bad question id"),
    ('id: "2.1.1b"', "id: 2.5", None, 30, 'question id must be text (quote it, e.g. id: "2.1")'),
    (
        "{id: high, label: High}",
        "{id: low, label: High}",
        "risk_level",
        11,
        "duplicate choice id 'low'",
    ),
    ("{id: high, label: High}", "{id: yes, label: High}", "risk_level", 11, "quote yes/no"),
    (
        "    choices:\n      - {id: low, label: Low}\n      - {id: high, label: High}\n",
        "",
        "risk_level",
        5,
        "choices must be a non-empty list",
    ),
    (
        "    choices:\n      - {id: low, label: Low}\n      - {id: high, label: High}\n",
        "    choices: []\n",
        "risk_level",
        9,
        "choices must be a non-empty list",
    ),
    (
        'constraint: ". >= 0"',
        'constraint: ". >= 0"\n    choices: [{id: a, label: A}]',
        "hours",
        16,
        "choices given for a number question",
    ),
    (
        "    text: Hours\n",
        "    text: Hours\n    relevnt: x\n",
        "hours",
        14,
        "unknown field 'relevnt' in question",
    ),
    ("    text: Hours\n", "    text: Hours\n    text: Minutes\n", None, 14, "duplicate key 'text'"),
    ("    text: Hours\n", "", "hours", 12, "question has no text"),
    ("    text: Hours\n", "    text: ''\n", "hours", 13, "text must be text"),
    (
        "required: true\n    choices",
        "required: 'yes'\n    choices",
        "risk_level",
        8,
        "required must be true or false",
    ),
    ("id: tiny", "id: Tiny_Form", None, 1, "form id must be lower-case"),
    ("id: tiny\n", "", None, 1, "form has no id"),
    ("version: 1", "version: one", None, 2, "version must be a whole number"),
    ("version: 1", "version: true", None, 2, "version must be a whole number"),
    ("title: Tiny form\n", "", None, 1, "form has no title"),
    (
        "title: Tiny form\n",
        "title: Tiny form\nowner: me\n",
        None,
        4,
        "unknown field 'owner' in form",
    ),
    ("{rule: all}", "{rule: most}", None, 34, "unknown suggest rule 'most'"),
    ("{rule: all}", "{rule: threshold}", None, 34, "threshold value must be a percentage"),
    ("{rule: all}", "{rule: threshold, value: 150}", None, 34, "threshold value"),
    ("{rule: all}", "{rule: all, value: 50}", None, 34, "suggest rule 'all' takes no value"),
    ("min: 65, points: 2", "min: 85, points: 2", None, 37, "bands must be in descending order"),
    ("min: 0, points: 0", "min: 10, points: 0", None, 39, "bands must go down to min 0"),
    ("min: 65, points: 2", "min: 65, points: 4", None, 35, "a lower band cannot score more"),
    ("min: 65, points: 2", "min: 65, points: -1", None, 37, "points must be a whole number"),
    ("min: 80, points: 3", "min: 180, points: 3", None, 36, "min must be a number from 0 to 100"),
    ("{rating: Good, min: 65", "{rating: Outstanding, min: 65", None, 35, "name a rating twice"),
    ("standard_rule: lowest", "standard_rule: average", None, 40, "unknown standard_rule"),
    (
        "{rating: Inadequate, min_points: 0}",
        "{rating: Inadequate, min_points: 1}",
        None,
        43,
        "overall_bands must go down to min_points 0",
    ),
    (
        "{rating: Outstanding, min_points: 3}",
        "{rating: Outstanding, min_points: 2.5}",
        None,
        42,
        "min_points must be a number",
    ),
    ("  standard_rule: lowest\n", "", None, 34, "rating has no standard_rule"),
    (
        "{term: MAPPA, meaning: Multi-agency public protection arrangements}",
        "{term: MAPPA}",
        None,
        45,
        "glossary entry has no meaning",
    ),
    ("    title: Assessment\n", "", "2.1", 17, "section has no title"),
    (
        "        lens: engaging\n",
        "        lens: engaging\n        weight: 2\n",
        "2.1.1",
        24,
        "unknown field 'weight' in key question",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "question_id", "line", "reason"), BAD, ids=[b[4][:40] for b in BAD]
)
def test_bad_forms_are_refused_with_one_line(
    old: str, new: str, question_id: str | None, line: int | None, reason: str
) -> None:
    error = refusal(edited(old, new))
    assert reason in error.reason, str(error)
    assert error.path == "forms/tiny.yaml"
    assert error.question_id == question_id, str(error)
    assert error.line == line, str(error)
    expected = "forms/tiny.yaml"
    expected += f" line {line}" if line else ""
    expected += f": question {question_id}" if question_id else ""
    assert str(error).startswith(expected + ": "), str(error)


def test_message_format_matches_the_design() -> None:
    error = refusal(edited("${risk_level} = 'high'", "${foo} = 1"))
    assert str(error) == (
        "forms/tiny.yaml line 29: question 2.1.1a: relevant refers to unknown question ${foo}"
    )
    assert isinstance(error, ValueError)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("id: [unclosed\n", "not valid YAML"),
        ("- just\n- a list\n", "a form must be a YAML mapping"),
        ("just text", "a form must be a YAML mapping"),
        ("", "a form must be a YAML mapping"),
        ("a: &x [1]\nb: *x\n", "YAML aliases (*name) are not allowed"),
        ("!!python/object/apply:os.system ['echo hi']\n", "not valid YAML"),
        ("[" * 5000 + "]" * 5000, "not valid YAML"),
        # An impossible date (found by `make soak`'s fuzzer: it was a bare ValueError).
        ("8392-01-00", "a form must be a YAML mapping"),
    ],
)
def test_not_a_form(text: str, reason: str) -> None:
    assert reason in refusal(text).reason


def test_size_caps(tmp_path: Path) -> None:
    big = BASE + "#" + "x" * 1_000_001 + "\n"
    assert "larger than" in refusal(big).reason
    path = tmp_path / "big.yaml"
    path.write_text(big, encoding="utf-8")
    with pytest.raises(FormError, match="larger than"):
        load_form(path)
    prompts = "".join(f"          - {{id: p{i}, text: P, type: yes_no}}\n" for i in range(5001))
    many = edited("        prompts:\n", "        prompts:\n" + prompts)
    assert "more than 5000 questions" in refusal(many).reason


def test_file_errors(tmp_path: Path) -> None:
    with pytest.raises(FormError, match="cannot read form file"):
        load_form(tmp_path / "missing.yaml")
    bad = tmp_path / "latin.yaml"
    bad.write_bytes(b"title: caf\xe9\n")
    with pytest.raises(FormError, match="not UTF-8"):
        load_form(bad)


def test_load_forms_refuses_two_files_with_one_id(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(BASE, encoding="utf-8")
    with pytest.raises(FormError, match="form id 'tiny' also defined in"):
        load_forms(tmp_path)


def test_load_forms_reports_the_bad_file(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "bad.yaml").write_text(edited("type: yes_no_na", "type: nope"), encoding="utf-8")
    with pytest.raises(FormError) as info:
        load_forms(tmp_path)
    assert info.value.path == str(tmp_path / "bad.yaml")
    assert info.value.question_id == "2.1.1a"


def test_optional_parts_may_be_left_out() -> None:
    text = edited(
        "glossary:\n  - {term: MAPPA, meaning: Multi-agency public protection arrangements}\n",
        "",
    )
    text = text.replace("        lens: engaging\n", "")
    form = parse_form(text)
    assert form.glossary == () and form.key_questions()[0].lens == ""
