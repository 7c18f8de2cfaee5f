"""What an inspector does to a case assessment, shared by the command line and the app.

Each case is assessed with the form of its sample's instrument (`form_of`). Answering
moves a case from not started to draft (and a complete assessment that an edit makes
invalid back to draft); marking complete checks the assessment first; quality assurance
confirms it (quality assured; stored as "reviewed") or returns it with a comment.
"""

from __future__ import annotations

from typing import Any

from fieldwork.core.casework import validation as review
from fieldwork.core.errors import UserError
from fieldwork.core.forms.loader import Form
from fieldwork.core.model import Case, Op
from fieldwork.core.storage.method_reads import form_for_case
from fieldwork.core.storage.store import Store


def form_of(store: Store, case: Case | str) -> Form:
    """The form a case is assessed with (its sample's instrument; the main one if none)."""
    found = store.reads.case(case) if isinstance(case, str) else case
    return form_for_case(store, found) if found is not None else store.reads.form()


def values_of(store: Store, case_id: str) -> dict[str, Any]:
    return {qid: a.value for qid, a in store.reads.answers(case_id).items() if a.value is not None}


def reasons_of(store: Store, case_id: str) -> dict[str, str | None]:
    return {qid: a.reason for qid, a in store.reads.answers(case_id).items() if a.reason}


def find_case(store: Store, ref: str) -> Case:
    case = store.reads.case_by_ref(ref)
    if case is None:
        raise UserError(f"No case {ref!r} in this inspection.")
    return case


def answer(
    store: Store,
    case: Case,
    question_id: str,
    value: Any,
    *,
    reason: str | None = None,
    comment: Any = None,
) -> list[Op]:
    """Record one answer or key-question judgement and keep the case's status honest."""
    form = form_of(store, case)
    kq = form.key_question(question_id)
    with store.transaction():
        if kq is not None:
            if value is not None and value not in ("yes", "no", "na"):
                raise UserError(f"A judgement is yes, no or na, not {value!r}.")
            suggested = review.suggest_judgement(form, kq, values_of(store, case.id))
            if value is not None and suggested is not None and value != suggested and not reason:
                raise UserError(
                    f"The prompts suggest {suggested!r} for {question_id}: give a reason to "
                    f"record {value!r} instead.",
                    needs="reason",
                )
            ops = store.set_answer(
                case.id,
                question_id,
                value,
                reason=reason if value != suggested else None,
            )
        else:
            question = form.question(question_id)
            if question is None:
                raise UserError(f"The form {form.id} has no question {question_id!r}.")
            if value is not None:
                problem = review.check_value(question, value)
                if problem:
                    raise UserError(f"{question_id}: {problem}")
            kwargs = {} if comment is None else {"comment": comment}
            ops = store.set_answer(case.id, question_id, value, **kwargs)
        ops += _status_after_edit(store, case.id)
    return ops


def _status_after_edit(store: Store, case_id: str) -> list[Op]:
    case = store.reads.case(case_id)
    if case is None:
        return []
    if case.status == "not_started":
        return store.update("cases", case_id, {"status": "draft"})
    if case.status in ("complete", "reviewed") and problems(store, case_id):
        return store.update("cases", case_id, {"status": "draft"})
    return []


def problems(store: Store, case_id: str) -> list[review.Problem]:
    return review.validate(
        form_of(store, case_id), values_of(store, case_id), reasons_of(store, case_id)
    )


def mark_complete(store: Store, case: Case) -> list[Op]:
    found = problems(store, case.id)
    if found:
        first = found[0]
        raise UserError(
            f"Not complete: {len(found)} problem(s); first {first.question_id}: {first.message}"
        )
    return store.update("cases", case.id, {"status": "complete"})


def reopen(store: Store, case: Case) -> list[Op]:
    return store.update("cases", case.id, {"status": "draft"})


def confirm_qa(store: Store, case: Case, comment: str | None = None) -> list[Op]:
    """Quality assure a complete case assessment (its status becomes "reviewed")."""
    if case.status not in ("complete", "reviewed"):
        raise UserError("Only a complete case assessment can be quality assured.")
    return store.update("cases", case.id, {"status": "reviewed", "qa_comment": comment or None})


def return_to_inspector(store: Store, case: Case, comment: str) -> list[Op]:
    if not comment.strip():
        raise UserError(
            "Say why the case assessment is returned: the comment is shown to its inspector."
        )
    return store.update("cases", case.id, {"status": "returned", "qa_comment": comment.strip()})
