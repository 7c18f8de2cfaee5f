"""The app: File > Import a form (XLSForm) with the command's checks, and File > Export
to QDA software (.qdpx, .qdc) through the window's worker."""

from __future__ import annotations

import zipfile

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu

from fieldwork.core.forms.loader import load_form
from fieldwork.ui.shell.interop import FormImportDialog, export_refi
from tests.interop.corpus import corpus_dir
from tests.interop.refi import validate
from tests.ui.conftest import open_window

pytestmark = pytest.mark.usefixtures("qapp")


@pytest.fixture
def demo_path(tmp_path):
    from fieldwork.core.demo.generator import make_demo

    path = tmp_path / "demo.fieldwork"
    make_demo(path, cases=30, interviews=8, seed=1).close()
    return path


@pytest.fixture
def dialog(qtbot):
    d = FormImportDialog()
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    return d


def test_importing_a_form_shows_what_it_became_and_saves_it(qtbot, tmp_path, dialog):
    source = corpus_dir() / "xlsform" / "group.xlsx"
    dialog.source.setFocus()
    qtbot.keyClicks(dialog.source, str(source))
    qtbot.keyClick(dialog.source, Qt.Key.Key_Return)
    assert (
        dialog.summary.text()
        == "group: form group version 1: 1 standard, 1 key question, 3 questions."
    )
    warnings = [dialog.warnings.item(i).text() for i in range(dialog.warnings.count())]
    assert "survey row 4: phone number questions become text questions" in warnings
    assert dialog.save_button.isEnabled() and dialog.error.text() == ""
    saved = dialog.save(tmp_path / "group")
    assert saved == tmp_path / "group.yaml"
    assert load_form(saved).question("family_name").type == "text"


def test_a_refused_workbook_shows_its_one_line(dialog):
    source = corpus_dir() / "xlsform" / "xlsform_spec_test.xlsx"
    assert dialog.load(source) is False
    assert dialog.error.text() == f"{source}: survey row 15, type: repeats are not supported"
    assert dialog.error.textFormat() == Qt.TextFormat.PlainText
    assert not dialog.save_button.isEnabled() and dialog.save() is None


def test_file_menu_exports_for_qda_software(qtbot, tmp_path, demo_path):
    window = open_window(qtbot, demo_path)
    try:
        file_menu = window.menus[0]
        names = [a.objectName() for a in file_menu.actions()]
        assert "importForm" in names
        export = window.findChild(QMenu, "exportMenu")
        entries = [a.objectName() for a in export.actions() if not a.isSeparator()]
        assert entries == ["export_csv", "export_xlsx", "export_qdpx", "export_qdc"]
        dest = tmp_path / "coded.qdpx"
        assert export_refi(window, "qdpx", str(dest))
        qtbot.waitUntil(lambda: not window.tasks.busy(), timeout=10_000)
        with zipfile.ZipFile(dest) as z:
            validate(z.read("project.qde"))
        assert "keep it OFFICIAL-SENSITIVE" in window.saved_label.text()
        assert export_refi(window, "qdc", str(tmp_path / "tags"))
        qtbot.waitUntil(lambda: not window.tasks.busy(), timeout=10_000)
        assert (tmp_path / "tags.qdc").exists()
    finally:
        window.close()
