"""What maps from an XLSForm, what is refused (one line: sheet, row, column, feature) and
what hostile workbooks get."""

from __future__ import annotations

import io
import zipfile

import pytest

from fieldwork.core.io.xlsform_read import import_xlsform
from fieldwork.core.io.xlsform_sheets import XLSFormError
from tests.interop.workbooks import YES_NO, workbook

HEAD = ("type", "name", "label")


def refused(path) -> str:
    with pytest.raises(XLSFormError) as info:
        import_xlsform(path)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{path}: ")
    return message.removeprefix(f"{path}: ")


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [
                HEAD,
                ("text", "a", "A"),
                ("begin_repeat", "r", "R"),
                ("text", "b", "B"),
                ("end_repeat",),
            ],
            "survey row 3, type: repeats are not supported",
        ),
        (
            [HEAD, ("select_one yn or_other", "a", "A")],
            "survey row 2, type: or_other (an 'other' choice with its own text) is not supported",
        ),
        (
            [HEAD, ("select_one_from_file places.csv", "a", "A")],
            "survey row 2, type: external selects (choices from a file or another sheet) are not supported",
        ),
        (
            [HEAD, ("image", "a", "A")],
            "survey row 2, type: media questions (image) are not supported",
        ),
        (
            [HEAD, ("geotrace", "a", "A")],
            "survey row 2, type: geo questions (geotrace) are not supported",
        ),
        (
            [HEAD, ("dateTime", "a", "A")],
            "survey row 2, type: dateTime questions are not supported",
        ),
        ([HEAD, ("colour", "a", "A")], "survey row 2, type: unknown question type 'colour'"),
        (
            [(*HEAD, "choice_filter"), ("select_one yn", "a", "A", "x=1")],
            "survey row 2, choice_filter: choice filters are not supported",
        ),
        (
            [(*HEAD, "constraint"), ("text", "a", "A", "regex(., '^[A-Z]')")],
            "survey row 2, constraint: regex() is not supported",
        ),
        (
            [(*HEAD, "relevant"), ("text", "a", "A", "${b} = 'yes'"), ("select_one yn", "b", "B")],
            "survey row 2, relevant: relevant refers to ${b}, which comes later in the form",
        ),
        (
            [
                (*HEAD, "relevant"),
                ("select_one yn", "b", "B"),
                ("text", "a", "A", "${b} = 'maybe'"),
            ],
            "survey row 3, relevant: relevant compares ${b} with 'maybe', which is not one of its choices",
        ),
        (
            [(*HEAD, "required"), ("text", "a", "A", "${b} != ''")],
            "survey row 2, required: a condition is not supported here: write yes or no",
        ),
        (
            [HEAD, ("text", "a", "A"), ("integer", "a", "Again")],
            "survey row 3, name: 'a' is already used on survey row 2",
        ),
        (
            [HEAD, ("text", "a b", "A")],
            "survey row 2, name: 'a b' cannot be an id: use letters, digits, _ . and -, starting with a letter or digit, up to 64",
        ),
        (
            [HEAD, ("select_one colours", "a", "A")],
            "survey row 2, type: the choice list 'colours' is not on the choices sheet",
        ),
        (
            [HEAD, ("begin_group", "g", "G"), ("text", "a", "A")],
            "survey row 2, type: the group 'g' is never ended",
        ),
        (
            [HEAD, ("text", "a", "A"), ("end_group",)],
            "survey row 3, type: end of a group that was never begun",
        ),
        ([("name", "label"), ("a", "A")], "survey row 1: the survey sheet has no type column"),
    ],
)
def test_unsupported_features_are_refused_in_one_line(tmp_path, rows, message):
    assert refused(workbook(tmp_path / "f.xlsx", rows, YES_NO)) == message


def test_a_bad_choice_name_names_the_choices_row(tmp_path):
    choices = [*YES_NO, ("colours", "dark red", "Dark red")]
    path = workbook(tmp_path / "f.xlsx", [HEAD, ("select_one colours", "a", "A")], choices)
    assert refused(path) == (
        "choices row 4, name: 'dark red' cannot be a choice id: use letters, digits, _ . and -, "
        "starting with a letter or digit"
    )


