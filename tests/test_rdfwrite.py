"""Our Turtle and N-Triples writer (``kg.rdfwrite``): every kind of term round-trips through
rdflib, pyoxigraph and Raptor's rapper, and the bytes depend only on the graph."""

from __future__ import annotations

import random
import shutil
import subprocess

import pyoxigraph
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS, XSD

from kg.export import ntriples_bytes, turtle_bytes
from kg.namespaces import ID, NG, PREFIXES

HOSTILE = 'He said "no" \\ then \'"""\' <b>\n\r\t\x07\x1b\x7f\u202eevil\u2028 😀'


def sample() -> list[tuple]:
    person = URIRef(ID + "person/jos%C3%A9-n%C3%BA%C3%B1ez")
    odd = URIRef("http://example.org/a?b=c&d=%20")
    return [
        (person, RDF.type, NG.Person),
        (person, RDFS.label, Literal(HOSTILE)),
        (person, RDFS.label, Literal("José", lang="es")),
        (person, NG.startOffset, Literal(12, datatype=XSD.integer)),
        (person, NG.confidence, Literal("0.75", datatype=XSD.decimal)),
        (person, NG.endOffset, Literal("007", datatype=XSD.integer)),
        (person, NG.evidence, Literal("true", datatype=XSD.boolean)),
        (person, NG.roleLabel, Literal("x", datatype=URIRef("http://example.org/dt#custom"))),
        (odd, URIRef("http://example.org/p.q"), URIRef(PREFIXES["ng"] + "has.dot")),
        (NG.former, RDF.type, NG.RoleStatus),
        (URIRef("http://example.org/1st"), RDF.type, RDFS.Class),
    ]


def graph_of(triples: list[tuple]) -> Graph:
    g = Graph()
    for t in triples:
        g.add(t)
    return g


def test_rdfwrite_turtle_and_ntriples_round_trip_every_term():
    g = graph_of(sample())
    for data, fmt, ox in ((turtle_bytes(g), "turtle", pyoxigraph.RdfFormat.TURTLE), (ntriples_bytes(g), "nt", None)):
        assert isomorphic(Graph().parse(data=data, format=fmt), g), fmt
        store = pyoxigraph.Store()
        store.load(data, format=ox or pyoxigraph.RdfFormat.N_TRIPLES)
        assert len(store) == len(g)
    text = turtle_bytes(g).decode("utf-8")
    assert "ng:startOffset 12 ;" in text and "ng:confidence 0.75 ;" in text
    assert '"José"@es' in text and "\\u0007" in text and "\\n" in text


def test_rdfwrite_writes_a_literal_bare_only_in_turtles_own_shape():
    g = graph_of([(NG.former, NG.confidence, Literal("12.", datatype=XSD.decimal, normalize=False))])
    assert '"12."^^xsd:decimal' in turtle_bytes(g).decode("utf-8")
    store = pyoxigraph.Store()
    store.load(turtle_bytes(g), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == 1


def test_rdfwrite_bytes_do_not_depend_on_insertion_order_or_store():
    triples = sample()
    expected_ttl, expected_nt = turtle_bytes(graph_of(triples)), ntriples_bytes(graph_of(triples))
    for seed in range(5):
        random.Random(seed).shuffle(triples)
        assert turtle_bytes(graph_of(triples)) == expected_ttl
        assert ntriples_bytes(graph_of(triples)) == expected_nt
    dataset = Dataset()
    named = dataset.graph(URIRef("http://example.org/g"))
    for t in triples:
        named.add(t)
    dataset.add((URIRef("http://example.org/other"), RDF.type, RDFS.Class))  # another graph of the store
    assert turtle_bytes(named) == expected_ttl
    lines = expected_nt.decode("utf-8").split("\n")[:-1]  # not splitlines: U+2028 is in a literal
    assert lines == sorted(lines) and len(lines) == len(triples)


def test_rdfwrite_turtle_puts_a_first_then_sorted_predicates():
    text = turtle_bytes(graph_of(sample())).decode("utf-8")
    block = text[text.index("<https://w3id.org/newsgraph/id/person/") :].split("\n.\n")[0].splitlines()
    assert block[1].startswith("    a ng:Person")
    verbs = [line.split()[0] for line in block[2:] if line.startswith("    ") and not line.startswith("        ")]
    assert verbs == sorted(verbs)


@pytest.mark.skipif(shutil.which("rapper") is None, reason="Raptor's rapper is not installed")
def test_rdfwrite_turtle_is_read_by_rapper(tmp_path):
    path = tmp_path / "g.ttl"
    path.write_bytes(turtle_bytes(graph_of(sample())))
    done = subprocess.run(["rapper", "-i", "turtle", "-c", str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and f"returned {len(sample())} triples" in done.stderr, done.stderr


def test_terms_remembered_by_id_are_bounded_and_change_nothing(monkeypatch) -> None:
    """A graph with one object per use of a term (as read from a file): past the bound no more
    objects are kept by id, and the Turtle is the same as with every object remembered."""
    from kg import rdfwrite
    from kg.triples import Triples

    triples = Triples((URIRef(ID + f"article/{i % 7}"), NG.evidence, Literal(f"text {i}")) for i in range(300))
    whole = rdfwrite.turtle(triples)
    monkeypatch.setattr(rdfwrite, "_IDS_MAX", 10)
    terms = rdfwrite._Terms(short=True)
    for s, p, o in triples:
        for term in (s, p, URIRef(str(o)), o):  # a new object for each use
            terms(term)
    assert len(terms.by_id) == 10
    assert rdfwrite.turtle(triples) == whole


def test_ntriples_lines_are_sorted_as_bytes_across_subjects() -> None:
    """Lines are sorted per subject and then by subject: the file must still be a sort of all
    lines, also where one subject's text is the start of another's."""
    from rdflib import BNode

    subjects = [URIRef(f"http://x.org/{tail}") for tail in ("a", "a/b", "ab", "a-", "é", "z", "A")]
    subjects += [BNode("b1"), BNode("b12"), BNode("b1_")]
    triples = [
        (s, p, o)
        for s in subjects
        for p in (RDFS.label, RDF.type, URIRef("http://x.org/a"))
        for o in (Literal("é"), Literal("e"), URIRef("http://x.org/ab"), Literal(3))
    ]
    random.Random(7).shuffle(triples)
    lines = ntriples_bytes(graph_of(triples)).splitlines(keepends=True)
    assert len(lines) == len(triples)
    assert lines == sorted(lines)
