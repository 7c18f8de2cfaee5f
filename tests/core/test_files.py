"""The safe write (core/files.py): a file stands at its final name only when complete,
readable by its owner only, and nothing is left behind when writing fails."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

import pytest

from fieldwork.core import files
from fieldwork.core.errors import DiskFull, ReadOnly
from tests.fault_fs import fill, remount, small_fs


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_file_is_written_whole_and_private(tmp_path: Path) -> None:
    old = os.umask(0o022)  # what a laptop usually has: new files readable by everyone
    try:
        dest = files.write_bytes(tmp_path / "day.bundle", b"case data")
    finally:
        os.umask(old)
    assert dest.read_bytes() == b"case data"
    assert _mode(dest) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["day.bundle"]  # no temporary left


def test_the_mode_can_be_chosen(tmp_path: Path) -> None:
    dest = files.write_bytes(tmp_path / "public.txt", b"no case data", mode=0o644)
    assert _mode(dest) == 0o644


def test_replacing_an_existing_file_swaps_it_whole(tmp_path: Path) -> None:
    dest = tmp_path / "report.pdf"
    dest.write_bytes(b"old report")
    before = dest.stat().st_ino
    with files.replacing(dest) as tmp:
        assert tmp.parent == tmp_path and tmp != dest  # written beside, under another name
        tmp.write_bytes(b"new report")
        assert dest.read_bytes() == b"old report"  # the old file stands until the end
    assert dest.read_bytes() == b"new report"
    assert dest.stat().st_ino != before  # renamed into place, not rewritten in place
    assert _mode(dest) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]


def test_the_folder_is_synced_after_the_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[str] = []
    real_fsync = os.fsync

    def watching_fsync(fd: int) -> None:
        kind = "folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file"
        synced.append(kind)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", watching_fsync)
    files.write_bytes(tmp_path / "out.csv", b"a,b\n")
    assert synced == ["file", "folder"]


@pytest.mark.parametrize("failure", [ValueError("the writer failed"), KeyboardInterrupt()])
def test_a_failed_write_leaves_nothing_behind(tmp_path: Path, failure: BaseException) -> None:
    def write(f: BinaryIO) -> None:
        f.write(b"half a file")
        raise failure

    with pytest.raises(type(failure)):
        files.write_with(tmp_path / "export.xlsx", write)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    dest = tmp_path / "draft.pdf"
    dest.write_bytes(b"yesterday's draft")
    with pytest.raises(RuntimeError), files.replacing(dest) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("cancelled")
    assert dest.read_bytes() == b"yesterday's draft"
    assert [p.name for p in tmp_path.iterdir()] == ["draft.pdf"]


def test_a_full_disk_says_so_and_leaves_nothing(tmp_path: Path) -> None:
    with small_fs(tmp_path / "disk", 256) as disk:
        fill(disk)
        with pytest.raises(DiskFull, match=r"^The disk is full: day\.bundle was not written\."):
            files.write_bytes(disk / "day.bundle", b"x" * 100_000)
        assert [p.name for p in disk.iterdir()] == ["filler.bin"]


def test_a_read_only_folder_says_so(tmp_path: Path) -> None:
    with small_fs(tmp_path / "ro", 256) as disk:
        remount(disk, readonly=True)
        try:
            with pytest.raises(ReadOnly, match=r"day\.bundle: the folder is read-only"):
                files.write_bytes(disk / "day.bundle", b"data")
            assert list(disk.iterdir()) == []
        finally:
            remount(disk, readonly=False)


def test_every_output_holding_case_data_is_private(tmp_path: Path) -> None:
    from fieldwork.cli import main
    from fieldwork.core.demo.generator import make_demo
    from fieldwork.core.storage.store import Store

    demo = tmp_path / "demo.fieldwork"
    make_demo(demo, cases=6, interviews=2, seed=1).close()
    out = tmp_path / "out"
    out.mkdir()
    old = os.umask(0o022)
    try:
        for args in (
            ["bundle", "export", str(demo), str(out / "day.bundle")],
            ["report", str(demo), str(out / "draft.pdf")],
            ["export", "csv", str(demo), str(out / "csv")],
            ["export", "xlsx", str(demo), str(out / "tables.xlsx")],
            ["new", str(out / "mate.fieldwork"), "--from-bundle", str(out / "day.bundle")],
        ):
            assert main([*args, "--no-encryption"] if args[0] == "new" else args) == 0, args
        with Store.open(demo) as store:
            backup = store.backups.take()
    finally:
        os.umask(old)
    written = [p for p in out.rglob("*") if p.is_file()] + [backup]
    assert {p.name for p in written} >= {"day.bundle", "draft.pdf", "cases.csv", "tables.xlsx"}
    assert {p.name: oct(_mode(p)) for p in written} == {p.name: oct(0o600) for p in written}
