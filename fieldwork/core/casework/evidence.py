"""The evidence register: meetings, focus groups, interviews with managers and partners,
documents; each tagged to the standards and key questions it bears on.

Shared by the command line (`fieldwork evidence ...`) and the app (through
`Session.act`). Every function that writes returns the ops it wrote; a new item's id
is `ops[0].row`. Attendees are recorded by role ("two senior probation officers"),
never by the name of a person on probation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fieldwork.core.casework import records
from fieldwork.core.errors import UserError
from fieldwork.core.model import Evidence, Op
from fieldwork.core.schema import EVIDENCE_KIND_LABELS, EVIDENCE_KINDS
from fieldwork.core.storage import evidence_reads, method_reads
from fieldwork.core.storage.store import Store


@dataclass(frozen=True)
class Triangulation:
    """How much evidence stands behind one key question, for one organisation."""

    key_question_id: str
    sources: int  # evidence items tagged with the key question or its standard
    kinds: tuple[str, ...]  # the distinct kinds among them (meeting, document, ...)


def targets(store: Store) -> dict[str, str]:
    """What evidence can be tagged with: {standard or key question id: label}, in order."""
    mf = method_reads.method_forms(store)
    out: dict[str, str] = {}
    for s in mf.method.standards():
        out[s.id] = s.label
        for kq in mf.key_questions(s):
            out[kq.id] = f"{kq.id} {kq.text}"
    return out


def _target(store: Store, target: str) -> str:
    known = targets(store)
    if target in known:
        return target
    folded = {k.casefold(): k for k in known}
    if target.strip().casefold() in folded:
        return folded[target.strip().casefold()]
    raise UserError(
        f"{target!r} is not a standard or key question of this inspection's method "
        f"(for example {', '.join(list(known)[:3])})."
    )


def _kind(kind: str) -> str:
    k = kind.strip().lower().replace(" ", "_").replace("-", "_")
    if k not in EVIDENCE_KINDS:
        raise UserError(
            f"Unknown kind of evidence {kind!r}: use one of {', '.join(EVIDENCE_KINDS)}."
        )
    return k


def add_evidence(
    store: Store,
    *,
    kind: str,
    title: str,
    date: str | None = None,
    attendees: str | None = None,
    notes: str | None = None,
    organisation: str | None = None,
    tags: tuple[str, ...] | list[str] = (),
    author: str | None = None,
) -> list[Op]:
    """Add an item to the register (with its tags, in one transaction); id is ops[0].row."""
    fields: dict[str, Any] = {
        "kind": _kind(kind),
        "title": records.text(title, "The title", required=True),
        "date": records.date(date),
        "attendees": records.text(attendees, "Who was there"),
        "notes": records.text(notes, "The notes"),
        "organisation": records.organisation(store, organisation, optional=True),
        "author": author or store.author,
    }
    checked = [_target(store, t) for t in tags]
    with store.transaction():
        ops = store.add("evidence", fields)
        row = ops[0].row
        for t in dict.fromkeys(checked):
            ops += store.link("evidence_links", row, t)
    return ops


def update_evidence(store: Store, evidence_id: str, **changes: Any) -> list[Op]:
    """Change some of kind, title, date, attendees, notes, organisation."""
    if evidence_reads.evidence_item(store, evidence_id) is None:
        raise UserError("No such item in the evidence register.")
    fields: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "kind":
            fields[key] = _kind(value)
        elif key == "title":
            fields[key] = records.text(value, "The title", required=True)
        elif key == "date":
            fields[key] = records.date(value)
        elif key in ("attendees", "notes"):
            fields[key] = records.text(value, key.capitalize())
        elif key == "organisation":
            fields[key] = records.organisation(store, value, optional=True)
        else:
            raise UserError(f"An evidence item has no field {key!r}.")
    return store.update("evidence", evidence_id, fields) if fields else []


def delete_evidence(store: Store, evidence_id: str) -> list[Op]:
    if evidence_reads.evidence_item(store, evidence_id) is None:
        raise UserError("No such item in the evidence register.")
    return store.delete("evidence", evidence_id)


def tag_evidence(store: Store, evidence_id: str, target: str, *, present: bool = True) -> list[Op]:
    """Tag an item with a standard or key question (or, present=False, untag it)."""
    if evidence_reads.evidence_item(store, evidence_id) is None:
        raise UserError("No such item in the evidence register.")
    return store.link("evidence_links", evidence_id, _target(store, target), present=present)


def find_evidence(store: Store, prefix: str) -> Evidence:
    """An item by its id or the first characters of it (as the command line shows them)."""
    found = [e for e in evidence_reads.evidence(store) if e.id.startswith(prefix.strip().lower())]
    if not found:
        raise UserError(f"No evidence item {prefix!r}: `fieldwork evidence list` shows them.")
    if len(found) > 1:
        raise UserError(f"{prefix!r} matches several evidence items: give more of the id.")
    return found[0]


def triangulation(store: Store, organisation: str) -> dict[str, Triangulation]:
    """Per key question of every standard: the sources behind it for an organisation
    (items about that organisation or about all of them, tagged with the key question
    or with its standard)."""
    org = records.organisation(store, organisation)
    mf = method_reads.method_forms(store)
    items = evidence_reads.evidence(store, org)
    out: dict[str, Triangulation] = {}
    for s in mf.method.standards_for(org):
        for kq in mf.key_questions(s):
            behind = [e for e in items if kq.id in e.targets or s.id in e.targets]
            kinds = tuple(sorted({e.kind for e in behind}))
            out[kq.id] = Triangulation(kq.id, len(behind), kinds)
    return out


def kind_label(kind: str) -> str:
    return EVIDENCE_KIND_LABELS.get(kind, kind)
