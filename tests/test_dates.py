"""Time: article dates (sidecar, HTML metadata, dateline), fact dates and role start/end from
sentences, their typed literals in the graph, and the dated_facts / roles_on_date queries."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from rdflib import Namespace

from kg.dates import find_dates, resolve, text_date
from kg.graph import entity_ref
from kg.pipeline import build
from kg.query import run_query, validate
from kg.read import parse_article, read_articles
from kg.sources import SourceFile

# a plain Namespace: pytest probing rdflib's closed XSD namespace while collecting warns
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

# A Thursday. Tuesday is April 8; "last week" fell in April; "in March" is March 2025.
DATED_ARTICLE = """Ministers meet as tariff row deepens

LONDON, England, April 10, 2025 – British Prime Minister Keir Starmer met French President Emmanuel Macron \
in London on Tuesday.

In March, the United States imposed tariffs on Canada.

China threatened Taiwan with military drills last week.

Japan imposed tariffs on China on April 2.

Russia threatens Ukraine's security, officials said.

Mark Rutte, NATO's Secretary General since October 2024, said the alliance was united.

Olaf Scholz, who was Chancellor of Germany from 2021 until May 2025, did not attend.
"""

HTML_WITH_METADATA = """<!DOCTYPE html>
<html><head><title>Talks resume</title>
<meta property="article:published_time" content="2025-03-12T08:30:00Z">
</head><body><article><h1>Talks resume in Geneva</h1>
<p>Negotiators from both sides returned to the table in Geneva to discuss the ceasefire terms.</p>
<p>Officials said the talks could last several days before any statement is issued.</p>
</article></body></html>
"""

UNDATED = """Talks resume in Geneva

