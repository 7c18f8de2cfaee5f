"""Findings and numbered recommendations: what is stored, and each action one undo step."""

from __future__ import annotations

import pytest

from fieldwork.core.casework.findings import (
    create_finding,
    create_recommendation,
    delete_finding,
    delete_recommendation,
    edit_finding,
    edit_recommendation,
    link_quote,
    move_recommendation,
    renumber,
)
from fieldwork.core.casework.interviews import create_interview, update_interview
from fieldwork.core.casework.quotes import mark_quote
from fieldwork.core.errors import UserError
from fieldwork.core.storage.store import Store


def _positions(store: Store) -> list[tuple[str, int]]:
    return [(r.text, r.position) for r in store.reads.recommendations()]


def test_findings_are_placed_after_their_standard_and_organisation(store: Store) -> None:
    first = create_finding(store, "2.2", "strength", "NPS")[0].row
    second = create_finding(store, "2.2", "improvement", "NPS", "Plans were late")[0].row
    joint = create_finding(store, "2.2", "strength")[0].row
    other = create_finding(store, "2.1", "strength", "NPS")[0].row
    with Store.open(store.path) as disk:
        found = {f.id: f for f in disk.reads.findings()}
    assert [found[r].position for r in (first, second, joint, other)] == [1, 2, 1, 1]
    assert found[second].text == "Plans were late" and found[second].kind == "improvement"
    assert found[joint].organisation is None


def test_a_finding_must_name_a_kind_standard_and_organisation_of_the_inspection(
    store: Store,
) -> None:
    before = store.audit.op_count()
    with pytest.raises(UserError, match="strength"):
        create_finding(store, "2.2", "weakness", "NPS")
    with pytest.raises(UserError, match="standard"):
        create_finding(store, "9.9", "strength", "NPS")
    with pytest.raises(UserError, match="organisation"):
        create_finding(store, "2.2", "strength", "Acme")
    assert store.audit.op_count() == before


def test_a_quote_without_consent_is_refused_as_evidence_until_consent_is_given(
    store: Store,
) -> None:
    finding = create_finding(store, "2.2", "strength", "NPS")[0].row
    interview = create_interview(store, "person")[0].row
    update_interview(store, interview, {"notes": "My officer rang me back."})
    quote = mark_quote(store, interview, 3, 10, "officer")[0].row
    before = store.audit.op_count()
    with pytest.raises(UserError, match="cannot be evidence. No consent recorded"):
        link_quote(store, finding, quote)
    assert store.audit.op_count() == before
    update_interview(store, interview, {"consent": True})
    link_quote(store, finding, quote)
    update_interview(store, interview, {"consent": False})  # withdrawn: unlinking still works
    link_quote(store, finding, quote, present=False)
    assert store.reads.findings()[0].quote_ids == ()


def test_edit_link_and_delete_a_finding(store: Store) -> None:
    row = create_finding(store, "2.2", "strength", "NPS")[0].row
    edited = edit_finding(store, row, "Good plans")
    interview = create_interview(store)[0].row
    update_interview(store, interview, {"notes": "The plan was good."})
    quote = mark_quote(store, interview, 4, 8, "plan")[0].row
    link_quote(store, row, quote)
    with Store.open(store.path) as disk:
        [finding] = disk.reads.findings()
        assert (finding.text, finding.quote_ids) == ("Good plans", (quote,))
        assert [o.value for o in disk.audit.history("findings", row, "text")] == ["", "Good plans"]
    link_quote(store, row, quote, present=False)
    assert store.reads.findings()[0].quote_ids == ()
    store.undo(edited)
    assert store.reads.findings()[0].text == ""
    deleted = delete_finding(store, row)
    assert store.reads.findings() == []
    store.undo(deleted)
    assert [f.id for f in store.reads.findings()] == [row]


def test_recommendations_are_numbered_moved_and_renumbered_on_delete(store: Store) -> None:
    ids = [create_recommendation(store, text)[0].row for text in ("A", "B", "C")]
    assert _positions(store) == [("A", 1), ("B", 2), ("C", 3)]
    moved = move_recommendation(store, ids[2], -1)
    assert _positions(store) == [("A", 1), ("C", 2), ("B", 3)]
    assert move_recommendation(store, ids[0], -1) == []  # already first
    assert move_recommendation(store, ids[1], 1) == []  # already last
    store.undo(moved)
    assert _positions(store) == [("A", 1), ("B", 2), ("C", 3)]
    deleted = delete_recommendation(store, ids[0])
    with Store.open(store.path) as disk:
        assert _positions(disk) == [("B", 1), ("C", 2)]
    store.undo(deleted)  # the row and the numbers come back in one step
    assert _positions(store) == [("A", 1), ("B", 2), ("C", 3)]


def test_renumber_writes_only_positions_that_change(store: Store) -> None:
    ids = [create_recommendation(store, text)[0].row for text in ("A", "B", "C")]
    ops = renumber(store, [ids[0], ids[2], ids[1]])
    assert sorted((o.row, o.value) for o in ops) == sorted([(ids[2], 2), (ids[1], 3)])


def test_edit_recommendation_squeezes_the_addressee(store: Store) -> None:
    row = create_recommendation(store)[0].row
    edit_recommendation(store, row, addressee="  NPS   and CRC ", text="Visit at home")
    with Store.open(store.path) as disk:
        [rec] = disk.reads.recommendations()
        assert (rec.addressee, rec.text, rec.position) == ("NPS and CRC", "Visit at home", 1)
    edit_recommendation(store, row, addressee="   ")
    assert store.reads.recommendations()[0].addressee is None
    assert store.reads.recommendations()[0].text == "Visit at home"
