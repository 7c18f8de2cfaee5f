"""The moderation sample: a seeded, recorded and repeatable draw, cases added by hand,
calibration cases, and who assesses each a second time.

The rule: from each assessor's allotted cases, a share (rounded up, at least `minimum`)
is drawn, spread over the organisations in proportion (largest remainder), and within
each organisation the cases are taken in the order of SHA-256 of "seed:case id". That
order does not depend on Python's random module, the laptop or the release, and the
draw records its frame (every case with its assessor and organisation at the time), so
`repeat` gives the same cases from the record alone.

Only the lead draws, adds, marks calibration cases and assigns second assessors.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import Iterable, Sequence
from typing import Any

from fieldwork.core.errors import UserError
from fieldwork.core.model import Case, Member, Op
from fieldwork.core.moderation import reads
from fieldwork.core.moderation.model import (
    ADDED,
    CALIBRATION,
    DRAWN,
    SECOND_ASSESSOR_ROLES,
    Draw,
)
from fieldwork.core.schema import natural_id
from fieldwork.core.scoring import NO_ORGANISATION
from fieldwork.core.storage.store import Store

MAX_SEED = 2**53 - 1  # a JSON number every reader holds exactly


def _rule(share: int, minimum: int) -> str:
    return (
        f"{share}% of each assessor's cases (rounded up, at least {minimum}), spread over "
        "the organisations in proportion; within each, in the order of SHA-256 of "
        "'seed:case id'"
    )


def require_lead(store: Store, doing: str) -> Member:
    """The member this laptop writes as, if they are the lead; refused otherwise."""
    me = next((m for m in store.reads.members() if m.id == store.author), None)
    if me is None or me.role != "lead":
        raise UserError(f"Only the lead inspector can {doing}.")
    return me


def _rank(seed: int, *key: str) -> str:
    return hashlib.sha256(":".join((str(seed), *key)).encode()).hexdigest()


def _frame_line(case: Case) -> str:
    return f"{case.id}/{case.inspector}/{case.organisation or NO_ORGANISATION}"


def _largest_remainder(total: int, sizes: dict[str, int]) -> dict[str, int]:
    """`total` spread over the strata in proportion to their sizes; ties by name."""
    whole = sum(sizes.values())
    quotas = {k: (total * n) / whole for k, n in sizes.items()}
    out = {k: math.floor(q) for k, q in quotas.items()}
    left = total - sum(out.values())
    for k in sorted(sizes, key=lambda k: (-(quotas[k] - out[k]), k))[:left]:
        out[k] += 1
    return out


def select(frame: Iterable[str], seed: int, share: int, minimum: int) -> list[str]:
    """The case ids the rule draws from a frame of 'case/assessor/organisation' lines."""
    by_assessor: dict[str, dict[str, list[str]]] = {}
    for line in frame:
        case_id, assessor, org = line.split("/", 2)
        by_assessor.setdefault(assessor, {}).setdefault(org, []).append(case_id)
    drawn: list[str] = []
    for assessor in sorted(by_assessor):
        strata = by_assessor[assessor]
        total = sum(len(c) for c in strata.values())
        want = min(total, max(minimum, math.ceil(total * share / 100)))
        counts = _largest_remainder(want, {org: len(c) for org, c in strata.items()})
        for org in sorted(strata):
            ranked = sorted(strata[org], key=lambda cid: _rank(seed, cid))
            drawn += ranked[: counts[org]]
    return sorted(drawn)


def repeat(draw: Draw) -> list[str]:
    """The draw done again from its record: equal to `draw.drawn` when nothing was altered."""
    return select(draw.frame, draw.seed, draw.share, draw.minimum)


def second_assessors(store: Store) -> list[Member]:
    return [m for m in store.reads.members() if m.role in SECOND_ASSESSOR_ROLES]


def _assign(seed: int, case: Case, eligible: Sequence[Member], load: dict[str, int]) -> str | None:
    """Who assesses `case` a second time: not its assessor; the least loaded, then by rank."""
    others = [m.id for m in eligible if m.id != case.inspector]
    if not others:
        return None
    pick = min(others, key=lambda mid: (load.get(mid, 0), _rank(seed, case.id, mid)))
    load[pick] = load.get(pick, 0) + 1
    return pick


def draw(store: Store, *, share: int, seed: int | None = None, minimum: int = 1) -> list[Op]:
    """Draw the sample for second assessment and record the rule, seed, frame and result."""
    require_lead(store, "draw the moderation sample")
    if not 1 <= share <= 100:
        raise UserError("The share of each assessor's cases is a percentage from 1 to 100.")
    if minimum < 1:
        raise UserError("At least one case per assessor is drawn.")
    if seed is None:
        seed = secrets.randbelow(10**6)
    if not 0 <= seed <= MAX_SEED:
        raise UserError("The seed is a whole number from 0 up.")
    existing = reads.draws(store)
    if existing:
        raise UserError(
            f"The moderation sample was drawn already (seed {existing[0].seed}): add cases "
            "by hand instead."
        )
    in_sample = reads.sample(store)
    members = {m.id for m in store.reads.members()}
    cases = [c for c in store.reads.cases() if c.inspector in members and c.id not in in_sample]
    if not cases:
        raise UserError("No case is allotted to an assessor yet: allot cases before drawing.")
    frame = sorted(_frame_line(c) for c in cases)
    chosen = select(frame, seed, share, minimum)
    by_id = {c.id: c for c in cases}
    eligible = second_assessors(store)
    load: dict[str, int] = {}
    for sc in in_sample.values():
        if sc.second_assessor:
            load[sc.second_assessor] = load.get(sc.second_assessor, 0) + 1
    with store.transaction():
        ops = store.add(
            "moderation_draws",
            {
                "seed": seed,
                "share": share,
                "minimum": minimum,
                "rule": _rule(share, minimum),
                "frame": frame,
                "drawn": chosen,
            },
        )
        draw_id = ops[0].row
        for case_id in chosen:
            second = _assign(seed, by_id[case_id], eligible, load)
            ops += _put(
                store, case_id, {"kind": DRAWN, "draw_id": draw_id, "second_assessor": second}
            )
    return ops


def _put(store: Store, case_id: str, fields: dict[str, Any]) -> list[Op]:
    """Write a sample row (its id is UUID5 of the case, so laptops meet on it)."""
    row = natural_id("moderation_cases", case_id)
    known = store.conn.execute("SELECT deleted FROM moderation_cases WHERE id=?", (row,)).fetchone()
    if known is None:
        return store.add("moderation_cases", {"case_id": case_id, **fields}, row_id=row)
    return store.update("moderation_cases", row, {**fields, "deleted": False})


def _case(store: Store, case_id: str) -> Case:
    case = store.reads.case(case_id)
    if case is None:
        raise UserError("That case is no longer in this inspection.")
    return case


def _started(store: Store, case_id: str) -> bool:
    return any(key[0] == case_id for key in reads.round_answers(store, case_id))


def add_case(
    store: Store, case_id: str, reason: str, second_assessor: str | None = None
) -> list[Op]:
    """Add a case to the sample by hand, saying why; it is marked as added, not drawn."""
    require_lead(store, "add a case to the moderation sample")
    case = _case(store, case_id)
    if not (reason or "").strip():
        raise UserError("Say why this case is added to the sample by hand.", needs="reason")
    if case.inspector is None:
        raise UserError(f"{case.ref} is not allotted to an assessor yet: allot it first.")
    current = reads.sample(store).get(case_id)
    if current is not None:
        raise UserError(f"{case.ref} is in the moderation sample already.")
    if second_assessor is None:
        load: dict[str, int] = {}
        for sc in reads.sample(store).values():
            if sc.second_assessor:
                load[sc.second_assessor] = load.get(sc.second_assessor, 0) + 1
        second_assessor = _assign(0, case, second_assessors(store), load)
    _check_second(store, case, second_assessor)
    return _put(
        store,
        case_id,
        {
            "kind": ADDED,
            "draw_id": None,
            "second_assessor": second_assessor,
            "reason": reason.strip(),
        },
    )


def _check_second(store: Store, case: Case, member_id: str | None) -> None:
    if member_id is None:
        raise UserError("No one else in the team can assess this case a second time.")
    if member_id == case.inspector:
        raise UserError("The second assessment must be by someone other than the first assessor.")
    if member_id not in {m.id for m in second_assessors(store)}:
        raise UserError("A second assessment is by the lead or an inspector of the team.")


def assign(store: Store, case_id: str, member_id: str) -> list[Op]:
    """Name who assesses a sample case a second time, before they start."""
    require_lead(store, "choose who assesses a case a second time")
    case = _case(store, case_id)
    current = reads.sample(store).get(case_id)
    if current is None or current.kind == CALIBRATION:
        raise UserError(f"{case.ref} is not a case drawn or added for a second assessment.")
    if _started(store, case_id):
        raise UserError(
            f"The second assessment of {case.ref} has started: it stays with its assessor."
        )
    _check_second(store, case, member_id)
    return _put(store, case_id, {"second_assessor": member_id})


def mark_calibration(store: Store, case_id: str) -> list[Op]:
    """Make a case a calibration case: everyone in the team assesses it blind."""
    require_lead(store, "mark calibration cases")
    case = _case(store, case_id)
    current = reads.sample(store).get(case_id)
    if current is not None and current.kind == CALIBRATION:
        return []
    if current is not None and _started(store, case_id):
        raise UserError(
            f"The second assessment of {case.ref} has started: it cannot become a calibration case."
        )
    return _put(
        store,
        case_id,
        {"kind": CALIBRATION, "draw_id": None, "second_assessor": None, "reason": None},
    )


def remove_case(store: Store, case_id: str) -> list[Op]:
    """Take a case out of the sample, as long as no one has started assessing it again."""
    require_lead(store, "take a case out of the moderation sample")
    case = _case(store, case_id)
    if reads.sample(store).get(case_id) is None:
        return []
    if _started(store, case_id):
        raise UserError(f"{case.ref} has been assessed again already: it stays in the sample.")
    return store.delete("moderation_cases", natural_id("moderation_cases", case_id))
