"""Shipped form -> XLSForm -> import gives the same form; pyxform converts every export;
the commands `forms import|export` and `new --form PATH.yaml`."""

from __future__ import annotations

import dataclasses
import warnings

import openpyxl
import pytest

from fieldwork.cli import main
from fieldwork.core.forms.loader import load_form, load_forms, parse_form
from fieldwork.core.io.xlsform_read import import_xlsform
from fieldwork.core.io.xlsform_write import export_xlsform
from fieldwork.core.storage.store import Store
from tests.interop.corpus import corpus_dir

SHIPPED = sorted(load_forms())


def _strip(form):
    return dataclasses.replace(form, source="", path="")


def _pyxform(path) -> list[str]:
    from pyxform.xls2xform import convert

    found: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = convert(xlsform=str(path), warnings=found)
    assert "<h:html" in result.xform
    return found


@pytest.mark.parametrize("form_id", SHIPPED)
def test_shipped_form_to_xlsform_and_back_is_the_same_form(tmp_path, form_id):
    form = load_forms()[form_id]
    out = export_xlsform(form, tmp_path / f"{form_id}.xlsx")
    assert _pyxform(out) == []  # converted, without a single warning
    result = import_xlsform(out)
    assert result.warnings == ()
    assert _strip(result.form) == _strip(form)
    # and the YAML written is itself a form the loader takes as it is
    assert _strip(parse_form(result.yaml)) == _strip(form)


def test_ids_xlsform_cannot_hold_travel_in_fieldwork_columns(tmp_path):
    form = load_forms()["adult-case-supervision"]
    out = export_xlsform(form, tmp_path / "a.xlsx")
    wb = openpyxl.load_workbook(out)
    header = [c.value for c in wb["survey"][1]]
    rows = [
        dict(zip(header, (c.value for c in row), strict=False))
        for row in wb["survey"].iter_rows(min_row=2)
    ]
    by_id = {r["fieldwork::id"]: r for r in rows if r["fieldwork::id"]}
    assert by_id["2.1"]["type"] == "begin_group" and by_id["2.1"]["name"] == "s2.1"
    assert by_id["2.1.1"]["fieldwork::lens"] == "engaging"
    assert by_id["2.1.1a"]["name"] == "q2.1.1a"
    assert by_id["2.1.1a"]["type"] == "select_one fw_yes_no_na"
    assert set(wb.sheetnames) == {"survey", "choices", "settings", "fieldwork"}


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    source = load_forms()["court-work"].source.replace(
        "text: Type of pre-sentence report", "text: \"=HYPERLINK('http://x', 'y')\"", 1
    )
    form = parse_form(source)
    out = export_xlsform(form, tmp_path / "f.xlsx")
    wb = openpyxl.load_workbook(out)
    cell = wb["survey"]["C2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    assert _strip(import_xlsform(out).form) == _strip(form)
    assert _pyxform(out) == []


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_forms_commands_and_new_with_an_imported_form(tmp_path, capsys):
    source = corpus_dir() / "xlsform" / "group.xlsx"
    code, out, err = run(capsys, "forms", "import", source, tmp_path / "group.yaml")
    assert code == 0, err
    assert (
        out.strip()
        == f"{tmp_path / 'group.yaml'}: form group version 1: 1 standard, 1 key question, 3 questions"
    )
    assert "warning: survey row 4: phone number questions become text questions" in err
    assert load_form(tmp_path / "group.yaml").id == "group"

    code, out, err = run(capsys, "new", tmp_path / "g.fieldwork", "--name", "Pilot",
                         "--form", tmp_path / "group.yaml", "--no-encryption")  # fmt: skip
    assert code == 0, err
    with Store.open(tmp_path / "g.fieldwork", None) as store:
        assert store.reads.inspection().form_id == "group"
        assert store.reads.form().question("age").type == "number"

    code, out, err = run(capsys, "forms", "export", tmp_path / "group.yaml", tmp_path / "g.xlsx")
    assert code == 0, err
    assert _pyxform(tmp_path / "g.xlsx") == []
    code, out, err = run(capsys, "forms", "export", "court-work", tmp_path / "c.xlsx")
    assert code == 0 and out.strip().endswith("1 standard, 3 key questions, 31 questions")


def test_refusals_are_one_line_and_exit_1(tmp_path, capsys):
    loop = corpus_dir() / "xlsform" / "loop.xlsx"
    code, out, err = run(capsys, "forms", "import", loop, tmp_path / "l.yaml")
    assert code == 1 and not (tmp_path / "l.yaml").exists()
    assert err == (f"fieldwork: error: {loop}: survey row 2, type: or_other (an 'other' choice "
                   "with its own text) is not supported\n")  # fmt: skip
    old = corpus_dir() / "xlsform" / "legacy-xls" / "tutorial.xls"
    code, _, err = run(capsys, "forms", "import", old, tmp_path / "t.yaml")
    assert code == 1 and err.count("\n") == 1 and "old Excel format" in err
    code, _, err = run(capsys, "new", tmp_path / "x.fieldwork", "--name", "X",
                       "--form", tmp_path / "absent.yaml", "--no-encryption")  # fmt: skip
    assert code == 1 and "No such form file" in err and not (tmp_path / "x.fieldwork").exists()
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\nversion: 1\ntitle: Bad\n")
    code, _, err = run(capsys, "new", tmp_path / "x.fieldwork", "--name", "X", "--form", bad,
                       "--no-encryption")  # fmt: skip
    assert code == 1 and err == f"fieldwork: error: {bad} line 1: form has no sections\n"
    code, _, err = run(capsys, "forms", "export", "court-work", tmp_path / "c.csv")
    assert code == 1 and "must end in .xlsx" in err


def test_openpyxl_parses_with_defusedxml():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True
