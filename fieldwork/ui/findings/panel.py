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

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fieldwork.core.model import Finding, Op, Quote
from fieldwork.core.report.report import tag_standard
from fieldwork.core.schema import new_id
from fieldwork.core.scoring import score_store
from fieldwork.core.storage.method_reads import method
from fieldwork.core.storage.store import Store
from fieldwork.ui.findings.widgets import (
    AutosaveEdit,
    RatingsTable,
    RecommendationsEditor,
    create_row,
    delete_row,
    link_quote,
    update_row,
)
from fieldwork.ui.interviews.quotes import describe

EVERY_ORGANISATION = "Joint (every organisation)"
KIND_LABELS = {"strength": "Strength", "improvement": "Area for improvement"}
# Entities whose changes the findings and recommendations show.
WATCHED = {"findings", "finding_quotes", "recommendations", "quotes", "quote_tags", "tags"}
# Entities whose changes move the ratings.
SCORED = {
    "answers", "cases", "inspection", "standard_judgements", "kq_judgements", "overrides",
    "evidence", "evidence_links",
}  # fmt: skip
NO_VIEWER_ENV = "FIELDWORK_NO_VIEWER"


def plain_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def one_line(text: str, limit: int = 140) -> str:
    line = " ".join(text.split())
    if not line:
        return "(no text yet)"
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


# ------------------------------------------------------------ findings editor


