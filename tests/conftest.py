"""Shared fixtures: real inspection files on disk, in a temporary folder per test."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from fieldwork.core.storage.store import Store  # noqa: E402

PASSPHRASE = "amber kettle orbit lantern"
# Programs tests run, and the Debian package holding each (as tools/system-packages.sh).
SYSTEM_PACKAGES = {"age": "age", "pdftoppm": "poppler-utils"}


def need_tool(name: str) -> str:
    """The path of a program a test runs. If the machine lacks it, the test fails with the
    one line that installs it, never a traceback (`make test` installs it when it can)."""
    found = shutil.which(name)
    if found is None:
        package = SYSTEM_PACKAGES.get(name, name)
        pytest.fail(
            f"{name} is not installed: run `sudo apt-get install {package}` "
            "(or `make test`, which installs it)",
            pytrace=False,
        )
    return found


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the developer's passphrase, settings or home."""
    for var in ("FIELDWORK_PASSPHRASE", "FIELDWORK_BUNDLE_PASSPHRASE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("FIELDWORK_CONFIG_DIR", str(tmp_path / "config"))


def new_store(path: Path, passphrase: str | None = None, **kw: object) -> Store:
    args: dict = dict(
        name="Test inspection",
        form_id="adult-case-supervision",
        organisations=["NPS", "CRC"],
        area="Testshire",
        author_name="Tester",
    )
    args.update(kw)
    return Store.create(path, passphrase, **args)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = new_store(tmp_path / "test.fieldwork")
    yield s
    s.close()


@pytest.fixture
def encrypted_store(tmp_path: Path) -> Iterator[Store]:
    s = new_store(tmp_path / "secret.fieldwork", PASSPHRASE)
    yield s
    s.close()
