"""The Oxigraph store output (``kg build --format store``, ``kg.store``): it holds the graph of
graph.ttl, ``kg query``, ``kg serve`` and ``kg stats`` read it where it lies, and the build keeps it
in step (rebuilt when removed, refreshed by ``kg add``, removed when no longer asked for)."""

from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.parse
import urllib.request
from functools import partial
from pathlib import Path

import clirun
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.formats import read_graph
from kg.serve import endpoint
from kg.store import STORE, folder_stamp, is_store

kg = partial(clirun.kg, timeout=240)
ok = partial(clirun.ok, timeout=240)

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """``kg build corpus --format ttl,store``, as a user runs it."""
    out = tmp_path_factory.mktemp("store") / "out"
    ok("build", str(CORPUS), "-o", str(out), "--quiet", "--format", "ttl,store")
    return out


def store_triples(store: Path) -> int:
    import pyoxigraph

    return len(pyoxigraph.Store.read_only(str(store)))


def test_store_holds_exactly_the_turtle_graph(built: Path):
    store = built / STORE
    assert is_store(store)
    turtle = Graph().parse(built / "graph.ttl", format="turtle")
    assert store_triples(store) == len(turtle) > 1000
    assert isomorphic(read_graph(store), turtle)


def test_store_query_gives_the_rows_of_the_turtle(built: Path):
    """A bundled query by name, as CSV: the store, the build folder and graph.ttl give the same rows."""
    from_ttl = ok("query", str(built / "graph.ttl"), "person_role_org", "--format", "csv")
    assert from_ttl.count("\n") > 20
    assert ok("query", str(built / STORE), "person_role_org", "--format", "csv") == from_ttl
    assert ok("query", str(built), "person_role_org", "--format", "csv") == from_ttl
    refused = kg("query", str(built / STORE), "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert refused.returncode == 2 and "SERVICE" in refused.stderr and "Traceback" not in refused.stderr


def test_store_stats_reads_the_store(built: Path):
    assert ok("stats", str(built / STORE), "--top", "3") == ok("stats", str(built / "graph.ttl"), "--top", "3")


def test_store_damaged_is_one_line(tmp_path: Path):
    damaged = tmp_path / STORE
    damaged.mkdir()
    (damaged / "CURRENT").write_text("junk\n")
    for command in (["query", str(damaged), "person_role_org"], ["serve", str(damaged), "--port", "0"]):
        done = kg(*command, timeout=60)
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
        assert done.stderr.startswith(f"kg: error: cannot open the Oxigraph store {damaged}: "), done.stderr


def ask(url: str, query: str) -> tuple[int, bytes]:
    request = urllib.request.Request(
        url + "?" + urllib.parse.urlencode({"query": query}), headers={"Accept": "application/sparql-results+json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_store_serve_answers_from_the_store_and_leaves_it_untouched(built: Path):
    store = built / STORE
    before = folder_stamp(store)
    with endpoint(store, timeout=10, max_rows=50) as url:
        status, body = ask(url, COUNT)
        assert status == 200
        assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == store_triples(store)
        assert ask(url, "SELECT * WHERE { ?s ?p ?o }")[0] == 422  # the rows cap holds
    assert folder_stamp(store) == before


def test_store_follows_the_build(tmp_path: Path):
    """Unchanged rebuild: nothing done; store removed: rebuilt; kg add: refreshed; --format ttl: removed."""
    out = tmp_path / "out"
    first = [CORPUS / name for name in sorted(p.name for p in CORPUS.glob("*.txt"))[:3]]
    later = sorted(set(CORPUS.glob("*.txt")) - set(first))[0]
    ok("build", *map(str, first), "-o", str(out), "--format", "ttl,store", "-q")
    assert "nothing changed" in ok("build", *map(str, first), "-o", str(out), "--format", "ttl,store")
    shutil.rmtree(out / STORE)
    assert "nothing changed" not in ok("build", *map(str, first), "-o", str(out), "--format", "ttl,store")
    before = store_triples(out / STORE)
    assert before == len(Graph().parse(out / "graph.ttl"))
    ok("add", str(out), str(later), "-q")
    assert store_triples(out / STORE) == len(Graph().parse(out / "graph.ttl")) > before
    ok("build", *map(str, first), str(later), "-o", str(out), "--format", "ttl", "-q")
    assert not (out / STORE).exists() and (out / "graph.ttl").is_file()
    assert not list(out.glob(".staging-*"))


def test_store_filled_by_a_cluster_build(tmp_path: Path, built: Path):
    pytest.importorskip("distributed", reason="Dask is not installed (pip install 'newsgraph[cluster]')")
    out = tmp_path / "out"
    ok("build", str(CORPUS), "-o", str(out), "--scheduler", "local:2", "--format", "ttl,store", "-q")
    assert (out / "graph.ttl").read_bytes() == (built / "graph.ttl").read_bytes()
    assert store_triples(out / STORE) == store_triples(built / STORE)
