"""Import a case sample: a bad line blocks the import; a good file stores every case."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from fieldwork.core.storage.store import Store
from fieldwork.ui.cases.case_import import CaseImportDialog, import_in_worker
from fieldwork.ui.session import Session

GOOD = (
    "ref,organisation,office,inspector,sentence_type\n"
    "Z000001,NPS,Glanmor,Imogen Quill,licence\n"
    "z000002,crc,Tresaith,,community_order\n"
    "Z000003,CRC,,Imogen Quill,\n"
)
BAD = (
    "ref,organisation,office,inspector,sentence_type\n"
    "Z000001,NPS,Glanmor,,licence\n"
    "<b>nope</b>,NPS,Glanmor,,licence\n"
    "Z000003,Elsewhere,,,\n"
    "Z000001,CRC,,,\n"
)


@pytest.fixture
def dialog(qtbot, demo) -> CaseImportDialog:
    d = CaseImportDialog(Session(demo[1]), None)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    return d


def test_bad_lines_are_listed_and_nothing_is_imported(qtbot, tmp_path, demo, dialog):
    path, store = demo
    csv = tmp_path / "bad.csv"
    csv.write_text(BAD, encoding="utf-8")
    assert dialog.load(csv) is False
    errors = [dialog.errors.item(i).text() for i in range(dialog.errors.count())]
    assert len(errors) == 3
    assert errors[0].startswith("line 3:") and "<b>nope</b>" in errors[0]
    assert errors[1].startswith("line 4:") and errors[2].startswith("line 5:")
    assert dialog.errors_box.isVisibleTo(dialog)
    assert dialog.model.rowCount() == 1  # the good line is previewed
    assert not dialog.import_button.isEnabled()
    dialog.start_import()  # refused even if called
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert "3 lines have problems" in dialog.summary.text()
    store.close()
    with Store.open(path) as again:
        assert len(again.reads.cases()) == 20
        assert again.reads.case_by_ref("Z000001") is None


def test_a_wrong_header_is_reported(tmp_path, dialog):
    csv = tmp_path / "header.csv"
    csv.write_text("ref,organisation,colour\nZ000001,NPS,red\n", encoding="utf-8")
    assert dialog.load(csv) is False
    assert "unknown column 'colour'" in dialog.errors.item(0).text()
    assert dialog.model.rowCount() == 0
    assert not dialog.import_button.isEnabled()


def test_good_sample_is_imported(qtbot, tmp_path, demo, dialog):
    path, store = demo
    csv = tmp_path / "good.csv"
    csv.write_text(GOOD, encoding="utf-8")
    assert dialog.load(csv) is True
    assert dialog.model.rowCount() == 3
    assert dialog.model.index(0, 5).data() == "Licence"  # choice labels, not ids
    assert not dialog.errors_box.isVisibleTo(dialog)
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignals([dialog.session.changed, dialog.imported], timeout=5000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.count == 3
    assert dialog.result() == dialog.DialogCode.Accepted
    store.close()
    with Store.open(path) as again:
        cases = {c.ref: c for c in again.reads.cases()}
        assert len(cases) == 23
        assert cases["Z000002"].organisation == "CRC"
        assert again.reads.answers(cases["Z000001"].id)["sentence_type"].value == "licence"
        names = again.reads.member_names()
        assert names[cases["Z000001"].inspector] == "Imogen Quill"
        assert cases["Z000003"].inspector == cases["Z000001"].inspector


def test_inputs_are_named(dialog):
    for widget in (dialog.file, dialog.choose, dialog.table, dialog.errors, dialog.import_button):
        assert widget.accessibleName()


def test_worker_path_uses_its_own_connection(tmp_path, demo, dialog):
    path, store = demo
    csv = tmp_path / "good.csv"
    csv.write_text(GOOD, encoding="utf-8")
    assert dialog.load(csv)
    assert import_in_worker(store.path, None, dialog.sample) == 3
    assert store.reads.case_by_ref("Z000003") is not None  # the UI's connection sees it


def test_import_runs_in_the_worker_with_its_own_connection(qtbot, tmp_path, demo):
    from PySide6.QtWidgets import QWidget

    from fieldwork.ui.tasks import Tasks

    path, store = demo
    host = QWidget()
    qtbot.addWidget(host)
    session = Session(store)
    tasks = Tasks(lambda: store.opener(), host)
    tasks.show_dialogs = False
    dialog = CaseImportDialog(session, tasks)
    qtbot.addWidget(dialog)
    csv = tmp_path / "good.csv"
    csv.write_text(GOOD, encoding="utf-8")
    assert dialog.load(csv)
    with qtbot.waitSignal(dialog.imported, timeout=10000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.count == 3
    assert store.reads.case_by_ref("Z000002") is not None  # the UI's connection sees the commit
    tasks.shutdown()
