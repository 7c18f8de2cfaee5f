"""Ratings: key-question percentages, Wilson intervals, bands, standard and overall rules."""

from __future__ import annotations

from fractions import Fraction

import pytest

from fieldwork.core.forms.loader import parse_form
from fieldwork.core.scoring import (
    percent,
    ratings_json,
    round_half_up,
    score,
    wilson_interval,
)

FORM = """
id: test-form
version: 1
title: Test form
attributes:
  - {id: sentence_type, text: Sentence type, type: single,
     choices: [{id: co, label: Community order}, {id: licence, label: Licence}]}
sections:
  - id: "2.1"
    title: Assessment
    question: Is assessment good?
    key_questions:
      - id: "2.1.1"
        text: Engaging?
        lens: engaging
        prompts: [{id: a1, text: Motivation considered?, type: yes_no_na}]
      - id: "2.1.2"
        text: Desistance?
        lens: desistance
        prompts: [{id: a2, text: Factors identified?, type: yes_no_na}]
  - id: "2.2"
    title: Planning
    question: Is planning good?
    key_questions:
      - id: "2.2.1"
        text: Engaging?
        prompts: [{id: p1, text: Person involved?, type: yes_no_na}]
rating:
  suggest: {rule: all}
  bands:
    - {rating: Outstanding, min: 80, points: 3}
    - {rating: Good, min: 65, points: 2}
    - {rating: Requires improvement, min: 50, points: 1}
    - {rating: Inadequate, min: 0, points: 0}
  standard_rule: lowest
  overall_bands:
    - {rating: Outstanding, min_points: 6}
    - {rating: Good, min_points: 4}
    - {rating: Requires improvement, min_points: 2}
    - {rating: Inadequate, min_points: 0}
"""


@pytest.fixture(scope="module")
def form():
    return parse_form(FORM, "test-form.yaml")


def judged(org, status, kq_id, yes=0, no=0, na=0, blank=0):
    """Cases judging one key question: `yes` sufficient, `no` not, `na`, `blank` unanswered."""
    values = ["yes"] * yes + ["no"] * no + ["na"] * na + [None] * blank
    return [(org, status, {} if v is None else {kq_id: v}) for v in values]


def kq(ratings, org, kq_id):
    for s in ratings.organisation(org).standards:
        for k in s.key_questions:
            if k.id == kq_id:
                return k
    raise KeyError(kq_id)


def test_exactly_80_percent_is_outstanding_and_just_under_is_good(form):
    r = score(
        form,
        judged("NPS", "complete", "2.1.1", yes=4, no=1)  # exactly 80%
        + judged("CRC", "complete", "2.1.1", yes=399, no=100),  # 79.96%, rounds to 80.0
    )
    assert kq(r, "NPS", "2.1.1").rating == "Outstanding"
    assert kq(r, "NPS", "2.1.1").percent == 80.0
    crc = kq(r, "CRC", "2.1.1")
    assert crc.percent == 80.0  # the rounded figure says 80.0 ...
    assert crc.rating == "Good"  # ... but the band is decided on the exact fraction


def test_band_edges_on_exact_fractions(form):
    r = score(
        form,
        judged("A", "complete", "2.1.1", yes=13, no=7)  # 65% exactly
        + judged("B", "complete", "2.1.1", yes=1, no=1)  # 50% exactly
        + judged("C", "complete", "2.1.1", yes=49, no=51),
    )
    assert kq(r, "A", "2.1.1").rating == "Good"
    assert kq(r, "B", "2.1.1").rating == "Requires improvement"
    assert kq(r, "C", "2.1.1").rating == "Inadequate"


def test_not_applicable_and_unanswered_are_left_out_of_the_denominator(form):
    r = score(form, judged("NPS", "reviewed", "2.1.1", yes=3, no=1, na=5, blank=2))
    k = kq(r, "NPS", "2.1.1")
    assert (k.sufficient, k.applicable, k.percent) == (3, 4, 75.0)
    assert k.rating == "Good"
    assert r.organisation("NPS").cases_complete == 11


def test_drafts_and_returned_are_counted_apart_and_not_started_nowhere(form):
    r = score(
        form,
        judged("NPS", "complete", "2.1.1", yes=1)
        + judged("NPS", "reviewed", "2.1.1", yes=1)
        + judged("NPS", "draft", "2.1.1", no=5)
        + judged("NPS", "returned", "2.1.1", no=5)
        + judged("NPS", "not_started", "2.1.1", blank=3),
    )
    o = r.organisation("NPS")
    assert (o.cases_complete, o.cases_draft) == (2, 10)  # the 3 not started are in neither
    k = kq(r, "NPS", "2.1.1")
    assert (k.sufficient, k.applicable, k.rating) == (2, 2, "Outstanding")


