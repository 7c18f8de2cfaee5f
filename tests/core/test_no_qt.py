"""The core never imports PySide6 (DESIGN.md section 2)."""

from __future__ import annotations

import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import fieldwork.core

CORE = Path(fieldwork.core.__file__).parent


def test_no_core_module_mentions_pyside() -> None:
    pattern = re.compile(r"^\s*(from|import)\s+PySide6", re.M)
    offenders = [p.name for p in CORE.rglob("*.py") if pattern.search(p.read_text("utf-8"))]
    assert offenders == []


def test_importing_every_core_module_loads_no_qt() -> None:
    names = [m.name for m in pkgutil.walk_packages([str(CORE)], "fieldwork.core.")]
    assert "fieldwork.core.storage.store" in names
    code = (
        "import importlib, sys\n"
        f"for n in {names!r}: importlib.import_module(n)\n"
        "import fieldwork.cli, fieldwork.commands.common\n"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
