"""Quotes marked in interview notes, with their tags, in one undo step."""

from __future__ import annotations

import pytest

from fieldwork.core.casework.interviews import create_interview, update_interview
from fieldwork.core.casework.quotes import mark_quote, remove_quote, standard_labels
from fieldwork.core.errors import UserError
from fieldwork.core.storage.store import Store

NOTES = "She said the plan was written with her. Nobody visited at home."


def _interview(store: Store) -> str:
    row = create_interview(store, "person")[0].row
    update_interview(store, row, {"notes": NOTES})
    return row


def test_a_quote_is_stored_with_its_tags(store: Store) -> None:
    interview = _interview(store)
    label = standard_labels(store)[1]
    ops = mark_quote(store, interview, 9, 38, NOTES[9:38], [label, "Involvement"])
    quote_id = ops[0].row
    with Store.open(store.path) as disk:
        [quote] = disk.reads.quotes(interview)
        assert quote.id == quote_id
        assert (quote.start, quote.end, quote.text) == (9, 38, "the plan was written with her")
        assert set(quote.tags) == {label, "Involvement"}
        assert sorted(disk.reads.tags()) == sorted([label, "Involvement"])
        assert any(
            h["entity"] == "quotes" and h["row"] == quote_id for h in disk.search.find("written")
        )
    # One undo step takes the quote and its tag links away.
    assert store.can_undo(ops)
    store.undo(ops)
    assert store.reads.quotes(interview) == []


def test_a_tag_used_twice_is_one_tag(store: Store) -> None:
    interview = _interview(store)
    mark_quote(store, interview, 0, 3, "She", ["Risk of harm"])
    mark_quote(store, interview, 40, 47, "Nobody ", ["risk  of HARM"])
    assert store.reads.tags() == ["Risk of harm"]
    assert [q.tags for q in store.reads.quotes(interview)] == [("Risk of harm",), ("Risk of harm",)]


def test_an_empty_passage_is_refused_and_nothing_written(store: Store) -> None:
    interview = _interview(store)
    before = store.audit.op_count()
    with pytest.raises(UserError):
        mark_quote(store, interview, 5, 5, "", ["Risk"])
    with pytest.raises(UserError):
        mark_quote(store, interview, 0, 3, "   ")
    assert store.audit.op_count() == before


def test_remove_quote(store: Store) -> None:
    interview = _interview(store)
    quote_id = mark_quote(store, interview, 0, 3, "She")[0].row
    ops = remove_quote(store, quote_id)
    assert store.reads.quotes(interview) == []
    store.undo(ops)
    assert [q.id for q in store.reads.quotes(interview)] == [quote_id]
