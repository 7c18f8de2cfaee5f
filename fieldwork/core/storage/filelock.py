"""One process at a time on an inspection file: a lock no stray close can release.

SQLite guards a file with POSIX (fcntl) locks, and POSIX locks belong to a process and
an inode: closing ANY descriptor on the file in the process drops them all (SQLite's
"How To Corrupt An SQLite Database File", section 2.2). A file dialog opened in the
inspection's folder does exactly that, and a command run next from a terminal then saw
no other user and deleted the live -wal and -shm.

So, beside SQLite's own locks, every process that opens an inspection file (the app
and every `fieldwork` command) holds an exclusive lock on a separate file beside it,
`.NAME.lock`, for as long as a Store on it is open:

- POSIX/macOS: `flock`, a BSD lock that belongs to the open file description made by
  our own `open` of the lock file. Only closing THAT descriptor releases it, and no
  other code in the process opens the hidden lock file (SQLite never does; on a local
  disk flock and fcntl locks are also independent, so even opening the database file
  itself could not touch it). The kernel drops it when the process dies, so it never
  goes stale.
- Windows: `msvcrt.locking` on byte 0 of the lock file. Windows locks belong to the
  handle that took them; closing another handle does not release them. (A separate
  file because Windows locks are mandatory: on the database itself they would block
  SQLite's own reads.)

Within one process the lock is counted, not taken again: the app's worker thread and
its lock screen open further Stores on the same file, and those must not be refused.
A second process waits up to WAIT seconds, then is refused in one line.

A read-only folder cannot hold a new lock file. A read-only open there is immutable
(see db.connect: SQLite takes no locks and never touches -wal or -shm), so it needs no
lock; it still honours a lock file someone with write access left there.
"""

from __future__ import annotations

import contextlib
import errno
import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from fieldwork.core.errors import FileInUse, StoreError

if sys.platform == "win32":  # pragma: no cover - exercised on Windows laptops only
    import msvcrt
else:
    import fcntl

WAIT = 3.0  # seconds a second process waits for the holder to let go before giving up
POLL = 0.1
# Filesystems without working locks (some network shares): carry on with SQLite's own.
_NO_LOCKS = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL}
_NO_FILE = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOENT}


@dataclass
class _Held:
    fd: int | None  # None: a read-only open where no lock can be taken (see above)
    lock: Path
    count: int = 1


_held: dict[str, _Held] = {}
_guard = threading.Lock()


def lock_path(path: Path) -> Path:
    """The lock file of an inspection file: hidden, beside the file itself."""
    real = Path(os.path.realpath(path))
    return real.with_name(f".{real.name}.lock")


def _key(path: Path) -> str:
    return os.path.realpath(path)


def acquire(path: Path, *, readonly: bool = False, wait: float | None = None) -> None:
    """Hold the process's lock on `path` (counted). Raises FileInUse when another
    process holds it for longer than `wait` seconds (default WAIT)."""
    key = _key(path)
    with _guard:
        held = _held.get(key)
        if held is not None:
            held.count += 1
            return
        _held[key] = _take(Path(path), lock_path(path), readonly, WAIT if wait is None else wait)


def release(path: Path) -> None:
    """Let go of one count; the last one unlocks and removes the lock file."""
    key = _key(path)
    with _guard:
        held = _held.get(key)
        if held is None:
            return
        held.count -= 1
        if held.count > 0:
            return
        del _held[key]
        if held.fd is None:
            return
        if sys.platform != "win32":
            # Removed while still locked: a process waiting on this inode sees it gone
            # and opens the file afresh (see _take), so two never hold different inodes.
            with contextlib.suppress(OSError):
                os.unlink(held.lock)
        else:  # pragma: no cover
            with contextlib.suppress(OSError):
                os.lseek(held.fd, 0, os.SEEK_SET)  # msvcrt locks from the file position
                msvcrt.locking(held.fd, msvcrt.LK_UNLCK, 1)
        os.close(held.fd)


@contextlib.contextmanager
def held(path: Path, *, readonly: bool = False) -> Iterator[None]:
    acquire(path, readonly=readonly)
    try:
        yield
    finally:
        release(path)


def holds(path: Path) -> bool:
    """Whether this process holds the lock on `path` (for tests and checks)."""
    with _guard:
        return _key(path) in _held


def _take(path: Path, lock: Path, readonly: bool, wait: float) -> _Held:
    deadline = time.monotonic() + wait
    while True:
        fd = _open(lock, readonly, path)
        if fd is None:
            return _Held(None, lock)
        try:
            got = _try_lock(fd)
        except OSError as exc:
            os.close(fd)
            if exc.errno in _NO_LOCKS:
                return _Held(None, lock)
            raise StoreError(f"Cannot lock {path.name}: {exc.strerror or exc}.") from exc
        if got and _same_file(fd, lock):
            _write_holder(fd)
            return _Held(fd, lock)
        holder = _read_holder(fd)
        os.close(fd)
        if got:  # locked a lock file its holder had just removed: take the new one
            continue
        if time.monotonic() >= deadline:
            raise FileInUse(in_use_message(path, holder))
        time.sleep(POLL)


def _open(lock: Path, readonly: bool, path: Path) -> int | None:
    try:
        return os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        if exc.errno not in _NO_FILE:
            raise StoreError(f"Cannot make the lock file for {path.name}: {exc}.") from exc
    try:
        return os.open(lock, os.O_RDONLY)  # someone with write access made it: honour it
    except OSError as exc:
        if readonly and exc.errno in _NO_FILE:
            return None  # a read-only folder, opened immutable: nothing to guard
        raise StoreError(
            f"Cannot make the lock file for {path.name} beside it: {exc.strerror or exc}."
        ) from exc


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":  # pragma: no cover
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EDEADLK):
                return False
            raise
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _same_file(fd: int, lock: Path) -> bool:
    if sys.platform == "win32":  # pragma: no cover - the lock file is never removed there
        return True
    try:
        return os.path.samestat(os.fstat(fd), os.stat(lock))
    except OSError:
        return False


def _write_holder(fd: int) -> None:
    """Who holds it, for the refusal message of the next process; best effort."""
    with contextlib.suppress(OSError):
        data = f"{os.getpid()} {socket.gethostname()}\n".encode()
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, data)


def _read_holder(fd: int) -> tuple[int, str] | None:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        pid, host = os.read(fd, 300).decode("utf-8", "replace").split()[:2]
        return int(pid), host
    except (OSError, ValueError):
        return None


def in_use_message(path: Path, holder: tuple[int, str] | None) -> str:
    where = "on this computer"
    if holder is not None and holder[1] != socket.gethostname():
        where = f"on {holder[1]}"
    return f"{path.name} is open in Fieldwork {where}: close it there, then try again."
