"""Help > Guide to the week: the offline guide (resources/help/guide.md, read through
core/data.py) shown as Markdown in a read-only browser. It is our own text, shipped in
the package, so rendering it as Markdown is safe; links to the web are not followed."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from fieldwork.core import data


class GuideDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guideDialog")
        self.setWindowTitle("Guide to the week — Fieldwork")
        self.resize(760, 640)
        self.browser = QTextBrowser()
        self.browser.setObjectName("guideText")
        self.browser.setAccessibleName("Guide to the inspection week")
        self.browser.setOpenLinks(False)  # offline: nothing to open
        self.browser.setMarkdown(data.help_page("guide"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.browser.setFocus()
