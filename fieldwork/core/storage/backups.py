"""Rolling backups of an inspection file, in a folder beside it, encrypted with the file's key."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import sqlcipher3

from fieldwork.core.storage import filelock
from fieldwork.core.storage.db import DriverError, fsync_dir, fsync_file, quote_key, translate

KEEP = 3


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
    tmp = dest.with_name(dest.name + ".tmp")
    tmp.unlink(missing_ok=True)
    try:
        target = sqlcipher3.connect(str(tmp), isolation_level=None)
        try:
            target.execute("PRAGMA cipher_log_level = NONE")
            if passphrase is not None:
                target.execute(f"PRAGMA key = {quote_key(passphrase)}")
            conn.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, dest)
        fsync_dir(dest.parent)
    except DriverError as exc:
        tmp.unlink(missing_ok=True)
        raise translate(exc, dest) from exc
    except OSError:
        tmp.unlink(missing_ok=True)
        raise


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
        tmp = path.with_name(path.name + ".restoring")
        shutil.copyfile(backup, tmp)
        fsync_file(tmp)
        os.replace(tmp, path)
        fsync_dir(path.parent)


def latest_good(path: Path, passphrase: str | None) -> Path | None:
    """The newest backup of `path` that opens with this passphrase and passes its check."""
    for backup in backup_paths(path):
        try:
            conn = sqlcipher3.connect(f"file:{backup}?mode=ro", uri=True)
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
