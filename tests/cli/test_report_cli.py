"""`fieldwork ratings | report | export | reviews import` on the command line."""

from __future__ import annotations

import json

import pytest
from pypdf import PdfReader

from fieldwork.cli import main
from tests.core.test_report_pdf import PLANTED_REF, build_planted


@pytest.fixture
def planted_file(tmp_path):
    path = tmp_path / "p.fieldwork"
    build_planted(path).close()
    return path


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_ratings_json(capsys, planted_file):
    code, out, err = run(capsys, "ratings", planted_file, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["form"] == "adult-case-supervision"
    nps = data["organisations"][0]
    assert nps["name"] == "NPS" and nps["cases_complete"] == 15
    kq = nps["standards"][0]["key_questions"][0]
    assert set(kq) >= {"id", "text", "applicable", "sufficient", "percent", "ci95"}
    assert set(nps["overall"]) >= {"points", "rating"}


def test_ratings_without_json_is_a_readable_table(capsys, planted_file):
    code, out, err = run(capsys, "ratings", planted_file)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].endswith("Standards framework inspection (2018)")
    assert any(line.startswith("NPS: 15 case assessments counted") for line in lines)
    assert any(line.strip().startswith("2.1 Assessment") for line in lines)
    # A file made with one form rates 2.1 to 2.4 only: the overall rating needs all ten.
    assert "needs 10 rated standards" in out
    # CRC's key questions rest on 8 applicable cases: marked, never shown as firm; NPS's 12
    # are firm.
    crc = "\n".join(lines[next(i for i, line in enumerate(lines) if line.startswith("CRC:")) :])
    nps = "\n".join(lines[: next(i for i, line in enumerate(lines) if line.startswith("CRC:"))])
    assert "Good (based on 8 cases)" in crc and "(not firm: based on 8 cases)" in crc
    assert "based on" not in nps


def test_report_writes_the_pdf(capsys, planted_file, tmp_path):
    out = tmp_path / "draft.pdf"
    code, stdout, err = run(capsys, "report", planted_file, out)
    assert code == 0, err
    text = " ".join(p.extract_text() for p in PdfReader(out).pages)
    assert "Summary of ratings" in text and PLANTED_REF not in text


def test_single_case_report_says_it_holds_a_case_reference(capsys, planted_file, tmp_path):
    out = tmp_path / "case.pdf"
    code, stdout, err = run(capsys, "report", planted_file, out, "--case", PLANTED_REF.lower())
    assert code == 0, err
    assert "case reference" in err
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(out).pages]
    assert PLANTED_REF in pages[0]
    for i, page in enumerate(pages, 1):
        assert "Contains case reference — OFFICIAL-SENSITIVE" in page
        assert f"Page {i} of {len(pages)}" in page
    text = " ".join(pages)
    assert "2.1 Assessment" in text and "Judgement: Yes" in text
    assert "Octavia Plimsoll" not in text  # the officer's name stays out even here


def test_single_case_report_escapes_notes(capsys, planted_file, tmp_path):
    out = tmp_path / "case3.pdf"
    code, _, err = run(capsys, "report", planted_file, out, "--case", "A100003")
    assert code == 0, err
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(out).pages)
    assert "<img src='/etc/passwd'> & <b>not bold</b>" in text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--case", "Q000000"], "No case 'Q000000'"),
        ([], None),
    ],
)
def test_report_errors(capsys, planted_file, tmp_path, argv, message):
    if message is None:  # OUT without .pdf
        code, _, err = run(capsys, "report", planted_file, tmp_path / "draft.txt")
        message = "must end in .pdf"
    else:
        code, _, err = run(capsys, "report", planted_file, tmp_path / "x.pdf", *argv)
    assert code == 1
    assert err.startswith("fieldwork: error: ") and message in err
    assert err.count("\n") == 1
    assert not (tmp_path / "x.pdf").exists()


def test_report_on_a_missing_file(capsys, tmp_path):
    code, _, err = run(capsys, "report", tmp_path / "nope.fieldwork", tmp_path / "x.pdf")
    assert code == 1 and "nope.fieldwork" in err


def test_export_csv_and_xlsx_warn_about_case_references(capsys, planted_file, tmp_path):
    code, out, err = run(capsys, "export", "csv", planted_file, tmp_path / "csv")
    assert code == 0
    assert "case references" in err and err.count("\n") == 1
    assert (tmp_path / "csv" / "cases.csv").exists()
    code, out, err = run(capsys, "export", "xlsx", planted_file, tmp_path / "out.xlsx")
    assert code == 0 and "case references" in err
    assert (tmp_path / "out.xlsx").exists()


def test_export_unknown_format_is_a_usage_error(capsys, planted_file, tmp_path):
    with pytest.raises(SystemExit) as exc:
        main(["export", "pdf", str(planted_file), str(tmp_path / "x")])
    assert exc.value.code == 2


def test_reviews_import_round_trip_and_bad_file(capsys, planted_file, tmp_path):
    assert run(capsys, "export", "csv", planted_file, tmp_path / "one")[0] == 0
    assert (
        run(
            capsys,
            "new",
            tmp_path / "b.fieldwork",
            "--name",
            "Copy",
            "--organisation",
            "NPS",
            "--organisation",
            "CRC",
            "--no-encryption",
            "--inspector",
            "T",
        )[0]
        == 0
    )
    code, out, err = run(
        capsys, "reviews", "import", tmp_path / "b.fieldwork", tmp_path / "one" / "cases.csv"
    )
    assert code == 0, err
    assert "30 cases created" in out
    assert run(capsys, "export", "csv", tmp_path / "b.fieldwork", tmp_path / "two")[0] == 0
    assert (tmp_path / "one" / "cases.csv").read_bytes() == (
        tmp_path / "two" / "cases.csv"
    ).read_bytes()

    bad = tmp_path / "bad.csv"
    text = (tmp_path / "one" / "cases.csv").read_text(encoding="utf-8-sig")
    bad.write_text(text.replace(",complete,", ",finished,", 1), encoding="utf-8-sig")
    code, out, err = run(capsys, "reviews", "import", tmp_path / "b.fieldwork", bad)
    assert code == 1
    assert err.startswith("fieldwork: error: bad.csv line ") and "finished" in err
    code, out, err = run(
        capsys, "reviews", "import", tmp_path / "b.fieldwork", tmp_path / "missing.csv"
    )
    assert code == 1 and "No such file" in err
