"""REFI-QDA export: the project validates against the corpus's Project.xsd, reads back to
the same quotes, tags and links, keeps consent and redaction, and is the same every time."""

from __future__ import annotations

import uuid
import zipfile

import pytest
import xmlschema
from defusedxml import ElementTree as DET

from fieldwork.cli import main
from fieldwork.core.io import qdpx
from fieldwork.core.io.exports import CASE_REF_WARNING
from fieldwork.core.io.text_edits import Cleaned
from fieldwork.core.report.report import Redactor, pseudonyms
from tests.conftest import new_store
from tests.interop.corpus import corpus_dir
from tests.interop.refi import NS, read_qdpx, validate

OFFICER = "Octavia Plimsoll"
SECRET = "Unconsented words that must never leave the laptop"
OFFICER_NOTES = (
    "Opening remarks.\r\nThe officer said the plan was agreed with Octavia Plimsoll's\r\n"
    "manager for case X123456 — a good plan 👍 with clear goals.\r\nStaff morale is low."
)
PERSON_NOTES = "I see my officer every week.\nShe helped me find a flat near Bangor."


def _quote(store, interview_id, notes, passage, tags, occurrence=0):
    start = -1
    for _ in range(occurrence + 1):
        start = notes.find(passage, start + 1)
    assert start >= 0
    qid = store.insert("quotes", {"interview_id": interview_id, "start": start,
                                  "end": start + len(passage), "text": passage})  # fmt: skip
    for tag in tags:
        store.link("quote_tags", qid, store.tag_id(tag))
    return qid


def build(path):
    store = new_store(path, author_name="Tester")
    with store.transaction():
        store.insert("members", {"name": "Gwenllïan Ŵyn", "role": "inspector"})
        c1 = store.insert("cases", {"ref": "X123456", "organisation": "NPS", "officer": OFFICER})
        c2 = store.insert(
            "cases", {"ref": "Y654321", "organisation": "CRC", "officer": "Ann Other"}
        )
        store.insert("cases", {"ref": "Z111111", "organisation": "CRC"})
        officer = store.insert("interviews", {
            "kind": "officer", "date": "2016-03-08", "organisation": "NPS",
            "title": f"Interview with {OFFICER}", "consent": False, "notes": OFFICER_NOTES,
            "author": store.author})  # fmt: skip
        store.link("interview_cases", officer, c1)
        person = store.insert("interviews", {
            "kind": "person", "date": "2016-03-09", "organisation": "CRC", "title": "Person 1",
            "consent": True, "notes": PERSON_NOTES, "author": store.author})  # fmt: skip
        store.link("interview_cases", person, c2)
        refused = store.insert("interviews", {
            "kind": "person", "date": "2016-03-10", "organisation": "CRC", "title": "Person 2",
            "consent": False, "notes": f"Context. {SECRET}.", "author": store.author})  # fmt: skip
        store.link("interview_cases", refused, c1)
        ids = {
            "plan": _quote(
                store,
                officer,
                OFFICER_NOTES,
                "the plan was agreed with Octavia Plimsoll's\r\nmanager for case X123456",
                ["2.1 Assessment"],
            ),  # fmt: skip
            "goals": _quote(
                store,
                officer,
                OFFICER_NOTES,
                "a good plan 👍 with clear goals",
                ["2.1 Assessment", "staff morale"],
            ),  # fmt: skip
            "overlap": _quote(store, officer, OFFICER_NOTES, "plan 👍 with", ["staff morale"]),
            "morale": _quote(
                store, officer, OFFICER_NOTES, "Staff morale is low.", ["staff morale"]
            ),
            "flat": _quote(
                store, person, PERSON_NOTES, "She helped me find a flat", ["2.2 Planning"]
            ),
            "secret": _quote(store, refused, f"Context. {SECRET}.", SECRET, ["staff morale"]),
        }
        stale = store.insert("quotes", {"interview_id": person, "start": 0, "end": 5,
                                        "text": "words since deleted"})  # fmt: skip
        finding = store.insert("findings", {"standard_id": "2.1", "organisation": "NPS",
                                            "kind": "strength", "position": 1,
                                            "text": f"Plans were agreed with managers such as {OFFICER}."})  # fmt: skip
        for key in ("plan", "flat", "secret"):
            store.link("finding_quotes", finding, ids[key])
    return store, ids, finding, stale


@pytest.fixture
def exported(tmp_path):
    store, ids, finding, stale = build(tmp_path / "i.fieldwork")
    project = qdpx.export_qdpx(store, tmp_path / "out.qdpx")
    yield store, ids, finding, stale, project, tmp_path / "out.qdpx"
    store.close()


def test_project_validates_against_the_refi_schema(exported):
    *_, path = exported
    validate(read_qdpx(path).xml)


def test_the_corpus_sample_validates_and_the_invalid_one_fails_the_same_way():
    refi = corpus_dir() / "refi-qda"
    validate(refi / "qdpx-toolkit_hand_authored" / "project.qde")
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        validate(refi / "invalid" / "qdpx-toolkit_hand_authored_ecbddf83.qde")


