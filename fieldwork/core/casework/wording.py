"""Questions and answers in the user's words, never in ids: `2.4.2a Were risks reviewed?`,
`Level 1` rather than `level_1`, `Not applicable` rather than `na`, `21 Sep 2015`.

The review editor's problems and undo texts, the conflict cards and the command line's
`conflicts` all word things here, so they say the same.
"""

from __future__ import annotations

from typing import Any

from fieldwork.core.casework.dates import show_date
from fieldwork.core.forms.loader import Form, Question

YES_NO_WORDS = {"yes": "Yes", "no": "No", "na": "Not applicable"}
EMPTY = "(no answer)"
MAX_SHOWN = 80


def count(n: int, noun: str) -> str:
    """`1 case`, `2 cases`, `0 cases` (nouns with a plain plural)."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _note_parts(form: Form, qid: str) -> tuple[str, str] | None:
    """(section words, note words) for a standard's strengths or areas for improvement."""
    section_id, _, which = qid.rpartition("/")
    for s in form.sections:
        if s.id == section_id:
            note = next((n for n in s.notes if n.id == qid), None)
            if note is not None:
                return f"{s.id} {s.title}", note.text.lower()
    return None if not which else (section_id, which.replace("_", " "))


def is_attribute(form: Form, qid: str) -> bool:
    return any(q.id == qid for q in form.attributes)


def question_number(form: Form, qid: str) -> str | None:
    """The number a person knows a prompt or key question by (`2.4.2a`); None for case
    details and notes, whose ids are names."""
    if form.key_question(qid) is not None:
        return qid
    if form.question(qid) is None or is_attribute(form, qid) or "/" in qid:
        return None
    return qid


def question_text(form: Form, qid: str) -> str:
    """The question as the form words it (`qid` itself when the form lacks it)."""
    kq = form.key_question(qid)
    if kq is not None:
        return kq.text
    if "/" in qid and (parts := _note_parts(form, qid)) is not None:
        return f"{parts[1].capitalize()} in {parts[0]}"
    q = form.question(qid)
    return q.text if q is not None else qid


def question_title(form: Form, qid: str) -> str:
    """Number and text: `2.4.2a Were risks reviewed?`; case details by their text alone."""
    number = question_number(form, qid)
    text = question_text(form, qid)
    return f"{number} {text}" if number and text != number else text


def question_short(form: Form, qid: str) -> str:
    """A short name for a sentence: `2.4.2a`, `MAPPA level`, `areas for improvement in 2.4
    Reviewing`."""
    number = question_number(form, qid)
    if number:
        return number
    if "/" in qid and (parts := _note_parts(form, qid)) is not None:
        return f"{parts[1]} in {parts[0]}"
    return _shorten(question_text(form, qid), 60)


def _question(form: Form, qid: str) -> Question | None:
    kq = form.key_question(qid)
    return kq.judgement if kq is not None else form.question(qid)


def value_words(form: Form, qid: str | None, value: Any) -> str:
    """An answer as it reads on screen: labels for choices, Yes / No / Not applicable,
    dates as `21 Sep 2015`; text shortened to one line."""
    if value is None or value == "" or value == []:
        return EMPTY
    q = _question(form, qid) if qid else None
    if q is not None:
        if q.type in ("yes_no", "yes_no_na") and isinstance(value, str):
            return YES_NO_WORDS.get(value, value)
        labels = {c.id: c.label for c in q.choices}
        if q.type == "single" and isinstance(value, str):
            return labels.get(value, value)
        if q.type == "multiple" and isinstance(value, list):
            return ", ".join(labels.get(v, str(v)) for v in value) or EMPTY
        if q.type == "date" and isinstance(value, str):
            return show_date(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return _shorten(str(value), MAX_SHOWN)


def choices_of(form: Form, qid: str | None) -> list[tuple[Any, str]]:
    """(value, label) of every answer a closed question allows, for a picker; [] when the
    answer is typed (a number, a date, text)."""
    q = _question(form, qid) if qid else None
    if q is None:
        return []
    if q.type in ("yes_no", "yes_no_na"):
        return [(c, YES_NO_WORDS[c]) for c in q.choice_ids()]
    if q.type == "single":
        return [(c.id, c.label) for c in q.choices]
    return []


def answer_action(
    form: Form, qid: str, case_ref: str | None, what: str = "answer"
) -> str:  # fmt: skip
    """An undo text: `answer to 2.4.2a (case A488417)`, `judgement on 2.4.2 (case ...)`,
    `comment on 2.4.2a`, `areas for improvement in 2.4 Reviewing (case ...)`."""
    short = question_short(form, qid)
    if "/" in qid and what in ("answer", "note"):
        phrase = short
    elif what == "judgement":
        phrase = f"judgement on {short}"
    elif what == "comment":
        phrase = f"comment on {short}"
    else:
        phrase = f"{what} to {short}"
    return f"{phrase} (case {case_ref})" if case_ref else phrase


def _shorten(text: str, limit: int) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
