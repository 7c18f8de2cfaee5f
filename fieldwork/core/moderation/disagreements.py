"""Where the two assessments of a moderated case differ, how each is settled, and the
values ratings count.

Once a case's first assessment and its blind second round are both complete, every
prompt and key-question judgement they differ on is listed with both assessors' values
and comments. The lead (or anyone who assessed neither round) settles each with a final
value and a reason; the settled value is what ratings and reports count for that case
(`counted_values`), and the first assessment counts wherever nothing needed settling.
Every step is an op in the change log, so `fieldwork history` shows who did what.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fieldwork.core.casework import validation as review
from fieldwork.core.errors import UserError
from fieldwork.core.model import Case, Op
from fieldwork.core.moderation import reads, rounds
from fieldwork.core.moderation.model import (
    CALIBRATION,
    COMPLETE,
    Disagreement,
    Progress,
    Rating,
    SampleCase,
    Settlement,
)
from fieldwork.core.schema import natural_id
from fieldwork.core.storage.store import Store


def same(a: Any, b: Any) -> bool:
    """Whether two answers say the same (a multiple choice in any order)."""
    if isinstance(a, list) and isinstance(b, list):
        return sorted(a) == sorted(b)
    return bool(a == b)


def effective(form: Any, values: Mapping[str, Any]) -> dict[str, Any]:
    """Answers as the form reads them (hidden prompts blank), with each key question that
    does not apply judged not applicable whether or not it was recorded."""
    out = review.effective_answers(form, values)
    for kq in form.key_questions():
        j = values.get(kq.id)
        if j not in review.JUDGEMENTS and not review.judgement_applies(form, kq, values):
            j = "na"
        out[kq.id] = j
    return out


def compare(
    store: Store, case: Case, second: str, sample_case: SampleCase | None = None
) -> list[Disagreement]:
    """The items a case's first assessment and `second`'s complete round differ on."""
    form = rounds.form_of(store, case)
    first_raw = store.reads.answers(case.id)
    mine = reads.round_answers(store, case.id).get((case.id, second), {})
    first = effective(form, rounds.first_values(store, case))
    other = effective(form, rounds.values(store, case, mine))
    settled = reads.settlements(store)
    out = []
    for kq in form.key_questions():
        items = [(p.id, p.text, "prompt") for p in kq.prompts] + [(kq.id, kq.text, "judgement")]
        for qid, text, kind in items:
            a, b = first.get(qid), other.get(qid)
            if same(a, b):
                continue
            fa, sa = first_raw.get(qid), mine.get(qid)
            note_a = (fa.comment or fa.reason) if fa else None
            note_b = (sa.comment or sa.reason) if sa else None
            out.append(
                Disagreement(
                    case.id,
                    case.ref,
                    qid,
                    text,
                    kind,
                    Rating(case.inspector or "", a, note_a),
                    Rating(second, b, note_b),
                    settled.get((case.id, qid)),
                )
            )
    return out


def ready_cases(store: Store) -> list[tuple[Case, SampleCase, str]]:
    """Moderated cases (not calibration) whose two assessments are both complete."""
    status = reads.rounds(store)
    out = []
    for case_id, sc in reads.sample(store).items():
        if sc.kind == CALIBRATION or not sc.second_assessor:
            continue
        case = store.reads.case(case_id)
        if case is None or not rounds.first_done(case):
            continue
        if status.get((case_id, sc.second_assessor)) == COMPLETE:
            out.append((case, sc, sc.second_assessor))
    return out


def disagreements(store: Store, *, open_only: bool = False) -> list[Disagreement]:
    """Every disagreement of every moderated case with both assessments complete, by case
    reference and then in the instrument's order."""
    found = [d for case, sc, second in ready_cases(store) for d in compare(store, case, second, sc)]
    return [d for d in found if d.open] if open_only else found


