"""Moderation on a real inspection file: the seeded draw, cases added by hand, blind
second assessments, disagreements settled by the lead, ratings counting the settled
values, calibration, and the figures and their reading."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from fieldwork.core.errors import UserError
from fieldwork.core.moderation import disagreements as dis
from fieldwork.core.moderation import figures, reads, rounds, sample
from fieldwork.core.moderation.model import ADDED, DRAWN
from fieldwork.core.scoring import score_store
from fieldwork.core.storage.store import Store
from tests.conftest import new_store
from tests.core.moderation_helpers import blind_round, first_assessment

ORGS = ("NPS", "CRC")


def team_file(path: Path, cases_per_assessor: int = 10, assess: bool = True) -> Store:
    """A lead (this laptop), three inspectors and a headquarters key; each inspector has
    `cases_per_assessor` cases over two organisations, assessed and complete."""
    store = new_store(path)
    inspectors = [
        store.insert("members", {"name": name, "role": "inspector"})
        for name in ("Bea", "Cal", "Dai")
    ]
    store.insert("members", {"name": "HQ", "role": "headquarters"})
    n = 0
    for who in inspectors:
        for i in range(cases_per_assessor):
            org = ORGS[0] if i % 3 else ORGS[1]
            case = store.insert(
                "cases",
                {"ref": f"A{100000 + n}", "organisation": org, "inspector": who},
            )
            n += 1
            if assess:
                first_assessment(store, case)
    return store


def as_member(store: Store, name: str) -> str:
    member = next(m.id for m in store.reads.members() if m.name == name)
    store.set_author(member)
    return member


@pytest.fixture
def lead(tmp_path: Path):
    store = team_file(tmp_path / "team.fieldwork")
    yield store
    store.close()


def names(store: Store) -> dict[str, str]:
    return store.reads.member_names()


# ---------------------------------------------------------------- the draw


def test_the_draw_takes_a_share_of_each_assessor_stratified_and_repeatable(
    lead: Store, tmp_path: Path
) -> None:
    sample.draw(lead, share=25, seed=2016)
    drawn = reads.sample(lead)
    cases = {c.id: c for c in lead.reads.cases()}
    per_assessor = Counter(cases[cid].inspector for cid in drawn)
    # 10 cases each: 25% rounded up is 3, from each of the three inspectors.
    assert sorted(per_assessor.values()) == [3, 3, 3]
    for who in per_assessor:
        mine = [c for c in cases.values() if c.inspector == who]
        by_org = Counter(cases[cid].organisation for cid in drawn if cases[cid].inspector == who)
        # 6 NPS and 4 CRC cases: 3 drawn in proportion is 1.8 and 1.2, so 2 and 1.
        assert Counter(c.organisation for c in mine) == {"NPS": 6, "CRC": 4}
        assert by_org == {"NPS": 2, "CRC": 1}
    assert all(sc.kind == DRAWN for sc in drawn.values())
    # Nobody assesses their own case a second time; headquarters assesses nothing.
    hq = next(m.id for m in lead.reads.members() if m.role == "headquarters")
    for cid, sc in drawn.items():
        assert sc.second_assessor not in (None, cases[cid].inspector, hq)
    # Recorded: the seed and rule, and from the record alone the same cases again.
    (draw,) = reads.draws(lead)
    assert (draw.seed, draw.share, draw.minimum) == (2016, 25, 1)
    assert "25% of each assessor's cases" in draw.rule
    assert len(draw.frame) == 30 and draw.drawn == tuple(sorted(drawn))
    assert sample.repeat(draw) == sorted(drawn)
    # The same seed on another copy of the file draws the same cases; another seed others.
    lead.close()
    for seed, same in ((2016, True), (7, False)):
        copy = tmp_path / f"copy{seed}.fieldwork"
        shutil.copy(lead.path, copy)
        with Store.open(copy) as other:
            other.update("moderation_draws", draw.id, {"deleted": True})
            for cid in drawn:
                sample.remove_case(other, cid)
            sample.draw(other, share=25, seed=seed)
            assert (set(reads.sample(other)) == set(drawn)) is same


def test_at_least_one_case_of_every_assessor_however_small_the_share(tmp_path: Path) -> None:
    with team_file(tmp_path / "t.fieldwork", cases_per_assessor=4, assess=False) as store:
        sample.draw(store, share=1, seed=3)
        cases = {c.id: c for c in store.reads.cases()}
        assert Counter(cases[c].inspector for c in reads.sample(store)).most_common()[-1][1] == 1
        assert len(reads.sample(store)) == 3


def test_only_the_lead_draws_and_only_once(lead: Store) -> None:
    as_member(lead, "Bea")
    with pytest.raises(UserError, match="Only the lead"):
        sample.draw(lead, share=10, seed=1)
    as_member(lead, "Tester")
    sample.draw(lead, share=10, seed=1)
    with pytest.raises(UserError, match="drawn already .seed 1."):
        sample.draw(lead, share=10, seed=2)
    with pytest.raises(UserError, match="percentage"):
        sample.draw(lead, share=0)


def test_a_case_added_by_hand_says_so_and_why(lead: Store) -> None:
    sample.draw(lead, share=10, seed=5)
    extra = next(c for c in lead.reads.cases() if c.id not in reads.sample(lead))
    with pytest.raises(UserError, match="Say why") as refused:
        sample.add_case(lead, extra.id, "  ")
    assert refused.value.needs == "reason"
    sample.add_case(lead, extra.id, "Risk escalated in the last month")
    sc = reads.sample(lead)[extra.id]
    assert (sc.kind, sc.reason, sc.draw_id) == (ADDED, "Risk escalated in the last month", None)
    assert sc.second_assessor not in (None, extra.inspector)
    kinds = Counter(p.kind for p in dis.progress(lead))
    assert kinds[ADDED] == 1 and kinds[DRAWN] == 3


# ---------------------------------------------------------------- blind rounds


def drawn_case(store: Store) -> tuple[str, str, str]:
    """(case id, first assessor, second assessor) of the first case in the sample."""
    case_id, sc = next(iter(reads.sample(store).items()))
    case = store.reads.case(case_id)
    assert case is not None and case.inspector and sc.second_assessor
    return case_id, case.inspector, sc.second_assessor


def test_the_second_assessor_cannot_see_the_first_assessment_until_they_complete(
    lead: Store,
) -> None:
    sample.draw(lead, share=10, seed=11)
    case_id, first, second = drawn_case(lead)
    before = lead.reads.answers(case_id)
    lead.set_author(second)
    with pytest.raises(rounds.Blind, match="blind"):
        rounds.first_answers(lead, case_id, second)
    with pytest.raises(rounds.Blind):
        rounds.answers_of(lead, case_id, first, second)
    # The round starts blank: only the case facts (attributes) come from the record.
    facts = rounds.case_facts(lead, lead.reads.case(case_id))  # type: ignore[arg-type]
    form = lead.reads.form()
    assert facts and set(facts) <= {q.id for q in form.attributes}
    assert rounds.answers_of(lead, case_id, second, second) == {}
    rounds.answer(lead, case_id, "2.1.1a", "no", comment="No motivation work on file")
    # Nobody else sees a round before it is complete, not even the lead.
    with pytest.raises(rounds.Blind, match="not complete"):
        rounds.answers_of(lead, case_id, second, first)
    blind_round(lead, case_id, {"2.1.1a": "no"})
    # Complete: now both sides are open to the second assessor, and the round is fixed.
    assert rounds.first_answers(lead, case_id, second)["2.1.1a"].value == "yes"
    assert rounds.answers_of(lead, case_id, second, first)["2.1.1a"].value == "no"
    with pytest.raises(UserError, match="complete and stays"):
        rounds.answer(lead, case_id, "2.1.1a", "yes")
    # The first assessment was never written to: its own rows, unchanged.
    assert lead.reads.answers(case_id) == before


def test_a_blind_assessor_finds_no_first_answer_by_search_nor_prints_the_case(
    lead: Store, tmp_path: Path
) -> None:
    from fieldwork.core.report.case_pdf import gather_case

    sample.draw(lead, share=10, seed=11)
    case_id, first, second = drawn_case(lead)
    case = lead.reads.case(case_id)
    assert case is not None
    (kq, a) = next(iter(lead.reads.answers(case_id).items()))
    lead.update("answers", a.id, {"comment": "Zephyrine note from the first assessor"})
    assert [h["row"] for h in lead.search.find("Zephyrine")] == [a.id]
    lead.set_author(second)
    hidden = rounds.blind_cases(lead, second)
    assert hidden == {case_id}
    assert lead.search.find("Zephyrine", hide_cases=hidden) == []
    with pytest.raises(rounds.Blind):
        gather_case(lead, case.ref)
    blind_round(lead, case_id, {})
    assert rounds.blind_cases(lead, second) == set()
    assert gather_case(lead, case.ref).ref == case.ref


def test_only_the_named_assessor_writes_a_round_and_only_prompts_and_judgements(
    lead: Store,
) -> None:
    sample.draw(lead, share=10, seed=11)
    case_id, first, second = drawn_case(lead)
    lead.set_author(first)
    with pytest.raises(UserError, match="not by you"):
        rounds.answer(lead, case_id, "2.1.1a", "no")
    lead.set_author(second)
    with pytest.raises(UserError, match="prompts and judgements only"):
        rounds.answer(lead, case_id, "sentence_type", "licence")
    with pytest.raises(UserError, match="give a reason") as refused:
        for p in ("2.1.1a", "2.1.1b", "2.1.1c", "2.1.1d"):
            rounds.answer(lead, case_id, p, "yes")
        rounds.answer(lead, case_id, "2.1.1", "no")
    assert refused.value.needs == "reason"
    with pytest.raises(UserError, match="Not complete"):
        rounds.complete(lead, case_id)


def test_round_answers_are_their_own_ops_never_the_first_rows(lead: Store) -> None:
    sample.draw(lead, share=10, seed=11)
    case_id, _, second = drawn_case(lead)
    lead.set_author(second)
    ops = rounds.answer(lead, case_id, "2.1.1a", "no")
    assert {op.entity for op in ops} == {"moderation_rounds", "moderation_answers"}
    assert all(op.author == second for op in ops)


# ---------------------------------------------------------------- disagreements


def moderated(store: Store, changes: dict[str, str]) -> tuple[str, str, str]:
    """Draw, and have the first sample case assessed blind with `changes`."""
    sample.draw(store, share=10, seed=11)
    case_id, first, second = drawn_case(store)
    me = store.author
    store.set_author(second)
    blind_round(store, case_id, changes)
    store.set_author(me)
    return case_id, first, second


def test_the_disagreements_are_exactly_the_differing_items_side_by_side(lead: Store) -> None:
    case_id, first, second = moderated(
        lead, {"2.1.1a": "no", "2.3.2a": "na", "2.1.1": "no", "2.4.2": "no"}
    )
    found = dis.disagreements(lead)
    assert [(d.question_id, d.first.value, d.second.value) for d in found] == [
        ("2.1.1a", "yes", "no"),
        ("2.1.1", "yes", "no"),
        ("2.3.2a", "yes", "na"),
        ("2.4.2", "yes", "no"),
    ]
    d = found[3]  # 2.4.2: recorded against what the prompts suggest, with a reason
    assert (d.kind, d.first.assessor, d.second.assessor) == ("judgement", first, second)
    assert d.second.comment == "the file says otherwise"  # the judgement's reason
    assert d.case_ref == lead.reads.case(case_id).ref  # type: ignore[union-attr]
    assert all(d.open for d in found)


def test_settled_values_count_in_the_ratings_and_the_first_where_none_was_needed(
    lead: Store,
) -> None:
    case_id, first, second = moderated(lead, {"2.1.1a": "no", "2.1.1": "no"})
    org = lead.reads.case(case_id).organisation  # type: ignore[union-attr]
    before = score_store(lead).organisation(org).standard("2.1").key_questions[0]
    in_org = sum(1 for c in lead.reads.cases() if c.organisation == org)
    assert (before.applicable, before.sufficient) == (in_org, in_org)
    # An assessor of the case who is not the lead cannot settle it; the lead can.
    lead.set_author(first)
    with pytest.raises(UserError, match="settled by the lead"):
        dis.settle(lead, case_id, "2.1.1", "no", "agreed at the moderation meeting")
    as_member(lead, "Tester")
    with pytest.raises(UserError, match="Say why") as refused:
        dis.settle(lead, case_id, "2.1.1", "no", "")
    assert refused.value.needs == "reason"
    with pytest.raises(UserError, match="no disagreement on 2.2.1"):
        dis.settle(lead, case_id, "2.2.1", "no", "not in dispute")
    with pytest.raises(UserError, match="yes, no or not applicable"):
        dis.settle(lead, case_id, "2.1.1", "maybe", "unsure")
    dis.settle(lead, case_id, "2.1.1", "no", "No work on motivation: the second view stands")
    dis.settle(lead, case_id, "2.1.1a", "no", "As above")
    after = score_store(lead).organisation(org).standard("2.1").key_questions[0]
    assert (after.applicable, after.sufficient) == (before.applicable, before.sufficient - 1)
    # The first assessment itself is untouched; the settled value is what counts.
    assert lead.reads.answers(case_id)["2.1.1"].value == "yes"
    assert dis.counted_values(lead)[case_id]["2.1.1"] == "no"
    assert dis.disagreements(lead, open_only=True) == []
    progress = next(p for p in dis.progress(lead) if p.case_id == case_id)
    assert progress.state == "Settled"
    # Every step is in the audit trail, with who did it.
    row = lead.conn.execute(
        "SELECT id FROM moderation_settlements WHERE case_id=? AND question_id='2.1.1'",
        (case_id,),
    ).fetchone()[0]
    trail = lead.audit.history("moderation_settlements", row)
    assert {op.field for op in trail} >= {"value", "reason"}
    assert {op.author for op in trail} == {lead.author}


def test_someone_who_assessed_neither_round_may_settle(lead: Store) -> None:
    case_id, first, second = moderated(lead, {"2.1.1": "no", "2.1.1a": "no"})
    third = next(
        m.id for m in lead.reads.members() if m.role == "inspector" and m.id not in (first, second)
    )
    lead.set_author(third)
    assert dis.settle(lead, case_id, "2.1.1", "yes", "Motivation work is in the plan")


# ---------------------------------------------------------------- figures


def test_figures_per_key_question_pair_and_team_with_the_reading(lead: Store) -> None:
    sample.draw(lead, share=34, seed=4)  # 4 cases of each inspector: 12 in all
    cases = list(reads.sample(lead).items())
    me = lead.author
    for i, (case_id, sc) in enumerate(cases):
        lead.set_author(sc.second_assessor)  # type: ignore[arg-type]
        changes = {"2.3.3a": "no", "2.3.3": "no"} if i % 2 else {}
        if i % 3 == 0:
            changes |= {"2.1.2a": "no", "2.1.2": "no"}
        blind_round(lead, case_id, changes)
    lead.set_author(me)
    result = figures.agreement(lead)
    team = result.team
    assert team.cases == 12
    kq = team.row("2.3.3")
    assert (kq.judgement.n, kq.judgement.percent) == (12, 50.0)  # 6 of 12 differ
    assert kq.judgement.kappa == 0.0  # the first assessor said yes every time
    whole = team.row("all")
    assert whole.judgement.n == 12 * len(lead.reads.form().key_questions())
    assert whole.applicability.n == whole.judgement.n and whole.applicability.percent == 100.0
    pair_cases = sum(s.cases for s in result.pairs)
    assert pair_cases == 12 and all(len(s.assessors) == 2 for s in result.pairs)
    text = " ".join(result.reading)
    assert "2.3.3" in text and "discuss before rating" in text
    assert "nearly every case got the same judgement" in text  # the other key questions
    sentence = figures.annex_sentence(lead)
    assert sentence is not None and sentence.startswith("12 case assessments were moderated")


def test_calibration_everyone_assesses_blind_and_the_spread_is_shown(lead: Store) -> None:
    case = lead.reads.cases()[0]
    sample.mark_calibration(lead, case.id)
    sc = reads.sample(lead)[case.id]
    expected = rounds.expected(lead, sc, case)
    # Everyone assessing but the case's own assessor (and not headquarters): lead + 2.
    assert len(expected) == 3 and case.inspector not in expected
    me = lead.author
    views = [{"2.1.1": "no", "2.1.1a": "no"}, {"2.1.1": "no", "2.1.1a": "no"}, {}]
    for who, changes in zip(expected, views, strict=True):
        lead.set_author(who)
        with pytest.raises(rounds.Blind):
            rounds.first_answers(lead, case.id, who)
        blind_round(lead, case.id, changes)
    lead.set_author(me)
    result = figures.calibration(lead)
    assert result.raters == 4 and result.cases[0].state == "Assessed by everyone"
    spread = {s.question_id: dict(s.counts) for s in result.spread}
    assert spread["2.1.1"] == {"yes": 2, "no": 2, "na": 0}
    assert spread["2.2.1"] == {"yes": 4, "no": 0, "na": 0}
    assert result.units == len(lead.reads.form().key_questions())
    assert result.fleiss is not None and result.alpha is not None
    # A calibration case is no disagreement to settle.
    assert dis.disagreements(lead) == []
