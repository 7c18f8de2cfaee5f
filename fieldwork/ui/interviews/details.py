"""The Interviews screen's details form: kind, date, organisation, title and consent."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QGridLayout, QLabel, QLineEdit

from fieldwork.core.casework.interviews import default_title, kind_label
from fieldwork.core.schema import INTERVIEW_KINDS
from fieldwork.ui.interviews.base import InterviewsBase

NO_DATE = QDate(2000, 1, 1)  # the QDateEdit minimum, shown as "No date"


class DetailsForm(InterviewsBase):
    """Builds the details fields and saves each one as it is changed."""

    def _build_details(self) -> QGridLayout:
        self.kind = QComboBox()
        self.kind.setObjectName("interviewKind")
        self.kind.setAccessibleName("Kind of interview")
        for kind in INTERVIEW_KINDS:
            self.kind.addItem(kind_label(kind), kind)
        self.kind.currentIndexChanged.connect(self._kind_changed)

        self.title = QLineEdit()
        self.title.setObjectName("interviewTitle")
        self.title.setAccessibleName("Title")
        self.title.setPlaceholderText("For example: Responsible officer, Glanmor office")
        self.title.editingFinished.connect(self._save_title)

        self.date = QDateEdit()
        self.date.setObjectName("interviewDate")
        self.date.setAccessibleName("Date of interview")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("d MMM yyyy")
        self.date.setMinimumDate(NO_DATE)
        self.date.setSpecialValueText("No date")
        self.date.dateChanged.connect(self._date_edited)

        self.organisation = QComboBox()
        self.organisation.setObjectName("interviewOrganisation")
        self.organisation.setAccessibleName("Organisation")
        self.organisation.currentIndexChanged.connect(self._save_organisation)

        self.consent = QCheckBox("Consent given to take part and be quoted")
        self.consent.setObjectName("interviewConsent")
        self.consent.setAccessibleName("Consent given")
        self.consent.toggled.connect(self._save_consent)

        details = QGridLayout()
        details.setHorizontalSpacing(12)
        for col, (text, widget) in enumerate(
            (("&Kind:", self.kind), ("&Date:", self.date), ("O&rganisation:", self.organisation))
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            details.addWidget(label, 0, col * 2)
            details.addWidget(widget, 0, col * 2 + 1)
            details.setColumnStretch(col * 2 + 1, 1)
        title_label = QLabel("&Title:")
        title_label.setBuddy(self.title)
        details.addWidget(title_label, 1, 0)
        details.addWidget(self.title, 1, 1, 1, 5)
        details.addWidget(self.consent, 2, 1, 1, 5)
        return details

    def _fill_organisations(self, value: str | None) -> None:
        orgs = list(self.store.reads.inspection().organisations)
        if value and value not in orgs:
            orgs.append(value)
        self.organisation.blockSignals(True)
        self.organisation.clear()
        self.organisation.addItem("(none)", "")
        for org in orgs:
            self.organisation.addItem(org, org)
        self.organisation.setCurrentIndex(max(0, self.organisation.findData(value or "")))
        self.organisation.blockSignals(False)

    @staticmethod
    def _qdate(value: str | None) -> QDate:
        if not value:
            return NO_DATE
        date = QDate.fromString(value[:10], "yyyy-MM-dd")
        return date if date.isValid() else NO_DATE

    def _save_title(self) -> None:
        if self._loading or self._current is None:
            return
        title = " ".join(self.title.text().split()) or None
        if title != self._current.title:
            self._act("Edit interview title", {"title": title})

    def _date_edited(self) -> None:
        if not self._loading and self._current is not None:
            self._date_saver.edited()

    def _save_date(self) -> None:
        if self._loading or self._current is None:
            return
        date = self.date.date()
        value = None if date == NO_DATE else date.toString("yyyy-MM-dd")
        if value != self._current.date:
            self._act("Change interview date", {"date": value})

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self.consent.setVisible(kind == "person")
        if not self._loading and self._current is not None and kind != self._current.kind:
            self.flush()
            fields: dict[str, Any] = {"kind": kind}
            if self._current.title == default_title(self._current.kind):
                fields["title"] = default_title(kind)  # still the made-up title: follow the kind
            self._act("Change interview kind", fields)

    def _save_organisation(self) -> None:
        if self._loading or self._current is None:
            return
        value = self.organisation.currentData() or None
        if value != self._current.organisation:
            self._act("Change interview organisation", {"organisation": value})

    def _save_consent(self, checked: bool) -> None:
        if self._loading or self._current is None or checked == self._current.consent:
            return
        self._act("Record consent" if checked else "Withdraw consent", {"consent": checked})
