"""Conflicts in the user's words, and resolving one: the value taken is checked against
the form first, as the review editor would check it, so `--take maybe` can never land in
a yes/no prompt.

`describe` says what a conflict is about (the case, the question by number and text),
what each side holds (by label: `Level 2`, not `level_2`) and who wrote it (by member
name, never a device id). The Sync screen's cards and `fieldwork conflicts` both show it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fieldwork.core.casework import roles, wording
from fieldwork.core.casework import validation as review
from fieldwork.core.casework.dates import show_date, show_datetime
from fieldwork.core.casework.values import field_problem
from fieldwork.core.errors import UserError
from fieldwork.core.model import Conflict, Op
from fieldwork.core.schema import ENTITIES, INTERVIEW_KIND_LABELS, REF, STATUS_LABELS
from fieldwork.core.storage.clock import hlc_text
from fieldwork.core.storage.store import Store

UNKNOWN_AUTHOR = "someone not in the team"
FIELD_WORDS = {
    ("cases", "ref"): "case reference",
    ("cases", "officer"): "responsible officer",
    ("cases", "inspector"): "inspector",
    ("cases", "qa_inspector"): "quality assurance by",
    ("cases", "status"): "review status",
    ("cases", "qa_comment"): "quality assurance comment",
    ("answers", "comment"): "comment",
    ("answers", "reason"): "reason for the judgement",
    ("interviews", "kind"): "kind of interview",
    ("interviews", "author"): "interviewer",
    ("inspection", "name"): "inspection's name",
    ("inspection", "start_date"): "start of fieldwork",
    ("inspection", "end_date"): "end of fieldwork",
    ("members", "public_key"): "key",
}


def find(store: Store, conflict_id: str) -> Conflict | None:
    """The one open conflict whose id starts so, or None (resolve then says why)."""
    matches = [c for c in store.reads.conflicts() if c.id.startswith(conflict_id)]
    return matches[0] if len(matches) == 1 else None


def question_id_of(store: Store, conflict: Conflict) -> str | None:
    """The question an answer conflict is about (read from the log: the answer may be
    one a teammate deleted)."""
    if conflict.entity != "answers":
        return None
    value = _logged(store, "answers", conflict.row, "question_id")
    return value if isinstance(value, str) else None


def parse_take(store: Store, conflict: Conflict, text: str) -> Any:
    """Command-line text as the value to take, read the way `fieldwork answer` reads it."""
    qid = question_id_of(store, conflict) if conflict.field == "value" else None
    if qid is None:
        return None
    form = form_of(store, conflict)
    question = form.key_question(qid) or form.question(qid)
    if question is None:
        return None
    try:
        return review.parse_cli_value(question, text)
    except ValueError as exc:
        raise UserError(str(exc)) from exc


def form_of(store: Store, conflict: Conflict) -> Any:
    """The instrument the conflict's case is assessed with (the main form otherwise)."""
    from fieldwork.core.storage.method_reads import form_for_case

    case = store.reads.case_by_ref(conflict.case_ref) if conflict.case_ref else None
    return form_for_case(store, case) if case is not None else store.reads.form()


def problem(store: Store, conflict: Conflict, value: Any) -> str | None:
    """Why `value` cannot close the conflict (the form or the field refuses it), or None."""
    if conflict.kind == "deleted":
        return None
    return field_problem(
        form_of(store, conflict),
        tuple(store.reads.inspection().organisations),
        conflict.entity,
        conflict.field,
        value,
        question_id_of(store, conflict),
    )


def resolve(store: Store, conflict_id: str, value: Any) -> list[Op]:
    """Close the conflict with `value`, refused in one line if the form does not allow it."""
    conflict = find(store, conflict_id)
    if conflict is not None:
        refused = problem(store, conflict, value)
        if refused:
            raise UserError(f"Not resolved: {refused}")
    return store.resolve(conflict_id, value)


# ------------------------------------------------------------------ in words


@dataclass(frozen=True)
class Side:
    """One of the competing values: what it is, in words, and who wrote it when."""

    value: Any
    words: str  # "Level 2", "Yes", "21 Sep 2015", "Deleted"
    who: str  # a member's name
    when: str  # "8 Mar 2016 18:02", local time


