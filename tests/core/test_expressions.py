"""The expression language of forms: grammar, None handling, functions, hostile input."""

from __future__ import annotations

import contextlib
import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldwork.core.forms.expressions import (
    ExpressionError,
    evaluate,
    names,
    parse,
    uses_current,
)


def ev(text: str, current: object = None, **values: object) -> object:
    return evaluate(text, values, current)


# --- grammar and precedence -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("10 - 4 - 3", 3),  # left-associative
        ("12 div 3 div 2", 2),
        ("7 div 2", 3.5),
        ("8 div 2", 4),
        ("7 mod 3", 1),
        ("-7 mod 3", -1),  # sign of the dividend, as in XPath
        ("7.5 mod 2", 1.5),
        ("- 2 * 3", -6),
        ("--2", 2),
        ("2 * -3", -6),
        ("1.5 + .5", 2.0),
        ("1 + 2 = 3", True),
        ("1 < 2 = true()", True),
        ("1 = 1 or 1 = 2 and 1 = 3", True),  # and binds tighter than or
        ("(1 = 1 or 1 = 2) and 1 = 3", False),
        ("not(1 = 2)", True),
        ("true() and not(false())", True),
        ("'a' = \"a\"", True),
        ("'b' > 'a'", True),
        ("'2016-04-01' < '2016-12-31'", True),
        ("3 >= 3 and 3 <= 3 and 2 != 3", True),
    ],
)
def test_grammar_and_precedence(text: str, expected: object) -> None:
    assert ev(text) == expected


def test_references_with_dotted_hyphenated_and_slashed_ids() -> None:
    values = {"2.1.1a": "yes", "age-band": "18-24", "2.1/strengths": "Good work", "x_1": 4}
    assert evaluate("${2.1.1a} = 'yes' and ${age-band} = '18-24'", values) is True
    assert evaluate("string-length(${2.1/strengths}) + ${x_1}", values) == 13
    assert names("${2.1.1a} = 'yes' or ${age-band} = ${x_1} + ${x_1}") == {
        "2.1.1a",
        "age-band",
        "x_1",
    }


def test_current_value() -> None:
    assert ev(". >= 40 and . <= 300", 120) is True
    assert ev(". >= 40 and . <= 300", 301) is False
    assert uses_current(". > 1") and not uses_current("${a} > 1")


def test_parse_is_cached_and_accepts_a_tree() -> None:
    assert parse("${a} + 1") is parse("${a} + 1")
    tree = parse("${a} + 1")
    assert evaluate(tree, {"a": 2}) == 3
    assert names(tree) == {"a"}


# --- unanswered values --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${x} = ''", True),
        ("${x} != ''", False),
        ("'' = ${x}", True),
        ("${x} = 'high'", False),
        ("${x} != 'high'", False),  # stays closed until answered
        ("${x} > 3", False),
        ("${x} < 3", False),
        ("${x} = ${y}", True),
        ("${x} + 1", None),
        ("${x} + 1 > 0", False),
        ("-${x}", None),
        ("not(${x})", True),
        ("${x} and true()", False),
        ("count-selected(${x})", 0),
        ("selected(${x}, 'a')", False),
        ("string-length(${x})", 0),
        ("coalesce(${x}, ${y}, 'z')", "z"),
    ],
)
def test_unanswered_is_none(text: str, expected: object) -> None:
    assert ev(text) == expected


def test_and_short_circuits_so_a_guard_protects_the_right_side() -> None:
    assert ev("${x} != '' and ${x} > 'a' + 1") is False
    assert ev("1 = 1 or 'a' + 1") is True


# --- functions --------------------------------------------------------------------------------


def test_selected_and_count_selected() -> None:
    req = ["unpaid_work", "drug_treatment"]
    assert ev("selected(${r}, 'unpaid_work')", r=req) is True
    assert ev("selected(${r}, 'licence')", r=req) is False
    assert ev("count-selected(${r})", r=req) == 2
    assert ev("selected(${s}, 'high')", s="high") is True  # a single choice works too
    assert ev("${r} = 'unpaid_work drug_treatment'", r=req) is True


def test_text_functions_and_if() -> None:
    assert ev("string-length('abc')") == 3
    assert ev("string-length(12.0)") == 2
    assert ev("if(${n} > 2, 'big', 'small')", n=3) == "big"
    assert ev("if(${n} > 2, 'big', 'small')", n=1) == "small"
    assert ev("if(true(), 1, 'a' + 1)") == 1  # lazy: the other branch is not evaluated
    assert ev("contains('domestic abuse', 'abuse')") is True
    assert ev("starts-with('2016-04-01', '2016')") is True
    assert ev("concat('a', 1, true())") == "a1true"
    assert ev("number('42') + number('0.5')") == 42.5
    assert ev("number('x')") is None
    assert ev("string(3) = '3'") is True


def test_today_is_an_iso_date() -> None:
    assert ev("today()") == datetime.date.today().isoformat()
    assert ev("'2000-01-01' <= today()") is True