def test_the_instrument_structure_maps_to_ours(tmp_path):
    survey = [
        (
            "type",
            "name",
            "label::English (en)",
            "label::Cymraeg (cy)",
            "hint::English (en)",
            "relevant",
            "required",
            "constraint",
            "constraint_message::English (en)",
            "calculation",
            "fieldwork::id",
            "fieldwork::lens",
            "fieldwork::question",
        ),
        ("select_one risk", "risk", "Risk level", "Lefel risg", None, None, "yes"),
        ("note", "intro", "Read this first"),
        (
            "begin_group",
            "s1",
            "Assessment",
            "Asesiad",
            None,
            "${risk} != 'low'",
            None,
            None,
            None,
            None,
            "2.1",
            None,
            "Is assessment good enough?",
        ),
        (
            "begin_group",
            "k1",
            "Engaging",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "2.1.1",
            "engaging",
        ),
        (
            "select_one yn",
            "q1",
            "Was the person involved?",
            "A oedd",
            "Tick one",
            None,
            "yes",
            None,
            None,
            None,
            "2.1.1a",
        ),
        (
            "integer",
            "n",
            "How many meetings?",
            None,
            None,
            "${q1} = 'yes'",
            None,
            ". >= 0",
            "Zero or more",
        ),
        ("calculate", "twice", "Twice", None, None, None, None, None, None, "${n} * 2"),
        ("begin_group", "deep", "Deeper"),
        ("select_multiple needs", "needs", "Needs"),
        ("end_group",),
        ("end_group",),
        ("text", "loose", "Anything else?"),
        ("end_group",),
    ]
    choices = [
        ("list_name", "name", "label::English (en)"),
        *YES_NO[1:],
        ("risk", "low", "Low"),
        ("risk", "high", "High"),
        ("needs", "housing", "Housing"),
        ("needs", "work", "Work"),
    ]
    settings = [
        ("form_title", "form_id", "version", "default_language"),
        ("Pilot instrument", "Pilot_Form", "3", "English (en)"),
    ]
    result = import_xlsform(workbook(tmp_path / "f.xlsx", survey, choices, settings=settings))
    form = result.form
    assert (form.id, form.title, form.version) == ("pilot-form", "Pilot instrument", 3)
    assert [q.id for q in form.attributes] == ["risk"]
    assert form.attributes[0].required and form.attributes[0].type == "single"
    section = form.sections[0]
    assert (section.id, section.title, section.question) == (
        "2.1",
        "Assessment",
        "Is assessment good enough?",
    )
    kq, loose = section.key_questions
    assert (kq.id, kq.text, kq.lens) == ("2.1.1", "Engaging", "engaging")
    assert [p.id for p in kq.prompts] == ["2.1.1a", "n", "twice", "needs"]
    q1, n, twice, needs = kq.prompts
    assert (q1.type, q1.hint, q1.required) == ("yes_no", "Tick one", True)
    assert q1.relevant == "${risk} != 'low'"  # the group's relevant, on each question
    assert n.relevant == "(${risk} != 'low') and (${2.1.1a} = 'yes')"
    assert (n.constraint, n.constraint_message) == ("(. >= 0) and . mod 1 = 0", "Zero or more")
    assert (twice.type, twice.calculate) == ("number", "${n} * 2")
    assert needs.type == "multiple" and [c.id for c in needs.choices] == ["housing", "work"]
    assert (loose.id, [p.id for p in loose.prompts]) == ("2.1.2", ["loose"])
    assert "survey row 3: notes are not questions: left out" in result.warnings
    assert (
        "survey row 9: a group inside a key question: its questions join the key question"
        in result.warnings
    )
    assert "the form keeps English (en); labels in Cymraeg (cy) were left out" in result.warnings
    assert "# survey row 6" in result.yaml


def test_headers_and_sheet_names_are_matched_whatever_their_case(tmp_path):
    path = workbook(tmp_path / "f.xlsx", [("TYPE", "NAME", "LABEL"), ("Text", "a", "A")],
                    title="SURVEY")  # fmt: skip
    assert import_xlsform(path).form.question("a").type == "text"


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_entities_in_a_workbook_part_are_refused(tmp_path):
    good = workbook(tmp_path / "good.xlsx", [HEAD, ("text", "a", "A")])
    with zipfile.ZipFile(good) as z:
        members = {n: z.read(n) for n in z.namelist()}
    bomb = (b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>')  # fmt: skip
    body = members["xl/workbook.xml"]
    members["xl/workbook.xml"] = bomb + (
        body.split(b"?>", 1)[1] if body.startswith(b"<?") else body
    )
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(_zip(members))
    assert refused(path) == (
        "part xl/workbook.xml declares XML entities (a DTD), which are refused"
    )


def test_not_a_workbook_and_a_zip_that_is_not_one(tmp_path):
    text = tmp_path / "notes.xlsx"
    text.write_text("type,name,label\n")
    assert refused(text) == "is not an Excel workbook (.xlsx)"
    other = tmp_path / "other.xlsx"
    other.write_bytes(_zip({"readme.txt": b"hello"}))
    assert refused(other) == "is a zip file but not an Excel workbook (.xlsx)"
    assert refused(tmp_path / "absent.xlsx") == "no such file"


def test_a_zip_bomb_part_is_refused_before_it_is_read(tmp_path):
    good = workbook(tmp_path / "good.xlsx", [HEAD, ("text", "a", "A")])
    with zipfile.ZipFile(good) as z:
        members = {n: z.read(n) for n in z.namelist()}
    members["xl/media/zeros.bin"] = b"\0" * (30 << 20)
    path = tmp_path / "bomb.xlsx"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    path.write_bytes(buf.getvalue())
    assert refused(path) == "part xl/media/zeros.bin unpacks too large"
