"""Search (Ctrl+F): find a marked quote, notes and review comments; open the place found."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor, QTextDocument

from fieldwork.ui.interviews.editor import InterviewsScreen
from fieldwork.ui.interviews.quotes import to_qt
from fieldwork.ui.session import Session
from fieldwork.ui.shell.search import HTML_ROLE, SearchDialog, hits, snippet


@pytest.fixture
def session(demo) -> Session:
    return Session(demo[1])


@pytest.fixture
def dialog(qtbot, session) -> SearchDialog:
    d = SearchDialog(session)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    return d


def search(qtbot, dialog: SearchDialog, text: str) -> None:
    dialog.box.clear()
    qtbot.keyClicks(dialog.box, text)
    qtbot.waitUntil(lambda: not dialog._timer.isActive(), timeout=2000)


def test_mark_a_quote_then_find_and_open_it(qtbot, demo, session):
    path, store = demo
    screen = InterviewsScreen(session)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.mouseClick(screen.new_button, Qt.MouseButton.LeftButton)
    interview_id = screen.current_interview_id()
    screen.notes.setFocus()
    notes = "Opening words. Risk was reviewed after the quokka incident. Closing words."
    qtbot.keyClicks(screen.notes, notes)
    passage = "Risk was reviewed after the quokka incident."
    start = notes.index(passage)
    cursor = screen.notes.textCursor()
    cursor.setPosition(to_qt(notes, start))
    cursor.setPosition(to_qt(notes, start + len(passage)), QTextCursor.MoveMode.KeepAnchor)
    screen.notes.setTextCursor(cursor)
    qtbot.mouseClick(screen.mark_button, Qt.MouseButton.LeftButton)
    screen.tag_dialog.standard.setCurrentIndex(2)
    screen.tag_dialog.accept()
    (quote,) = store.reads.quotes(interview_id)

    dialog = SearchDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    search(qtbot, dialog, "quokka")
    assert dialog.count.text() == "2 results"  # the notes and the quote
    kinds = {p.hit_entity for p in dialog.places()}
    assert kinds == {"interviews", "quotes"}
    row = next(r for r, p in enumerate(dialog.places()) if p.hit_entity == "quotes")
    dialog.results.setCurrentIndex(dialog.model.index(row, 0))
    assert "<b>quokka</b>" in dialog.model.index(row, 0).data(HTML_ROLE)
    dialog.box.setFocus()
    opened, places = [], []
    dialog.open_requested.connect(lambda *args: opened.append(args))
    dialog.place_requested.connect(places.append)
    qtbot.keyClick(dialog.box, Qt.Key.Key_Return)
    assert opened == [("interviews", interview_id)]
    (place,) = places
    assert place.select == (quote.start, quote.end) and place.hit_row == quote.id

    # The main window would do this with it:
    screen.open_interview(place.row, place.select)
    assert screen.notes.textCursor().selectedText() == passage


def test_hostile_text_shows_literally(qtbot, store_with_hostile_note):
    dialog, note = store_with_hostile_note
    search(qtbot, dialog, "scribbled")
    index = dialog.model.index(0, 0)
    assert "<b>x</b>" in index.data() and "<img src=x>" in index.data()
    marked = index.data(HTML_ROLE)
    assert "<img" not in marked and "<script" not in marked
    assert "&lt;img src=x&gt;" in marked and "<b>scribbled</b>" in marked
    doc = QTextDocument()
    doc.setHtml(marked)
    assert doc.toPlainText() == note
    search(qtbot, dialog, "img")  # a hit inside the markup-like text is still escaped
    assert "&lt;<b>img</b> src=x&gt;" in dialog.model.index(0, 0).data(HTML_ROLE)
    dialog.grab()  # the delegate paints it without trouble


@pytest.fixture
def store_with_hostile_note(qtbot, session):
    store = session.store
    interview = store.reads.interviews()[0]
    note = "He scribbled <b>x</b> then <img src=x> & <script>alert(1)</script> here."
    store.update("interviews", interview.id, {"notes": note})
    d = SearchDialog(session)
    qtbot.addWidget(d)
    d.show()
    return d, note


def test_answer_comment_opens_its_case(qtbot, session, dialog):
    store = session.store
    case = store.reads.cases()[5]
    qid = store.reads.form().questions()[0].id
    store.set_answer(case.id, qid, None, comment="Zebrafish mentioned in the supervision record")
    search(qtbot, dialog, "zebrafi")
    places = dialog.places()
    assert len(places) == 1
    assert places[0].entity == "cases" and places[0].row == case.id
    assert places[0].question_id == qid
    assert case.ref in dialog.model.index(0, 0).data()
    rect = dialog.results.visualRect(dialog.model.index(0, 0))
    with qtbot.waitSignal(dialog.open_requested, timeout=1000) as blocker:
        qtbot.mouseClick(dialog.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(dialog.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == ["cases", case.id]


def test_no_results_and_odd_input(qtbot, dialog):
    search(qtbot, dialog, "xylophonic")
    assert dialog.count.text().startswith("No results")
    assert not dialog.open_button.isEnabled()
    search(qtbot, dialog, '"quoted" AND (')  # FTS syntax is not interpreted
    assert dialog.count.text()


def test_snippet_highlights_words_ignoring_case_and_accents():
    body = "Siân met the officer. Later SIAN agreed a plan."
    assert [body[s:e] for s, e in hits(body, "sian")] == ["Siân", "SIAN"]
    plain, marked, first = snippet(body, "sia")
    assert first == (0, 4) and plain == body
    assert marked.startswith("<b>Siân</b>")
    long = "word " * 100 + "target " + "word " * 100
    plain, marked, first = snippet(long, "target")
    assert plain.startswith("…") and plain.endswith("…") and "<b>target</b>" in marked


def test_a_blind_assessor_finds_nothing_of_the_first_assessment(qtbot, tmp_path):
    """Moderation: while assessing a case blind, search shows none of its first answers."""
    from fieldwork.core.moderation import reads, sample
    from tests.core.test_moderation import team_file

    store = team_file(tmp_path / "team.fieldwork", cases_per_assessor=4)
    sample.draw(store, share=25, seed=2016)
    # A case this laptop's member (the lead) is not assessing blind itself: second
    # assessors are drawn among members whose ids are random.
    case_id, sc = next(
        (cid, sc) for cid, sc in reads.sample(store).items() if sc.second_assessor != store.author
    )
    answer = next(iter(store.reads.answers(case_id).values()))
    store.update("answers", answer.id, {"comment": "Zebrafish in the first assessment"})
    session = Session(store)
    d = SearchDialog(session)
    qtbot.addWidget(d)
    d.show()
    search(qtbot, d, "zebrafi")
    assert len(d.places()) == 1  # the lead sees it
    store.set_author(sc.second_assessor)
    search(qtbot, d, "zebrafis")
    assert d.places() == [] and d.count.text().startswith("No results")
    store.close()
