"""What every part a Store hands out (`store.reads`, `store.search`, `store.audit`,
`store.backups`) shares: the store it belongs to and two ways to run a query on it.

A part never keeps the connection itself: unlocking a locked file gives the Store a new
one, and every part follows it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fieldwork.core.storage.store import Store


class Part:
    def __init__(self, store: Store) -> None:
        self._store = store

    def _scalar(self, sql: str, *params: Any) -> Any:
        row = self._store.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return list(self._store.db.query(sql, params))
