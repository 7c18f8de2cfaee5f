"""The change log's rules: appending ops, heads, last writer wins, conflicts and undo.

A field's heads are its ops that no other op of the same field lists in `prev`;
the value shown is the head with the greatest (hlc, device, op). The functions
here run inside a transaction the store has opened; they never commit.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Sequence
from typing import Any, TypeAlias

from fieldwork.core.errors import CannotUndo
from fieldwork.core.model import Conflict, Op
from fieldwork.core.schema import BOOL, ENTITIES, JSON, TEXTLIST
from fieldwork.core.storage import vetting
from fieldwork.core.storage.clock import Clock
from fieldwork.core.storage.db import IntegrityError

Conn: TypeAlias = Any  # a sqlcipher3 connection (the driver ships no type hints)
Edit = tuple[str, str, str, Any, Sequence[str]]  # entity, row, field, value, extra prev
# An op as `changes` stores it, in OP_COLUMNS order: value and prev as canonical JSON text.
Row = tuple[str, str, str, str, str, str, str, str, str]
OP_COLUMNS = "op, hlc, device, author, entity, row, field, value, prev"


_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def dumps(value: Any) -> str:
    """The canonical JSON text of a value, so equal values compare equal as text."""
    return _ENCODER.encode(value)


def op_row(op: Op, value_text: str | None = None) -> Row:
    """The row `changes` stores for an op (`value_text`: its value already encoded)."""
    text = dumps(op.value) if value_text is None else value_text
    prev = dumps(list(op.prev)) if op.prev else "[]"
    return (op.op, op.hlc, op.device, op.author, op.entity, op.row, op.field, text, prev)


def column_value(entity: str, field: str, value: Any) -> Any:
    """How a field's value is kept in its materialised column."""
    kind = ENTITIES[entity].fields[field]
    if kind == BOOL:
        return int(bool(value))
    if kind in (JSON, TEXTLIST):
        return None if value is None else dumps(value)
    return value


def column_sql(entity: str, field: str, value: str = "w.value") -> str:
    """The SQL expression that turns a changes.value (JSON text, the SQL expression
    `value`) into the column's value."""
    kind = ENTITIES[entity].fields[field]
    if kind in (JSON, TEXTLIST):
        return f"CASE WHEN {value} = 'null' THEN NULL ELSE {value} END"
    if kind == BOOL:
        return f"coalesce(json_extract({value}, '$'), 0)"
    return f"json_extract({value}, '$')"


def conflict_id(entity: str, row: str, field: str, kind: str = "edit") -> str:
    """A conflict's id, the same on every laptop: one edit conflict per field, and one
    deleted-row conflict per row, which may stand beside an edit conflict over the row's
    `deleted` field (an edit, delete and undo here against a delete there), so the kind
    is part of the id."""
    key = f"{entity}/{row}/{field}" if kind == "edit" else f"{entity}/{row}/{field}/{kind}"
    return hashlib.sha1(key.encode()).hexdigest()[:10]


def _set_column(conn: Conn, entity: str, row: str, field: str, value: Any) -> None:
    col = f'"{field}"'
    conn.execute(
        f"INSERT INTO {entity}(id, {col}) VALUES (?, ?) "
        f"ON CONFLICT(id) DO UPDATE SET {col} = excluded.{col}",
        (row, column_value(entity, field, value)),
    )


def heads(conn: Conn, entity: str, row: str, field: str) -> list[tuple[str, str]]:
    """(op, value JSON) of a field's heads."""
    return conn.execute(
        "SELECT op, value FROM changes WHERE entity=? AND row=? AND field=? AND is_head=1",
        (entity, row, field),
    ).fetchall()


