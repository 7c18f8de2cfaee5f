"""The Interviews screen's linked cases: link a case by its reference, unlink one."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import (
    QCompleter,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from fieldwork.core.casework.interviews import link_case
from fieldwork.core.model import Interview
from fieldwork.ui.interviews.base import InterviewsBase
from fieldwork.ui.interviews.list_model import ID_ROLE
from fieldwork.ui.widgets.labels import plain_label


class LinkedCases(InterviewsBase):
    """Builds the linked cases box and links or unlinks cases from the interview shown."""

    _case_refs: dict[str, str]  # case id -> ref
    _refs_to_id: dict[str, str]  # upper-case ref -> case id

    def _build_links(self) -> QGroupBox:
        self.case_ref = QLineEdit()
        self.case_ref.setObjectName("linkCaseRef")
        self.case_ref.setAccessibleName("Case reference to link")
        self.case_ref.setPlaceholderText("Case reference, e.g. A123456")
        self._ref_model = QStringListModel(self)
        completer = QCompleter(self._ref_model, self.case_ref)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.case_ref.setCompleter(completer)
        self.case_ref.returnPressed.connect(self._link_typed_case)
        self.link_button = QPushButton("Link")
        self.link_button.setObjectName("linkCase")
        self.link_button.setAccessibleName("Link the case")
        self.link_button.clicked.connect(self._link_typed_case)
        self.linked = QListWidget()
        self.linked.setObjectName("linkedCases")
        self.linked.setAccessibleName("Linked cases")
        self.linked.setMaximumHeight(110)
        self.linked.currentItemChanged.connect(lambda *_: self._update_actions())
        self.unlink_button = QPushButton("Unlink")
        self.unlink_button.setObjectName("unlinkCase")
        self.unlink_button.setAccessibleName("Unlink the selected case")
        self.unlink_button.clicked.connect(self._unlink_selected)
        self.link_error = plain_label()
        self.link_error.setVisible(False)

        cases_box = QGroupBox("Linked cases")
        cases_layout = QVBoxLayout(cases_box)
        add_row = QHBoxLayout()
        add_row.addWidget(self.case_ref, 1)
        add_row.addWidget(self.link_button)
        cases_layout.addLayout(add_row)
        cases_layout.addWidget(self.link_error)
        cases_layout.addWidget(self.linked)
        unlink_row = QHBoxLayout()
        unlink_row.addStretch(1)
        unlink_row.addWidget(self.unlink_button)
        cases_layout.addLayout(unlink_row)
        return cases_box

    def _reload_cases(self) -> None:
        self._case_refs = {c.id: c.ref for c in self.store.reads.cases()}
        self._ref_model.setStringList(sorted(self._case_refs.values()))
        self._refs_to_id = {ref.upper(): cid for cid, ref in self._case_refs.items()}

    def _show_links(self, interview: Interview) -> None:
        current = self.linked.currentItem()
        keep = current.data(ID_ROLE) if current else None
        self.linked.clear()
        refs = sorted(
            (self._case_refs.get(cid, "(deleted case)"), cid) for cid in interview.case_ids
        )
        for ref, cid in refs:
            item = QListWidgetItem(ref)
            item.setData(ID_ROLE, cid)
            self.linked.addItem(item)
            if cid == keep:
                self.linked.setCurrentItem(item)

    def _link_typed_case(self) -> None:
        if self._current is None:
            return
        ref = self.case_ref.text().strip().upper()
        if not ref:
            return
        case_id = self._refs_to_id.get(ref)
        if case_id is None:
            self.link_error.setText(f"No case {ref} in this inspection.")
            self.link_error.setVisible(True)
            return
        self.link_error.setVisible(False)
        self.case_ref.clear()
        if case_id not in self._current.case_ids:
            self.session.act(f"Link case {ref}", link_case, self._current.id, case_id, True)

    def _unlink_selected(self) -> None:
        item = self.linked.currentItem()
        if item is None or self._current is None:
            return
        self.session.act(
            f"Unlink case {item.text()}", link_case, self._current.id, item.data(ID_ROLE), False
        )
