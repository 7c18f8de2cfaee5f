"""Findings by standard: per standard and organisation (or every organisation), the
strengths and areas for improvement, each edited as plain text, with the standard's
quotes checkable as evidence. A quote the report may not use (a person on probation who
has not consented: core/casework/consent.py) is listed greyed, with the reason, and cannot
be ticked. Every edit is core/casework/findings.py through `Session.act`."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from fieldwork.core.casework.consent import unusable_reason
from fieldwork.core.casework.findings import (
    create_finding,
    delete_finding,
    edit_finding,
    link_quote,
)
from fieldwork.core.model import Finding, Quote
from fieldwork.core.report.report import tag_standard
from fieldwork.core.storage.method_reads import method
from fieldwork.core.storage.store import Store
from fieldwork.ui.widgets.autosave import AutosaveEdit
from fieldwork.ui.widgets.labels import describe_quote, one_line, plain_label

EVERY_ORGANISATION = "Joint (every organisation)"
KIND_LABELS = {"strength": "Strength", "improvement": "Area for improvement"}


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
        self._unusable: dict[str, str] = {}  # interview id -> why its quotes are not usable
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
        for org in self.store.reads.inspection().organisations:
            self.organisation.addItem(org, org)
        # Findings are mostly per organisation: start on the first, not on joint ones.
        self.organisation.setCurrentIndex(1 if self.organisation.count() > 1 else 0)
        self.organisation.currentIndexChanged.connect(lambda _: self._filter_changed())
        org_label = plain_label("&Organisation:", wrap=False)
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
        self.text = AutosaveEdit()
        self.text.setAccessibleName("Finding text")
        self.text.setPlaceholderText("Add a strength or an area for improvement, or pick one")
        self.text.commit.connect(self._save_text)

        self.quotes_label = plain_label()
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
        self._findings = self.store.reads.findings()
        self._quotes = self.store.reads.quotes()
        interviews = self.store.reads.interviews()
        self._interviews = {i.id: i.title or "Untitled interview" for i in interviews}
        self._unusable = {i.id: r for i in interviews if (r := unusable_reason(i))}
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
                item = self._quote_item(q, q.id in linked)
                self.quotes.addItem(item)
                if q.id == keep:
                    self.quotes.setCurrentItem(item)
            self.quotes.verticalScrollBar().setValue(bar)
        finally:
            self.quotes.blockSignals(False)

    def _quote_item(self, quote: Quote, linked: bool) -> QListWidgetItem:
        """A quote as a checkable line; one the report may not use is greyed, says why,
        and can only be unticked (if it was linked before consent was withdrawn)."""
        source = self._interviews.get(quote.interview_id, "a deleted interview")
        text = f"{describe_quote(quote)} · from {source}"
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, quote.id)
        reason = self._unusable.get(quote.interview_id)
        flags = item.flags() | Qt.ItemFlag.ItemIsUserCheckable
        if reason:
            item.setText(f"{text}\n    Not usable in the report: {reason}")
            item.setToolTip(reason)
            item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, reason)
            item.setForeground(self.quotes.palette().color(QPalette.ColorRole.PlaceholderText))
            if not linked:
                flags &= ~Qt.ItemFlag.ItemIsUserCheckable
        item.setFlags(flags)
        item.setCheckState(Qt.CheckState.Checked if linked else Qt.CheckState.Unchecked)
        return item

    def quote_unusable(self, quote_id: str) -> str | None:
        """Why a listed quote cannot be used in the report (None: it can)."""
        quote = next((q for q in self._quotes if q.id == quote_id), None)
        return self._unusable.get(quote.interview_id) if quote else None

    def _picked(self, widget: QListWidget, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        other = self.improvements if widget is self.strengths else self.strengths
        self.text.flush()
        other.blockSignals(True)
        other.setCurrentRow(-1)
        other.blockSignals(False)
        self._current = item.data(Qt.ItemDataRole.UserRole)
        current = self.current()
        self.text.load(current.text if current else "")
        self._show(current)

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
        ops = self.session.act(
            f"Add {KIND_LABELS[kind].lower()}", create_finding, sid, kind, self.org()
        )
        if ops:
            self._current = ops[0].row
            self.reload()
            self.text.setFocus()

    def delete(self) -> None:
        finding = self.current()
        if finding is None:
            return
        self.text.cancel()
        self._current = None
        self.text.load("")
        self.session.act("Delete finding", delete_finding, finding.id)

    def _save_text(self, text: str) -> None:
        finding = self.current()
        if finding is not None and text != finding.text:
            self.session.act("Edit finding", edit_finding, finding.id, text)

    def _quote_toggled(self, item: QListWidgetItem) -> None:
        finding = self.current()
        if finding is None:
            return
        present = item.checkState() == Qt.CheckState.Checked
        quote_id = item.data(Qt.ItemDataRole.UserRole)
        reason = self.quote_unusable(quote_id) if present else None
        if reason:  # ticked some other way: put the box back and say why
            self.quotes.blockSignals(True)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.quotes.blockSignals(False)
            self.session.failed.emit(f"This quote cannot be evidence. {reason}")
            return
        if present != (quote_id in finding.quote_ids):
            what = "Link quote" if present else "Unlink quote"
            self.session.act(what, link_quote, finding.id, quote_id, present)
