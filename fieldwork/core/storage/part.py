"""What every part a Store hands out (`store.reads`, `store.search`, `store.audit`,
`store.backups`) shares: the store it belongs to and two ways to run a query on it.

A part is a light view made on each access, so the Store holds no reference back to
it: a Store dropped without `close()` is freed, and its connection closed, at once, as
before parts existed. What a part remembers between calls lives in the Store's `Cache`.
A part never keeps the connection either: unlocking gives the Store a new one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fieldwork.core.forms.loader import Form
    from fieldwork.core.storage.store import Store


@dataclass
class Cache:
    """What the parts of one Store remember between calls."""

    form: Form | None = None  # the inspection's form, parsed (reads.py)
    text_qids: frozenset[str] | None = None  # its free-text question ids (search.py)
    text_table_ready: bool = False  # temp.text_questions holds them (search.py)


class Part:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._cache: Cache = store._cache

    def _scalar(self, sql: str, *params: Any) -> Any:
        row = self._store.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return self._store.rows(sql, params)
