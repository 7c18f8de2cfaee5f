"""A short run of every fuzz target in `make test` (the long runs are in `make soak`):
arbitrary and mutated input only ever raises the project's own errors."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.targets import SEEDS, TARGETS, Context, run_one


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> Context:
    return Context(tmp_path_factory.mktemp("fuzz"))


def _mutated(seed: bytes) -> st.SearchStrategy[bytes]:
    """Seeds with a slice replaced, so inputs look nearly valid and reach deep code."""
    return st.tuples(
        st.integers(0, max(0, len(seed) - 1)), st.integers(0, 64), st.binary(max_size=64)
    ).map(lambda t: seed[: t[0]] + t[2] + seed[t[0] + t[1] :])


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_only_our_errors_escape(ctx: Context, name: str) -> None:
    seeds = SEEDS[name](ctx)
    strategy = st.one_of(
        st.binary(max_size=4096),
        st.text(max_size=2048).map(str.encode),
        *(_mutated(s) for s in seeds),
    )

    @settings(
        max_examples=150, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(strategy)
    def check(data: bytes) -> None:
        run_one(TARGETS[name], ctx, data)

    check()
