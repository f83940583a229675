"""``kg stats`` and ``kg path``: networkx analytics on the hand-written sample graph (exact
answers) and on the corpus graph."""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path

import clirun
import pytest
from rdflib import Graph

from kg.errors import InputError
from kg.formats import read_graph
from kg.graphview import fact_key, read_graph_view
from kg.stats import compute_stats, format_path, format_stats, shortest_path

kg = partial(clirun.kg, timeout=120)

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "sample_graph.ttl"
ID = "https://w3id.org/newsgraph/id/"


@pytest.fixture(scope="module")
def sample() -> Graph:
    return Graph().parse(SAMPLE, format="turtle")


def test_stats_counts_on_sample(sample: Graph):
    stats = compute_stats(sample)
    assert stats.types == {"Country": 3, "Organization": 1, "Person": 4}
    assert stats.qualified == {"Article": 2, "RoleAssignment": 3, "PolicyRelation": 3}
    assert stats.families == {"policy": 3, "role": 3}
    assert stats.relations[("policy", "tariff")] == 1 and stats.relations[("role", "holdsRoleIn")] == 3
    assert stats.central[0][:3] == ("Japan", "Country", 3)
    assert stats.months == {"2025-03": 1, "2025-04": 1}
    assert stats.communities == [
        ["Japan", "United States", "China", "Pete Hegseth", "Shigeru Ishiba"],
        ["Mark Rutte", "NATO"],
    ]


def test_stats_on_corpus_is_deterministic(corpus_build):
    first, second = compute_stats(corpus_build.graph), compute_stats(corpus_build.graph)
    assert format_stats(first) == format_stats(second)
    assert {c[0] for c in first.central[:3]} & {"United States", "Japan"}
    members = [m for c in first.communities for m in c]
    assert len(members) == len(set(members))  # a partition
    assert first.families["role"] > 10 and first.families["policy"] > 10


def test_path_on_sample_with_evidence(sample: Graph):
    hops = shortest_path(sample, "ishiba", "PETE HEGSETH")  # altLabel and label, any case
    assert [(h.source, h.target) for h in hops] == [
        ("Shigeru Ishiba", "Japan"),
        ("Japan", "United States"),
        ("United States", "Pete Hegseth"),
    ]
    text = format_path(sample, hops)
    assert "Shigeru Ishiba --holdsRoleIn--> Japan (Prime Minister)" in text
    assert "United States --tariff--> Japan (tariff.sectoral)" in text
    assert '"President Donald Trump\'s administration imposed a 25% tariff on cars imported from Japan."' in text


def test_path_errors(sample: Graph):
    with pytest.raises(InputError, match="no entity named 'Atlantis'"):
        read_graph_view(sample).find_entity("Atlantis")
    assert shortest_path(sample, "Mark Rutte", "Japan") is None
    assert shortest_path(sample, "Japan", "japan") == []


def test_cli_stats_and_path():
    stats = kg("stats", str(SAMPLE), "--top", "3")
    assert stats.returncode == 0 and "most central entities" in stats.stdout and "communities" in stats.stdout
    path = kg("path", str(SAMPLE), "Hegseth", "Shigeru Ishiba")
    assert path.returncode == 0 and path.stdout.startswith("3 hops: Pete Hegseth → United States → Japan")
    none = kg("path", str(SAMPLE), "Rutte", "Japan")
    assert none.returncode == 1 and "no chain of facts links" in none.stderr
    bad = kg("path", str(SAMPLE), "Nobody", "Japan")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


def test_stats_build_summary_stats_and_page_say_the_same_numbers(tmp_path):
    """One vocabulary (README, "Words and numbers"): the build summary, `kg stats` and the
    page's summary give the same line for corpus/, counted from the graph."""
    out = tmp_path / "build"
    built = kg("build", "corpus", "-o", str(out))
    assert built.returncode == 0, built.stderr
    stats = kg("stats", str(out / "graph.ttl"))
    assert stats.returncode == 0, stats.stderr
    line = stats.stdout.splitlines()[0]
    assert re.fullmatch(
        r"\d+ entities, \d+ facts \(\d+ role, \d+ policy, \d+ part of\) on \d+ links; \d+ entit(y|ies) in no fact",
        line,
    )
    assert built.stdout.startswith(f"6 articles: {line} (")
    page = (out / "graph.html").read_text(encoding="utf-8")
    assert f'<p id="summary">{line}</p>' in page
    view = read_graph_view(read_graph(out / "graph.ttl"))
    counts = view.counts()
    assert line == counts.line()
    assert counts.facts == len({fact_key(f) for f in view.entity_facts()}) == sum(counts.by_family.values())
    assert counts.facts < len(view.entity_facts())  # a mutual policy stated from both sides is one fact


def test_path_and_focus_match_a_surname_alike(corpus_build, tmp_path):
    """`kg path` and `kg viz --focus` find entities by the same rules: a surname alone works."""
    graph = str(corpus_build.outputs["turtle"])
    path = kg("path", graph, "Rutte", "Ishiba")
    assert path.returncode == 0, path.stderr
    assert re.fullmatch(r"\d+ hops?: Mark Rutte → .*Shigeru Ishiba", path.stdout.splitlines()[0])
    focus = kg("viz", graph, "-o", str(tmp_path / "rutte.html"), "--focus", "Rutte")
    assert focus.returncode == 0, focus.stderr
    assert "around Mark Rutte (up to 1 link away)" in (tmp_path / "rutte.html").read_text(encoding="utf-8")
