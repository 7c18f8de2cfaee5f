"""The file as a whole, for checking and for history: the dump of the shared state, the
integrity checks, the change log read back (for bundles and the audit trail of a row),
and this laptop's history of bundles sent and received. Handed out as `store.audit`.
"""

from __future__ import annotations

import heapq
import itertools
import json
from collections.abc import Iterator, Sequence
from typing import Any

from fieldwork.core.model import Op
from fieldwork.core.schema import ENTITIES
from fieldwork.core.storage import db, merge
from fieldwork.core.storage.clock import MAX_AHEAD_MS, hlc_ms, hlc_text, ms_text, span_text
from fieldwork.core.storage.part import Part

# A wall clock more than this before the file's first op is wrong: the file cannot have
# been made later than now. (Clocks some minutes apart are common and harmless.)
BEFORE_CREATION_MS = 60 * 60 * 1000


class Audit(Part):
    """Dump, check, the change log and the bundle history of a Store (`store.audit`)."""

    def dump(self) -> dict[str, Any]:
        """The shared state only: every table, rows sorted by id, deleted rows marked,
        and open conflicts. Equal ops give an equal dump on every laptop."""
        out: dict[str, Any] = {}
        for name, spec in sorted(ENTITIES.items()):
            rows = []
            for r in self._store.db.table(name).rows_where(order_by="id"):
                row: dict[str, Any] = {"id": r["id"]}
                for field, kind in spec.fields.items():
                    v = r[field]
                    if kind == "bool":
                        v = bool(v)
                    elif kind in ("json", "textlist") and v is not None:
                        v = json.loads(v)
                    row[field] = v
                rows.append(row)
            out[name] = rows
        out["conflicts"] = [
            {
                "id": c.id,
                "entity": c.entity,
                "row": c.row,
                "field": c.field,
                "kind": c.kind,
                "heads": [
                    {
                        "op": h.op,
                        "hlc": h.hlc,
                        "device": h.device,
                        "author": h.author,
                        "field": h.field,
                        "value": h.value,
                    }
                    for h in c.heads
                ],
            }
            for c in merge.conflicts(self._store.conn)
        ]
        return out

    def check(self) -> dict[str, Any]:
        """Integrity and foreign-key checks, and the schema version."""
        with db.translated(self._store.path):
            integrity = [r[0] for r in self._store.conn.execute("PRAGMA integrity_check")]
            fks = self._store.conn.execute("PRAGMA foreign_key_check").fetchall()
            dangling = self._scalar(
                "SELECT count(*) FROM answers a WHERE a.deleted=0 AND NOT EXISTS"
                " (SELECT 1 FROM cases c WHERE c.id=a.case_id)"
            )
        return {
            "integrity": integrity,
            "ok": integrity == ["ok"] and not fks,
            "foreign_key_errors": len(fks),
            "answers_without_case": dangling,
            "schema_version": db.schema_version(self._store.conn),
            "latest_schema": db.LATEST_SCHEMA,
            "ops": self.op_count(),
            "encrypted": self._store.encrypted,
        }

    def export_check(self) -> dict[str, Any]:
        """What a bundle export needs of the file, quick enough for every export: every
        page sound (quick_check), and the number of ops in the change log's own table,
        which the lines exported through its hlc index must match. (`check()` runs the
        full integrity_check, 10 s on a 10,000-case file, for `fieldwork check`.)"""
        with db.translated(self._store.path):
            rows = [r[0] for r in self._store.conn.execute("PRAGMA quick_check")]
            ops = self._scalar("SELECT count(*) FROM changes NOT INDEXED")
            ops += self._scalar("SELECT count(*) FROM set_aside")
        return {"ok": rows == ["ok"], "integrity": rows, "ops": ops}

    def clock_warning(self) -> str | None:
        """One line for the person when this laptop's clock looks far wrong, judged from
        the ops the file holds (the app's status bar and the command line show it when
        the file opens); None when all is well."""
        clock = self._store.clock
        now = clock.now()
        conn = self._store.conn
        newest = conn.execute(
            "SELECT hlc, device, author FROM changes ORDER BY hlc DESC LIMIT 1"
        ).fetchone()
        if newest is None:
            return None
        hlc, device, author = newest
        ms = hlc_ms(hlc)
        if ms is None or ms > now + MAX_AHEAD_MS:
            name = self._store.reads.member_names().get(author)
            who = f"{name}'s laptop" if name else f"device {device[:8]}"
            ahead = f", {span_text(ms - now)} ahead of it" if ms is not None else ""
            return (
                f"This laptop's clock reads {ms_text(now)}, but this file holds changes dated "
                f"{hlc_text(hlc)} (from {who}){ahead}. Check this laptop's date and time: new "
                "changes here are dated no later than a day ahead of its clock, and teammates "
                "refuse bundles holding changes dated further ahead than that."
            )
        first = hlc_ms(conn.execute("SELECT min(hlc) FROM changes").fetchone()[0])
        if first is not None and now < first - BEFORE_CREATION_MS:
            return (
                f"This laptop's clock reads {ms_text(now)}, before this file was created "
                f"({ms_text(first)}). Check this laptop's date and time."
            )
        return None

    def ops(self, where: str = "1", params: Sequence[Any] = ()) -> Iterator[Op]:
        """The change log in hlc order (a streaming cursor, for bundles)."""
        cur = self._store.conn.execute(
            f"SELECT {merge.OP_COLUMNS} FROM changes WHERE {where} ORDER BY hlc, device, op", params
        )
        for r in cur:
            yield merge._op_from_row(r)

    def op_lines(self, batch: int = 5000) -> Iterator[list[tuple[str, str, str, str, str]]]:
        """The change log as (hlc, canonical JSON line, device, author, op) in batches, in
        (hlc, device, op) order: what a bundle's changes.ndjson holds, without a Python
        object per op. The ops set aside here (trust.py) are in it too, in their place: they
        belong to their devices' chains, and the laptops after this one decide on them."""
        cur = self._store.conn.execute(_LINES.format(line=line_sql(), table="changes"))
        aside = self._store.conn.execute(
            _LINES.format(line=line_sql(), table="set_aside")
        ).fetchall()
        if not aside:
            while rows := cur.fetchmany(batch):
                yield rows
            return
        merged = heapq.merge(cur, aside, key=lambda r: (r[0], r[2], r[4]))
        while rows := list(itertools.islice(merged, batch)):
            yield rows

    def op_count(self) -> int:
        return self._scalar("SELECT count(*) FROM changes")

    def log_mark(self) -> int:
        """Where the change log ends now: ops added later have a higher row number."""
        return int(self._scalar("SELECT coalesce(max(rowid), 0) FROM changes"))

    def answers_set_since(self, mark: int) -> set[str]:
        """The answer rows whose value an op added after `mark` (log_mark) set."""
        rows = self._store.conn.execute(
            "SELECT DISTINCT row FROM changes"
            " WHERE rowid > ? AND entity='answers' AND field='value'",
            (mark,),
        )
        return {r[0] for r in rows}

    def history(self, entity: str, row: str, field: str | None = None) -> list[Op]:
        """The audit trail of a row (or one field): who changed what, when, from what."""
        if field:
            return merge.ops_of(
                self._store.conn,
                "entity=? AND row=? AND field=? ORDER BY hlc",
                (entity, row, field),
            )
        return merge.ops_of(self._store.conn, "entity=? AND row=? ORDER BY hlc", (entity, row))

    def set_aside_count(self) -> int:
        return int(self._scalar("SELECT count(*) FROM set_aside"))

    def newest_ops(self, limit: int) -> list[Op]:
        """The newest `limit` ops, oldest first (the app's history of a whole file)."""
        found = merge.ops_of(
            self._store.conn, "1 ORDER BY hlc DESC, device DESC, op DESC LIMIT ?", (limit,)
        )
        return found[::-1]

    def case_history(self, case_id: str) -> list[Op]:
        """The audit trail of a case: its own row and its answers', in time order."""
        conn = self._store.conn
        found = merge.ops_of(conn, "entity='cases' AND row=?", (case_id,))
        for (row,) in conn.execute("SELECT id FROM answers WHERE case_id=?", (case_id,)):
            found += merge.ops_of(conn, "entity='answers' AND row=?", (row,))
        return sorted(found, key=lambda o: (o.hlc, o.device, o.op))

    def record_bundle(
        self,
        *,
        bundle_id: str,
        direction: str,
        path: str | None,
        device: str | None,
        author: str | None,
        op_count: int,
        new_ops: int | None,
        created: str | None,
    ) -> None:
        """Add a line to this laptop's history of bundles sent ('out') and received ('in')."""
        import datetime as dt

        with self._store.transaction():
            self._store.conn.execute(
                "INSERT INTO bundles(bundle_id, direction, path, device, author, op_count, new_ops,"
                " created, at) VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    bundle_id,
                    direction,
                    path,
                    device,
                    author,
                    op_count,
                    new_ops,
                    created,
                    dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                ),
            )

    def bundle_history(self) -> list[dict[str, Any]]:
        return self._rows("SELECT * FROM bundles ORDER BY at DESC, rowid DESC")


def line_sql() -> str:
    """The canonical line of an op (Op.to_json) as an SQL expression over a row of
    `changes` (or `set_aside`): the columns already hold canonical JSON for value and
    prev, and ids, names and clock need no escaping."""
    return (
        '\'{"author":"\' || author || \'","device":"\' || device'
        ' || \'","entity":"\' || entity || \'","field":"\' || field || \'","hlc":"\' || hlc'
        ' || \'","op":"\' || op || \'","prev":\' || prev || \',"row":"\' || row'
        " || '\",\"value\":' || coalesce(value, 'null') || '}'"
    )


_LINES = "SELECT hlc, {line}, device, author, op FROM {table} ORDER BY hlc, device, op"
