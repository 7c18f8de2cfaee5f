"""The inspection file: open or create it, its keys and identity, and the parts it hands out.

A `Store` is one open file. It keeps the connection, the key, this laptop's identity
(device id, author, age keys) and the local settings in `meta`; it writes through the
one write path it inherits from writes.py; and it hands out the rest as parts:

    store.reads     typed reads of the shared state (reads.py)
    store.search    the full-text index (search.py)
    store.audit     dump, checks, the change log, bundle history (audit.py)
    store.backups   rolling backups and copies (backups.py)
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from fieldwork.core import files
from fieldwork.core.errors import DiskFull, NeedsUpgrade, ReadOnly, UserError
from fieldwork.core.passphrase import check_new as check_new_passphrase
from fieldwork.core.schema import natural_id, new_id
from fieldwork.core.storage import backups, db
from fieldwork.core.storage.audit import Audit
from fieldwork.core.storage.backups import Backups
from fieldwork.core.storage.clock import Clock
from fieldwork.core.storage.part import Cache
from fieldwork.core.storage.reads import Reads
from fieldwork.core.storage.search import SearchIndex
from fieldwork.core.storage.trust import Trust
from fieldwork.core.storage.writes import WritePath
from fieldwork.core.sync import signing

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


class Store(WritePath):
    """One open inspection file. Not thread-safe: a worker thread opens its own Store."""

    def __init__(self, conn: Any, path: Path, passphrase: str | None, readonly: bool) -> None:
        self.conn = conn
        self.path = path
        self.readonly = readonly
        self._passphrase = passphrase
        self._encrypted = passphrase is not None
        self._db: Any = None  # sqlite-utils, made when first asked for (see `db`)
        self._tx_depth = 0
        self._meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        self._cache = Cache()
        # The clock resumes after the newest op this file holds, written here or imported,
        # but never past its bound: ops dated far ahead (an old release followed them) are
        # not followed, and `audit.clock_warning()` says so.
        self.clock = Clock()
        limit = self.clock.limit()
        newest = conn.execute("SELECT max(hlc) FROM changes WHERE hlc <= ?", (limit,))
        self.clock.observe(newest.fetchone()[0])
        self.clock.observe(self._meta.get("hlc"))

    # ------------------------------------------------------------------ parts

    @property
    def reads(self) -> Reads:
        """Typed reads of the shared state: `store.reads.cases()`."""
        return Reads(self)

    @property
    def search(self) -> SearchIndex:
        """The full-text index: `store.search.find("words")`."""
        return SearchIndex(self)

    @property
    def audit(self) -> Audit:
        """Dump, checks, the change log, bundle history: `store.audit.dump()`."""
        return Audit(self)

    @property
    def backups(self) -> Backups:
        """Rolling backups and copies: `store.backups.take()`."""
        return Backups(self)

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
                    store.trust.claim()
                    if backup:
                        store.backups.take()
        except BaseException:
            db.close(conn, path)  # and its lock (filelock.py)
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
            db.close(conn, path)  # and its lock (filelock.py)
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
            signing_key=signing.new_private_key(),
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
            with db.translated(work):  # a full disk here is DiskFull, named below
                db.building_pragmas(store.conn)
            yield store
            db.finished_pragmas(store.conn)
            store.close()
            with db.translated(dest):
                if dest.exists():
                    raise UserError(f"{dest} already exists: choose another name.")
                files.move_into_place(work, dest)
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
            # Its creator is the lead: the one who changes the team, pinned for good.
            store._set_meta(
                demo="1" if demo else "0",
                lead_member=store.author,
                lead_key=store.signing_public,
            )
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

    @classmethod
    def restore(cls, backup: Path, path: Path, passphrase: str | None) -> Store:
        """Restore a backup over `path` (the damaged file kept aside) and open it; it takes
        a new device id."""
        backups.restore(backup, path)
        store = cls.open(path, passphrase)
        store.new_device_id()
        return store

    def add_self_as_member(self, name: str | None, role: str) -> str:
        """Record the lead's own laptop in the team (creating the inspection), with the
        age key bundles are encrypted to and the Ed25519 key that signs its ops."""
        name = " ".join((name or getpass.getuser()).split())
        fields = {"name": name, "role": role, "public_key": self.age_recipient}
        self.insert("members", {**fields, "signing_key": self.signing_public}, self.author)
        return self.author

    def request_to_join(self, name: str | None, role: str = "inspector") -> str:
        """A joining laptop asks the lead to admit it; returns the member it writes as.

        A person already in the team under that name (the case sample allotted cases to
        them, or their other laptop joined first) IS this laptop's person: the laptop
        writes as them, so their cases are "My cases", and asks for its keys to be added
        to theirs (a member_keys row, never an edit of the member's own keys). Anyone
        else asks to be a member. Either way the request is this laptop's ops, set aside
        here and on every laptop (trust.py) until the lead admits it (core/team.py)."""
        name = " ".join((name or getpass.getuser()).split())
        same = [
            m
            for m in self.reads.members()
            if m.role != "headquarters" and " ".join(m.name.split()).casefold() == name.casefold()
        ]
        keys = {"public_key": self.age_recipient, "signing_key": self.signing_public}
        if not same:
            fields: dict[str, Any] = {"name": name, "role": role, **keys, "deleted": False}
            edits = [("members", self.author, f, v) for f, v in fields.items()]
            self.trust.write_request(edits, "asks to join")
            return self.author
        member = same[0]
        self.set_author(member.id)
        row = natural_id("member_keys", member.id, self.age_recipient)
        fields = {"member_id": member.id, **keys, "deleted": False}
        self.trust.write_request([("member_keys", row, f, v) for f, v in fields.items()],
                                 "asks to join")  # fmt: skip
        return member.id

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
            db.close(self.conn, self.path)  # and its lock (filelock.py)
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

    @property
    def db(self) -> Any:
        """sqlite-utils over this connection (dump, schema checks), made when first asked
        for: importing sqlite-utils imports pandas and numpy wherever they are installed
        (the test tools bring them), some 100 MB the app has no use for."""
        if self._db is None or self._db.conn is not self.conn:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn)
        return self._db

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """A query's rows as dicts of column name to value."""
        cur = self.conn.execute(sql, tuple(params))
        names = [d[0] for d in cur.description or ()]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    def unlock(self, passphrase: str) -> None:
        """Reopen a locked file in place, so everything holding this Store keeps working.
        Raises WrongPassphrase (the file untouched) if the passphrase is wrong."""
        fresh = Store.open(self.path, passphrase, readonly=self.readonly, check=False)
        self.conn, self._db = fresh.conn, None
        self._passphrase = passphrase
        self._meta = fresh._meta
        self.clock = fresh.clock
        self.search.connection_changed()
        fresh.conn = None  # now ours

    @property
    def is_demo(self) -> bool:
        return self._meta.get("demo") == "1"

    def meta(self, key: str) -> str | None:
        return self._meta.get(key)

    def set_meta(self, key: str, value: str | None) -> None:
        """Local-only settings kept in the file (never synced)."""
        self._set_meta(**{key: value})

    @property
    def trust(self) -> Trust:
        """The lead, signing keys, signed heads, ops set aside: `store.trust.lead`."""
        return Trust(self)

    @property
    def signing_public(self) -> str:
        """This laptop's Ed25519 public key (64 hex digits)."""
        return signing.public_of(self._meta["signing_key"])

    def sign_with(self) -> str:
        """This laptop's Ed25519 private key, for signing its bundles (sync/heads.py)."""
        return str(self._meta["signing_key"])

    def pin_lead(self, member: str, key: str | None) -> None:
        """Record who the lead is and the key that signs its ops (a join, or the first
        signed bundle of a team that began on release 0.1.0)."""
        self._set_meta(lead_member=member, lead_key=key)

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
        """Hold a form: a new id, or a higher version of one held (a lower or equal
        version changes nothing; sync/forms.py refuses an equal one that differs)."""
        from fieldwork.core.forms.loader import parse_form

        form = parse_form(source)
        with self.transaction():
            self.conn.execute(
                "INSERT INTO forms(id, version, source) VALUES (?,?,?) ON CONFLICT(id) DO UPDATE"
                " SET version=excluded.version, source=excluded.source"
                " WHERE excluded.version > forms.version",
                (form.id, form.version, source),
            )
        self.reads.forget_form()
        self.search.form_changed()

    def rekey(self, old: str, new: str) -> None:
        """Change the passphrase of an encrypted file; its backups follow."""
        if not self.encrypted:
            raise UserError("This inspection file is not encrypted (a demo): it has no passphrase.")
        if old != self._passphrase:
            raise UserError("The current passphrase is wrong: nothing was changed.")
        check_new_passphrase(new)  # the rule of core/passphrase.py (WeakPassphrase)
        with db.translated(self.path):
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.conn.execute("PRAGMA journal_mode = DELETE")
            self.conn.execute(f"PRAGMA rekey = {db.quote_key(new)}")
            self.conn.execute("PRAGMA journal_mode = WAL")
        self._passphrase = new
        backups.rekey_backups(self.path, old, new)


def discard_file(path: str | Path) -> None:
    """Remove a half-made inspection file and its -wal and -shm (creation failed)."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
