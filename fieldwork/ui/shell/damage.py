"""A damaged file: opened read-only, with the latest good backup offered in its place."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fieldwork.core.storage.store import Store


@dataclass(frozen=True)
class Damage:
    """Why a window is read-only: its file is damaged. `backup` is the latest good backup
    (None when there is none) and `taken` says when, for people."""

    backup: Path | None
    taken: str | None


def passphrase_of(store: Store) -> str | None:
    """The open store's passphrase (None for a plain file or a locked one): a read-only
    worker connection and a restore need it. Store keeps it private; read it here only."""
    return getattr(store, "_passphrase", None)


def read_only_opener(store: Store) -> Callable[[], Store]:
    """Like Store.opener(), but read-only and without the check: for a damaged file."""
    path, passphrase = store.path, passphrase_of(store)

    def open_again() -> Store:
        return Store.open(path, passphrase, readonly=True, check=False)

    return open_again


def damage_text(damage: Damage) -> str:
    first = "This file is damaged and opened read-only."
    if damage.backup is None:
        return f"{first} No good backup of it was found, so it cannot be restored."
    return f"{first} Restore the latest good backup (taken {damage.taken})?"
