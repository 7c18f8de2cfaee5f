"""Saying things in the user's words (issue 15, item 1), dates (item 5), roles (item 4):
conflicts described by case, question and label with member names; questions named by
number and text; labels and UK dates accepted wherever a value is typed; the case
sample's labels, file-order errors and plurals; who counts as an inspector."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from fieldwork.core.casework import answering, conflicts, roles, wording
from fieldwork.core.casework.dates import parse_date, show_date, show_datetime, show_range
from fieldwork.core.casework.validation import parse_cli_value
from fieldwork.core.errors import UserError
from fieldwork.core.io import case_sample
from fieldwork.core.model import Member
from fieldwork.core.storage.store import Store
from fieldwork.core.sync import bundle
from tests.conftest import new_store

# ------------------------------------------------------------------ dates


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("2015-09-21", "2015-09-21"),
        ("21/09/2015", "2015-09-21"),
        ("21/9/2015", "2015-09-21"),
        ("21/09/15", "2015-09-21"),
        ("21-09-2015", "2015-09-21"),
        ("21.09.2015", "2015-09-21"),
        ("21 Sep 2015", "2015-09-21"),
        ("21 September 2015", "2015-09-21"),
        ("  1 sept 2016 ", "2016-09-01"),
        ("1/4/2016", "2016-04-01"),  # day first, as in the UK
    ],
)
def test_dates_are_read_the_ways_people_type_them(typed: str, stored: str) -> None:
    assert parse_date(typed) == stored


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("31/02/2015", "is not a day of the calendar"),
        ("2015-13-01", "is not a day of the calendar"),
        ("next tuesday", "is not a date: enter a date such as 21/09/2015 or 2015-09-21"),
        ("21 Smarch 2015", "'Smarch' is not a month"),
        ("", "is not a date"),
    ],
)
def test_a_date_that_is_not_one_is_refused_in_one_line(typed: str, says: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_date(typed)
    assert says in str(info.value) and "\n" not in str(info.value)


def test_dates_are_shown_one_way() -> None:
    assert show_date("2015-09-21") == "21 Sep 2015"
    assert show_date("2016-03-01") == "1 Mar 2016"
    assert show_date(None) == "" and show_date("", "—") == "—"
    assert show_date("not a date") == "not a date"
    assert show_range("2016-03-07", "2016-03-18") == "7 Mar 2016 to 18 Mar 2016"
    assert show_range(None, "2016-03-18") == "18 Mar 2016"
    local = dt.datetime(2016, 3, 8, 18, 2).astimezone()
    assert show_datetime(local.isoformat()) == "8 Mar 2016 18:02"


# ------------------------------------------------------------------ typed values


@pytest.fixture
def store(tmp_path: Path):
    s = new_store(tmp_path / "w.fieldwork")
    yield s
    s.close()


@pytest.mark.parametrize(
    ("qid", "typed", "value"),
    [
        ("sentence_type", "Community Order", "community_order"),
        ("sentence_type", "community order", "community_order"),
        ("sentence_type", "LICENCE", "licence"),
        ("mappa_level", "Level 2", "level_2"),
        ("requirements", "Unpaid work; Drug treatment", ["unpaid_work", "drug_treatment"]),
        ("requirements", "unpaid_work drug_treatment", ["unpaid_work", "drug_treatment"]),
        ("domestic_abuse", "Yes", "yes"),
        ("2.1.1a", "Not applicable", "na"),
        ("2.1.1a", "N/A", "na"),
        ("start_date", "21/09/2015", "2015-09-21"),
    ],
)
def test_labels_and_uk_dates_are_taken_where_values_are_typed(
    store: Store, qid: str, typed: str, value: object
) -> None:
    question = store.reads.form().question(qid)
    assert question is not None
    assert parse_cli_value(question, typed) == value


def test_a_label_the_form_lacks_is_refused(store: Store) -> None:
    question = store.reads.form().question("mappa_level")
    with pytest.raises(ValueError, match="has no choice 'Level 9'|has no choice 'Level'"):
        parse_cli_value(question, "Level 9")  # type: ignore[arg-type]


# ------------------------------------------------------------------ questions in words


def test_questions_are_named_by_number_and_text(store: Store) -> None:
    form = store.reads.form()
    prompt = form.sections[3].key_questions[1].prompts[0]
    assert wording.question_title(form, prompt.id) == f"{prompt.id} {prompt.text}"
    assert wording.question_title(form, "mappa_level") == "MAPPA level"
    assert wording.question_short(form, "2.4/improvements") == (
        "areas for improvement in 2.4 Reviewing"
    )
    assert wording.answer_action(form, prompt.id, "A488417") == (
        f"answer to {prompt.id} (case A488417)"
    )
    note = wording.answer_action(form, "2.4/improvements", "A488417")
    assert note == "areas for improvement in 2.4 Reviewing (case A488417)"
    assert "/" not in note
    assert wording.answer_action(form, "2.4.2", "A1", "judgement") == "judgement on 2.4.2 (case A1)"
    assert wording.value_words(form, "mappa_level", "level_2") == "Level 2"
    assert wording.value_words(form, "2.1.1a", "na") == "Not applicable"
    assert wording.value_words(form, "start_date", "2015-09-21") == "21 Sep 2015"
    assert wording.value_words(form, "requirements", ["unpaid_work"]) == "Unpaid work"
    assert wording.count(1, "case") == "1 case" and wording.count(2, "case") == "2 cases"


# ------------------------------------------------------------------ conflicts in words


@pytest.fixture
def pair(tmp_path: Path):
    """Two laptops that answered the same questions differently, the lead's bundle in."""
    lead = new_store(tmp_path / "lead.fieldwork", author_name="Gwen Pryce")
    case_id = lead.insert("cases", {"ref": "A488417", "organisation": "NPS"})
    bundle.export_bundle(lead, tmp_path / "setup.bundle")
    mate, _ = bundle.join_from_bundle(
        tmp_path / "setup.bundle", tmp_path / "mate.fieldwork", None, member_name="Sam Ellis"
    )
    for store, mappa, when in ((lead, "level_1", "2015-09-21"), (mate, "level_2", "2015-09-22")):
        case = store.reads.case(case_id)
        assert case is not None
        answering.answer(store, case, "mappa_level", mappa)
        answering.answer(store, case, "start_date", when)
    bundle.export_bundle(lead, tmp_path / "lead.bundle")
    bundle.import_bundles(mate, [tmp_path / "lead.bundle"])
    yield lead, mate, case_id
    lead.close()
    mate.close()


