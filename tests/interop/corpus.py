"""Where the shared test corpora are, and a one-line failure when they are not there.

CI clones the repository into a folder with a copy of `shared/` beside it, so the
corpora are at `<repo>/../shared/corpora`. They are used as they are, never edited.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / ".." / "shared" / "corpora"


def missing_message(where: Path) -> str:
    return (
        f"test corpus missing: expected it at {where.resolve()} "
        "(a copy of shared/corpora beside the repository)"
    )


def corpus_dir(where: Path = CORPUS) -> Path:
    """The corpus folder; if it is absent the calling test FAILS (never skips), in one line."""
    if not (where / "README.md").is_file():
        pytest.fail(missing_message(where), pytrace=False)
    return where


def corpus_files(sub: str, where: Path = CORPUS) -> list[Path]:
    """The files directly in a corpus subfolder, sorted; the folder must exist."""
    folder = corpus_dir(where) / sub
    return sorted(p for p in folder.iterdir() if p.is_file())
