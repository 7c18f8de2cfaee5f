"""The page frame both PDFs share: running marks, "Page X of Y", outline, contents,
progress with cancel, and the safe write.

A build runs `multiBuild` (the contents need a second pass for page numbers)
into a temporary file beside the target that files.replacing moves into place
when complete, so no partial PDF ever stands at the final name.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate
from reportlab.platypus.tableofcontents import TableOfContents

from fieldwork.core import files
from fieldwork.core.errors import Cancelled, FieldworkError
from fieldwork.core.report.styles import FONT, FONT_BOLD, MUTED, PAGE_MARGIN, RULE, esc, styles

Progress = Callable[[int, int], bool]
# A report usually settles in two passes (the second fills in the contents).
EXPECTED_PASSES = 2


class Heading:
    """Marker attribute values for flowables that go in the contents and the outline."""

    def __init__(self, text: str, level: int, key: str, toc: bool = True) -> None:
        self.text = text
        self.level = level
        self.key = key
        self.toc = toc


def numbered_canvas(marks: tuple[str, ...], footer: str) -> type[Canvas]:
    """A canvas class that holds back each page until the page count is known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._draw_marks(total)
                super().showPage()
            super().save()

        def _draw_marks(self, total: int) -> None:
            width, height = self._pagesize
            self.saveState()
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(PAGE_MARGIN, height - 14 * 2.835, width - PAGE_MARGIN, height - 14 * 2.835)
            self.line(PAGE_MARGIN, 14 * 2.835, width - PAGE_MARGIN, 14 * 2.835)
            self.setFont(FONT_BOLD, 8)
            self.setFillColor(MUTED)
            self.drawString(PAGE_MARGIN, height - 12 * 2.835, marks[0])
            self.drawRightString(width - PAGE_MARGIN, height - 12 * 2.835, "  ".join(marks[1:]))
            self.setFont(FONT, 8)
            self.drawString(PAGE_MARGIN, 10 * 2.835, footer)
            self.drawRightString(
                width - PAGE_MARGIN, 10 * 2.835, f"Page {self._pageNumber} of {total}"
            )
            self.restoreState()

    return NumberedCanvas


class ReportDoc(BaseDocTemplate):
    """A4 portrait, one frame; feeds headings to the contents and the PDF outline."""

    def __init__(self, filename: str, *, progress: Progress | None, total: int, **kw: Any) -> None:
        super().__init__(
            filename,
            pagesize=A4,
            leftMargin=PAGE_MARGIN,
            rightMargin=PAGE_MARGIN,
            topMargin=PAGE_MARGIN,
            bottomMargin=PAGE_MARGIN,
            **kw,
        )
        frame = Frame(
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        self._progress = progress
        self._total = max(1, total * EXPECTED_PASSES)
        self._done = 0

    def afterFlowable(self, flowable: Any) -> None:  # noqa: N802 (reportlab's name)
        heading = getattr(flowable, "_fw_heading", None)
        if heading is not None:
            self.canv.bookmarkPage(heading.key)
            self.canv.addOutlineEntry(heading.text, heading.key, level=heading.level)
            if heading.toc:
                # The contents table renders its entries as markup: the text must be escaped.
                self.notify("TOCEntry", (heading.level, esc(heading.text), self.page, heading.key))
        if self._progress is not None:
            self._done += 1
            if self._done > self._total:
                self._total = self._done + self._total // EXPECTED_PASSES
            if self._progress(self._done, self._total) is False:
                raise Cancelled("report cancelled")


def mark_heading(flowable: Any, text: str, level: int, key: str, toc: bool = True) -> Any:
    flowable._fw_heading = Heading(text, level, key, toc)
    return flowable


def contents() -> TableOfContents:
    toc = TableOfContents()
    s = styles()
    toc.levelStyles = [s["toc0"], s["toc1"]]
    toc.dotsMinLevel = 0
    return toc


def write_pdf(
    out: str | Path,
    story_factory: Callable[[], list[Any]],
    *,
    marks: tuple[str, ...],
    footer: str,
    metadata: dict[str, str],
    progress: Progress | None = None,
) -> Path:
    """Build the story into `out` atomically; raises Cancelled if progress returns False."""
    out = Path(out)
    folder = out.resolve().parent
    if not folder.is_dir():
        raise FieldworkError(f"no such folder: {folder}")
    with files.replacing(out) as tmp:
        story = story_factory()
        doc = ReportDoc(
            str(tmp),
            progress=progress,
            total=len(story),
            title=metadata.get("title", ""),
            author=metadata.get("author", ""),
            subject=metadata.get("subject", ""),
            creator="Fieldwork",
            keywords=metadata.get("keywords", ""),
        )
        doc.multiBuild(story, canvasmaker=numbered_canvas(marks, footer))
    if progress is not None:
        progress(1, 1)
    return out
