"""The rules a bundle's new ops must pass before any is applied (merge.apply_foreign with
`vet`): each rule is one SQL query over the ops the file does not hold yet, so the cost
is a few index look-ups per new op. A broken rule refuses the whole bundle in one line
(BundleError); the caller's transaction then leaves the file as it was.

- A known op id with a different body (equivocation) is refused: op ids are not content
  hashes, so the first body a file holds is the one it keeps, and a second is evidence.
- Every op listed in `prev` must be held by the file (applied, or set aside: trust.py) or
  come in the same bundle (a bundle carries its writer's whole log), must not be the op itself, and must be dated strictly
  earlier: the prev graph then has no cycle, whatever order ops arrive in.
- No op may be dated more than the clock's margin ahead of this laptop's wall clock.
- No op may delete the inspection or a lead's membership, or point the inspection at a
  form neither the file nor the bundle holds: those rows hold the inspection together.

Only ops new to this file are judged: a log that already holds an op (from an older
release) keeps syncing with teammates who hold it too.
"""

from __future__ import annotations

import json
from typing import Any, TypeAlias

from fieldwork.core.errors import BundleError
from fieldwork.core.storage.clock import MAX_AHEAD_MS, hlc_ms, hlc_text, span_text

Conn: TypeAlias = Any
_COLUMNS = ("hlc", "device", "author", "entity", "row", "field", "value", "prev")
NOTHING = "Nothing was imported."


def same_body(a: str, b: str) -> str:
    """SQL: the ops `a` and `b` (table aliases) have the same body."""
    return " AND ".join(
        f"coalesce({a}.{c}, 'null') = coalesce({b}.{c}, 'null')"
        if c == "value"
        else f"{a}.{c} = {b}.{c}"
        for c in _COLUMNS
    )


def vet_incoming(conn: Conn, limit: str) -> None:
    """Judge the new ops in temp.incoming (ops with a known id and the same body are
    already gone from it) before they enter `changes`."""
    twice = conn.execute("SELECT op, entity, field FROM incoming WHERE twice=1 LIMIT 1").fetchone()
    if twice is None:
        twice = conn.execute(
            "SELECT i.op, i.entity, i.field FROM incoming i JOIN changes c ON c.op=i.op LIMIT 1"
        ).fetchone()
    if twice is not None:
        raise _equivocation(*twice)
    bad = conn.execute(
        "SELECT i.op, i.hlc, i.entity, i.field, j.value, coalesce(c.hlc, k.hlc, a.hlc)"
        " FROM incoming i JOIN json_each(i.prev) j"
        " LEFT JOIN changes c ON c.op=j.value LEFT JOIN incoming k ON k.op=j.value"
        " LEFT JOIN set_aside a ON a.op=j.value"
        " WHERE i.prev != '[]' AND (coalesce(c.hlc, k.hlc, a.hlc) IS NULL"
        " OR coalesce(c.hlc, k.hlc, a.hlc) >= i.hlc) LIMIT 1"
    ).fetchone()
    if bad is not None:
        raise _bad_prev(*bad)
    _vet_common(conn, "incoming", limit)


def vet_filled(conn: Conn, limit: str) -> None:
    """Judge every op of a log just filled from a bundle (a laptop joining): all are new.
    Needs the indexes of `changes` and the `supersedes` links built."""
    bad = conn.execute(
        "SELECT s.op, o.hlc, o.entity, o.field, s.prev, coalesce(p.hlc, a.hlc) FROM supersedes s"
        " JOIN changes o ON o.op=s.op LEFT JOIN changes p ON p.op=s.prev"
        " LEFT JOIN set_aside a ON a.op=s.prev"
        " WHERE coalesce(p.hlc, a.hlc) IS NULL OR coalesce(p.hlc, a.hlc) >= o.hlc LIMIT 1"
    ).fetchone()
    if bad is not None:
        raise _bad_prev(*bad)
    _vet_common(conn, "changes", limit)


def held_table(conn: Conn) -> None:
    """temp.held: a bundle's team changes, held back from the log while it streams
    (sync/authors.py), judged by `vet_held` and named by the refusals here."""
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS held(op TEXT PRIMARY KEY, hlc, device, author,"
        " entity, row, field, value, prev)"
    )


def vet_held(conn: Conn, limit: str) -> None:
    """Judge the new team changes in temp.held by the rules every op meets (the clock,
    the inspection's lead and form), before the lead's are applied and others set aside."""
    conn.execute(
        "DELETE FROM held WHERE op IN (SELECT op FROM changes) OR op IN (SELECT op FROM set_aside)"
    )
    _vet_common(conn, "held", limit)


