"""SIGKILL while writing a PDF or a bundle: no file ever stands at the final name unless
it is complete."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from fieldwork.core.demo.generator import make_demo


def _whole_pdf(path: Path) -> None:
    assert path.read_bytes().rstrip().endswith(b"%%EOF")
    assert len(PdfReader(path).pages) > 3


def _whole_bundle(path: Path) -> None:
    from fieldwork.core.sync.reading import verify_bundle

    assert verify_bundle(path).op_count > 100


def _kill_during(
    args: list[str], final: Path, runs: int, seconds: float, seed: int, whole=_whole_pdf
) -> int:
    """Run the command `runs` times, killing it at random moments; return how many finished."""
    rng = random.Random(seed)
    finished = 0
    for _ in range(runs):
        final.unlink(missing_ok=True)
        proc = subprocess.Popen(
            [sys.executable, "-m", "fieldwork", *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.0, seconds))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        if final.exists():
            finished += 1
            whole(final)
    return finished


def _full_run_seconds(args: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "fieldwork", *args], check=True, capture_output=True)
    return time.perf_counter() - t0


def test_pdf_is_never_half_written(tmp_path: Path) -> None:
    demo = tmp_path / "demo.fieldwork"
    make_demo(demo, cases=60, interviews=8, seed=2).close()
    out = tmp_path / "draft.pdf"
    args = ["report", str(demo), str(out)]
    full = _full_run_seconds(args)
    finished = _kill_during(args, out, runs=25, seconds=full * 1.2, seed=3)
    assert finished < 25, "some kills must land while the PDF is being written"


@pytest.mark.slow
def test_pdf_kill_soak(tmp_path: Path) -> None:
    demo = tmp_path / "demo.fieldwork"
    make_demo(demo, cases=200, seed=2).close()
    out = tmp_path / "draft.pdf"
    args = ["report", str(demo), str(out)]
    _kill_during(args, out, runs=200, seconds=_full_run_seconds(args) * 1.2, seed=4)


def test_bundle_is_never_half_written(tmp_path: Path) -> None:
    demo = tmp_path / "demo.fieldwork"
    make_demo(demo, cases=150, interviews=10, seed=2).close()
    out = tmp_path / "out.bundle"
    args = ["bundle", "export", str(demo), str(out)]
    full = _full_run_seconds(args)
    finished = _kill_during(args, out, runs=25, seconds=full * 1.2, seed=5, whole=_whole_bundle)
    assert finished < 25, "some kills must land while the bundle is being written"
