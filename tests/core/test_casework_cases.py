"""Allotting cases and picking them for quality assurance: what is stored, logged and undone."""

from __future__ import annotations

import pytest

from fieldwork.core.casework.cases import allot, pick_for_qa
from fieldwork.core.errors import UserError
from fieldwork.core.storage.store import Store


def _cases(store: Store, n: int = 3) -> list[str]:
    return [
        store.insert("cases", {"ref": f"X{i:06d}", "organisation": "NPS", "status": "draft"})
        for i in range(n)
    ]


def _mate(store: Store) -> str:
    return store.insert("members", {"name": "Rhiannon Hughes", "role": "inspector"})


def test_allot_gives_cases_to_an_inspector_in_one_undo_step(store: Store) -> None:
    ids = _cases(store)
    mate = _mate(store)
    ops = allot(store, ids[:2], mate)
    assert {(o.entity, o.row, o.field, o.value) for o in ops} == {
        ("cases", ids[0], "inspector", mate),
        ("cases", ids[1], "inspector", mate),
    }
    with Store.open(store.path) as disk:
        assert [c.inspector for c in disk.reads.cases()] == [mate, mate, None]
        assert [o.value for o in disk.audit.history("cases", ids[0], "inspector")] == [mate]
    store.undo(ops)
    assert [c.inspector for c in store.reads.cases()] == [None, None, None]


def test_allot_to_nobody_clears_and_the_same_inspector_again_writes_nothing(store: Store) -> None:
    ids = _cases(store, 1)
    mate = _mate(store)
    allot(store, ids, mate)
    assert allot(store, ids, mate) == []
    allot(store, ids, None)
    assert store.reads.cases()[0].inspector is None


def test_allot_refuses_a_stranger_or_a_missing_case_and_writes_nothing(store: Store) -> None:
    ids = _cases(store)
    before = store.audit.op_count()
    with pytest.raises(UserError, match="team"):
        allot(store, ids, "not-a-member")
    with pytest.raises(UserError, match="no longer"):
        allot(store, [*ids, "gone"], store.author)
    assert store.audit.op_count() == before


def test_pick_for_qa_names_the_quality_assurer(store: Store) -> None:
    ids = _cases(store)
    ops = pick_for_qa(store, ids[1:], store.author)
    assert {o.field for o in ops} == {"qa_inspector"}
    with Store.open(store.path) as disk:
        assert [c.qa_inspector for c in disk.reads.cases()] == [None, store.author, store.author]
        assert [c.inspector for c in disk.reads.cases()] == [None, None, None]
    assert store.can_undo(ops)
    store.undo(ops)
    assert all(c.qa_inspector is None for c in store.reads.cases())
