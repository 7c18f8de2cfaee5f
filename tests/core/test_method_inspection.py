"""An inspection under a method, through the store: instruments and samples, the evidence
register, judgement-rated standards, professional discretion, report texts, bundles."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from fieldwork.core.casework import answering, evidence, judgements
from fieldwork.core.errors import UserError
from fieldwork.core.io import case_sample, exports
from fieldwork.core.io.reviews_import import import_reviews
from fieldwork.core.scoring import score_store
from fieldwork.core.storage import evidence_reads, method_reads
from fieldwork.core.storage.store import Store
from fieldwork.core.sync.bundle import export_bundle, import_bundles, join_from_bundle
from tests.conftest import new_store

NPS, CRC = "Glanmor NPS", "Tresaith CRC"


@pytest.fixture
def joint(tmp_path: Path) -> Store:
    store = new_store(
        tmp_path / "joint.fieldwork",
        form_id=None,
        method_id="standards-2018",
        organisations=[NPS, CRC],
    )
    yield store
    store.close()


def test_a_method_inspection_keeps_its_method_and_every_instrument_form(joint: Store) -> None:
    assert joint.reads.inspection().form_id == "adult-case-supervision"
    assert set(joint.reads.form_sources()) == {
        "adult-case-supervision", "court-work", "victim-work", "unpaid-work", "through-the-gate",
    }  # fmt: skip
    assert set(method_reads.method_sources(joint)) == {"standards-2018"}
    dump = joint.audit.dump()
    assert dump["inspection"][0]["method_id"] == "standards-2018"


def test_a_rated_method_refuses_an_organisation_whose_type_does_not_show(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="so its type shows"):
        new_store(tmp_path / "x.fieldwork", form_id=None, method_id="standards-2018",
                  organisations=["Somewhere"])  # fmt: skip
    assert not (tmp_path / "x.fieldwork").exists()
    # Quality and impact rates nothing: any organisation will do.
    new_store(tmp_path / "y.fieldwork", form_id=None, method_id="quality-impact-2016",
              organisations=["NPS", "CRC", "Police"]).close()  # fmt: skip


def _sample_csv(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "sample.csv"
    path.write_text("\n".join(["ref,organisation,sample,sentence_type,report_type,hours_ordered",
                               *rows]) + "\n", encoding="utf-8")  # fmt: skip
    return path


def test_the_case_sample_csv_has_a_sample_column(joint: Store, tmp_path: Path) -> None:
    path = _sample_csv(tmp_path, [
        f"A100001,{NPS},,licence,,",
        f"A100002,{NPS},court-reports,,oral,",
        f"A100003,{CRC},unpaid-work,,,120",
        f"A100004,{CRC},main,community_order,,",
    ])  # fmt: skip
    sample = case_sample.read_sample(joint, path)
    assert sample.ok, sample.errors
    assert case_sample.import_sample(joint, sample) == 4
    by_ref = {c.ref: c for c in joint.reads.cases()}
    assert [by_ref[r].sample for r in ("A100001", "A100002", "A100003", "A100004")] == [
        None, "court-reports", "unpaid-work", "main",
    ]  # fmt: skip
    assert answering.form_of(joint, by_ref["A100002"]).id == "court-work"
    assert answering.form_of(joint, by_ref["A100004"]).id == "adult-case-supervision"
    assert joint.reads.answers(by_ref["A100003"].id)["hours_ordered"].value == 120


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (f"A100001,{NPS},nowhere,,,", "not one of this inspection's samples"),
        (f"A100001,{CRC},court-reports,,,", "court reports sample is not for Tresaith CRC"),
        (f"A100001,{NPS},,,oral,", "report_type: not a question of the case supervision form"),
    ],
)
def test_a_bad_sample_row_is_refused_with_its_line(
    joint: Store, tmp_path: Path, row: str, reason: str
) -> None:
    sample = case_sample.read_sample(joint, _sample_csv(tmp_path, [row]))
    assert sample.errors and sample.errors[0].startswith("line 2: ")
    assert reason in sample.errors[0]


def _case(store: Store, ref: str, org: str, sample: str | None = None) -> str:
    return store.insert(
        "cases", {"ref": ref, "organisation": org, "status": "draft", "sample": sample}
    )


def test_each_case_is_assessed_with_its_instruments_form(joint: Store) -> None:
    court = _case(joint, "A100010", NPS, "court-reports")
    case = joint.reads.case(court)
    assert case is not None
    answering.answer(joint, case, "report_type", "oral")
    with pytest.raises(UserError, match="no question '2.1.1a'"):
        answering.answer(joint, case, "2.1.1a", "yes")
    problems = answering.problems(joint, court)
    assert problems and all(not p.question_id.startswith("2.") for p in problems)


def test_exports_one_cases_table_per_instrument(joint: Store, tmp_path: Path) -> None:
    _case(joint, "A100011", NPS)
    court = _case(joint, "A100012", NPS, "court-reports")
    joint.set_answer(court, "3.1.1a", "yes")
    written = exports.export_csv(joint, tmp_path / "out")
    names = [p.name for p in written]
    assert names[:5] == ["cases.csv", "cases-court-reports.csv", "cases-victim-work.csv",
                         "cases-unpaid-work.csv", "cases-through-the-gate.csv"]  # fmt: skip
    header, rows = exports.read_csv_rows(tmp_path / "out" / "cases-court-reports.csv")
    assert "3.1.1a" in header and "2.1.1a" not in header and len(rows) == 1
    d_header, d_rows = exports.read_csv_rows(tmp_path / "out" / "dictionary.csv")
    assert d_header[-1] == "instrument"
    assert {r[1][-1] for r in d_rows} >= {"case-supervision", "court-reports"}
    officer = next(r[1] for r in d_rows if r[1][0] == "officer")
    assert officer[5] == "Responsible officer"  # the period's word, from the method
    # A court reports table goes back in with its own form.
    joint.set_answer(court, "3.1.1a", "no")
    import_reviews(joint, tmp_path / "out" / "cases-court-reports.csv")
    assert joint.reads.answers(court)["3.1.1a"].value == "yes"


def test_the_evidence_register_and_judgement_rated_standards(joint: Store) -> None:
    ops = evidence.add_evidence(
        joint, kind="focus group", title="Responsible officers", date="2018-10-09",
        attendees="Nine responsible officers", notes="Caseloads high.", organisation=NPS,
        tags=["1.2", "1.2.1"],
    )  # fmt: skip
    eid = ops[0].row
    evidence.add_evidence(joint, kind="document", title="Staff survey", tags=["1.2.1"])
    evidence.add_evidence(joint, kind="meeting", title="CRC leaders", organisation=CRC,
                          tags=["1.2.1"])  # fmt: skip
    items = evidence_reads.evidence(joint, NPS)
    assert [e.title for e in items] == ["Responsible officers", "Staff survey"]
    assert items[0].targets == ("1.2", "1.2.1") and items[0].kind == "focus_group"
    counts = evidence.triangulation(joint, NPS)
    assert (counts["1.2.1"].sources, counts["1.2.1"].kinds) == (2, ("document", "focus_group"))
    assert counts["1.2.2"].sources == 1  # tagged to its standard
    judgements.judge_key_question(joint, NPS, "1.2.1", "no", "Caseloads too high")
    with pytest.raises(UserError, match="Say why"):
        judgements.rate_standard(joint, NPS, "1.2", "Requires improvement", "")
    with pytest.raises(UserError, match="is not a rating"):
        judgements.rate_standard(joint, NPS, "1.2", "Grand", "Because")
    with pytest.raises(UserError, match="rated from its case assessments"):
        judgements.rate_standard(joint, NPS, "2.1", "Good", "Because")
    rated = judgements.rate_standard(joint, NPS, "1.2", "requires improvement", "Too thin",
                                     evidence_ids=[eid])  # fmt: skip
    s = score_store(joint).organisation(NPS).standard("1.2")
    assert (s.rating, s.points, s.justification) == ("Requires improvement", 1, "Too thin")
    assert s.key_questions[0].judgement == "no" and s.key_questions[0].sources == 2
    assert score_store(joint).organisation(CRC).standard("1.2").rating is None  # rated apart
    joint.undo(rated)
    assert score_store(joint).organisation(NPS).standard("1.2").rating is None
    evidence.tag_evidence(joint, eid, "1.2.1", present=False)
    assert evidence_reads.evidence_item(joint, eid).targets == ("1.2",)  # type: ignore[union-attr]
    with pytest.raises(UserError, match="not a standard or key question"):
        evidence.tag_evidence(joint, eid, "9.9")


def test_professional_discretion_needs_a_reason_and_departs_from_the_rules(joint: Store) -> None:
    for i in range(10):
        case = _case(joint, f"A1000{20 + i}", NPS)
        joint.set_answer(case, "2.1.1", "yes")
        joint.update("cases", case, {"status": "complete"})
    with pytest.raises(UserError, match="needs a recorded reason"):
        judgements.override_rating(joint, NPS, "2.1", "Good", "  ")
    with pytest.raises(UserError, match="already rate"):
        judgements.override_rating(joint, NPS, "2.1", "Outstanding", "Why not")
    with pytest.raises(UserError, match="no rating from the rules"):
        judgements.override_rating(joint, NPS, "2.2", "Good", "Why not")
    judgements.override_rating(joint, NPS, "2.1", "Good", "One case had no risk assessment")
    s = score_store(joint).organisation(NPS).standard("2.1")
    assert (s.rating, s.rule_rating, s.override.reason) == (  # type: ignore[union-attr]
        "Good", "Outstanding", "One case had no risk assessment",
    )  # fmt: skip
    judgements.clear_override(joint, NPS, "2.1")
    assert score_store(joint).organisation(NPS).standard("2.1").rating == "Outstanding"


def test_report_texts(joint: Store) -> None:
    judgements.set_report_text(joint, "Foreword", "We found much to commend.")
    judgements.set_report_text(joint, "overall findings", "Good overall.")
    assert evidence_reads.report_texts(joint) == {
        "foreword": "We found much to commend.", "overall_findings": "Good overall.",
    }  # fmt: skip
    judgements.set_report_text(joint, "foreword", "")
    assert "foreword" not in evidence_reads.report_texts(joint)
    with pytest.raises(UserError, match="Unknown part"):
        judgements.set_report_text(joint, "epilogue", "x")


def test_a_quality_and_impact_inspection_records_no_rating(tmp_path: Path) -> None:
    store = new_store(tmp_path / "qi.fieldwork", form_id=None, method_id="quality-impact-2016")
    try:
        with pytest.raises(UserError, match="rates nothing"):
            judgements.override_rating(store, "NPS", "delivery", "Good", "x")
    finally:
        store.close()


def test_a_teammate_gets_the_method_and_the_judgements_by_bundle(
    joint: Store, tmp_path: Path
) -> None:
    evidence.add_evidence(joint, kind="meeting", title="Leaders", tags=["1.1"])
    judgements.rate_standard(joint, NPS, "1.1", "Good", "Clear vision")
    setup = tmp_path / "setup.bundle"
    export_bundle(joint, setup, plain=True)
    members = zipfile.ZipFile(io.BytesIO(setup.read_bytes())).namelist()
    assert "methods/standards-2018.yaml" in members
    manifest = json.loads(zipfile.ZipFile(setup).read("manifest.json"))
    assert manifest["schema"] == 2
    mate, _ = join_from_bundle(setup, tmp_path / "mate.fieldwork", None)
    try:
        assert method_reads.method(mate).id == "standards-2018"
        assert method_reads.method_sources(mate) == method_reads.method_sources(joint)
        assert score_store(mate).organisation(NPS).standard("1.1").rating == "Good"
        evidence.add_evidence(mate, kind="document", title="Plan", tags=["1.1.1"])
        back = tmp_path / "back.bundle"
        export_bundle(mate, back, plain=True)
    finally:
        mate.close()
    import_bundles(joint, [back])
    assert [e.title for e in evidence_reads.evidence(joint)] == ["Leaders", "Plan"]


def test_search_finds_free_text_answers_of_every_instrument(joint: Store) -> None:
    """A court report case's free-text answer is found, not only the main form's."""
    court = _case(joint, "A100011", NPS, "court-reports")
    case = joint.reads.case(court)
    assert case is not None
    answering.answer(joint, case, "3.1.1h", "The bench wanted a curfew with tagging.")
    (hit,) = joint.search.find("curfew")
    assert (hit["entity"], hit["field"]) == ("answers", "value")
    assert joint.reads.answers(court)["3.1.1h"].id == hit["row"]
