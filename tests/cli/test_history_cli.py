"""`fieldwork history` and `fieldwork members` on real files: who wrote each change (the
member's name), whether it is verified, what was set aside, and the lead's acts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from fieldwork.cli import main
from fieldwork.core.storage.store import Store

KEY = "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj"
GOLDEN_BUNDLE = Path(__file__).parent.parent / "fixtures" / "golden" / "release-0.1.0.bundle"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    got = capsys.readouterr()
    return code, got.out, got.err


@pytest.fixture
def team(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path]:
    lead, mate = tmp_path / "lead.fieldwork", tmp_path / "mate.fieldwork"
    assert (
        main(["new", str(lead), "--name", "Durham", "--no-encryption", "--inspector", "Lee"]) == 0
    )
    with Store.open(lead) as s:
        s.insert("cases", {"ref": "X123456", "organisation": "NPS"})
    assert main(["bundle", "export", str(lead), str(tmp_path / "setup.zip")]) == 0
    args = ["new", str(mate), "--from-bundle", str(tmp_path / "setup.zip"), "--no-encryption"]
    assert main([*args, "--inspector", "Sam"]) == 0
    return lead, mate


def test_history_names_the_author_and_says_it_is_verified(
    team: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lead, mate = team
    with Store.open(mate) as s:
        case = s.reads.case_by_ref("X123456")
        s.update("cases", case.id, {"office": "Durham"})
    assert main(["bundle", "export", str(mate), str(tmp_path / "m.zip")]) == 0
    code, shown, _ = _run(capsys, "bundle", "import", str(lead), str(tmp_path / "m.zip"))
    assert code == 0 and "set aside: Sam asks to join as inspector" in shown
    assert "fieldwork members admit" in shown
    # Before the lead admits Sam, Sam's op is there but not proven.
    _, out, _ = _run(capsys, "history", str(lead), "--case", "X123456", "--json")
    office = [c for c in json.loads(out)["changes"] if c["field"] == "office"]
    (only,) = office
    assert (only["author_name"], only["status"]) == (f"unknown {only['author'][:8]}", "unverified")
    _, listed, _ = _run(capsys, "members", "list", str(lead))
    assert "Sam  (asks to join as inspector" in listed
    assert _run(capsys, "members", "admit", str(lead), "Sam")[0] == 0
    _, out, _ = _run(capsys, "history", str(lead), "--case", "x123456", "--json")
    data = json.loads(out)
    by_field = {c["field"]: c for c in data["changes"]}
    assert by_field["office"]["author_name"] == "Sam" and by_field["office"]["verified"]
    assert by_field["ref"]["author_name"] == "Lee" and by_field["ref"]["verified"]
    _, text, _ = _run(capsys, "history", str(lead), "--case", "X123456")
    assert any(line.split("  ")[1:3] == ["Sam", "verified"] for line in text.splitlines())
    _, aside, _ = _run(capsys, "history", str(lead), "--set-aside")
    assert "Set aside (kept, not applied): 5" in aside and "Sam  not from the lead" in aside


def test_a_teammate_cannot_change_the_team(
    team: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    lead, mate = team
    for args in (
        ("members", "remove", str(mate), "Lee"),
        ("members", "add", str(mate), "Outsider"),
        ("recipients", "add", str(mate), KEY),
    ):
        code, _, err = _run(capsys, *args)
        assert code == 1 and err.startswith("fieldwork: error: Only the lead changes the team")
        assert len(err.strip().splitlines()) == 1
    code, out, _ = _run(capsys, "members", "remove", str(lead), "Nobody")
    assert code == 1


def test_release_ops_import_as_unverified(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = tmp_path / "release.bundle"
    shutil.copyfile(GOLDEN_BUNDLE, bundle)
    joined = tmp_path / "mate.fieldwork"
    assert main(["new", str(joined), "--from-bundle", str(bundle), "--no-encryption"]) == 0
    _, out, _ = _run(capsys, "history", str(joined), "--json")
    changes = json.loads(out)["changes"]
    assert changes and {c["status"] for c in changes} == {"unverified"}
    _, text, _ = _run(capsys, "history", str(joined))
    assert "  unverified  " in text and "  verified  " not in text
