"""Screenshots of the Moderation screen, as tools/screenshots.py takes the others (real
window, offscreen, QWidget.grab()).

    python -m tools.screenshots_moderation docs/screenshots

Writes 30-moderation-1366.png and -1280.png (the lead's view: the sample,
disagreements to settle, the agreement table and its reading) and
31-moderation-blind-1366.png and -1280.png (an inspector's blind assessment). The moderation is played on a 200-case demo through core, each step
written as the member who would take it: the lead draws 10% with seed 2016; second
assessors mostly agree with the first (a few prompts seen the other way); the lead
settles some disagreements; two calibration cases are assessed by part of the team.
"""

from __future__ import annotations

import contextlib
import os
import random
import sys
import tempfile
from pathlib import Path
from typing import Any

from tools.screenshots import SIZES, _grab, _settle, shot_name

FLIP = {"yes": "no", "no": "yes"}
# What a second assessor writes beside a prompt they see the other way (synthetic).
NOTES = (
    "The contact log shows this was discussed at induction.",
    "Not on file: no record of it before the first review.",
    "The plan names no contingency for a missed appointment.",
    "Risk to the partner is recorded but not analysed.",
    "Covered in the pre-sentence report, not the assessment.",
)


def _second_look(store: Any, case_id: str, rng: random.Random, flip: float) -> None:
    """This laptop's author assesses a case blind: mostly as the first assessor did."""
    from fieldwork.core.casework import validation as review
    from fieldwork.core.moderation import rounds

    case = store.reads.case(case_id)
    form = store.reads.form()
    first = rounds.first_values(store, case)
    values = dict(rounds.case_facts(store, case))
    for kq in form.key_questions():
        for p in kq.prompts:
            if p.id in first:
                value = first[p.id]
                note = None
                if isinstance(value, str) and value in FLIP and rng.random() < flip:
                    value = FLIP[value]
                    note = rng.choice(NOTES)
                values[p.id] = value
                rounds.answer(store, case_id, p.id, value, comment=note)
        judged = review.suggest_judgement(form, kq, values) or first.get(kq.id)
        if judged is not None:
            values[kq.id] = judged
            rounds.answer(store, case_id, kq.id, judged)
    rounds.complete(store, case_id)


def stage(store: Any) -> str:
    """Play a moderation on an open demo store; returns one case left to assess blind."""
    from fieldwork.core.errors import UserError
    from fieldwork.core.moderation import disagreements as dis
    from fieldwork.core.moderation import reads, rounds, sample

    rng = random.Random(2016)
    lead = store.author
    done = [c for c in store.reads.cases() if c.status in ("complete", "reviewed")]
    for case in done[:2]:
        sample.mark_calibration(store, case.id)
    sample.draw(store, share=10, seed=2016)
    drawn = [
        cid
        for cid, sc in reads.sample(store).items()
        if sc.kind == "drawn"
        and sc.second_assessor
        and store.reads.case(cid).status in ("complete", "reviewed")
    ]
    waiting = drawn[0]  # left for the blind assessment's picture
    for case_id, sc in reads.sample(store).items():
        case = store.reads.case(case_id)
        for who in rounds.expected(store, sc, case):
            if case_id == waiting or (sc.kind == "calibration" and rng.random() < 0.3):
                continue
            store.set_author(who)
            # A first assessment not complete leaves the round open (UserError).
            with contextlib.suppress(UserError):
                _second_look(store, case_id, rng, 0.08 if sc.kind == "drawn" else 0.15)
    store.set_author(lead)
    for d in dis.disagreements(store, open_only=True):
        if rng.random() < 0.5:
            dis.settle(store, d.case_id, d.question_id, d.second.value, "Agreed at moderation")
    return waiting


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out_dir = Path(args[0] if args else "docs/screenshots")
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="fieldwork-shots-"))
    os.environ["FIELDWORK_CONFIG_DIR"] = str(tmp / "config")
    os.environ["FIELDWORK_DATA_DIR"] = str(tmp / "data")
    os.environ.setdefault("FIELDWORK_NO_VIEWER", "1")

    from fieldwork.app import create_main_window, ensure_app
    from fieldwork.core.demo.generator import make_demo
    from fieldwork.core.moderation import reads

    app = ensure_app()
    path = tmp / "Demo inspection.fieldwork"
    store = make_demo(path, cases=200, seed=1)
    waiting = stage(store)
    lead = store.author
    store.close()
    window = create_main_window(path)
    window.show()
    for size in SIZES:
        window.resize(*size)
        _settle(app)
        screen = window.show_screen("Moderation")
        _settle(app)
        screen.disagreement_table.setFocus()
        screen.disagreement_table.setCurrentCell(0, 0)
        _settle(app)
        _grab(window, out_dir / shot_name("30-moderation", size))
    # The second assessor of the case still waiting, on their laptop.
    second = reads.sample(window.store)[waiting].second_assessor
    window.store.set_author(second)
    window.session.external_change()
    _settle(app)
    screen.refresh_view()
    screen.sample_table.select_key(waiting)
    screen.assess_blind()
    for size in SIZES:
        window.resize(*size)
        _settle(app)
        _grab(window, out_dir / shot_name("31-moderation-blind", size))
    window.store.set_author(lead)
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
