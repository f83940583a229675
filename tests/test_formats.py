"""Exports (``kg build --format``): each round-trips to the Turtle graph, is deterministic,
and is read by other RDF tools (Raptor's rapper, pyoxigraph, networkx); ``kg validate`` passes
on every graph we write."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph
import pytest
from clirun import kg
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, RDF

from kg.formats import FILES, parse_formats, read_graph, write_formats
from kg.graphview import fact_key, read_graph_view
from kg.namespaces import NG

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """``kg build --format`` with every format, as a user runs it."""
    out = tmp_path_factory.mktemp("formats") / "out"
    done = kg("build", str(CORPUS), "-o", str(out), "--quiet", "--format", "ttl,nt,jsonld,trig,graphml,store")
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def turtle(built: Path) -> Graph:
    return Graph().parse(built / "graph.ttl", format="turtle")


def test_formats_build_writes_every_file(built: Path):
    assert {p.name for p in built.glob("graph.*")} == set(FILES.values()) | {"graph.html"}


@pytest.mark.parametrize("name", ["graph.nt", "graph.jsonld", "graph.trig"])
def test_formats_round_trip_to_the_turtle_graph(name: str, built: Path, turtle: Graph):
    assert isomorphic(read_graph(built / name), turtle)


def test_formats_jsonld_has_our_context(built: Path):
    import json

    data = json.loads((built / "graph.jsonld").read_text(encoding="utf-8"))
    assert data["@context"]["ng"] == "https://w3id.org/newsgraph/ontology#"
    assert data["@context"]["id"] == "https://w3id.org/newsgraph/id/"
    assert any(node.get("@type") == "ng:Country" for node in data["@graph"])


def test_formats_trig_has_one_named_graph_per_article(built: Path, turtle: Graph):
    dataset = Dataset()
    dataset.parse(built / "graph.trig", format="trig")
    articles = set(turtle.subjects(RDF.type, NG.Article))
    named = {g.identifier for g in dataset.graphs() if isinstance(g.identifier, URIRef)} - {
        dataset.default_graph.identifier
    }
    assert named == articles
    for article in articles:
        graph = dataset.graph(article)
        nodes = set(graph.subjects(RDF.type, NG.RoleAssignment)) | set(graph.subjects(RDF.type, NG.PolicyRelation))
        assert nodes and all(graph.value(n, PROV.wasDerivedFrom) == article for n in nodes)
        assert {s for s in graph.subjects()} == nodes  # nothing else in an article's graph
    default = dataset.default_graph
    assert not set(default.subjects(RDF.type, NG.RoleAssignment)) and set(default.subjects(RDF.type, NG.Country))


def test_formats_graphml_has_the_entities_and_direct_facts(built: Path, turtle: Graph):
    """Gephi's GraphML: every fact once (a mutual policy stated from both sides is one edge,
    written ``directed="false"``), ``weight`` its evidence count, role edges with the title."""
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    root = ET.parse(built / "graph.graphml").getroot()
    names = {key.get("id"): key.get("attr.name") for key in root.findall("g:key", ns)}
    graph = root.find("g:graph", ns)
    assert graph.get("edgedefault") == "directed"

    def data(element) -> dict[str, str]:
        return {names[d.get("key")]: d.text for d in element.findall("g:data", ns)}

    view = read_graph_view(turtle)
    types = {iri: e.kind for iri, e in view.entities.items()}
    nodes = {n.get("id"): data(n) for n in graph.findall("g:node", ns)}
    assert set(nodes) == set(types) and all(nodes[e]["type"] == t for e, t in types.items())
    edges = [(e.get("source"), e.get("target"), e.get("directed"), data(e)) for e in graph.findall("g:edge", ns)]
    facts = {fact_key(f): f for f in view.distinct_facts()}
    assert sorted((s, d["label"], o) for s, o, _dir, d in edges) == sorted(
        (f.subject, f.relation, f.object) for f in facts.values()
    )
    assert len(edges) == view.counts().facts
    by_ends = {(f.subject, f.relation, f.object): f for f in facts.values()}
    for source, target, directed, values in edges:
        fact = by_ends[(source, values["label"], target)]
        assert int(values["weight"]) == max(1, len(fact.evidence))
        assert (directed == "false") == fact.symmetric == (values["mutual"] == "true")
        if fact.family == "role":
            assert values["role"] == " / ".join(dict.fromkeys(e.title for e in fact.evidence))
    assert any(d == "false" for *_, d, _v in edges) and any(int(v["weight"]) > 1 for *_, v in edges)
    assert {"role", "policy", "part_of"} <= {v["family"] for *_, v in edges}


def test_formats_are_deterministic(built: Path, turtle: Graph, tmp_path: Path):
    """The graph read back from Turtle gives byte-identical files."""
    again = write_formats(turtle, tmp_path, [key for key in FILES if key != "store"])  # a store is a folder
    for key, path in again.items():
        assert path.read_bytes() == (built / FILES[key]).read_bytes(), key


@pytest.mark.skipif(shutil.which("rapper") is None, reason="rapper not installed (apt-get install raptor2-utils)")
@pytest.mark.parametrize(
    ("name", "syntax"), [("graph.ttl", "turtle"), ("graph.nt", "ntriples"), ("graph.trig", "trig")]
)
def test_formats_rapper_parses_without_warning(name: str, syntax: str, built: Path, turtle: Graph):
    done = subprocess.run(["rapper", "-i", syntax, "-c", str(built / name)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert not re.search(r"warning|error", done.stderr, re.IGNORECASE), done.stderr
    assert f"returned {len(turtle)} triples" in done.stderr


@pytest.mark.parametrize("name", ["graph.ttl", "graph.nt", "graph.jsonld", "graph.trig"])
def test_formats_pyoxigraph_loads(name: str, built: Path, turtle: Graph):
    quads = list(pyoxigraph.parse(path=str(built / name)))
    assert len(quads) == len(turtle)


@pytest.mark.parametrize("name", ["graph.ttl", "graph.nt", "graph.jsonld", "graph.trig"])
def test_formats_validate_passes_on_every_graph_we_write(name: str, built: Path):
    done = kg("validate", str(built / name))
    assert done.returncode == 0, done.stdout + done.stderr


def test_formats_validate_fails_on_a_broken_trig(built: Path, tmp_path: Path):
    text = (built / "graph.trig").read_text(encoding="utf-8")
    broken = tmp_path / "broken.trig"
    broken.write_text(re.sub(r"ng:confidence [0-9.]+", "ng:confidence 1.5", text, count=1), encoding="utf-8")
    done = kg("validate", str(broken))
    assert done.returncode == 1 and "does NOT conform" in done.stderr


def test_formats_unknown_format_is_one_line_and_exit_2(tmp_path: Path):
    done = kg("build", str(CORPUS), "-o", str(tmp_path / "out"), "--format", "ttl,rdfxml")
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "unknown output format rdfxml" in done.stderr and not (tmp_path / "out" / "graph.ttl").exists()


def test_formats_parse_formats():
    assert parse_formats("TTL, nt,ttl") == ("ttl", "nt")
