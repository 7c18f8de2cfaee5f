"""A teammate's bundle cannot put a value the form refuses into an answer: the import is
refused in one line, naming who and which case, and nothing changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldwork.core.errors import BundleError
from fieldwork.core.sync import bundle
from tests.conftest import new_store


def test_an_answer_the_form_refuses_is_refused_with_the_bundle(tmp_path: Path) -> None:
    lead = new_store(tmp_path / "lead.fieldwork")
    case = lead.insert("cases", {"ref": "X123456", "organisation": "NPS"})
    bundle.export_bundle(lead, tmp_path / "setup.zip")
    mate, _ = bundle.join_from_bundle(
        tmp_path / "setup.zip", tmp_path / "mate.fieldwork", None, member_name="Sam"
    )
    mate.set_answer(case, "2.1.1a", "yes")
    mate.set_answer(case, "2.1.1b", "maybe")  # well-typed in a bundle; no yes/no/n.a.
    bundle.export_bundle(mate, tmp_path / "careless.zip")
    before = lead.audit.dump()
    with pytest.raises(BundleError) as refused:
        bundle.import_bundles(lead, [tmp_path / "careless.zip"])
    message = str(refused.value)
    assert "\n" not in message and "Sam" in message and "X123456" in message
    assert "2.1.1b" in message and "maybe" in message
    assert lead.audit.dump() == before  # nothing of it, not even the good answer
    mate.set_answer(case, "2.1.1b", "no")  # put right, the next bundle goes in
    bundle.export_bundle(mate, tmp_path / "fixed.zip")
    bundle.import_bundles(lead, [tmp_path / "fixed.zip"])
    answers = lead.reads.answers(case)
    assert (answers["2.1.1a"].value, answers["2.1.1b"].value) == ("yes", "no")
    mate.close()
    lead.close()


def test_a_bad_value_already_held_does_not_block_later_bundles(tmp_path: Path) -> None:
    lead = new_store(tmp_path / "lead.fieldwork")
    case = lead.insert("cases", {"ref": "X123456", "organisation": "NPS"})
    lead.set_answer(case, "2.1.1b", "maybe")  # as an older release could let in
    bundle.export_bundle(lead, tmp_path / "setup.zip")
    mate, _ = bundle.join_from_bundle(
        tmp_path / "setup.zip", tmp_path / "mate.fieldwork", None, member_name="Sam"
    )
    mate.set_answer(case, "2.1.1a", "yes")
    bundle.export_bundle(mate, tmp_path / "evening.zip")  # carries the old op as well
    bundle.import_bundles(lead, [tmp_path / "evening.zip"])  # judged on what is new only
    assert lead.reads.answers(case)["2.1.1a"].value == "yes"
    mate.close()
    lead.close()
