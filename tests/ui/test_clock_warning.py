"""The app on files an older release left odd (issue 12): a file holding changes dated
far ahead of this laptop's clock says so in the status bar, and a file whose log deleted
the inspection still opens on it, with its name in the title."""

from __future__ import annotations

import uuid
from pathlib import Path

from fieldwork.core.model import Op
from fieldwork.core.storage import merge
from tests.conftest import new_store
from tests.ui.conftest import open_window


def test_a_file_dated_far_ahead_says_so_in_the_status_bar(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "ahead.fieldwork"
    with new_store(path) as store:
        case = store.insert("cases", {"ref": "X123456", "organisation": "NPS"})
        far = Op(uuid.uuid4().hex, "9999999999999999-9999", uuid.uuid4().hex, store.author,
                 "cases", case, "office", "Far", ())  # fmt: skip
        store.apply_ops([far])  # as release 0.1.0 took it in
    window = open_window(qtbot, path)
    try:
        label = window.clock_label
        assert label.isVisible()
        assert "This laptop's clock reads" in label.text()
        assert "after the year 9999" in label.text()
    finally:
        window.close()


def test_a_well_kept_file_shows_no_clock_warning(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "fine.fieldwork"
    new_store(path).close()
    window = open_window(qtbot, path)
    try:
        assert not window.clock_label.isVisible()
    finally:
        window.close()


def test_a_log_that_deleted_the_inspection_still_opens_on_it(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "old.fieldwork"
    with new_store(path, name="Still here") as store:
        inspection = store.reads.inspection().id
        with store.transaction():  # release 0.1.0's write path had no guard
            seen = merge.row_heads(store.conn, "inspection", inspection)
            merge.write_local(store.conn, [("inspection", inspection, "deleted", True, seen)],
                              store.clock, store.device_id, store.author)  # fmt: skip
    window = open_window(qtbot, path)
    try:
        assert window.windowTitle().startswith("Still here")
    finally:
        window.close()
