"""The Qt-free core: storage, forms, scoring, bundles and the report. Never imports PySide6."""
