"""CSV and XLSX exports, formula safety, and reading the wide cases table back."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from fieldwork.core.errors import UserError
from fieldwork.core.io.exports import export_csv, export_xlsx, read_cell, safe_cell
from fieldwork.core.io.reviews_import import import_reviews
from tests.conftest import new_store

FORMULAS = [
    '=HYPERLINK("http://x","y")',
    "+1+2",
    "-2+3",
    "@SUM(A1)",
    "\tTab",
    "'quoted",
    "\rreturn",
]
WELSH = "Gwenllïan Ŵyn, Dafydd ap Llŷr, Łukasz"


def fill(store) -> None:
    with store.transaction():
        for i in range(8):
            cid = store.insert(
                "cases",
                {
                    "ref": f"X12345{i}",
                    "organisation": "NPS" if i % 2 else "CRC",
                    "office": "Bangor",
                    "officer": "Octavia Plimsoll",
                    "status": ("complete", "draft", "reviewed", "returned")[i % 4],
                    "qa_comment": 'Check, "quoted" text\nover two lines' if i == 3 else None,
                },
            )
            store.set_answer(cid, "sentence_type", "community_order")
            store.set_answer(cid, "requirements", ["unpaid_work", "drug_treatment"])
            store.set_answer(cid, "unpaid_work_hours", 120 + i)
            store.set_answer(cid, "start_date", "2015-06-0" + str(i + 1))
            store.set_answer(cid, "2.1.1a", "na" if i == 2 else "yes")
            store.set_answer(cid, "2.1.1", "yes")
            store.set_answer(
                cid, "2.1.2", "no", reason="Officer could not explain the plan." if i == 1 else None
            )
            note = FORMULAS[i % len(FORMULAS)] if i < len(FORMULAS) else WELSH
            store.set_answer(cid, "2.1/strengths", note)
        store.set_answer(cid, "2.2/improvements", "-3")


@pytest.fixture
def filled(tmp_path):
    store = new_store(tmp_path / "a.fieldwork")
    fill(store)
    yield store
    store.close()


def read_table(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def test_safe_cell_round_trip():
    for text in [*FORMULAS, "", "plain", "-3", "-2.5", "''", "'", "a=b", WELSH]:
        assert read_cell(safe_cell(text)) == text
    for text in FORMULAS:
        assert safe_cell(text).startswith("'")
    assert safe_cell("-3") == "-3" and safe_cell("-2.5") == "-2.5"


def test_csv_files_bom_and_cells(filled, tmp_path):
    out = tmp_path / "csv"
    written = export_csv(filled, out)
    assert sorted(p.name for p in written) == [
        "answers.csv",
        "cases.csv",
        "dictionary.csv",
        "interviews.csv",
        "quotes.csv",
    ]
    raw = (out / "cases.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = read_table(out / "cases.csv")
    header = rows[0]
    assert header[:6] == ["ref", "organisation", "office", "officer", "status", "qa_comment"]
    assert header.index("sentence_type") < header.index("2.1.1a") < header.index("2.1.1")
    assert header.index("2.1.1") + 1 == header.index("2.1.1/reason")
    by_ref = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    r0, r1, r2 = by_ref["X123450"], by_ref["X123451"], by_ref["X123452"]
    assert r0["requirements"] == "unpaid_work drug_treatment"
    assert r0["start_date"] == "2015-06-01"
    assert r0["unpaid_work_hours"] == "120"
    assert r2["2.1.1a"] == "na"
    assert r0["2.1.2/reason"] == "" and r1["2.1.2/reason"] == "Officer could not explain the plan."
    assert r0["2.2.1"] == ""  # unanswered is blank
    # Formula cells carry a leading quote in the file itself.
    assert r0["2.1/strengths"] == "'" + FORMULAS[0]
    assert by_ref["X123457"]["2.1/strengths"] == WELSH
    assert by_ref["X123457"]["2.2/improvements"] == "-3"
    dictionary = read_table(out / "dictionary.csv")
    cols = [r[0] for r in dictionary[1:]]
    assert cols == header
    kinds = {r[0]: r[1] for r in dictionary[1:]}
    assert kinds["2.1.1"] == "judgement" and kinds["2.1.1a"] == "prompt"
    long = read_table(out / "answers.csv")
    assert long[0] == ["ref", "question_id", "value", "comment", "reason"]
    assert ["X123451", "2.1.2", "no", "", "Officer could not explain the plan."] in long


def test_round_trip_through_a_new_file_gives_the_same_table(filled, tmp_path):
    export_csv(filled, tmp_path / "one")
    copy = new_store(tmp_path / "b.fieldwork")
    try:
        result = import_reviews(copy, tmp_path / "one" / "cases.csv")
        assert (result.created, result.updated) == (8, 0)
        export_csv(copy, tmp_path / "two")
        a = (tmp_path / "one" / "cases.csv").read_bytes()
        assert a == (tmp_path / "two" / "cases.csv").read_bytes()
        case = copy.reads.case_by_ref("X123450")
        answers = copy.reads.answers(case.id)
        assert answers["2.1/strengths"].value == FORMULAS[0]
        assert answers["unpaid_work_hours"].value == 120
        assert answers["requirements"].value == ["unpaid_work", "drug_treatment"]
        reason = copy.reads.answers(copy.reads.case_by_ref("X123451").id)["2.1.2"].reason
        assert reason == "Officer could not explain the plan."
        assert (
            copy.reads.case_by_ref("X123453").qa_comment == 'Check, "quoted" text\nover two lines'
        )
        # Importing the same table again changes nothing.
        again = import_reviews(copy, tmp_path / "one" / "cases.csv")
        assert again.answers_written == 0
    finally:
        copy.close()


def test_import_updates_and_clears(filled, tmp_path):
    export_csv(filled, tmp_path / "one")
    path = tmp_path / "one" / "cases.csv"
    rows = read_table(path)
    header = rows[0]
    row = next(r for r in rows if r[0] == "X123450")
    row[header.index("2.1.1")] = ""  # clear a judgement
    row[header.index("status")] = "reviewed"
    row[header.index("2.1.2")] = "yes"
    _write(path, rows)
    result = import_reviews(filled, path)
    assert (result.created, result.updated) == (0, 8)
    case = filled.reads.case_by_ref("X123450")
    assert case.status == "reviewed"
    answers = filled.reads.answers(case.id)
    assert answers.get("2.1.1") is None or answers["2.1.1"].value is None
    assert answers["2.1.2"].value == "yes"


def _write(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda h, rows: h.append("nonsense") or [r.append("") for r in rows],
            "line 1: unknown column 'nonsense'",
        ),
        (
            lambda h, rows: rows[2].__setitem__(h.index("risk_level"), "extreme"),
            "line 4: question risk_level has no choice 'extreme'",
        ),
        (
            lambda h, rows: rows[1].__setitem__(h.index("status"), "finished"),
            "line 3: unknown status 'finished'",
        ),
        (
            lambda h, rows: rows[3].__setitem__(0, rows[0][0]),
            "line 5: case X123450 is also on line 2",
        ),
        (
            lambda h, rows: rows[0].__setitem__(h.index("2.1.1"), "maybe"),
            "line 2: 2.1.1: a judgement is yes, no or na",
        ),
        (
            lambda h, rows: rows[0].__setitem__(h.index("unpaid_work_hours"), "lots"),
            "line 2: question unpaid_work_hours takes a number",
        ),
        (
            lambda h, rows: rows[0].__setitem__(h.index("organisation"), "Elsewhere"),
            "line 2: organisation 'Elsewhere' is not in this inspection",
        ),
        (lambda h, rows: rows[1].__setitem__(0, ""), "line 3: the case reference"),
        (lambda h, rows: rows[0].pop(), "line 2: "),
    ],
)
def test_bad_rows_are_refused_with_their_line_and_nothing_is_written(
    filled, tmp_path, change, message
):
    export_csv(filled, tmp_path / "one")
    path = tmp_path / "one" / "cases.csv"
    rows = read_table(path)
    header, body = rows[0], rows[1:]
    # A new case on the last line: a failed import must not create it.
    body.append(["Z999999"] + [""] * (len(header) - 1))
    change(header, body)
    _write(path, [header, *body])
    before = filled.audit.op_count()
    with pytest.raises(UserError) as err:
        import_reviews(filled, path)
    assert message in str(err.value)
    assert "\n" not in str(err.value)
    assert filled.audit.op_count() == before
    assert filled.reads.case_by_ref("Z999999") is None


def test_line_numbers_count_multi_line_cells(filled, tmp_path):
    export_csv(filled, tmp_path / "one")
    path = tmp_path / "one" / "cases.csv"
    rows = read_table(path)
    header = rows[0]
    # X123453 (line 5) has a two-line qa_comment, so the row after it starts on line 7.
    assert rows[4][0] == "X123453"
    rows[5][header.index("status")] = "bogus"
    _write(path, rows)
    with pytest.raises(UserError, match="line 7: unknown status"):
        import_reviews(filled, path)


def test_xlsx_sheets_and_formula_safety(filled, tmp_path):
    out = export_xlsx(filled, tmp_path / "out.xlsx")
    wb = load_workbook(out)
    assert wb.sheetnames == ["cases", "answers", "interviews", "quotes", "dictionary"]
    ws = wb["cases"]
    header = [c.value for c in ws[1]]
    col = header.index("2.1/strengths")
    cells = [row[col] for row in ws.iter_rows(min_row=2)]
    values = [c.value for c in cells]
    assert "'" + FORMULAS[0] in values
    assert WELSH in values
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
    # XML turns a bare carriage return into a line feed; everything else comes back as is.
    expected = [f.replace("\r", "\n") for f in FORMULAS] + [WELSH]
    assert [read_cell(v) for v in values] == expected


def test_words_of_a_person_who_gave_no_consent_stay_out_of_exports(filled, tmp_path):
    said = {True: "Unpaid work taught me a trade.", False: "Do not pass this on, please."}
    ids = {}
    for consent, words in said.items():
        iid = filled.insert(
            "interviews",
            {"kind": "person", "consent": consent, "title": "Person", "notes": words},
        )
        filled.insert("quotes", {"interview_id": iid, "start": 0, "end": 5, "text": words})
        ids[consent] = iid
    out = tmp_path / "csv"
    export_csv(filled, out)
    quotes = read_table(out / "quotes.csv")
    assert [r[4] for r in quotes[1:]] == [said[True]]
    notes = {r[0]: r[-1] for r in read_table(out / "interviews.csv")[1:]}
    assert notes[ids[True]] == said[True] and notes[ids[False]] == ""
    book = load_workbook(export_xlsx(filled, tmp_path / "all.xlsx"), read_only=True)
    cells = {str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row}
    assert said[True] in cells and said[False] not in cells
    # The file itself keeps every word: only what leaves the team is filtered.
    assert {q.text for q in filled.reads.quotes()} == set(said.values())
