"""The Qt binding must not leak or drop references on the calls every screen makes.

PySide6 6.12.0 on Python 3.11 dropped one reference to None on every Qt call that
returns nothing; after about 10,000 calls the process aborted with "Fatal Python
error: none_dealloc" (a keyboard review got there in five minutes). pyproject.toml
keeps that release out; this test would have caught it. It runs in a child process,
because the failure is an abort.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

CALLS = 50_000
SLACK = 1_000  # None's count moves a little as Python and Qt allocate; the bug was -50,000

CHILD = textwrap.dedent(
    f"""
    import sys
    from PySide6.QtWidgets import (
        QApplication, QCheckBox, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget,
    )
    app = QApplication(sys.argv[:1])
    window = QWidget()
    layout = QVBoxLayout(window)
    label, line, button, check = QLabel(), QLineEdit(), QPushButton(), QCheckBox()
    for widget in (label, line, button, check):
        layout.addWidget(widget)
    window.show()
    app.processEvents()
    before = sys.getrefcount(None)
    for n in range({CALLS}):
        text = "Saved" if n % 2 else "Saving"
        label.setText(text)
        line.setText(text)
        button.setEnabled(bool(n % 3))
        check.setChecked(bool(n % 2))
        window.setToolTip(text)
    app.processEvents()
    after = sys.getrefcount(None)
    window.close()
    print(before, after)
    """
)


def test_common_setters_keep_the_count_of_none():
    import PySide6

    done = subprocess.run(
        [sys.executable, "-c", CHILD],
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    where = f"PySide6 {PySide6.__version__} on Python {sys.version.split()[0]}"
    assert done.returncode == 0, f"{where}: the child died: {done.stderr[-2000:]}"
    before, after = map(int, done.stdout.split()[-2:])
    assert after >= before - SLACK, f"{where} dropped {before - after} references to None"


def test_installed_binding_is_not_the_broken_release():
    import PySide6

    major_minor = tuple(int(p) for p in PySide6.__version__.split(".")[:2])
    if sys.version_info < (3, 12):
        assert major_minor < (6, 12), f"PySide6 {PySide6.__version__} is excluded on 3.11"
