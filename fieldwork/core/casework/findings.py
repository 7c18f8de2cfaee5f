"""Findings and recommendations: what the lead inspector writes for the report.

A finding is a strength or an area for improvement for one standard, for one organisation
(or for every organisation: None), with quotes linked as evidence. Recommendations are
numbered 1..n by `position`; moving or deleting one renumbers the rest in the same
transaction. Every function returns the ops it wrote, so each is one undo step.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fieldwork.core.casework.consent import unusable_reason
from fieldwork.core.errors import UserError
from fieldwork.core.model import Op
from fieldwork.core.schema import FINDING_KINDS
from fieldwork.core.storage.store import Store

_UNSET: Any = object()


# ------------------------------------------------------------ findings


def create_finding(
    store: Store, standard_id: str, kind: str, organisation: str | None = None, text: str = ""
) -> list[Op]:
    """A new finding, placed after the others of its standard and organisation. Its id is
    `ops[0].row`."""
    if kind not in FINDING_KINDS:
        raise UserError(f"A finding is a strength or an improvement, not {kind!r}.")
    if standard_id not in {s.id for s in store.reads.form().sections}:
        raise UserError(f"The form has no standard {standard_id!r}.")
    if organisation is not None and organisation not in store.reads.inspection().organisations:
        raise UserError(f"{organisation!r} is not one of this inspection's organisations.")
    same = [
        f.position
        for f in store.reads.findings()
        if f.standard_id == standard_id and f.organisation == organisation
    ]
    fields = {
        "standard_id": standard_id,
        "organisation": organisation,
        "kind": kind,
        "text": text,
        "position": max(same, default=0) + 1,
    }
    return store.add("findings", fields)


def edit_finding(store: Store, finding_id: str, text: str) -> list[Op]:
    return store.update("findings", finding_id, {"text": text})


def delete_finding(store: Store, finding_id: str) -> list[Op]:
    return store.delete("findings", finding_id)


def link_quote(store: Store, finding_id: str, quote_id: str, present: bool = True) -> list[Op]:
    """Link a quote to a finding as evidence (or with present=False unlink it). A quote
    the report may not use (no consent: consent.py) is refused as evidence."""
    if present:
        quote = next((q for q in store.reads.quotes() if q.id == quote_id), None)
        interview = store.reads.interview(quote.interview_id) if quote else None
        reason = unusable_reason(interview) if interview else None
        if reason:
            raise UserError(f"This quote cannot be evidence. {reason}")
    return store.link("finding_quotes", finding_id, quote_id, present=present)


# ------------------------------------------------------------ recommendations


def create_recommendation(store: Store, text: str = "", addressee: str | None = None) -> list[Op]:
    """A new recommendation at the end of the list. Its id is `ops[0].row`."""
    position = max((r.position for r in store.reads.recommendations()), default=0) + 1
    fields = {"position": position, "addressee": _addressee(addressee), "text": text}
    return store.add("recommendations", fields)


def edit_recommendation(
    store: Store, rec_id: str, *, text: str = _UNSET, addressee: str | None = _UNSET
) -> list[Op]:
    """Change a recommendation's text and/or addressee (blanks in the addressee squeezed)."""
    fields: dict[str, Any] = {}
    if text is not _UNSET:
        fields["text"] = text
    if addressee is not _UNSET:
        fields["addressee"] = _addressee(addressee)
    return store.update("recommendations", rec_id, fields)


def _addressee(text: str | None) -> str | None:
    squeezed = " ".join((text or "").split())
    return squeezed or None


def renumber(store: Store, order: Sequence[str], *, drop: str | None = None) -> list[Op]:
    """Give the recommendations in `order` positions 1..n (deleting `drop` first), in one
    transaction; a position already right writes nothing."""
    positions = {r.id: r.position for r in store.reads.recommendations()}
    with store.transaction():
        ops = store.delete("recommendations", drop) if drop else []
        edits = [
            ("recommendations", rid, "position", n)
            for n, rid in enumerate((r for r in order if r != drop), 1)
            if positions.get(rid) != n
        ]
        if edits:
            ops += store.write(edits)
    return ops


def move_recommendation(store: Store, rec_id: str, step: int) -> list[Op]:
    """Move a recommendation `step` places (-1 up, +1 down); nothing at either end."""
    order = [r.id for r in store.reads.recommendations()]
    if rec_id not in order:
        raise UserError("That recommendation is no longer in this inspection.")
    here = order.index(rec_id)
    there = here + step
    if not 0 <= there < len(order):
        return []
    order[here], order[there] = order[there], order[here]
    return renumber(store, order)


def delete_recommendation(store: Store, rec_id: str) -> list[Op]:
    """Delete a recommendation and number the rest 1..n again."""
    return renumber(store, [r.id for r in store.reads.recommendations()], drop=rec_id)
