"""`make bench`: run every benchmark module; `python -m bench store` runs one."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> None:
    wanted = set(sys.argv[1:])
    folder = str(Path(__file__).parent)
    names = sorted(m.name for m in pkgutil.iter_modules([folder]) if m.name.startswith("bench_"))
    print(f"{'figure':<44} {'value':>14} {'baseline (same run)':>26} {'ratio':>10}  goal")
    for name in names:
        if wanted and name.removeprefix("bench_") not in wanted:
            continue
        importlib.import_module(f"bench.{name}").run()


if __name__ == "__main__":
    main()
