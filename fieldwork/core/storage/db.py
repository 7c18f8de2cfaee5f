"""Opening an inspection file: the sqlcipher3 connection, key, pragmas, checks and migrations.

Every connection goes through `connect`, so the pragmas of DESIGN.md section 3
hold everywhere, and every driver exception is turned into one of our own.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import urllib.parse
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import sqlcipher3

from fieldwork.core.errors import (
    Busy,
    DamagedFile,
    DiskFull,
    NewerVersion,
    NotAnInspection,
    PassphraseRequired,
    ReadOnly,
    StoreError,
    WrongPassphrase,
)
from fieldwork.core.storage import filelock

APPLICATION_ID = 0x4657524B  # "FWRK"
SQLITE_HEADER = b"SQLite format 3\x00"
PAGE_SIZE = 4096
DriverError = sqlcipher3.dbapi2.Error
IntegrityError = sqlcipher3.dbapi2.IntegrityError


def migrations() -> list[tuple[int, str]]:
    """The numbered SQL migrations shipped with the package, in order."""
    folder = resources.files("fieldwork.core.storage") / "migrations"
    found = []
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), entry.read_text(encoding="utf-8")))
    return sorted(found)


LATEST_SCHEMA = max(n for n, _ in migrations())


def is_plaintext(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(16) == SQLITE_HEADER


def quote_key(passphrase: str) -> str:
    return "'" + passphrase.replace("'", "''") + "'"


def translate(exc: BaseException, path: Path | str = "") -> StoreError:
    """Turn a driver exception into a one-line error of our own."""
    text = str(exc).lower()
    where = f" ({Path(path).name})" if path else ""
    if "disk is full" in text or "disk full" in text:
        return DiskFull(
            f"The disk is full{where}: nothing was saved. Free some space and try again."
        )
    if "readonly" in text or "read-only" in text:
        return ReadOnly(f"The inspection file{where} cannot be written to (read-only).")
    if "locked" in text or "busy" in text:
        return Busy(f"The inspection file{where} is busy in another window or program.")
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return DamagedFile(f"The inspection file{where} is damaged: {exc}.")
    if "unable to open" in text:
        return StoreError(f"Cannot open the inspection file{where}: {exc}.")
    return StoreError(f"Storage error{where}: {exc}.")


@contextlib.contextmanager
def translated(path: Path | str = "") -> Iterator[None]:
    try:
        yield
    except DriverError as exc:
        raise translate(exc, path) from exc
    except OSError as exc:
        if exc.errno == 28:  # ENOSPC
            raise DiskFull("The disk is full: nothing was saved.") from exc
        raise


def file_uri(path: Path, **params: str) -> str:
    """An SQLite URI for `path`: the name percent-encoded, so a `#`, `?` or `%` in it is
    part of the name ("Durham #1.fieldwork"), not the start of a query or fragment."""
    uri = "file:" + urllib.parse.quote(Path(path).absolute().as_posix(), safe="/")
    return uri + ("?" + urllib.parse.urlencode(params) if params else "")


def connect(
    path: Path,
    passphrase: str | None,
    *,
    readonly: bool = False,
    create: bool = False,
) -> sqlcipher3.Connection:
    """Open `path` keyed and with our pragmas; tell a wrong passphrase from a damaged file."""
    if not create:
        if not path.exists():
            raise StoreError(f"No such inspection file: {path}")
        if path.stat().st_size == 0:
            raise DamagedFile(f"{path.name} is empty: it is not an inspection file.")
    plain = create and passphrase is None or (not create and is_plaintext(path))
    if not plain and passphrase is None:
        raise PassphraseRequired(f"{path.name} is encrypted: a passphrase is needed to open it.")
    writable = os.access(path.parent, os.W_OK) and (create or os.access(path, os.W_OK))
    if not readonly and not writable:
        raise ReadOnly(
            f"{path.name} is in a read-only place: open it read-only, or copy it somewhere "
            "you can write to."
        )
    # immutable: nobody can be writing it, and SQLite cannot make the -shm there.
    uri = (
        file_uri(path, mode="ro", immutable="1")
        if readonly and not writable
        else (file_uri(path, mode="ro") if readonly else file_uri(path))
    )
    filelock.acquire(path, readonly=readonly)  # one process at a time; released by close()
    try:
        return _connect(path, uri, passphrase, plain=plain, readonly=readonly)
    except BaseException:
        filelock.release(path)
        raise


def close(conn: sqlcipher3.Connection, path: Path) -> None:
    """Close a connection `connect` made and let go of the file's lock (filelock.py)."""
    try:
        conn.close()
    finally:
        filelock.release(path)


