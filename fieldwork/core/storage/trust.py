"""Who may do what, and who provably did: the lead, the members' signing keys, the signed
chain heads this laptop holds, the ops and forms set aside, and the evidence kept from
refused bundles. Handed out as `store.trust`.

The lead is pinned in this file's meta when it is made (its creator) or joins (the
author of the setup bundle's first inspection op, and the key that signed that chain);
a file from release 0.1.0 pins it when first opened for writing. Team changes (members,
roles, recipients, signing keys) are the lead's alone: anyone else's are set aside.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from fieldwork.core.model import Op
from fieldwork.core.schema import TEAM_ENTITIES
from fieldwork.core.storage import merge
from fieldwork.core.storage.part import Part
from fieldwork.core.sync.signing import SignedHead

__all__ = ["TEAM_ENTITIES", "Evidence", "SetAside", "Trust", "now"]


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class SetAside:
    op: Op
    reason: str
    bundle: str | None
    at: str


@dataclass(frozen=True)
class Evidence:
    device: str
    author: str | None
    kind: str  # "fork" | "gap" | "altered"
    detail: str
    bundle: str | None
    at: str


class Trust(Part):
    """The lead, keys, signed heads, set-aside ops and evidence of a Store (`store.trust`)."""

    # ------------------------------------------------------------------ the lead

    def claim(self) -> None:
        """On opening for writing: a file from before signing gets its key, and the lead
        is pinned once the file holds an inspection."""
        store = self._store
        if not store.meta("signing_key"):
            from fieldwork.core.sync import signing

            store._set_meta(signing_key=signing.new_private_key())
        if not store.meta("lead_member"):
            lead = self.first_author()
            if lead:
                mine = lead == store.author
                store.pin_lead(lead, store.signing_public if mine else None)
                if mine:
                    self._ratify_team()

    def _ratify_team(self) -> None:
        """A lead's file from release 0.1.0, where anyone could add a member: the team as
        it stands is written again as the lead's own ops, once, so laptops that join now
        (which set aside team changes not from the lead) see the same team."""
        store = self._store
        rows = store.conn.execute(
            "SELECT entity, row, field, value, op FROM changes WHERE entity IN"
            " ('members', 'member_keys') AND is_head=1 AND author != ? AND (entity, row, field)"
            " IN (SELECT entity, row, field FROM changes WHERE entity IN"
            " ('members', 'member_keys') AND is_head=1 GROUP BY entity, row, field"
            " HAVING count(*) = 1)",
            (store.author,),
        ).fetchall()
        edits: list[merge.Edit] = [(e, r, f, json.loads(v), (op,)) for e, r, f, v, op in rows]
        if edits:
            store._write(edits)

    @property
    def lead(self) -> str | None:
        """The lead's member id (None until the file holds an inspection)."""
        return self._store.meta("lead_member") or self.first_author()

    @property
    def lead_key(self) -> str | None:
        """The lead's Ed25519 public key as pinned here (None: a 0.1.0 team not yet signed)."""
        return self._store.meta("lead_key")

    def is_lead(self) -> bool:
        return self.lead in (None, self._store.author)

    def first_author(self) -> str | None:
        """Who wrote the first op of the inspection row: its creator, the lead."""
        row = self._store.conn.execute(
            "SELECT author FROM changes WHERE entity='inspection' ORDER BY hlc, device, op LIMIT 1"
        ).fetchone()
        return row[0] if row else None

    def bound_keys(self) -> dict[str, set[str]]:
        """The signing keys the lead bound to each member (its own row's and its further
        laptops' member_keys rows; removed members too), and the lead's pinned key."""
        keys: dict[str, set[str]] = {}
        for member, key in self._store.conn.execute(
            "SELECT id, signing_key FROM members WHERE signing_key IS NOT NULL UNION ALL"
            " SELECT member_id, signing_key FROM member_keys WHERE signing_key IS NOT NULL"
            " AND member_id IS NOT NULL"
        ):
            keys.setdefault(member, set()).add(key)
        lead, pinned = self.lead, self.lead_key
        if lead and pinned:
            keys.setdefault(lead, set()).add(pinned)
        return keys

    def names(self) -> dict[str, str]:
        """Every member's name, removed members too (the audit trail names them)."""
        return {
            r[0]: (r[1] or "") + (" (removed)" if r[2] else "")
            for r in self._store.conn.execute("SELECT id, name, deleted FROM members")
        }

    # -------------------------------------------------------------- chain heads

    def heads(self, device: str) -> dict[int, SignedHead]:
        return {
            r[1]: SignedHead(r[0], r[2], r[1], r[3], r[4], r[5])
            for r in self._store.conn.execute(
                "SELECT device, count, author, head, key, signature FROM chain_heads"
                " WHERE device=?",
                (device,),
            )
        }

    def longest_heads(self) -> dict[str, SignedHead]:
        """The longest signed head held for each device."""
        return {
            r[0]: SignedHead(r[0], r[2], r[1], r[3], r[4], r[5])
            for r in self._store.conn.execute(
                "SELECT device, max(count), author, head, key, signature FROM chain_heads"
                " GROUP BY device"
            )
        }

    def held_counts(self) -> dict[str, frozenset[int]]:
        """The lengths of the signed heads held for each device."""
        found: dict[str, set[int]] = {}
        for device, count in self._store.conn.execute("SELECT device, count FROM chain_heads"):
            found.setdefault(device, set()).add(count)
        return {d: frozenset(c) for d, c in found.items()}

    def uses_schema_2(self) -> bool:
        """Whether this file's bundles carry signed heads (schema 2 to be read)."""
        return True

    def record_heads(self, heads: Iterable[tuple[SignedHead, str, str]]) -> None:
        """Keep signed heads ((head, last hlc, last op) of the chain) to relay and to check
        later bundles against."""
        with self._store.transaction():
            self._store.conn.executemany(
                "INSERT OR IGNORE INTO chain_heads(device, count, author, head, key, signature,"
                " last_hlc, last_op) VALUES (?,?,?,?,?,?,?,?)",
                [
                    (h.device, h.count, h.author, h.head, h.key, h.signature, hlc, op)
                    for h, hlc, op in heads
                ],
            )

    def verified_upto(self) -> dict[str, tuple[str, str, str, str]]:
        """For each device: (author, key, last hlc, last op) of its longest signed head
        whose key is its author's bound key; its ops up to that one are verified."""
        bound = self.bound_keys()
        out: dict[str, tuple[str, str, str, str]] = {}
        for device, author, key, hlc, op in self._store.conn.execute(
            "SELECT device, author, key, last_hlc, last_op FROM chain_heads ORDER BY count"
        ):
            if key in bound.get(author, ()):
                out[device] = (author, key, hlc, op)
        return out

    # ----------------------------------------------------------------- set aside

    def set_aside(
        self, rows: Sequence[merge.Row], reason: str, bundle: str | None
    ) -> list[merge.Row]:
        """Keep ops unapplied (a team change not from the lead). Returns those new here:
        an op this file already applied or set aside is skipped."""
        conn = self._store.conn
        fresh = []
        for r in rows:
            if conn.execute("SELECT 1 FROM changes WHERE op=?", (r[0],)).fetchone():
                continue
            before = conn.total_changes
            conn.execute(
                "INSERT OR IGNORE INTO set_aside(op, hlc, device, author, entity, row, field,"
                " value, prev, reason, bundle, at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (*r, reason, bundle, now()),
            )
            if conn.total_changes > before:
                fresh.append(r)
        return fresh

    def write_request(self, edits: Sequence[tuple[str, str, str, Any]], reason: str) -> list[Op]:
        """This laptop's own request for a team change (joining): ops of its chain, written
        to the set-aside table, never applied here; the lead admits them with ops of its own."""
        store = self._store
        with store.transaction():
            ops = [
                Op(uuid.uuid4().hex, store.clock.tick(), store.device_id, store.author,
                   entity, row, field, value, ())
                for entity, row, field, value in edits
            ]  # fmt: skip
            self.set_aside([merge.op_row(o) for o in ops], reason, None)
        return ops

    def set_aside_ops(self) -> list[SetAside]:
        return [
            SetAside(merge._op_from_row(r[:9]), r[9], r[10], r[11])
            for r in self._store.conn.execute(
                f"SELECT {merge.OP_COLUMNS}, reason, bundle, at FROM set_aside"
                " ORDER BY hlc, device, op"
            )
        ]

    def set_aside_count(self) -> int:
        return int(self._scalar("SELECT count(*) FROM set_aside"))

    def join_requests(self) -> dict[str, dict[str, Any]]:
        """Laptops asking to join, by the row they ask for (a member row of their own, or
        a member_keys row beside the member they are): the values their own request
        holds, newest per field, with "entity" and "device". A row the lead already
        admitted with the same keys is left out."""
        found: dict[str, dict[str, Any]] = {}
        for s in self.set_aside_ops():
            o = s.op
            own = o.entity == "members" and o.row == o.author
            if own or o.entity == "member_keys":
                req = found.setdefault(o.row, {"device": o.device, "entity": o.entity})
                req[o.field] = o.value
        found = {
            row: req
            for row, req in found.items()
            if req["entity"] == "members" or req.get("member_id") == self._own_author(row)
        }
        admitted = {
            r[0]: (r[1], r[2])
            for table in ("members", "member_keys")
            for r in self._store.conn.execute(
                f"SELECT id, public_key, signing_key FROM {table} WHERE deleted=0"
            )
        }
        return {
            row: req
            for row, req in found.items()
            if admitted.get(row) != (req.get("public_key"), req.get("signing_key"))
        }

    def _own_author(self, row: str) -> str | None:
        """The author of a set-aside member_keys request: a laptop asks only for itself."""
        found = self._store.conn.execute(
            "SELECT author FROM set_aside WHERE row=? AND field='member_id' LIMIT 1", (row,)
        ).fetchone()
        return found[0] if found else None

    def set_aside_form(
        self, sha256: str, form_id: str, version: int | None, source: str,
        signer: str | None, bundle: str | None,
    ) -> bool:  # fmt: skip
        before = self._store.conn.total_changes
        self._store.conn.execute(
            "INSERT OR IGNORE INTO set_aside_forms(sha256, form_id, version, source, signer,"
            " bundle, at) VALUES (?,?,?,?,?,?,?)",
            (sha256, form_id, version, source, signer, bundle, now()),
        )
        return bool(self._store.conn.total_changes - before)

    def set_aside_forms(self) -> list[dict[str, Any]]:
        return self._rows(
            "SELECT sha256, form_id, version, signer, bundle, at FROM set_aside_forms ORDER BY at"
        )

    # ------------------------------------------------------------------ evidence

    def record_evidence(self, found: Sequence[Evidence]) -> None:
        with self._store.transaction():
            self._store.conn.executemany(
                "INSERT INTO chain_evidence(device, author, kind, detail, bundle, at)"
                " VALUES (?,?,?,?,?,?)",
                [(e.device, e.author, e.kind, e.detail, e.bundle, e.at) for e in found],
            )

    def evidence(self) -> list[Evidence]:
        return [
            Evidence(*r)
            for r in self._store.conn.execute(
                "SELECT device, author, kind, detail, bundle, at FROM chain_evidence ORDER BY id"
            )
        ]

    # ------------------------------------------------------------- chain lines

    def device_ops(self, device: str) -> list[str]:
        """The op ids of one device's chain in chain order, applied and set aside alike
        (to find where two histories of a device part)."""
        rows = [
            r
            for table in ("changes", "set_aside")
            for r in self._store.conn.execute(
                f"SELECT hlc, op FROM {table} WHERE device=?", (device,)
            )
        ]
        return [op for _, op in sorted(rows)]
