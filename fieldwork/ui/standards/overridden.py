"""A case-based standard (2.1 to 2.4, and the organisation's own 3.1 and 3.2): what the
rules give from the case assessments, and professional discretion, a rating set away from
the rules' result with a recorded reason (and cleared again).

Core refuses an override without a reason, or one equal to the rules' result, in one
line; the screen shows that line in the status bar and keeps what was typed.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldwork.core.casework.judgements import clear_override, override_rating
from fieldwork.core.forms.method import Standard
from fieldwork.core.results import StandardResult
from fieldwork.core.storage import method_reads
from fieldwork.ui.widgets.labels import bold, muted, plain_label


def key_question_lines(result: StandardResult | None) -> str:
    if result is None:
        return ""
    lines = []
    for k in result.key_questions:
        found = (
            f"{k.percent:.1f}% ({k.sufficient} of {k.applicable})"
            if k.percent is not None
            else "no applicable case yet"
        )
        band = f", {k.rating}" if k.rating else ""
        lines.append(f"{k.id} {k.text}: {found}{band}")
    return "\n".join(lines)


class OverriddenStandard(QWidget):
    """The page for one case-based standard of one organisation."""

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.organisation = ""
        self.standard: Standard | None = None

        self.title = bold(plain_label(), 1.1)
        self.statement = plain_label(selectable=True)
        self.rules_say = plain_label()
        self.rules_say.setObjectName("rulesRating")
        self.key_questions = muted(plain_label(selectable=True))
        self.current = plain_label()
        self.current.setObjectName("currentOverride")
        self.rating = QComboBox()
        self.rating.setObjectName("overrideRating")
        self.rating.setAccessibleName("Rating set by professional discretion")
        self.reason = QLineEdit()
        self.reason.setObjectName("overrideReason")
        self.reason.setAccessibleName("Reason for departing from the rules")
        self.reason.setPlaceholderText("The reason (the methodology annex lists it)")
        self.reason.returnPressed.connect(lambda: self.override())
        self.override_button = QPushButton("&Override")
        self.override_button.setObjectName("overrideRatingButton")
        self.override_button.setAccessibleName("Override the rules' rating with this reason")
        self.override_button.clicked.connect(lambda _=False: self.override())
        self.clear_button = QPushButton("&Let the rules' rating stand")
        self.clear_button.setObjectName("clearOverride")
        self.clear_button.setAccessibleName("Clear the override")
        self.clear_button.clicked.connect(lambda _=False: self.clear())

        row = QHBoxLayout()
        rating_label = QLabel("R&ating:")
        rating_label.setBuddy(self.rating)
        row.addWidget(rating_label)
        row.addWidget(self.rating)
        reason_label = QLabel("Rea&son:")
        reason_label.setBuddy(self.reason)
        row.addWidget(reason_label)
        row.addWidget(self.reason, 1)
        row.addWidget(self.override_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.current, 1)
        buttons.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.statement)
        layout.addWidget(self.rules_say)
        layout.addWidget(self.key_questions)
        layout.addWidget(bold(plain_label("Professional discretion", wrap=False)))
        layout.addWidget(
            muted(
                plain_label(
                    "The lead may rate this standard away from the rules' result, with a "
                    "recorded reason. The report's methodology annex lists every override."
                )
            )
        )
        layout.addLayout(row)
        layout.addLayout(buttons)
        layout.addStretch(1)

    @property
    def store(self) -> Any:
        return self.session.store

    def show_standard(
        self, organisation: str, standard: Standard, result: StandardResult | None
    ) -> None:
        if (organisation, standard) != (self.organisation, self.standard):
            self.reason.clear()
        self.organisation, self.standard = organisation, standard
        self.title.setText(f"{standard.label} (from case assessments)")
        self.statement.setText(standard.statement or "")
        rule = result.rule_rating if result else None
        self.rules_say.setText(
            f"The rules give: {rule} (the lowest key question sets the standard)."
            if rule
            else "The rules give no rating yet: no applicable case assessment is counted."
        )
        self.key_questions.setText(key_question_lines(result))
        rules = method_reads.method(self.store).rating
        keep = self.rating.currentData()
        self.rating.clear()
        for r in rules.ratings() if rules else ():
            if r != rule:
                self.rating.addItem(r, r)
        over = result.override if result else None
        wanted = over.rating if over else keep
        self.rating.setCurrentIndex(max(0, self.rating.findData(wanted)))
        if over is not None:
            self.current.setText(f"Overridden: {over.rating}. Reason: {over.reason}")
            if not self.reason.hasFocus() and not self.reason.text():
                self.reason.setText(over.reason)
        else:
            self.current.setText("Not overridden: the rules' rating stands.")
        lead = self.store.trust.is_lead()  # discretion is the lead's (core refuses others)
        self.clear_button.setEnabled(over is not None and lead)
        usable = rule is not None and lead
        if not lead:
            self.current.setText(f"{self.current.text()} Only the lead can override a rating.")
        for w in (self.rating, self.reason, self.override_button):
            w.setEnabled(usable)

    def override(self) -> bool:
        if self.standard is None or self.rating.currentData() is None:
            return False
        done = self.session.act(
            f"Override the rating of {self.standard.label}",
            override_rating,
            self.organisation,
            self.standard.id,
            self.rating.currentData(),
            self.reason.text(),
        )
        if done is not None:
            self.session.saved.emit(
                f"{self.standard.label} ({self.organisation}) overridden: "
                f"{self.rating.currentData()}."
            )
        return done is not None

    def clear(self) -> bool:
        if self.standard is None:
            return False
        done = self.session.act(
            f"Clear the override of {self.standard.label}",
            clear_override,
            self.organisation,
            self.standard.id,
        )
        if done:
            self.reason.clear()
        return bool(done)