def test_reading_back_gives_the_same_quotes_tags_and_links(exported):
    store, ids, finding, stale, project, path = exported
    back = read_qdpx(path)
    names = [m.name for m in store.reads.members()] + [c.officer for c in store.reads.cases()]
    redact = Redactor(names)
    tag_guid = {name: g for g, name in back.codes.items()}
    assert back.branches == {"Standards": ["2.1 Assessment", "2.2 Planning"],
                             "Themes": ["staff morale"]}  # fmt: skip
    kept = {q.id: q for q in store.reads.quotes() if q.id not in (ids["secret"], stale)}
    assert set(back.selections) == {str(uuid.UUID(q)) for q in kept}
    for qid, q in kept.items():
        sel = back.selections[str(uuid.UUID(qid))]
        # the selection slices the exported source to the quote's text, exactly
        assert sel["text"] == redact(q.text.replace("\r\n", "\n"))
        assert sorted(sel["codes"]) == sorted(tag_guid[t] for t in q.tags)
        expected_notes = [str(uuid.UUID(finding))] if qid in (ids["plan"], ids["flat"]) else []
        assert sel["notes"] == expected_notes
    plan = back.selections[str(uuid.UUID(ids["plan"]))]["text"]
    assert plan == "the plan was agreed with [name removed]'s\nmanager for case [case]"
    goals = back.selections[str(uuid.UUID(ids["goals"]))]["text"]
    assert goals == "a good plan 👍 with clear goals"  # code points, not UTF-16 units
    assert back.notes == {
        str(uuid.UUID(finding)): "Plans were agreed with managers such as [name removed]."
    }
    alias = pseudonyms(c.id for c in store.reads.cases())
    by_ref = {c.ref: c.id for c in store.reads.cases()}
    officer_source, person_source = (str(uuid.UUID(i.id)) for i in store.reads.interviews()[:2])
    assert back.cases == {alias[by_ref["X123456"]]: [officer_source],
                          alias[by_ref["Y654321"]]: [person_source]}  # fmt: skip
    assert set(back.sets) == {"NPS", "CRC"}
    assert all("\r" not in t for t in back.texts.values())
    assert project.left_out == [
        "a quote no longer found in its notes (2016-03-09 Person 1)",
        "1 interview with a person on probation who has not consented (notes and quotes)",
    ]


def test_no_case_reference_officer_name_or_unconsented_word_leaves(exported):
    *_, path = exported
    with zipfile.ZipFile(path) as z:
        blob = b"".join(z.read(n) for n in z.namelist()).decode("utf-8")
    for forbidden in ("X123456", "Y654321", "Z111111", OFFICER, "Ann Other", SECRET, "Context."):
        assert forbidden not in blob
    assert "Gwenllïan Ŵyn" in blob  # team members are the project's users


def test_the_same_inspection_exports_the_same_bytes(exported, tmp_path):
    store, *_, path = exported
    again = qdpx.export_qdpx(store, tmp_path / "again.qdpx")
    assert (tmp_path / "again.qdpx").read_bytes() == path.read_bytes()
    assert again.sources[0].guid == str(uuid.UUID(store.reads.interviews()[0].id))
    with zipfile.ZipFile(path) as z:
        assert z.namelist()[0] == "project.qde"
        assert all(n == "project.qde" or n.startswith("Sources/") for n in z.namelist())


def test_codebook_alone_as_qdc(exported, tmp_path):
    store, *_ = exported
    qdpx.export_qdc(store, tmp_path / "tags.qdc")
    root = DET.fromstring((tmp_path / "tags.qdc").read_bytes())
    assert root.tag == "{urn:QDA-XML:codebook:1.0}CodeBook"
    codes = [c.get("name") for c in root.iter("{urn:QDA-XML:codebook:1.0}Code")]
    assert codes == ["Standards", "2.1 Assessment", "2.2 Planning", "Themes", "staff morale"]
    # the same codes validate as a project's CodeBook (the codebook schema is not in the corpus)
    inner = (tmp_path / "tags.qdc").read_text(encoding="utf-8").split("<Codes>", 1)[1]
    wrapped = f'<Project xmlns="{NS["q"]}" name="x"><CodeBook><Codes>{inner.split("</CodeBook>")[0]}</CodeBook></Project>'
    validate(wrapped.encode("utf-8"))


def test_export_commands_print_the_personal_data_warning(tmp_path, capsys):
    build(tmp_path / "i.fieldwork")[0].close()
    code = main(["export", "qdpx", str(tmp_path / "i.fieldwork"), str(tmp_path / "o.qdpx")])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.strip() == f"{tmp_path / 'o.qdpx'}: 2 interviews, 5 quotes, 3 codes, 1 findings"
    assert CASE_REF_WARNING in err
    assert "left out: 1 interview with a person on probation who has not consented" in err
    code = main(["export", "qdc", str(tmp_path / "i.fieldwork"), str(tmp_path / "o.qdc")])
    out, err = capsys.readouterr()
    assert code == 0 and CASE_REF_WARNING in err and out.strip().endswith("3 codes")
    code = main(["export", "qdpx", str(tmp_path / "i.fieldwork"), str(tmp_path / "o.zip")])
    assert code == 1 and "must end in .qdpx" in capsys.readouterr().err


def test_a_passage_cut_inside_a_name_still_covers_its_redaction():
    notes = "Ask Octavia Plimsoll now\r\nor case A123456 later"
    cleaned = Cleaned(notes, [OFFICER])
    assert cleaned.text == "Ask [name removed] now\nor case [case] later"
    s, e = cleaned.span(notes.index("Plimsoll"), notes.index("A123456") + 7)
    assert cleaned.text[s:e] == "[name removed] now\nor case [case]"
    s, e = cleaned.span(notes.index("A123"), notes.index("56 later") + 1)
    assert cleaned.text[s:e] == "[case]"
    s, e = cleaned.span(notes.index("now"), notes.index("or case"))  # ends after the CRLF
    assert cleaned.text[s:e] == "now\n"
