"""Rolling backups of an inspection file, in a folder beside it, encrypted with the file's key.

An open Store hands out `store.backups` (take one now, copy the file elsewhere); the
functions below work on paths, for a file that may not open (restoring a damaged one).
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import sqlcipher3

from fieldwork.core import files
from fieldwork.core.storage import filelock
from fieldwork.core.storage.db import DriverError, file_uri, quote_key, translate, translated
from fieldwork.core.storage.part import Part

KEEP = 3


class Backups(Part):
    """The backups of an open Store (`store.backups`), taken with its key."""

    def take(self) -> Path:
        """A rolling backup now, beside the file; only the newest KEEP are kept."""
        with translated(self._store.path):
            return rolling_backup(self._store.conn, self._store.path, self._store._passphrase)

    def copy_to(self, dest: str | Path) -> None:
        """A copy of the file at `dest`, with the same key."""
        with translated(dest):
            write_backup(self._store.conn, Path(dest), self._store._passphrase)


def backup_dir(path: Path) -> Path:
    return path.with_name(path.name + ".backups")


def backup_paths(path: Path) -> list[Path]:
    """This file's backups, newest first."""
    folder = backup_dir(path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob("*.fieldwork"), key=lambda p: p.name, reverse=True)


def write_backup(conn: sqlcipher3.Connection, dest: Path, passphrase: str | None) -> None:
    """Copy a live connection's database to `dest` with SQLite's backup API, atomically."""
    try:
        with files.replacing(dest) as tmp:
            target = sqlcipher3.connect(str(tmp), isolation_level=None)
            try:
                target.execute("PRAGMA cipher_log_level = NONE")
                if passphrase is not None:
                    target.execute(f"PRAGMA key = {quote_key(passphrase)}")
                conn.backup(target)
                target.execute("PRAGMA journal_mode = DELETE")
            finally:
                target.close()
    except DriverError as exc:
        raise translate(exc, dest) from exc


def rolling_backup(conn: sqlcipher3.Connection, path: Path, passphrase: str | None) -> Path:
    """Take a backup now and keep only the newest KEEP."""
    folder = backup_dir(path)
    folder.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime()) + f"-{time.time_ns() % 10**9:09d}"
    dest = folder / f"{path.stem}-{stamp}.fieldwork"
    write_backup(conn, dest, passphrase)
    for old in backup_paths(path)[KEEP:]:
        old.unlink(missing_ok=True)
    return dest


def rekey_backups(path: Path, old: str | None, new: str | None) -> None:
    """Re-encrypt every backup so the backups follow a passphrase change."""
    for backup in backup_paths(path):
        if old is None or new is None:
            # Encryption switched on or off: the old backups no longer match; drop them.
            backup.unlink(missing_ok=True)
            continue
        conn = sqlcipher3.connect(str(backup), isolation_level=None)
        try:
            conn.execute("PRAGMA cipher_log_level = NONE")
            conn.execute(f"PRAGMA key = {quote_key(old)}")
            conn.execute(f"PRAGMA rekey = {quote_key(new)}")
        except DriverError:
            pass  # a backup that does not open with the old key is left as it is
        finally:
            conn.close()


def restore(backup: Path, path: Path) -> None:
    """Put a backup in place of the file (the damaged file is kept aside, never deleted).
    Refused (FileInUse) while another process has the file open: its -wal is live."""
    with filelock.held(path):
        if path.exists():
            aside = path.with_name(path.name + f".damaged-{int(time.time())}")
            os.replace(path, aside)
        for suffix in ("-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        with files.replacing(path) as tmp:
            shutil.copyfile(backup, tmp)


def latest_good(path: Path, passphrase: str | None) -> Path | None:
    """The newest backup of `path` that opens with this passphrase and passes its check."""
    for backup in backup_paths(path):
        try:
            conn = sqlcipher3.connect(file_uri(backup, mode="ro"), uri=True)
        except DriverError:
            continue
        try:
            conn.execute("PRAGMA cipher_log_level = NONE")
            if passphrase is not None:
                conn.execute(f"PRAGMA key = {quote_key(passphrase)}")
            if conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]:
                return backup
        except DriverError:
            continue
        finally:
            conn.close()
    return None