def _connect(
    path: Path, uri: str, passphrase: str | None, *, plain: bool, readonly: bool
) -> sqlcipher3.Connection:
    try:
        conn = sqlcipher3.connect(uri, uri=True, isolation_level=None, check_same_thread=True)
    except DriverError as exc:
        raise translate(exc, path) from exc
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        if not plain:
            conn.execute(f"PRAGMA key = {quote_key(passphrase or '')}")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except DriverError as exc:
            raise _unreadable(path, passphrase, exc) from exc
        _pragmas(conn, readonly=readonly)
    except BaseException:
        conn.close()
        raise
    return conn


def _unreadable(path: Path, passphrase: str | None, exc: BaseException) -> StoreError:
    size = path.stat().st_size
    if passphrase is None or size % PAGE_SIZE:
        return DamagedFile(f"{path.name} is damaged or is not an inspection file.")
    # Page 1 failed to decrypt: either the passphrase is wrong or page 1 is damaged.
    # If the same passphrase opens one of this file's backups, the file is the problem.
    from fieldwork.core.storage.backups import backup_paths

    for backup in backup_paths(path):
        if _opens_with(backup, passphrase):
            return DamagedFile(
                f"{path.name} is damaged (its backup opens with this passphrase): "
                "restore the latest backup."
            )
    return WrongPassphrase("Wrong passphrase: the file was not changed.")


def _opens_with(path: Path, passphrase: str) -> bool:
    try:
        conn = sqlcipher3.connect(file_uri(path, mode="ro"), uri=True)
    except DriverError:
        return False
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = {quote_key(passphrase)}")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except DriverError:
        return False
    finally:
        conn.close()


def _pragmas(conn: sqlcipher3.Connection, *, readonly: bool) -> None:
    conn.execute("PRAGMA busy_timeout = 5000")
    if not readonly:
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("PRAGMA temp_store = MEMORY")


def schema_version(conn: sqlcipher3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def check_identity(conn: sqlcipher3.Connection, path: Path) -> int:
    """Refuse files that are not ours or come from a newer Fieldwork; return the schema version."""
    app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    version = schema_version(conn)
    if app_id != APPLICATION_ID:
        if app_id == 0 and version == 0 and not _has_tables(conn):
            raise NotAnInspection(f"{path.name} is an empty database, not an inspection file.")
        raise NotAnInspection(f"{path.name} is an SQLite database but not a Fieldwork inspection.")
    if version > LATEST_SCHEMA:
        raise NewerVersion(
            f"{path.name} was made by a newer Fieldwork (file schema {version}, this app reads "
            f"up to {LATEST_SCHEMA}): update Fieldwork to open it."
        )
    return version


def _has_tables(conn: sqlcipher3.Connection) -> bool:
    return conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0


def quick_check(conn: sqlcipher3.Connection, path: Path) -> None:
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except DriverError as exc:
        raise DamagedFile(f"{path.name} is damaged: {exc}.") from exc
    if rows != [("ok",)]:
        raise DamagedFile(f"{path.name} is damaged: {problems_text([r[0] for r in rows])}.")


def problems_text(rows: list[str]) -> str:
    """An integrity or quick check's findings in one short line: the first, and a count."""
    found = [
        line.strip()
        for row in rows
        for line in str(row).splitlines()
        if line.strip() and not line.startswith("***")
    ]
    if not found:
        return "unknown problem"
    more = f" (and {len(found) - 1} more problems)" if len(found) > 1 else ""
    return f"{found[0][:120]}{more}"


def migrate(conn: sqlcipher3.Connection, path: Path, from_version: int) -> None:
    """Apply the migrations after `from_version`, each in its own immediate transaction.

    An existing file is copied beside itself first, so a failed migration loses nothing.
    """
    pending = [(n, sql) for n, sql in migrations() if n > from_version]
    if not pending:
        return
    if from_version > 0:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copy2(path, path.with_name(f"{path.name}.pre-v{pending[0][0]}.bak"))
    with translated(path):
        for number, sql in pending:
            conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in _statements(sql):
                    conn.execute(statement)
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                conn.execute(f"PRAGMA user_version = {number}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise


def _statements(sql: str) -> list[str]:
    """Split a migration into statements (sqlcipher3 has no executescript inside BEGIN)."""
    out, buf = [], []
    for line in sql.splitlines():
        if line.strip().startswith("--"):
            continue
        buf.append(line)
        joined = "\n".join(buf)
        if sqlcipher3.complete_statement(joined):
            out.append(joined.strip())
            buf = []
    if "\n".join(buf).strip():
        out.append("\n".join(buf).strip())
    return out


def building_pragmas(conn: sqlcipher3.Connection) -> None:
    """For a file being built under a hidden name (see Store.building): the journal in
    memory, so ROLLBACK still works, and no syncs. Safe only because the file is moved
    to its real name after `finished_pragmas`, and thrown away on any failure."""
    conn.execute("PRAGMA journal_mode = MEMORY")
    conn.execute("PRAGMA synchronous = OFF")


def finished_pragmas(conn: sqlcipher3.Connection) -> None:
    """Back to the pragmas every inspection file has (WAL, synchronous FULL)."""
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA journal_mode = WAL")
