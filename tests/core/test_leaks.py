"""After a scripted run with a planted case reference and name, neither appears anywhere
outside the encrypted file and the outputs that exist to carry them.

Scanned: every file under the work folder, the temporary folder and the config folder the
run used (-wal, -shm, journals, temp files, backups, bundles, logs, settings), plus the
commands' own output. Allowed carriers: CSV/XLSX exports and the single-case PDF.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader

from tests.conftest import PASSPHRASE

REF = "Q908172"
NAME = "Zbigniew Quiller-Ffrench"


def _needles() -> list[bytes]:
    out = []
    for text in (REF, NAME, "Quiller-Ffrench"):
        out += [text.encode("utf-8"), text.encode("utf-16-le"), text.lower().encode()]
    return out


def _run(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "fieldwork", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout + result.stderr


def test_planted_reference_and_name_do_not_leak(tmp_path: Path) -> None:
    work, tmp, config = tmp_path / "work", tmp_path / "tmp", tmp_path / "config"
    for d in (work, tmp, config):
        d.mkdir()
    env = {
        **os.environ,
        "FIELDWORK_PASSPHRASE": PASSPHRASE,
        "TMPDIR": str(tmp),
        "FIELDWORK_CONFIG_DIR": str(config),
        "XDG_CONFIG_HOME": str(config),
        "HOME": str(tmp_path / "home"),
    }
    path = work / "leak.fieldwork"
    printed = _run(env, "new", str(path), "--name", "Leak check")
    sample = work / "sample.csv"
    sample.write_text(
        "ref,organisation,officer,sentence_type,risk_level\n"
        f"{REF},NPS,{NAME},licence,high\nA111111,CRC,Rhys Owen,community_order,low\n",
        encoding="utf-8",
    )
    printed += _run(env, "cases", "import", str(path), str(sample))
    sample.unlink()  # the sample itself is the user's own file, not ours
    printed += _run(
        env,
        "answer",
        str(path),
        REF,
        "2.1/strengths",
        f"{NAME} ({REF}) was seen weekly; good engagement.",
    )
    printed += _run(env, "answer", str(path), REF, "2.1.1a", "yes")
    from fieldwork.core.storage.store import Store

    Store.open(path, PASSPHRASE, backup=True).close()  # what the app does on open
    draft = work / "draft.pdf"
    printed += _run(env, "report", str(path), str(draft))
    printed += _run(env, "ratings", str(path), "--json")
    printed += _run(env, "check", str(path))
    printed += _run(env, "bundle", "export", str(path), str(work / "day.bundle"))
    assert (work / "day.bundle").read_bytes().startswith(b"age-encryption.org/v1")
    # The outputs that exist to carry case references.
    allowed = {work / "case.pdf", work / "export.xlsx"}
    _run(env, "report", str(path), str(work / "case.pdf"), "--case", REF)
    _run(env, "export", "xlsx", str(path), str(work / "export.xlsx"))
    export_dir = work / "export-csv"
    _run(env, "export", "csv", str(path), str(export_dir))
    allowed |= set(export_dir.iterdir())

    text = " ".join(page.extract_text() for page in PdfReader(draft).pages)
    assert REF not in text and NAME not in text and "Quiller" not in text
    assert "2.1" in text  # the report is real

    for needle in _needles():
        assert needle not in printed.encode("utf-8")
    scanned = 0
    for root in (work, tmp, config):
        for f in root.rglob("*"):
            if not f.is_file() or f in allowed or f == draft:
                continue
            data = f.read_bytes()
            scanned += 1
            for needle in _needles():
                assert needle not in data, f"{needle!r} found in {f}"
    assert scanned >= 3  # the file, its backup, at least one more
