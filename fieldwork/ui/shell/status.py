"""The main window's status bar: when the file was last saved, errors, a wrong clock.
Errors and news (anything but "Saved at ...") expire; "Saved at" stays until the next."""

from __future__ import annotations

from PySide6.QtCore import QTimer

from fieldwork.ui.shell.window_base import MainWindowBase
from fieldwork.ui.widgets.labels import in_error_colour, plain_label

ERROR_SHOWN_MS = 15_000
NEWS_SHOWN_MS = 12_000  # a line such as "Imported 2 bundles" before "Saved at" returns


class StatusBar(MainWindowBase):
    """Builds the status bar's labels and shows what was saved and what went wrong."""

    def _build_status(self) -> None:
        self.saved_label = plain_label(wrap=False)
        self.saved_label.setObjectName("savedLabel")
        self.error_label = in_error_colour(plain_label(wrap=False))
        self.error_label.setObjectName("errorLabel")
        self.statusBar().addWidget(self.error_label, 1)
        self.statusBar().addPermanentWidget(self.saved_label)
        # A laptop clock far wrong, judged from the file's ops (storage/audit.py).
        self.clock_label = in_error_colour(
            plain_label(self.store.audit.clock_warning() or "", wrap=True)
        )
        self.clock_label.setObjectName("clockWarning")
        self.clock_label.setVisible(bool(self.clock_label.text()))
        self.statusBar().addWidget(self.clock_label, 2)
        self._error_timer = QTimer(self)
        self._error_timer.setSingleShot(True)
        self._error_timer.timeout.connect(self.error_label.clear)
        self._last_saved = ""
        self._news_timer = QTimer(self)
        self._news_timer.setSingleShot(True)
        self._news_timer.timeout.connect(lambda: self.saved_label.setText(self._last_saved))

    def _saved(self, line: str) -> None:
        self.saved_label.setText(line)
        if line.startswith("Saved at"):  # a state: stays until the next save
            self._last_saved = line
            self._news_timer.stop()
        else:  # news: expires
            self._news_timer.start(NEWS_SHOWN_MS)

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self._error_timer.start(ERROR_SHOWN_MS)