@dataclass(frozen=True)
class ConflictWords:
    id: str
    kind: str  # "edit" | "deleted"
    case_ref: str | None
    where: str  # "Case A488417", "Interview “Officer, Durham”", "Recommendation 2"
    what: str  # "2.4.2a Were risks reviewed?", "responsible officer", "comment on 2.4.2a"
    question_id: str | None
    sides: tuple[Side, ...]
    choices: tuple[tuple[Any, str], ...]  # (value, label) a new value may be picked from
    typed: bool  # a new value may be typed (an answer, a text field)
    subject: str = ""  # short: "2.4.2a", "MAPPA level", "office"

    @property
    def action(self) -> str:
        """The undo text of resolving it: `resolve the conflict on 2.4.2a (case A488417)`."""
        place = self.where[:1].lower() + self.where[1:]
        if self.kind == "deleted":
            return f"resolve the conflict on {place} (edited and deleted)"
        return f"resolve the conflict on {self.subject or self.what} ({place})"

    @property
    def title(self) -> str:
        if self.kind == "deleted":
            return f"{self.where}: edited on one laptop, deleted on another"
        return f"{self.where}: {self.what}"

    def lines(self) -> list[str]:
        """The conflict as plain lines: the title, then one line per side."""
        out = [self.title]
        for letter, side in zip("ABCDEFGHIJ", self.sides, strict=False):
            out.append(f"  {letter}: {side.words} (by {side.who}, {side.when})")
        return out


def describe(store: Store, conflict: Conflict) -> ConflictWords:
    """The conflict in the user's words (see the module's docstring)."""
    c = conflict
    from fieldwork.core.team import writer_names  # (team reads through sync)

    names = writer_names(store)
    form = form_of(store, c)
    qid = question_id_of(store, c)
    where = _where(store, c)
    if c.kind == "deleted":
        sides = tuple(_deleted_side(form, c, h, names, qid) for h in c.heads)
        return ConflictWords(c.id, c.kind, c.case_ref, where, "record", qid, sides, (), False)
    subject = wording.question_short(form, qid) if qid is not None else ""
    sides = tuple(
        Side(h.value, _value_words(form, c.entity, c.field, qid, h.value, names),
             _who(h.author, names), _when(h.hlc))
        for h in c.heads
    )  # fmt: skip
    what = _what(form, c.entity, c.field, qid)
    choices: tuple[tuple[Any, str], ...] = ()
    typed = False
    if c.entity == "answers" and c.field == "value" and qid is not None:
        choices = tuple(wording.choices_of(form, qid))
        question = form.key_question(qid) or form.question(qid)
        typed = question is not None and not choices
    elif c.entity == "cases" and c.field == "status":
        choices = tuple(STATUS_LABELS.items())
    elif c.entity == "cases" and c.field == "organisation":
        choices = tuple((o, o) for o in store.reads.inspection().organisations)
    elif ENTITIES[c.entity].fields.get(c.field) == REF and c.field in (
        "inspector",
        "qa_inspector",
        "author",
    ):
        choices = tuple((m.id, m.name) for m in roles.reviewers(store.reads.members()))
    elif c.field not in ("deleted",) and ENTITIES[c.entity].fields.get(c.field) == "text":
        typed = True
    if qid is not None and c.field != "value":
        subject = what
    return ConflictWords(
        c.id, c.kind, c.case_ref, where, what, qid, sides, choices, typed, subject or what
    )


def words_for(store: Store, conflict: Conflict, value: Any) -> str:
    """A value for this conflict's field, in words (`Level 2`, `Deleted`)."""
    if conflict.kind == "deleted":
        return "deleted" if value else "kept"
    names = store.reads.member_names()
    qid = question_id_of(store, conflict)
    return _value_words(
        form_of(store, conflict), conflict.entity, conflict.field, qid, value, names
    )


