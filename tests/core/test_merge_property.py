"""Several simulated laptops edit at random and exchange ops in random orders, with duplicates.

All end in the same state with the same conflicts, and a conflict appears exactly
when one field was edited on two laptops that had not seen each other's edit
(worked out here from what each laptop knew, not from the store's own `prev`).
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldwork.core.storage.store import Store
from tests.conftest import new_store

LAPTOPS = 3
FIELDS = (("cases", "office"), ("cases", "officer"), ("cases", "status"))
VALUES = ("a", "b", "c")

step = st.one_of(
    st.tuples(
        st.just("edit"),
        st.integers(0, LAPTOPS - 1),
        st.integers(0, 1),
        st.integers(0, len(FIELDS) - 1),
        st.sampled_from(VALUES),
    ),
    st.tuples(
        st.just("sync"),
        st.integers(0, LAPTOPS - 1),
        st.integers(0, LAPTOPS - 1),
        st.integers(0, 2**16),
        st.booleans(),
    ),
)


def _laptops(tmp: Path) -> tuple[list[Store], list[str]]:
    origin = new_store(tmp / "lap0.fieldwork")
    rows = [origin.insert("cases", {"ref": f"A00000{i}", "organisation": "NPS"}) for i in range(2)]
    origin.close()
    for i in range(1, LAPTOPS):
        shutil.copy(tmp / "lap0.fieldwork", tmp / f"lap{i}.fieldwork")
    stores = [Store.open(tmp / f"lap{i}.fieldwork") for i in range(LAPTOPS)]
    assert len({s.device_id for s in stores}) == LAPTOPS
    return stores, rows


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=1, max_size=25))
def test_laptops_converge_and_conflicts_are_exactly_concurrent_edits(
    tmp_path_factory, steps
) -> None:
    tmp = tmp_path_factory.mktemp("laptops")
    stores, rows = _laptops(tmp)
    known: list[set[str]] = [set() for _ in range(LAPTOPS)]  # op ids each laptop holds
    writes: dict[str, tuple[tuple, str, frozenset[str]]] = {}  # op -> (field key, value, seen)
    try:
        for s in steps:
            if s[0] == "edit":
                _, lap, row_i, field_i, value = s
                entity, field = FIELDS[field_i]
                ops = stores[lap].update(entity, rows[row_i], {field: value})
                for op in ops:
                    writes[op.op] = ((entity, rows[row_i], field), value, frozenset(known[lap]))
                    known[lap].add(op.op)
            else:
                _, src, dst, seed, partial = s
                if src == dst:
                    continue
                ops = [o for o in stores[src].audit.ops() if o.op in writes]
                rng = random.Random(seed)
                if partial:  # a stale bundle: only some of the ops, some twice
                    ops = rng.sample(ops, len(ops) // 2)
                ops = ops + rng.sample(ops, len(ops) // 3)
                rng.shuffle(ops)
                stores[dst].apply_ops(ops)
                known[dst].update(o.op for o in ops)
        # Everyone gets everything, in a different order each.
        everything = [o for o in stores[0].audit.ops()]
        for s in stores[1:]:
            everything += list(s.audit.ops())
        for i, s in enumerate(stores):
            shuffled = everything[:]
            random.Random(i).shuffle(shuffled)
            s.apply_ops(shuffled)
        dumps = [s.audit.dump() for s in stores]
        assert all(d == dumps[0] for d in dumps[1:])

        expected = _expected_conflicts(writes)
        got = {(c.entity, c.row, c.field) for c in stores[0].reads.conflicts()}
        assert got == expected
        # The value shown is the head with the greatest (hlc, device, op), on every laptop.
        log = {o.op: o for o in stores[0].audit.ops()}
        for key, ops in _heads(writes).items():
            winner = max((log[o] for o in ops), key=lambda o: (o.hlc, o.device, o.op))
            for s in stores:
                assert getattr(s.reads.case(key[1]), key[2]) == winner.value
    finally:
        for s in stores:
            s.close()


def _heads(writes: dict[str, tuple[tuple, str, frozenset[str]]]) -> dict[tuple, list[str]]:
    """Per field, its writes that no other write of that field had seen."""
    by_field: dict[tuple, list[str]] = {}
    for op, (key, _, _) in writes.items():
        by_field.setdefault(key, []).append(op)
    out = {}
    for key, ops in by_field.items():
        seen_later = set().union(*(writes[o][2] for o in ops))
        out[key] = [o for o in ops if o not in seen_later]
    return out


def _expected_conflicts(writes: dict[str, tuple[tuple, str, frozenset[str]]]) -> set[tuple]:
    """A field is in conflict when two such heads hold different values."""
    return {key for key, heads in _heads(writes).items() if len({writes[o][1] for o in heads}) > 1}


def test_resolving_on_one_laptop_closes_the_conflict_everywhere(tmp_path: Path) -> None:
    stores, rows = _laptops(tmp_path)
    a, b, c = stores
    a.update("cases", rows[0], {"office": "North"})
    b.update("cases", rows[0], {"office": "South"})
    a.apply_ops(b.audit.ops())
    b.apply_ops(a.audit.ops())
    (conflict,) = a.reads.conflicts()
    assert b.reads.conflicts()[0].id == conflict.id
    assert {h.value for h in conflict.heads} == {"North", "South"}
    a.resolve(conflict.id[:6], "South")
    for s in (b, c):
        s.apply_ops(a.audit.ops())
    assert [s.reads.conflicts() for s in stores] == [[], [], []]
    assert {s.reads.case(rows[0]).office for s in stores} == {"South"}
    for s in stores:
        s.close()


def test_edit_to_a_row_deleted_elsewhere_is_a_conflict(tmp_path: Path) -> None:
    stores, rows = _laptops(tmp_path)
    a, b, _ = stores
    a.delete("cases", rows[1])
    b.update("cases", rows[1], {"office": "Kept busy"})
    result = a.apply_ops(b.audit.ops())
    assert [c.kind for c in result.conflicts] == ["deleted"]
    b.apply_ops(a.audit.ops())
    assert [c.kind for c in b.reads.conflicts()] == ["deleted"]
    # A delete that had seen the edit is no conflict.
    a.update("cases", rows[0], {"office": "x"})
    a.delete("cases", rows[0])
    assert all(c.row != rows[0] for c in a.reads.conflicts())
    b.resolve(b.reads.conflicts()[0].id, False)  # keep the row
    a.apply_ops(b.audit.ops())
    assert a.reads.conflicts() == [] and a.reads.case(rows[1]) is not None
    for s in stores:
        s.close()


def test_importing_the_same_ops_twice_changes_nothing(tmp_path: Path) -> None:
    stores, rows = _laptops(tmp_path)
    a, b, _ = stores
    b.update("cases", rows[0], {"office": "West"})
    first = a.apply_ops(b.audit.ops())
    before = a.audit.dump()
    count = a.audit.op_count()
    second = a.apply_ops(b.audit.ops())
    assert first.new >= 1 and second.new == 0 and second.known == first.new + first.known
    assert a.audit.dump() == before and a.audit.op_count() == count
    for s in stores:
        s.close()
