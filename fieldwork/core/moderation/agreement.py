"""How far assessors agree, in plain Python: percentage agreement, Cohen's kappa, Gwet's
AC1, Fleiss' kappa and Krippendorff's alpha (nominal), and the Landis & Koch words.

Pure functions over counts, computed exactly with fractions and turned into a float at
the end, so every laptop holding the same judgements shows the same figures. Each returns
None where the statistic is undefined (no units, or chance agreement already 1).
tests/core/test_moderation_agreement.py checks them against statsmodels.stats.inter_rater
and the published examples (Fleiss 1971; Krippendorff 2011).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from fractions import Fraction

Table = Sequence[Sequence[int]]


def contingency(
    pairs: Iterable[tuple[Hashable, Hashable]], categories: Sequence[Hashable]
) -> list[list[int]]:
    """The square table of two raters' labels: rows the first rater's, columns the second's."""
    index = {c: i for i, c in enumerate(categories)}
    table = [[0] * len(categories) for _ in categories]
    for a, b in pairs:
        table[index[a]][index[b]] += 1
    return table


def _float(x: Fraction | None) -> float | None:
    return None if x is None else float(x)


def observed(table: Table) -> Fraction | None:
    """The share of units on which the two raters gave the same label."""
    n = sum(sum(row) for row in table)
    if n == 0:
        return None
    return Fraction(sum(table[i][i] for i in range(len(table))), n)


def percent_agreement(table: Table) -> float | None:
    po = observed(table)
    return None if po is None else float(po * 100)


def cohen_kappa(table: Table) -> float | None:
    """Cohen's kappa (1960) from a square table: (po - pe) / (1 - pe), pe from the margins."""
    return _float(_cohen(table))


def _cohen(table: Table) -> Fraction | None:
    po = observed(table)
    if po is None:
        return None
    n = sum(sum(row) for row in table)
    rows = [sum(row) for row in table]
    cols = [sum(table[i][j] for i in range(len(table))) for j in range(len(table))]
    pe = Fraction(sum(r * c for r, c in zip(rows, cols, strict=True)), n * n)
    return None if pe == 1 else (po - pe) / (1 - pe)


def gwet_ac1(table: Table) -> float | None:
    """Gwet's AC1 (2008) for two raters over the table's categories (at least two):
    chance agreement is sum(pi_k (1 - pi_k)) / (q - 1), pi_k the mean share of label k.
    It holds up when nearly every unit gets the same label, where kappa collapses."""
    q = len(table)
    po = observed(table)
    if po is None or q < 2:
        return None
    n = sum(sum(row) for row in table)
    pe = Fraction(0)
    for k in range(q):
        pi = Fraction(sum(table[k]) + sum(table[i][k] for i in range(q)), 2 * n)
        pe += pi * (1 - pi)
    pe /= q - 1
    return float((po - pe) / (1 - pe))


def gwet_ac1_multi(counts: Table) -> float | None:
    """Gwet's AC1 for any number of raters (2008, eq. 18): rows are units, columns the
    number of raters giving each label. Units rated once count towards the label shares
    only. With two raters on every unit it equals `gwet_ac1`."""
    q = len(counts[0]) if counts else 0
    rated = [row for row in counts if sum(row) >= 1]
    pairable = [row for row in rated if sum(row) >= 2]
    if q < 2 or not pairable:
        return None
    pa = sum(
        (Fraction(sum(r * (r - 1) for r in row), sum(row) * (sum(row) - 1)) for row in pairable),
        Fraction(0),
    ) / len(pairable)
    pe = Fraction(0)
    for k in range(q):
        pi = sum((Fraction(row[k], sum(row)) for row in rated), Fraction(0)) / len(rated)
        pe += pi * (1 - pi)
    pe /= q - 1
    return float((pa - pe) / (1 - pe))


def fleiss_kappa(counts: Table) -> float | None:
    """Fleiss' kappa (1971): rows are units, columns the number of raters giving each
    label; every unit rated by the same number of raters (two or more)."""
    if not counts:
        return None
    m = sum(counts[0])
    if m < 2 or any(sum(row) != m for row in counts):
        return None
    units = len(counts)
    p_bar = (
        sum((Fraction(sum(x * x for x in row) - m, m * (m - 1)) for row in counts), Fraction(0))
        / units
    )
    shares = [Fraction(sum(row[j] for row in counts), units * m) for j in range(len(counts[0]))]
    pe = sum((p * p for p in shares), Fraction(0))
    return None if pe == 1 else float((p_bar - pe) / (1 - pe))


def krippendorff_alpha(units: Iterable[Sequence[Hashable]]) -> float | None:
    """Krippendorff's alpha for nominal data: each unit is the list of labels it was
    given (missing ratings left out). Units with fewer than two labels are not pairable
    and are left out, as in Krippendorff (2011)."""
    # The coincidence matrix: o[c, k], each unit's ordered pairs of labels over m - 1.
    coincidence: dict[tuple[Hashable, Hashable], Fraction] = {}
    for labels in units:
        m = len(labels)
        if m < 2:
            continue
        tally = Counter(labels)
        for c, nc in tally.items():
            for k, nk in tally.items():
                pairs = nc * (nk - 1) if c == k else nc * nk
                if pairs:
                    before = coincidence.get((c, k), Fraction(0))
                    coincidence[(c, k)] = before + Fraction(pairs, m - 1)
    totals: dict[Hashable, Fraction] = {}
    for (c, _), w in coincidence.items():
        totals[c] = totals.get(c, Fraction(0)) + w
    n = sum(totals.values(), Fraction(0))
    if n <= 1:
        return None
    disagree = sum((w for (c, k), w in coincidence.items() if c != k), Fraction(0))
    expected = sum((totals[c] * totals[k] for c in totals for k in totals if c != k), Fraction(0))
    if expected == 0:
        return None
    return float(1 - (n - 1) * disagree / expected)


# Landis & Koch (1977): the words for a kappa, from its upper bound.
BANDS = (
    (0.0, "poor"),
    (0.20, "slight"),
    (0.40, "fair"),
    (0.60, "moderate"),
    (0.80, "substantial"),
    (1.0, "almost perfect"),
)


def landis_koch(value: float | None) -> str | None:
    """'poor' below 0, 'slight' to 0.20, 'fair' to 0.40, 'moderate' to 0.60,
    'substantial' to 0.80, 'almost perfect' above."""
    if value is None:
        return None
    if value < 0:
        return "poor"
    for upper, word in BANDS[1:]:
        if value <= upper:
            return word
    return "almost perfect"