def test_a_conflict_is_described_in_the_users_words(pair) -> None:
    _, mate, _ = pair
    found = {conflicts.question_id_of(mate, c): c for c in mate.reads.conflicts()}
    words = conflicts.describe(mate, found["mappa_level"])
    assert words.where == "Case A488417" and words.what == "MAPPA level"
    assert {s.words for s in words.sides} == {"Level 1", "Level 2"}
    # Sam's laptop has asked to join and the lead has not yet admitted it: said so.
    assert {s.who for s in words.sides} == {"Gwen Pryce", "Sam Ellis (asking to join)"}
    assert ("level_3", "Level 3") in words.choices and not words.typed
    text = "\n".join(words.lines())
    assert "level_" not in text
    for side in found["mappa_level"].heads:  # no device id, no member id
        assert side.device[:8] not in text and side.author[:8] not in text
    assert words.action == "resolve the conflict on MAPPA level (case A488417)"
    dates = conflicts.describe(mate, found["start_date"])
    assert {s.words for s in dates.sides} == {"21 Sep 2015", "22 Sep 2015"} and dates.typed


def test_a_typed_value_is_read_as_the_editor_reads_it_and_checked(pair) -> None:
    _, mate, case_id = pair
    found = {conflicts.question_id_of(mate, c): c for c in mate.reads.conflicts()}
    c = found["start_date"]
    assert conflicts.parse_typed(mate, c, "23/09/2015") == "2015-09-23"
    with pytest.raises(UserError, match="takes a date"):
        conflicts.parse_typed(mate, c, "soon")
    assert conflicts.problem(mate, found["mappa_level"], "level_9")
    with pytest.raises(UserError, match="Not resolved"):
        conflicts.resolve(mate, found["mappa_level"].id, "level_9")
    conflicts.resolve(mate, c.id, conflicts.parse_typed(mate, c, "23/09/2015"))
    assert mate.reads.answers(case_id)["start_date"].value == "2015-09-23"