def settle(store: Store, case_id: str, question_id: str, value: Any, reason: str) -> list[Op]:
    """Settle one disagreement with the value that counts and why."""
    case = store.reads.case(case_id)
    sc = reads.sample(store).get(case_id)
    if case is None or sc is None or sc.kind == CALIBRATION:
        raise UserError("That case is not a moderated case.")
    me = next((m for m in store.reads.members() if m.id == store.author), None)
    assessed = store.author in (case.inspector, sc.second_assessor)
    if me is None or (assessed and me.role != "lead"):
        raise UserError(
            "A disagreement is settled by the lead, or by someone who assessed neither round."
        )
    found = next(
        (d for d in compare(store, case, sc.second_assessor or "") if d.question_id == question_id),
        None,
    )
    if found is None or not _both_complete(store, case, sc):
        raise UserError(f"There is no disagreement on {question_id} in {case.ref} to settle.")
    if not (reason or "").strip():
        raise UserError("Say why this is the value that counts.", needs="reason")
    form = rounds.form_of(store, case)
    kq = form.key_question(question_id)
    question = kq.judgement if kq is not None else form.question(question_id)
    problem = review.check_value(question, value) if question is not None else None
    if problem or value is None:
        raise UserError(f"{question_id}: {problem or 'Give the value that counts.'}")
    row = natural_id("moderation_settlements", case_id, question_id)
    known = store.conn.execute("SELECT 1 FROM moderation_settlements WHERE id=?", (row,)).fetchone()
    fields = {"value": value, "reason": reason.strip()}
    if known:
        return store.update("moderation_settlements", row, {**fields, "deleted": False})
    keys = {"case_id": case_id, "question_id": question_id}
    return store.add("moderation_settlements", {**keys, **fields}, row_id=row)


def _both_complete(store: Store, case: Case, sc: SampleCase) -> bool:
    status = reads.round_status(store, case.id, sc.second_assessor or "")
    return rounds.first_done(case) and status == COMPLETE


def settled_values(store: Store) -> dict[str, dict[str, Any]]:
    """{case id: {question id: settled value}} for the moderated cases still in the sample
    whose two assessments are complete: what ratings count in place of the first."""
    done = {case.id for case, _, _ in ready_cases(store)}
    out: dict[str, dict[str, Any]] = {}
    for (case_id, qid), s in reads.settlements(store).items():
        if case_id in done:
            out.setdefault(case_id, {})[qid] = s.value
    return out


def counted_values(store: Store) -> dict[str, dict[str, Any]]:
    """Every case's answers as ratings and reports count them: the first assessment,
    with the settled value in place wherever a disagreement was settled. The same shape
    as store.reads.answer_values()."""
    values = store.reads.answer_values()
    for case_id, settled in settled_values(store).items():
        values.setdefault(case_id, {}).update(settled)
    return values


def progress(store: Store) -> list[Progress]:
    """Where every case of the sample stands, by case reference."""
    status = reads.rounds(store)
    started = {key for key in reads.round_answers(store)}
    both = {case.id: second for case, _, second in ready_cases(store)}
    out = []
    for case_id, sc in reads.sample(store).items():
        case = store.reads.case(case_id)
        if case is None:
            continue
        expected = rounds.expected(store, sc, case)
        done = tuple(a for a in expected if status.get((case_id, a)) == COMPLETE)
        begun = tuple(a for a in expected if (case_id, a) in started)
        found = compare(store, case, both[case_id], sc) if case_id in both else []
        out.append(
            Progress(
                case_id,
                case.ref,
                case.organisation,
                sc.kind,
                case.inspector,
                rounds.first_done(case),
                expected,
                done,
                begun,
                len(found),
                sum(1 for d in found if d.open),
                sc.reason,
            )
        )
    return out


__all__ = [
    "Settlement",
    "compare",
    "counted_values",
    "disagreements",
    "progress",
    "same",
    "settle",
    "settled_values",
]
