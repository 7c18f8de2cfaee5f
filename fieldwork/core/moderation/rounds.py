"""Blind rounds: the second assessment of a sample case, and everyone's assessment of a
calibration case, stored apart from the first assessment, which they never overwrite.

A round holds the prompts and key-question judgements of the case's instrument, every
one blank at the start. The case facts (sentence, risk level, flags: the instrument's
attributes) come from the case record, because they decide which prompts are asked.
Each assessor writes only their own round, from their own laptop; once complete it is
fixed, and disagreements are settled rather than edited away.

Who may see what is decided here, in core: `answers_of` and `first_answers` refuse
(Blind) to show anyone's judgements of a case to an assessor whose own blind round of
it is not complete, and nobody sees a round before its assessor completes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fieldwork.core.casework import validation as review
from fieldwork.core.errors import UserError
from fieldwork.core.forms.loader import Form
from fieldwork.core.model import Answer, Case, Op
from fieldwork.core.moderation import reads
from fieldwork.core.moderation.model import (
    ASSESSING_ROLES,
    CALIBRATION,
    COMPLETE,
    DRAFT,
    FIRST_DONE,
    RoundAnswer,
    SampleCase,
)
from fieldwork.core.schema import natural_id
from fieldwork.core.storage.store import Store

_UNSET: Any = object()


class Blind(UserError):
    """Judgements an assessor may not see until their own blind round is complete."""

    code = "blind"


def form_of(store: Store, case: Case) -> Form:
    """The instrument a case is assessed with: the form of the case's own sample."""
    from fieldwork.core.storage.method_reads import form_for_case

    return form_for_case(store, case)


def round_items(form: Form) -> set[str]:
    """What a round answers: every prompt of every key question, and each judgement."""
    items = set()
    for kq in form.key_questions():
        items.add(kq.id)
        items.update(p.id for p in kq.prompts)
    return items


def expected(store: Store, sc: SampleCase, case: Case) -> tuple[str, ...]:
    """Whose blind rounds a sample case needs: its second assessor, or for a calibration
    case every assessing member of the team but the case's own assessor."""
    if sc.kind == CALIBRATION:
        return tuple(
            sorted(
                m.id
                for m in store.reads.members()
                if m.role in ASSESSING_ROLES and m.id != case.inspector
            )
        )
    return (sc.second_assessor,) if sc.second_assessor else ()


def pending_for(store: Store, case_id: str, viewer: str) -> bool:
    """Whether `viewer` has a blind round of this case still to complete."""
    return _pending(store, case_id, reads.sample(store).get(case_id), viewer)


def blind_cases(store: Store, viewer: str) -> set[str]:
    """The cases `viewer` is assessing blind: their first assessment is hidden from them
    everywhere (the Assessment screen, search, a single case's PDF)."""
    return {cid for cid, sc in reads.sample(store).items() if _pending(store, cid, sc, viewer)}


def _pending(store: Store, case_id: str, sc: SampleCase | None, viewer: str) -> bool:
    case = store.reads.case(case_id)
    if sc is None or case is None or viewer not in expected(store, sc, case):
        return False
    return reads.round_status(store, case_id, viewer) != COMPLETE


def first_answers(store: Store, case_id: str, viewer: str) -> dict[str, Answer]:
    """The first assessment of a case, unless `viewer` is assessing it blind."""
    if pending_for(store, case_id, viewer):
        raise Blind(
            "You are assessing this case blind: the first assessment is shown once your "
            "own assessment is complete."
        )
    return store.reads.answers(case_id)


def answers_of(store: Store, case_id: str, assessor: str, viewer: str) -> dict[str, RoundAnswer]:
    """A blind round's answers, for its assessor at any time and for anyone else once
    it is complete, and never while `viewer`'s own blind round of the case is not."""
    if assessor != viewer:
        if pending_for(store, case_id, viewer):
            raise Blind(
                "You are assessing this case blind: other assessments are shown once your "
                "own assessment is complete."
            )
        if reads.round_status(store, case_id, assessor) != COMPLETE:
            raise Blind("That assessment is not complete yet: it is shown once it is.")
    return reads.round_answers(store, case_id).get((case_id, assessor), {})


def case_facts(store: Store, case: Case) -> dict[str, Any]:
    """The case record's facts a round starts from: the instrument's attributes only."""
    ids = {q.id for q in form_of(store, case).attributes}
    return {
        qid: a.value
        for qid, a in store.reads.answers(case.id).items()
        if qid in ids and a.value is not None
    }


def values(store: Store, case: Case, answers: Mapping[str, RoundAnswer]) -> dict[str, Any]:
    """A round's answers with the case facts, as the form's rules see them."""
    out = case_facts(store, case)
    out.update({qid: a.value for qid, a in answers.items() if a.value is not None})
    return out


