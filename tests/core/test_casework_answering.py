"""Answering, completing and quality-assuring a review, as the app and the command line do."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldwork.core.casework import answering
from fieldwork.core.demo.generator import make_demo
from fieldwork.core.errors import UserError
from fieldwork.core.model import Case
from fieldwork.core.storage.store import Store


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Store]:
    store = make_demo(tmp_path / "demo.fieldwork", cases=12, interviews=0, seed=3)
    yield store
    store.close()


def _case(store: Store, status: str) -> Case:
    return next(c for c in store.reads.cases() if c.status == status)


def _stored(store: Store, case_id: str) -> Case:
    with Store.open(store.path) as disk:
        case = disk.reads.case(case_id)
        assert case is not None
        return case


def test_a_first_answer_makes_the_case_a_draft(store: Store) -> None:
    case_id = store.insert("cases", {"ref": "X000001", "organisation": "NPS"})
    case = answering.find_case(store, "x000001")
    ops = answering.answer(store, case, "2.1/strengths", "Thorough")
    assert _stored(store, case_id).status == "draft"
    with Store.open(store.path) as disk:
        assert disk.reads.answers(case_id)["2.1/strengths"].value == "Thorough"
    store.undo(ops)
    assert store.reads.case(case_id).status == "not_started"  # type: ignore[union-attr]
    with pytest.raises(UserError, match="No case"):
        answering.find_case(store, "Y999999")


def test_mark_complete_refuses_a_review_with_problems(demo: Store) -> None:
    case = _case(demo, "draft")
    assert answering.problems(demo, case.id)
    before = demo.audit.op_count()
    with pytest.raises(UserError, match="Not complete"):
        answering.mark_complete(demo, case)
    assert demo.audit.op_count() == before


def test_reopen_then_mark_complete(demo: Store) -> None:
    case = _case(demo, "complete")
    answering.reopen(demo, case)
    assert _stored(demo, case.id).status == "draft"
    ops = answering.mark_complete(demo, demo.reads.case(case.id))  # type: ignore[arg-type]
    assert _stored(demo, case.id).status == "complete"
    assert [o.field for o in ops] == ["status"]


def test_quality_assurance_confirms_or_returns_with_a_comment(demo: Store) -> None:
    case = _case(demo, "complete")
    with pytest.raises(UserError, match="why"):
        answering.return_to_inspector(demo, case, "   ")
    answering.return_to_inspector(demo, case, "  Check the risk section. ")
    stored = _stored(demo, case.id)
    assert (stored.status, stored.qa_comment) == ("returned", "Check the risk section.")
    with pytest.raises(UserError, match="complete"):
        answering.confirm_qa(demo, stored)
    other = _case(demo, "complete")
    ops = answering.confirm_qa(demo, other, "Fine")
    stored = _stored(demo, other.id)
    assert (stored.status, stored.qa_comment) == ("reviewed", "Fine")
    demo.undo(ops)
    assert demo.reads.case(other.id).status == "complete"  # type: ignore[union-attr]