def row_heads(conn: Conn, entity: str, row: str) -> list[str]:
    """Every head op of every field of a row: what a delete has seen."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT op FROM changes WHERE entity=? AND row=? AND is_head=1", (entity, row)
        )
    ]


def write_local(
    conn: Conn,
    edits: Iterable[Edit],
    clock: Clock,
    device: str,
    author: str,
    fresh: frozenset[str] = frozenset(),
) -> list[Op]:
    """Append one op per edit that changes something, and update the rows. Returns the ops.

    `fresh` names rows the caller has just made up (new ids): they have no heads to
    look up, their ops are inserted in one batch and their columns with one INSERT
    per row.
    """
    written: list[Op] = []
    new_rows: dict[tuple[str, str], dict[str, Any]] = {}
    pending: list[tuple[Op, str]] = []  # ops of fresh rows, inserted together
    for entity, row, field, value, extra_prev in edits:
        is_fresh = row in fresh
        if not is_fresh and pending:
            _insert_ops(conn, pending)  # later look-ups must see them
            pending = []
        current = [] if is_fresh else heads(conn, entity, row, field)
        text = dumps(value)
        if not extra_prev and len(current) == 1 and current[0][1] == text:
            continue  # same value, nothing to record
        if not extra_prev and not current and value is None:
            continue  # clearing a field that was never set
        prev = tuple(sorted({h for h, _ in current} | set(extra_prev)))
        if prev:
            _follow(conn, clock, prev)
        op = Op(uuid.uuid4().hex, clock.tick(), device, author, entity, row, field, value, prev)
        if is_fresh:
            pending.append((op, text))
            new_rows.setdefault((entity, row), {})[field] = column_value(entity, field, value)
        else:
            _insert_ops(conn, [(op, text)])
            if current:
                conn.executemany(
                    "UPDATE changes SET is_head=0 WHERE op=?", [(h,) for h, _ in current]
                )
            _set_column(conn, entity, row, field, value)
        written.append(op)
    if pending:
        _insert_ops(conn, pending)
    for (entity, row), columns in new_rows.items():
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" * (len(columns) + 1))
        conn.execute(
            f"INSERT INTO {entity}(id, {names}) VALUES ({marks})", (row, *columns.values())
        )
    return written


def _follow(conn: Conn, clock: Clock, prev: Sequence[str]) -> None:
    """Make the clock pass the ops a write lists, so it is dated after them (vetting.py
    refuses an op dated at or before one it lists). The bound still holds: an op dated
    too far ahead is not followed."""
    marks = ",".join("?" * len(prev))
    clock.observe(
        conn.execute(f"SELECT max(hlc) FROM changes WHERE op IN ({marks})", prev).fetchone()[0]
    )


def _insert_ops(conn: Conn, ops: Sequence[tuple[Op, str]]) -> None:
    conn.executemany(
        "INSERT INTO changes(op, hlc, device, author, entity, row, field, value, prev, is_head)"
        " VALUES (?,?,?,?,?,?,?,?,?,1)",
        [op_row(o, text) for o, text in ops],
    )
    links = [(p, o.op, o.entity, o.row, o.field) for o, _ in ops for p in o.prev]
    if links:
        conn.executemany(
            "INSERT OR IGNORE INTO supersedes(prev, op, entity, row, field) VALUES (?,?,?,?,?)",
            links,
        )


# The op ids' unique index, and the secondary indexes of `changes`, exactly as
# 0002_changes_op_index.sql makes them.
OP_INDEX = "CREATE UNIQUE INDEX changes_op ON changes(op)"
CHANGES_INDEXES = (
    ("changes_field", "CREATE INDEX changes_field ON changes(entity, row, field)"),
    ("changes_hlc", "CREATE INDEX changes_hlc ON changes(hlc)"),
    (
        "changes_heads",
        "CREATE INDEX changes_heads ON changes(entity, row, field, value) WHERE is_head = 1",
    ),
)


def log_is_empty(conn: Conn) -> bool:
    return conn.execute("SELECT 1 FROM changes LIMIT 1").fetchone() is None


def apply_foreign(
    conn: Conn, ops: Iterable[Row], clock: Clock, vet: bool = False
) -> tuple[int, int]:
    """Apply validated ops (as rows) from another laptop in bulk; idempotent and
    order-independent. With `vet` (a bundle), the new ops must first pass the rules of
    vetting.py, else BundleError and nothing is applied (the caller rolls back).

    Returns (new, known). Leaves the touched fields in the temp table `touched`.
    """
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS incoming(op TEXT PRIMARY KEY, hlc, device, author,"
        " entity, row, field, value, prev, twice INTEGER NOT NULL DEFAULT 0)"
    )
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS touched(entity, row, field,"
        " PRIMARY KEY(entity, row, field)) WITHOUT ROWID"
    )
    conn.execute("DELETE FROM incoming")
    conn.execute("DELETE FROM touched")
    total = 0

    def rows() -> Iterable[Row]:
        nonlocal total
        for row in ops:
            total += 1
            yield row

    if log_is_empty(conn):
        new = _fill_empty(conn, rows(), clock, vet)
        return new, total - new
    # The same op id twice with two bodies is marked, to be refused when vetting.
    conn.executemany(
        f"INSERT INTO incoming({OP_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT(op)"
        f" DO UPDATE SET twice=1 WHERE NOT ({vetting.same_body('incoming', 'excluded')})",
        rows(),
    )
    conn.execute(
        "DELETE FROM incoming WHERE EXISTS (SELECT 1 FROM changes c WHERE c.op=incoming.op"
        f" AND {vetting.same_body('c', 'incoming')})"
    )
    if vet:
        vetting.vet_incoming(conn, clock.limit())
    else:  # a known id with another body: the first one held stays
        conn.execute("DELETE FROM incoming WHERE op IN (SELECT op FROM changes)")
    new = conn.execute("SELECT count(*) FROM incoming").fetchone()[0]
    if not new:
        return 0, total
    newest = conn.execute("SELECT max(hlc) FROM incoming").fetchone()[0]
    clock.observe(newest)
    conn.execute(
        "INSERT INTO changes(op, hlc, device, author, entity, row, field, value, prev, is_head)"
        " SELECT op, hlc, device, author, entity, row, field, value, prev, 1 FROM incoming"
    )
    conn.execute(
        "INSERT OR IGNORE INTO supersedes(prev, op, entity, row, field)"
        " SELECT j.value, i.op, i.entity, i.row, i.field FROM incoming i, json_each(i.prev) j"
    )
    # New ops that a known or incoming op of the same field already lists are not heads.
    conn.execute(
        "UPDATE changes SET is_head=0 WHERE op IN (SELECT i.op FROM incoming i JOIN supersedes s"
        " ON s.prev=i.op AND s.entity=i.entity AND s.row=i.row AND s.field=i.field)"
    )
    # Known ops that an incoming op of the same field lists stop being heads.
    conn.execute(
        "UPDATE changes SET is_head=0 WHERE op IN (SELECT c.op FROM incoming i"
        " JOIN supersedes s ON s.op=i.op"
        " JOIN changes c ON c.op=s.prev AND c.entity=s.entity AND c.row=s.row"
        " AND c.field=s.field WHERE c.is_head=1)"
    )
    conn.execute("INSERT OR IGNORE INTO touched SELECT entity, row, field FROM incoming")
    _rematerialise(conn)
    return new, total - new


def _fill_empty(conn: Conn, rows: Iterable[tuple], clock: Clock, vet: bool = False) -> int:
    """Apply ops to an empty log (a laptop joining from a setup bundle), the same rules
    as apply_foreign but straight into `changes` (every op is new), with its indexes
    built once each rather than kept up to date row by row."""
    for name in ("changes_op", *(name for name, _ in CHANGES_INDEXES)):
        conn.execute(f"DROP INDEX IF EXISTS {name}")
    conn.executemany(
        "INSERT INTO changes(op, hlc, device, author, entity, row, field, value,"
        " prev, is_head) VALUES (?,?,?,?,?,?,?,?,?,1)",
        rows,
    )
    try:
        conn.execute(OP_INDEX)
    except IntegrityError:
        # The same op given twice: keep the first, as INSERT OR IGNORE would have
        # (refused when vetting if the two bodies differ).
        twice = vetting.twice_in_log(conn) if vet else None
        if twice is not None:
            raise vetting.equivocation(twice) from None
        conn.execute(
            "DELETE FROM changes WHERE rowid NOT IN (SELECT min(rowid) FROM changes GROUP BY op)"
        )
        conn.execute(OP_INDEX)
    new = conn.execute("SELECT count(*) FROM changes").fetchone()[0]
    if new:
        conn.execute(
            "INSERT OR IGNORE INTO supersedes(prev, op, entity, row, field)"
            " SELECT j.value, c.op, c.entity, c.row, c.field FROM changes c, json_each(c.prev) j"
            " WHERE c.prev != '[]'"
        )
        # An op that another op of the same field lists is not a head.
        conn.execute(
            "UPDATE changes SET is_head=0 WHERE op IN (SELECT c.op FROM supersedes s"
            " JOIN changes c ON c.op=s.prev AND c.entity=s.entity AND c.row=s.row"
            " AND c.field=s.field)"
        )
    for _, create in CHANGES_INDEXES:
        conn.execute(create)
    if new:
        if vet:
            vetting.vet_filled(conn, clock.limit())
        clock.observe(conn.execute("SELECT max(hlc) FROM changes").fetchone()[0])
        conn.execute("INSERT OR IGNORE INTO touched SELECT entity, row, field FROM changes")
        for entity in ENTITIES:
            _materialise_all(conn, entity)
    return new


def _materialise_all(conn: Conn, entity: str) -> None:
    """Write every row of `entity` from its fields' winning heads, in one INSERT for the
    table (a join: the table is empty). A field never written gets its column's default."""
    defaults = {r[1]: r[4] for r in conn.execute(f"PRAGMA table_info({entity})")}
    columns = list(ENTITIES[entity].fields)
    picks = []
    for f in columns:
        winner = column_sql(entity, f, f"max(CASE WHEN field = '{f}' THEN value END)")
        default = defaults[f] or "NULL"
        picks.append(f"CASE WHEN max(field = '{f}') THEN {winner} ELSE {default} END")
    names = ", ".join(f'"{f}"' for f in columns)
    # The inner query is each field's winning head: its only head, read from the
    # changes_heads index alone, or the greatest (hlc, device, op) of several. The outer
    # query turns a row's fields into one row of the table.
    conn.execute(
        f"INSERT OR REPLACE INTO {entity}(id, {names}) SELECT row, {', '.join(picks)}"
        " FROM (SELECT h.row, h.field, CASE WHEN count(*) = 1 THEN h.value ELSE"
        " (SELECT c.value FROM changes c WHERE c.entity=h.entity AND c.row=h.row"
        " AND c.field=h.field AND c.is_head=1 ORDER BY c.hlc DESC, c.device DESC, c.op DESC"
        " LIMIT 1) END AS value FROM changes h WHERE h.is_head=1 AND h.entity=?"
        " GROUP BY h.row, h.field) GROUP BY row",
        (entity,),
    )


