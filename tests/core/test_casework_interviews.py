"""Interviews: created with defaults, edited, linked to cases, deleted; each one undo step."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldwork.core.casework.interviews import (
    create_interview,
    default_date,
    default_title,
    delete_interview,
    link_case,
    update_interview,
)
from fieldwork.core.errors import UserError
from fieldwork.core.storage.store import Store
from tests.conftest import new_store


def test_a_new_interview_is_titled_after_its_kind_and_signed_by_this_laptop(store: Store) -> None:
    ops = create_interview(store, "person", today="2025-03-04")
    row = ops[0].row
    assert {o.row for o in ops} == {row}
    with Store.open(store.path) as disk:
        interview = disk.reads.interview(row)
        assert interview is not None
        assert interview.kind == "person"
        assert interview.title == "New person on probation interview" == default_title("person")
        assert interview.date == "2025-03-04"
        assert interview.organisation is None  # two organisations: the person chooses
        assert interview.consent is False and interview.notes == ""
        assert interview.author == store.author
        assert {o.field for o in disk.audit.history("interviews", row)} >= {
            "kind",
            "title",
            "deleted",
        }
    store.undo(ops)
    assert store.reads.interviews() == []


def test_the_date_stays_within_fieldwork_and_one_organisation_is_chosen(tmp_path: Path) -> None:
    with new_store(
        tmp_path / "one.fieldwork",
        organisations=["NPS"],
        start_date="2025-05-01",
        end_date="2025-05-20",
    ) as store:
        early = create_interview(store, today="2025-04-01")[0].row
        late = create_interview(store, "manager", today="2025-06-01")[0].row
        made = {i.id: i for i in store.reads.interviews()}
        assert (made[early].date, made[late].date) == ("2025-05-01", "2025-05-20")
        assert made[early].organisation == made[late].organisation == "NPS"
        assert default_date(store.reads.inspection(), "2025-05-07") == "2025-05-07"


def test_an_unknown_kind_is_refused(store: Store) -> None:
    with pytest.raises(UserError, match="kind"):
        create_interview(store, "podcast")
    row = create_interview(store)[0].row
    with pytest.raises(UserError, match="kind"):
        update_interview(store, row, {"kind": "podcast"})
    with pytest.raises(UserError, match="author"):
        update_interview(store, row, {"author": "someone"})


def test_notes_are_saved_searchable_and_undone(store: Store) -> None:
    row = create_interview(store)[0].row
    ops = update_interview(store, row, {"notes": "Home visits were missed", "consent": True})
    assert update_interview(store, row, {"notes": "Home visits were missed"}) == []
    with Store.open(store.path) as disk:
        interview = disk.reads.interview(row)
        assert interview is not None and interview.notes == "Home visits were missed"
        assert interview.consent is True
        assert [h["row"] for h in disk.search.find("visits")] == [row]
    store.undo(ops)
    interview = store.reads.interview(row)
    assert interview is not None and interview.notes == "" and interview.consent is False


def test_cases_are_linked_and_unlinked(store: Store) -> None:
    row = create_interview(store)[0].row
    case = store.insert("cases", {"ref": "X000001", "organisation": "NPS"})
    linked = link_case(store, row, case)
    assert store.reads.interview(row).case_ids == (case,)  # type: ignore[union-attr]
    assert link_case(store, row, case) == []  # already linked
    link_case(store, row, case, present=False)
    assert store.reads.interview(row).case_ids == ()  # type: ignore[union-attr]
    with pytest.raises(UserError, match="no longer"):
        link_case(store, row, "gone")
    assert linked[0].entity == "interview_cases"


def test_delete_and_undo_brings_it_back(store: Store) -> None:
    row = create_interview(store)[0].row
    ops = delete_interview(store, row)
    with Store.open(store.path) as disk:
        assert disk.reads.interview(row) is None
    store.undo(ops)
    assert store.reads.interview(row) is not None
