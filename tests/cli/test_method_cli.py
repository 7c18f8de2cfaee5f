"""The command line under a method: new --method, demo --method, methods, evidence, judge,
rate, override, text, ratings (table and JSON)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from fieldwork.cli import main


def run(capsys: pytest.CaptureFixture, *argv: object) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def crc(tmp_path: Path, capsys: pytest.CaptureFixture) -> Path:
    path = tmp_path / "crc.fieldwork"
    code, _, err = run(capsys, "new", path, "--name", "CRC inspection", "--no-encryption",
                       "--organisation", "Tresaith CRC")  # fmt: skip
    assert code == 0, err
    return path


def test_methods_are_listed(capsys: pytest.CaptureFixture) -> None:
    code, out, _ = run(capsys, "methods")
    assert code == 0
    assert "standards-2018: Standards framework inspection (2018) (rated;" in out
    assert "quality-impact-2016: Quality and impact inspection (2016) (rates nothing;" in out


def test_new_defaults_to_the_standards_framework(crc: Path, capsys: pytest.CaptureFixture) -> None:
    code, out, _ = run(capsys, "ratings", crc, "--json")
    data = json.loads(out)
    assert data["method"]["id"] == "standards-2018"
    assert [s["number"] for s in data["organisations"][0]["standards"]][-2:] == ["3.1", "3.2"]
    assert data["organisations"][0]["standards"][-1]["title"] == "Through the Gate"


def test_new_refuses_an_organisation_of_no_type_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    code, _, err = run(capsys, "new", tmp_path / "x.fieldwork", "--name", "X",
                       "--no-encryption", "--organisation", "Somewhere")  # fmt: skip
    assert code == 1 and err.count("\n") == 1 and "so its type shows" in err


def test_evidence_judgements_and_a_rating_from_the_command_line(
    crc: Path, capsys: pytest.CaptureFixture
) -> None:
    code, out, err = run(capsys, "evidence", "add", crc, "--kind", "focus_group", "--title",
                         "Responsible officers", "--date", "2018-10-09", "--attendees",
                         "Nine responsible officers", "--tag", "1.2", "--tag", "1.2.1")  # fmt: skip
    assert code == 0, err
    eid = out.split()[-1].rstrip(".")
    code, out, _ = run(capsys, "evidence", "list", crc)
    assert f"{eid}  2018-10-09  Focus group: Responsible officers [1.2, 1.2.1]" in out
    assert run(capsys, "evidence", "tag", crc, eid, "1.2.3")[0] == 0
    assert run(capsys, "judge", crc, "Tresaith CRC", "1.2.1", "no", "--text", "Too high")[0] == 0
    code, _, err = run(capsys, "rate", crc, "Tresaith CRC", "1.2", "Requires improvement")
    assert code == 1 and "(use --justification TEXT)" in err
    code, _, err = run(capsys, "rate", crc, "Tresaith CRC", "1.2", "Requires improvement",
                       "--justification", "Caseloads too high", "--evidence", eid)  # fmt: skip
    assert code == 0, err
    code, out, _ = run(capsys, "ratings", crc)
    assert "1.2 Staff" in out and "Requires improvement  (inspectors' judgement)" in out
    assert "1.2.1    not sufficient, 1 evidence source" in out
    data = json.loads(run(capsys, "ratings", crc, "--json")[1])
    staff = data["organisations"][0]["standards"][1]
    assert (staff["rating"], staff["justification"]) == (
        "Requires improvement",
        "Caseloads too high",
    )
    assert staff["key_questions"][0]["evidence_sources"] == 1
    assert run(capsys, "evidence", "delete", crc, eid)[0] == 0


def test_override_needs_a_reason_and_shows_in_the_json(
    crc: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    csv = tmp_path / "sample.csv"
    csv.write_text("ref,organisation\nA100001,Tresaith CRC\nA100002,Tresaith CRC\n", "utf-8")
    assert run(capsys, "cases", "import", crc, csv)[0] == 0
    from fieldwork.core.storage.store import Store

    with Store.open(crc) as store:
        for c in store.reads.cases():
            store.set_answer(c.id, "2.1.1", "yes")
            store.update("cases", c.id, {"status": "complete"})
    code, _, err = run(capsys, "override", crc, "Tresaith CRC", "2.1", "Good")
    assert code == 1 and "(use --reason TEXT)" in err
    code, _, err = run(capsys, "override", crc, "Tresaith CRC", "2.1", "Good", "--reason",
                       "Two cases only")  # fmt: skip
    assert code == 0, err
    data = json.loads(run(capsys, "ratings", crc, "--json")[1])
    assert data["overrides"] == [{"organisation": "Tresaith CRC", "standard": "2.1",
                                  "rule_rating": "Outstanding", "rating": "Good",
                                  "reason": "Two cases only"}]  # fmt: skip
    assert run(capsys, "override", crc, "Tresaith CRC", "2.1", "--clear")[0] == 0
    assert json.loads(run(capsys, "ratings", crc, "--json")[1])["overrides"] == []


def test_report_texts_reach_the_pdf(
    crc: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    foreword = tmp_path / "foreword.txt"
    foreword.write_text("We found much to commend.\n\nAnd much to do.", "utf-8")
    assert run(capsys, "text", crc, "foreword", "--from-file", foreword)[0] == 0
    assert run(capsys, "text", crc, "background", "A large rural area.")[0] == 0
    pdf = tmp_path / "r.pdf"
    assert run(capsys, "report", crc, pdf)[0] == 0
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(pdf).pages)
    assert "Foreword We found much to commend. And much to do." in text
    assert "A large rural area." in text


@pytest.mark.parametrize("method", ["quality-impact-2016", "standards-2018"])
def test_demo_follows_the_method(
    method: str, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    path = tmp_path / "demo.fieldwork"
    code, out, err = run(capsys, "demo", path, "--method", method, "--cases", 60)
    assert code == 0, err
    data = json.loads(run(capsys, "ratings", path, "--json")[1])
    assert data["method"]["id"] == method
    if method == "quality-impact-2016":
        assert [o["name"] for o in data["organisations"]] == ["NPS", "CRC"]
        assert data["method"]["rated"] is False and data["overrides"] == []
    else:
        (org,) = data["organisations"]
        assert org["type"] == "crc" and len(org["standards"]) == 10
        assert org["overall"]["rating"] is not None