def _rematerialise(conn: Conn) -> None:
    """Set every touched field's column to its winning head's value."""
    conn.execute("DROP TABLE IF EXISTS temp.winners")
    # SQLite takes a bare column from the row holding max(): that is the winning head.
    # hlc, device and op are fixed-width, so one string orders as (hlc, device, op).
    conn.execute(
        "CREATE TEMP TABLE winners AS SELECT c.entity, c.row, c.field, c.value,"
        " max(c.hlc || c.device || c.op) AS rank FROM touched t JOIN changes c"
        " ON c.entity=t.entity AND c.row=t.row AND c.field=t.field AND c.is_head=1"
        " GROUP BY c.entity, c.row, c.field"
    )
    conn.execute("CREATE INDEX temp.winners_by_field ON winners(entity, field)")
    present = {(e, f) for e, f in conn.execute("SELECT DISTINCT entity, field FROM winners")}
    for entity, field in sorted(present):
        col = f'"{field}"'
        conn.execute(
            f"INSERT INTO {entity}(id, {col}) SELECT w.row, {column_sql(entity, field)}"
            f" FROM winners w WHERE w.entity=? AND w.field=?"
            f" ON CONFLICT(id) DO UPDATE SET {col}=excluded.{col}",
            (entity, field),
        )
    conn.execute("DROP TABLE temp.winners")


