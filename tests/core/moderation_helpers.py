"""Building moderation scenes on real files: a team, allotted cases, complete first
assessments and blind rounds, all written through core (shared by the moderation tests
and tools/screenshots_moderation.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fieldwork.core.casework import answering
from fieldwork.core.casework import validation as review
from fieldwork.core.forms.loader import Form
from fieldwork.core.moderation import rounds
from fieldwork.core.storage.store import Store


def facts(form: Form) -> dict[str, Any]:
    """Case facts that ask few prompts: the first choice of each, flags no."""
    values: dict[str, Any] = {}
    for q in form.attributes:
        if q.type == "single":
            values[q.id] = q.choices[0].id
        elif q.type == "yes_no":
            values[q.id] = "no"
        elif q.type == "date":
            values[q.id] = "2020-01-01"
        elif q.type == "multiple":
            values[q.id] = [q.choices[-1].id]
    visible = {q.id for q in review.visible_questions(form, values)}
    return {k: v for k, v in values.items() if k in visible}


def assessment(form: Form, changes: Mapping[str, Any] = {}) -> dict[str, Any]:
    """A complete assessment: every shown prompt yes (or as `changes` says), each
    judgement as the prompts suggest (or as `changes` says)."""
    values = facts(form)
    for kq in form.key_questions():
        for p in kq.prompts:
            if p.type in ("yes_no_na", "yes_no"):
                values[p.id] = changes.get(p.id, "yes")
    visible = {q.id for q in review.visible_questions(form, values)}
    values = {
        k: v for k, v in values.items() if k in visible or k not in {q.id for q in form.questions()}
    }
    for kq in form.key_questions():
        values[kq.id] = changes.get(kq.id) or review.suggest_judgement(form, kq, values)
    return values


def first_assessment(store: Store, case_id: str, changes: Mapping[str, Any] = {}) -> None:
    """Write a complete first assessment of a case and mark it complete."""
    form = store.reads.form()
    values = assessment(form, changes)
    with store.transaction():
        for qid, value in values.items():
            reason = (
                "the file says otherwise" if form.key_question(qid) and qid in changes else None
            )
            store.set_answer(case_id, qid, value, reason=reason)
        case = store.reads.case(case_id)
        assert case is not None
        answering.mark_complete(store, case)


def blind_round(store: Store, case_id: str, changes: Mapping[str, Any] = {}) -> None:
    """This laptop's author assesses a case blind, completely, and completes the round."""
    form = store.reads.form()
    items = rounds.round_items(form)
    values = assessment(form, changes)
    for qid, value in values.items():
        if qid in items:
            reason = (
                "the file says otherwise" if form.key_question(qid) and qid in changes else None
            )
            rounds.answer(store, case_id, qid, value, reason=reason)
    rounds.complete(store, case_id)
