"""SIGKILL during a bundle import: the file is always exactly as before or as after."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fieldwork.core.storage.store import Store
from fieldwork.core.sync import bundle
from tests.conftest import new_store

KILLS = 20


def _fingerprint(path: Path) -> tuple[int, str]:
    with Store.open(path) as s:
        assert s.audit.check()["ok"]
        dump = json.dumps(s.audit.dump(), sort_keys=True).encode()
        return s.audit.op_count(), hashlib.sha256(dump).hexdigest()


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("crash")
    lead = new_store(tmp / "lead.fieldwork")
    bundle.export_bundle(lead, tmp / "setup.zip")
    mate, _ = bundle.join_from_bundle(tmp / "setup.zip", tmp / "mate.fieldwork", None)
    mate.close()
    with lead.transaction():
        for i in range(400):
            case = lead.insert("cases", {"ref": f"C{i:06d}", "organisation": "NPS"})
            for q in range(25):
                lead.set_answer(case, f"q{q}", f"answer {i} {q}", comment=f"note {q}")
    bundle.export_bundle(lead, tmp / "big.zip")
    lead.close()
    return tmp / "mate.fieldwork", tmp / "big.zip"


def _import(path: Path, bundle_path: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "fieldwork", "bundle", "import", str(path), str(bundle_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "FIELDWORK_PASSPHRASE": ""},
    )


def test_sigkill_during_import_leaves_before_or_after(
    setup: tuple[Path, Path], tmp_path: Path
) -> None:
    pristine, big = setup
    before = _fingerprint(pristine)
    done = tmp_path / "done.fieldwork"
    shutil.copy(pristine, done)
    t0 = time.perf_counter()
    assert _import(done, big).wait(timeout=120) == 0
    took = time.perf_counter() - t0
    after = _fingerprint(done)
    assert after[0] > before[0] + 20_000
    rng = random.Random(4)
    seen = {before: 0, after: 0}
    for run in range(KILLS):
        work = tmp_path / f"run{run}.fieldwork"
        shutil.copy(pristine, work)
        proc = _import(work, big)
        time.sleep(rng.uniform(0.05, took * 1.1))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        state = _fingerprint(work)
        assert state in (before, after), f"run {run}: {state[0]} ops, neither before nor after"
        seen[state] += 1
        for suffix in ("", "-wal", "-shm"):
            Path(str(work) + suffix).unlink(missing_ok=True)
    assert seen[before] > 0  # killed mid-import at least once


def _join(dest: Path, bundle_path: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "fieldwork", "new", str(dest), "--from-bundle", str(bundle_path),
         "--no-encryption"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip


def test_sigkill_during_join_leaves_no_file_or_a_whole_one(
    setup: tuple[Path, Path], tmp_path: Path
) -> None:
    _, big = setup
    whole = tmp_path / "whole.fieldwork"
    t0 = time.perf_counter()
    assert _join(whole, big).wait(timeout=120) == 0
    took = time.perf_counter() - t0
    complete = _fingerprint(whole)[0]
    rng = random.Random(7)
    outcomes = {"none": 0, "whole": 0}
    for run in range(KILLS // 2):
        dest = tmp_path / f"run{run}" / "mate.fieldwork"
        dest.parent.mkdir()
        proc = _join(dest, big)
        time.sleep(rng.uniform(0.05, took * 1.1))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        if dest.exists():
            assert _fingerprint(dest)[0] == complete, f"run {run}: a half-joined file"
            outcomes["whole"] += 1
            continue
        outcomes["none"] += 1
        # Joining again works: the half-built file the killed process left is cleared.
        assert _join(dest, big).wait(timeout=120) == 0
        assert _fingerprint(dest)[0] == complete
        assert [p.name for p in dest.parent.iterdir()] == ["mate.fieldwork"]
    assert outcomes["none"] > 0  # killed mid-join at least once