Negotiators from both sides returned to the table in Geneva to discuss the ceasefire terms.
"""


# --- article dates ----------------------------------------------------------------------------


def test_dates_article_date_from_html_metadata():
    article, _ = parse_article("talks.html", HTML_WITH_METADATA.encode("utf-8"))
    assert article.published == "2025-03-12"


@pytest.mark.parametrize(
    "line, expected",
    [
        ("TURNBERRY, Scotland, July 28, 2025 – President Trump said the deal was done.", "2025-07-28"),
        ("WASHINGTON (Reuters) 3 April 2025 - Officials said the deal was done.", "2025-04-03"),
        ("WASHINGTON (Reuters) - Officials said on April 3, 2025 that the deal was done.", None),
        ("TOKYO, 3 April 2025 – Officials said the deal was done.", "2025-04-03"),
        ("Published 12 March 2025", "2025-03-12"),
        ("By Asia Desk staff | July 23, 2025", "2025-07-23"),
        ("Updated: Monday, March 3, 2025", "2025-03-03"),
        ("The deal was agreed on July 3, 2025 after long talks between the two delegations.", None),
    ],
)
def test_dates_article_date_from_dateline_or_date_line(line: str, expected: str | None):
    assert text_date(["Headline of the story", line, "More text follows here."]) == expected


def test_dates_file_with_neither_has_no_date_whatever_its_mtime(tmp_path: Path):
    path = tmp_path / "undated.txt"
    path.write_text(UNDATED, encoding="utf-8")
    os.utime(path, (1_700_000_000, 1_700_000_000))
    (article,), notices = read_articles([SourceFile(path, "undated.txt")])
    assert article.published is None and not notices
    undated_html = HTML_WITH_METADATA.replace(
        '<meta property="article:published_time" content="2025-03-12T08:30:00Z">', ""
    )
    html, _ = parse_article("x.html", undated_html.encode())
    assert html.published is None


def test_dates_sidecar_dates_plain_text_and_a_bad_one_is_a_warning(tmp_path: Path):
    path = tmp_path / "story.txt"
    path.write_text(UNDATED, encoding="utf-8")
    (tmp_path / "story.meta.json").write_text(json.dumps({"published": "2025-03-30"}), encoding="utf-8")
    (article,), notices = read_articles([SourceFile(path, "story.txt")])
    assert article.published == "2025-03-30" and not notices
    (tmp_path / "story.meta.json").write_text(json.dumps({"published": "last spring"}), encoding="utf-8")
    (article,), notices = read_articles([SourceFile(path, "story.txt")])
    assert article.published is None
    assert [n.skipped for n in notices] == [False] and "story.meta.json" in notices[0].reason


def test_dates_markdown_front_matter_dates_the_article_and_is_not_text():
    text = "---\ntitle: Talks resume\ndate: 2025-03-12T09:00:00Z\n---\n" + UNDATED
    article, _ = parse_article("talks.md", text.encode("utf-8"))
    assert article.published == "2025-03-12"
    assert article.title == "Talks resume in Geneva" and "title:" not in article.text


# --- normalising expressions ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, past, expected",
    [
        ("on Saturday", True, "2025-03-29"),
        ("on Sunday", True, "2025-03-30"),  # the article's own day
        ("on Tuesday", False, "2025-04-01"),  # future tense: forwards
        ("last Sunday", True, "2025-03-23"),
        ("last week", True, "2025-03"),
        ("this month", True, "2025-03"),
        ("last year", True, "2024"),
        ("in October", True, "2024-10"),  # past tense, a later month: last year's
        ("in July", False, "2025-07"),  # "an election in July": ahead
        ("on April 2", True, "2024-04-02"),
        ("on March 12", True, "2025-03-12"),
        ("July 28, 2025", True, "2025-07-28"),
        ("12 March 2025", True, "2025-03-12"),
        ("in March of 2024", True, "2024-03"),
        ("in 2022", True, "2022"),
        ("two months ago", True, "2025-01"),
    ],
)
def test_dates_expressions_resolve_against_the_article_date(text: str, past: bool, expected: str):
    anchor = "2025-03-30"  # a Sunday
    (found,) = [m for m in find_dates(text, anchor)]
    assert resolve(found.kind, found.text, anchor, past) == expected


def test_dates_no_date_without_anchor_or_expression():
    assert find_dates("on Saturday", None) == []
    assert find_dates("Japan may raise spending to 2 percent, worth $2025 million, 80 years on.", "2025-03-30") == []
    assert [m.value for m in find_dates("talks on Saturday and in 2022", None)] == ["2022"]
    assert [m.value for m in find_dates("its pre-2014 borders, restored by mid-2025", None)] == ["2025"]


# --- fact dates, end to end -------------------------------------------------------------------


@pytest.fixture(scope="module")
def dated_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dated")
    (folder / "dated.txt").write_text(DATED_ARTICLE, encoding="utf-8")
    return build([folder], folder / "out", workers=1)


def test_dates_dated_facts_query_returns_the_sentences_dates(dated_build):
    _vars, rows = run_query(dated_build.graph, "dated_facts")
    label = {str(entity_ref(e.key)): e.label for e in dated_build.knowledge.entities}
    dated = {(label[str(s)], str(r), label[str(o)]): (str(d), d.datatype) for s, r, o, d, _doc in rows}
    assert dated[("United States", "tariff", "Canada")] == ("2025-03", XSD.gYearMonth)
    assert dated[("China", "security_threat", "Taiwan")] == ("2025-04", XSD.gYearMonth)  # last week
    assert dated[("Japan", "tariff", "China")] == ("2025-04-02", XSD.date)  # explicit day
    assert dated[("Keir Starmer", "Prime Minister", "United Kingdom")] == ("2025-04-08", XSD.date)  # on Tuesday
    assert ("Russia", "security_threat", "Ukraine") not in dated  # the sentence gives no date
    assert all(d != "2025-04-10" for d, _t in dated.values())  # the dateline dates the article only
    assert dated_build.knowledge.articles[0].published == "2025-04-10"


def test_dates_deadlines_and_range_ends_date_nothing(analyse):
    extraction = analyse(
        "Japan imposed tariffs on China to curb steel imports by 2027.\n"
        "Japan imposed tariffs on Korea for a period running to 29 July 2025."
    )
    assert extraction.policies and all(c.provenance.date is None for c in extraction.policies)


def test_dates_a_year_naming_another_event_dates_nothing(analyse):
    """ "the 1998 floods" dates the floods, not the talks; "the 2022 invasion of Ukraine" dates the
    invasion, whose noun leads to a party (an invented sentence of each kind)."""
    extraction = analyse(
        "Past strains include the 1998 Danube floods, and Austria held talks with Hungary.\n"
        "Canada condemned the 2022 invasion of Ukraine by Russia."
    )
    dates = {(c.actor.name, c.target.name): c.provenance.date for c in extraction.policies}
    assert dates.get(("Austria", "Hungary"), "missing") is None
    assert dates.get(("Russia", "Ukraine")) == "2022"


def test_dates_role_start_and_end_and_roles_on_date(dated_build):
    query = "roles_on_date"
    _vars, rows = run_query(dated_build.graph, query)  # the placeholder date: 2025-03-30
    held = {(str(r[1]), str(r[2]), str(r[6] or ""), str(r[7] or "")) for r in rows}
    assert ("Mark Rutte", "Secretary General", "2024-10", "") in held
    assert ("Olaf Scholz", "Chancellor", "2021", "2025-05") in held
    assert not any(r[1] == "Keir Starmer" for r in held)  # seen on 2025-04-08 only
    text = (Path(__file__).parents[1] / "ontology" / "queries" / "roles_on_date.rq").read_text(encoding="utf-8")
    _vars, rows = run_query(dated_build.graph, text.replace('{ "2025-03-30" }', '{ "2025-06-01" }'))
    assert {str(r[1]) for r in rows} == {"Mark Rutte"}  # Scholz's role ended in May


def test_dates_graph_conforms_and_uses_standard_terms(dated_build):
    conforms, _report = validate(dated_build.graph)
    assert conforms, _report
    turtle = dated_build.outputs["turtle"].read_text(encoding="utf-8")
    assert 'dcterms:issued "2025-04-10"^^xsd:date' in turtle
    assert 'schema:startDate "2024-10"^^xsd:gYearMonth' in turtle
    assert 'schema:endDate "2025-05"^^xsd:gYearMonth' in turtle


def test_dates_cached_extraction_is_dated_again_when_the_sidecar_changes(tmp_path: Path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(DATED_ARTICLE.replace("LONDON, England, April 10, 2025 – ", ""), "utf-8")
    first = build([tmp_path / "in"], tmp_path / "out", workers=1)
    assert first.knowledge.articles[0].published is None
    canada = [f for f in first.knowledge.policies if f.policy == "tariff" and "canada" in f.target.lower()]
    assert canada and canada[0].provenance.date is None  # "in March" of no known year
    (tmp_path / "in" / "a.meta.json").write_text('{"published": "2025-04-10"}', encoding="utf-8")
    second = build([tmp_path / "in"], tmp_path / "out", workers=1)
    assert second.parsed == 1 and second.knowledge.articles[0].published == "2025-04-10"
    canada = [f for f in second.knowledge.policies if f.policy == "tariff" and "canada" in f.target.lower()]
    assert canada and canada[0].provenance.date == "2025-03"
