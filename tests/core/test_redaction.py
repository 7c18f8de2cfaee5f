"""Redaction in the draft findings, checked over a generated corpus of names and references."""

from __future__ import annotations

import random

import pytest

from fieldwork.core.demo.text import FIRST_NAMES, LAST_NAMES
from fieldwork.core.report.redaction import EVERYDAY, Redactor

TEMPLATES = (
    "{full} said the plan was late.",
    "We spoke to {first} about it.",
    "{last} had not seen the file.",
    "Notes by {upper}.",
    "{first}'s manager agreed.",
    "Case {ref} was transferred.",
    "See {ref_spaced} for detail.",
    "Ref CRN_{ref}.",
    "Ref {ref}a on the list.",
    "Ref {ref_dashed}, page two.",
    "Officer {lower_last} knew them well.",
)


def _corpus(seed: int, n: int = 400):
    rng = random.Random(seed)
    people = [(rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)) for _ in range(30)]
    lines = []
    for _ in range(n):
        first, last = rng.choice(people)
        ref = rng.choice("ABCDEFGHJKLMNPRSTVWXYZ") + f"{rng.randrange(10**6):06d}"
        text = rng.choice(TEMPLATES).format(
            full=f"{first} {last}",
            first=first,
            last=last,
            upper=f"{first} {last}".upper(),
            lower_last=last.lower(),
            ref=ref,
            ref_spaced=f"{ref[0]} {ref[1:]}",
            ref_dashed=f"{ref[0]}-{ref[1:4]}-{ref[4:]}",
        )
        lines.append((text, first, last, ref))
    return [f"{f} {la}" for f, la in people], lines


@pytest.mark.parametrize("seed", range(5))
def test_no_name_part_or_reference_survives(seed: int) -> None:
    names, lines = _corpus(seed)
    redact = Redactor(names)
    for text, first, last, ref in lines:
        out = redact(text)
        for part in (*first.replace("-", " ").split(), *last.replace("-", " ").split()):
            if len(part) < 3:
                continue
            if part.casefold() in EVERYDAY and part.lower() in text:
                # An everyday word ("price", "will") written small is left as a word.
                assert part[0].upper() + part[1:] not in out, (text, out)
            else:
                assert part.casefold() not in out.casefold(), (text, out)
        assert ref[1:] not in out.replace(" ", "").replace("-", ""), (text, out)


def test_ordinary_words_and_dates_are_kept() -> None:
    redact = Redactor(["Will Green", "Owen Rhys"])
    text = "She will meet him on 2016-03-08 at 10:30 for 45 minutes; Owens is a town."
    assert redact(text) == text
    assert redact("Will Green and Owen's notes") == "[name removed] and [name removed]'s notes"


def test_names_shorter_than_three_letters_are_not_parts() -> None:
    redact = Redactor(["Jo Li"])
    assert redact("Jo Li met Jo") == "[name removed] met Jo"
