"""The command line on real files: new, demo, cases import, answer, dump, check."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fieldwork.cli import main
from fieldwork.core.storage import db
from fieldwork.core.storage.store import Store
from tests.conftest import PASSPHRASE


def run(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """The real entry point in a child process (no terminal: stdin is a pipe)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "fieldwork", *args],
        capture_output=True,
        text=True,
        env=full_env,
        input=stdin or "",
        timeout=120,
    )


@pytest.fixture
def plain(tmp_path: Path) -> Path:
    path = tmp_path / "plain.fieldwork"
    assert (
        main(
            [
                "new",
                str(path),
                "--name",
                "Durham 2016",
                "--no-encryption",
                "--organisation",
                "NPS",
                "--organisation",
                "CRC",
            ]
        )
        == 0
    )
    return path


def _import(path: Path, tmp_path: Path, text: str) -> int:
    csv_path = tmp_path / "sample.csv"
    csv_path.write_text(text, encoding="utf-8")
    return main(["cases", "import", str(path), str(csv_path)])


SAMPLE = (
    "ref,organisation,office,officer,inspector,sentence_type,risk_level\n"
    "X123456,NPS,Glanmor office,Rhys Owen,Łukasz Nowak,licence,high\n"
    "A654321,crc,Pont-y-gof,Ffion Ŵyn,Chloé Durand,community_order,low\n"
)


def test_new_refuses_to_wait_for_a_passphrase_without_a_terminal(tmp_path: Path) -> None:
    result = run("new", str(tmp_path / "x.fieldwork"), "--name", "X")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "FIELDWORK_PASSPHRASE" in result.stderr
    assert not (tmp_path / "x.fieldwork").exists()


