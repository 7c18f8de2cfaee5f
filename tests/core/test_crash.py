"""SIGKILL a process that is saving answers at random moments: nothing reported saved is lost."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fieldwork.core.storage.store import Store
from tests.conftest import PASSPHRASE, new_store

WRITER = r"""
import sys
from fieldwork.core.storage.store import Store
store = Store.open(sys.argv[1], sys.argv[2] or None)
case_id, start = sys.argv[3], int(sys.argv[4])
i = start
while True:
    store.set_answer(case_id, f"2.1.1a", "yes" if i % 2 else "no")
    store.set_answer(case_id, f"2.1/strengths", f"note {i}")
    print(i, flush=True)  # only after the commit returned
    i += 1
"""


def _kill_runs(path: Path, passphrase: str, case_id: str, runs: int, rng: random.Random) -> None:
    saved = -1
    for _ in range(runs):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), passphrase, case_id, str(saved + 1)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert proc.stdout is not None
        first = proc.stdout.readline()  # wait until it is writing
        time.sleep(rng.uniform(0, 0.05))
        os.kill(proc.pid, signal.SIGKILL)
        rest = proc.stdout.read()
        proc.wait()
        lines = [int(x) for x in (first + rest).split()]
        if lines:
            saved = lines[-1]
        store = Store.open(path, passphrase or None)
        try:
            assert store.audit.check()["ok"]
            if saved >= 0:
                note = store.reads.answers(case_id)["2.1/strengths"].value
                # the last reported save is there (a later, unreported one may be too)
                assert int(note.split()[1]) >= saved
        finally:
            store.close()


@pytest.mark.parametrize("encrypted", [False, True])
def test_sigkill_while_saving_loses_nothing_reported_saved(tmp_path: Path, encrypted: bool) -> None:
    path = tmp_path / "crash.fieldwork"
    passphrase = PASSPHRASE if encrypted else ""
    store = new_store(path, passphrase or None)
    case_id = store.insert("cases", {"ref": "X123456", "organisation": "NPS"})
    store.close()
    _kill_runs(path, passphrase, case_id, runs=30, rng=random.Random(7 + encrypted))


@pytest.mark.slow
def test_sigkill_soak(tmp_path: Path) -> None:
    path = tmp_path / "crash.fieldwork"
    store = new_store(path, PASSPHRASE)
    case_id = store.insert("cases", {"ref": "X123456", "organisation": "NPS"})
    store.close()
    _kill_runs(path, PASSPHRASE, case_id, runs=200, rng=random.Random(99))
