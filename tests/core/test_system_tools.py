"""A test that needs a program the machine lacks fails with the one line to install it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_missing_tool_fails_in_one_line_without_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "test_uses_age.py").write_text(
        "from tests.conftest import need_tool\n\n\n"
        "def test_decrypts_a_bundle():\n"
        "    need_tool('age')\n",
        encoding="utf-8",
    )
    bare = tmp_path / "bin"
    bare.mkdir()  # a PATH on which age is nowhere
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(tmp_path),
            str(tmp_path / "test_uses_age.py"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={**os.environ, "PATH": str(bare), "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 1, done.stdout
    line = (
        "age is not installed: run `sudo apt-get install age` (or `make test`, which installs it)"
    )
    assert line in done.stdout
    assert "Traceback" not in done.stdout and "need_tool('age')" not in done.stdout, done.stdout
