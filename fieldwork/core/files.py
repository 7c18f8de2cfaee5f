"""Writing a file so that it stands at its final name only when complete.

Every output that must never be seen half-written (bundles, PDFs, CSV and XLSX exports,
backups, a joined inspection file) goes through here: it is written under a temporary
name in the same folder, synced, given its mode, renamed into place, and the folder is
synced so the rename itself survives a power cut. On any failure, KeyboardInterrupt
included, the temporary file is removed and nothing stands at the final name. A full
disk or a read-only folder becomes DiskFull or ReadOnly, one line naming the file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from fieldwork.core.errors import DiskFull, ReadOnly

# Anything holding case data is readable by its owner only.
PRIVATE = 0o600


def fsync_file(path: Path) -> None:
    """Make a file's contents durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    """Make a rename in the folder `path` durable (where the platform allows it)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def move_into_place(tmp: Path, dest: Path, *, mode: int = PRIVATE) -> None:
    """The last steps of a safe write, for a file already complete at `tmp` (in `dest`'s
    folder): set its mode, sync it, rename it to `dest`, sync the folder."""
    os.chmod(tmp, mode)
    fsync_file(tmp)
    os.replace(tmp, dest)
    fsync_dir(dest.parent)


def translate_os_error(exc: OSError, dest: Path) -> DiskFull | ReadOnly | None:
    """Our error for a full disk or a read-only place while writing `dest`, else None."""
    if exc.errno == errno.ENOSPC:
        return DiskFull(
            f"The disk is full: {dest.name} was not written. Free some space and try again."
        )
    if exc.errno == errno.EROFS:
        return ReadOnly(f"Cannot write {dest.name}: the folder is read-only.")
    return None


@contextlib.contextmanager
def replacing(dest: str | Path, *, mode: int = PRIVATE) -> Iterator[Path]:
    """A temporary path beside `dest` to write the whole file to; when the `with` block
    ends normally it is moved into place (see `move_into_place`), on any exception it is
    removed. For writers that want a path (reportlab, openpyxl, SQLite's backup)."""
    dest = Path(dest)
    tmp: Path | None = None
    try:
        fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
        os.close(fd)
        tmp = Path(name)
        yield tmp
        move_into_place(tmp, dest, mode=mode)
    except BaseException as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
        ours = translate_os_error(exc, dest) if isinstance(exc, OSError) else None
        if ours is not None:
            raise ours from exc
        raise


def write_with(dest: str | Path, write: Callable[[BinaryIO], None], *, mode: int = PRIVATE) -> Path:
    """Write `dest` safely through `write`, given the open binary file to write to."""
    dest = Path(dest)
    with replacing(dest, mode=mode) as tmp, open(tmp, "wb") as f:
        write(f)
    return dest


def write_bytes(dest: str | Path, data: bytes, *, mode: int = PRIVATE) -> Path:
    """Write `data` to `dest` safely."""

    def write(f: BinaryIO) -> None:
        f.write(data)

    return write_with(dest, write, mode=mode)
