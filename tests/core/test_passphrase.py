"""The rule for a new passphrase: length over composition, no common or guessable ones."""

from __future__ import annotations

import unicodedata

import pytest

from fieldwork.core.errors import WeakPassphrase
from fieldwork.core.passphrase import MIN_LENGTH, check_new, length, problem

GOOD = [
    "amber kettle orbit lantern",
    "kettle on, biscuits out",
    "Gwenllïan’s blue bicycle",  # Unicode and punctuation are welcome
    "日本語のパスフレーズはとても長い",
    "tram    gravel    fox",  # spaces count
    "ffordd-las-y-bont-2016",
]


@pytest.mark.parametrize("passphrase", GOOD)
def test_long_uncommon_passphrases_of_any_characters_are_accepted(passphrase: str) -> None:
    assert problem(passphrase, "Probation services in Durham") is None
    assert check_new(passphrase) == passphrase


@pytest.mark.parametrize("passphrase", ["x", "1", "hunter2", "fourteen chars"])
def test_short_ones_are_refused_in_one_line(passphrase: str) -> None:
    with pytest.raises(WeakPassphrase) as err:
        check_new(passphrase)
    message = str(err.value)
    assert "\n" not in message and ("15 characters" in message or "repeated" in message)


def test_length_counts_code_points_after_nfc() -> None:
    composed = "é" * 8 + "abcdefg"
    decomposed = unicodedata.normalize("NFD", composed)
    assert len(decomposed) == 23 and length(decomposed) == 15 == MIN_LENGTH
    assert problem(unicodedata.normalize("NFD", "café au lait, s'il vous")) is None
    assert "15 characters" in (problem(unicodedata.normalize("NFD", "é" * 7 + "abcdefg")) or "")


@pytest.mark.parametrize(
    "passphrase",
    [
        "correct horse battery staple",
        "Correct-Horse-Battery-Staple!",
        "password password",
        "iloveyou iloveyou 123456",
        "qwertyuiopasdfghjkl",
        "1qaz2wsx3edc4rfv",
        "manchesterunited",
        "official sensitive",
        "probation inspection",
    ],
)
def test_common_passphrases_and_runs_of_them_are_refused(passphrase: str) -> None:
    assert "most common" in (problem(passphrase) or "")


@pytest.mark.parametrize(
    "passphrase", ["Durham 2016 Durham 2016", "durham2016durham2016", "2016 DURHAM 2016 DURHAM"]
)
def test_the_inspection_name_alone_is_refused(passphrase: str) -> None:
    assert "inspection's name" in (problem(passphrase, "Durham 2016") or "")
    assert problem(passphrase + " kettle orbit") is None


@pytest.mark.parametrize(
    "passphrase",
    [
        "aaaaaaaaaaaaaaaaaaaa",
        "               ",
        "abab abab abab abab",
        "abcdefghijklmnopq",
        "9876543210987654",
        "xyzxyzxyzxyzxyzxyz",
    ],
)
def test_repeated_characters_patterns_and_runs_are_refused(passphrase: str) -> None:
    found = problem(passphrase) or ""
    assert "repeated" in found or "run" in found, found