# --- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("1 +", "end of expression"),
        ("(1 + 2", "expected ')'"),
        ("1 + 2)", "unexpected ')'"),
        ("'abc", "unterminated string"),
        ("${abc", "unterminated ${"),
        ("${} = 1", "bad question reference"),
        ("${a b} = 1", "bad question reference"),
        ("risk = 1", "unknown name 'risk'"),
        ("eval('1')", "unknown function eval()"),
        ("__import__('os')", "unknown"),
        ("selected(${a})", "selected() takes 2 arguments"),
        ("today(1)", "today() takes 0 arguments"),
        ("1 ** 2", "unexpected '*'"),
        ("1 # 2", "unexpected '#'"),
        ("a.b", "unknown name 'a'"),
    ],
)
def test_syntax_errors_name_the_problem(text: str, fragment: str) -> None:
    with pytest.raises(ExpressionError) as info:
        parse(text)
    assert fragment in str(info.value)
    assert "\n" not in str(info.value)


def test_error_carries_the_position() -> None:
    with pytest.raises(ExpressionError) as info:
        parse("${a} = = 1")
    assert info.value.position == 7
    assert "position 7" in str(info.value)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    "text",
    [
        "'a' + 1",
        "'a' < 1",
        "'1' = 1",
        "-'a'",
        "${r} + 1",
        "selected(${r}, 1)",
        "1 < 2 < 3",
        "${r} > 'a'",
    ],
)
def test_wrong_types_raise_expression_error(text: str) -> None:
    with pytest.raises(ExpressionError) as info:
        evaluate(text, {"r": ["a", "b"]})
    assert info.value.kind == "type"


@pytest.mark.parametrize("text", ["1 div 0", "1 mod 0", "1.5 div 0"])
def test_division_by_zero(text: str) -> None:
    with pytest.raises(ExpressionError) as info:
        ev(text)
    assert info.value.kind == "value"


# --- hostile input ---------------------------------------------------------------------------


def test_ten_thousand_parentheses() -> None:
    with pytest.raises(ExpressionError):
        parse("(" * 10_000 + "1" + ")" * 10_000)


def test_depth_limit_under_the_length_limit() -> None:
    assert ev("(" * 40 + "1" + ")" * 40) == 1
    for text in ("(" * 60 + "1" + ")" * 60, "-" * 60 + "1", "not(" * 60 + "1" + ")" * 60):
        with pytest.raises(ExpressionError, match="nested"):
            parse(text)


def test_long_flat_chains_do_not_recurse() -> None:
    text = "+".join(["1"] * 999)
    assert ev(text) == 999
    assert ev(" and ".join(["true()"] * 150)) is True


def test_huge_numbers() -> None:
    with pytest.raises(ExpressionError, match="longer"):
        parse("9" * 10**6)
    with pytest.raises(ExpressionError, match="number too long"):
        parse("9" * 41)
    with pytest.raises(ExpressionError, match="too large"):
        ev("9" * 40 + " * 2")
    with pytest.raises(ExpressionError, match="too large"):
        ev("99999999 * 99999999 * 99999999")


def test_huge_values_from_answers_only_raise_expression_error() -> None:
    big = 10**5000
    for text in ("${n} + 1", "string-length(${n})", "${n} div 3", "concat(${n})"):
        with pytest.raises(ExpressionError):
            evaluate(text, {"n": big})
    with pytest.raises(ExpressionError):
        evaluate("${n} * 2", {"n": float("inf")})
    assert evaluate("${n} > 1", {"n": big}) is True


def test_huge_strings() -> None:
    with pytest.raises(ExpressionError, match="longer than 2000"):
        parse("'" + "a" * 5000 + "'")
    text = "x" * 600_000
    assert evaluate("string-length(${t})", {"t": text}) == 600_000
    with pytest.raises(ExpressionError, match="too long"):
        evaluate("concat(${t}, ${t})", {"t": text})


def test_odd_value_types_only_raise_expression_error() -> None:
    for value in ({"a": 1}, object(), datetime.date(2016, 1, 1), [1, 2]):
        for text in ("${v} = 'a'", "${v} + 1", "string-length(${v})", "not(${v})"):
            with pytest.raises(ExpressionError):
                evaluate(text, {"v": value})


def test_not_a_string() -> None:
    with pytest.raises(ExpressionError):
        parse(123)  # type: ignore[arg-type]


ALPHABET = st.sampled_from(
    list("()${}'\". ,-+*=<>!01239ab_/") + ["div", "mod", "and", "or", "not(", "${a}", "${n}",
                                             "selected(", "if(", "count-selected(", "today()"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(ALPHABET, max_size=40).map("".join))
def test_fuzz_only_expression_error(text: str) -> None:
    with contextlib.suppress(ExpressionError):
        evaluate(parse(text), {"a": "x", "n": 3, "m": ["a"]}, current=2)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_fuzz_any_text_only_expression_error(text: str) -> None:
    with contextlib.suppress(ExpressionError):
        evaluate(text, {}, None)