def _op_from_row(r: Sequence[Any]) -> Op:
    return Op(r[0], r[1], r[2], r[3], r[4], r[5], r[6], json.loads(r[7]), tuple(json.loads(r[8])))


def ops_of(conn: Conn, where: str, params: Sequence[Any] = ()) -> list[Op]:
    return [
        _op_from_row(r)
        for r in conn.execute(f"SELECT {OP_COLUMNS} FROM changes WHERE {where}", params)
    ]


def conflicts(conn: Conn, touched_only: bool = False) -> list[Conflict]:
    """Open conflicts, derived from the ops alone, so every laptop with the same ops agrees."""
    join = (
        " JOIN touched t ON t.entity=c.entity AND t.row=c.row AND t.field=c.field"
        if touched_only
        else ""
    )
    found: list[Conflict] = []
    groups = conn.execute(
        f"SELECT c.entity, c.row, c.field FROM changes c{join} WHERE c.is_head=1"
        " GROUP BY c.entity, c.row, c.field HAVING count(DISTINCT c.value) > 1"
    ).fetchall()
    for entity, row, field in groups:
        hs = ops_of(
            conn,
            "entity=? AND row=? AND field=? AND is_head=1 ORDER BY hlc, device, op",
            (entity, row, field),
        )
        found.append(
            Conflict(conflict_id(entity, row, field), entity, row, field, "edit", tuple(hs))
        )
    found.extend(_delete_conflicts(conn, touched_only))
    return sorted(found, key=lambda c: (c.entity, c.row, c.field))