def test_lowest_key_question_decides_the_standard(form):
    both = [
        ("NPS", "complete", {"2.1.1": "yes", "2.1.2": "yes" if i < 6 else "no"}) for i in range(10)
    ]
    r = score(form, both)
    s = r.organisation("NPS").standard("2.1")
    assert kq(r, "NPS", "2.1.1").rating == "Outstanding"
    assert kq(r, "NPS", "2.1.2").rating == "Requires improvement"  # 60%
    assert (s.rating, s.points) == ("Requires improvement", 1)


def test_key_question_with_no_applicable_case_is_null_and_ignored(form):
    rows = [("NPS", "complete", {"2.1.1": "yes", "2.1.2": "na", "2.2.1": "no"})] * 3
    r = score(form, rows)
    k = kq(r, "NPS", "2.1.2")
    assert (k.applicable, k.percent, k.ci95, k.rating) == (0, None, None, None)
    assert r.organisation("NPS").standard("2.1").rating == "Outstanding"
    assert r.organisation("NPS").standard("2.2").rating == "Inadequate"


def test_standard_with_nothing_applicable_is_null_and_overall_waits_for_it(form):
    r = score(
        form, judged("NPS", "complete", "2.1.1", yes=2) + judged("NPS", "complete", "2.1.2", yes=2)
    )
    o = r.organisation("NPS")
    assert o.standard("2.2").rating is None and o.standard("2.2").points is None
    assert o.overall.rating is None
    assert (o.overall.points, o.overall.standards_rated, o.overall.standards_total) == (3, 1, 2)


def test_overall_rating_from_points(form):
    rows = [("NPS", "complete", {"2.1.1": "yes", "2.1.2": "yes", "2.2.1": "yes"})] * 4
    rows += [("CRC", "complete", {"2.1.1": "yes", "2.1.2": "no", "2.2.1": "yes"})] * 4
    r = score(form, rows, organisations=["NPS", "CRC", "Empty"])
    assert [o.name for o in r.organisations] == ["NPS", "CRC", "Empty"]
    assert r.organisation("NPS").overall.points == 6
    assert r.organisation("NPS").overall.rating == "Outstanding"
    assert r.organisation("CRC").overall.points == 3  # 2.1 Inadequate (0) + 2.2 Outstanding (3)
    assert r.organisation("CRC").overall.rating == "Requires improvement"
    empty = r.organisation("Empty")
    assert (empty.cases_complete, empty.overall.rating) == (0, None)


def test_percent_rounds_half_up_on_the_exact_fraction():
    assert percent(1, 8) == 12.5
    assert percent(1, 16) == 6.3  # 6.25 -> 6.3 (round() would give 6.2)
    assert percent(1, 3) == 33.3
    assert percent(2, 3) == 66.7
    assert percent(0, 0) is None
    assert round_half_up(Fraction(5, 1000), 2) == 0.01


@pytest.mark.parametrize(
    ("s", "n", "expected"),
    [
        (14, 18, (54.8, 91.0)),  # the example in issue 5
        (0, 10, (0.0, 27.8)),
        (10, 10, (72.2, 100.0)),
        (5, 10, (23.7, 76.3)),
        (81, 263, (25.5, 36.6)),  # Newcombe (1998) worked example: 0.2553 to 0.3662
    ],
)
def test_wilson_interval_known_values(s, n, expected):
    assert wilson_interval(s, n) == expected


def test_wilson_interval_none_without_cases():
    assert wilson_interval(0, 0) is None


def test_ratings_json_shape(form):
    r = score(form, judged("NPS", "complete", "2.1.1", yes=14, no=4), inspection="Durham")
    data = ratings_json(r)
    assert data["inspection"] == "Durham" and data["form"] == "test-form"
    org = data["organisations"][0]
    assert set(org) >= {"name", "cases_complete", "cases_draft", "standards", "overall"}
    std = org["standards"][0]
    assert set(std) >= {"id", "title", "rating", "points", "key_questions"}
    k = std["key_questions"][0]
    assert {
        key: k[key]
        for key in ("id", "text", "applicable", "sufficient", "percent", "ci95", "rating")
    } == {
        "id": "2.1.1",
        "text": "Engaging?",
        "applicable": 18,
        "sufficient": 14,
        "percent": 77.8,
        "ci95": [54.8, 91.0],
        "rating": "Good",
    }
    assert set(org["overall"]) >= {"points", "rating"}
