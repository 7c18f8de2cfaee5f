"""Validation of one case review against its form: visibility, values, completeness.

Pure functions over a Form and an answers mapping (question id -> value; key-question
judgements under the key-question id). No store, no Qt: the editor, the CLI and scoring
all ask the same questions here.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fieldwork.core.casework.dates import parse_date
from fieldwork.core.forms import expressions as ex
from fieldwork.core.forms.loader import SCORING_TYPES, Form, KeyQuestion, Question

JUDGEMENTS = ("yes", "no", "na")
JUDGEMENT_WORDS = {"yes": "yes", "no": "no", "na": "not applicable"}
MAX_TEXT_ANSWER = 100_000
MAX_NUMBER = 10**12
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INT = re.compile(r"[+-]?\d{1,15}")
_FLOAT = re.compile(r"[+-]?(\d{1,15}\.\d{0,15}|\.\d{1,15})")


@dataclass(frozen=True)
class Problem:
    """Something that keeps a review from being complete; kind is one of
    'required', 'constraint', 'judgement', 'reason', 'invalid'."""

    question_id: str
    kind: str
    message: str


def is_answered(value: Any) -> bool:
    return value is not None and value != "" and not (isinstance(value, list | tuple) and not value)


def _evaluate_form(form: Form, answers: Mapping[str, Any]) -> tuple[dict[str, Any], set[str]]:
    """Answers as expressions see them, and the ids of visible questions.

    One pass in form order is enough because forms.py only lets skip logic and
    calculations look at earlier questions. A hidden question counts as unanswered, so
    anything that depends on it is hidden or false too.
    """
    values: dict[str, Any] = {}
    visible: set[str] = set()
    for q in form.questions():
        shown = True
        if q.relevant:
            try:
                shown = ex.truthy(ex.evaluate(q.relevant, values))
            except ex.ExpressionError:
                shown = True  # better to ask a question too many than to lose one
        if not shown:
            values[q.id] = None
            continue
        visible.add(q.id)
        if q.calculate:
            try:
                values[q.id] = ex.evaluate(q.calculate, values)
            except ex.ExpressionError:
                values[q.id] = None
        else:
            values[q.id] = answers.get(q.id)
    return values, visible


def effective_answers(form: Form, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Answers with hidden questions blanked and calculations filled in."""
    return _evaluate_form(form, answers)[0]


def is_visible(form: Form, question: Question, answers: Mapping[str, Any]) -> bool:
    if form.question(question.id) is None:
        return True  # e.g. a key question's judgement, which has no skip logic
    return question.id in _evaluate_form(form, answers)[1]


def visible_questions(form: Form, answers: Mapping[str, Any]) -> list[Question]:
    visible = _evaluate_form(form, answers)[1]
    return [q for q in form.questions() if q.id in visible]


def check_value(question: Question, value: Any) -> str | None:
    """A sentence saying why the value does not fit the question, or None if it does."""
    if value is None:
        return None
    t = question.type
    if t == "yes_no":
        return None if value in ("yes", "no") else "Answer yes or no."
    if t == "yes_no_na":
        return None if value in JUDGEMENTS else "Answer yes, no or not applicable."
    ids = {c.id for c in question.choices}
    if t == "single":
        return None if isinstance(value, str) and value in ids else "Choose one of the options."
    if t == "multiple":
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            return "Choose from the options."
        if any(v not in ids for v in value):
            return "Choose only from the options."
        return None if len(set(value)) == len(value) else "Choose each option only once."
    if t == "number":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok or (isinstance(value, float) and not math.isfinite(value)):
            return "Enter a number."
        return None if abs(value) <= MAX_NUMBER else "The number is too large."
    if t == "date":
        if not isinstance(value, str) or not _DATE.fullmatch(value):
            return "Enter a date as YYYY-MM-DD."
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            return "That date does not exist."
        return None
    if t == "text":
        if not isinstance(value, str):
            return "Enter text."
        return None if len(value) <= MAX_TEXT_ANSWER else "The text is too long."
    return "This question has an unknown type."  # pragma: no cover - forms.py refuses these


