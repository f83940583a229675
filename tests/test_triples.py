"""A build's graph as ``Triples``: the same triples, reads and outputs as an rdflib ``Graph``."""

from rdflib import Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

from kg.export import ntriples_bytes, turtle_bytes
from kg.graph import build_triples
from kg.graphview import read_graph_view
from kg.namespaces import NG
from kg.triples import Triples


def test_triples_answer_reads_as_rdflib_does(corpus_build):
    triples = build_triples(corpus_build.knowledge)
    graph = triples.to_graph()
    assert len(triples) == len(graph) == len(set(triples))
    assert isomorphic(graph, corpus_build.graph)
    country = next(iter(triples.subjects(RDF.type, NG.Country)))
    assert set(triples.subjects(RDF.type, NG.Country)) == set(graph.subjects(RDF.type, NG.Country))
    assert set(triples.objects(country, RDFS.label)) == set(graph.objects(country, RDFS.label))
    assert set(triples.objects(None, NG.directProperty)) == set(graph.objects(None, NG.directProperty))
    assert set(triples.subject_objects(NG.holdsRoleIn)) == set(graph.subject_objects(NG.holdsRoleIn))
    assert triples.value(country, RDFS.label) == graph.value(country, RDFS.label)
    assert triples.value(country, URIRef("urn:no-such-predicate")) is None
    assert (country, RDF.type, NG.Country) in triples


def test_outputs_and_view_from_triples_equal_those_from_the_graph(corpus_build):
    triples = build_triples(corpus_build.knowledge)
    graph = triples.to_graph()
    assert turtle_bytes(triples) == turtle_bytes(graph)
    assert ntriples_bytes(triples) == ntriples_bytes(graph)
    assert read_graph_view(triples) == read_graph_view(graph)


def test_adding_keeps_one_copy_of_each_triple_and_the_object_index_up_to_date():
    a, b, p = URIRef("urn:a"), URIRef("urn:b"), URIRef("urn:p")
    triples = Triples([(a, p, b), (a, p, b)])
    assert len(triples) == 1
    assert set(triples.subjects(p, b)) == {a}
    triples.add_subject(b, {p: {a}, RDFS.label: {Literal("B")}})
    triples.add_subject(a, {p: {b, Literal("x")}})  # a known subject: merged, not replaced
    assert len(triples) == 4
    assert set(triples.subjects(p, a)) == {b}  # the index made before the adds is made again
    assert set(triples.objects(a, p)) == {b, Literal("x")}


def test_each_predicate_is_indexed_alone_and_again_after_an_add():
    a, b, p, q = URIRef("urn:a"), URIRef("urn:b"), URIRef("urn:p"), URIRef("urn:q")
    triples = Triples([(a, p, b)])
    assert set(triples.subject_objects(q)) == set()  # a predicate with no triple: nothing
    assert set(triples.subject_objects(p)) == {(a, b)}
    triples.add((b, q, a))
    assert set(triples.subject_objects(q)) == {(b, a)}  # asked before, made again after the add
    assert set(triples.subject_objects(p)) == {(a, b)}
    assert set(triples.objects(None, q)) == {a}
