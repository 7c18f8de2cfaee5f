"""Resolving a conflict: the value taken is checked against the form first, as the review
editor would check it, so `--take maybe` can never land in a yes/no prompt."""

from __future__ import annotations

from typing import Any

from fieldwork.core.casework import validation as review
from fieldwork.core.casework.values import field_problem
from fieldwork.core.errors import UserError
from fieldwork.core.model import Conflict, Op
from fieldwork.core.storage.store import Store


def find(store: Store, conflict_id: str) -> Conflict | None:
    """The one open conflict whose id starts so, or None (resolve then says why)."""
    matches = [c for c in store.reads.conflicts() if c.id.startswith(conflict_id)]
    return matches[0] if len(matches) == 1 else None


def question_id_of(store: Store, conflict: Conflict) -> str | None:
    """The question an answer conflict is about."""
    if conflict.entity != "answers" or conflict.case_ref is None:
        return None
    case = store.reads.case_by_ref(conflict.case_ref)
    if case is None:
        return None
    for qid, answer in store.reads.answers(case.id).items():
        if answer.id == conflict.row:
            return qid
    return None


def parse_take(store: Store, conflict: Conflict, text: str) -> Any:
    """Command-line text as the value to take, read the way `fieldwork answer` reads it."""
    qid = question_id_of(store, conflict) if conflict.field == "value" else None
    if qid is None:
        return None
    form = store.reads.form()
    question = form.key_question(qid) or form.question(qid)
    if question is None:
        return None
    try:
        return review.parse_cli_value(question, text)
    except ValueError as exc:
        raise UserError(str(exc)) from exc


def resolve(store: Store, conflict_id: str, value: Any) -> list[Op]:
    """Close the conflict with `value`, refused in one line if the form does not allow it."""
    conflict = find(store, conflict_id)
    if conflict is not None and conflict.kind != "deleted":
        problem = field_problem(
            store.reads.form(),
            tuple(store.reads.inspection().organisations),
            conflict.entity,
            conflict.field,
            value,
            question_id_of(store, conflict),
        )
        if problem:
            raise UserError(f"Not resolved: {problem}")
    return store.resolve(conflict_id, value)