def twice_in_log(conn: Conn) -> str | None:
    """After a fill met the same op id twice: one such id given with two bodies, if any."""
    row = conn.execute(
        "SELECT op FROM changes GROUP BY op HAVING count(DISTINCT json_array("
        + ", ".join(_COLUMNS)
        + ")) > 1 LIMIT 1"
    ).fetchone()
    return row[0] if row else None


def equivocation(op: str) -> BundleError:
    return _equivocation(op, None, None)


def _equivocation(op: str, entity: str | None, field: str | None) -> BundleError:
    what = f" ({entity}.{field})" if entity else ""
    return BundleError(
        f"Refused: the bundle gives the change {op[:12]}{what} a different content from the "
        f"one already held; a change never changes, so this bundle was altered. {NOTHING}"
    )


def _bad_prev(
    op: str, hlc: str, entity: str, field: str, prev: Any, prev_hlc: str | None
) -> BundleError:
    where = f"the change {op[:12]} ({entity}.{field})"
    if prev == op:
        why = "lists itself as an earlier change"
    elif prev_hlc is None:
        why = (
            f"lists an earlier change {str(prev)[:12]} that neither this file nor the bundle holds"
        )
    else:
        why = f"lists as earlier a change {str(prev)[:12]} dated at or after it"
    return BundleError(f"Refused: {where} {why}. {NOTHING}")


def _vet_common(conn: Conn, src: str, limit: str) -> None:
    ahead = conn.execute(
        f"SELECT hlc, device, author FROM {src} WHERE hlc > ? ORDER BY hlc DESC LIMIT 1", (limit,)
    ).fetchone()
    if ahead is not None:
        hlc, device, author = ahead
        now = (hlc_ms(limit) or 0) - MAX_AHEAD_MS
        raise BundleError(
            f"Refused: the bundle holds changes from {_who(conn, src, author, device)} dated "
            f"{hlc_text(hlc)}, {span_text((hlc_ms(hlc) or 0) - now)} ahead of this laptop's "
            f"clock (a day at most is accepted). Check the date and time on that laptop and "
            f"on this one. {NOTHING}"
        )
    lead_role = json.dumps("lead")
    leads = (
        "EXISTS (SELECT 1 FROM changes r WHERE r.entity='members' AND r.row=x.row"
        " AND r.field='role' AND r.value=:lead)"
    )
    if src != "changes":
        leads += (
            f" OR EXISTS (SELECT 1 FROM {src} r WHERE r.entity='members' AND r.row=x.row"
            " AND r.field='role' AND r.value=:lead)"
        )
    gone = conn.execute(
        f"SELECT x.entity, x.device, x.author FROM {src} x WHERE x.entity IN"
        " ('inspection', 'members') AND x.field='deleted' AND x.value='true'"
        f" AND (x.entity='inspection' OR {leads}) LIMIT 1",
        {"lead": lead_role},
    ).fetchone()
    if gone is not None:
        entity, device, author = gone
        what = "the inspection itself" if entity == "inspection" else "the lead's membership"
        raise BundleError(
            f"Refused: the bundle deletes {what} (a change from "
            f"{_who(conn, src, author, device)}); the inspection, its lead and its form "
            f"cannot be removed. {NOTHING}"
        )
    form = conn.execute(
        f"SELECT x.value FROM {src} x WHERE x.entity='inspection' AND x.field='form_id'"
        " AND (x.value='null' OR json_extract(x.value, '$') NOT IN (SELECT id FROM forms))"
        " LIMIT 1"
    ).fetchone()
    if form is not None:
        raise BundleError(
            f"Refused: the bundle sets the inspection's form to {form[0][:60]}, a form neither "
            f"this file nor the bundle holds. {NOTHING}"
        )


def _who(conn: Conn, src: str, author: str, device: str) -> str:
    """'Alice's laptop (device 1a2b3c4d)', by the member name where the file or the
    bundle knows it."""
    name = None
    held_table(conn)
    for table in dict.fromkeys((src, "changes", "held")):
        row = conn.execute(
            f"SELECT value FROM {table} WHERE entity='members' AND row=? AND field='name'"
            " ORDER BY hlc DESC LIMIT 1",
            (author,),
        ).fetchone()
        if row is not None:
            name = json.loads(row[0])
            break
    if isinstance(name, str) and name.strip():
        return f"{' '.join(name.split())[:60]}'s laptop (device {device[:8]})"
    return f"device {device[:8]}"
