"""First run: the app makes a demo inspection in its data folder and opens it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

import fieldwork.app as app_module
from fieldwork.ui.settings import Settings
from fieldwork.ui.shell.main_window import MainWindow


def test_first_run_creates_and_opens_a_demo(qtbot, tmp_path, monkeypatch):
    data = tmp_path / "data-dir"
    monkeypatch.setenv("FIELDWORK_DATA_DIR", str(data))
    monkeypatch.setenv("FIELDWORK_CONFIG_DIR", str(tmp_path / "config-dir"))
    monkeypatch.setattr(app_module, "DEMO_CASES", 20)
    seen: list[str] = []

    def fake_exec(*_args) -> int:  # the event loop would block: look, then close
        for w in QApplication.topLevelWidgets():
            if isinstance(w, MainWindow) and w.isVisible():
                seen.append(w.windowTitle())
                w.tasks.wait(5000)
                w.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", fake_exec)
    assert app_module.run() == 0
    demo = data / app_module.DEMO_NAME
    assert demo.exists()
    assert len(seen) == 1 and "DEMO" in seen[0]
    settings = Settings.load()
    assert settings.last_file == str(demo.resolve())
    assert (tmp_path / "config-dir" / "fieldwork.ini").exists()
    assert any(Path(str(demo) + ".backups").glob("*.fieldwork"))  # backup taken on opening


def test_second_run_opens_the_last_file(qtbot, tmp_path, monkeypatch, demo_path):
    monkeypatch.setenv("FIELDWORK_DATA_DIR", str(tmp_path / "data-dir"))
    Settings.load().add_recent(demo_path)
    seen: list[str] = []

    def fake_exec(*_args) -> int:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, MainWindow) and w.isVisible():
                seen.append(str(w.store.path))
                w.tasks.wait(5000)
                w.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", fake_exec)
    assert app_module.run() == 0
    assert seen == [str(demo_path)]
    assert not (tmp_path / "data-dir" / app_module.DEMO_NAME).exists()
