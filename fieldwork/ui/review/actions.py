"""The review editor's writing: answers, and the Mark complete, Reopen, quality
assurance and Print buttons with the header they sit in.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from fieldwork.core.casework import answering, wording
from fieldwork.core.casework import validation as review
from fieldwork.core.model import Case
from fieldwork.core.schema import STATUS_LABELS
from fieldwork.ui.review.pages import ReviewPages
from fieldwork.ui.widgets.colours import status_colour
from fieldwork.ui.widgets.labels import bold, in_colour, muted, plain_label


def case_pdf_available() -> bool:
    """Whether the report module can print one case (looked up without importing
    reportlab, which would slow down opening the first review)."""
    import fieldwork.core

    return (Path(fieldwork.core.__file__).parent / "report" / "case_pdf.py").is_file()


def write_case_pdf(store: Any, case: Case, out: str, progress: Any = None) -> str:
    """The single-case PDF, through whichever entry point the report module offers."""
    module = importlib.import_module("fieldwork.core.report.case_pdf")
    if hasattr(module, "write_case_pdf"):
        module.write_case_pdf(store, case.id, out)
    else:
        module.render_case(module.gather_case(store, case.ref), out, progress)
    return out


class ReviewActions(ReviewPages):
    """Builds the header (case, status, buttons, QA box) and writes through `Session.act`."""

    def _build_head(self) -> QHBoxLayout:
        self.ref_label = bold(plain_label(wrap=False), 1.35)
        self.details_label = muted(plain_label(wrap=True))  # long names wrap, never widen
        self.status_label = bold(plain_label(wrap=False))
        self.status_label.setObjectName("reviewStatus")
        self.pdf_button = QPushButton("&Print (PDF)…")
        self.pdf_button.setObjectName("printReview")
        self.pdf_button.setAccessibleName("Print this case assessment as a PDF")
        self.pdf_button.clicked.connect(self.print_pdf)
        self.reopen_button = QPushButton("Re&open as draft")
        self.reopen_button.setAccessibleName("Reopen this case assessment as a draft")
        self.reopen_button.clicked.connect(self.reopen)
        self.complete_button = QPushButton("&Mark complete  (Ctrl+Enter)")
        self.complete_button.setObjectName("markComplete")
        self.complete_button.setAccessibleName("Mark the case assessment complete")
        self.complete_button.clicked.connect(self.mark_complete)

        head = QHBoxLayout()
        names = QVBoxLayout()
        names.setSpacing(0)
        names.addWidget(self.ref_label)
        names.addWidget(self.details_label)
        head.addLayout(names, 1)
        head.addWidget(self.status_label)
        head.addSpacing(12)
        head.addWidget(self.pdf_button)
        head.addWidget(self.reopen_button)
        head.addWidget(self.complete_button)

        self.banner = QFrame()
        self.banner.setObjectName("qaBanner")
        self.banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.banner.setAutoFillBackground(True)
        self.banner_text = plain_label(selectable=True)
        self.banner_text.setObjectName("qaComment")
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.addWidget(self.banner_text)
        self.banner.hide()

        self.qa_box = QGroupBox("Quality assurance")
        self.qa_box.setObjectName("qaBox")
        self.qa_comment = QPlainTextEdit()
        self.qa_comment.setObjectName("qaCommentEdit")
        self.qa_comment.setAccessibleName("Quality assurance comment")
        self.qa_comment.setPlaceholderText("Comment for the inspector (required to return)")
        self.qa_comment.setTabChangesFocus(True)
        self.qa_comment.setMaximumHeight(64)
        self.confirm_button = QPushButton("Quality assured")
        self.confirm_button.setObjectName("qaConfirm")
        self.confirm_button.clicked.connect(self.confirm_qa)
        self.return_button = QPushButton("Return to inspector")
        self.return_button.setObjectName("qaReturn")
        self.return_button.clicked.connect(self.return_qa)
        qa_layout = QHBoxLayout(self.qa_box)
        qa_layout.addWidget(self.qa_comment, 1)
        buttons = QVBoxLayout()
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(self.return_button)
        qa_layout.addLayout(buttons)
        self.qa_box.hide()
        return head

    def _show_header(self, case: Case) -> None:
        names = {m.id: m.name for m in self.store.reads.members()}
        self.ref_label.setText(f"Case {case.ref}")
        bits = [
            case.organisation,
            case.office,
            f"officer {case.officer}" if case.officer else None,
            f"assessed by {names.get(case.inspector or '', '—')}",
        ]
        if case.qa_inspector:
            bits.append(f"quality assurance by {names.get(case.qa_inspector, '—')}")
        self.details_label.setText(" · ".join(b for b in bits if b))
        self.status_label.setText(f"● {STATUS_LABELS.get(case.status, case.status)}")
        in_colour(self.status_label, status_colour(case.status))
        done = case.status in ("complete", "reviewed")
        self.complete_button.setVisible(not done and not self.read_only)
        self.reopen_button.setVisible(done and not self.read_only)
        self.qa_box.setVisible(self.qa_mode)
        self.confirm_button.setEnabled(self.qa_mode)
        self.return_button.setEnabled(self.qa_mode)
        if case.qa_comment and case.status in ("returned", "reviewed"):
            what = "Returned" if case.status == "returned" else "Reviewed"
            self.banner_text.setText(f"{what} by quality assurance: {case.qa_comment}")
            self.banner.show()
            palette = self.banner.palette()
            tint = QColor(status_colour(case.status))
            tint.setAlpha(45)
            palette.setColor(QPalette.ColorRole.Window, tint)
            self.banner.setPalette(palette)
        else:
            self.banner.hide()

    def _act(self, description: str, fn: Any, *args: Any, **kw: Any) -> bool:
        if self.case is None or self.read_only:
            return False
        ops = self.session.act(description, fn, self.case, *args, **kw)
        if ops is None:  # refused: show what is stored again
            self._reload()
            return False
        return True

    def _words(self, qid: str, what: str = "answer") -> str:
        """The undo text: `answer to 2.4.2a (case A488417)`."""
        return wording.answer_action(self.form, qid, self.case.ref if self.case else None, what)

    def _answer(self, qid: str, value: Any) -> None:
        self._act(self._words(qid), answering.answer, qid, value)

    def _comment(self, qid: str, text: str) -> None:
        value = self.values.get(qid)
        self._act(self._words(qid, "comment"), answering.answer, qid, value, comment=text)

    def _judge(self, qid: str, value: Any, reason: str) -> None:
        self._act(
            self._words(qid, "judgement"), answering.answer, qid, value, reason=reason or None
        )

    def flush(self) -> None:
        """Save any text typed but not yet saved (before close, lock, undo, another case)."""
        if self.case is None or self.read_only:
            return
        for row in list(self.rows.values()):
            row.flush()

    def mark_complete(self) -> None:
        if self.case is None or self.read_only:
            return
        self.flush()
        if self.case.status in ("complete", "reviewed"):
            self.message.emit("This review is already complete.")
            return
        problems = review.validate(self.form, self.values, self.reasons)
        if problems:
            first = problems[0]
            n = len(problems)
            self.message.emit(
                f"Not complete yet: {n} problem{'s' if n != 1 else ''}; first "
                f"{wording.question_short(self.form, first.question_id)}: {first.message}"
            )
            self.problems_list.setCurrentRow(0)
            self.focus_question(first.question_id)
            return
        if self._act(f"mark case {self.case.ref} complete", answering.mark_complete):
            self.message.emit(f"Case {self.case.ref} marked complete.")

    def reopen(self) -> None:
        if self.case is not None:
            self._act(f"reopen case {self.case.ref} as a draft", answering.reopen)

    def confirm_qa(self) -> None:
        if self.case is None or not self.qa_mode:
            return
        comment = self.qa_comment.toPlainText().strip() or None
        what = f"confirm the review of case {self.case.ref}"
        if self.session.act(what, answering.confirm_qa, self.case, comment):
            self.message.emit(f"Case {self.case.ref} confirmed as reviewed.")

    def return_qa(self) -> None:
        if self.case is None or not self.qa_mode:
            return
        comment = self.qa_comment.toPlainText()
        what = f"return case {self.case.ref} to its inspector"
        if self.session.act(what, answering.return_to_inspector, self.case, comment):
            self.message.emit(f"Case {self.case.ref} returned to its inspector.")

    def print_pdf(self) -> None:
        if self.case is None:
            return
        self.flush()
        case = self.case
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        ) or str(Path.home())
        out, _ = QFileDialog.getSaveFileName(
            self, "Print review", str(Path(folder) / f"review-{case.ref}.pdf"), "PDF (*.pdf)"
        )
        if not out:
            return
        if self.tasks is None:
            write_case_pdf(self.store, case, out)
            self.message.emit(f"Review saved as {out}")
            return
        self.tasks.run(
            f"Writing the review of case {case.ref}…",
            lambda store, progress: write_case_pdf(store, case, out, progress),
            lambda path: self.message.emit(f"Review saved as {path}"),
            lambda error: self.message.emit(error or "Cancelled: no PDF was written."),
        )
