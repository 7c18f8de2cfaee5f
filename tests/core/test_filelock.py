"""One process at a time on an inspection file, whatever else the holder opens or closes.

SQLite's POSIX locks go when the process closes any descriptor on the file (a file
dialog in the folder did it); the next command then deleted the live -wal. A second
process must instead be refused in one line and leave every file as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldwork.core.storage import filelock
from fieldwork.core.storage.store import Store
from tests.conftest import new_store

REFUSED = "is open in Fieldwork on this computer"

# A process that opens the file, writes, then does what the file dialog did: opens and
# closes descriptors on the database and its -shm (POSIX locks gone) and on the lock file.
HOLDER = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from fieldwork.core.storage.store import Store
    from fieldwork.core.storage import filelock
    path = Path(sys.argv[1])
    store = Store.open(path, backup=len(sys.argv) > 2)
    case = store.insert("cases", {"ref": "H000001", "organisation": "NPS",
                                  "status": "not_started"})
    store.set_answer(case, "2.1/strengths", "Written by the holder")
    for stray in (path, Path(f"{path}-shm"), filelock.lock_path(path)):
        if stray.exists():
            os.close(os.open(stray, os.O_RDONLY))
    print("ready", flush=True)
    sys.stdin.read()
    store.close()
    """
)


def fieldwork(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fieldwork", *args],
        capture_output=True,
        text=True,
        input="",
        timeout=120,
    )


def digests(path: Path) -> dict[str, str]:
    files = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in files if f.exists()}


@pytest.fixture
def plain(tmp_path: Path) -> Path:
    path = tmp_path / "durham.fieldwork"
    new_store(path).close()
    return path


class Holder:
    def __init__(self, path: Path, *, backup: bool = False) -> None:
        extra = ["backup"] if backup else []
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(path), *extra],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        assert self.proc.stdout.readline().strip() == "ready"

    def close(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            assert self.proc.wait(60) == 0


@pytest.fixture
def holder(plain: Path) -> Iterator[Holder]:
    h = Holder(plain)
    yield h
    h.close()


def test_second_process_is_refused_in_one_line_and_the_wal_is_kept(
    plain: Path, holder: Holder
) -> None:
    assert Path(f"{plain}-wal").stat().st_size > 0  # the holder's answer is in the WAL
    before = digests(plain)
    for args in (["check"], ["dump", "--json"], ["answer", "H000001", "1.1", "yes"]):
        done = fieldwork(args[0], str(plain), *args[1:])
        assert done.returncode == 1, done
        assert done.stdout == ""
        assert done.stderr.count("\n") == 1 and REFUSED in done.stderr, done.stderr
        assert digests(plain) == before  # the -wal and -shm are still there, untouched
    holder.close()
    # The holder quit: its work is all there and the file is sound.
    assert fieldwork("check", str(plain)).returncode == 0
    dump = json.loads(fieldwork("dump", str(plain), "--json").stdout)
    assert "Written by the holder" in json.dumps(dump)


def test_same_process_opens_are_counted_not_refused(
    plain: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(filelock, "WAIT", 0.2)
    first = Store.open(plain)
    second = Store.open(plain)  # the app's worker thread and lock screen do this
    third = Store.open(plain, readonly=True)
    # Whatever else this process opens and closes, the lock stays.
    for stray in (plain, Path(f"{plain}-shm"), filelock.lock_path(plain)):
        if stray.exists():
            os.close(os.open(stray, os.O_RDONLY))
    first.close()
    third.close()
    assert REFUSED in fieldwork("check", str(plain)).stderr
    assert filelock.holds(plain)
    second.close()
    assert not filelock.holds(plain)
    assert not filelock.lock_path(plain).exists()  # no lock file left beside it
    assert fieldwork("check", str(plain)).returncode == 0


def test_restore_is_refused_while_another_process_has_the_file_open(plain: Path) -> None:
    holder = Holder(plain, backup=True)
    try:
        before = digests(plain)
        done = fieldwork("restore", str(plain))
        assert done.returncode == 1 and REFUSED in done.stderr, done
        assert digests(plain) == before
        assert not list(plain.parent.glob("*.damaged-*"))
    finally:
        holder.close()


@pytest.mark.skipif(
    sys.platform != "linux" or os.geteuid() != 0 or shutil.which("unshare") is None,
    reason="needs root and unshare to mount a read-only folder",
)
def test_read_only_folder_still_opens_read_only(plain: Path) -> None:
    """A folder nobody can write to (a write-protected stick): no lock file can be made,
    yet reading works; writing is refused as before."""
    script = textwrap.dedent(
        """
        import sys
        from fieldwork.core.errors import ReadOnly
        from fieldwork.core.storage.store import Store
        with Store.open(sys.argv[1], readonly=True) as store:
            print(store.meta("author") is not None)
        try:
            Store.open(sys.argv[1])
        except ReadOnly as exc:
            print("refused:", exc)
        """
    )
    folder = plain.parent
    shell = (
        f"mount --bind {folder} {folder} && mount -o remount,bind,ro {folder} && "
        f'exec "{sys.executable}" -c "$0" "$1"'
    )
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", shell, script, str(plain)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if "mount" in done.stderr and done.returncode:
        pytest.skip(f"cannot mount here: {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "True"
    assert done.stdout.splitlines()[1].startswith("refused:")
    assert not filelock.lock_path(plain).exists()
