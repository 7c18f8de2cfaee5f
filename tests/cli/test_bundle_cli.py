"""The sync subcommands on real files: exit 0, 1 (one line on stderr) and 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from fieldwork.cli import main
from fieldwork.core.storage.store import Store
from tests.conftest import PASSPHRASE, need_tool


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fieldwork", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        input="",
        timeout=120,
    )


def _one_line_error(stderr: str) -> None:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("fieldwork: "), stderr


@pytest.fixture
def lead(tmp_path: Path) -> Path:
    path = tmp_path / "lead.fieldwork"
    assert (
        main(["new", str(path), "--name", "Durham 2016", "--no-encryption", "--inspector", "Lee"])
        == 0
    )
    return path


@pytest.fixture
def mate(lead: Path, tmp_path: Path) -> Path:
    assert main(["bundle", "export", str(lead), str(tmp_path / "setup.zip")]) == 0
    path = tmp_path / "mate.fieldwork"
    assert (
        main(
            [
                "new",
                str(path),
                "--from-bundle",
                str(tmp_path / "setup.zip"),
                "--no-encryption",
                "--inspector",
                "Sam",
            ]
        )
        == 0
    )
    return path


def test_export_verify_import(
    lead: Path, mate: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["bundle", "export", str(mate), str(tmp_path / "m.zip")]) == 0
    assert "verified" in capsys.readouterr().out
    assert main(["bundle", "verify", str(tmp_path / "m.zip")]) == 0
    shown = capsys.readouterr().out
    assert "Durham 2016" in shown and "Sam" in shown and "ops" in shown
    assert main(["bundle", "import", str(lead), str(tmp_path / "m.zip")]) == 0
    shown = capsys.readouterr().out
    assert "0 new ops" in shown and "set aside: Sam asks to join as inspector" in shown
    assert main(["members", "admit", str(lead), "Sam"]) == 0
    assert main(["bundle", "import", str(lead), str(tmp_path / "m.zip")]) == 0
    assert "0 new ops" in capsys.readouterr().out
    with Store.open(lead) as s:
        assert {m.name for m in s.reads.members()} == {"Lee", "Sam"}


def test_bad_bundle_is_exit_1_with_one_line(lead: Path, tmp_path: Path) -> None:
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04 and then nothing useful")
    done = run("bundle", "import", str(lead), str(tmp_path / "bad.zip"))
    assert done.returncode == 1
    _one_line_error(done.stderr)
    done = run("bundle", "verify", str(tmp_path / "missing.zip"))
    assert done.returncode == 1
    _one_line_error(done.stderr)


def test_usage_errors_are_exit_2(lead: Path) -> None:
    assert run("bundle", "export", str(lead)).returncode == 2
    assert run("bundle").returncode == 2
    assert run("resolve", str(lead), "abc").returncode == 2


def test_keygen_and_headquarters_can_open_bundles(tmp_path: Path) -> None:
    env = {"FIELDWORK_PASSPHRASE": PASSPHRASE}
    lead = tmp_path / "lead.fieldwork"
    assert run("new", str(lead), "--name", "Secret", env=env).returncode == 0
    done = run("keygen", str(tmp_path / "hq.key"))
    assert done.returncode == 0
    public = done.stdout.strip()
    assert public.startswith("age1") and (tmp_path / "hq.key").stat().st_mode & 0o077 == 0
    assert run("keygen", str(tmp_path / "hq.key")).returncode == 1  # never overwritten
    assert run("recipients", "add", str(lead), public, "--name", "HQ", env=env).returncode == 0
    assert run("recipients", "add", str(lead), "age1bogus", env=env).returncode == 1
    assert run("bundle", "export", str(lead), str(tmp_path / "b.age"), env=env).returncode == 0
    opened = subprocess.run(
        [need_tool("age"), "-d", "-i", str(tmp_path / "hq.key"), str(tmp_path / "b.age")],
        capture_output=True,
        check=False,
    )
    assert opened.returncode == 0 and opened.stdout.startswith(b"PK")
    done = run("bundle", "verify", str(tmp_path / "b.age"), "--identity", str(tmp_path / "hq.key"))
    assert done.returncode == 0 and "recipients" in done.stdout
    done = run("bundle", "verify", str(tmp_path / "b.age"))
    assert done.returncode == 1
    _one_line_error(done.stderr)


def test_setup_bundle_with_a_passphrase(tmp_path: Path) -> None:
    env = {"FIELDWORK_PASSPHRASE": PASSPHRASE, "SETUP": "kettle on"}
    lead = tmp_path / "lead.fieldwork"
    assert run("new", str(lead), "--name", "Secret", env=env).returncode == 0
    done = run(
        "bundle", "export", str(lead), str(tmp_path / "s.age"), "--passphrase-env", "NOPE", env=env
    )
    assert done.returncode == 1
    _one_line_error(done.stderr)
    # A seal too short to protect the whole inspection in transit is refused.
    done = run(
        "bundle", "export", str(lead), str(tmp_path / "s.age"), "--passphrase-env", "SETUP", env=env
    )
    assert done.returncode == 1 and "at least 15 characters" in done.stderr
    _one_line_error(done.stderr)
    assert not (tmp_path / "s.age").exists()
    env["SETUP"] = "kettle on, biscuits out"
    done = run(
        "bundle", "export", str(lead), str(tmp_path / "s.age"), "--passphrase-env", "SETUP", env=env
    )
    assert done.returncode == 0, done.stderr
    # No passphrase and no terminal: fails rather than waits.
    done = run(
        "new", str(tmp_path / "x.fieldwork"), "--from-bundle", str(tmp_path / "s.age"), env=env
    )
    assert done.returncode == 1 and not (tmp_path / "x.fieldwork").exists()
    done = run(
        "new",
        str(tmp_path / "mate.fieldwork"),
        "--from-bundle",
        str(tmp_path / "s.age"),
        "--inspector",
        "Sam",
        env={**env, "FIELDWORK_BUNDLE_PASSPHRASE": "kettle on, biscuits out"},
    )
    assert done.returncode == 0, done.stderr
    assert "public key: age1" in done.stdout


def test_plain_needs_asking_from_an_encrypted_file(tmp_path: Path) -> None:
    env = {"FIELDWORK_PASSPHRASE": PASSPHRASE}
    lead = tmp_path / "lead.fieldwork"
    assert run("new", str(lead), "--name", "Secret", env=env).returncode == 0
    assert run("bundle", "export", str(lead), str(tmp_path / "a.out"), env=env).returncode == 0
    assert not zipfile.is_zipfile(tmp_path / "a.out")
    assert (
        run("bundle", "export", str(lead), str(tmp_path / "b.zip"), "--plain", env=env).returncode
        == 0
    )
    assert zipfile.is_zipfile(tmp_path / "b.zip")


def test_conflicts_and_resolve(
    lead: Path, mate: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(lead) as s:
        case = s.insert("cases", {"ref": "X123456", "organisation": "NPS"})
    assert main(["bundle", "export", str(lead), str(tmp_path / "l1.zip")]) == 0
    assert main(["bundle", "import", str(mate), str(tmp_path / "l1.zip")]) == 0
    for path, office in ((lead, "Durham"), (mate, "Darlington")):
        with Store.open(path) as s:
            s.update("cases", case, {"office": office})
    assert main(["bundle", "export", str(mate), str(tmp_path / "m.zip")]) == 0
    capsys.readouterr()
    assert main(["bundle", "import", str(lead), str(tmp_path / "m.zip")]) == 0
    assert "1 conflicts" in capsys.readouterr().out
    assert main(["members", "admit", str(lead), "Sam"]) == 0  # Sam asked to join
    capsys.readouterr()
    assert main(["conflicts", str(lead), "--json"]) == 0
    (conflict,) = json.loads(capsys.readouterr().out)
    assert conflict["case_ref"] == "X123456" and conflict["field"] == "office"
    assert {h["value"] for h in conflict["heads"]} == {"Durham", "Darlington"}
    assert {h["author_name"] for h in conflict["heads"]} == {"Lee", "Sam"}
    assert main(["conflicts", str(lead)]) == 0
    assert "X123456" in capsys.readouterr().out
    assert main(["resolve", str(lead), "nosuchid", "--take", "x"]) == 1
    assert main(["resolve", str(lead), conflict["id"][:6], "--take", "Darlington"]) == 0
    assert main(["bundle", "export", str(lead), str(tmp_path / "l2.zip")]) == 0
    assert main(["bundle", "import", str(mate), str(tmp_path / "l2.zip")]) == 0
    capsys.readouterr()
    for path in (lead, mate):
        assert main(["conflicts", str(path)]) == 0
        assert "No open conflicts" in capsys.readouterr().out
        with Store.open(path) as s:
            assert s.reads.case(case).office == "Darlington"


def test_resolve_takes_only_a_value_the_form_allows(
    lead: Path, mate: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(lead) as s:
        case = s.insert("cases", {"ref": "X123456", "organisation": "NPS"})
    assert main(["bundle", "export", str(lead), str(tmp_path / "l1.zip")]) == 0
    assert main(["bundle", "import", str(mate), str(tmp_path / "l1.zip")]) == 0
    for path, value in ((lead, "yes"), (mate, "no")):
        assert main(["answer", str(path), "X123456", "2.1.1a", value]) == 0
    assert main(["bundle", "export", str(mate), str(tmp_path / "m.zip")]) == 0
    assert main(["bundle", "import", str(lead), str(tmp_path / "m.zip")]) == 0
    capsys.readouterr()
    assert main(["conflicts", str(lead), "--json"]) == 0
    (conflict,) = json.loads(capsys.readouterr().out)
    before = Store.open(lead).audit.dump()
    assert main(["resolve", str(lead), conflict["id"], "--take", "maybe"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "2.1.1a" in err and "maybe" in err
    assert Store.open(lead).audit.dump() == before
    assert main(["resolve", str(lead), conflict["id"], "--take", "NA"]) == 0
    with Store.open(lead) as s:
        assert s.reads.answers(case)["2.1.1a"].value == "na"
    assert main(["check", str(lead)]) == 0


def test_check_reports_stored_values_the_form_refuses(
    lead: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(lead) as s:
        case = s.insert("cases", {"ref": "X123456", "organisation": "NPS"})
        s.set_answer(case, "2.1.1a", "maybe")  # as an older release's bundle could bring it
    capsys.readouterr()
    assert main(["check", str(lead)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "1 stored answers the form refuses" in err and "X123456" in err and "2.1.1a" in err


def test_conflicts_are_listed_in_the_users_words(
    lead: Path, mate: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(lead) as s:
        s.insert("cases", {"ref": "X123456", "organisation": "NPS"})
    assert main(["bundle", "export", str(lead), str(tmp_path / "l1.zip")]) == 0
    assert main(["bundle", "import", str(mate), str(tmp_path / "l1.zip")]) == 0
    for path, value in ((lead, "level_1"), (mate, "Level 2")):  # a label is taken too
        assert main(["answer", str(path), "X123456", "mappa_level", value]) == 0
    assert main(["bundle", "export", str(mate), str(tmp_path / "m.zip")]) == 0
    assert main(["bundle", "import", str(lead), str(tmp_path / "m.zip")]) == 0
    capsys.readouterr()
    assert main(["conflicts", str(lead)]) == 0
    out = capsys.readouterr().out
    assert "Case X123456: MAPPA level" in out
    assert "A: Level 1 (by Lee, " in out and "B: Level 2 (by Sam (asking to join), " in out
    assert "level_" not in out and "device" not in out
    conflict_id = out.split()[0]
    with Store.open(lead) as s:
        devices = {h.device[:8] for c in s.reads.conflicts() for h in c.heads}
    assert not any(d in out for d in devices)
    assert main(["resolve", str(lead), conflict_id, "--take", "level 3"]) == 0
    assert capsys.readouterr().out.strip() == ("Resolved Case X123456, MAPPA level: Level 3.")
