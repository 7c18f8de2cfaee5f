"""The setup bundle a lead hands to a new laptop, sealed with a one-time passphrase.

The passphrase is told in person and seals this one bundle only; it is held to the rule
of core/passphrase.py, as on the command line (`bundle export --passphrase-env`). The
app offers one made here: four words of three syllables (consonant and vowel), easy to
read out: 12 syllables, each one of 75, chosen with `secrets` (about 74 bits).
"""

from __future__ import annotations

import secrets
from pathlib import Path

from fieldwork.core.passphrase import check_new, problem
from fieldwork.core.storage.store import Store
from fieldwork.core.sync.bundle import ExportResult, export_bundle
from fieldwork.core.sync.reading import Progress

CONSONANTS = "bdfghklmnprstvz"  # no c, j, q, w, x, y: each has one obvious sound
VOWELS = "aeiou"
WORDS = 4
SYLLABLES = 3


def one_time_passphrase() -> str:
    """A fresh passphrase such as "tavomi-kesuba-loribe-nadufo" that the rule accepts."""
    while True:
        words = [
            "".join(secrets.choice(CONSONANTS) + secrets.choice(VOWELS) for _ in range(SYLLABLES))
            for _ in range(WORDS)
        ]
        passphrase = "-".join(words)
        if problem(passphrase) is None:
            return passphrase


def make_setup_bundle(
    store: Store, dest: str | Path, passphrase: str, progress: Progress | None = None
) -> ExportResult:
    """Write the whole inspection to `dest`, sealed with `passphrase` (checked first)."""
    check_new(passphrase, store.reads.inspection().name)
    return export_bundle(store, dest, passphrase=passphrase, progress=progress)
