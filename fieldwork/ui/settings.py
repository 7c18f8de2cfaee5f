"""This laptop's preferences, in QSettings, through this one module.

Every option is declared once here with its default. `FIELDWORK_CONFIG_DIR` puts the
settings file in that folder (tests use it so they never touch a person's settings).
The settings object is made by the composition root and passed to whoever needs it.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

CONFIG_ENV = "FIELDWORK_CONFIG_DIR"
DATA_ENV = "FIELDWORK_DATA_DIR"
ORGANISATION = "Fieldwork"
APPLICATION = "Fieldwork"
MAX_RECENT = 8
DEFAULT_IDLE_MINUTES = 10


class Settings:
    """Typed access to the preferences; nothing else reads or writes QSettings."""

    def __init__(self, qsettings: QSettings) -> None:
        self.q = qsettings

    @classmethod
    def load(cls) -> Settings:
        folder = os.environ.get(CONFIG_ENV)
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            q = QSettings(str(Path(folder) / "fieldwork.ini"), QSettings.Format.IniFormat)
        else:
            q = QSettings(
                QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION
            )
        return cls(q)

    def sync(self) -> None:
        self.q.sync()

    # ------------------------------------------------------------- options

    @property
    def inspector_name(self) -> str:
        return str(self.q.value("inspector/name", "") or "")

    @inspector_name.setter
    def inspector_name(self, value: str) -> None:
        self.q.setValue("inspector/name", value.strip())

    @property
    def idle_lock_minutes(self) -> int:
        try:
            minutes = int(self.q.value("lock/idle_minutes", DEFAULT_IDLE_MINUTES))  # type: ignore[call-overload]
        except (TypeError, ValueError):
            return DEFAULT_IDLE_MINUTES
        return max(0, min(minutes, 24 * 60))  # 0: never lock

    @idle_lock_minutes.setter
    def idle_lock_minutes(self, value: int) -> None:
        self.q.setValue("lock/idle_minutes", int(value))

    @property
    def recent_files(self) -> list[str]:
        value = self.q.value("files/recent", [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list | tuple):
            return []
        return [str(v) for v in value if v]

    def add_recent(self, path: str | Path) -> None:
        shown = str(Path(path).resolve())
        files = [shown, *(f for f in self.recent_files if f != shown)][:MAX_RECENT]
        self.q.setValue("files/recent", files)
        self.q.sync()

    def remove_recent(self, path: str | Path) -> None:
        shown = str(Path(path).resolve())
        self.q.setValue("files/recent", [f for f in self.recent_files if f != shown])

    @property
    def last_file(self) -> str | None:
        files = self.recent_files
        return files[0] if files else None

    @property
    def window_geometry(self) -> QByteArray | None:
        value = self.q.value("window/geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @window_geometry.setter
    def window_geometry(self, value: QByteArray) -> None:
        self.q.setValue("window/geometry", value)

    @property
    def window_state(self) -> QByteArray | None:
        value = self.q.value("window/state")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self.q.setValue("window/state", value)


def data_dir() -> Path:
    """Where the app keeps its own files (the demo inspection): $FIELDWORK_DATA_DIR or the
    platform's application data folder."""
    folder = os.environ.get(DATA_ENV)
    if not folder:
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.AppDataLocation
        ) or str(Path.home() / ".fieldwork")
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    return path
