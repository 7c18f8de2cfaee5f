"""The draft findings PDF, read back with pypdf: content, privacy, escaping, Unicode, pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from fieldwork.core.report import Cancelled, gather, render
from fieldwork.core.scoring import ratings_json, score_store
from tests.conftest import new_store

PLANTED_REF = "X123456"
OTHER_REF = "Y654321"
PLANTED_NAMES = ("Zebedee Quartermaine", "Octavia Plimsoll", "Barnaby Fotheringay")
PLANTED_DOB = "1979-02-03"
CONSENTED = "My officer helped me find work."
UNCONSENTED = "The course stopped me reoffending, do not print this."
NASTY = "<img src='/etc/passwd'> & <b>not bold</b>"
WELSH = "Gwenllïan Ŵyn, Dafydd ap Llŷr, Łukasz: café déjà vu"
RECOMMENDATIONS = [
    (1, "NPS", "Give each person a record of their sentence plan goals."),
    (2, "CRC", "Make sure officers understand the case allocation form."),
    (3, "NPS and CRC", "Improve management oversight of risk of harm work."),
    (4, "NPS", "Check domestic abuse call-outs before advising the court."),
]


def _judgements(i: int) -> dict[str, str]:
    # A spread of results so every key question gets a rating.
    pattern = ["yes", "yes", "yes", "no", "na"]
    out = {}
    for s in range(1, 5):
        for k in range(1, 4):
            out[f"2.{s}.{k}"] = pattern[(i + s + k) % len(pattern)]
    return out


def build_planted(path: Path):
    store = new_store(
        path, author_name=PLANTED_NAMES[0], start_date="2016-03-07", end_date="2016-03-18"
    )
    with store.transaction():
        case_ids = []
        for i in range(30):
            ref = PLANTED_REF if i == 0 else (OTHER_REF if i == 1 else f"A{100000 + i}")
            status = "complete" if i % 6 else "draft"
            cid = store.insert(
                "cases",
                {
                    "ref": ref,
                    "organisation": "NPS" if i % 2 else "CRC",
                    "office": "Bangor",
                    "officer": PLANTED_NAMES[1],
                    "status": status,
                },
            )
            case_ids.append(cid)
            for qid, value in _judgements(i).items():
                store.set_answer(cid, qid, value)
            store.set_answer(cid, "sentence_type", "licence" if i % 3 else "community_order")
            store.set_answer(cid, "start_date", PLANTED_DOB)
        # Case notes with a planted ref and name, markup and Welsh text.
        store.set_answer(
            case_ids[2],
            "2.1/strengths",
            f"Good work with {PLANTED_REF}; {PLANTED_NAMES[1]} knew them well.",
        )
        store.set_answer(case_ids[3], "2.2/improvements", NASTY)
        store.set_answer(case_ids[4], "2.3/strengths", WELSH)
        iid = store.insert(
            "interviews",
            {
                "kind": "officer",
                "date": "2016-03-08",
                "organisation": "NPS",
                "title": f"Interview with {PLANTED_NAMES[2]}",
                "consent": True,
                "notes": "They said planning was rushed.",
            },
        )
        store.link("interview_cases", iid, case_ids[0])
        qid = store.insert(
            "quotes",
            {
                "interview_id": iid,
                "start": 0,
                "end": 10,
                "text": "Planning is rushed when caseloads are high.",
            },
        )
        store.link("quote_tags", qid, store.tag_id("2.2 Planning"))
        q2 = store.insert(
            "quotes",
            {
                "interview_id": iid,
                "start": 11,
                "end": 20,
                "text": f"I asked {PLANTED_NAMES[1]} about {OTHER_REF}.",
            },
        )
        store.link("quote_tags", q2, store.tag_id("2.1 Assessment"))
        fid = store.insert(
            "findings",
            {
                "standard_id": "2.1",
                "organisation": "NPS",
                "kind": "strength",
                "position": 1,
                "text": "Assessments drew on police information.",
            },
        )
        store.link("finding_quotes", fid, q2)
        # People on probation: one consented to be quoted, one did not.
        for consent, words in ((True, CONSENTED), (False, UNCONSENTED)):
            pid = store.insert(
                "interviews",
                {
                    "kind": "person",
                    "date": "2016-03-09",
                    "organisation": "CRC",
                    "title": "Person on probation",
                    "consent": consent,
                    "notes": words,
                },
            )
            pq = store.insert(
                "quotes", {"interview_id": pid, "start": 0, "end": len(words), "text": words}
            )
            store.link("quote_tags", pq, store.tag_id("2.2 Planning"))
            store.link("finding_quotes", fid, pq)
        store.insert(
            "findings",
            {
                "standard_id": "2.2",
                "organisation": None,
                "kind": "improvement",
                "position": 1,
                "text": NASTY,
            },
        )
        store.insert(
            "findings",
            {
                "standard_id": "2.4",
                "organisation": "CRC",
                "kind": "strength",
                "position": 1,
                "text": WELSH,
            },
        )
        # Inserted out of order: the report follows position.
        for pos, to, text in reversed(RECOMMENDATIONS):
            store.insert("recommendations", {"position": pos, "addressee": to, "text": text})
    return store


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    store = build_planted(folder / "planted.fieldwork")
    out = folder / "report.pdf"
    render(gather(store), out)
    ratings = ratings_json(score_store(store))
    form = store.reads.form()
    store.close()
    reader = PdfReader(out)
    pages = [" ".join((p.extract_text() or "").split()) for p in reader.pages]
    return {
        "reader": reader,
        "pages": pages,
        "text": " ".join(pages),
        "ratings": ratings,
        "form": form,
        "path": out,
    }


def _summary(planted) -> str:
    start = next(i for i, p in enumerate(planted["pages"]) if p.startswith("Summary of ratings"))
    end = next(i for i, p in enumerate(planted["pages"]) if p.startswith("Recommendations"))
    return " ".join(planted["pages"][start:end])


def test_every_standard_title_and_rating_is_in_the_pdf(planted):
    text = planted["text"]
    for section in planted["form"].sections:
        assert f"{section.id} {section.title}" in text
    ratings = set()
    for org in planted["ratings"]["organisations"]:
        for s in org["standards"]:
            assert s["rating"] is not None
            ratings.add(s["rating"])
        # A file made with one form rates 2.1 to 2.4: the overall needs all ten standards.
        assert org["overall"]["rating"] is None
    assert ratings
    summary = _summary(planted)
    for rating in ratings:
        assert rating in summary
    assert "Not rated" in summary and "4 of 10 standards rated" in summary


def test_summary_lists_each_organisations_ratings_separately_in_order(planted):
    summary = _summary(planted)
    orgs = planted["ratings"]["organisations"]
    at = 0
    for o in orgs:
        at = summary.index(o["name"], at)
        for i, section in enumerate(planted["form"].sections):
            row = f"{section.id} {section.title} {o['standards'][i]['rating']}"
            at = summary.index(row, at)  # in the standards' order, one table per organisation


def test_recommendations_grouped_by_addressee_and_numbered_on(planted):
    page = next(p for p in planted["pages"] if p.startswith("Recommendations"))
    # In order of each addressee's first recommendation, numbered on across the groups.
    expected = [f"{to} should:" if first else None for _, to, _, first in _grouped()]
    positions = []
    for (n, _to, text, _first), head in zip(_grouped(), expected, strict=True):
        if head:
            positions.append(page.index(head))
        positions.append(page.index(f"{n}. {text}"))
    assert positions == sorted(positions)


def _grouped():
    """RECOMMENDATIONS as the report numbers them: (number, addressee, text, first in group)."""
    groups: dict[str, list] = {}
    for _, to, text in sorted(RECOMMENDATIONS):
        groups.setdefault(to, []).append(text)
    out, n = [], 0
    for to, texts in groups.items():
        for i, text in enumerate(texts):
            n += 1
            out.append((n, to, text, i == 0))
    return out


def test_draft_marking_and_page_x_of_y_on_every_page(planted):
    pages = planted["pages"]
    n = len(pages)
    assert n >= 8
    for i, page in enumerate(pages, 1):
        assert "DRAFT" in page
        assert "OFFICIAL-SENSITIVE" in page
        assert f"Page {i} of {n}" in page


def test_no_case_reference_name_or_date_of_birth_anywhere(planted):
    text = planted["text"]
    raw = planted["path"].read_bytes()
    for secret in (PLANTED_REF, OTHER_REF, PLANTED_DOB, *PLANTED_NAMES):
        assert secret not in text
        assert secret.encode() not in raw
    assert not re.search(r"\b[A-Z]\d{6}\b", text)
    meta = planted["reader"].metadata
    for value in (meta.title, meta.author, meta.subject):
        for secret in PLANTED_NAMES:
            assert secret not in (value or "")
    # The notes that held them are still there, with the secret blanked.
    assert "knew them well" in text
    assert "[name removed]" in text


def test_markup_in_user_text_prints_literally_and_embeds_nothing(planted):
    text = planted["text"]
    assert text.count("<img src='/etc/passwd'> & <b>not bold</b>") >= 2
    reader = planted["reader"]
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        xobjects = resources.get("/XObject") or {}
        assert not any(xobjects[k].get("/Subtype") == "/Image" for k in xobjects)


def test_welsh_and_polish_text_reads_back_identical(planted):
    assert planted["text"].count(WELSH) >= 2  # the finding and the case note


def test_a_quote_without_consent_never_reaches_the_report(planted):
    text = planted["text"]
    # In the words of the method's period: the standards framework said "service user".
    assert CONSENTED in text and "a service user told us" in text
    # Neither tagged to a chapter nor cited by a finding.
    assert "stopped me reoffending" not in text


def test_quotes_are_attributed_by_role(planted):
    text = planted["text"]
    assert "Planning is rushed when caseloads are high." in text
    assert "a responsible officer told us" in text


def test_contents_page_numbers_point_at_the_chapters(planted):
    pages = planted["pages"]
    contents = next(p for p in pages if p.startswith("Contents"))
    for section in planted["form"].sections:
        title = f"{section.id} {section.title}"
        # pypdf reads each entry's leader dots and page number just before its title.
        m = re.search(r"(\d+) " + re.escape(title), contents)
        assert m, title
        assert title in pages[int(m.group(1)) - 1]


def test_outline_and_metadata(planted):
    reader = planted["reader"]

    def titles(items):
        for item in items:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield item.title

    outline = list(titles(reader.outline))
    for section in planted["form"].sections:
        assert f"{section.id} {section.title}" in outline
    assert "Recommendations" in outline
    meta = reader.metadata
    assert meta.title == "Draft findings: Test inspection"
    assert meta.author and meta.subject


def test_unicode_font_is_embedded(planted):
    fonts = set()
    for page in planted["reader"].pages:
        for f in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(f.get_object()["/BaseFont"]))
    assert any("DejaVuSans" in f for f in fonts)


def test_cancel_leaves_no_file_and_keeps_an_existing_one(tmp_path):
    store = build_planted(tmp_path / "c.fieldwork")
    data = gather(store)
    store.close()
    out = tmp_path / "out.pdf"
    out.write_bytes(b"previous report")
    calls = []

    def progress(done, total):
        calls.append((done, total))
        return done < 20

    with pytest.raises(Cancelled):
        render(data, out, progress=progress)
    assert out.read_bytes() == b"previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.fieldwork", "out.pdf"]
    assert calls[-1][0] == 20 and all(t >= d for d, t in calls)


def test_progress_reaches_the_end(tmp_path):
    store = build_planted(tmp_path / "p.fieldwork")
    data = gather(store)
    store.close()
    seen = []
    render(data, tmp_path / "p.pdf", progress=lambda d, t: seen.append((d, t)) or True)
    assert seen[-1] == (1, 1)
    assert all(0 < d <= t for d, t in seen)
    assert PdfReader(tmp_path / "p.pdf").pages


def test_demo_inspection_report_names_no_case_or_person(tmp_path):
    from fieldwork.core.demo.generator import make_demo

    store = make_demo(tmp_path / "demo.fieldwork", cases=60, interviews=12, seed=3)
    secrets = {c.ref for c in store.reads.cases()} | {
        c.officer for c in store.reads.cases() if c.officer
    }
    secrets |= {m.name for m in store.reads.members()}
    titles = [s.title for s in store.reads.form().sections]
    render(gather(store), tmp_path / "demo.pdf")
    store.close()
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(tmp_path / "demo.pdf").pages
    )
    for title in titles:
        assert title in text
    leaked = sorted(s for s in secrets if s in text)
    assert leaked == []