def parse_typed(store: Store, conflict: Conflict, text: str) -> Any:
    """A new value typed on a conflict card, read as the review editor reads it (labels,
    dates as 21/09/2015); refused in one line if it does not fit."""
    if conflict.entity == "answers" and conflict.field == "value":
        qid = question_id_of(store, conflict)
        form = form_of(store, conflict)
        question = (form.key_question(qid) or form.question(qid)) if qid else None
        if question is not None:
            try:
                return review.parse_cli_value(question, text.strip())
            except ValueError as exc:
                raise UserError(f"Not resolved: {exc}.".replace("..", ".")) from exc
    return text.strip() or None


def _logged(store: Store, entity: str, row: str, field: str) -> Any:
    """A field's latest value from the log (rows a conflict is about may be deleted)."""
    ops = store.audit.history(entity, row, field)
    return ops[-1].value if ops else None


def _who(author: str, names: dict[str, str]) -> str:
    return names.get(author) or UNKNOWN_AUTHOR


def _when(hlc: str) -> str:
    """`8 Mar 2016 18:02` in local time; never an error (a garbled or far-future clock
    reads as such)."""
    text = hlc_text(hlc, "%Y-%m-%dT%H:%M", local=True)
    return show_datetime(text) if text[:1].isdigit() else text


def _where(store: Store, c: Conflict) -> str:
    if c.case_ref:
        return f"Case {c.case_ref}"
    if c.entity == "interviews":
        title = _logged(store, "interviews", c.row, "title")
        date = _logged(store, "interviews", c.row, "date")
        kind = INTERVIEW_KIND_LABELS.get(str(_logged(store, "interviews", c.row, "kind")))
        name = title or kind or "untitled"
        return f"Interview “{name}”" + (f" ({show_date(date)})" if date else "")
    if c.entity == "findings":
        standard = _logged(store, "findings", c.row, "standard_id")
        kind = _logged(store, "findings", c.row, "kind")
        what = "Area for improvement" if kind == "improvement" else "Strength"
        return f"{what} in standard {standard}" if standard else what
    if c.entity == "recommendations":
        position = _logged(store, "recommendations", c.row, "position")
        return f"Recommendation {position + 1}" if isinstance(position, int) else "A recommendation"
    if c.entity == "members":
        name = _logged(store, "members", c.row, "name")
        return f"Team member {name}" if name else "A team member"
    if c.entity == "inspection":
        return "The inspection"
    if c.entity == "quotes":
        return "A marked quote"
    return "A link between records"


def _what(form: Any, entity: str, field: str, qid: str | None) -> str:
    if entity == "answers" and qid is not None:
        if field == "value":
            return wording.question_title(form, qid)
        words = FIELD_WORDS.get((entity, field), field)
        return f"{words} on {wording.question_short(form, qid)}"
    return FIELD_WORDS.get((entity, field), field.replace("_", " "))


def _value_words(form: Any, entity: str, field: str, qid: str | None, value: Any,
                 names: dict[str, str]) -> str:  # fmt: skip
    if value is None or value == "":
        return wording.EMPTY
    if entity == "answers" and field == "value":
        return wording.value_words(form, qid, value)
    kind = ENTITIES[entity].fields.get(field)
    if kind == REF and isinstance(value, str):
        return names.get(value) or UNKNOWN_AUTHOR
    if entity == "cases" and field == "status":
        return STATUS_LABELS.get(str(value), str(value))
    if entity == "interviews" and field == "kind":
        return INTERVIEW_KIND_LABELS.get(str(value), str(value))
    if field.endswith("date") or field == "date":
        return show_date(str(value))
    return wording.value_words(form, None, value)


def _deleted_side(form: Any, c: Conflict, head: Op, names: dict[str, str],
                  qid: str | None) -> Side:  # fmt: skip
    if head.field == "deleted":
        words = "Deleted" if head.value else "Kept"
    else:
        change = _value_words(form, c.entity, head.field, qid, head.value, names)
        words = f"Edited: {_what(form, c.entity, head.field, qid)} set to {change}"
    return Side(head.field == "deleted" and bool(head.value), words,
                _who(head.author, names), _when(head.hlc))  # fmt: skip
