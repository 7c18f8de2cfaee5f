"""`python -m tests.fuzz TARGET [RUNS]`: fuzz one target, with atheris where it runs.

Without atheris, hypothesis generates the inputs instead (slower, not coverage-guided).
Memory is bounded: atheris by -rss_limit_mb, hypothesis by a resource limit.
"""

from __future__ import annotations

import resource
import sys
from pathlib import Path

from tests.fuzz.targets import SEEDS, TARGETS, Context, run_one

RSS_LIMIT_MB = 1536
ARTIFACTS = Path("fuzz-artifacts")  # inputs that crashed a target, kept to reproduce


def main() -> None:
    name = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    target = TARGETS[name]
    ctx = Context()
    try:
        import atheris
    except ImportError:
        atheris = None
    if atheris is not None:
        ARTIFACTS.mkdir(exist_ok=True)
        corpus = ctx.folder / "corpus"
        corpus.mkdir()
        for i, seed in enumerate(SEEDS.get(name, lambda c: [])(ctx)):
            (corpus / f"seed{i}").write_bytes(seed)
        atheris.instrument_all()
        atheris.Setup(
            [
                sys.argv[0],
                f"-runs={runs}",
                f"-rss_limit_mb={RSS_LIMIT_MB}",
                "-max_len=65536",
                str(corpus),
            ],
            lambda data: run_one(target, ctx, data),
        )
        atheris.Fuzz()
        return
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    limit = RSS_LIMIT_MB * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit * 4, limit * 4))

    @settings(
        max_examples=runs, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(st.binary(max_size=65536))
    def fuzz(data: bytes) -> None:
        run_one(target, ctx, data)

    fuzz()
    print(f"fuzz {name}: {runs} examples, only our own errors escaped")


if __name__ == "__main__":
    main()