def test_encrypted_file_round_trip_through_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "enc.fieldwork"
    env = {"FIELDWORK_PASSPHRASE": PASSPHRASE}
    assert run("new", str(path), "--name", "Enc", env=env).returncode == 0
    assert not path.read_bytes().startswith(b"SQLite format 3")
    csv_path = tmp_path / "s.csv"
    csv_path.write_text(SAMPLE, encoding="utf-8")
    assert run("cases", "import", str(path), str(csv_path), env=env).returncode == 0
    result = run("answer", str(path), "X123456", "2.1.1a", "yes", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Saved the answer to 2.1.1a.\n"
    wrong = run("dump", str(path), "--json", env={"FIELDWORK_PASSPHRASE": "nope"})
    assert wrong.returncode == 1 and "Wrong passphrase" in wrong.stderr
    for f in (path, Path(f"{path}-wal")):
        if f.exists():
            assert b"X123456" not in f.read_bytes()


def test_answer_shows_in_dump_and_the_op_in_changes(
    plain: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _import(plain, tmp_path, SAMPLE) == 0
    assert main(["answer", str(plain), "x123456", "2.1.1a", "no"]) == 0
    capsys.readouterr()
    assert main(["dump", str(plain), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    answers = [a for a in data["answers"] if a["question_id"] == "2.1.1a"]
    assert [a["value"] for a in answers] == ["no"]
    assert "meta" not in data and "bundles" not in data  # nothing local to one laptop
    store = Store.open(plain)
    op = [
        o
        for o in store.audit.ops()
        if o.entity == "answers" and o.field == "value" and o.value == "no"
    ][0]
    assert op.author == store.author and op.device == store.device_id
    case = store.reads.case_by_ref("X123456")
    assert case.status == "draft"
    store.close()


def test_dump_is_byte_identical_for_the_same_ops(
    plain: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _import(plain, tmp_path, SAMPLE)
    other = tmp_path / "other.fieldwork"
    a = Store.open(plain)
    b = Store.create_empty(other)
    b.apply_ops(a.audit.ops())
    b.add_form(a.reads.form().source)
    a.close()
    b.close()
    capsys.readouterr()
    main(["dump", str(plain), "--json"])
    first = capsys.readouterr().out
    main(["dump", str(other), "--json"])
    assert capsys.readouterr().out == first


@pytest.mark.parametrize(
    "args, message",
    [
        (["X999999", "2.1.1a", "yes"], "No case"),
        (["X123456", "9.9.9z", "yes"], "no question"),
        (["X123456", "2.1.1a", "maybe"], "2.1.1a"),
        (["X123456", "risk_level", "medum"], "risk_level"),
        (["X123456", "start_date", "31/02/2016"], "start_date"),
        (["X123456", "2.1.1", "perhaps"], "yes, no or na"),
    ],
)
def test_answer_rejects_bad_values_with_one_line_and_changes_nothing(
    plain: Path,
    tmp_path: Path,
    args: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _import(plain, tmp_path, SAMPLE)
    before = Store.open(plain).audit.op_count()
    capsys.readouterr()
    assert main(["answer", str(plain), *args]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
    assert Store.open(plain).audit.op_count() == before


def test_overriding_a_suggested_judgement_needs_a_reason(
    plain: Path, tmp_path: Path, capsys
) -> None:
    _import(plain, tmp_path, SAMPLE)
    store = Store.open(plain)
    kq = store.reads.form().key_question("2.1.1")
    store.close()
    for prompt in kq.prompts:
        if prompt.required:
            main(["answer", str(plain), "X123456", prompt.id, "yes"])
    capsys.readouterr()
    assert main(["answer", str(plain), "X123456", "2.1.1", "no"]) == 1
    err = capsys.readouterr().err  # core's sentence, then the flag the command line adds
    assert err.startswith("fieldwork: error: The prompts suggest") and err.count("\n") == 1
    assert err.rstrip().endswith("give a reason to record 'no' instead. (use --reason TEXT)")
    assert main(["answer", str(plain), "X123456", "2.1.1", "no", "--reason", "Copied forward"]) == 0
    store = Store.open(plain)
    answer = store.reads.answers(store.reads.case_by_ref("X123456").id)["2.1.1"]
    assert (answer.value, answer.reason) == ("no", "Copied forward")
    store.close()


@pytest.mark.parametrize(
    "text, message",
    [
        ("ref,organisation\nX12345,NPS\n", "line 2"),
        ("ref,organisation\nX123456,Probation Trust\n", "line 2"),
        ("ref,organisation\nX123456,NPS\nX123456,CRC\n", "line 3"),
        ("ref,organisation,colour\nX123456,NPS,red\n", "unknown column"),
        ("ref,organisation,risk_level\nX123456,NPS,medium\nA111111,NPS,extreme\n", "line 3"),
        ("organisation\nNPS\n", "'ref' is missing"),
        # The form's constraint: a start date may not be in the future.
        (
            "ref,organisation,start_date\nX123456,NPS,2015-06-01\nA111111,NPS,2999-01-01\n",
            "line 3: start_date: The date must be after 2000 and not in the future.",
        ),
        # References are ASCII: full-width and Arabic-Indic digits are refused.
        ("ref,organisation\nX\uff11\uff12\uff13\uff14\uff15\uff16,NPS\n", "line 2"),
        ("ref,organisation\nX\u0661\u0662\u0663\u0664\u0665\u0666,NPS\n", "line 2"),
        ("", "empty"),
    ],
)
def test_bad_case_sample_imports_nothing(
    plain: Path, tmp_path: Path, text: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert _import(plain, tmp_path, text) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert message in err[-1] and len(err[-1]) < 300
    assert Store.open(plain).reads.cases() == []


def test_case_sample_not_utf8_is_refused(plain: Path, tmp_path: Path) -> None:
    csv_path = tmp_path / "latin1.csv"
    csv_path.write_bytes("ref,organisation,officer\nX123456,NPS,Chlo\xe9\n".encode("latin-1"))
    assert main(["cases", "import", str(plain), str(csv_path)]) == 1
    assert Store.open(plain).reads.cases() == []


def test_case_sample_imports_cases_attributes_and_team(plain: Path, tmp_path: Path) -> None:
    assert _import(plain, tmp_path, "\ufeff" + SAMPLE) == 0
    store = Store.open(plain)
    cases = {c.ref: c for c in store.reads.cases()}
    assert set(cases) == {"X123456", "A654321"}
    assert cases["A654321"].organisation == "CRC"
    assert store.reads.answers(cases["X123456"].id)["risk_level"].value == "high"
    names = store.reads.member_names()
    assert names[cases["X123456"].inspector] == "Łukasz Nowak"
    store.close()


def test_check_reports_ok_and_schema(plain: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["check", str(plain)]) == 0
    assert capsys.readouterr().out.startswith(f"ok: schema {db.LATEST_SCHEMA}")


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    result = run("answer", "only-a-file")
    assert result.returncode == 2
    result = run("demo", str(tmp_path / "d.fieldwork"), "--cases", "many")
    assert result.returncode == 2


def test_missing_or_foreign_files_give_one_line(tmp_path: Path) -> None:
    result = run("check", str(tmp_path / "nope.fieldwork"))
    assert result.returncode == 1 and "No such inspection file" in result.stderr
    junk = tmp_path / "junk.fieldwork"
    junk.write_bytes(b"just some text, not a database at all" * 200)
    result = run("check", str(junk), env={"FIELDWORK_PASSPHRASE": "x"})
    assert result.returncode == 1 and result.stderr.count("\n") == 1


def test_non_gui_commands_never_import_qt(plain: Path) -> None:
    code = (
        "import sys; from fieldwork.cli import main; "
        f"main(['dump', {str(plain)!r}, '--json']); "
        "sys.stderr.write(str(any(m.startswith('PySide6') for m in sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stderr.strip().endswith("False")


def test_damaged_file_is_reported_and_restored_from_the_latest_good_backup(
    tmp_path: Path,
) -> None:
    path = tmp_path / "d.fieldwork"
    env = {"FIELDWORK_PASSPHRASE": PASSPHRASE}
    assert run("new", str(path), "--name", "D", env=env).returncode == 0
    csv_path = tmp_path / "s.csv"
    csv_path.write_text(SAMPLE, encoding="utf-8")
    assert run("cases", "import", str(path), str(csv_path), env=env).returncode == 0
    Store.open(path, PASSPHRASE, backup=True).close()
    data = bytearray(path.read_bytes())
    data[4096 + 100 : 4096 + 300] = b"\x00" * 200  # damage page 2
    path.write_bytes(bytes(data))
    bad = run("check", str(path), env=env)
    assert bad.returncode == 1 and "damaged" in bad.stderr and bad.stderr.count("\n") == 1
    restored = run("restore", str(path), env=env)
    assert restored.returncode == 0, restored.stderr
    assert run("check", str(path), env=env).returncode == 0
    store = Store.open(path, PASSPHRASE)
    assert {c.ref for c in store.reads.cases()} == {"X123456", "A654321"}
    store.close()
    assert list(tmp_path.glob("d.fieldwork.damaged-*"))


def test_restore_without_backups_says_so(plain: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["restore", str(plain)]) == 1
    assert "No good backup" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["Durham #1.fieldwork", "What? 100%.fieldwork"])
def test_a_file_name_with_uri_characters_is_the_file_written(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    assert main(["new", str(path), "--name", "Durham", "--no-encryption"]) == 0
    assert main(["check", str(path)]) == 0
    written = [p.name for p in tmp_path.iterdir() if p.is_file() and not p.name.startswith(".")]
    assert written == [name]
    with Store.open(path) as store:
        assert store.reads.inspection().name == "Durham"
