"""The Moderation screen's dialogs: draw the sample (share, seed, minimum), add a case by
hand (with the reason and who assesses it again), and mark a calibration case. Each only
collects what the lead chooses; the screen runs the core action through Session.act."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fieldwork.core.model import Case, Member
from fieldwork.ui.widgets.labels import muted, plain_label


def _buttons(dialog: QDialog, ok: str) -> QDialogButtonBox:
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class DrawDialog(QDialog):
    """The rule of the draw: a share of each assessor's cases, a seed, a minimum."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Draw the moderation sample")
        self.share = QSpinBox()
        self.share.setRange(1, 100)
        self.share.setValue(10)
        self.share.setSuffix(" %")
        self.share.setAccessibleName("Share of each assessor's cases")
        self.seed = QLineEdit()
        self.seed.setValidator(QIntValidator(0, 2_000_000_000, self.seed))
        self.seed.setPlaceholderText("chosen for you and recorded")
        self.seed.setAccessibleName("Seed")
        self.minimum = QSpinBox()
        self.minimum.setRange(1, 50)
        self.minimum.setValue(1)
        self.minimum.setAccessibleName("At least this many per assessor")
        form = QFormLayout()
        form.addRow("&Share of each assessor's cases:", self.share)
        form.addRow("S&eed:", self.seed)
        form.addRow("At &least per assessor:", self.minimum)
        note = muted(
            plain_label(
                "Spread over the organisations in proportion. The seed and the rule are "
                "recorded, so anyone can repeat the draw and get the same cases."
            )
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(_buttons(self, "&Draw"))

    def chosen_seed(self) -> int | None:
        text = self.seed.text().strip()
        return int(text) if text else None


class AddCaseDialog(QDialog):
    """A case added by hand: which, why, and (optionally) who assesses it again."""

    def __init__(
        self, cases: Sequence[Case], members: Sequence[Member], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a case to the moderation sample")
        self.case = QComboBox()
        self.case.setAccessibleName("Case")
        for c in cases:
            self.case.addItem(f"{c.ref} ({c.organisation or 'no organisation'})", c.id)
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Why it is added")
        self.second = QComboBox()
        self.second.setAccessibleName("Assessed again by")
        self.second.addItem("Chosen for me", None)
        for m in members:
            self.second.addItem(m.name, m.id)
        form = QFormLayout()
        form.addRow("&Case:", self.case)
        form.addRow("&Why:", self.reason)
        form.addRow("Assessed again &by:", self.second)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(_buttons(self, "&Add"))


class CalibrationDialog(QDialog):
    """A case everyone in the team assesses blind, to see where judgements spread."""

    def __init__(self, cases: Sequence[Case], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Mark a calibration case")
        self.case = QComboBox()
        self.case.setAccessibleName("Case")
        for c in cases:
            self.case.addItem(f"{c.ref} ({c.organisation or 'no organisation'})", c.id)
        form = QFormLayout()
        form.addRow("&Case:", self.case)
        note = muted(
            plain_label(
                "Everyone in the team but the case's own assessor assesses it blind, before "
                "fieldwork starts or on its first day; the spread of their judgements is shown."
            )
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(_buttons(self, "&Mark"))