def _my_round(store: Store, case_id: str) -> tuple[Case, SampleCase]:
    case = store.reads.case(case_id)
    sc = reads.sample(store).get(case_id)
    if case is None or sc is None:
        raise UserError("That case is not in the moderation sample.")
    if store.author not in expected(store, sc, case):
        who = (
            "everyone in the team but its assessor"
            if sc.kind == CALIBRATION
            else "its second assessor"
        )
        raise UserError(f"{case.ref} is assessed blind by {who}, not by you.")
    if reads.round_status(store, case_id, store.author) == COMPLETE:
        raise UserError(
            f"Your assessment of {case.ref} is complete and stays as it is: the lead settles "
            "any disagreement."
        )
    return case, sc


def answer(
    store: Store,
    case_id: str,
    question_id: str,
    value: Any,
    *,
    comment: str | None = _UNSET,
    reason: str | None = None,
) -> list[Op]:
    """Record one answer of this laptop's author's blind round of a case."""
    case, _ = _my_round(store, case_id)
    form = form_of(store, case)
    if question_id not in round_items(form):
        raise UserError(
            f"{question_id!r} is not a prompt or key question of {form.id}: a round records "
            "prompts and judgements only."
        )
    assessor = store.author
    with store.transaction():
        mine = reads.round_answers(store, case_id).get((case_id, assessor), {})
        kq = form.key_question(question_id)
        if kq is not None:
            if value is not None and value not in review.JUDGEMENTS:
                raise UserError(f"A judgement is yes, no or na, not {value!r}.")
            suggested = review.suggest_judgement(form, kq, values(store, case, mine))
            if value is not None and suggested not in (None, value) and not reason:
                raise UserError(
                    f"The prompts suggest {suggested!r} for {question_id}: give a reason to "
                    f"record {value!r} instead.",
                    needs="reason",
                )
            fields: dict[str, Any] = {
                "value": value,
                "reason": reason if value != suggested else None,
            }
        else:
            question = form.question(question_id)
            assert question is not None
            problem = review.check_value(question, value)
            if problem:
                raise UserError(f"{question_id}: {problem}")
            fields = {"value": value}
        if comment is not _UNSET:
            fields["comment"] = comment or None
        ops = _ensure_round(store, case_id, assessor)
        row = natural_id("moderation_answers", case_id, assessor, question_id)
        if question_id in mine or _row_exists(store, row):
            ops += store.update("moderation_answers", row, {**fields, "deleted": False})
        else:
            keys = {"case_id": case_id, "assessor": assessor, "question_id": question_id}
            ops += store.add("moderation_answers", {**keys, **fields}, row_id=row)
    return ops


def _row_exists(store: Store, row: str) -> bool:
    found = store.conn.execute("SELECT 1 FROM moderation_answers WHERE id=?", (row,)).fetchone()
    return found is not None


def _ensure_round(store: Store, case_id: str, assessor: str) -> list[Op]:
    if reads.round_status(store, case_id, assessor) is not None:
        return []
    row = natural_id("moderation_rounds", case_id, assessor)
    return store.add(
        "moderation_rounds",
        {"case_id": case_id, "assessor": assessor, "status": DRAFT},
        row_id=row,
    )


def problems(store: Store, case: Case, assessor: str) -> list[review.Problem]:
    """What keeps a round from being complete (prompts and judgements only)."""
    form = form_of(store, case)
    mine = reads.round_answers(store, case.id).get((case.id, assessor), {})
    reasons = {qid: a.reason for qid, a in mine.items() if a.reason}
    items = round_items(form)
    return [
        p
        for p in review.validate(form, values(store, case, mine), reasons)
        if p.question_id in items
    ]


def complete(store: Store, case_id: str) -> list[Op]:
    """Mark this laptop's author's blind round of a case complete, once nothing is missing."""
    case, _ = _my_round(store, case_id)
    found = problems(store, case, store.author)
    if found:
        first = found[0]
        raise UserError(
            f"Not complete: {len(found)} problem(s); first {first.question_id}: {first.message}"
        )
    with store.transaction():
        ops = _ensure_round(store, case_id, store.author)
        row = natural_id("moderation_rounds", case_id, store.author)
        return ops + store.update("moderation_rounds", row, {"status": COMPLETE})


def first_done(case: Case) -> bool:
    return case.status in FIRST_DONE


def first_values(store: Store, case: Case) -> dict[str, Any]:
    """The first assessment's values (for the comparisons; no viewer: core's own use)."""
    return {qid: a.value for qid, a in store.reads.answers(case.id).items() if a.value is not None}


__all__ = [
    "Blind",
    "answer",
    "answers_of",
    "case_facts",
    "complete",
    "expected",
    "first_answers",
    "first_done",
    "first_values",
    "form_of",
    "pending_for",
    "problems",
    "round_items",
    "values",
]
