"""`fieldwork cases remove | restore | correct`: a case imported by mistake is taken out
of every rating and export, comes back with its answers, and its details can be put right."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fieldwork.cli import main
from fieldwork.core.demo.generator import make_demo
from fieldwork.core.model import Case
from fieldwork.core.storage.store import Store


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    path = tmp_path / "demo.fieldwork"
    make_demo(path, cases=16, interviews=2, seed=3).close()
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _complete_case(path: Path) -> Case:
    with Store.open(path) as store:
        return next(c for c in store.reads.cases() if c.status == "complete")


def _ratings(capsys: pytest.CaptureFixture[str], path: Path) -> dict:
    code, out, err = run(capsys, "ratings", path, "--json")
    assert code == 0, err
    return {o["name"]: o for o in json.loads(out)["organisations"]}


def _applicable(org: dict) -> int:
    return sum(kq["applicable"] for s in org["standards"] for kq in s["key_questions"])


def _exported_text(capsys: pytest.CaptureFixture[str], path: Path, folder: Path) -> str:
    code, _, err = run(capsys, "export", "csv", path, folder)
    assert code == 0, err
    return "".join(p.read_text(encoding="utf-8-sig") for p in sorted(folder.glob("*.csv")))


def test_a_removed_case_counts_in_no_rating_or_export_until_restored(
    capsys: pytest.CaptureFixture[str], demo_file: Path, tmp_path: Path
) -> None:
    case = _complete_case(demo_file)
    org = case.organisation
    before = _ratings(capsys, demo_file)
    assert case.ref in _exported_text(capsys, demo_file, tmp_path / "before")

    code, out, err = run(capsys, "cases", "remove", demo_file, case.ref)
    assert code == 1 and out == ""
    assert err.startswith("fieldwork: error: Case ") and "(use --confirm)" in err
    assert err.count("\n") == 1
    assert _ratings(capsys, demo_file) == before  # refused: nothing changed

    code, out, err = run(capsys, "cases", "remove", demo_file, case.ref.lower(), "--confirm")
    assert code == 0, err
    assert "review answers" in out and case.ref not in out
    after = _ratings(capsys, demo_file)
    assert after[org]["cases_complete"] == before[org]["cases_complete"] - 1
    assert _applicable(after[org]) < _applicable(before[org])
    assert case.ref not in _exported_text(capsys, demo_file, tmp_path / "after")
    code, _, err = run(capsys, "check", demo_file)
    assert code == 0, err

    code, out, err = run(capsys, "cases", "restore", demo_file, case.ref)
    assert (code, out) == (0, "Restored the case and its answers.\n"), err
    assert _ratings(capsys, demo_file) == before
    assert case.ref in _exported_text(capsys, demo_file, tmp_path / "restored")


def test_a_case_without_review_answers_is_removed_without_confirming(
    capsys: pytest.CaptureFixture[str], demo_file: Path
) -> None:
    with Store.open(demo_file) as store:
        case_id = store.insert("cases", {"ref": "Z000001", "organisation": "NPS"})
        store.set_answer(case_id, "risk_level", "low")  # an attribute from the sample
    code, out, err = run(capsys, "cases", "remove", demo_file, "Z000001")
    assert (code, out) == (0, "Removed the case; `fieldwork cases restore` brings it back.\n")
    with Store.open(demo_file) as store:
        assert store.reads.case(case_id) is None
    code, out, err = run(capsys, "cases", "remove", demo_file, "Z000001")
    assert code == 1 and err == "fieldwork: error: No case 'Z000001' in this inspection.\n"


def test_correct_sets_organisation_office_and_officer(
    capsys: pytest.CaptureFixture[str], demo_file: Path
) -> None:
    case = _complete_case(demo_file)
    other = "CRC" if case.organisation == "NPS" else "NPS"
    code, out, err = run(
        capsys, "cases", "correct", demo_file, case.ref, "--organisation", other.lower(),
        "--office", "Harbour Street", "--officer", "",
    )  # fmt: skip
    assert code == 0, err
    assert out == "Corrected the case's organisation, office and officer.\n"
    with Store.open(demo_file) as store:
        fixed = store.reads.case(case.id)
    assert fixed is not None
    assert (fixed.organisation, fixed.office, fixed.officer) == (other, "Harbour Street", None)

    code, out, err = run(capsys, "cases", "correct", demo_file, case.ref, "--organisation", "HMPPS")
    assert code == 1 and err.count("\n") == 1
    assert "'HMPPS' is not one of this inspection's organisations" in err
    code, out, err = run(capsys, "cases", "correct", demo_file, case.ref)
    assert code == 1 and "--organisation, --office or --officer" in err
