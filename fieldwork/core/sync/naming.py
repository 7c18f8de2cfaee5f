"""Default names for bundle files: the date and who made it (`2016-03-08-gwen.bundle`),
so one evening's bundle never takes the name of the last; a second one the same day
gets `-2`, and so on."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

SUFFIX = ".bundle"
# Letters NFKD does not take apart into a plain letter and an accent.
_PLAIN = str.maketrans(
    {"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Đ": "D", "đ": "d", "ß": "ss", "Æ": "AE",
     "æ": "ae", "Œ": "OE", "œ": "oe", "Þ": "Th", "þ": "th", "ı": "i"}
)  # fmt: skip


def slug(text: str, fallback: str = "fieldwork") -> str:
    """A short, plain file-name word: "Gwenllïan Ŵyn" -> "gwenllian"."""
    first = (text.split() or [""])[0]
    plain = (
        unicodedata.normalize("NFKD", first.translate(_PLAIN))
        .encode("ascii", "ignore")
        .decode("ascii")
    )
    word = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    return word or fallback


def bundle_name(who: str, day: dt.date, what: str = "") -> str:
    """`2016-03-08-gwen.bundle`; with `what`, `2016-03-08-gwen-setup.bundle`."""
    parts = [day.isoformat(), slug(who)] + ([what] if what else [])
    return "-".join(parts) + SUFFIX


def free_path(folder: Path, name: str) -> Path:
    """`folder/name`, or `name-2`, `name-3`, ... when that file exists already."""
    path = folder / name
    stem, suffix = path.stem, path.suffix
    n = 2
    while path.exists():
        path = folder / f"{stem}-{n}{suffix}"
        n += 1
    return path


def default_bundle_path(folder: Path, who: str, day: dt.date | None = None, what: str = "") -> Path:
    """Where a new bundle is offered to go: dated, named for its maker, never an old one."""
    return free_path(folder, bundle_name(who, day or dt.date.today(), what))
