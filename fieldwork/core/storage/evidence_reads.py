"""Reads of the evidence register, judgements, overrides and report texts (schema 3).

Kept apart from store.py: these are the tables of issue 13 (methods), read with the
store's connection. Writes go through the store's one write path, in
casework/evidence.py and casework/judgements.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from fieldwork.core.model import Evidence, KeyQuestionJudgement, Override, StandardJudgement

if TYPE_CHECKING:
    from fieldwork.core.storage.store import Store


def _rows(store: Store, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    return store.rows(sql, params)


def evidence(store: Store, organisation: str | None = None) -> list[Evidence]:
    """The register in date order (undated last); with `organisation`, the items about it
    or about every organisation."""
    targets: dict[str, list[str]] = {}
    for eid, target in store.conn.execute(
        "SELECT evidence_id, target FROM evidence_links WHERE deleted=0 ORDER BY target"
    ):
        targets.setdefault(eid, []).append(target)
    where, params = "", cast(tuple[str, ...], ())
    if organisation is not None:
        where, params = " AND (organisation IS NULL OR organisation=?)", (organisation,)
    return [
        Evidence(
            r["id"],
            r["kind"] or "other",
            r["date"],
            r["title"] or "",
            r["attendees"] or "",
            r["notes"] or "",
            r["organisation"],
            r["author"],
            tuple(targets.get(r["id"], ())),
        )
        for r in _rows(
            store,
            f"SELECT * FROM evidence WHERE deleted=0{where} ORDER BY date IS NULL, date, title, id",
            params,
        )
    ]


def evidence_item(store: Store, evidence_id: str) -> Evidence | None:
    return next((e for e in evidence(store) if e.id == evidence_id), None)


def kq_judgements(store: Store) -> dict[tuple[str, str], KeyQuestionJudgement]:
    """{(organisation, key question id): judgement}."""
    return {
        (r["organisation"], r["key_question_id"]): KeyQuestionJudgement(
            r["id"], r["organisation"], r["key_question_id"], r["judgement"], r["text"] or ""
        )
        for r in _rows(store, "SELECT * FROM kq_judgements WHERE deleted=0 ORDER BY id")
        if r["organisation"] and r["key_question_id"]
    }


def standard_judgements(store: Store) -> dict[tuple[str, str], StandardJudgement]:
    """{(organisation, standard id): the team's rating and justification}."""
    return {
        (r["organisation"], r["standard_id"]): StandardJudgement(
            r["id"], r["organisation"], r["standard_id"], r["rating"], r["justification"] or ""
        )
        for r in _rows(store, "SELECT * FROM standard_judgements WHERE deleted=0 ORDER BY id")
        if r["organisation"] and r["standard_id"]
    }


def overrides(store: Store) -> dict[tuple[str, str], Override]:
    """{(organisation, standard id): professional-discretion override}."""
    return {
        (r["organisation"], r["standard_id"]): Override(
            r["id"], r["organisation"], r["standard_id"], r["rating"], r["reason"] or ""
        )
        for r in _rows(store, "SELECT * FROM overrides WHERE deleted=0 ORDER BY id")
        if r["organisation"] and r["standard_id"] and r["rating"]
    }


def report_texts(store: Store) -> dict[str, str]:
    """{part: text} for the report's own texts (foreword, overall findings, background)."""
    return {
        r["part"]: r["text"] or ""
        for r in _rows(store, "SELECT * FROM report_texts WHERE deleted=0 ORDER BY id")
        if r["part"]
    }
