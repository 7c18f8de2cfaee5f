"""Allotting cases, picking them for quality assurance, removing, restoring and correcting
a case: what is stored, logged and undone."""

from __future__ import annotations

import pytest

from fieldwork.core.casework.cases import (
    allot,
    correct_case,
    pick_for_qa,
    remove_case,
    restore_case,
    review_answer_count,
)
from fieldwork.core.errors import UserError
from fieldwork.core.schema import natural_id
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


# ---------------------------------------------------------------- removing a case


def _sampled_case(store: Store, ref: str = "X000100", organisation: str = "NPS") -> str:
    """A case as the sample imports it: the case row and its attributes, no review yet."""
    case_id = store.insert(
        "cases", {"ref": ref, "organisation": organisation, "status": "not_started"}
    )
    store.set_answer(case_id, "sentence_type", "licence")
    store.set_answer(case_id, "risk_level", "high")
    return case_id


def test_a_case_with_only_its_sample_attributes_is_removed_and_undone(store: Store) -> None:
    case_id = _sampled_case(store)
    keep = _sampled_case(store, "X000101")
    assert review_answer_count(store, case_id) == 0
    ops = remove_case(store, case_id)
    assert [(o.entity, o.row, o.field, o.value) for o in ops] == [
        ("cases", case_id, "deleted", True)
    ]
    with Store.open(store.path) as disk:
        assert [c.id for c in disk.reads.cases()] == [keep]
        assert set(disk.reads.answer_values()) == {keep}
    store.undo(ops)
    with Store.open(store.path) as disk:
        assert [c.ref for c in disk.reads.cases()] == ["X000100", "X000101"]
        assert disk.reads.answer_values()[case_id] == {
            "sentence_type": "licence",
            "risk_level": "high",
        }


def test_a_case_with_review_answers_is_removed_only_when_confirmed(store: Store) -> None:
    case_id = _sampled_case(store)
    store.set_answer(case_id, "2.1.1a", "yes")
    store.set_answer(case_id, "2.1.1", "yes", reason=None)
    store.set_answer(case_id, "risk_level", "high", comment="Lorem risk remark zebrafinch")
    assert review_answer_count(store, case_id) == 3  # the attribute counts for its comment
    before = store.audit.op_count()
    with pytest.raises(UserError) as refused:
        remove_case(store, case_id)
    message = str(refused.value)
    assert "X000100" in message and "3 review answers" in message and "\n" not in message
    assert refused.value.needs == "confirm"
    assert store.audit.op_count() == before and store.reads.case(case_id) is not None

    ops = remove_case(store, case_id, confirmed=True)
    with Store.open(store.path) as disk:
        assert disk.reads.cases() == [] and disk.reads.answer_values() == {}
        assert disk.search.find("zebrafinch") == []  # the comment is hidden with its case
        assert disk.audit.check()["answers_without_case"] == 0
    store.undo(ops)
    with Store.open(store.path) as disk:
        assert disk.reads.answer_values()[case_id]["2.1.1a"] == "yes"
        assert [r["row"] for r in disk.search.find("zebrafinch")] == [
            natural_id("answers", case_id, "risk_level")
        ]


def test_removing_a_missing_case_is_refused(store: Store) -> None:
    case_id = _sampled_case(store)
    remove_case(store, case_id)
    with pytest.raises(UserError, match="no longer in this inspection"):
        remove_case(store, case_id)


def test_a_removed_case_is_restored_by_reference_with_its_answers(store: Store) -> None:
    case_id = _sampled_case(store)
    store.set_answer(case_id, "2.1.1a", "no")
    remove_case(store, case_id, confirmed=True)
    assert [c.ref for c in store.reads.removed_cases()] == ["X000100"]
    ops = restore_case(store, " x000100 ")
    assert [(o.field, o.value) for o in ops] == [("deleted", False)]
    assert store.reads.answer_values()[case_id]["2.1.1a"] == "no"
    assert restore_case(store, "X000100") == []  # not removed: nothing to do
    with pytest.raises(UserError, match="No case 'X999999' was removed"):
        restore_case(store, "X999999")


def test_restoring_is_refused_when_the_reference_was_imported_again(store: Store) -> None:
    old = _sampled_case(store)
    remove_case(store, old)
    _sampled_case(store)  # the same reference, imported again
    with pytest.raises(UserError, match="imported again"):
        restore_case(store, "X000100")


# ---------------------------------------------------------------- correcting a case


def test_correct_case_checks_the_organisation_and_is_one_undo_step(store: Store) -> None:
    case_id = _sampled_case(store)
    store.update("cases", case_id, {"office": "Leeds", "officer": "Ffion Pryce"})
    ops = correct_case(store, case_id, organisation="crc", office="  Bradford   North ")
    assert {(o.field, o.value) for o in ops} == {
        ("organisation", "CRC"),
        ("office", "Bradford North"),
    }
    with Store.open(store.path) as disk:
        case = disk.reads.case(case_id)
        assert case is not None
        assert (case.organisation, case.office, case.officer) == (
            "CRC",
            "Bradford North",
            "Ffion Pryce",
        )
    assert correct_case(store, case_id, organisation="CRC") == []  # unchanged: nothing written
    cleared = correct_case(store, case_id, officer="")
    assert [(o.field, o.value) for o in cleared] == [("officer", None)]
    store.undo(cleared)
    store.undo(ops)
    case = store.reads.case(case_id)
    assert case is not None
    assert (case.organisation, case.office, case.officer) == ("NPS", "Leeds", "Ffion Pryce")


def test_correct_case_refuses_an_organisation_outside_the_inspection(store: Store) -> None:
    case_id = _sampled_case(store)
    before = store.audit.op_count()
    with pytest.raises(UserError, match="not one of this inspection's organisations"):
        correct_case(store, case_id, organisation="Acme CRC", office="Leeds")
    assert store.audit.op_count() == before
