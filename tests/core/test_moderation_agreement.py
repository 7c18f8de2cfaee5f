"""The agreement statistics (core/moderation/agreement.py, plain Python) against
statsmodels.stats.inter_rater on random tables, to 1e-9, and against the published
examples: Fleiss (1971) Table 1 (kappa 0.430) and Krippendorff (2011) (alpha 0.743)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats import inter_rater

from fieldwork.core.moderation import agreement as a

TOL = 1e-9

# Fleiss (1971), Table 1: 30 patients, each diagnosed by 6 psychiatrists (not the same
# six for every patient). Columns: depression, personality disorder, schizophrenia,
# neurosis, other. The content of a cell is the number of psychiatrists giving it.
FLEISS_1971 = [
    [0, 0, 0, 6, 0],
    [0, 3, 0, 0, 3],
    [0, 1, 4, 0, 1],
    [0, 0, 0, 0, 6],
    [0, 3, 0, 3, 0],
    [2, 0, 4, 0, 0],
    [0, 0, 4, 0, 2],
    [2, 0, 3, 1, 0],
    [2, 0, 0, 4, 0],
    [0, 0, 0, 0, 6],
    [1, 0, 0, 5, 0],
    [1, 1, 0, 4, 0],
    [0, 3, 3, 0, 0],
    [1, 0, 0, 5, 0],
    [0, 2, 0, 3, 1],
    [0, 0, 5, 0, 1],
    [3, 0, 0, 1, 2],
    [5, 1, 0, 0, 0],
    [0, 2, 0, 4, 0],
    [1, 0, 2, 0, 3],
    [0, 0, 0, 0, 6],
    [0, 1, 0, 5, 0],
    [0, 2, 0, 1, 3],
    [2, 0, 0, 4, 0],
    [1, 0, 0, 4, 1],
    [0, 5, 0, 1, 0],
    [4, 0, 0, 0, 2],
    [0, 2, 0, 4, 0],
    [1, 0, 5, 0, 0],
    [0, 0, 0, 0, 6],
]

# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", section C: four
# observers, twelve units, nominal values, None where an observer gave none.
KRIPPENDORFF_2011 = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
}


def _statsmodels(fn, *args, **kw) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # 0/0 where undefined
        return float(fn(*args, **kw))


def _same(ours: float | None, theirs: float) -> bool:
    if ours is None:
        return not math.isfinite(theirs)
    return abs(ours - theirs) <= TOL


square = st.integers(2, 5).flatmap(
    lambda q: st.lists(st.lists(st.integers(0, 40), min_size=q, max_size=q), min_size=q, max_size=q)
)


@settings(max_examples=300, deadline=None)
@given(square)
def test_cohens_kappa_agrees_with_statsmodels(table: list[list[int]]) -> None:
    if not sum(map(sum, table)):
        assert a.cohen_kappa(table) is None
        return
    theirs = _statsmodels(
        lambda t: inter_rater.cohens_kappa(np.array(t), return_results=False), table
    )
    assert _same(a.cohen_kappa(table), theirs)


def _counts(draw: st.DrawFn) -> list[list[int]]:
    q = draw(st.integers(2, 5))
    m = draw(st.integers(2, 8))
    rows = draw(st.integers(1, 25))
    out = []
    for _ in range(rows):
        labels = draw(st.lists(st.integers(0, q - 1), min_size=m, max_size=m))
        out.append([labels.count(k) for k in range(q)])
    return out


counts_tables = st.composite(_counts)()


@settings(max_examples=300, deadline=None)
@given(counts_tables)
def test_fleiss_kappa_agrees_with_statsmodels(counts: list[list[int]]) -> None:
    theirs = _statsmodels(inter_rater.fleiss_kappa, np.array(counts), method="fleiss")
    assert _same(a.fleiss_kappa(counts), theirs)


@settings(max_examples=200, deadline=None)
@given(counts_tables)
def test_krippendorff_alpha_on_complete_data_is_fleiss_kappa_corrected_for_sample_size(
    counts: list[list[int]],
) -> None:
    # With every unit rated by the same m raters, nominal alpha = 1 - (1 - kappa)(n-1)/n,
    # n the number of values (Krippendorff 2011): checked against statsmodels' kappa.
    kappa = _statsmodels(inter_rater.fleiss_kappa, np.array(counts), method="fleiss")
    units = [[k for k, c in enumerate(row) for _ in range(c)] for row in counts]
    n = sum(map(sum, counts))
    alpha = a.krippendorff_alpha(units)
    if not math.isfinite(kappa):
        assert alpha is None
    else:
        assert alpha is not None and abs(alpha - (1 - (1 - kappa) * (n - 1) / n)) <= TOL


@settings(max_examples=200, deadline=None)
@given(square)
def test_ac1_of_two_raters_is_the_many_rater_ac1_of_the_same_pairs(
    table: list[list[int]],
) -> None:
    q = len(table)
    as_counts = []
    for i in range(q):
        for j in range(q):
            for _ in range(table[i][j]):
                row = [0] * q
                row[i] += 1
                row[j] += 1
                as_counts.append(row)
    two, many = a.gwet_ac1(table), a.gwet_ac1_multi(as_counts)
    assert (two is None and many is None) or abs(two - many) <= TOL  # type: ignore[operator]


def test_fleiss_1971_worked_example() -> None:
    assert len(FLEISS_1971) == 30 and all(sum(r) == 6 for r in FLEISS_1971)
    kappa = a.fleiss_kappa(FLEISS_1971)
    assert kappa is not None and round(kappa, 3) == 0.430
    theirs = inter_rater.fleiss_kappa(np.array(FLEISS_1971), method="fleiss")
    assert abs(kappa - theirs) <= TOL


def test_krippendorff_2011_worked_example() -> None:
    units = [[v[u] for v in KRIPPENDORFF_2011.values() if v[u] is not None] for u in range(12)]
    alpha = a.krippendorff_alpha(units)
    assert alpha is not None and round(alpha, 3) == 0.743


def test_ac1_holds_up_where_kappa_collapses() -> None:
    # Two raters, 125 cases, almost all judged the same way: 118 both yes, 5 and 2 split,
    # none both no. po = 0.944; kappa's chance agreement 0.94528 leaves it at -0.023,
    # while AC1's (2 x 0.972 x 0.028 = 0.054432) gives 0.9408.
    table = [[118, 5], [2, 0]]
    assert a.percent_agreement(table) == pytest.approx(94.4)
    assert a.cohen_kappa(table) == pytest.approx(-0.00128 / 0.05472, abs=TOL)
    assert a.gwet_ac1(table) == pytest.approx((0.944 - 0.054432) / (1 - 0.054432), abs=TOL)


def test_undefined_figures_are_none_not_a_crash() -> None:
    assert a.cohen_kappa([[0, 0], [0, 0]]) is None
    assert a.cohen_kappa([[7, 0], [0, 0]]) is None  # both always yes: chance is 1
    assert a.gwet_ac1([[7, 0], [0, 0]]) == 1.0  # AC1 still says they agree
    assert a.percent_agreement([[0, 0], [0, 0]]) is None
    assert a.fleiss_kappa([]) is None and a.fleiss_kappa([[2, 0], [1, 0]]) is None
    assert a.krippendorff_alpha([[1], [2]]) is None  # nothing pairable
    assert a.krippendorff_alpha([[1, 1], [1, 1]]) is None  # one value only


@pytest.mark.parametrize(
    ("kappa", "words"),
    [
        (-0.1, "poor"),
        (0.0, "slight"),
        (0.2, "slight"),
        (0.21, "fair"),
        (0.4, "fair"),
        (0.5, "moderate"),
        (0.61, "substantial"),
        (0.8, "substantial"),
        (0.81, "almost perfect"),
        (1.0, "almost perfect"),
        (None, None),
    ],
)
def test_landis_and_koch_words(kappa: float | None, words: str | None) -> None:
    assert a.landis_koch(kappa) == words
