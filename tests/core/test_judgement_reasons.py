"""A judgement that no longer matches its prompts needs a reason before the case completes."""

from __future__ import annotations

import pytest

from fieldwork.core.casework import answering, validation
from fieldwork.core.errors import UserError
from fieldwork.core.storage.store import Store


def _case(store: Store):
    store.insert("cases", {"ref": "X123456", "organisation": "NPS"})
    return store.reads.case_by_ref("X123456")


def _answer_all_yes(store: Store, case) -> None:
    """Every visible required question answered, every judgement as the prompts suggest."""
    form = store.reads.form()
    for _ in range(4):  # answering may reveal more questions
        for problem in answering.problems(store, case.id):
            question = form.question(problem.question_id)
            kq = form.key_question(problem.question_id)
            if kq is not None:
                value = validation.suggest_judgement(form, kq, answering.values_of(store, case.id))
            elif question.type in ("yes_no", "yes_no_na"):
                value = "yes"
            elif question.type in ("single",):
                value = question.choices[0].id
            elif question.type == "multiple":
                value = [question.choices[0].id]
            elif question.type == "date":
                value = "2015-06-01"
            elif question.type == "number":
                value = 100
            else:
                value = "text"
            answering.answer(store, store.reads.case(case.id), problem.question_id, value)
    assert answering.problems(store, case.id) == []


def test_a_prompt_changed_after_the_judgement_blocks_completion_until_a_reason(
    store: Store,
) -> None:
    case = _case(store)
    _answer_all_yes(store, case)
    assert store.reads.answers(case.id)["2.1.1"].value == "yes"
    # Every prompt of 2.1.1 turns to no: the prompts now suggest no, the judgement says yes.
    for p in store.reads.form().key_question("2.1.1").prompts:
        if p.required:
            answering.answer(store, store.reads.case(case.id), p.id, "no")
    found = {p.question_id: p for p in answering.problems(store, case.id)}
    assert found["2.1.1"].kind == "reason"
    assert "now suggest no" in found["2.1.1"].message
    with pytest.raises(UserError, match="2.1.1"):
        answering.mark_complete(store, store.reads.case(case.id))
    assert store.reads.case(case.id).status == "draft"
    # Recording the judgement again with a reason clears the problem.
    answering.answer(store, store.reads.case(case.id), "2.1.1", "yes", reason="Other evidence")
    assert "2.1.1" not in {p.question_id for p in answering.problems(store, case.id)}


def test_a_complete_case_goes_back_to_draft_when_a_prompt_contradicts_its_judgement(
    store: Store,
) -> None:
    case = _case(store)
    _answer_all_yes(store, case)
    answering.mark_complete(store, store.reads.case(case.id))
    assert store.reads.case(case.id).status == "complete"
    for p in store.reads.form().key_question("2.1.1").prompts:
        if p.required:
            answering.answer(store, store.reads.case(case.id), p.id, "no")
    assert store.reads.case(case.id).status == "draft"