def _scoring_prompts(kq: KeyQuestion, visible: set[str]) -> list[Question]:
    scoring = [p for p in kq.prompts if p.type in SCORING_TYPES]
    # a key question without yes/no prompts applies whenever any prompt is shown
    return [p for p in scoring or kq.prompts if p.id in visible]


def _as_key_question(form: Form, key_question: KeyQuestion | str) -> KeyQuestion:
    if isinstance(key_question, KeyQuestion):
        return key_question
    kq = form.key_question(key_question)
    if kq is None:
        raise KeyError(f"no key question {key_question!r} in form {form.id}")
    return kq


def _applies(kq: KeyQuestion, visible: set[str], answers: Mapping[str, Any]) -> bool:
    for p in _scoring_prompts(kq, visible):
        value = answers.get(p.id)
        if (is_answered(value) and value != "na") or (p.required and not is_answered(value)):
            return True
    return False


def judgement_applies(form: Form, kq: KeyQuestion | str, answers: Mapping[str, Any]) -> bool:
    """False when none of the key question's prompts is shown, or all shown are answered na.

    An optional prompt left unanswered counts as not there, so a key question whose
    required prompts are all na does not apply either.
    """
    return _applies(_as_key_question(form, kq), _evaluate_form(form, answers)[1], answers)


def suggest_judgement(
    form: Form,
    key_question: KeyQuestion | str,
    answers: Mapping[str, Any],
    visible: set[str] | None = None,
) -> str | None:
    """The judgement the prompts point to, per the form's suggest rule (see forms/README.md).

    'na' when the judgement does not apply; None while a shown required yes/no prompt is
    unanswered or nothing but na has been answered.
    """
    kq = _as_key_question(form, key_question)
    if visible is None:  # one pass over the form; callers judging many pass it in
        visible = _evaluate_form(form, answers)[1]
    if not _applies(kq, visible, answers):
        return "na"
    prompts = [p for p in kq.prompts if p.type in SCORING_TYPES and p.id in visible]
    if any(p.required and not is_answered(answers.get(p.id)) for p in prompts):
        return None
    yes = sum(answers.get(p.id) == "yes" for p in prompts)
    no = sum(answers.get(p.id) == "no" for p in prompts)
    if yes + no == 0:
        return None
    rule = form.rating.suggest_rule
    if rule == "all":
        met = no == 0
    elif rule == "majority":
        met = yes > no  # a tie is not a majority
    else:
        met = yes * 100 >= (form.rating.suggest_threshold or 0) * (yes + no)
    return "yes" if met else "no"


def constraint_problem(question: Question, value: Any, values: Mapping[str, Any]) -> str | None:
    """The form's message when `value` breaks the question's constraint, else None."""
    if not question.constraint:
        return None
    try:
        ok = ex.truthy(ex.evaluate(question.constraint, values, value))
        message = question.constraint_message or "This answer is not allowed."
    except ex.ExpressionError as exc:
        ok, message = False, f"This answer could not be checked: {exc}."
    return None if ok else message


def validate(
    form: Form, answers: Mapping[str, Any], reasons: Mapping[str, str | None]
) -> list[Problem]:
    """Everything that keeps the review from being complete, in form order.

    `reasons` holds the recorded reason of each key-question judgement: a judgement that
    differs from what the prompts suggest NOW needs one, even if it matched them when it
    was made (a prompt changed since).
    """
    values, visible = _evaluate_form(form, answers)
    problems: list[Problem] = []
    for q in form.questions():
        if q.id not in visible or q.calculate:
            continue  # hidden answers are ignored; calculated values are not typed in
        value = answers.get(q.id)
        if not is_answered(value):
            if q.required:
                problems.append(Problem(q.id, "required", "This question needs an answer."))
            continue
        error = check_value(q, value)
        if error:
            problems.append(Problem(q.id, "invalid", error))
        else:
            broken = constraint_problem(q, value, values)
            if broken:
                problems.append(Problem(q.id, "constraint", broken))
    for kq in form.key_questions():
        if not _applies(kq, visible, answers):
            continue
        judgement = answers.get(kq.id)
        if judgement is None:
            message = "Record whether this key question is met: yes, no or not applicable."
            problems.append(Problem(kq.id, "judgement", message))
        elif judgement not in JUDGEMENTS:
            message = "A judgement must be yes, no or not applicable."
            problems.append(Problem(kq.id, "invalid", message))
        elif not (reasons.get(kq.id) or "").strip():
            suggested = suggest_judgement(form, kq, answers, visible)
            if suggested is not None and suggested != judgement:
                message = (
                    f"The prompts now suggest {JUDGEMENT_WORDS[suggested]}, but the judgement "
                    f"is {JUDGEMENT_WORDS[judgement]}: give a reason, or change the judgement."
                )
                problems.append(Problem(kq.id, "reason", message))
    return problems


