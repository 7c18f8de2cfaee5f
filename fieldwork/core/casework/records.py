"""Small shared steps for the method's records: checks and an upsert by natural key.

Used by evidence.py and judgements.py; every write goes through the store's write path
and returns its ops (so the app can undo it).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fieldwork.core.errors import UserError
from fieldwork.core.model import Op
from fieldwork.core.schema import is_text, natural_id
from fieldwork.core.storage.store import Store

MAX_TEXT = 100_000


def organisation(store: Store, name: str | None, *, optional: bool = False) -> str | None:
    """An organisation of the inspection, as the inspection spells it."""
    if name is None or not name.strip():
        if optional:
            return None
        orgs = store.reads.inspection().organisations
        raise UserError(f"Say which organisation: one of {', '.join(orgs)}.")
    wanted = name.strip().casefold()
    for org in store.reads.inspection().organisations:
        if org.casefold() == wanted:
            return org
    raise UserError(
        f"{name!r} is not an organisation of this inspection "
        f"({', '.join(store.reads.inspection().organisations)})."
    )


def date(text: str | None) -> str | None:
    if text is None or not text.strip():
        return None
    try:
        return dt.date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise UserError(f"{text!r} is not a date (YYYY-MM-DD).") from None


def text(value: str | None, what: str, *, required: bool = False) -> str | None:
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise UserError(f"{what} cannot be empty.")
    if len(cleaned) > MAX_TEXT or not is_text(cleaned):
        raise UserError(f"{what} is too long or not text.")
    return cleaned or None


def upsert(store: Store, entity: str, key: dict[str, str], fields: dict[str, Any]) -> list[Op]:
    """Write a row whose id is UUID5 of its natural key: created if new, brought back if
    deleted, else only the fields that change. Two laptops writing it meet on one row."""
    row = natural_id(entity, *key.values())
    with store.transaction():
        found = store.conn.execute(f"SELECT * FROM {entity} WHERE id=?", (row,)).fetchone()
        if found is None:
            edits = [(entity, row, f, v) for f, v in {**key, **fields}.items()]
            edits.append((entity, row, "deleted", False))
            return store.write(edits, fresh=frozenset((row,)))
        names = [d[0] for d in store.conn.execute(f"SELECT * FROM {entity} LIMIT 0").description]
        current = dict(zip(names, found, strict=True))
        edits = [(entity, row, f, v) for f, v in fields.items() if current.get(f) != v]
        if current.get("deleted"):
            edits.append((entity, row, "deleted", False))
        return store.write(edits) if edits else []


def remove(store: Store, entity: str, key: dict[str, str]) -> list[Op]:
    """Delete the row of a natural key, if it stands."""
    row = natural_id(entity, *key.values())
    with store.transaction():
        found = store.conn.execute(f"SELECT deleted FROM {entity} WHERE id=?", (row,)).fetchone()
        if found is None or found[0]:
            return []
        return store.delete(entity, row)
