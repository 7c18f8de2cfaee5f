"""Rating bands: read from a method file (or a release-0.1.0 form), and applied exactly.

A key question's band is found on the exact fraction sufficient/applicable, never on
the rounded percentage: 649 of 1000 (64.9%) is below 65 and so the band under Good.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from fieldwork.core.forms.yaml_source import Checker, YamlMap


@dataclass(frozen=True)
class Band:
    """A key-question band: `min` is a percentage, `phrase` how a report says it."""

    rating: str
    min: int | float
    points: int
    phrase: str | None = None


@dataclass(frozen=True)
class OverallBand:
    rating: str
    min_points: int


def band_for(bands: Sequence[Band], sufficient: int, applicable: int) -> Band:
    """The band of sufficient/applicable, compared as an exact fraction."""
    if applicable <= 0 or not 0 <= sufficient <= applicable or not bands:
        raise ValueError(f"no band for {sufficient} of {applicable}")
    for band in bands:
        if sufficient * 100 >= Fraction(str(band.min)) * applicable:
            return band
    return bands[-1]  # pragma: no cover - validation makes the last min 0


def overall_for(bands: Sequence[OverallBand], points: int) -> OverallBand:
    for band in bands:
        if points >= band.min_points:
            return band
    return bands[-1]


def _floors(
    c: Checker, r: YamlMap, key: str, floor_key: str, top: int | None, keys: tuple[str, ...]
) -> list[YamlMap]:
    items = [c.mapping(b, "band", keys, ("rating", floor_key), r) for b in c.seq(r, key, None)]
    previous = None
    for b in items:
        c.text(b, "rating", None)
        floor = b[floor_key]
        ok_type = (
            isinstance(floor, int) if floor_key == "min_points" else isinstance(floor, int | float)
        )
        if isinstance(floor, bool) or not ok_type or floor < 0 or (top is not None and floor > top):
            raise c.fail(f"{floor_key} must be a number from 0 to {top or 'any'}", b, floor_key)
        if previous is not None and floor >= previous:
            raise c.fail(f"{key} must be in descending order of {floor_key}", b, floor_key)
        previous = floor
    if previous != 0:
        raise c.fail(f"{key} must go down to {floor_key} 0", items[-1], floor_key)
    if len({b["rating"].strip() for b in items}) != len(items):
        raise c.fail(f"{key} name a rating twice", r, key)
    return items


def read_bands(c: Checker, r: YamlMap, key: str, phrases: bool = False) -> tuple[Band, ...]:
    keys = ("rating", "min", "points", "phrase") if phrases else ("rating", "min", "points")
    bands = []
    for b in _floors(c, r, key, "min", 100, keys):
        points: Any = b.get("points")
        if isinstance(points, bool) or not isinstance(points, int) or points < 0:
            raise c.fail("points must be a whole number of 0 or more", b, "points")
        phrase = c.text(b, "phrase", None, optional=True) if phrases else None
        bands.append(Band(b["rating"].strip(), b["min"], points, phrase))
    if any(a.points < b.points for a, b in zip(bands, bands[1:], strict=False)):
        raise c.fail("a lower band cannot score more points", r, key)
    return tuple(bands)


def read_overall_bands(c: Checker, r: YamlMap, key: str) -> tuple[OverallBand, ...]:
    keys = ("rating", "min_points")
    return tuple(
        OverallBand(b["rating"].strip(), b["min_points"])
        for b in _floors(c, r, key, "min_points", None, keys)
    )