# ------------------------------------------------------------------ the case sample


def test_case_sample_takes_labels_and_lists_problems_in_file_order(store: Store) -> None:
    text = (
        "ref,organisation,sentence_type,risk_level,start_date\n"
        "Z000001,NPS,Community Order,High,21/09/2015\n"
        "Z000002,Elsewhere,licence,low,2015-09-21\n"
        'Z000003,CRC,"Suspended\nsentence order",Nonsense,2015-09-21\n'
        "Z000004,NPS,licence,low,31/02/2015\n"
        "Z000001,CRC,licence,low,2015-09-21\n"
    )
    sample = case_sample.parse_sample(store, text)
    assert [e.split(":")[0] for e in sample.errors] == ["line 3", "line 4", "line 6", "line 7"]
    assert "Elsewhere" in sample.errors[0] and "Nonsense" in sample.errors[1]
    assert "also on line 2" in sample.errors[3]
    good = sample.rows[0]
    assert good.attributes == {
        "sentence_type": "community_order",
        "risk_level": "high",
        "start_date": "2015-09-21",
    }


def test_the_cli_lists_problems_in_file_order_then_one_line(tmp_path: Path, capsys) -> None:
    from fieldwork.cli import main

    path = tmp_path / "s.fieldwork"
    new_store(path).close()
    bad = tmp_path / "bad.csv"
    bad.write_text("ref,organisation\nZ000001,Nowhere\nnope,NPS\n", encoding="utf-8")
    assert main(["cases", "import", str(path), str(bad)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].strip().startswith("line 2:") and err[1].strip().startswith("line 3:")
    assert err[-1].startswith("fieldwork: error:") and "2 lines above have problems" in err[-1]
    good = tmp_path / "good.csv"
    good.write_text("ref,organisation,sentence_type\nZ000001,NPS,Licence\n", encoding="utf-8")
    assert main(["cases", "import", str(path), str(good)]) == 0
    assert capsys.readouterr().out.strip() == "Imported 1 case."


# ------------------------------------------------------------------ roles


def test_headquarters_is_a_recipient_not_an_inspector() -> None:
    team = [
        Member("a", "Siân", "lead"),
        Member("b", "Gwen", "inspector"),
        Member("c", "Łukasz", "inspector"),
        Member("d", "Ffion", "local_assessor"),
        Member("e", "Headquarters", "headquarters", "age1x"),
        Member("f", "Older file", None),
    ]
    assert [m.name for m in roles.reviewers(team)] == [
        "Siân",
        "Gwen",
        "Łukasz",
        "Ffion",
        "Older file",
    ]
    assert roles.team_size(team) == 5
    assert roles.team_words(team) == "1 lead inspector, 3 inspectors and 1 local assessor"
    assert roles.role_words("lead") == "Lead inspector"
    assert roles.role_words("headquarters") == "Headquarters"
    assert roles.name_with_role(team[0]) == "Siân (lead inspector)"
    assert roles.name_with_role(team[1]) == "Gwen"


def test_the_report_counts_inspectors_not_headquarters(tmp_path: Path) -> None:
    from fieldwork.core.report import gather
    from fieldwork.core.sync.crypto import new_identity_file

    store = new_store(tmp_path / "r.fieldwork")
    store.insert("members", {"name": "Gwen", "role": "inspector"})
    _, public = new_identity_file()
    bundle.add_recipient(store, public, "Headquarters")
    data = gather(store)
    store.close()
    assert data.methodology.team_size == 2  # the lead (Tester) and Gwen


def test_a_case_review_pdf_shows_dates_the_uk_way() -> None:
    from fieldwork.core.forms.loader import Question
    from fieldwork.core.report.case_pdf import answer_text

    assert answer_text(Question("start_date", "Start", "date"), "2015-09-21") == "21 Sep 2015"
    assert answer_text(Question("note", "Note", "text"), "2015-09-21") == "2015-09-21"
