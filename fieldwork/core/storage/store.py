"""The inspection file: open or create it, read its state, and write through the one write path.

Every edit becomes ops appended to `changes` in the same BEGIN IMMEDIATE
transaction that updates the materialised rows (see merge.py for the rules).
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import json
import os
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlite_utils

from fieldwork.core.errors import (
    DiskFull,
    FieldworkError,
    NeedsUpgrade,
    ReadOnly,
    StoreError,
    UserError,
)
from fieldwork.core.model import (
    Answer,
    ApplyResult,
    Case,
    Conflict,
    Finding,
    Inspection,
    Interview,
    Member,
    Op,
    Quote,
    Recommendation,
)
from fieldwork.core.schema import ENTITIES, check_value, natural_id, new_id
from fieldwork.core.storage import backups, db, merge
from fieldwork.core.storage.clock import Clock

if TYPE_CHECKING:
    from fieldwork.core.forms.loader import Form

_UNSET: Any = object()
MARKING = "OFFICIAL-SENSITIVE"


def _machine_id() -> str:
    for candidate in ("/etc/machine-id", "/var/lib/dbus/machine-id"):
        with contextlib.suppress(OSError):
            return Path(candidate).read_text().strip()
    return f"{uuid.getnode():x}"


def _fingerprint(path: Path) -> str:
    """Which laptop and which file this is: a copy or a restored backup differs, so it gets
    a new device id."""
    return hashlib.sha256(f"{_machine_id()}\0{path.resolve()}".encode()).hexdigest()[:32]


class Store:
    """One open inspection file. Not thread-safe: a worker thread opens its own Store."""

    def __init__(self, conn: Any, path: Path, passphrase: str | None, readonly: bool) -> None:
        self.conn = conn
        self.path = path
        self.readonly = readonly
        self._passphrase = passphrase
        self._encrypted = passphrase is not None
        self.db = sqlite_utils.Database(conn)
        self._tx_depth = 0
        self._form: Form | None = None
        self._text_qids: frozenset[str] | None = None
        self._text_questions_ready = False
        self._meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        # The clock resumes after the newest op this file holds, written here or imported.
        newest = conn.execute("SELECT max(hlc) FROM changes").fetchone()[0]
        self.clock = Clock(max(filter(None, (newest, self._meta.get("hlc"))), default=None))

    # ----------------------------------------------------------------- opening

    @classmethod
    def open(
        cls,
        path: str | Path,
        passphrase: str | None = None,
        *,
        readonly: bool = False,
        check: bool = True,
        backup: bool = False,
    ) -> Store:
        path = Path(path)
        conn = db.connect(path, passphrase, readonly=readonly)
        try:
            with db.translated(path):
                version = db.check_identity(conn, path)
                if check:
                    db.quick_check(conn, path)
                if version < db.LATEST_SCHEMA:
                    if readonly:
                        raise NeedsUpgrade(f"{path.name} needs upgrading and was opened read-only.")
                    db.migrate(conn, path, version)
                store = cls(conn, path, passphrase if not db.is_plaintext(path) else None, readonly)
                if not readonly:
                    store._claim_device()
                    if backup:
                        store.backup_now()
        except BaseException:
            conn.close()
            raise
        return store

    @classmethod
    def create_empty(
        cls,
        path: str | Path,
        passphrase: str | None = None,
        *,
        author_id: str | None = None,
        final_path: Path | None = None,
    ) -> Store:
        """A new file with this laptop's identity but no inspection yet (joining from a
        bundle). `final_path` is where it will stand, when it is built elsewhere."""
        path = Path(path)
        if path.exists():
            raise UserError(f"{path} already exists: choose another name.")
        for suffix in ("-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        conn = db.connect(path, passphrase, create=True)
        try:
            db.migrate(conn, path, 0)
        except BaseException:
            conn.close()
            path.unlink(missing_ok=True)
            raise
        store = cls(conn, path, passphrase, False)
        from pyrage import x25519

        identity = x25519.Identity.generate()
        store._set_meta(
            device_id=new_id(),
            fingerprint=_fingerprint(final_path or path),
            author=author_id or new_id(),
            age_identity=str(identity),
            age_recipient=str(identity.to_public()),
            hlc=store.clock.last,
        )
        return store

    @classmethod
    @contextlib.contextmanager
    def building(cls, dest: str | Path, passphrase: str | None = None) -> Iterator[Store]:
        """A new empty file, filled inside the `with` and standing at `dest` only once
        complete: it is built under a hidden name beside `dest` with the journal in memory
        and no syncs (a join writes a whole inspection in one go; WAL would write it twice),
        then synced and renamed. On an error, or if the process dies, `dest` never appears;
        a half-built file left by a killed process is removed by the next attempt.
        Reopen `dest` with `Store.open` afterwards."""
        dest = Path(dest)
        if dest.exists():
            raise UserError(f"{dest} already exists: choose another name.")
        if not dest.parent.is_dir():
            raise UserError(f"Cannot create {dest}: there is no folder {dest.parent}.")
        if not os.access(dest.parent, os.W_OK):
            raise ReadOnly(f"Cannot create {dest}: the folder is read-only.")
        work = dest.with_name(f".{dest.name}.building")
        discard_file(work)
        store = None
        try:
            store = cls.create_empty(work, passphrase, final_path=dest)
            db.building_pragmas(store.conn)
            yield store
            db.finished_pragmas(store.conn)
            store.close()
            with db.translated(dest):
                db.fsync_file(work)
                if dest.exists():
                    raise UserError(f"{dest} already exists: choose another name.")
                os.rename(work, dest)
                db.fsync_dir(dest.parent)
        except BaseException as exc:
            if store is not None:
                store.close()
            discard_file(work)
            if isinstance(exc, DiskFull):
                raise DiskFull(
                    f"The disk is full: {dest.name} was not made. Free some space and try again."
                ) from exc
            raise
        discard_file(work)  # the -wal and -shm, if SQLite left them

    @classmethod
    def create(
        cls,
        path: str | Path,
        passphrase: str | None = None,
        *,
        name: str,
        form_id: str | None = None,
        method_id: str | None = None,
        organisations: Sequence[str],
        area: str | None = None,
        start_date: str | None = None,
        end_date: str | None = None,
        author_name: str | None = None,
        marking: str = MARKING,
        demo: bool = False,
        forms_dir: Path | None = None,
        methods_dir: Path | None = None,
        inspection_id: str | None = None,
        author_id: str | None = None,
    ) -> Store:
        """A new inspection following a method (its instruments' forms kept in the file),
        or, as release 0.1.0 made them, with one form (`form_id` alone)."""
        from fieldwork.core.storage import method_reads

        if not name.strip():
            raise UserError("The inspection needs a name.")
        if not organisations:
            raise UserError("Name at least one organisation (for example NPS and CRC).")
        orgs = list(dict.fromkeys(o.strip() for o in organisations))
        form_id, method, sources = method_reads.plan_creation(
            method_id=method_id,
            form_id=form_id,
            organisations=orgs,
            forms_dir=forms_dir,
            methods_dir=methods_dir,
        )
        store = cls.create_empty(path, passphrase, author_id=author_id)
        try:
            for source in sources:
                store.add_form(source)
            if method is not None:
                method_reads.add_method(store, method.source)
            store._set_meta(demo="1" if demo else "0")
            with store.transaction():
                store.insert(
                    "inspection",
                    {
                        "name": name.strip(),
                        "area": area,
                        "form_id": form_id,
                        "method_id": method.id if method is not None else None,
                        "organisations": orgs,
                        "start_date": start_date,
                        "end_date": end_date,
                        "marking": marking,
                    },
                    row_id=inspection_id,
                )
                store.add_self_as_member(author_name, "lead")
        except BaseException:
            store.close()
            discard_file(path)
            raise
        return store

    def add_self_as_member(self, name: str | None, role: str) -> None:
        """Record this laptop's person in the team, with the public key bundles are
        encrypted to (the name defaults to the login name)."""
        self.insert(
            "members",
            {"name": name or getpass.getuser(), "role": role, "public_key": self.age_recipient},
            row_id=self.author,
        )

    def opener(self) -> Callable[[], Store]:
        """A function that opens another connection to this file with the same key.

        For worker threads (a connection belongs to the thread that made it): call the
        returned function inside the worker. The passphrase stays inside the closure.
        """
        path, passphrase, readonly = self.path, self._passphrase, self.readonly

        def open_again() -> Store:
            return Store.open(path, passphrase, readonly=readonly, check=False)

        return open_again

    def close(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(Exception):
                if not self.readonly:
                    self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.conn.close()
            self.conn = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ local state

    @property
    def device_id(self) -> str:
        return self._meta["device_id"]

    @property
    def author(self) -> str:
        return self._meta["author"]

    @property
    def age_identity(self) -> str:
        return self._meta["age_identity"]

    @property
    def age_recipient(self) -> str:
        return self._meta["age_recipient"]

    @property
    def encrypted(self) -> bool:
        return self._encrypted

    @property
    def locked(self) -> bool:
        return self.conn is None and self._encrypted and self._passphrase is None

    def lock(self) -> bool:
        """Close the connection and forget the key (the idle lock). False for a plain file,
        which has no key to drop and stays open."""
        if not self._encrypted:
            return False
        self.close()
        self._passphrase = None
        return True

    def unlock(self, passphrase: str) -> None:
        """Reopen a locked file in place, so everything holding this Store keeps working.
        Raises WrongPassphrase (the file untouched) if the passphrase is wrong."""
        fresh = Store.open(self.path, passphrase, readonly=self.readonly, check=False)
        self.conn, self.db = fresh.conn, fresh.db
        self._passphrase = passphrase
        self._meta = fresh._meta
        self.clock = fresh.clock
        self._text_questions_ready = False
        fresh.conn = None  # now ours

    @property
    def is_demo(self) -> bool:
        return self._meta.get("demo") == "1"

    def meta(self, key: str) -> str | None:
        return self._meta.get(key)

    def set_meta(self, key: str, value: str | None) -> None:
        """Local-only settings kept in the file (never synced)."""
        self._set_meta(**{key: value})

    def set_author(self, member_id: str) -> None:
        """Who this laptop writes as (a team member id)."""
        self._set_meta(author=member_id)

    def _set_meta(self, **values: str | None) -> None:
        with self.transaction():
            self.conn.executemany(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                list(values.items()),
            )
        self._meta.update(values)

    def _claim_device(self) -> None:
        if self._meta.get("fingerprint") != _fingerprint(self.path):
            self.new_device_id()

    def new_device_id(self) -> None:
        """Take a new device id (a copied file or restored backup must never share one)."""
        self._set_meta(device_id=new_id(), fingerprint=_fingerprint(self.path))

    def add_form(self, source: str) -> None:
        from fieldwork.core.forms.loader import parse_form

        form = parse_form(source)
        with self.transaction():
            self.conn.execute(
                "INSERT INTO forms(id, version, source) VALUES (?,?,?) ON CONFLICT(id) DO UPDATE"
                " SET version=excluded.version, source=excluded.source"
                " WHERE excluded.version >= forms.version",
                (form.id, form.version, source),
            )
        self._form = None
        self._text_qids = None

    def form_sources(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT id, source FROM forms ORDER BY id").fetchall())

    def form(self) -> Form:
        if self._form is None:
            from fieldwork.core.forms.loader import load_forms, parse_form

            form_id = self.inspection().form_id
            row = self.conn.execute("SELECT source FROM forms WHERE id=?", (form_id,)).fetchone()
            if row:
                self._form = parse_form(row[0], f"{form_id}.yaml")
            else:
                shipped = load_forms().get(form_id)
                if shipped is None:
                    raise StoreError(
                        f"{self.path.name} uses the form {str(form_id)[:60]!r}, which neither "
                        "the file nor this release holds."
                    )
                self._form = shipped
        return self._form

    # ------------------------------------------------------------- write path

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
            self._text_questions_ready = False  # a temp table made in this transaction is gone
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
        with self.transaction(), db.translated(self.path):
            ops = merge.write_local(
                self.conn, edits, self.clock, self.device_id, self.author, fresh
            )
            if reindex:
                self._reindex_ops(ops)
        return ops

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
        exists = row_id is not None and self._scalar(f"SELECT 1 FROM {entity} WHERE id=?", row)
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
                or question_id in self._text_question_ids()
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

    def apply_rows(self, rows: Iterable[merge.Row]) -> ApplyResult:
        """apply_ops for ops already in the shape `changes` stores (bundle_ops.parse_row)."""
        with self.transaction(), db.translated(self.path):
            filling = merge.log_is_empty(self.conn)
            new, known = merge.apply_foreign(self.conn, rows, self.clock)
            if not new:
                return ApplyResult(0, known, ())
            self._reindex_touched()
            # After filling an empty log every field is touched: no need to join on them.
            found = tuple(merge.conflicts(self.conn, touched_only=not filling))
        return ApplyResult(new, known, found)

    # ------------------------------------------------------------ conflicts

    def conflicts(self) -> list[Conflict]:
        found = merge.conflicts(self.conn)
        refs = self._case_refs_for(found)
        return [
            Conflict(c.id, c.entity, c.row, c.field, c.kind, c.heads, refs.get((c.entity, c.row)))
            for c in found
        ]

    def _case_refs_for(self, found: Sequence[Conflict]) -> dict[tuple[str, str], str]:
        refs = {}
        for c in found:
            if c.entity == "cases":
                refs[(c.entity, c.row)] = self._scalar("SELECT ref FROM cases WHERE id=?", c.row)
            elif c.entity == "answers":
                refs[(c.entity, c.row)] = self._scalar(
                    "SELECT c.ref FROM answers a JOIN cases c ON c.id=a.case_id WHERE a.id=?", c.row
                )
        return refs

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
        if c.kind == "deleted":
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

    # ----------------------------------------------------------------- reads

    def _scalar(self, sql: str, *params: Any) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return list(self.db.query(sql, params))

    def inspection(self) -> Inspection:
        rows = self._rows("SELECT * FROM inspection WHERE deleted=0 ORDER BY id LIMIT 1")
        if not rows:
            raise StoreError(f"{self.path.name} holds no inspection yet.")
        r = rows[0]
        return Inspection(
            r["id"],
            r["name"] or "",
            r["area"],
            r["form_id"] or "",
            tuple(json.loads(r["organisations"] or "[]")),
            r["start_date"],
            r["end_date"],
            r["marking"],
            encrypted=self.encrypted,
            demo=self.is_demo,
        )

    def has_inspection(self) -> bool:
        return bool(self._scalar("SELECT count(*) FROM inspection WHERE deleted=0"))

    def members(self) -> list[Member]:
        return [
            Member(r["id"], r["name"] or "", r["role"], r["public_key"])
            for r in self._rows("SELECT * FROM members WHERE deleted=0 ORDER BY name, id")
        ]

    def member_names(self) -> dict[str, str]:
        return {m.id: m.name for m in self.members()}

    def cases(self) -> list[Case]:
        return [
            self._case(r)
            for r in self._rows("SELECT * FROM cases WHERE deleted=0 ORDER BY ref, id")
        ]

    @staticmethod
    def _case(r: dict[str, Any]) -> Case:
        return Case(
            r["id"],
            r["ref"] or "",
            r["organisation"],
            r["office"],
            r["officer"],
            r["inspector"],
            r["qa_inspector"],
            r["status"] or "not_started",
            r["qa_comment"],
            r.get("sample"),
        )

    def case(self, case_id: str) -> Case | None:
        rows = self._rows("SELECT * FROM cases WHERE id=? AND deleted=0", (case_id,))
        return self._case(rows[0]) if rows else None

    def case_by_ref(self, ref: str) -> Case | None:
        rows = self._rows(
            "SELECT * FROM cases WHERE upper(ref)=upper(?) AND deleted=0 ORDER BY id",
            (ref.strip(),),
        )
        return self._case(rows[0]) if rows else None

    def answers(self, case_id: str) -> dict[str, Answer]:
        return {
            r["question_id"]: Answer(
                r["id"],
                r["case_id"],
                r["question_id"],
                None if r["value"] is None else json.loads(r["value"]),
                r["comment"],
                r["reason"],
            )
            for r in self._rows("SELECT * FROM answers WHERE case_id=? AND deleted=0", (case_id,))
        }

    def answer_values(self) -> dict[str, dict[str, Any]]:
        """Every case's answers as {case id: {question id: value}} (unanswered left out)."""
        out: dict[str, dict[str, Any]] = {}
        for case_id, qid, value in self.conn.execute(
            "SELECT case_id, question_id, value FROM answers WHERE deleted=0 AND value IS NOT NULL"
        ):
            out.setdefault(case_id, {})[qid] = json.loads(value)
        return out

    def interviews(self) -> list[Interview]:
        links: dict[str, list[str]] = {}
        for iid, cid in self.conn.execute(
            "SELECT interview_id, case_id FROM interview_cases WHERE deleted=0 ORDER BY case_id"
        ):
            links.setdefault(iid, []).append(cid)
        return [
            Interview(
                r["id"],
                r["kind"] or "",
                r["date"],
                r["organisation"],
                r["title"],
                bool(r["consent"]),
                r["notes"] or "",
                r["author"],
                tuple(links.get(r["id"], ())),
            )
            for r in self._rows("SELECT * FROM interviews WHERE deleted=0 ORDER BY date, id")
        ]

    def interview(self, interview_id: str) -> Interview | None:
        return next((i for i in self.interviews() if i.id == interview_id), None)

    def quotes(self, interview_id: str | None = None) -> list[Quote]:
        tags: dict[str, list[str]] = {}
        for qid, label in self.conn.execute(
            "SELECT qt.quote_id, t.label FROM quote_tags qt JOIN tags t ON t.id=qt.tag_id"
            " WHERE qt.deleted=0 AND t.deleted=0 ORDER BY t.label"
        ):
            tags.setdefault(qid, []).append(label)
        where, params = ("AND interview_id=?", (interview_id,)) if interview_id else ("", ())
        return [
            Quote(
                r["id"],
                r["interview_id"],
                r["start"] or 0,
                r["end"] or 0,
                r["text"] or "",
                tuple(tags.get(r["id"], ())),
            )
            for r in self._rows(
                f"SELECT * FROM quotes WHERE deleted=0 {where} ORDER BY interview_id, start, id",
                params,
            )
        ]

    def tags(self) -> list[str]:
        return [
            r[0] for r in self.conn.execute("SELECT label FROM tags WHERE deleted=0 ORDER BY label")
        ]

    def findings(self) -> list[Finding]:
        links: dict[str, list[str]] = {}
        for fid, qid in self.conn.execute(
            "SELECT finding_id, quote_id FROM finding_quotes WHERE deleted=0 ORDER BY quote_id"
        ):
            links.setdefault(fid, []).append(qid)
        return [
            Finding(
                r["id"],
                r["standard_id"] or "",
                r["organisation"],
                r["kind"] or "strength",
                r["text"] or "",
                r["position"] or 0,
                tuple(links.get(r["id"], ())),
            )
            for r in self._rows(
                "SELECT * FROM findings WHERE deleted=0 ORDER BY standard_id, position, id"
            )
        ]

    def recommendations(self) -> list[Recommendation]:
        return [
            Recommendation(r["id"], r["position"] or 0, r["addressee"], r["text"] or "")
            for r in self._rows(
                "SELECT * FROM recommendations WHERE deleted=0 ORDER BY position, id"
            )
        ]

    def ops(self, where: str = "1", params: Sequence[Any] = ()) -> Iterator[Op]:
        """The change log in hlc order (a streaming cursor, for bundles)."""
        cur = self.conn.execute(
            f"SELECT {merge.OP_COLUMNS} FROM changes WHERE {where} ORDER BY hlc, device, op", params
        )
        for r in cur:
            yield merge._op_from_row(r)

    # The canonical line of an op (Op.to_json) built by SQLite: the columns already hold
    # canonical JSON for value and prev, and ids, names and clock need no escaping.
    _LINE_SQL = (
        'SELECT hlc, \'{"author":"\' || author || \'","device":"\' || device'
        ' || \'","entity":"\' || entity || \'","field":"\' || field || \'","hlc":"\' || hlc'
        ' || \'","op":"\' || op || \'","prev":\' || prev || \',"row":"\' || row'
        " || '\",\"value\":' || coalesce(value, 'null') || '}'"
        " FROM changes ORDER BY hlc, device, op"
    )

    def op_lines(self, batch: int = 5000) -> Iterator[list[tuple[str, str]]]:
        """The change log as (hlc, canonical JSON line) in batches, in (hlc, device, op)
        order: what a bundle's changes.ndjson holds, without a Python object per op."""
        cur = self.conn.execute(self._LINE_SQL)
        while rows := cur.fetchmany(batch):
            yield rows

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

    def op_count(self) -> int:
        return self._scalar("SELECT count(*) FROM changes")

    def history(self, entity: str, row: str, field: str | None = None) -> list[Op]:
        """The audit trail of a row (or one field): who changed what, when, from what."""
        if field:
            return merge.ops_of(
                self.conn, "entity=? AND row=? AND field=? ORDER BY hlc", (entity, row, field)
            )
        return merge.ops_of(self.conn, "entity=? AND row=? ORDER BY hlc", (entity, row))

    # ---------------------------------------------------------------- search

    _SEARCH_SOURCES = {
        "interviews": "SELECT id, 'notes', notes FROM interviews WHERE deleted=0"
        " AND coalesce(notes, '') != '' AND id IN ({rows})",
        "quotes": "SELECT id, 'text', text FROM quotes WHERE deleted=0"
        " AND coalesce(text, '') != '' AND id IN ({rows})",
        "answers": "SELECT id, 'comment', comment FROM answers WHERE deleted=0"
        " AND coalesce(comment, '') != '' AND id IN ({rows})"
        " UNION ALL SELECT id, 'value', json_extract(value, '$') FROM answers WHERE deleted=0"
        " AND value IS NOT NULL AND question_id IN (SELECT id FROM temp.text_questions)"
        " AND id IN ({rows})",
    }

    def _text_question_ids(self) -> frozenset[str]:
        if self._text_qids is None:
            try:
                form = self.form()
                self._text_qids = frozenset(q.id for q in form.questions() if q.type == "text")
            except FieldworkError:
                return frozenset()
        return self._text_qids

    def _ensure_text_questions(self) -> None:
        """A temp table of the form's free-text question ids, whose answers are searchable."""
        if self._text_questions_ready:
            return
        self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS text_questions(id TEXT PRIMARY KEY)")
        self.conn.execute("DELETE FROM temp.text_questions")
        ids = sorted(self._text_question_ids())
        self.conn.executemany(
            "INSERT OR IGNORE INTO temp.text_questions VALUES (?)", [(i,) for i in ids]
        )
        self._text_questions_ready = bool(ids) or self.has_inspection()

    def _reindex(self, entity: str, rows_sql: str, params: Sequence[Any]) -> None:
        """Replace the search entries of some rows of `entity` with their current text."""
        self._ensure_text_questions()
        old = [
            r[0]
            for r in self.conn.execute(
                f"SELECT id FROM search_rows WHERE entity=? AND row IN ({rows_sql})",
                (entity, *params),
            )
        ]
        if old:
            self.conn.executemany("DELETE FROM search WHERE rowid=?", [(i,) for i in old])
            self.conn.executemany("DELETE FROM search_rows WHERE id=?", [(i,) for i in old])
        template = self._SEARCH_SOURCES[entity]
        found = self.conn.execute(
            template.format(rows=rows_sql), tuple(params) * template.count("{rows}")
        ).fetchall()
        for row, field, body in found:
            if not isinstance(body, str) or not body.strip():
                continue
            cur = self.conn.execute(
                "INSERT INTO search_rows(entity, row, field) VALUES (?,?,?)", (entity, row, field)
            )
            self.conn.execute(
                "INSERT INTO search(rowid, body) VALUES (?, ?)", (cur.lastrowid, body)
            )

    _SEARCHED = {
        "interviews": ("notes", "deleted"),
        "quotes": ("text", "deleted"),
        "answers": ("comment", "value", "deleted"),
    }

    def _reindex_ops(self, ops: Sequence[Op]) -> None:
        for entity, fields in self._SEARCHED.items():
            rows = sorted({o.row for o in ops if o.entity == entity and o.field in fields})
            if rows:
                self._reindex(entity, ",".join("?" * len(rows)), rows)

    def _reindex_touched(self) -> None:
        for entity in self._SEARCHED:
            self._reindex(entity, "SELECT row FROM touched WHERE entity=?", (entity,))

    def search(self, text: str, limit: int = 200) -> list[dict[str, Any]]:
        """Full-text search over notes, comments and quotes: [{entity, row, field, body}]."""
        words = [w.replace('"', '""') for w in text.split() if w.strip()]
        if not words:
            return []
        query = " ".join(f'"{w}"*' for w in words)
        try:
            return self._rows(
                "SELECT r.entity, r.row, r.field, s.body FROM search s"
                " JOIN search_rows r ON r.id = s.rowid WHERE search MATCH ?"
                " ORDER BY s.rank LIMIT ?",
                (query, limit),
            )
        except db.DriverError as exc:
            raise UserError(f"Cannot search for {text!r}: {exc}.") from exc

    # ------------------------------------------------------------- whole file

    def dump(self) -> dict[str, Any]:
        """The shared state only: every table, rows sorted by id, deleted rows marked,
        and open conflicts. Equal ops give an equal dump on every laptop."""
        out: dict[str, Any] = {}
        for name, spec in sorted(ENTITIES.items()):
            rows = []
            for r in self._rows(f"SELECT * FROM {name} ORDER BY id"):
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
            for c in merge.conflicts(self.conn)
        ]
        return out

    def check(self) -> dict[str, Any]:
        """Integrity and foreign-key checks, and the schema version."""
        with db.translated(self.path):
            integrity = [r[0] for r in self.conn.execute("PRAGMA integrity_check")]
            fks = self.conn.execute("PRAGMA foreign_key_check").fetchall()
            dangling = self._scalar(
                "SELECT count(*) FROM answers a WHERE a.deleted=0 AND NOT EXISTS"
                " (SELECT 1 FROM cases c WHERE c.id=a.case_id)"
            )
        return {
            "integrity": integrity,
            "ok": integrity == ["ok"] and not fks,
            "foreign_key_errors": len(fks),
            "answers_without_case": dangling,
            "schema_version": db.schema_version(self.conn),
            "latest_schema": db.LATEST_SCHEMA,
            "ops": self.op_count(),
            "encrypted": self.encrypted,
        }

    def export_check(self) -> dict[str, Any]:
        """What a bundle export needs of the file, quick enough for every export: every
        page sound (quick_check), and the number of ops in the change log's own table,
        which the lines exported through its hlc index must match. (`check()` runs the
        full integrity_check, 10 s on a 10,000-case file, for `fieldwork check`.)"""
        with db.translated(self.path):
            rows = [r[0] for r in self.conn.execute("PRAGMA quick_check")]
            ops = self._scalar("SELECT count(*) FROM changes NOT INDEXED")
        return {"ok": rows == ["ok"], "integrity": rows, "ops": ops}

    def backup_now(self) -> Path:
        with db.translated(self.path):
            return backups.rolling_backup(self.conn, self.path, self._passphrase)

    def backup_to(self, dest: str | Path) -> None:
        with db.translated(dest):
            backups.write_backup(self.conn, Path(dest), self._passphrase)

    def rekey(self, old: str, new: str) -> None:
        """Change the passphrase of an encrypted file; its backups follow."""
        if not self.encrypted:
            raise UserError("This inspection file is not encrypted (a demo): it has no passphrase.")
        if old != self._passphrase:
            raise UserError("The current passphrase is wrong: nothing was changed.")
        if not new:
            raise UserError("The new passphrase cannot be empty.")
        with db.translated(self.path):
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.conn.execute("PRAGMA journal_mode = DELETE")
            self.conn.execute(f"PRAGMA rekey = {db.quote_key(new)}")
            self.conn.execute("PRAGMA journal_mode = WAL")
        self._passphrase = new
        backups.rekey_backups(self.path, old, new)

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

        with self.transaction():
            self.conn.execute(
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

    def integrity_ok(self) -> bool:
        return self.check()["ok"]


def restore_backup(backup: Path, path: Path, passphrase: str | None) -> Store:
    """Restore a backup over `path` (the damaged file kept aside); it takes a new device id."""
    backups.restore(backup, path)
    store = Store.open(path, passphrase)
    store.new_device_id()
    return store


def discard_file(path: str | Path) -> None:
    """Remove a half-made inspection file and its -wal and -shm (creation failed)."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def atomic_write_bytes(dest: Path, data: bytes) -> None:
    """Write a file so it stands at its final name only when complete (temp, fsync, rename)."""
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, dest)
        db.fsync_dir(dest.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
