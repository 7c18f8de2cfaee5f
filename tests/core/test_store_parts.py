"""The parts a Store hands out (store.reads, store.search, store.audit, store.backups)
follow the store: through a lock and unlock, and without keeping it alive."""

from __future__ import annotations

import gc
from pathlib import Path

from fieldwork.core.storage.store import Store
from tests.conftest import PASSPHRASE, new_store


def test_the_parts_follow_the_store_through_lock_and_unlock(tmp_path: Path) -> None:
    store = new_store(tmp_path / "secret.fieldwork", PASSPHRASE)
    case_id = store.insert("cases", {"ref": "X123456", "organisation": "NPS"})
    store.set_answer(case_id, "2.1/strengths", "Warm and thorough contact")
    reads, search = store.reads, store.search
    assert store.lock()
    store.unlock(PASSPHRASE)
    assert [c.ref for c in reads.cases()] == ["X123456"]
    assert [r["row"] for r in search.find("thorough")] != []
    store.set_answer(case_id, "2.1/strengths", "Brisk contact")  # the index follows, after too
    assert search.find("thorough") == [] and search.find("brisk") != []
    assert store.audit.check()["ok"]
    store.close()


def test_a_store_dropped_without_closing_lets_go_of_the_file_at_once(tmp_path: Path) -> None:
    path = tmp_path / "dropped.fieldwork"
    new_store(path).close()
    gc.disable()  # no cycle collector to tidy up after us: only reference counting
    try:
        store = Store.open(path)
        store.insert("cases", {"ref": "X123456", "organisation": "NPS"})
        assert store.reads.cases() and store.audit.op_count() and store.search.find("x") == []
        del store
        assert not Path(f"{path}-wal").exists()  # closed, so SQLite folded its log back in
        assert [c.ref for c in Store.open(path).reads.cases()] == ["X123456"]
    finally:
        gc.enable()


def test_opening_and_reading_a_file_loads_neither_pandas_nor_numpy(tmp_path: Path) -> None:
    """sqlite-utils imports pandas and numpy wherever they are installed (the test tools
    bring them): 100 MB of memory the app has no use for, so it is imported only when a
    dump asks for it."""
    import subprocess
    import sys

    path = tmp_path / "t.fieldwork"
    new_store(path).close()
    script = (
        "import sys\n"
        "from fieldwork.app import create_main_window\n"
        "from fieldwork.core.storage.store import Store\n"
        f"s = Store.open({str(path)!r})\n"
        "s.reads.cases(); s.reads.members(); s.search.find('x')\n"
        "print(sorted(m for m in ('pandas', 'numpy') if m in sys.modules))\n"
        "s.audit.dump()\n"
        "print('sqlite_utils' in sys.modules)\n"
        "s.close()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.split("\n")[:2] == ["[]", "True"], done.stderr
