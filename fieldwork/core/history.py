"""The audit trail as people read it: who wrote each change (the member's name, not a
device id), whether that is proven (its device's chain signed with the member's bound
key, or written on this laptop), what was set aside, and the evidence refused bundles
left. Shared by `fieldwork history` and the app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from fieldwork.core.errors import UserError
from fieldwork.core.model import Op
from fieldwork.core.schema import is_case_ref
from fieldwork.core.storage.store import Store

VERIFIED = "verified"
UNVERIFIED = "unverified"


@dataclass(frozen=True)
class Change:
    op: Op
    who: str  # the member's name ("unknown 1a2b3c4d" if the team has no such member)
    status: str  # VERIFIED | UNVERIFIED
    reason: str | None = None  # for an op set aside: why


def namer(store: Store) -> Callable[[str], str]:
    names = store.trust.names()
    return lambda member: names.get(member) or f"unknown {member[:8]}"


def judge(store: Store) -> Callable[[Op], str]:
    """A function telling whether an op is verified on this laptop."""
    upto = store.trust.verified_upto()
    own = {store.device_id} | {
        h.device for h in store.trust.longest_heads().values() if h.key == store.signing_public
    }
    me = store.author

    def status(op: Op) -> str:
        if op.author == me and op.device in own:
            return VERIFIED  # written here, or by this file under an earlier device id
        signed = upto.get(op.device)
        if signed and signed[0] == op.author and (op.hlc, op.op) <= (signed[2], signed[3]):
            return VERIFIED
        return UNVERIFIED

    return status


def changes(
    store: Store, case_ref: str | None = None, *, newest: int | None = None
) -> Iterator[Change]:
    """Every applied change in time order (or only the `newest`), or those of one case
    (its row and its answers)."""
    who, status = namer(store), judge(store)
    if case_ref is None:
        ops: Any = store.audit.ops() if newest is None else store.audit.newest_ops(newest)
    else:
        ref = case_ref.strip().upper()
        case = store.reads.case_by_ref(ref) if is_case_ref(ref) else None
        if case is None:
            raise UserError(f"No case {case_ref!r} in this inspection.")
        ops = store.audit.case_history(case.id)
    for op in ops:
        yield Change(op, who(op.author), status(op))


def set_aside(store: Store) -> list[Change]:
    who, status = namer(store), judge(store)
    return [
        Change(s.op, who(s.op.author), status(s.op), s.reason) for s in store.trust.set_aside_ops()
    ]
