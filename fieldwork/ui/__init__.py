"""The PySide6 desktop app: screens, dialogs, tasks; never writes SQL."""
