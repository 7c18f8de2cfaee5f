"""`fieldwork moderation FILE [--json]` and its subcommands, on a real file: the lead
draws and adds a case, a second assessor answers blind, the lead settles; the draft
report's methodology annex says how many cases were moderated and the agreement."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from fieldwork.cli import main
from fieldwork.core.moderation import reads
from fieldwork.core.storage.store import Store
from tests.core.moderation_helpers import assessment
from tests.core.test_moderation import team_file


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def path(tmp_path: Path) -> Path:
    p = tmp_path / "team.fieldwork"
    team_file(p, cases_per_assessor=4).close()
    return p


def _author(path: Path, member_id: str) -> None:
    """This laptop writes as `member_id` from now on (as if it were their laptop)."""
    with Store.open(path) as store:
        store.set_author(member_id)


def test_draw_add_assess_blind_settle_and_read(
    capsys: pytest.CaptureFixture[str], path: Path, tmp_path: Path
) -> None:
    code, out, err = run(capsys, "moderation", path, "draw", "--share", "25", "--seed", "77")
    assert code == 0, err
    assert out.startswith("Drew 3 of 12 cases with seed 77: 25% of each assessor's cases")
    with Store.open(path) as store:
        lead = store.author
        bea = next(m.id for m in store.reads.members() if m.name == "Bea")
        spare = next(
            c for c in store.reads.cases() if c.id not in reads.sample(store) and c.inspector != bea
        )
        target, sc = next(iter(reads.sample(store).items()))
        ref = store.reads.case(target).ref  # type: ignore[union-attr]
        second = sc.second_assessor
        form = store.reads.form()
    code, _, err = run(capsys, "moderation", path, "add", spare.ref)
    assert code == 1 and err.strip().endswith("(use --reason TEXT)")
    code, out, err = run(
        capsys,
        "moderation",
        path,
        "add",
        spare.ref,
        "--reason",
        "A serious incident",
        "--second",
        "bea",
    )
    assert code == 0, err

    # The second assessor, on "their laptop", answers blind and completes.
    _author(path, second)  # type: ignore[arg-type]
    items = {kq.id for kq in form.key_questions()} | {
        p.id for kq in form.key_questions() for p in kq.prompts
    }
    values = assessment(form, {"2.2.2a": "no", "2.2.2": "no"})
    for qid, value in values.items():
        if qid in items:
            argv = ["moderation", path, "answer", ref, qid, value]
            if qid == "2.2.2":
                argv += ["--comment", "No plan for the drug misuse"]
            code, _, err = run(capsys, *argv)
            assert code == 0, (qid, err)
    code, out, err = run(capsys, "moderation", path, "complete", ref)
    assert code == 0 and "complete" in out, err

    _author(path, lead)
    code, out, err = run(capsys, "moderation", path, "disagreements", "--json")
    found = json.loads(out)
    assert [(d["question_id"], d["first"]["value"], d["second"]["value"]) for d in found] == [
        ("2.2.2a", "yes", "no"),
        ("2.2.2", "yes", "no"),
    ]
    assert found[1]["second"]["comment"] == "No plan for the drug misuse"
    code, _, err = run(capsys, "moderation", path, "settle", ref, "2.2.2", "no")
    assert code == 1 and "(use --reason TEXT)" in err
    code, out, err = run(
        capsys, "moderation", path, "settle", ref, "2.2.2", "no", "--reason", "The plan is silent"
    )
    assert code == 0, err
    code, out, _ = run(capsys, "moderation", path, "disagreements", "--open")
    assert "2.2.2a" in out and "  2.2.2  " not in out

    code, out, err = run(capsys, "moderation", path, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["draw"][0]["seed"] == 77 and data["draw"][0]["repeats"] is True
    kinds = sorted(s["kind"] for s in data["sample"])
    assert kinds == ["added", "drawn", "drawn", "drawn"]
    added = next(s for s in data["sample"] if s["kind"] == "added")
    assert added["reason"] == "A serious incident" and added["assessors"] == ["Bea"]
    team = data["agreement"]["team"]
    row = next(r for r in team["key_questions"] if r["id"] == "2.2.2")
    assert row["judgement"]["n"] == 1 and row["judgement"]["percent"] == 0.0
    assert any("2.2.2" in line for line in data["agreement"]["reading"])
    code, out, _ = run(capsys, "moderation", path)
    assert code == 0 and "Key question" in out and "Settled" not in out  # 2.2.2a still open
    assert "1 disagreement(s) to settle." in out

    # The methodology annex of the draft report states it.
    pdf = tmp_path / "draft.pdf"
    code, _, err = run(capsys, "report", path, pdf)
    assert code == 0, err
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
    assert "1 case assessment was moderated" in text
    assert "1 of 2 disagreements was settled" in text


def test_only_the_lead_draws(capsys: pytest.CaptureFixture[str], path: Path) -> None:
    with Store.open(path) as store:
        bea = next(m.id for m in store.reads.members() if m.name == "Bea")
    _author(path, bea)
    code, _, err = run(capsys, "moderation", path, "draw", "--share", "10")
    assert (
        code == 1
        and err == "fieldwork: error: Only the lead inspector can draw the moderation sample.\n"
    )


def test_an_empty_inspection_reads_plainly(capsys: pytest.CaptureFixture[str], path: Path) -> None:
    code, out, err = run(capsys, "moderation", path)
    assert code == 0, err
    assert "No moderation sample yet" in out
    assert "no figures to read" in out