def is_complete(form: Form, answers: Mapping[str, Any], reasons: Mapping[str, str | None]) -> bool:
    return not validate(form, answers, reasons)


def parse_cli_value(question: Question | KeyQuestion, text: str) -> Any:
    """Turn command-line text into an answer value (DESIGN.md section 7); '' clears it.

    Raises ValueError with a one-line message when the text does not fit the question.
    """
    q = question.judgement if isinstance(question, KeyQuestion) else question
    if text == "":
        return None
    shown = text if len(text) <= 40 else text[:40] + "..."
    value: Any
    if q.type in ("yes_no", "yes_no_na"):
        value = labels_by_value(q).get(" ".join(text.split()).casefold(), text.strip().lower())
        allowed = "yes or no" if q.type == "yes_no" else "yes, no or na"
        if value not in q.choice_ids():
            raise ValueError(f"question {q.id} takes {allowed}, not {shown!r}")
    elif q.type in ("single", "multiple"):
        picked = _choices_named(q, text)
        if not picked:
            return None
        if q.type == "single" and len(picked) > 1:
            raise ValueError(f"question {q.id} takes one choice, not {len(picked)}")
        value = picked if q.type == "multiple" else picked[0]
    elif q.type == "number":
        raw = text.strip()
        if _INT.fullmatch(raw):
            value = int(raw)
        elif _FLOAT.fullmatch(raw):
            value = float(raw)
        else:
            raise ValueError(f"question {q.id} takes a number, not {shown!r}")
    elif q.type == "date":
        value = text.strip()
        if not _DATE.fullmatch(value):
            try:
                value = parse_date(value)
            except ValueError as exc:
                if "calendar" in str(exc):
                    raise ValueError(f"question {q.id}: {exc}") from None
                raise ValueError(
                    f"question {q.id} takes a date such as 21/09/2015 or 2015-09-21, not {shown!r}"
                ) from None
    else:
        value = text
    error = check_value(q, value)
    if error:
        raise ValueError(f"question {q.id}: {error}")
    return value


def labels_by_value(q: Question) -> dict[str, str]:
    """Every way a person may name an answer of a closed question -> its id: the id, the
    label in any case, and for yes/no questions Yes, No, Not applicable and N/A."""
    out: dict[str, str] = {}
    for cid in q.choice_ids():
        out[cid.casefold()] = cid
    if q.type in ("yes_no", "yes_no_na"):
        out.update({"yes": "yes", "no": "no"})
        if q.type == "yes_no_na":
            out.update({"not applicable": "na", "n/a": "na", "na": "na"})
    for choice in q.choices:
        out.setdefault(" ".join(choice.label.split()).casefold(), choice.id)
    return out


def _choices_named(q: Question, text: str) -> list[str]:
    """The choice ids `text` names: ids separated by spaces (as `fieldwork answer` takes
    them), or labels ("Community order"), several separated by ; or , ."""
    ids = q.choice_ids()
    known = labels_by_value(q)
    whole = " ".join(text.split())
    if not whole:
        return []
    if whole in ids:
        return [whole]
    if whole.casefold() in known:
        return [known[whole.casefold()]]
    parts = [p for p in re.split(r"\s*[;,]\s*", whole) if p] if re.search("[;,]", whole) else []
    if not parts or not all(p.casefold() in known for p in parts):
        parts = whole.split()
    listed = ", ".join(ids[:20]) + (", ..." if len(ids) > 20 else "")
    picked = []
    for part in parts:
        choice = part if part in ids else known.get(part.casefold())
        if choice is None:
            raise ValueError(f"question {q.id} has no choice {part!r} (choices: {listed})")
        picked.append(choice)
    return list(dict.fromkeys(picked))
