"""Search (Ctrl+F): full-text search over interview notes, quotes and review comments.

Results show a snippet with the words found in bold. The snippet is user text, so
it is HTML-escaped piece by piece before the <b> tags go in; the delegate is the
only place that reads it as markup.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QKeyEvent,
    QPainter,
    QPalette,
    QStandardItem,
    QStandardItemModel,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from fieldwork.core.errors import FieldworkError
from fieldwork.ui.session import Session
from fieldwork.ui.widgets.labels import plain_label

SEARCH_DELAY_MS = 200
BEFORE, AFTER = 60, 160  # characters of context either side of the first hit

HTML_ROLE = Qt.ItemDataRole.UserRole + 1  # the snippet, escaped, hits in <b>
PLACE_ROLE = Qt.ItemDataRole.UserRole + 2
HEADING_ROLE = Qt.ItemDataRole.UserRole + 3  # plain text


@dataclass(frozen=True)
class Place:
    """Where a hit lives, resolved for the screens: an interview (with the passage to
    select) or a case (with the question whose comment or answer matched)."""

    entity: str  # "interviews" | "cases"
    row: str
    select: tuple[int, int] | None = None  # Python indices into the interview's notes
    question_id: str | None = None
    hit_entity: str = ""  # what the search found: "interviews" | "quotes" | "answers"
    hit_row: str = ""


# ------------------------------------------------------------ snippets (pure)


def _fold(ch: str) -> str:
    """One character folded as the FTS tokenizer does (case and diacritics), kept 1:1."""
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    base = base.lower()
    return base[:1] if base else ch


def hits(body: str, query: str) -> list[tuple[int, int]]:
    """Spans of `body` that the search words match as word prefixes."""
    words = [w for w in ("".join(_fold(c) for c in word) for word in query.split()) if w]
    if not words:
        return []
    folded = "".join(_fold(c) for c in body)
    pattern = re.compile(
        "|".join(rf"(?<!\w){re.escape(w)}\w*" for w in sorted(set(words), key=len, reverse=True))
    )
    return [m.span() for m in pattern.finditer(folded) if m.end() > m.start()]


def snippet(body: str, query: str) -> tuple[str, str, tuple[int, int] | None]:
    """(plain snippet, escaped HTML snippet with hits in bold, first hit in `body`)."""
    spans = hits(body, query)
    first = spans[0] if spans else None
    start = max(0, first[0] - BEFORE) if first else 0
    end = min(len(body), (first[1] if first else 0) + AFTER)
    if start > 0:  # begin at a word
        space = body.find(" ", start, first[0] if first else start + 20)
        start = space + 1 if space >= 0 else start
    plain_parts: list[str] = ["…" if start > 0 else ""]
    html_parts: list[str] = [plain_parts[0]]
    at = start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        plain_parts.append(body[at:s] + body[s:e])
        html_parts.append(html.escape(body[at:s]) + "<b>" + html.escape(body[s:e]) + "</b>")
        at = e
    tail = "…" if end < len(body) else ""
    plain_parts.append(body[at:end] + tail)
    html_parts.append(html.escape(body[at:end]) + tail)
    squeeze = re.compile(r"\s+")
    return squeeze.sub(" ", "".join(plain_parts)), squeeze.sub(" ", "".join(html_parts)), first


# ------------------------------------------------------------ delegate


class SnippetDelegate(QStyledItemDelegate):
    """Draws a result's heading and its HTML snippet (already escaped)."""

    def _document(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QTextDocument:
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        pal = option.palette
        if selected:
            muted = pal.color(QPalette.ColorRole.HighlightedText).name()
        else:  # halfway between text and background: readable in light and dark themes
            fg, bg = pal.color(QPalette.ColorRole.Text), pal.color(QPalette.ColorRole.Base)
            mix = [
                round(a * 0.6 + b * 0.4)
                for a, b in zip(
                    (fg.red(), fg.green(), fg.blue()),
                    (bg.red(), bg.green(), bg.blue()),
                    strict=True,
                )
            ]
            muted = "#{:02x}{:02x}{:02x}".format(*mix)
        heading = html.escape(index.data(HEADING_ROLE) or "")
        doc = QTextDocument()
        doc.setDocumentMargin(4)
        doc.setDefaultFont(option.font)
        doc.setHtml(
            f"<div style='color:{muted}; font-size:small'>{heading}</div>"
            f"<div>{index.data(HTML_ROLE) or html.escape(index.data() or '')}</div>"
        )
        doc.setTextWidth(max(100, option.rect.width()))
        return doc

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        doc = self._document(option, index)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, option.palette.color(role))
        painter.save()
        painter.translate(option.rect.topLeft())
        painter.setClipRect(option.rect.translated(-option.rect.topLeft()))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        view = option.widget
        width = view.viewport().width() if isinstance(view, QAbstractItemView) else 600
        opt = QStyleOptionViewItem(option)
        opt.rect.setWidth(width)
        doc = self._document(opt, index)
        return QSize(width, int(doc.size().height()) + 2)


