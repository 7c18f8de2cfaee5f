"""Timing helpers: each figure printed beside its baseline from the same run, and the ratio."""

from __future__ import annotations

import hashlib
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from fieldwork.core.data import forms_dir
from fieldwork.core.demo import generator as demo

ROOT = Path(__file__).resolve().parents[1]

ROWS: list[tuple[str, float, float, str]] = []


def best_of(fn: Callable[[], object], repeat: int = 5) -> float:
    """The median of `repeat` runs, in seconds (the median shrugs off a noisy neighbour)."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def report(
    name: str,
    value: float,
    baseline: float,
    goal: str = "",
    unit: str = "s",
    met: bool | None = None,
) -> None:
    """One figure beside its baseline; `met` adds ok or MISSED to the goal."""
    ratio = value / baseline if baseline else float("inf")
    if met is not None:
        goal = f"{goal}: {'ok' if met else 'MISSED'}"
    ROWS.append((name, value, baseline, goal))
    scale, suffix = (1000.0, "ms") if unit == "s" and value < 1 else (1.0, unit)
    print(
        f"{name:<44} {value * scale:10.2f} {suffix:<3} baseline {baseline * scale:10.2f} {suffix:<3}"
        f" ratio {ratio:6.2f}  {goal}",
        flush=True,
    )


def report_value(name: str, value: float, unit: str, goal: str = "") -> None:
    print(f"{name:<44} {value:10.2f} {unit:<3} {'':>26}  {goal}", flush=True)


def _cache_dir() -> Path:
    # Made anew whenever the demo generator, the write path or a form changes.
    h = hashlib.sha256()
    core = Path(demo.__file__).parents[1]
    sources = [core / "schema.py", *(core / "demo").glob("*.py"), *(core / "storage").rglob("*")]
    for source in sorted(p for p in sources if p.is_file() and "__pycache__" not in p.parts):
        h.update(source.read_bytes())
    for form in sorted(forms_dir().glob("*.yaml")):
        h.update(form.read_bytes())
    folder = Path(tempfile.gettempdir()) / "fieldwork-bench" / h.hexdigest()[:12]
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def demo_file(cases: int) -> Path:
    path = _cache_dir() / f"demo{cases}.fieldwork"
    if not path.exists():
        t0 = time.perf_counter()
        tmp = path.with_name(path.name + ".partial")
        for suffix in ("", "-wal", "-shm"):
            Path(str(tmp) + suffix).unlink(missing_ok=True)
        demo.make_demo(tmp, cases=cases, seed=1).close()
        tmp.rename(path)
        report_value(f"(writing demo --cases {cases}, cached)", time.perf_counter() - t0, "s")
    return path
