"""What the lead does to the case sample: allot cases to an inspector and pick cases for
quality assurance. Each is one transaction, so one undo step, whatever the number of cases.
"""

from __future__ import annotations

from collections.abc import Sequence

from fieldwork.core.errors import UserError
from fieldwork.core.model import Op
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
