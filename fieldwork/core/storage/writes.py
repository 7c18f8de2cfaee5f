"""The one write path: every change to the shared state is made here, as ops appended to
the `changes` log in the same BEGIN IMMEDIATE transaction that updates the materialised
rows (merge.py holds the rules), and the search index follows in that transaction.

`Store` inherits these methods; nothing else writes to the shared tables.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldwork.core.errors import StoreError, UserError
from fieldwork.core.model import ApplyResult, Op
from fieldwork.core.schema import (
    ENTITIES,
    LEAD_ENTITIES,
    TEAM_ENTITIES,
    check_value,
    natural_id,
    new_id,
)
from fieldwork.core.storage import db, merge
from fieldwork.core.storage.clock import Clock

if TYPE_CHECKING:
    from fieldwork.core.storage.search import SearchIndex

_UNSET: Any = object()


class WritePath:
    """Transactions and the write path of a Store (its connection, clock and identity)."""

    conn: Any
    path: Path
    readonly: bool
    clock: Clock
    _meta: dict[str, Any]  # device_id and author stamp every op
    _tx_depth: int

    if TYPE_CHECKING:

        @property
        def search(self) -> SearchIndex: ...

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One BEGIN IMMEDIATE transaction; nested calls join the outer one."""
        if self.readonly:
            raise StoreError(f"{self.path.name} is open read-only: nothing can be changed.")
        if self._tx_depth:
            self._tx_depth += 1
            try:
                yield
            finally:
                self._tx_depth -= 1
            return
        clock_before = (self.clock.ms, self.clock.counter)
        with db.translated(self.path):
            self.conn.execute("BEGIN IMMEDIATE")
        self._tx_depth = 1
        try:
            yield
            with db.translated(self.path):
                self.conn.execute("COMMIT")
        except BaseException as exc:
            with contextlib.suppress(Exception):
                self.conn.execute("ROLLBACK")
            self.clock.ms, self.clock.counter = clock_before
            self.search.connection_changed()  # a temp table made in this transaction is gone
            if isinstance(exc, db.DriverError):
                raise db.translate(exc, self.path) from exc
            raise
        finally:
            self._tx_depth = 0

    def write(
        self, edits: Iterable[tuple[str, str, str, Any]], *, fresh: frozenset[str] = frozenset()
    ) -> list[Op]:
        """The one write path: (entity, row, field, value) edits become ops in one transaction.

        `fresh`: ids of rows this call creates (so there is nothing to look up for them).
        """
        checked = [(*self._checked(e, r, f, v), ()) for e, r, f, v in edits]
        return self._write(checked, fresh)

    def _checked(self, entity: str, row: str, field: str, value: Any) -> tuple[str, str, str, Any]:
        spec = ENTITIES.get(entity)
        if spec is None or field not in spec.fields:
            raise UserError(f"Unknown field {entity}.{field}.")
        if not check_value(spec.fields[field], value):
            raise UserError(f"{entity}.{field} cannot hold {value!r}.")
        return entity, row, field, value

    def _write(
        self, edits: Sequence[merge.Edit], fresh: frozenset[str] = frozenset(), reindex: bool = True
    ) -> list[Op]:
        if any(e[0] in LEAD_ENTITIES for e in edits):
            self._check_lead(team=any(e[0] in TEAM_ENTITIES for e in edits))
        with self.transaction(), db.translated(self.path):
            for entity, row, field, value, _ in edits:
                if field == "deleted" and value is True and entity in ("inspection", "members"):
                    self._refuse_removing(entity, row)
            ops = merge.write_local(
                self.conn, edits, self.clock, self._meta["device_id"], self._meta["author"], fresh
            )
            if reindex:
                self.search.reindex_ops(ops)
        return ops

    def _check_lead(self, team: bool = True) -> None:
        """Members, roles, recipients, signing keys and overridden ratings are the lead's to
        change: another laptop's change would be set aside by every laptop that imports it
        (trust.py)."""
        lead = self._meta.get("lead_member")
        if lead is not None and lead != self._meta["author"]:
            if team:
                raise UserError(
                    "Only the lead changes the team (members, roles and keys): ask the lead."
                )
            raise UserError(
                "Only the lead rates a standard away from the rules' result: ask the lead."
            )

    def _refuse_removing(self, entity: str, row: str) -> None:
        """The inspection and its lead hold the file together: no write deletes them
        (nor may a bundle: storage/vetting.py)."""
        if entity == "inspection":
            raise UserError("The inspection itself cannot be deleted.")
        role = self.conn.execute("SELECT role FROM members WHERE id=?", (row,)).fetchone()
        if role is not None and role[0] == "lead":
            raise UserError("The inspection's lead cannot be removed from the team.")

    def insert(self, entity: str, fields: dict[str, Any], row_id: str | None = None) -> str:
        """Create a row: an op per field given. Returns its id."""
        row = row_id or new_id()
        self.add(entity, fields, row)
        return row

    def add(self, entity: str, fields: dict[str, Any], row_id: str | None = None) -> list[Op]:
        """Create a row and return its ops (for undo); the row id is `ops[0].row`.

        Creating a row that exists with the same values writes nothing and returns [].
        """
        if entity not in ENTITIES:
            raise UserError(f"Unknown kind of record {entity!r}.")
        row = row_id or new_id()
        edits = [(entity, row, f, v) for f, v in fields.items() if v is not None]
        edits.append((entity, row, "deleted", False))
        exists = row_id is not None and self._exists(entity, row)
        return self.write(edits, fresh=frozenset() if exists else frozenset((row,)))

    def update(self, entity: str, row: str, fields: dict[str, Any]) -> list[Op]:
        return self.write((entity, row, f, v) for f, v in fields.items())

    def delete(self, entity: str, row: str) -> list[Op]:
        """Mark a row deleted. The op lists every head of the row: what the deleter had seen."""
        self._checked(entity, row, "deleted", True)
        with self.transaction():
            seen = merge.row_heads(self.conn, entity, row)
            return self._write([(entity, row, "deleted", True, seen)])

    def set_answer(
        self,
        case_id: str,
        question_id: str,
        value: Any,
        *,
        comment: str | None = _UNSET,
        reason: str | None = _UNSET,
    ) -> list[Op]:
        """Write one answer (or key-question judgement); the row id is UUID5(case, question)."""
        row = natural_id("answers", case_id, question_id)
        with self.transaction():
            exists = self.conn.execute("SELECT deleted FROM answers WHERE id=?", (row,)).fetchone()
            edits: list[tuple[str, str, str, Any]] = []
            if exists is None:
                edits += [
                    ("answers", row, "case_id", case_id),
                    ("answers", row, "question_id", question_id),
                ]
            elif exists[0]:
                edits.append(("answers", row, "deleted", False))
            edits.append(("answers", row, "value", value))
            if comment is not _UNSET:
                edits.append(("answers", row, "comment", comment or None))
            if reason is not _UNSET:
                edits.append(("answers", row, "reason", reason or None))
            # Only free text and comments are searchable: skip the index for the rest.
            searchable = (
                comment is not _UNSET
                or bool(exists and exists[0])
                or question_id in self.search.text_question_ids()
            )
            checked = [(*self._checked(*e), ()) for e in edits]
            fresh = frozenset((row,)) if exists is None else frozenset()
            return self._write(checked, fresh, reindex=searchable)

    def link(self, entity: str, a: str, b: str, *, present: bool = True) -> list[Op]:
        """Add (or with present=False remove) a link row; its id is UUID5 of the pair."""
        spec = ENTITIES[entity]
        row = natural_id(entity, a, b)
        first, second = spec.natural_key
        with self.transaction():
            exists = self.conn.execute(f"SELECT 1 FROM {entity} WHERE id=?", (row,)).fetchone()
            if not present:
                return self.delete(entity, row) if exists else []
            edits: list[tuple[str, str, str, Any]] = (
                [] if exists else [(entity, row, first, a), (entity, row, second, b)]
            )
            edits.append((entity, row, "deleted", False))
            return self.write(edits)

    def tag_id(self, label: str) -> str:
        """The id of a tag by its label, creating it if new (UUID5 of the folded label)."""
        label = " ".join(label.split())
        if not label:
            raise UserError("A tag needs a label.")
        row = natural_id("tags", label.casefold())
        with self.transaction():
            found = self.conn.execute("SELECT deleted FROM tags WHERE id=?", (row,)).fetchone()
            if found is None:
                self.write([("tags", row, "label", label), ("tags", row, "deleted", False)])
            elif found[0]:
                self.write([("tags", row, "deleted", False)])
        return row

    def undo(self, ops: Sequence[Op]) -> list[Op]:
        """Write back what `ops` replaced, as new ops; only while each is still its field's head."""
        with self.transaction():
            edits = merge.undo_edits(self.conn, ops)
            return self._write(edits)

    def can_undo(self, ops: Sequence[Op]) -> bool:
        return all(
            [h for h, _ in merge.heads(self.conn, o.entity, o.row, o.field)] == [o.op] for o in ops
        )

    def apply_ops(self, ops: Iterable[Op]) -> ApplyResult:
        """Apply another laptop's ops (already validated) in one transaction; idempotent."""
        return self.apply_rows(merge.op_row(op) for op in ops)

    def apply_rows(self, rows: Iterable[merge.Row], *, vet: bool = False) -> ApplyResult:
        """apply_ops for ops already in the shape `changes` stores (bundle_ops.parse_row).

        `vet`: the ops are a bundle's (its writer's whole log), so the new ones must pass
        the rules of vetting.py or nothing is applied (BundleError).
        """
        with self.transaction(), db.translated(self.path):
            filling = merge.log_is_empty(self.conn)
            new, known = merge.apply_foreign(self.conn, rows, self.clock, vet)
            if not new:
                return ApplyResult(0, known, ())
            self.search.reindex_touched()
            # After filling an empty log every field is touched: no need to join on them.
            found = tuple(merge.conflicts(self.conn, touched_only=not filling))
        return ApplyResult(new, known, found)

    def resolve(self, conflict_id: str, value: Any) -> list[Op]:
        """Close a conflict by writing `value` over every head (so it closes on every laptop)."""
        matches = [c for c in merge.conflicts(self.conn) if c.id.startswith(conflict_id)]
        if not matches:
            raise UserError(
                f"No open conflict {conflict_id!r}: run `fieldwork conflicts` to list them."
            )
        if len(matches) > 1:
            raise UserError(f"{conflict_id!r} matches several conflicts: give more of the id.")
        c = matches[0]
        if c.kind == "deleted" or c.field == "deleted":
            if not isinstance(value, bool):
                raise UserError(
                    "A deleted-row conflict is resolved with true (delete) or false (keep)."
                )
            return (
                self.delete(c.entity, c.row)
                if value
                else self.update(c.entity, c.row, {"deleted": False})
            )
        self._checked(c.entity, c.row, c.field, value)
        return self._write([(c.entity, c.row, c.field, value, ())])

    @contextlib.contextmanager
    def bulk(self, cache_kib: int = 256 * 1024) -> Iterator[None]:
        """A bigger page cache while a large batch of ops is applied (random-order index
        inserts into `changes` thrash the default 2 MB cache); put back afterwards."""
        before = self.conn.execute("PRAGMA cache_size").fetchone()[0]
        self.conn.execute(f"PRAGMA cache_size = {-int(cache_kib)}")
        try:
            yield
        finally:
            if self.conn is not None:
                self.conn.execute(f"PRAGMA cache_size = {int(before)}")

    def _exists(self, entity: str, row: str) -> bool:
        return (
            self.conn.execute(f"SELECT 1 FROM {entity} WHERE id=?", (row,)).fetchone() is not None
        )
