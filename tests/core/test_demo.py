"""The demo inspection: realistic, invented, reproducible, written through the write path."""

from __future__ import annotations

import re
from pathlib import Path

from fieldwork.core.casework import answering
from fieldwork.core.demo.generator import make_demo
from fieldwork.core.storage.store import Store
from tests.conftest import PASSPHRASE


def test_same_seed_gives_the_same_inspection(tmp_path: Path) -> None:
    a = make_demo(tmp_path / "a.fieldwork", cases=25, interviews=5, seed=4)
    b = make_demo(tmp_path / "b.fieldwork", cases=25, interviews=5, seed=4)
    c = make_demo(tmp_path / "c.fieldwork", cases=25, interviews=5, seed=5)

    def content(store: Store) -> dict:
        data = store.audit.dump()
        for m in data["members"]:
            m.pop("public_key")  # each laptop's own age key is random by design
            m.pop("signing_key")  # and so is its signing key
        return data

    assert content(a) == content(b)
    assert content(a)["cases"] != content(c)["cases"]
    for s in (a, b, c):
        s.close()


def test_demo_is_realistic(tmp_path: Path) -> None:
    store = make_demo(tmp_path / "d.fieldwork", cases=120, interviews=20, seed=1)
    cases = store.reads.cases()
    assert len(cases) == 120
    assert {c.organisation for c in cases} == {"NPS", "CRC"}
    assert all(re.fullmatch(r"[A-Z]\d{6}", c.ref) for c in cases)
    assert len({c.ref for c in cases}) == 120
    statuses = {c.status for c in cases}
    assert {"complete", "draft", "not_started"} <= statuses
    assert len({c.office for c in cases}) >= 4
    assert len(store.reads.members()) == 6
    names = " ".join(m.name for m in store.reads.members())
    for letter in "ŵŷłé":
        assert letter in names.lower()
    for case in cases:
        if case.status in ("complete", "reviewed"):
            assert answering.problems(store, case.id) == []
    interviews = store.reads.interviews()
    assert len(interviews) == 20
    assert all(i.notes.count("\n\n") >= 2 for i in interviews)
    quotes = store.reads.quotes()
    assert quotes and all(q.tags for q in quotes)
    assert any(t[0].isdigit() for q in quotes for t in q.tags)  # tagged with a standard
    for q in quotes:  # a quote is a passage of its interview's notes
        notes = next(i.notes for i in interviews if i.id == q.interview_id)
        assert notes[q.start : q.end] == q.text
    assert store.reads.findings() and store.reads.recommendations()
    # every row came through the write path: the log rebuilds the same state
    copy = Store.create_empty(tmp_path / "copy.fieldwork")
    copy.add_form(store.reads.form().source)
    copy.apply_ops(store.audit.ops())
    assert copy.audit.dump() == store.audit.dump()
    store.close()
    copy.close()


def test_one_organisation_is_weaker(tmp_path: Path) -> None:
    store = make_demo(tmp_path / "d.fieldwork", cases=200, interviews=6, seed=2)
    yes = {"NPS": [0, 0], "CRC": [0, 0]}
    values = store.reads.answer_values()
    for case in store.reads.cases():
        for qid, v in values.get(case.id, {}).items():
            if qid.startswith("2.2.") and len(qid) == 6 and v in ("yes", "no"):
                yes[case.organisation][0] += v == "yes"
                yes[case.organisation][1] += 1
    assert yes["CRC"][0] / yes["CRC"][1] < yes["NPS"][0] / yes["NPS"][1]
    store.close()


def test_demo_is_encrypted_when_a_passphrase_is_given(tmp_path: Path) -> None:
    path = tmp_path / "e.fieldwork"
    make_demo(path, cases=5, interviews=2, passphrase=PASSPHRASE).close()
    assert not path.read_bytes().startswith(b"SQLite format 3")
    ref = Store.open(path, PASSPHRASE).reads.cases()[0].ref
    assert ref.encode() not in path.read_bytes()
