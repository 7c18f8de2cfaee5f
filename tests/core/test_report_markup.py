"""Every string a form or method brings reaches the PDF as text, never as reportlab markup.

A form or method comes from a teammate's bundle or an imported XLSForm: its titles must
not embed files from the lead's disk, make links, or change fonts.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pypdf import PdfReader

from fieldwork.core.data import forms_dir, methods_dir
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
    folder.mkdir()
    for path in forms_dir().glob("*.yaml"):
        (folder / path.name).write_text(path.read_text("utf-8"), "utf-8")
    (folder / "adult-case-supervision.yaml").write_text(yaml.safe_dump(form), "utf-8")
    return form


def _hostile_method(folder: Path) -> None:
    method = yaml.safe_load((methods_dir() / "standards-2018.yaml").read_text("utf-8"))
    method["title"] = '<font size="40">Big</font> method'
    standard = method["domains"][1]["standards"][0]
    standard["title"] = f'<img src="{PICTURE}" width="400" height="400"/>Assessment'
    standard["statement"] = '<link href="https://example.org/">Click</link> here'
    method["rating"]["bands"][0]["rating"] = "<u>Outstanding</u>"
    method["domains"][0]["title"] = "<i>Organisational</i> delivery & more"
    folder.mkdir()
    (folder / "standards-2018.yaml").write_text(yaml.safe_dump(method), "utf-8")


def test_form_strings_with_markup_are_printed_as_text(tmp_path: Path) -> None:
    _hostile_form(tmp_path / "forms")
    _hostile_method(tmp_path / "methods")
    store = new_store(
        tmp_path / "x.fieldwork",
        form_id=None,
        method_id="standards-2018",
        organisations=["Glanmor NPS"],
        forms_dir=tmp_path / "forms",
        methods_dir=tmp_path / "methods",
    )
    for i in range(5):
        case = store.insert("cases", {"ref": f"A{100000 + i}", "organisation": "Glanmor NPS",
                                      "status": "complete"})  # fmt: skip
        store.set_answer(case, "2.1.1", "yes")
    out = tmp_path / "draft.pdf"
    render(gather(store), out)
    store.close()
    reader = PdfReader(out)
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    assert f'<img src="{PICTURE}"' in text  # in the contents and the chapter, as text
    assert '<link href="https://example.org/">Click</link>' in text
    assert "<b>Bold</b> &amp;" not in text and "<b>Bold</b> & <i>sly</i>" in text
    assert "<u>Outstanding</u>" in text
    assert "<i>Organisational</i> delivery & more" in text
    assert '<font size="40">Big</font> method' in text
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        xobjects = resources.get("/XObject") or {}
        assert not [x for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image"]
        links = [a.get_object() for a in page.get("/Annots") or []]
        assert not [a for a in links if "/URI" in (a.get("/A") or {})]
