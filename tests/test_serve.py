"""``kg serve``: the read-only SPARQL endpoint, spoken to over loopback with urllib.

The hardening probes (timeouts that really stop the work, row cap, Host check, SERVICE,
signals, a taken port) are in ``tests/test_hardening_serve.py``."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from kg.serve import endpoint, free_port

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "sample_graph.ttl"
SELECT = (
    "SELECT ?label WHERE { ?c a <https://w3id.org/newsgraph/ontology#Country> ; rdfs:label ?label } ORDER BY ?label"
)
PREFIX = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"


def ask(url: str, query: str, accept: str = "application/sparql-results+json", timeout: float = 30) -> bytes:
    request = urllib.request.Request(url + "?" + urllib.parse.urlencode({"query": query}), headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.read()


def post_update(url: str, update: str) -> int:
    request = urllib.request.Request(
        url.replace("/query", "/update"), data=update.encode(), headers={"Content-Type": "application/sparql-update"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_serve_answers_a_query_and_refuses_updates():
    with endpoint(SAMPLE, timeout=2) as url:
        assert url.startswith("http://127.0.0.1:")
        data = json.loads(ask(url, PREFIX + SELECT))
        assert [b["label"]["value"] for b in data["results"]["bindings"]] == ["China", "Japan", "United States"]
        assert post_update(url, "INSERT DATA { <urn:a> <urn:b> <urn:c> }") == 403
        assert json.loads(ask(url, "ASK { <urn:a> <urn:b> <urn:c> }"))["boolean"] is False
        # prefixes are predeclared, CONSTRUCT gives Turtle, CSV and TSV by the Accept header
        turtle = ask(url, "CONSTRUCT WHERE { ?c a ng:Country }", accept="text/turtle").decode()
        assert "Country" in turtle and turtle.count("\n") >= 3
        assert ask(url, SELECT, accept="text/tab-separated-values").decode().splitlines()[:2] == [
            "?label",
            '"China"',
        ]
        xml = ask(url, SELECT, accept="application/sparql-results+xml").decode()
        assert "<literal>Japan</literal>" in xml
        # the query page at / posts a form with a format field; application/sparql-query bodies work too
        page = urllib.request.urlopen(url.replace("/query", "/"), timeout=30).read().decode()
        assert "<form" in page and 'name="format"' in page
        form = urllib.parse.urlencode({"query": SELECT, "format": "csv"}).encode()
        with urllib.request.urlopen(urllib.request.Request(url, data=form), timeout=30) as response:
            assert response.read().decode().split() == ["label", "China", "Japan", "United", "States"]
        direct = urllib.request.Request(url, data=SELECT.encode(), headers={"Content-Type": "application/sparql-query"})
        with urllib.request.urlopen(direct, timeout=30) as response:
            assert len(json.loads(response.read())["results"]["bindings"]) == 3


def test_cli_serve_on_a_port(tmp_path: Path):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "serve", str(SAMPLE), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
    )
    try:
        line = process.stderr.readline()
        assert f"http://127.0.0.1:{port}/query" in line and "read-only" in line
        csv = ask(f"http://127.0.0.1:{port}/query", PREFIX + SELECT, accept="text/csv").decode()
        assert csv.splitlines() == ["label", "China", "Japan", "United States"]
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert process.returncode == 0


def test_cli_serve_missing_graph(tmp_path: Path):
    done = subprocess.run(
        [sys.executable, "-m", "kg.cli", "serve", "missing.ttl"], capture_output=True, text=True, cwd=tmp_path
    )
    assert done.returncode == 2 and "graph not found: missing.ttl" in done.stderr
