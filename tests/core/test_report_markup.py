"""Every string a form brings reaches the PDF as text, never as reportlab markup.

A form comes from a teammate's bundle or an imported XLSForm: its titles must not embed
files from the lead's disk, make links, or change fonts.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pypdf import PdfReader

from fieldwork.core.data import forms_dir
from fieldwork.core.report import gather, render
from tests.conftest import new_store

PICTURE = Path(__file__).resolve().parents[2] / "docs" / "report-summary.png"


def _hostile_form(folder: Path) -> dict:
    form = yaml.safe_load((forms_dir() / "adult-case-supervision.yaml").read_text("utf-8"))
    form["title"] = '<font size="40">Big</font> form'
    section = form["sections"][0]
    section["title"] = f'<img src="{PICTURE}" width="400" height="400"/>Assessment'
    section["question"] = '<link href="https://example.org/">Click</link> here'
    section["key_questions"][0]["text"] = "<b>Bold</b> & <i>sly</i> key question"
    form["rating"]["bands"][0]["rating"] = "<u>Outstanding</u>"
    folder.mkdir()
    (folder / "adult-case-supervision.yaml").write_text(yaml.safe_dump(form), "utf-8")
    return form


def test_form_strings_with_markup_are_printed_as_text(tmp_path: Path) -> None:
    _hostile_form(tmp_path / "forms")
    store = new_store(tmp_path / "x.fieldwork", forms_dir=tmp_path / "forms")
    out = tmp_path / "draft.pdf"
    render(gather(store), out)
    store.close()
    reader = PdfReader(out)
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    assert f'<img src="{PICTURE}"' in text  # in the contents and the chapter, as text
    assert '<link href="https://example.org/">Click</link>' in text
    assert "<b>Bold</b> &amp;" not in text and "<b>Bold</b> & <i>sly</i>" in text
    assert "<u>Outstanding</u>" in text
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        xobjects = resources.get("/XObject") or {}
        assert not [x for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image"]
        links = [a.get_object() for a in page.get("/Annots") or []]
        assert not [a for a in links if "/URI" in (a.get("/A") or {})]
