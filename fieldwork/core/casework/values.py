"""Whether a stored or incoming value is one the form allows: the review editor's rule,
applied to every other way a value enters (resolving a conflict, the reviews CSV,
bundles) and to what a file already holds (`fieldwork check`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fieldwork.core.casework import validation as review
from fieldwork.core.forms.loader import Form
from fieldwork.core.schema import CASE_STATUSES


def answer_problem(form: Form, question_id: str, value: Any) -> str | None:
    """Why `value` cannot be the answer to `question_id` (None when it can, or is empty)."""
    if not review.is_answered(value):
        return None
    if form.key_question(question_id) is not None:
        if value not in review.JUDGEMENTS:
            return f"{question_id} is a judgement: yes, no or na, not {_shown(value)}."
        return None
    question = form.question(question_id)
    if question is None:
        return None  # a question of another form version: kept, not judged here
    problem = review.check_value(question, value)
    return f"{question_id}: {problem}" if problem else None


def field_problem(form: Form, organisations: tuple[str, ...], entity: str, field: str,
                  value: Any, question_id: str | None = None) -> str | None:  # fmt: skip
    """Why `value` cannot stand in entity.field; answers need their question id."""
    if entity == "answers" and field == "value" and question_id is not None:
        return answer_problem(form, question_id, value)
    if entity == "cases" and field == "status" and value not in CASE_STATUSES:
        return f"A case's status is one of {', '.join(CASE_STATUSES)}, not {_shown(value)}."
    if entity == "cases" and field == "organisation" and value not in organisations:
        return f"The organisation is one of {', '.join(organisations)}, not {_shown(value)}."
    return None


def stored_problems(store: Any) -> Iterator[str]:
    """Every stored answer the form refuses, as 'case REF: problem' lines."""
    form = store.reads.form()
    refs = {c.id: c.ref for c in store.reads.cases()}
    for case_id, values in sorted(store.reads.answer_values().items()):
        for question_id, value in sorted(values.items()):
            problem = answer_problem(form, question_id, value)
            if problem:
                yield f"case {refs.get(case_id, '?')}: {problem}"


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
