"""Sync bundles: export and import of 200- and 10,000-case demos, each beside its floor.

Export floor: reading the changes table and writing the same NDJSON through zlib (the
same level) in one pass. Import floor: a bare executemany of the same rows into a table
of the same shape (the changes table with its indexes, and the pragmas a join builds its
file with: journal in memory, no syncs) and a commit. Import here is the biggest case: a
new laptop joining from the whole change log.

Goals (issue 4): 200 cases export plus import under 1 s; 10,000 cases under 30 s each
way and within 3x of the floor. Issue 12: proving the authors (a hash per op and a
signature per device) is shown beside the join it is part of, at most a fifth of it.

    python -m bench bundle
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import zlib
from pathlib import Path

from bench.common import demo_file, report, report_value
from fieldwork.core.storage import db
from fieldwork.core.storage.merge import OP_COLUMNS
from fieldwork.core.storage.store import Store
from fieldwork.core.sync import bundle
from fieldwork.core.sync.archive import CHANGES, LEVEL
from fieldwork.core.sync.ops import parse_row
from fieldwork.core.sync.reading import open_bundle
from fieldwork.core.sync.signing import Chains, check_signed

SIZES = (200, 10_000)


def _export_floor(path: Path, out: Path) -> float:
    store = Store.open(path, None, readonly=True, check=False)
    t0 = time.perf_counter()
    z = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    with open(out, "wb") as f:
        for rows in store.audit.op_lines():
            f.write(z.compress(("\n".join([r[1] for r in rows]) + "\n").encode()))
        f.write(z.flush())
    took = time.perf_counter() - t0
    store.close()
    return took


def _import_floor(path: Path, dest: Path) -> float:
    store = Store.open(path, None, readonly=True, check=False)
    rows = store.conn.execute(
        f"SELECT {OP_COLUMNS} FROM changes ORDER BY hlc, device, op"
    ).fetchall()
    store.close()
    conn = db.connect(dest, None, create=True)
    db.migrate(conn, dest, 0)  # an empty inspection file: `changes` with its indexes
    db.building_pragmas(conn)  # as a join builds its new file
    t0 = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(f"INSERT INTO changes({OP_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)", rows)
    conn.execute("COMMIT")
    took = time.perf_counter() - t0
    conn.close()
    return took


def _verification(bundle_path: Path) -> float:
    """What proving the authors adds to reading a bundle: every op's line hashed into its
    device's chain, and each device's signature checked against the head (issue 12)."""
    b = open_bundle(bundle_path)
    lines = list(b.zip.lines(CHANGES, 1 << 40, {}))
    rows = [parse_row(line, n) for n, line in enumerate(lines, 1)]
    t0 = time.perf_counter()
    chains = Chains({c.device: frozenset((c.count,)) for c in b.signatures.chains})
    for line, row in zip(lines, rows, strict=True):
        chains.add(line, row)
    check_signed(b.signatures, chains, b.manifest["inspection_id"])
    return time.perf_counter() - t0


def run() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for cases in SIZES:
            cached = demo_file(cases)
            lead = folder / f"lead{cases}.fieldwork"
            shutil.copy(cached, lead)  # export records itself in the file's history
            out = folder / f"b{cases}.zip"
            store = Store.open(lead, None, check=False)
            os.sync()  # the demo just written is on disk, not still being flushed
            t0 = time.perf_counter()
            result = bundle.export_bundle(store, out)
            t_export = time.perf_counter() - t0
            store.close()
            floor_export = _export_floor(lead, folder / f"floor{cases}.z")
            joined = folder / f"mate{cases}.fieldwork"
            os.sync()
            t0 = time.perf_counter()
            mate, _ = bundle.join_from_bundle(out, joined, None, member_name="Bench")
            mate.close()
            t_import = time.perf_counter() - t0
            os.sync()
            floor_import = _import_floor(lead, folder / f"floor{cases}.db")
            store = Store.open(lead, None, check=False)
            t0 = time.perf_counter()
            bundle.import_bundles(store, [out])
            t_again = time.perf_counter() - t0
            store.close()
            ops = result.info.op_count
            if cases <= 200:
                goal = f"export+import < 1 s: {'ok' if t_export + t_import < 1 else 'MISSED'}"
                report(f"bundle export {cases} cases ({ops} ops)", t_export, floor_export, goal)
                report(f"bundle import {cases} cases (join)", t_import, floor_import, goal)
            else:
                for what, mine, floor in (
                    ("export", t_export, floor_export),
                    ("import", t_import, floor_import),
                ):
                    ok = mine < 30 and mine < 3 * floor
                    report(
                        f"bundle {what} {cases} cases ({ops} ops)" if what == "export" else
                        f"bundle {what} {cases} cases (join)",
                        mine,
                        floor,
                        f"goal < 30 s and <= 3x: {'ok' if ok else 'MISSED'}",
                    )  # fmt: skip
            report_value(f"  re-import {cases} (all ops known)", t_again, "s")
            t_verify = _verification(out)
            ok = t_verify <= t_import / 5
            report(
                f"  verification in the join {cases}",
                t_verify,
                t_import,
                f"goal <= 1/5 of the join: {'ok' if ok else 'MISSED'}",
            )
            report_value(f"  bundle size {cases}", result.size / 1e6, "MB")
            for p in folder.iterdir():
                p.unlink()


if __name__ == "__main__":
    print(f"{'figure':<44} {'value':>14} {'baseline (same run)':>26} {'ratio':>10}  goal")
    run()
