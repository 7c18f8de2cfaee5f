"""Every real XLSForm in ../shared/corpora imports or is refused in one line; none crashes.

The corpus is used exactly as it is (its README's SHA-256 sums are checked here). If it
is absent these tests fail in one line saying where it should be.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import time
import warnings
from pathlib import Path

import pytest

from fieldwork.core.io.xlsform_read import import_xlsform
from fieldwork.core.io.xlsform_sheets import MAX_COLUMNS, XLSFormError, read_book
from fieldwork.core.io.xlsform_write import export_xlsform
from tests.interop.corpus import CORPUS, REPO, corpus_dir, corpus_files, missing_message

OK = "imports"
EXPECTED = {
    "all-question-types-v2024091201-3.xlsx": "survey row 22, type: range questions are not supported",
    "case_insensitivity.xlsx": "survey row 3, TYPE: external selects (choices from a file or another sheet) are not supported",
    "choice_filter_test.xlsx": "survey row 3, choice_filter: choice filters are not supported",
    "empty_sheets.xlsx": OK,
    "extra_columns.xlsx": OK,
    "extra_sheet_names.xlsx": OK,
    "field-list.xlsx": OK,
    "group.xlsx": OK,
    "loop.xlsx": "survey row 2, type: or_other (an 'other' choice with its own text) is not supported",
    "or_other.xlsx": "survey row 2, type: or_other (an 'other' choice with its own text) is not supported",
    "philsa-disaster-incidence-v20240917.xlsx": "survey row 5, type: geo questions (geopoint) are not supported",
    "specify_other.xlsx": "survey row 2, type: or_other (an 'other' choice with its own text) is not supported",
    "text_and_integer.xlsx": OK,
    "xl_date_ambiguous.xlsx": "survey row 5, choice_filter: choice filters are not supported",
    "xlsform_spec_test.xlsx": "survey row 15, type: repeats are not supported",
    "yes_or_no_question.xlsx": OK,
}
BROKEN = {
    "bad_calc.xlsx": "survey row 2, calculation: 'because' is a bare name (an XPath path), which is not supported: write ${name} for a question",
    "corrupt.xlsx": "is not an Excel workbook (.xlsx)",
    "duplicate_columns.xlsx": "survey row 1, column E: the column 'label' appears twice (also column D)",
    "empty.xlsx": "has no sheet named survey, which an XLSForm needs (its sheets: Sheet1)",
    "survey_no_name.xlsx": "has no sheet named survey, which an XLSForm needs (its sheets: Sheet1)",
}
OLD_EXCEL = (
    "is in the old Excel format (.xls, or a password-protected workbook): "
    "save it from Excel as .xlsx, without a password, and import that"
)
LEGACY = {"ifrc-distribution-site-assessment-v1.xlsx": OLD_EXCEL, "tutorial.xls": OLD_EXCEL}
ACCEPTED = sorted(name for name, outcome in EXPECTED.items() if outcome == OK)


def _refusal(path: Path) -> str:
    with pytest.raises(XLSFormError) as info:
        import_xlsform(path)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{path}: ")
    return message.removeprefix(f"{path}: ")


def test_the_corpus_is_used_as_it_is():
    corpus = corpus_dir()
    sums = re.findall(r"^([0-9a-f]{64})  (\S+)$", (corpus / "README.md").read_text(), re.M)
    assert len(sums) >= 30
    for digest, name in sums:
        assert hashlib.sha256((corpus / name).read_bytes()).hexdigest() == digest, name


def test_every_corpus_file_has_an_expected_outcome():
    assert [p.name for p in corpus_files("xlsform")] == sorted(EXPECTED)
    assert [p.name for p in corpus_files("xlsform/broken")] == sorted(BROKEN)
    assert [p.name for p in corpus_files("xlsform/legacy-xls")] == sorted(LEGACY)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_xlsform_corpus_imports_or_is_refused_in_one_line(name):
    path = corpus_dir() / "xlsform" / name
    if EXPECTED[name] == OK:
        result = import_xlsform(path)
        assert result.form.sections and result.form.questions()
        assert all("\n" not in w for w in result.warnings)
    else:
        assert _refusal(path) == EXPECTED[name]


@pytest.mark.parametrize(
    ("sub", "name"), [("broken", n) for n in BROKEN] + [("legacy-xls", n) for n in LEGACY]
)
def test_broken_and_old_excel_files_are_refused_in_one_line(sub, name):
    expected = {**BROKEN, **LEGACY}[name]
    assert _refusal(corpus_dir() / "xlsform" / sub / name) == expected


def test_what_the_accepted_corpus_forms_hold():
    x = corpus_dir() / "xlsform"
    yes_no = import_xlsform(x / "yes_or_no_question.xlsx").form
    assert yes_no.question("good_day").type == "yes_no"  # legacy "select one from yes_or_no"
    assert yes_no.question("good_day").text == "have you had a good day today?"
    ti = import_xlsform(x / "text_and_integer.xlsx").form
    assert [q.type for q in ti.questions() if "/" not in q.id] == ["text", "number"]
    assert ti.question("your_age").constraint == ". mod 1 = 0"  # an integer stays whole
    group = import_xlsform(x / "group.xlsx")
    assert [q.id for q in group.form.attributes] == ["family_name"]
    assert [s.id for s in group.form.sections] == ["father"]
    assert [p.id for p in group.form.sections[0].key_questions[0].prompts] == [
        "phone_number",
        "age",
    ]
    assert "survey row 4: phone number questions become text questions" in group.warnings
    fl = import_xlsform(x / "field-list.xlsx")
    q = fl.form.question("table_list_question")
    assert (q.type, q.hint) == ("yes_no", "hint")
    assert "the form keeps english; labels in chinese were left out" in fl.warnings
    extra = import_xlsform(x / "extra_sheet_names.xlsx")
    assert "sheet 'stettings' ignored: did you mean 'settings'?" in extra.warnings


def test_cached_formula_values_are_read_never_the_formulas():
    book = read_book(corpus_dir() / "xlsform" / "xl_date_ambiguous.xlsx", ["choices"])
    labels = [cells[2] for _, cells in book.sheets["choices"].rows]
    assert labels == ["${name1}", "${name2}", "${name3}"]  # cells hold ="${"&B2&"}"


def test_a_sheet_styled_to_column_isi_is_read_bounded():
    start = time.monotonic()
    book = read_book(corpus_dir() / "xlsform" / "extra_columns.xlsx", ["survey"])
    assert time.monotonic() - start < 5
    survey = book.sheets["survey"]
    assert len(survey.header) <= MAX_COLUMNS
    assert [cells[:3] for _, cells in survey.rows] == [("text", "a", "A")]


@pytest.mark.parametrize("name", ACCEPTED)
def test_accepted_corpus_forms_export_for_pyxform_and_come_back(tmp_path, name):
    from pyxform.xls2xform import convert

    form = import_xlsform(corpus_dir() / "xlsform" / name).form
    out = export_xlsform(form, tmp_path / "out.xlsx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert convert(xlsform=str(out), warnings=[]).xform
    again = import_xlsform(out).form
    strip = lambda f: dataclasses.replace(f, source="", path="")  # noqa: E731
    assert strip(again) == strip(form)


def test_xlsform_doc_tabulates_every_corpus_file():
    doc = (REPO / "docs" / "xlsform.md").read_text(encoding="utf-8")
    for name in [*EXPECTED, *BROKEN, *LEGACY]:
        assert f"{name}`" in doc, name


def test_a_missing_corpus_fails_in_one_line_naming_where(tmp_path):
    where = tmp_path / "shared" / "corpora"
    with pytest.raises(pytest.fail.Exception) as info:
        corpus_dir(where)
    assert str(info.value) == missing_message(where)
    assert "\n" not in str(info.value) and str(where.resolve()) in str(info.value)
    assert CORPUS == REPO / ".." / "shared" / "corpora"
