"""Reads of the moderation tables, each one query over the materialised rows (deleted
rows left out), in a fixed order so every laptop with the same ops reads the same.

Nothing here writes: writes go through the store's write path (sample.py, rounds.py,
disagreements.py). Nothing here hides anything either: rounds.py decides who may see
which round.
"""

from __future__ import annotations

import json
from typing import Any

from fieldwork.core.moderation.model import Draw, RoundAnswer, SampleCase, Settlement
from fieldwork.core.storage.store import Store


def _rows(store: Store, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    return store.rows(sql, params)


def _json(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def draws(store: Store) -> list[Draw]:
    return [
        Draw(
            r["id"],
            int(r["seed"] or 0),
            int(r["share"] or 0),
            int(r["minimum"] or 0),
            r["rule"] or "",
            tuple(_json(r["frame"]) or ()),
            tuple(_json(r["drawn"]) or ()),
        )
        for r in _rows(store, "SELECT * FROM moderation_draws WHERE deleted=0 ORDER BY id")
    ]


def sample(store: Store) -> dict[str, SampleCase]:
    """The sample by case id, for cases still in the inspection."""
    return {
        r["case_id"]: SampleCase(
            r["case_id"], r["kind"] or "", r["draw_id"], r["second_assessor"], r["reason"]
        )
        for r in _rows(
            store,
            "SELECT m.* FROM moderation_cases m JOIN cases c ON c.id = m.case_id"
            " WHERE m.deleted=0 AND c.deleted=0 ORDER BY c.ref, c.id",
        )
    }


def rounds(store: Store) -> dict[tuple[str, str], str]:
    """(case id, assessor) -> status of every round."""
    return {
        (r["case_id"], r["assessor"]): r["status"] or "draft"
        for r in _rows(
            store,
            "SELECT case_id, assessor, status FROM moderation_rounds WHERE deleted=0"
            " ORDER BY case_id, assessor",
        )
    }


def round_status(store: Store, case_id: str, assessor: str) -> str | None:
    rows = _rows(
        store,
        "SELECT status FROM moderation_rounds WHERE case_id=? AND assessor=? AND deleted=0",
        (case_id, assessor),
    )
    return (rows[0]["status"] or "draft") if rows else None


def round_answers(
    store: Store, case_id: str | None = None
) -> dict[tuple[str, str], dict[str, RoundAnswer]]:
    """(case id, assessor) -> {question id: answer} of the rounds (of one case)."""
    where, params = ("AND case_id=?", (case_id,)) if case_id else ("", ())
    out: dict[tuple[str, str], dict[str, RoundAnswer]] = {}
    for r in _rows(
        store,
        f"SELECT * FROM moderation_answers WHERE deleted=0 {where}"
        " ORDER BY case_id, assessor, question_id",
        params,
    ):
        out.setdefault((r["case_id"], r["assessor"]), {})[r["question_id"]] = RoundAnswer(
            r["question_id"], _json(r["value"]), r["comment"], r["reason"]
        )
    return out


def settlements(store: Store) -> dict[tuple[str, str], Settlement]:
    """(case id, question id) -> the settled value, for cases still in the inspection."""
    return {
        (r["case_id"], r["question_id"]): Settlement(_json(r["value"]), r["reason"] or "")
        for r in _rows(
            store,
            "SELECT s.* FROM moderation_settlements s JOIN cases c ON c.id = s.case_id"
            " WHERE s.deleted=0 AND c.deleted=0 ORDER BY s.case_id, s.question_id",
        )
    }
