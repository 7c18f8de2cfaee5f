"""What the lead does to the case sample: allot cases to an inspector, pick cases for
quality assurance, remove a case imported by mistake and correct a case's details.
Each is one transaction, so one undo step, whatever the number of cases.

Removing a case writes a delete op for the case row alone. Its answers stay in the file
(so Undo, or a teammate's edit that arrives later, finds them intact) but the reads leave
out the answers of a deleted case, so they count in no rating, export, report or search.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fieldwork.core.errors import UserError
from fieldwork.core.model import Case, Op
from fieldwork.core.storage.store import Store


def allot(store: Store, case_ids: Sequence[str], member_id: str | None) -> list[Op]:
    """Give cases to an inspector (None: to nobody)."""
    return _assign(store, case_ids, "inspector", member_id)


def pick_for_qa(store: Store, case_ids: Sequence[str], member_id: str | None) -> list[Op]:
    """Name who quality-assures the cases (None: nobody)."""
    return _assign(store, case_ids, "qa_inspector", member_id)


def _assign(store: Store, case_ids: Sequence[str], field: str, member_id: str | None) -> list[Op]:
    if member_id is not None and member_id not in store.reads.member_names():
        raise UserError("That person is not in this inspection's team.")
    known = {c.id for c in store.reads.cases()}
    missing = [c for c in case_ids if c not in known]
    if missing:
        raise UserError(f"{len(missing)} of the chosen cases are no longer in this inspection.")
    ops: list[Op] = []
    with store.transaction():
        for case_id in case_ids:
            ops += store.update("cases", case_id, {field: member_id})
    return ops


def _case(store: Store, case_id: str) -> Case:
    case = store.reads.case(case_id)
    if case is None:
        raise UserError("That case is no longer in this inspection.")
    return case


def review_answer_count(store: Store, case_id: str) -> int:
    """How many answers of a case are review work: an answer, judgement or note to the
    form's prompts, or a comment or reason anywhere. The case attributes the sample
    brought in (sentence type, risk level, ...) are not review work."""
    attributes = {q.id for q in store.reads.form().attributes}
    return sum(
        1
        for qid, a in store.reads.answers(case_id).items()
        if (a.value is not None and qid not in attributes) or a.comment or a.reason
    )


def remove_case(store: Store, case_id: str, *, confirmed: bool = False) -> list[Op]:
    """Remove a case imported by mistake (a delete op, undone like any other edit).

    A case with review answers is refused unless `confirmed`: its answers would be
    hidden from the ratings, exports and report along with it."""
    with store.transaction():
        case = _case(store, case_id)
        answered = review_answer_count(store, case_id)
        if answered and not confirmed:
            plural = "s" if answered != 1 else ""
            raise UserError(
                f"Case {case.ref} has {answered} review answer{plural}: removing it hides "
                f"them from the ratings, exports and report; confirm to remove it anyway.",
                needs="confirm",
            )
        return store.delete("cases", case_id)


def restore_case(store: Store, ref: str) -> list[Op]:
    """Bring back a removed case, with its answers, by its reference (the command line's
    undo; the app undoes a removal with Ctrl+Z). [] if the case is not removed."""
    with store.transaction():
        wanted = ref.strip().upper()
        removed = [c for c in store.reads.removed_cases() if c.ref.upper() == wanted]
        present = store.reads.case_by_ref(wanted)
        if not removed:
            if present is not None:
                return []
            raise UserError(f"No case {ref.strip()!r} was removed from this inspection.")
        if present is not None:
            raise UserError(
                f"Case {present.ref} was imported again since it was removed: remove that "
                "one first to bring the old one back."
            )

        def removed_at(case: Case) -> str:
            return max(o.hlc for o in store.audit.history("cases", case.id, "deleted"))

        latest = max(removed, key=removed_at)
        return store.update("cases", latest.id, {"deleted": False})


def correct_case(
    store: Store,
    case_id: str,
    *,
    organisation: str | None = None,
    office: str | None = None,
    officer: str | None = None,
) -> list[Op]:
    """Correct a case's organisation, office or officer as the sample should have had them.

    None leaves a field as it is; an empty office or officer clears it. The organisation
    must be one of the inspection's (matched without regard to case)."""
    case = _case(store, case_id)
    fields: dict[str, Any] = {}
    if organisation is not None:
        known = {o.casefold(): o for o in store.reads.inspection().organisations}
        found = known.get(organisation.strip().casefold())
        if found is None:
            raise UserError(
                f"{organisation.strip()!r} is not one of this inspection's organisations "
                f"({', '.join(known.values())})."
            )
        fields["organisation"] = found
    for name, value in (("office", office), ("officer", officer)):
        if value is not None:
            fields[name] = " ".join(value.split()) or None
    changed = {k: v for k, v in fields.items() if getattr(case, k) != v}
    return store.update("cases", case_id, changed) if changed else []
