"""Whether a NEW passphrase is good enough to protect OFFICIAL-SENSITIVE data.

The rule follows NIST SP 800-63B-4 (section 3.1.1.2) and the NCSC's password guidance:
length over composition. A passphrase that alone protects a file an attacker can copy
and try offline needs at least MIN_LENGTH characters (NIST: 15 for a password used as
the single factor; three or four random words, as the NCSC advises, easily reach it).
Any character counts, spaces and any Unicode included, each code point once after NFC
normalisation; there are no rules about digits or symbols. Refused, whatever their
length: the commonest passwords and passphrases (common_passphrases.txt, shipped, no
network), anything made only of them or of the inspection's name, one character
repeated (or fewer than MIN_DIFFERENT different ones), a short pattern repeated, or a
run such as "abcdefghijklmnop".

The rule applies where a passphrase is CHOSEN (new file, joining, change of passphrase,
a sealed setup bundle), in the app and on the command line alike. Opening a file never
asks it: files made before the rule keep opening with their passphrase.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from importlib import resources

from fieldwork.core.errors import WeakPassphrase

MIN_LENGTH = 15
TOKEN_MIN = 4
MIN_DIFFERENT = 5  # "aaaa bbbb aaaa bbbb" is long but repetitive
ADVICE = "three or four random words work well"


def length(passphrase: str) -> int:
    """Characters as NIST counts them: code points after NFC normalisation."""
    return len(unicodedata.normalize("NFC", passphrase))


def problem(passphrase: str, name: str | None = None) -> str | None:
    """Why `passphrase` may not protect a new inspection file (one line), or None.
    `name` is the inspection's name, when known."""
    text = unicodedata.normalize("NFC", passphrase)
    if not text:
        return "The passphrase cannot be empty."
    if len(text) < MIN_LENGTH:
        return (
            f"A passphrase needs at least {MIN_LENGTH} characters and this one has "
            f"{len(text)}: {ADVICE}."
        )
    if len(set(text)) < MIN_DIFFERENT:
        return (
            f"A passphrase of one character repeated, or of very few different ones, is easy "
            f"to guess: {ADVICE}."
        )
    letters = _compact(text)
    if not letters:
        return None
    names = _name_tokens(name)
    if names and _made_of(letters, names):
        return f"A passphrase made of the inspection's name is easy to guess: {ADVICE}."
    if letters in _common() or _made_of(letters, _tokens() | names):
        return (
            "That passphrase is one of the most common ones, or made of them, and is "
            f"easy to guess: {ADVICE}."
        )
    if _pattern(letters):
        return (
            "A passphrase made of a short pattern repeated, or of a run such as abcd or "
            f"1234, is easy to guess: {ADVICE}."
        )
    return None


def check_new(passphrase: str, name: str | None = None) -> str:
    """The passphrase, if it may protect a new file; else WeakPassphrase (one line)."""
    found = problem(passphrase, name)
    if found is not None:
        raise WeakPassphrase(found)
    return passphrase


def _compact(text: str) -> str:
    """Letters and digits only, case folded: "Correct-Horse 1" -> "correcthorse1"."""
    return "".join(c for c in unicodedata.normalize("NFKC", text).casefold() if c.isalnum())


@functools.cache
def _common() -> frozenset[str]:
    raw = (resources.files("fieldwork.core") / "common_passphrases.txt").read_text("utf-8")
    entries = (
        _compact(line)
        for line in raw.splitlines()
        if line.strip() and line != "#" and not line.startswith("# ")
    )
    return frozenset(e for e in entries if e)


@functools.cache
def _tokens() -> frozenset[str]:
    """List entries long enough to build a passphrase from: shorter ones ("123", "a1")
    would cover almost anything."""
    return frozenset(e for e in _common() if len(e) >= TOKEN_MIN)


def _name_tokens(name: str | None) -> frozenset[str]:
    if not name or not name.strip():
        return frozenset()
    words = re.findall(r"\w+", unicodedata.normalize("NFKC", name).casefold())
    return frozenset(_compact(w) for w in [name, *words] if _compact(w))


def _made_of(letters: str, tokens: frozenset[str]) -> bool:
    """Whether `letters` is entirely a run of `tokens`, each used any number of times."""
    longest = max((len(t) for t in tokens), default=0)
    reach = [False] * (len(letters) + 1)
    reach[0] = True
    for start in range(len(letters)):
        if reach[start]:
            for end in range(start + 1, min(len(letters), start + longest) + 1):
                if letters[start:end] in tokens:
                    reach[end] = True
    return reach[-1]


def _pattern(letters: str) -> bool:
    """A unit of up to 4 characters repeated ("abcabcabc"), or a run of consecutive
    characters up or down ("abcdef", "98765", "7890123": digits wrap round)."""
    for unit in range(1, 5):
        if len(letters) > unit and letters == (letters[:unit] * len(letters))[: len(letters)]:
            return True
    steps = {_step(a, b) for a, b in zip(letters, letters[1:], strict=False)}
    return steps in ({1}, {-1})


def _step(a: str, b: str) -> int:
    if a.isdigit() and b.isdigit():
        return (int(b) - int(a) + 5) % 10 - 5  # 9 -> 0 is a step of +1
    return ord(b) - ord(a)
