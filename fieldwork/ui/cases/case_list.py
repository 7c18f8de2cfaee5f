"""The Cases screen: the case sample in a table (a model, no widget per row).

Sorting, a filter box and filters for organisation, status, inspector and risk level;
My cases is the default view when this laptop has cases allotted. Enter or a
double-click opens the case. The lead allots selected cases to an inspector and picks
cases for quality assurance; a case imported by mistake is removed (Delete, the context
menu or the Case button; a case with review answers asks first) or its details corrected.
Each goes through `Session.act` (core/casework/cases.py), so Ctrl+Z undoes it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from fieldwork.core.casework import roles
from fieldwork.core.casework.cases import (
    allot,
    correct_case,
    pick_for_qa,
    remove_case,
    review_answer_count,
)
from fieldwork.core.model import Case, Member, Op
from fieldwork.core.schema import CASE_STATUSES, STATUS_LABELS, natural_id
from fieldwork.core.storage.store import Store
from fieldwork.ui.cases.case_dialogs import CorrectCaseDialog, RemoveCaseDialog
from fieldwork.ui.cases.table import ALL, CASE_ID_ROLE, MINE, CaseFilter, CaseTable, CaseTableModel
from fieldwork.ui.session import Session
from fieldwork.ui.widgets.screen import Screen

RISK_QUESTION = "risk_level"


class CasesScreen(Screen):
    open_case = Signal(str)  # case id

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("casesScreen")
        self.session = session
        self.model = CaseTableModel(self)
        self.proxy = CaseFilter(session.me, self)
        self.proxy.setSourceModel(self.model)
        self._risk_ids: dict[str, str] = {}  # answer row id of a case's risk level -> case id

        self.filter_box = QLineEdit()
        self.filter_box.setObjectName("caseFilter")
        self.filter_box.setPlaceholderText("Filter by case, office, officer or inspector")
        self.filter_box.setAccessibleName("Filter cases")
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.textChanged.connect(lambda t: self.proxy.set(text=t.strip()))

        self.show_combo = self._combo("caseShow", "Show")
        self.org_combo = self._combo("caseOrganisation", "Organisation")
        self.status_combo = self._combo("caseStatus", "Status")
        self.risk_combo = self._combo("caseRisk", "Risk level")
        self.count_label = QLabel()
        self.count_label.setObjectName("caseCount")

        self.table = CaseTable()
        self.table.setObjectName("caseTable")
        self.table.setAccessibleName("Cases")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((110, 110, 150, 170, 170, 150, 90)):
            self.table.setColumnWidth(col, width)
        self.table.doubleClicked.connect(lambda i: self.open_case.emit(i.data(CASE_ID_ROLE)))
        self.table.open_requested.connect(self.open_case)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())

        self.open_button = QPushButton("&Open review")
        self.open_button.setAccessibleName("Open the selected case's review")
        self.open_button.clicked.connect(self._open_current)
        self.allot_button = QToolButton()
        self.allot_button.setText("&Allot to…")
        self.allot_button.setAccessibleName("Allot the selected cases to an inspector")
        self.allot_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.qa_button = QToolButton()
        self.qa_button.setText("Pick for &QA…")
        self.qa_button.setAccessibleName("Pick the selected cases for quality assurance")
        self.qa_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._build_case_actions()

        filters = QHBoxLayout()
        filters.addWidget(self.filter_box, 3)
        for label, combo in (
            ("Show", self.show_combo),
            ("Organisation", self.org_combo),
            ("Status", self.status_combo),
            ("Risk", self.risk_combo),
        ):
            text = QLabel(f"{label}:")
            text.setBuddy(combo)
            filters.addWidget(text)
            filters.addWidget(combo, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.count_label, 1)
        actions.addWidget(self.allot_button)
        actions.addWidget(self.qa_button)
        actions.addWidget(self.case_button)
        actions.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)

        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)
        session.changed.connect(self._on_changed)
        self.reload()
        self._choose_default_view()

    def _build_case_actions(self) -> None:
        """Correct case details… and Remove case…: in the table's context menu, on the
        Case button, and Delete removes."""
        self.remove_dialog: RemoveCaseDialog | None = None
        self.correct_dialog: CorrectCaseDialog | None = None
        self.correct_action = QAction("&Correct case details…", self)
        self.correct_action.setObjectName("correctCase")
        self.correct_action.triggered.connect(lambda _=False: self.correct_selected())
        self.remove_action = QAction("&Remove case…", self)
        self.remove_action.setObjectName("removeCase")
        self.remove_action.setShortcut(QKeySequence(Qt.Key.Key_Delete))
        self.remove_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.remove_action.triggered.connect(lambda _=False: self.remove_selected())
        self.table.addAction(self.correct_action)
        self.table.addAction(self.remove_action)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.case_button = QToolButton()
        self.case_button.setObjectName("caseMenuButton")
        self.case_button.setText("Ca&se")
        self.case_button.setAccessibleName("Correct or remove the selected case")
        self.case_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.case_button)
        menu.addAction(self.correct_action)
        menu.addAction(self.remove_action)
        self.case_button.setMenu(menu)

    def _combo(self, name: str, label: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setAccessibleName(label)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        combo.currentIndexChanged.connect(lambda _: self._filters_changed())
        return combo

    # ------------------------------------------------------------ loading

    @property
    def store(self) -> Store:
        return self.session.store

    def refresh_view(self) -> None:
        self.reload()

    def reload(self) -> None:
        store = self.store
        members = store.reads.members()
        names = {m.id: m.name for m in members}
        form = store.reads.form()
        risk_q = form.question(RISK_QUESTION)
        risk_labels = {c.id: c.label for c in risk_q.choices} if risk_q else {}
        cases = store.reads.cases()
        risk: dict[str, str | None] = {}
        if risk_q is not None:
            values = store.reads.answer_values()
            risk = {c.id: values.get(c.id, {}).get(RISK_QUESTION) for c in cases}
            del values
        self._risk_ids = {natural_id("answers", c.id, RISK_QUESTION): c.id for c in cases}
        self.model.load(cases, risk, names, risk_labels)
        self._fill_filters(store, members, risk_labels)
        self._update_count()
        self._update_actions()

    def _fill_filters(self, store: Store, members: list[Member], risk: dict[str, str]) -> None:
        orgs = store.reads.inspection().organisations
        self._refill(
            self.show_combo,
            [
                ("My cases", MINE),
                ("All cases", ALL),
                *((f"Allotted to {m.name}", m.id) for m in roles.reviewers(members)),
            ],
        )
        self._refill(self.org_combo, [("All", ALL), *((o, o) for o in orgs)])
        self._refill(
            self.status_combo,
            [("All", ALL), *((STATUS_LABELS[s], s) for s in CASE_STATUSES)],
        )
        self._refill(self.risk_combo, [("All", ALL), *((label, k) for k, label in risk.items())])
        self.risk_combo.setEnabled(bool(risk))
        is_lead = any(m.id == self.session.me and m.role == "lead" for m in members)
        for button, fn, what in (
            (self.allot_button, allot, "Allot"),
            (self.qa_button, pick_for_qa, "Pick for QA"),
        ):
            menu = QMenu(button)
            for m in roles.reviewers(members):  # never headquarters: it reviews nothing
                action = QAction(roles.name_with_role(m), menu)
                action.triggered.connect(
                    lambda _=False, mid=m.id, f=fn, w=what, n=m.name: self._assign(f, w, mid, n)
                )
                menu.addAction(action)
            menu.addSeparator()
            clear = QAction("Nobody", menu)
            clear.triggered.connect(lambda _=False, f=fn, w=what: self._assign(f, w, None, ""))
            menu.addAction(clear)
            button.setMenu(menu)
            button.setVisible(is_lead)

    def _refill(self, combo: QComboBox, items: list[tuple[str, str]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for label, value in items:
            combo.addItem(label, value)
        found = combo.findData(current) if current is not None else -1
        combo.setCurrentIndex(max(found, 0))
        combo.blockSignals(False)

    def _choose_default_view(self) -> None:
        """My cases, unless this laptop has none (a lead who reviews nothing)."""
        me = self.session.me
        mine = any(me in (c.inspector, c.qa_inspector) for c in self.model.cases)
        self.show_combo.setCurrentIndex(self.show_combo.findData(MINE if mine else ALL))
        self._filters_changed()

    def _filters_changed(self) -> None:
        self.proxy.set(
            inspector=self.show_combo.currentData() or ALL,
            organisation=self.org_combo.currentData() or ALL,
            status=self.status_combo.currentData() or ALL,
            risk=self.risk_combo.currentData() or ALL,
        )
        self._update_count()

    def _update_count(self, *_: Any) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(f"{shown} of {total} cases")

    def _update_actions(self) -> None:
        picked = len(self.selected_case_ids())
        self.open_button.setEnabled(picked == 1)
        self.allot_button.setEnabled(picked > 0)
        self.qa_button.setEnabled(picked > 0)
        writable = not self.store.readonly
        for action in (self.correct_action, self.remove_action):
            action.setEnabled(picked == 1 and writable)
        self.case_button.setEnabled(picked == 1 and writable)

    # ------------------------------------------------------------ actions

    def selected_case_ids(self) -> list[str]:
        rows = self.table.selectionModel().selectedRows()
        return [r.data(CASE_ID_ROLE) for r in rows]

    def _open_current(self) -> None:
        ids = self.selected_case_ids()
        if ids:
            self.open_case.emit(ids[0])

    def _assign(self, fn: Any, what: str, member_id: str | None, name: str) -> None:
        ids = self.selected_case_ids()
        if not ids:
            return
        n = len(ids)
        cases = f"{n} case{'s' if n != 1 else ''}"
        if fn is allot:
            description = f"allot {cases} to {name or 'nobody'}"
        else:
            description = f"pick {cases} for quality assurance"
        self.session.act(description, fn, ids, member_id)

    def _selected_case(self) -> Case | None:
        ids = self.selected_case_ids()
        return self.store.reads.case(ids[0]) if len(ids) == 1 else None

    def remove_selected(self) -> None:
        """Remove the selected case; one with review answers asks first."""
        case = self._selected_case()
        if case is None or self.store.readonly:
            return
        answers = review_answer_count(self.store, case.id)
        if not answers:
            self._remove(case, False)
            return
        dialog = RemoveCaseDialog(case, answers, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._remove(case, True))
        dialog.finished.connect(lambda _: setattr(self, "remove_dialog", None))
        self.remove_dialog = dialog
        dialog.open()

    def _remove(self, case: Case, confirmed: bool) -> None:
        row = self.table.currentIndex().row()
        if self.session.act(f"remove case {case.ref}", remove_case, case.id, confirmed=confirmed):
            self.session.saved.emit(f"Removed case {case.ref}: Ctrl+Z brings it back")
            row = min(row, self.proxy.rowCount() - 1)
            if row >= 0:
                self.table.setCurrentIndex(self.proxy.index(row, 0))
        self.table.setFocus()

    def correct_selected(self) -> None:
        """Ask for the case's organisation, office and officer, then store the changes."""
        case = self._selected_case()
        if case is None or self.store.readonly:
            return
        organisations = self.store.reads.inspection().organisations
        dialog = CorrectCaseDialog(case, organisations, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._correct(case, dialog.values()))
        dialog.finished.connect(lambda _: setattr(self, "correct_dialog", None))
        self.correct_dialog = dialog
        dialog.open()

    def _correct(self, case: Case, values: dict[str, str]) -> None:
        self.session.act(f"correct case {case.ref}", correct_case, case.id, **values)
        self.table.setFocus()

    def focus_table(self) -> None:
        self.table.setFocus()
        if not self.table.currentIndex().isValid() and self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(0, 0))

    def select_case(self, case_id: str) -> None:
        row = self.model.row_of(case_id)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if index.isValid():
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)

    # ------------------------------------------------------------ changes

    def _on_changed(self, ops: tuple[Op, ...]) -> None:
        if not ops:
            self.refresh_when_shown()
            return
        case_rows = {o.row for o in ops if o.entity == "cases"}
        if any(o.entity == "members" for o in ops) or any(
            self.model.row_of(r) < 0 for r in case_rows
        ):
            self.refresh_when_shown()
            return
        store = self.store
        for row in case_rows:
            case = store.reads.case(row)
            if case is None:  # removed: the table is read again
                self.refresh_when_shown()
                return
            self.model.update_case(case)
        for o in ops:
            if o.entity == "answers" and o.field == "value" and o.row in self._risk_ids:
                self.model.set_risk(self._risk_ids[o.row], o.value)
        if case_rows:
            self.proxy.invalidate()
            self._update_count()
