"""The Findings screen: ratings as they stand, findings per standard with quotes as
evidence, numbered recommendations, and the draft findings PDF.

The lead inspector writes strengths and areas for improvement per standard and
organisation (or for every organisation), links quotes tagged with the standard,
and orders the recommendations. The PDF is written off the UI thread by a worker
with its own Store connection; a progress dialog offers Cancel.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fieldwork.core.model import Op
from fieldwork.core.scoring import score_store
from fieldwork.core.storage.store import Store
from fieldwork.ui.evidence.triangulation import summary as triangulation_summary
from fieldwork.ui.findings.editor import FindingsEditor
from fieldwork.ui.findings.widgets import RatingsTable, RecommendationsEditor
from fieldwork.ui.widgets.labels import bold, muted, plain_label
from fieldwork.ui.widgets.screen import Screen

# Entities whose changes the findings and recommendations show.
WATCHED = {"findings", "finding_quotes", "recommendations", "quotes", "quote_tags", "tags"}
# An interview's fields the quote list shows (its title) or decides by (consent: consent.py).
INTERVIEW_FIELDS = {"title", "kind", "consent", "deleted"}
# Entities whose changes move the ratings.
SCORED = {
    "answers", "cases", "inspection", "standard_judgements", "kq_judgements", "overrides",
    "evidence", "evidence_links",
}  # fmt: skip
NO_VIEWER_ENV = "FIELDWORK_NO_VIEWER"


# ------------------------------------------------------------ the PDF off the UI thread


def write_draft_report(out: str) -> Callable[[Store, Callable[[int, int], bool]], str]:
    """The task for the worker: with the worker's own Store, gather then render to `out`."""

    def task(store: Store, progress: Callable[[int, int], bool]) -> str:
        from fieldwork.core.report.pdf import render
        from fieldwork.core.report.report import gather

        return str(render(gather(store), out, progress=progress))

    return task


# ------------------------------------------------------------ the screen


