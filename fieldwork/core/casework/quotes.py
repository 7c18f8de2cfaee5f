"""Quotes: passages of an interview's notes, tagged with standards of the form and themes.

`start` and `end` are Python string indices into the notes as stored.
"""

from __future__ import annotations

from collections.abc import Sequence

from fieldwork.core.errors import UserError
from fieldwork.core.model import Op
from fieldwork.core.storage.store import Store


def standard_labels(store: Store) -> list[str]:
    """The method's standards as tag labels, e.g. "2.1 Assessment", "Reducing reoffending"."""
    from fieldwork.core.storage.method_reads import method

    return [s.label for s in method(store).standards()]


def mark_quote(
    store: Store,
    interview_id: str,
    start: int,
    end: int,
    text: str,
    labels: Sequence[str] = (),
) -> list[Op]:
    """Store a quote and its tags in one transaction (one undo step); a tag new to the
    inspection is created. The quote's id is `ops[0].row`."""
    if not 0 <= start < end:
        raise UserError("A quote is a passage of the notes: select some text first.")
    if not text.strip():
        raise UserError("A quote needs some text.")
    with store.transaction():
        ops = store.add(
            "quotes", {"interview_id": interview_id, "start": start, "end": end, "text": text}
        )
        quote_id = ops[0].row
        for label in labels:
            ops += store.link("quote_tags", quote_id, store.tag_id(label))
    return ops


def remove_quote(store: Store, quote_id: str) -> list[Op]:
    return store.delete("quotes", quote_id)
