"""The command line holds every NEW passphrase to the rule; opening old files never is."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from fieldwork.core.errors import WeakPassphrase
from fieldwork.core.storage.store import Store
from tests.conftest import PASSPHRASE, new_store


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fieldwork", *args],
        capture_output=True,
        text=True,
        input="",
        env={**os.environ, **env},
        timeout=120,
    )


def refused(done: subprocess.CompletedProcess[str], words: str) -> None:
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1, done
    assert len(lines) == 1 and lines[0].startswith("fieldwork: error: "), done.stderr
    assert words in lines[0], lines[0]


def test_new_refuses_a_one_character_passphrase_and_makes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "durham.fieldwork"
    done = run("new", str(path), "--name", "Durham 2016", env={"FIELDWORK_PASSPHRASE": "x"})
    refused(done, "at least 15 characters and this one has 1")
    done = run("new", str(path), "--name", "Durham 2016", env={"FIELDWORK_PASSPHRASE": "x" * 20})
    refused(done, "one character repeated")
    done = run(
        "new", str(path), "--name", "Durham 2016", env={"FIELDWORK_PASSPHRASE": "durham 2016 2016"}
    )
    refused(done, "inspection's name")
    assert list(tmp_path.iterdir()) == []
    done = run("new", str(path), "--name", "Durham 2016", env={"FIELDWORK_PASSPHRASE": PASSPHRASE})
    assert done.returncode == 0, done.stderr


def test_demo_and_join_refuse_weak_passphrases(tmp_path: Path) -> None:
    weak = {"FIELDWORK_PASSPHRASE": "password password"}
    refused(run("demo", str(tmp_path / "demo.fieldwork"), "--cases", "5", env=weak), "common")
    lead = tmp_path / "lead.fieldwork"
    new_store(lead).close()
    plain = tmp_path / "setup.bundle"
    assert run("bundle", "export", str(lead), str(plain), "--plain", env={}).returncode == 0
    joined = tmp_path / "mine.fieldwork"
    done = run("new", str(joined), "--from-bundle", str(plain), "--inspector", "Sian", env=weak)
    refused(done, "common")
    assert not joined.exists()


def test_an_old_file_with_a_short_passphrase_still_opens(tmp_path: Path) -> None:
    """Made before the rule (through core, as release 0.1.0 allowed): it keeps opening."""
    path = tmp_path / "old.fieldwork"
    new_store(path, "x").close()
    done = run("check", str(path), env={"FIELDWORK_PASSPHRASE": "x"})
    assert done.returncode == 0 and done.stdout.startswith("ok:"), done.stderr
    wrong = run("check", str(path), env={"FIELDWORK_PASSPHRASE": "y"})
    refused(wrong, "Wrong passphrase")


def test_changing_to_a_weak_passphrase_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "secret.fieldwork"
    store = new_store(path, PASSPHRASE)
    try:
        for weak in ("x", "new pass", "correct horse battery staple"):
            try:
                store.rekey(PASSPHRASE, weak)
            except WeakPassphrase as exc:
                assert "\n" not in str(exc)
            else:
                raise AssertionError(f"{weak!r} was accepted")
    finally:
        store.close()
    Store.open(path, PASSPHRASE).close()
