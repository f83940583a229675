"""Issue 12, query side: ``kg query`` never sends anything over the network unless asked.

A local HTTP server stands in for the remote endpoint and records every request it gets.
"""

from __future__ import annotations

import subprocess
from functools import partial
from pathlib import Path

import clirun
import pytest
from fake_remote import remote_endpoint
from rdflib import Graph

from kg.errors import QueryError
from kg.query import execute
from kg.sparql_guard import uses_service

kg = partial(clirun.kg, timeout=60)

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "sample_graph.ttl"
STORES = ["oxigraph", "rdflib"]


@pytest.fixture
def remote():
    with remote_endpoint() as server:
        yield server


def one_line_error(done: subprocess.CompletedProcess) -> bool:
    return done.returncode == 2 and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


@pytest.mark.parametrize("store", STORES)
def test_query_refuses_service_and_nothing_reaches_the_remote(store: str, remote):
    query = f"SELECT ?x WHERE {{ SERVICE <{remote.url}/sparql> {{ ?x ?p ?o }} }}"
    done = kg("query", str(SAMPLE), query, "--store", store)
    assert one_line_error(done), done.stderr
    assert "SERVICE" in done.stderr and "--allow-service" in done.stderr
    assert remote.requests == []


@pytest.mark.parametrize("store", STORES)
def test_query_allow_service_reaches_the_remote(store: str, remote):
    query = f"SELECT ?x WHERE {{ SERVICE <{remote.url}/sparql> {{ ?x ?p ?o }} }}"
    done = kg("query", str(SAMPLE), query, "--store", store, "--allow-service", "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["x", "REMOTE"] and remote.requests


@pytest.mark.parametrize("store", STORES)
def test_query_allowed_service_on_a_refused_port_is_one_line(store: str):
    from kg.serve import free_port

    query = f"SELECT ?x WHERE {{ SERVICE <http://127.0.0.1:{free_port()}/sparql> {{ ?x ?p ?o }} }}"
    done = kg("query", str(SAMPLE), query, "--store", store, "--allow-service")
    assert one_line_error(done), done.stderr
    assert "cannot run query" in done.stderr


def test_query_rdflib_refuses_a_remote_from(remote):
    query = f"SELECT ?s FROM <{remote.url}/graph.ttl> WHERE {{ ?s ?p ?o }}"
    done = kg("query", str(SAMPLE), query, "--store", "rdflib")
    assert one_line_error(done), done.stderr
    assert "FROM" in done.stderr and "--allow-service" in done.stderr
    # pyoxigraph reads FROM graphs from the store: no request either, and no rows
    done = kg("query", str(SAMPLE), query, "--format", "csv")
    assert done.returncode == 0 and done.stdout.split() == ["s"]
    assert remote.requests == []


def test_query_rdflib_from_a_graph_of_the_file_still_works(tmp_path: Path):
    trig = tmp_path / "g.trig"
    trig.write_text("<urn:g1> { <urn:a> <urn:b> <urn:c> . }\n<urn:g2> { <urn:d> <urn:e> <urn:f> . }\n")
    done = kg("query", str(trig), "SELECT ?s FROM <urn:g2> WHERE { ?s ?p ?o }", "--store", "rdflib", "--format", "csv")
    assert done.returncode == 0 and done.stdout.split() == ["s", "urn:d"], done.stderr


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * { SERVICE <http://x/> { ?s ?p ?o } }",
        "select * {\n  service\n<http://x/> { ?s ?p ?o } }",
        "SELECT * { SERVICE SILENT ?endpoint { ?s ?p ?o } }",
        "SELECT * { ?a ?b ?c .SERVICE<http://x/>{ ?s ?p ?o } }",
        "SELECT * { ser\\u0076ice <http://x/> { ?s ?p ?o } }",  # escapes are decoded before parsing
        'SELECT * { BIND("#" AS ?h) SERVICE <http://x/> { ?s ?p ?o } }',  # a '#' in a string is no comment
    ],
)
def test_service_is_found_as_a_keyword(text: str):
    assert uses_service(text)
    with pytest.raises(QueryError, match="SERVICE"):
        execute(Graph(), text)


@pytest.mark.parametrize(
    "text",
    [
        'SELECT ("SERVICE <http://x/>" AS ?v) {}',
        "SELECT ?service { ?service a <http://example.org/SERVICE> }",
        "PREFIX service: <urn:x:> SELECT * { ?s service:SERVICE ?o }",
        "SELECT * { ?s ?p '''multi\nSERVICE <http://x/> { }\n''' }",
        "SELECT * { ?s ?p ?o } # SERVICE <http://x/> { }",
    ],
)
def test_service_in_strings_iris_names_and_comments_is_no_keyword(text: str):
    assert not uses_service(text)
    execute(Graph(), text)  # runs, nothing refused
