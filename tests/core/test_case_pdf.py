"""The single-case PDF: what a quality assurer reads, even from a careless teammate's data."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from fieldwork.core.report.case_pdf import gather_case, render_case
from fieldwork.core.storage.store import Store


def _text(path: Path) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(path).pages)


def test_a_judgement_stored_as_a_list_is_shown_not_a_traceback(
    store: Store, tmp_path: Path
) -> None:
    case = store.insert("cases", {"ref": "X123456", "organisation": "NPS"})
    store.set_answer(case, "2.1.1a", "yes")
    store.set_answer(case, "2.1.1", ["yes", "no"])  # well-typed in a bundle, absurd here
    store.set_answer(case, "2.1.2", "no", reason="The plan was copied forward.")
    out = render_case(gather_case(store, "X123456"), tmp_path / "case.pdf")
    text = _text(out)
    assert "Case assessment X123456" in text
    assert "Not a judgement: yes, no" in text
    assert "Judgement: No" in text and "The plan was copied forward." in text
