"""The Cases screen's two small dialogs: confirming the removal of a case that has review
answers, and correcting a case's organisation, office and officer. Each only asks; the
screen does the work through `Session.act` (core/casework/cases.py) once it is accepted.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from fieldwork.core.model import Case
from fieldwork.ui.widgets.labels import bold, plain_label


class RemoveCaseDialog(QDialog):
    """Remove a case whose review has answers? Cancel is the default: Enter keeps it."""

    def __init__(self, case: Case, answers: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("removeCaseDialog")
        self.setWindowTitle("Remove case")
        self.setMinimumWidth(440)
        plural = "s" if answers != 1 else ""
        self.question = bold(plain_label(f"Remove case {case.ref}?"))
        self.explanation = plain_label(
            f"Its review has {answers} answer{plural}. Removing the case hides "
            f"{'them' if answers != 1 else 'it'} from the ratings, exports and the report.\n"
            "Edit ▸ Undo (Ctrl+Z) brings the case back with every answer."
        )
        self.explanation.setObjectName("removeCaseText")
        self.buttons = QDialogButtonBox()
        self.remove_button = self.buttons.addButton(
            "&Remove case", QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.remove_button.setObjectName("removeCaseOk")
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.remove_button.setAutoDefault(False)
        self.cancel_button.setDefault(True)
        self.remove_button.clicked.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addWidget(self.explanation)
        layout.addWidget(self.buttons)
        self.cancel_button.setFocus()


class CorrectCaseDialog(QDialog):
    """The case's organisation (one of the inspection's), office and officer."""

    def __init__(
        self, case: Case, organisations: Sequence[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("correctCaseDialog")
        self.setWindowTitle(f"Correct case {case.ref}")
        self.setMinimumWidth(420)

        self.organisation = QComboBox()
        self.organisation.setObjectName("correctOrganisation")
        self.organisation.setAccessibleName("Organisation")
        names = list(organisations)
        if case.organisation and case.organisation not in names:
            names.append(case.organisation)  # as stored, so OK alone changes nothing
        for name in names:
            self.organisation.addItem(name, name)
        self.organisation.setCurrentIndex(max(self.organisation.findData(case.organisation), 0))
        self.office = QLineEdit(case.office or "")
        self.office.setObjectName("correctOffice")
        self.office.setAccessibleName("Office")
        self.officer = QLineEdit(case.officer or "")
        self.officer.setObjectName("correctOfficer")
        self.officer.setAccessibleName("Officer")

        form = QFormLayout()
        form.addRow("&Organisation:", self.organisation)
        form.addRow("O&ffice:", self.office)
        form.addRow("Offi&cer:", self.officer)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Correct")
        ok.setObjectName("correctCaseOk")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(f"Case {case.ref}, as the case sample should have had it."))
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setTabOrder(self.organisation, self.office)
        self.setTabOrder(self.office, self.officer)
        self.organisation.setFocus()

    def values(self) -> dict[str, str]:
        """What to store: organisation, office and officer (an empty text clears)."""
        return {
            "organisation": self.organisation.currentData() or "",
            "office": self.office.text(),
            "officer": self.officer.text(),
        }