class FindingsEditor(QWidget):
    """Per standard and organisation: strengths and areas for improvement, each edited
    as plain text, with the standard's quotes checkable as evidence."""

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.store: Store = session.store
        self._findings: list[Finding] = []
        self._quotes: list[Quote] = []
        self._interviews: dict[str, str] = {}
        self._current: str | None = None
        self._build()
        self.reload()
        if self.standards.count():
            self.standards.setCurrentRow(0)

    def _build(self) -> None:
        self.standards = QListWidget()
        self.standards.setAccessibleName("Standard")
        self.standards.setMaximumWidth(260)
        self.standards.setWordWrap(True)
        self.standards.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # The method's standards (or, for quality and impact, its outcomes and practice areas).
        self._sections = {s.id: s.label for s in method(self.store).standards()}
        for sid, label in self._sections.items():
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, sid)
            self.standards.addItem(item)
        self.standards.currentRowChanged.connect(lambda _: self._filter_changed())

        self.organisation = QComboBox()
        self.organisation.setAccessibleName("Findings for organisation")
        self.organisation.addItem(EVERY_ORGANISATION, None)
        for org in self.store.inspection().organisations:
            self.organisation.addItem(org, org)
        # Findings are mostly per organisation: start on the first, not on joint ones.
        self.organisation.setCurrentIndex(1 if self.organisation.count() > 1 else 0)
        self.organisation.currentIndexChanged.connect(lambda _: self._filter_changed())
        org_label = plain_label("&Organisation:")
        org_label.setBuddy(self.organisation)

        self.strengths = self._finding_list("Strengths")
        self.improvements = self._finding_list("Areas for improvement")
        self.add_strength = QPushButton("Add &strength")
        self.add_strength.setAccessibleName("Add a strength")
        self.add_strength.clicked.connect(lambda: self.add("strength"))
        self.add_improvement = QPushButton("Add area for &improvement")
        self.add_improvement.setAccessibleName("Add an area for improvement")
        self.add_improvement.clicked.connect(lambda: self.add("improvement"))
        self.delete_button = QPushButton("&Delete finding")
        self.delete_button.setAccessibleName("Delete the selected finding")
        self.delete_button.clicked.connect(self.delete)

        self.heading = plain_label()
        self.heading.setWordWrap(True)
        self.text = AutosaveEdit()
        self.text.setAccessibleName("Finding text")
        self.text.setPlaceholderText("Add a strength or an area for improvement, or pick one")
        self.text.commit.connect(self._save_text)

        self.quotes_label = plain_label()
        self.quotes_label.setWordWrap(True)
        self.quotes = QListWidget()
        self.quotes.setAccessibleName("Quotes as evidence for the selected finding")
        self.quotes.setWordWrap(True)
        self.quotes.setAlternatingRowColors(True)
        self.quotes.setSpacing(2)
        self.quotes.itemChanged.connect(self._quote_toggled)

        top = QHBoxLayout()
        top.addWidget(org_label)
        top.addWidget(self.organisation, 1)
        lists = QHBoxLayout()
        for title, widget, button in (
            ("Strengths", self.strengths, self.add_strength),
            ("Areas for improvement", self.improvements, self.add_improvement),
        ):
            box = QGroupBox(title)
            inner = QVBoxLayout(box)
            inner.addWidget(widget, 1)
            inner.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
            lists.addWidget(box, 1)
        edit_row = QHBoxLayout()
        edit_row.addWidget(self.heading, 1)
        edit_row.addWidget(self.delete_button)
        middle = QWidget()
        mid = QVBoxLayout(middle)
        mid.setContentsMargins(0, 0, 0, 0)
        mid.addLayout(top)
        mid.addLayout(lists, 3)
        mid.addLayout(edit_row)
        mid.addWidget(self.text, 2)
        evidence = QWidget()
        ev = QVBoxLayout(evidence)
        ev.setContentsMargins(0, 0, 0, 0)
        ev.addWidget(self.quotes_label)
        ev.addWidget(self.quotes, 1)

        splitter = QSplitter()
        splitter.addWidget(self.standards)
        splitter.addWidget(middle)
        splitter.addWidget(evidence)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 2)
        splitter.setSizes([200, 640, 420])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def _finding_list(self, name: str) -> QListWidget:
        widget = QListWidget()
        widget.setAccessibleName(name)
        widget.setWordWrap(True)
        widget.setAlternatingRowColors(True)
        widget.currentItemChanged.connect(lambda cur, _prev: self._picked(widget, cur))
        return widget

    # -------------------------------------------------------------- showing

    def standard_id(self) -> str | None:
        item = self.standards.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def org(self) -> str | None:
        return self.organisation.currentData()

    def select_standard(self, standard_id: str) -> None:
        for i in range(self.standards.count()):
            if self.standards.item(i).data(Qt.ItemDataRole.UserRole) == standard_id:
                self.standards.setCurrentRow(i)

    def select_organisation(self, org: str | None) -> None:
        i = self.organisation.findData(org)
        if i >= 0:
            self.organisation.setCurrentIndex(i)

    def current(self) -> Finding | None:
        return next((f for f in self._findings if f.id == self._current), None)

    def _visible(self, kind: str) -> list[Finding]:
        sid, org = self.standard_id(), self.org()
        return [
            f
            for f in self._findings
            if f.standard_id == sid and f.organisation == org and f.kind == kind
        ]

    def reload(self) -> None:
        self._findings = self.store.findings()
        self._quotes = self.store.quotes()
        self._interviews = {i.id: i.title or "Untitled interview" for i in self.store.interviews()}
        self._fill_standard_counts()
        if self.current() is None:
            self._current = None
        for widget, kind in ((self.strengths, "strength"), (self.improvements, "improvement")):
            widget.blockSignals(True)
            try:
                widget.clear()
                for n, f in enumerate(self._visible(kind), 1):
                    item = QListWidgetItem(f"{n}. {one_line(f.text)}")
                    item.setData(Qt.ItemDataRole.UserRole, f.id)
                    item.setToolTip(f.text)
                    widget.addItem(item)
                    if f.id == self._current:
                        widget.setCurrentItem(item)
            finally:
                widget.blockSignals(False)
        current = self.current()
        if current is not None and (
            current.standard_id != self.standard_id() or current.organisation != self.org()
        ):
            self._current = None
            current = None
        self._show(current)

    def _fill_standard_counts(self) -> None:
        counts: dict[str, int] = {}
        for f in self._findings:
            counts[f.standard_id] = counts.get(f.standard_id, 0) + 1
        for i in range(self.standards.count()):
            sid = self.standards.item(i).data(Qt.ItemDataRole.UserRole)
            n = counts.get(sid, 0)
            self.standards.item(i).setText(
                f"{self._sections[sid]}\n    {n} finding{'s' if n != 1 else ''}"
            )

    def _show(self, finding: Finding | None) -> None:
        has = finding is not None
        for w in (self.text, self.delete_button, self.quotes):
            w.setEnabled(has)
        if finding is None:
            self.heading.setText("No finding selected")
            self.text.load("")
        else:
            where = finding.organisation or "every organisation"
            self.heading.setText(f"{KIND_LABELS.get(finding.kind, finding.kind)} for {where}")
            if not self.text.pending():
                self.text.load(finding.text)
        self._fill_quotes(finding)

    def _fill_quotes(self, finding: Finding | None) -> None:
        sid = self.standard_id()
        ids = list(self._sections)
        linked = set(finding.quote_ids) if finding else set()
        shown = [
            q
            for q in self._quotes
            if q.id in linked or any(tag_standard(t, ids, self._sections) == sid for t in q.tags)
        ]
        title = self._sections[sid] if sid else ""
        self.quotes_label.setText(
            f"Quotes tagged {title}: tick those that support the selected finding."
            if finding
            else f"Quotes tagged {title}. Select a finding to link them as evidence."
        )
        was = self.quotes.currentItem()
        keep = was.data(Qt.ItemDataRole.UserRole) if was else None
        bar = self.quotes.verticalScrollBar().value()
        self.quotes.blockSignals(True)
        try:
            self.quotes.clear()
            for q in shown:
                source = self._interviews.get(q.interview_id, "a deleted interview")
                item = QListWidgetItem(f"{describe(q)} · from {source}")
                item.setData(Qt.ItemDataRole.UserRole, q.id)
                flags = item.flags() | Qt.ItemFlag.ItemIsUserCheckable
                item.setFlags(flags)
                item.setCheckState(
                    Qt.CheckState.Checked if q.id in linked else Qt.CheckState.Unchecked
                )
                self.quotes.addItem(item)
                if q.id == keep:
                    self.quotes.setCurrentItem(item)
            self.quotes.verticalScrollBar().setValue(bar)
        finally:
            self.quotes.blockSignals(False)

    def _picked(self, widget: QListWidget, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        other = self.improvements if widget is self.strengths else self.strengths
        self.text.flush()
        other.blockSignals(True)
        other.setCurrentRow(-1)
        other.blockSignals(False)
        self._current = item.data(Qt.ItemDataRole.UserRole)
        self.text.load(self.current().text if self.current() else "")
        self._show(self.current())

    def _filter_changed(self) -> None:
        self.text.flush()
        self._current = None
        self.reload()

    # -------------------------------------------------------------- editing

    def flush(self) -> None:
        self.text.flush()

    def add(self, kind: str) -> None:
        sid = self.standard_id()
        if sid is None:
            return
        self.flush()
        same = [f for f in self._findings if f.standard_id == sid and f.organisation == self.org()]
        fields = {
            "standard_id": sid,
            "organisation": self.org(),
            "kind": kind,
            "text": "",
            "position": max((f.position for f in same), default=0) + 1,
        }
        row = new_id()
        if self.session.act(
            f"Add {KIND_LABELS[kind].lower()}", create_row, "findings", row, fields
        ):
            self._current = row
            self.reload()
            self.text.setFocus()

    def delete(self) -> None:
        finding = self.current()
        if finding is None:
            return
        self.text.timer.stop()
        self._current = None
        self.text.load("")
        self.session.act("Delete finding", delete_row, "findings", finding.id)

    def _save_text(self, text: str) -> None:
        finding = self.current()
        if finding is not None and text != finding.text:
            self.session.act("Edit finding", update_row, "findings", finding.id, {"text": text})

    def _quote_toggled(self, item: QListWidgetItem) -> None:
        finding = self.current()
        if finding is None:
            return
        present = item.checkState() == Qt.CheckState.Checked
        quote_id = item.data(Qt.ItemDataRole.UserRole)
        if present != (quote_id in finding.quote_ids):
            what = "Link quote" if present else "Unlink quote"
            self.session.act(what, link_quote, finding.id, quote_id, present)


# ------------------------------------------------------------ the PDF off the UI thread


def write_draft_report(out: str) -> Callable[[Store, Callable[[int, int], bool]], str]:
    """The task for the worker: with the worker's own Store, gather then render to `out`."""

    def task(store: Store, progress: Callable[[int, int], bool]) -> str:
        from fieldwork.core.report.pdf import render
        from fieldwork.core.report.report import gather

        return str(render(gather(store), out, progress=progress))

    return task


# ------------------------------------------------------------ the screen


class FindingsPanel(QWidget):
    """The Findings screen (constructed by the main window with the Session and tasks)."""

    report_done = Signal(str)  # path of the PDF written
    report_failed = Signal(str)  # one line for the user, or "" when cancelled

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
        self._ratings_timer = QTimer(self)
        self._ratings_timer.setSingleShot(True)
        self._ratings_timer.setInterval(150)
        self._ratings_timer.timeout.connect(self._ratings_due)
        self._ratings_stale = False

        self.ratings = RatingsTable()
        self.ratings_note = plain_label()
        self.ratings_note.setWordWrap(True)
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
        title = plain_label("Ratings as they stand")
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        head.addWidget(title)
        head.addWidget(self.ratings_note, 1)
        head.addWidget(self.pdf_button)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.ratings)
        layout.addWidget(self.tabs, 1)

        session.changed.connect(self._on_changed)
        self.refresh_ratings()
        self._update_tab_titles()

    # -------------------------------------------------------------- refresh

    def _ratings_due(self) -> None:
        # Scoring reads every answer: skip it while the screen is hidden, do it on show.
        if self.isVisible():
            self.refresh_ratings()
        else:
            self._ratings_stale = True

    def showEvent(self, event: Any) -> None:
        if self._ratings_stale:
            self.refresh_ratings()
        super().showEvent(event)

    def refresh_ratings(self) -> None:
        self._ratings_stale = False
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

    def _on_changed(self, ops: tuple[Op, ...]) -> None:
        entities = {op.entity for op in ops}
        if not ops or entities & SCORED:
            self._ratings_timer.start()
        if not ops or entities & WATCHED:
            self.findings.reload()
            self.recommendations.reload()
            self._update_tab_titles()

    def _update_tab_titles(self) -> None:
        n = len(self.recommendations._recs)
        self.tabs.setTabText(1, f"Recommendations ({n})")

    def flush(self) -> None:
        """Save typed text not yet saved (before close, lock or switching screens)."""
        self.findings.flush()
        self.recommendations.flush()

    def hideEvent(self, event: Any) -> None:
        self.flush()
        super().hideEvent(event)

    # -------------------------------------------------------------- the PDF

    def default_pdf_path(self) -> str:
        name = "".join(
            c if c.isalnum() or c in " -_" else "_" for c in self.store.inspection().name
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
