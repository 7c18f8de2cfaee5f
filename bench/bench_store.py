"""Saving one answer through the write path, beside a bare sqlcipher3 INSERT + COMMIT
under the same pragmas; and the time to write demo inspections."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import sqlcipher3

from bench.common import best_of, report, report_value
from fieldwork.core.demo.generator import make_demo
from fieldwork.core.storage import db
from fieldwork.core.storage.store import Store

PASSPHRASE = "bench passphrase"
N = 200


def _bare(folder: Path) -> float:
    conn = db.connect(folder / "bare.db", PASSPHRASE, create=True)
    conn.execute("CREATE TABLE t(id TEXT PRIMARY KEY, value TEXT)")

    def go() -> None:
        for i in range(N):
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT OR REPLACE INTO t VALUES (?, ?)", (f"row{i % 50}", f'"v{i}"'))
            conn.execute("COMMIT")

    t = best_of(go) / N
    conn.close()
    return t


def _answers(folder: Path) -> float:
    store = Store.create(
        folder / "store.fieldwork",
        PASSPHRASE,
        name="bench",
        form_id="adult-case-supervision",
        organisations=["NPS"],
    )
    case_id = store.insert("cases", {"ref": "X123456", "organisation": "NPS"})
    counter = iter(range(10**9))

    def go() -> None:
        for i in range(N):
            store.set_answer(case_id, f"q{i % 50}", f"v{next(counter)}")

    t = best_of(go) / N
    store.close()
    return t


def _demo(folder: Path, cases: int) -> float:
    t0 = time.perf_counter()
    make_demo(folder / f"demo{cases}.fieldwork", cases=cases, seed=1).close()
    return time.perf_counter() - t0


def run() -> None:
    assert sqlcipher3  # the driver under both
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bare = _bare(folder)
        mine = _answers(folder)
        report(
            "save one answer (encrypted, FULL sync)", mine, bare, "goal <= 2x", met=mine <= 2 * bare
        )
        small = _demo(folder, 200)
        report_value("demo --cases 200", small, "s")
        big = _demo(folder, 10_000)
        report_value("demo --cases 10000", big, "s")