def _delete_conflicts(conn: Conn, touched_only: bool) -> list[Conflict]:
    """Rows deleted on one laptop while another, not having seen the delete, edited them."""
    found = []
    for entity in ENTITIES:
        if touched_only:
            rows = conn.execute(
                f"SELECT e.id FROM {entity} e WHERE e.deleted=1 AND e.id IN"
                " (SELECT row FROM touched WHERE entity=?)",
                (entity,),
            ).fetchall()
        else:
            rows = conn.execute(f"SELECT id FROM {entity} WHERE deleted=1").fetchall()
        for (row,) in rows:
            deletes = ops_of(
                conn,
                "entity=? AND row=? AND field='deleted' AND is_head=1"
                " ORDER BY hlc DESC, device DESC, op DESC",
                (entity, row),
            )
            if not deletes or deletes[0].value is not True:
                continue
            seen = set(deletes[0].prev)
            unseen = [
                op
                for op in ops_of(
                    conn,
                    "entity=? AND row=? AND field!='deleted' AND is_head=1 ORDER BY hlc",
                    (entity, row),
                )
                if op.op not in seen
            ]
            if unseen:
                found.append(
                    Conflict(
                        conflict_id(entity, row, "deleted", "deleted"),
                        entity,
                        row,
                        "deleted",
                        "deleted",
                        (deletes[0], *unseen),
                    )
                )
    return found


def undo_edits(conn: Conn, ops: Sequence[Op]) -> list[Edit]:
    """The edits that put back what `ops` replaced; refused unless each op is still the only head."""
    edits: list[Edit] = []
    for op in ops:
        current = heads(conn, op.entity, op.row, op.field)
        if [h for h, _ in current] != [op.op]:
            raise CannotUndo("It was changed since, here or on another laptop: nothing was undone.")
        edits.append((op.entity, op.row, op.field, prior_value(conn, op), ()))
    return edits


def prior_value(conn: Conn, op: Op) -> Any:
    """The value a field showed just before `op` was written."""
    if op.prev:
        marks = ",".join("?" * len(op.prev))
        row = conn.execute(
            f"SELECT value FROM changes WHERE op IN ({marks}) AND entity=? AND row=? AND field=?"
            " ORDER BY hlc DESC, device DESC, op DESC LIMIT 1",
            (*op.prev, op.entity, op.row, op.field),
        ).fetchone()
        if row:
            return json.loads(row[0])
    # Nothing before it: the row did not exist, so undoing its creation deletes it.
    return True if op.field == "deleted" else None
