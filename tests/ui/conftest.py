"""Fixtures for driving the real main window on a demo inspection file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from fieldwork.core.demo.generator import make_demo
from fieldwork.core.model import Case
from fieldwork.core.storage.store import Store

DEMO_CASES = 30
PASSPHRASE = "amber kettle orbit lantern"


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    path = tmp_path / "demo.fieldwork"
    make_demo(path, cases=DEMO_CASES, interviews=6, seed=1).close()
    return path


@pytest.fixture
def encrypted_demo_path(tmp_path: Path) -> Path:
    path = tmp_path / "secret.fieldwork"
    make_demo(path, cases=DEMO_CASES, interviews=6, seed=1, passphrase=PASSPHRASE).close()
    return path


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[tuple[Path, Store]]:
    """A small demo inspection, open: (path, store)."""
    path = tmp_path / "d.fieldwork"
    store = make_demo(path, cases=20, interviews=6, seed=1)
    yield path, store
    store.close()


def open_window(qtbot, path: Path, passphrase: str | None = None):
    from fieldwork.app import create_main_window

    window = create_main_window(path, passphrase)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=2000)
    return window


@pytest.fixture
def window(qtbot, demo_path: Path) -> Iterator:
    w = open_window(qtbot, demo_path)
    yield w
    w.close()


def case_with_status(path: Path, *statuses: str, passphrase: str | None = None) -> Case:
    with Store.open(path, passphrase) as store:
        for status in statuses:
            for case in store.reads.cases():
                if case.status == status:
                    return case
    raise AssertionError(f"no case with status in {statuses}")


def stored_answers(path: Path, case_id: str, passphrase: str | None = None) -> dict:
    """What is on disk, read through a connection of its own."""
    with Store.open(path, passphrase) as store:
        return store.reads.answers(case_id)


def stored_case(path: Path, case_id: str, passphrase: str | None = None) -> Case:
    with Store.open(path, passphrase) as store:
        case = store.reads.case(case_id)
        assert case is not None
        return case


def focused() -> QWidget | None:
    return QApplication.focusWidget()
