"""Honesty about small samples (issue 15, item 6): a key question judged on fewer cases
than the minimum is marked "based on N cases" and its standard's rating is not shown in
its band's colour; the minimum comes from the method's `min_cases`, else 10."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from fieldwork.core import samples
from fieldwork.core.forms.loader import load_forms
from fieldwork.core.forms.method_loader import load_methods, parse_method
from fieldwork.core.forms.yaml_source import MethodError
from fieldwork.core.report import gather, render
from fieldwork.core.scoring import score
from tests.core.test_report_pdf import build_planted


@pytest.fixture(scope="module")
def form():
    return load_forms()["adult-case-supervision"]


def judged(org: str, n_yes: int, n_no: int) -> list:
    return [(org, "complete", {"2.1.1": "yes"}) for _ in range(n_yes)] + [
        (org, "complete", {"2.1.1": "no"}) for _ in range(n_no)
    ]


@pytest.fixture(scope="module")
def method():
    return load_methods()["standards-2018"]


def test_the_minimum_is_ten_unless_the_method_sets_one(method) -> None:
    assert samples.minimum_cases(method) == method.min_cases == samples.MIN_CASES == 10
    source = method.source.replace("\nversion: 1\n", "\nversion: 1\nmin_cases: 6\n", 1)
    assert "min_cases: 6" in source
    assert samples.minimum_cases(parse_method(source, "six.yaml")) == 6


@pytest.mark.parametrize("bad", ["0", "-3", "ten", "2.5", "true"])
def test_a_minimum_that_is_not_a_whole_number_is_refused(method, bad: str) -> None:
    source = method.source.replace("\nversion: 1\n", f"\nversion: 1\nmin_cases: {bad}\n", 1)
    with pytest.raises(MethodError, match="min_cases must be a whole number of 1 or more"):
        parse_method(source, "bad.yaml")


def test_a_key_question_on_six_cases_is_marked_and_its_standard_too(form) -> None:
    ratings = score(form, judged("NPS", 5, 1) + judged("CRC", 9, 3), organisations=["NPS", "CRC"])
    nps, crc = ratings.organisation("NPS"), ratings.organisation("CRC")
    kq = nps.standard("2.1").key_questions[0]
    assert (kq.applicable, kq.rating) == (6, "Outstanding")
    assert samples.is_small(kq.applicable, 10) and not samples.is_small(0, 10)
    assert samples.based_on(6) == "based on 6 cases" and samples.based_on(1) == "based on 1 case"
    assert samples.standard_note(nps.standard("2.1"), 10) == "based on 6 cases"
    assert samples.standard_note(crc.standard("2.1"), 10) is None  # 12 cases: firm
    assert samples.standard_note(nps.standard("2.2"), 10) is None  # not rated at all
    assert samples.standard_note(nps.standard("2.1"), 5) is None  # the form's own minimum


def test_the_draft_pdf_marks_ratings_on_small_samples(tmp_path: Path) -> None:
    # The planted inspection: NPS has 12 applicable cases per key question, CRC only 8.
    store = build_planted(tmp_path / "p.fieldwork")
    data = gather(store)
    store.close()
    assert data.ratings.min_cases == 10
    out = render(data, tmp_path / "draft.pdf")
    pages = [" ".join((p.extract_text() or "").split()) for p in PdfReader(out).pages]
    text = " ".join(pages)
    crc_rated = sum(
        1 for s in data.ratings.organisation("CRC").standards if s.rating and s.basis == "cases"
    )
    assert crc_rated == 4  # 2.1 to 2.4, rated on 8 cases each
    assert "Good based on 8 cases" in text
    # CRC's four standards in the summary and the chapters' tables; never NPS's (12 cases).
    assert text.count("Good based on 8 cases") == 2 * crc_rated
    assert "based on 12 cases" not in text
    assert "Fewer than 10 applicable cases, so not firm: 2.1.1 CRC: based on 8 cases" in text
    results = next(p for p in pages if "Key question and prompts" in p)
    assert "not firm" in results
