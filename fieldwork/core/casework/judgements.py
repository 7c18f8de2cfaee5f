"""The team's judgements under the method: judgement-rated standards, professional
discretion, and the report's own texts.

- `judge_key_question`: a judgement ("yes" sufficient / "no") with its reasoning on a
  key question of a judgement-rated standard (domain one), per organisation.
- `rate_standard`: the rating of a judgement-rated standard with its justification,
  and the evidence it rests on (tagged to the standard in the register).
- `override_rating` / `clear_override`: set a case-based standard's rating away from
  the rules' result, with a recorded reason; the methodology annex lists every one.
- `set_report_text`: the foreword, overall findings and background of the report.

Each returns the ops it wrote (for undo). The same rules hold from the command line and
the app, so a rating without a justification or an override without a reason is refused
in one line saying what is missing.
"""

from __future__ import annotations

from collections.abc import Iterable

from fieldwork.core.casework import records
from fieldwork.core.errors import UserError
from fieldwork.core.forms.method import Standard
from fieldwork.core.model import Op
from fieldwork.core.schema import REPORT_TEXT_PARTS
from fieldwork.core.storage import evidence_reads, method_reads
from fieldwork.core.storage.store import Store


def _standard(store: Store, standard_id: str, organisation: str) -> Standard:
    method = method_reads.method(store)
    found = method.standard(standard_id)
    if found is None:
        folded = {s.id.casefold(): s for s in method.standards()}
        found = folded.get(standard_id.strip().casefold())
    if found is None:
        raise UserError(
            f"The method {method.id} has no standard {standard_id!r} "
            f"({', '.join(s.id for s in method.standards())})."
        )
    if found not in method.standards_for(organisation):
        raise UserError(f"{organisation} is not rated on {found.label} under {method.id}.")
    return found


def _rating(store: Store, rating: str) -> str:
    rules = method_reads.method(store).rating
    if rules is None:
        raise UserError("This inspection's method rates nothing: there is no rating to record.")
    for band in rules.bands:
        if band.rating.casefold() == rating.strip().casefold():
            return band.rating
    raise UserError(f"{rating!r} is not a rating: use one of {', '.join(rules.ratings())}.")


def judge_key_question(
    store: Store,
    organisation: str,
    key_question_id: str,
    judgement: str | None,
    text: str | None = None,
) -> list[Op]:
    """Record the team's judgement on a key question of a judgement-rated standard."""
    org = str(records.organisation(store, organisation))
    mf = method_reads.method_forms(store)
    owner = next(
        (
            s
            for s in mf.method.standards_for(org)
            if s.basis == "judgement" and any(k.id == key_question_id for k in s.key_questions)
        ),
        None,
    )
    if owner is None:
        raise UserError(
            f"{key_question_id!r} is not a key question of a judgement-rated standard "
            f"{org} is rated on."
        )
    value = (judgement or "").strip().lower() or None
    if value not in (None, "yes", "no"):
        raise UserError(f"A key-question judgement is yes (sufficient) or no, not {judgement!r}.")
    fields = {"judgement": value, "text": records.text(text, "The judgement's reasoning")}
    key = {"organisation": org, "key_question_id": key_question_id}
    return records.upsert(store, "kq_judgements", key, fields)


def rate_standard(
    store: Store,
    organisation: str,
    standard_id: str,
    rating: str | None,
    justification: str | None,
    *,
    evidence_ids: Iterable[str] = (),
) -> list[Op]:
    """Rate a judgement-rated standard (None clears it) with its justification, and tag
    the evidence it rests on with the standard."""
    org = str(records.organisation(store, organisation))
    standard = _standard(store, standard_id, org)
    if standard.basis != "judgement":
        raise UserError(
            f"{standard.label} is rated from its case assessments by the rules; to rate it "
            "otherwise, override it with a reason (professional discretion)."
        )
    key = {"organisation": org, "standard_id": standard.id}
    ids = list(evidence_ids)
    known = {e.id for e in evidence_reads.evidence(store)}
    for eid in ids:
        if eid not in known:
            raise UserError("No such item in the evidence register.")
    with store.transaction():
        if rating is None or not rating.strip():
            ops = records.remove(store, "standard_judgements", key)
        else:
            fields = {
                "rating": _rating(store, rating),
                "justification": records.text(justification, "The justification"),
            }
            if not fields["justification"]:
                raise UserError(f"Say why {standard.label} is rated so.", needs="justification")
            ops = records.upsert(store, "standard_judgements", key, fields)
        for eid in ids:
            ops += store.link("evidence_links", eid, standard.id)
    return ops


def override_rating(
    store: Store, organisation: str, standard_id: str, rating: str, reason: str | None
) -> list[Op]:
    """Professional discretion: rate a case-based standard away from the rules' result."""
    from fieldwork.core.scoring import score_store

    org = str(records.organisation(store, organisation))
    standard = _standard(store, standard_id, org)
    if standard.basis != "cases":
        raise UserError(
            f"{standard.label} is rated by the team's judgement: record its rating and "
            "justification instead."
        )
    chosen = _rating(store, rating)
    cleaned = records.text(reason, "The reason")
    if not cleaned:
        raise UserError(
            "Professional discretion needs a recorded reason: the methodology annex lists it.",
            needs="reason",
        )
    result = score_store(store).organisation(org).standard(standard.id)
    if result.rule_rating is None:
        raise UserError(
            f"{standard.label} has no rating from the rules yet (no applicable case "
            "assessment): there is nothing to depart from."
        )
    if result.rule_rating == chosen:
        raise UserError(f"The rules already rate {standard.label} {chosen}: nothing to override.")
    key = {"organisation": org, "standard_id": standard.id}
    return records.upsert(store, "overrides", key, {"rating": chosen, "reason": cleaned})


def clear_override(store: Store, organisation: str, standard_id: str) -> list[Op]:
    """Let the rules' result stand again."""
    org = str(records.organisation(store, organisation))
    standard = _standard(store, standard_id, org)
    return records.remove(store, "overrides", {"organisation": org, "standard_id": standard.id})


def set_report_text(store: Store, part: str, text: str | None) -> list[Op]:
    """The report's foreword, overall findings or background (empty text clears it)."""
    key = part.strip().lower().replace("-", "_").replace(" ", "_")
    if key not in REPORT_TEXT_PARTS:
        raise UserError(f"Unknown part of the report {part!r}: use {', '.join(REPORT_TEXT_PARTS)}.")
    cleaned = records.text(text, "The text")
    if cleaned is None:
        return records.remove(store, "report_texts", {"part": key})
    return records.upsert(store, "report_texts", {"part": key}, {"text": cleaned})
