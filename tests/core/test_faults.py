"""A full disk and a read-only folder while saving: a clear error, nothing lost, still usable."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldwork.core.errors import DiskFull, ReadOnly, StoreError
from fieldwork.core.storage.store import Store
from tests.conftest import PASSPHRASE, new_store
from tests.fault_fs import fill, remount, small_fs


def test_full_disk_while_saving_keeps_every_saved_answer(tmp_path: Path) -> None:
    with small_fs(tmp_path / "disk", 2048) as disk:
        store = new_store(disk / "full.fieldwork", PASSPHRASE)
        case_id = store.insert("cases", {"ref": "X123456", "organisation": "NPS"})
        saved = []
        filler = fill(disk)
        with pytest.raises(DiskFull, match="disk is full"):
            for i in range(100_000):
                store.set_answer(case_id, "2.1/strengths", f"note {i} " + "x" * 2000)
                saved.append(i)
        # the app keeps running: after freeing space the same store saves again
        filler.unlink()
        store.set_answer(case_id, "2.1/improvements", "after the disk was freed")
        store.close()
        reopened = Store.open(disk / "full.fieldwork", PASSPHRASE)
        answers = reopened.reads.answers(case_id)
        if saved:
            assert answers["2.1/strengths"].value.startswith(f"note {saved[-1]} ")
        assert answers["2.1/improvements"].value == "after the disk was freed"
        assert reopened.audit.check()["ok"]
        reopened.close()


def test_read_only_folder_refuses_edits_with_a_clear_message(tmp_path: Path) -> None:
    with small_fs(tmp_path / "ro", 4096) as disk:
        store = new_store(disk / "ro.fieldwork")
        case_id = store.insert("cases", {"ref": "X123456", "organisation": "NPS"})
        store.close()
        remount(disk, readonly=True)
        try:
            with pytest.raises((ReadOnly, StoreError)) as info:
                s = Store.open(disk / "ro.fieldwork")
                s.set_answer(case_id, "2.1.1a", "yes")
            assert "\n" not in str(info.value)
            # read-only opening still shows the work
            s = Store.open(disk / "ro.fieldwork", readonly=True, check=False)
            assert [c.ref for c in s.reads.cases()] == ["X123456"]
            with pytest.raises(StoreError, match="read-only"):
                s.set_answer(case_id, "2.1.1a", "yes")
            s.close()
        finally:
            remount(disk, readonly=False)


def _demo(tmp_path: Path) -> Path:
    from fieldwork.core.demo.generator import make_demo

    path = tmp_path / "demo.fieldwork"
    make_demo(path, cases=40, interviews=6, seed=3).close()
    return path


@pytest.mark.parametrize("kind", ["report", "bundle", "csv"])
def test_full_disk_while_writing_an_output_says_so_and_leaves_nothing(
    tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from fieldwork.cli import main

    demo = _demo(tmp_path)
    with small_fs(tmp_path / "out", 256) as disk:
        fill(disk)
        out = disk / {"report": "draft.pdf", "bundle": "day.bundle", "csv": "export"}[kind]
        args = {
            "report": ["report", str(demo), str(out)],
            "bundle": ["bundle", "export", str(demo), str(out)],
            "csv": ["export", "csv", str(demo), str(out)],
        }[kind]
        capsys.readouterr()
        assert main(args) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "full" in err.lower(), err
        leftovers = [p for p in disk.rglob("*") if p.is_file() and p.name != "filler.bin"]
        assert not out.exists() or (out.is_dir() and not any(out.iterdir())), leftovers
        assert leftovers == []
    assert Store.open(demo).audit.check()["ok"]  # the inspection itself is untouched


@pytest.mark.parametrize("kind", ["report", "bundle"])
def test_read_only_output_folder_says_so(
    tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from fieldwork.cli import main

    demo = _demo(tmp_path)
    with small_fs(tmp_path / "ro", 256) as disk:
        remount(disk, readonly=True)
        try:
            out = disk / ("draft.pdf" if kind == "report" else "day.bundle")
            args = (
                ["report", str(demo), str(out)]
                if kind == "report"
                else ["bundle", "export", str(demo), str(out)]
            )
            capsys.readouterr()
            assert main(args) == 1
            err = capsys.readouterr().err
            assert err.count("\n") == 1 and "read-only" in err.lower(), err
            assert not out.exists()
        finally:
            remount(disk, readonly=False)


def test_full_disk_while_joining_says_so_and_leaves_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from fieldwork.cli import main

    setup = tmp_path / "setup.zip"
    assert main(["bundle", "export", str(_demo(tmp_path)), str(setup)]) == 0
    with small_fs(tmp_path / "join", 512) as disk:
        dest = disk / "mate.fieldwork"
        capsys.readouterr()
        assert main(["new", str(dest), "--from-bundle", str(setup), "--no-encryption"]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "disk is full: mate.fieldwork" in err.lower(), err
        assert list(disk.iterdir()) == []  # neither the file nor its half-built copy


def test_joining_into_a_read_only_folder_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from fieldwork.cli import main

    setup = tmp_path / "setup.zip"
    assert main(["bundle", "export", str(_demo(tmp_path)), str(setup)]) == 0
    with small_fs(tmp_path / "ro", 256) as disk:
        remount(disk, readonly=True)
        try:
            capsys.readouterr()
            args = ["new", str(disk / "mate.fieldwork"), "--from-bundle", str(setup)]
            assert main([*args, "--no-encryption"]) == 1
            err = capsys.readouterr().err
            assert err.count("\n") == 1 and "mate.fieldwork: the folder is read-only" in err, err
            assert list(disk.iterdir()) == []
        finally:
            remount(disk, readonly=False)