# ------------------------------------------------------------ dialog


class SearchDialog(QDialog):
    """Type to search; Enter or double-click opens the place found."""

    open_requested = Signal(str, str)  # ("interviews", interview id) | ("cases", case id)
    place_requested = Signal(object)  # the same, as a Place with the passage or question

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchDialog")
        self.setWindowTitle("Search")
        self.session = session
        self.store = session.store
        self.resize(720, 520)

        self.box = QLineEdit()
        self.box.setObjectName("searchBox")
        self.box.setAccessibleName("Search notes, quotes and comments")
        self.box.setPlaceholderText("Search interview notes, quotes and review comments")
        self.box.setClearButtonEnabled(True)
        self.box.textChanged.connect(self._text_changed)
        self.box.returnPressed.connect(self.open_current)
        self.box.installEventFilter(self)

        self.count = plain_label(wrap=False)
        self.count.setObjectName("searchCount")

        self.model = QStandardItemModel(self)
        self.results = QListView()
        self.results.setObjectName("searchResults")
        self.results.setAccessibleName("Search results")
        self.results.setModel(self.model)
        self.results.setItemDelegate(SnippetDelegate(self.results))
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setUniformItemSizes(False)
        self.results.setWordWrap(True)
        self.results.setAlternatingRowColors(True)
        self.results.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.results.doubleClicked.connect(self._open_index)
        self.results.installEventFilter(self)

        self.open_button = QPushButton("Open")
        self.open_button.setObjectName("searchOpen")
        self.open_button.setAccessibleName("Open the selected result")
        self.open_button.clicked.connect(self.open_current)
        self.open_button.setAutoDefault(False)
        close = QPushButton("Close")
        close.setAccessibleName("Close search")
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)

        label = QLabel("&Find:")
        label.setBuddy(self.box)
        top = QHBoxLayout()
        top.addWidget(label)
        top.addWidget(self.box, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.open_button)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.results, 1)
        layout.addLayout(bottom)
        self.setTabOrder(self.box, self.results)
        self.setTabOrder(self.results, self.open_button)
        self.setTabOrder(self.open_button, close)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self._labels: dict[str, Any] = {}
        self._update_buttons()

    # -------------------------------------------------------------- searching

    def _text_changed(self) -> None:
        self._timer.start()

    def run_search(self) -> None:
        self._timer.stop()
        text = self.box.text().strip()
        self.model.clear()
        if not text:
            self.count.setText("")
            self._update_buttons()
            return
        try:
            from fieldwork.core.moderation.rounds import blind_cases

            found = self.store.search.find(
                text, hide_cases=blind_cases(self.store, self.store.author)
            )
        except FieldworkError as exc:
            self.count.setText(str(exc))
            self._update_buttons()
            return
        self._labels = {}
        for hit in found:
            item = self._item(hit, text)
            if item is not None:
                self.model.appendRow(item)
        n = self.model.rowCount()
        self.count.setText(
            f"No results for “{text}”."
            if not n
            else f"{n} result{'s' if n != 1 else ''}"
            + (" (the first 200)" if len(found) >= 200 else "")
        )
        if n:
            self.results.setCurrentIndex(self.model.index(0, 0))
        self._update_buttons()

    def _names(self, key: str) -> Any:
        """Lookups built once per search: interview titles, quotes, case refs, questions."""
        if key not in self._labels:
            if key == "interviews":
                self._labels[key] = {
                    i.id: i.title or "Untitled interview" for i in self.store.reads.interviews()
                }
            elif key == "quotes":
                self._labels[key] = {q.id: q for q in self.store.reads.quotes()}
            elif key == "cases":
                self._labels[key] = {c.id: c.ref for c in self.store.reads.cases()}
        return self._labels[key]

    def _item(self, hit: dict[str, Any], text: str) -> QStandardItem | None:
        entity, row, field, body = hit["entity"], hit["row"], hit["field"], hit["body"] or ""
        plain, marked, first = snippet(body, text)
        if entity == "interviews":
            title = self._names("interviews").get(row, "Interview")
            heading = f"Interview notes · {title}"
            place = Place("interviews", row, first, None, entity, row)
        elif entity == "quotes":
            quote = self._names("quotes").get(row)
            if quote is None:
                return None
            title = self._names("interviews").get(quote.interview_id, "Interview")
            heading = f"Quote · {title}"
            place = Place(
                "interviews", quote.interview_id, (quote.start, quote.end), None, entity, row
            )
        elif entity == "answers":
            case_id = self._answer_field(row, "case_id")
            question_id = self._answer_field(row, "question_id")
            if not case_id:
                return None
            ref = self._names("cases").get(case_id, "a deleted case")
            what = "Review comment" if field == "comment" else "Review answer"
            heading = f"{what} · case {ref}" + (f" · {question_id}" if question_id else "")
            place = Place("cases", case_id, None, question_id, entity, row)
        else:
            return None
        item = QStandardItem(f"{heading}\n{plain}")
        item.setData(marked, HTML_ROLE)
        item.setData(heading, HEADING_ROLE)
        item.setData(place, PLACE_ROLE)
        item.setToolTip(body[:500])
        item.setEditable(False)
        return item

    def _answer_field(self, row: str, field: str) -> str | None:
        ops = self.store.audit.history("answers", row, field)
        value = ops[0].value if ops else None
        return value if isinstance(value, str) else None

    # -------------------------------------------------------------- opening

    def places(self) -> list[Place]:
        return [self.model.item(r).data(PLACE_ROLE) for r in range(self.model.rowCount())]

    def open_current(self) -> None:
        if self._timer.isActive():
            self.run_search()
        index = self.results.currentIndex()
        if not index.isValid() and self.model.rowCount():
            index = self.model.index(0, 0)
        if index.isValid():
            self._open_index(index)

    def _open_index(self, index: QModelIndex) -> None:
        place: Place | None = index.data(PLACE_ROLE)
        if place is None:
            return
        self.open_requested.emit(place.entity, place.row)
        self.place_requested.emit(place)
        self.accept()

    def _update_buttons(self) -> None:
        self.open_button.setEnabled(self.model.rowCount() > 0)

    def eventFilter(self, watched: QObject, event: Any) -> bool:
        if not isinstance(event, QKeyEvent) or event.type() != QEvent.Type.KeyPress:
            return super().eventFilter(watched, event)
        if watched is self.results and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_current()
            return True
        # Down from the box moves into the results, as in a browser's find bar.
        if watched is self.box and event.key() == Qt.Key.Key_Down and self.model.rowCount():
            self.results.setFocus()
            if not self.results.currentIndex().isValid():
                self.results.setCurrentIndex(self.model.index(0, 0))
            return True
        return super().eventFilter(watched, event)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.box.setFocus()
        self.box.selectAll()
