"""The draft report in the inspectorate's order, for both methods, read back with pypdf:
the contents and the outline, no rating in a quality and impact report, recommendations
grouped and numbered on, professional discretion in the methodology, no confidence
intervals."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from fieldwork.core.demo.methods import make_method_demo
from fieldwork.core.report import gather, render

QI_ORDER = [
    "Foreword",
    "Overview",
    "Recommendations",
    "Background and contextual facts",
    "Outcomes",
    "Reducing reoffending",
    "Protecting the public",
    "Abiding by the sentence",
    "Delivering quality services",
    "Work with the court",
    "Assessment and sentence planning",
    "Delivery of the sentence",
    "Reviewing",
    "Annex 1: Methodology",
    "Annex 2: Inspection results",
    "Glossary",
]
SF_ORDER = [
    "Foreword",
    "Overall findings",
    "Summary of ratings",
    "Recommendations",
    "Background and contextual facts",
    "Domain 1: Organisational delivery",
    "1.1 Leadership",
    "1.2 Staff",
    "1.3 Services",
    "1.4 Information and facilities",
    "Domain 2: Case supervision",
    "2.1 Assessment",
    "2.2 Planning",
    "2.3 Implementation and delivery",
    "2.4 Reviewing",
    "Domain 3: CRC-specific work",
    "3.1 Unpaid work",
    "3.2 Through the Gate",
    "Annex 1: Methodology",
    "Annex 2: Inspection results",
    "Glossary",
]
RATINGS = ("Outstanding", "Good", "Requires improvement", "Inadequate")


def _report(folder: Path, method: str) -> dict[str, Any]:
    store = make_method_demo(folder / f"{method}.fieldwork", method, cases=80, seed=5)
    data = gather(store)
    store.close()
    out = folder / f"{method}.pdf"
    render(data, out)
    reader = PdfReader(out)
    pages = [" ".join((p.extract_text() or "").split()) for p in reader.pages]
    return {"data": data, "reader": reader, "pages": pages, "text": " ".join(pages)}


@pytest.fixture(scope="module")
def qi(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _report(tmp_path_factory.mktemp("qi"), "quality-impact-2016")


@pytest.fixture(scope="module")
def sf(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _report(tmp_path_factory.mktemp("sf"), "standards-2018")


def _contents(report: dict[str, Any]) -> list[tuple[str, int]]:
    """The contents page(s) read back: (title, page) in the order printed. pypdf reads
    each entry's leader dots and page number just before its title."""
    pages = report["pages"]
    text = " ".join(p for p in pages if p.startswith("Contents") or " . . . " in p[:400])
    text = text.split("Contents", 1)[1]
    found = re.findall(r"(?:\. )+(\d+) (.+?)(?= \.|$| DRAFT)", text)
    return [(title.strip(), int(page)) for page, title in found]


def _outline(report: dict[str, Any]) -> list[str]:
    def titles(items: Any) -> Any:
        for item in items:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield item.title

    return [t for t in titles(report["reader"].outline) if t != "Contents"]


@pytest.mark.parametrize(("name", "order"), [("qi", QI_ORDER), ("sf", SF_ORDER)])
def test_the_contents_follow_the_inspectorates_order(
    name: str, order: list[str], request: pytest.FixtureRequest
) -> None:
    report = request.getfixturevalue(name)
    contents = _contents(report)
    assert [title for title, _ in contents] == order
    pages = report["pages"]
    numbers = [page for _, page in contents]
    assert numbers == sorted(numbers)  # and the pages run in that order
    for title, page in contents:
        assert title in pages[page - 1], title
    outline = _outline(report)
    assert [t for t in outline if t in order] == order


def test_a_quality_and_impact_report_prints_no_rating_anywhere(qi: dict[str, Any]) -> None:
    text = qi["text"]
    for word in (*RATINGS, "rating", "Rating", "points"):
        assert word not in text, word
    assert "%" in text and "NPS n" in text  # percentages with their counts instead


def test_a_quality_and_impact_report_puts_outcomes_before_practice(qi: dict[str, Any]) -> None:
    outline = _outline(qi)
    assert outline.index("Abiding by the sentence") < outline.index("Work with the court")
    # The words of the period.
    assert "service user" in qi["text"] and "responsible officer" in qi["text"]
    assert "person on probation" not in qi["text"]


def test_durham_shaped_recommendations_grouped_and_numbered_on(qi: dict[str, Any]) -> None:
    groups = qi["data"].recommendation_groups
    assert [(g.addressee, len(g.items)) for g in groups] == [
        ("The NPS and the CRC", 3),
        ("NOMS", 1),
        ("The NPS", 2),
        ("The CRC", 5),
    ]
    assert [i.number for g in groups for i in g.items] == list(range(1, 12))
    page = next(p for p in qi["pages"] if p.startswith("Recommendations"))
    heads = [page.index(f"{g.addressee} should:") for g in groups]
    assert heads == sorted(heads)
    assert (
        page.index("NOMS should:")
        < page.index("4. Make sure the CRC")
        < page.index("The NPS should:")
    )


def test_a_rated_report_has_one_organisation_with_ten_standards(sf: dict[str, Any]) -> None:
    ratings = sf["data"].ratings
    (org,) = ratings.organisations
    assert len(org.standards) == 10 and org.overall.rating in RATINGS
    summary = next(p for p in sf["pages"] if p.startswith("Summary of ratings"))
    for s in org.standards:
        assert f"{s.label}" in summary
    assert f"Overall {org.overall.rating}" in summary


def test_every_override_is_in_the_methodology_annex(sf: dict[str, Any]) -> None:
    overrides = sf["data"].methodology.overrides
    assert overrides  # the demo rates 2.4 by professional discretion
    annex = " ".join(
        p
        for p in sf["pages"][
            next(i for i, p in enumerate(sf["pages"]) if p.startswith("Annex 1")) :
        ]
    )
    for o in overrides:
        assert f"{o.organisation}, {o.standard}: rated {o.rating}; the rules give " in annex
        assert o.reason[:60] in annex


def test_results_per_key_question_and_prompt_without_confidence_intervals(
    sf: dict[str, Any], qi: dict[str, Any]
) -> None:
    for report in (sf, qi):
        annex = " ".join(
            p
            for p in report["pages"][
                next(i for i, p in enumerate(report["pages"]) if p.startswith("Annex 2")) :
            ]
        )
        text = report["text"].lower()
        assert "confidence interval" not in text and "wilson" not in text and "95% ci" not in text
        kq = report["data"].chapters[-1].key_questions[0]
        assert kq.id in annex
    assert "2.1.1a" in " ".join(sf["pages"])  # prompts are there, not only key questions


def test_judgement_rated_standards_show_the_teams_judgements(sf: dict[str, Any]) -> None:
    page = next(p for p in sf["pages"] if "1.2 Staff" in p and "Key questions" in p)
    assert "Not sufficient" in page and "evidence source" in page
    assert "Caseloads are high" in page  # the justification