class FindingsPanel(Screen):
    """The Findings screen (constructed by the main window with the Session and tasks)."""

    report_done = Signal(str)  # path of the PDF written
    report_failed = Signal(str)  # one line for the user, or "" when cancelled
    refresh_delay_ms = 150  # the ratings: scoring reads every answer

    def __init__(self, session: Any, tasks: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.store: Store = session.store
        self.open_viewer = not os.environ.get(NO_VIEWER_ENV)
        self._own_tasks = tasks is None
        if tasks is None:  # standalone (a test, a tool): a worker of our own
            from fieldwork.ui.tasks import Tasks

            tasks = Tasks(lambda: self.store.opener(), self)
        self.tasks = tasks
        # One worker for the whole window: no PDF while an import or export runs.
        tasks.busy_changed.connect(self._tasks_busy)
        self._writing = False

        self.ratings = RatingsTable()
        self.ratings_note = plain_label()
        self.triangulation = muted(plain_label())  # sources per key question (issue 13)
        self.triangulation.setObjectName("triangulation")
        self.pdf_button = QPushButton("&Generate draft PDF…")
        self.pdf_button.setAccessibleName("Generate the draft findings PDF")
        self.pdf_button.clicked.connect(lambda: self.generate_pdf())
        self.findings = FindingsEditor(session)
        self.recommendations = RecommendationsEditor(session)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Findings and recommendations")
        self.tabs.addTab(self.findings, "Findings by standard")
        self.tabs.addTab(self.recommendations, "Recommendations")
        self.tabs.currentChanged.connect(lambda _: self.flush())

        head = QHBoxLayout()
        title = bold(plain_label("Ratings as they stand", wrap=False))
        head.addWidget(title)
        head.addWidget(self.ratings_note, 1)
        head.addWidget(self.pdf_button)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.ratings)
        layout.addWidget(self.triangulation)
        layout.addWidget(self.tabs, 1)

        session.changed.connect(self._on_changed)
        self.refresh_ratings()
        self._update_tab_titles()

    # -------------------------------------------------------------- refresh

    def refresh_view(self) -> None:
        # Scoring reads every answer: skipped while the screen is hidden, done on show.
        self.refresh_ratings()

    def refresh_ratings(self) -> None:
        ratings = score_store(self.store)
        bands = [b.rating for b in ratings.bands]
        # A method that rates nothing (quality and impact) shows no rating anywhere.
        self.ratings.setVisible(ratings.rated)
        self.ratings.show_ratings(ratings, bands)
        complete = sum(o.cases_complete for o in ratings.organisations)
        draft = sum(o.cases_draft for o in ratings.organisations)
        counted = (
            f"from {complete} complete or quality-assured case{'s' if complete != 1 else ''}"
            f"; {draft} not yet complete and not counted"
        )
        if not ratings.rated:
            counted = f"{ratings.method_title} rates nothing: results are percentages, {counted}"
        self.ratings_note.setText(counted)
        self.triangulation.setText(triangulation_summary(self.store))
        self.triangulation.setVisible(bool(self.triangulation.text()))

    def _on_changed(self, ops: tuple[Op, ...]) -> None:
        entities = {op.entity for op in ops}
        if not ops or entities & SCORED:
            self.refresh_soon()
        if (
            not ops
            or entities & WATCHED
            or any(o.entity == "interviews" and o.field in INTERVIEW_FIELDS for o in ops)
        ):
            self.findings.reload()
            self.recommendations.reload()
            self._update_tab_titles()

    def _update_tab_titles(self) -> None:
        n = len(self.recommendations.shown())
        self.tabs.setTabText(1, f"Recommendations ({n})")

    def flush(self) -> None:
        """Save typed text not yet saved (before close, lock or switching screens)."""
        self.findings.flush()
        self.recommendations.flush()

    # -------------------------------------------------------------- the PDF

    def default_pdf_path(self) -> str:
        name = "".join(
            c if c.isalnum() or c in " -_" else "_" for c in self.store.reads.inspection().name
        ).strip()
        return str(Path(self.store.path).with_name(f"{name or 'Inspection'} draft findings.pdf"))

    def generate_pdf(self, path: str | None = None) -> bool:
        """Write the draft findings PDF to `path` (asked for when None) in the worker."""
        if self.tasks.busy():
            self.session.failed.emit(f"Wait for “{self.tasks.label}” to finish first.")
            return False
        self.flush()
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, "Save the draft findings PDF", self.default_pdf_path(), "PDF (*.pdf)"
            )
            if not path:
                return False
            if not path.lower().endswith(".pdf"):
                path += ".pdf"
        started = self.tasks.run(
            "Writing the draft findings PDF…",
            write_draft_report(path),
            self._report_written,
            self._report_failed,
        )
        if started:
            self._writing = True
            self.pdf_button.setEnabled(False)
        return started

    def cancel_pdf(self) -> None:
        if self._writing:
            self.tasks.cancel()

    def busy(self) -> bool:
        return self._writing

    def _tasks_busy(self, busy: bool) -> None:
        self.pdf_button.setEnabled(not busy)

    def shutdown(self) -> None:
        """Before the window closes: save typed text; stop our own worker if we made one."""
        self.flush()
        if self._own_tasks:
            self.tasks.shutdown()

    def _finish_job(self) -> None:
        self._writing = False
        self.pdf_button.setEnabled(not self.tasks.busy())

    def _report_written(self, path: str) -> None:
        self._finish_job()
        self.session.saved.emit(f"Draft findings PDF saved to {path}")
        self.report_done.emit(path)
        if self.open_viewer:
            QDesktopServices.openUrl(QUrl.fromLocalFile(path))

    def _report_failed(self, message: str) -> None:
        self._finish_job()
        if message:
            self.session.failed.emit(message)
        else:
            self.session.saved.emit("Draft findings PDF cancelled; nothing was written.")
        self.report_failed.emit(message)
