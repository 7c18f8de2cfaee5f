"""XLSForm's XPath expressions into our language: kept where the meaning is the same."""

from __future__ import annotations

import pytest

from fieldwork.core.io.xpath import XPathRefused, to_xlsform, translate

IDS = {"age": "age", "risk": "risk", "q2_1_1a": "2.1.1a", "services": "services"}


@pytest.mark.parametrize(
    ("xpath", "ours"),
    [
        ("${age} >= 18 and ${age} < 65", "${age} >= 18 and ${age} < 65"),
        (". >= 0 and . <= 90", ". >= 0 and . <= 90"),
        (
            "${q2_1_1a} = 'yes' or not(${risk} != 'low')",
            "${2.1.1a} = 'yes' or not(${risk} != 'low')",
        ),
        ("selected(${services}, 'housing')", "selected(${services}, 'housing')"),
        ("count-selected(${services}) > 1", "count-selected(${services}) > 1"),
        (". <= today()", ". <= today()"),
        ("string-length(.) < 200", "string-length(.) < 200"),
        ("if(${age} > 17, 'adult', 'youth')", "if(${age} > 17, 'adult', 'youth')"),
        ("${age} div 2 + ${age} mod 3 - -1", "${age} div 2 + ${age} mod 3 - -1"),
        ('${risk}="high"', '${risk}="high"'),
    ],
)
def test_same_meaning_is_kept_word_for_word(xpath, ours):
    assert translate(xpath, IDS) == ours
    assert to_xlsform(ours, {v: k for k, v in IDS.items()}) == xpath


@pytest.mark.parametrize(
    ("xpath", "reason"),
    [
        ("regex(., '[0-9]+')", "regex() is not supported"),
        ("jr:choice-name(${risk}, '${risk}')", "jr:choice-name() is not supported"),
        ("round(${age}, 0) > 3", "round() is not supported"),
        ("/data/age > 3", "paths and predicates (/) are not supported: use ${name}"),
        ("../age > 3", "paths and predicates (..) are not supported: use ${name}"),
        ("${age}[1] > 3", "paths and predicates ([) are not supported: use ${name}"),
        (
            "age > 3",
            "'age' is a bare name (an XPath path), which is not supported: write ${name} for a question",
        ),
        ("${height} > 3", "${height} is not a question of this form"),
        ("${start} != ''", "${start} refers to a device field (start), which was not imported"),
        ("${age} > ", "not an expression we can read: unexpected end of expression at position 9"),
        ("${age} = “3”", "'“' is not part of an expression we can read"),
        ("", "the expression is empty"),
    ],
)
def test_anything_else_is_refused_with_the_reason(xpath, reason):
    with pytest.raises(XPathRefused) as info:
        translate(xpath, IDS, {"start": "a device field (start)"})
    assert str(info.value) == reason
