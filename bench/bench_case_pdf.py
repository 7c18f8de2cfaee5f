"""The single-case PDF of a very large form (2,000 prompts), beside bare reportlab laying
out a table of the same rows in the same run. It was quadratic in the form's size (27 s);
the goal is linear: within a few times the bare table.

    python -m bench case_pdf
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

from bench.common import best_of, report
from fieldwork.core.data import forms_dir
from fieldwork.core.report.case_pdf import gather_case, render_case
from fieldwork.core.storage.store import Store

SECTIONS, KEY_QUESTIONS, PROMPTS = 10, 10, 20  # 2,000 prompts


def big_form(folder: Path) -> Path:
    """The shipped adult form's attributes and rating, with 2,000 yes/no/n.a. prompts."""
    form = yaml.safe_load((forms_dir() / "adult-case-supervision.yaml").read_text("utf-8"))
    form["id"], form["title"] = "big-form", "A form of 2,000 prompts"
    form["sections"] = [
        {
            "id": f"{s}",
            "title": f"Standard {s}",
            "question": f"Is the work of standard {s} done well?",
            "key_questions": [
                {
                    "id": f"{s}.{k}",
                    "text": f"Does the work focus sufficiently on aspect {k}?",
                    "prompts": [
                        {
                            "id": f"{s}.{k}.{p}",
                            "text": f"Prompt {p} of key question {s}.{k}: was it done well?",
                            "type": "yes_no_na",
                            "required": True,
                            **({"relevant": f"${{{s}.{k}.1}} != 'na'"} if p > 1 else {}),
                        }
                        for p in range(1, PROMPTS + 1)
                    ],
                }
                for k in range(1, KEY_QUESTIONS + 1)
            ],
        }
        for s in range(1, SECTIONS + 1)
    ]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "big-form.yaml").write_text(yaml.safe_dump(form, sort_keys=False), "utf-8")
    return folder


def bare_table(rows: int, out: Path) -> None:
    body = getSampleStyleSheet()["BodyText"]
    data = [[Paragraph(f"Prompt {i}: was it done well?", body), "Yes", ""] for i in range(rows)]
    SimpleDocTemplate(str(out), pagesize=A4).build([Table(data, repeatRows=0)])


def run() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = Store.create(
            folder / "big.fieldwork",
            None,
            name="Big form",
            form_id="big-form",
            organisations=["NPS"],
            author_name="Bench",
            forms_dir=big_form(folder / "forms"),
        )
        case = store.insert("cases", {"ref": "X123456", "organisation": "NPS"})
        with store.transaction():
            for kq in store.reads.form().key_questions():
                for prompt in kq.prompts:
                    store.set_answer(case, prompt.id, "yes")
                store.set_answer(case, kq.id, "yes")
        rows = SECTIONS * KEY_QUESTIONS * PROMPTS
        mine = best_of(lambda: render_case(gather_case(store, "X123456"), folder / "c.pdf"), 1)
        store.close()
        base = best_of(lambda: bare_table(rows, folder / "bare.pdf"), 1)
        report(f"single-case PDF, {rows:,} prompts", mine, base, "linear (was 27 s)")


if __name__ == "__main__":
    run()
