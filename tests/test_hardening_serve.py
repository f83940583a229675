"""Issue 12, serve side: each probe of ``kg serve`` as a test, with a real server on 127.0.0.1,
real HTTP requests (urllib), real signals and a local stand-in for a remote SPARQL endpoint."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import alive, children, proc_stat
from fake_remote import remote_endpoint

from kg.serve import endpoint, free_port

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "sample_graph.ttl"
CROSS = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
COUNTRIES = "SELECT ?l WHERE { ?c a ng:Country ; rdfs:label ?l } ORDER BY ?l"


def request(url: str, query: str, host: str | None = None, accept: str = "text/csv") -> tuple[int, str]:
    headers = {"Accept": accept} | ({"Host": host} if host else {})
    req = urllib.request.Request(url + "?" + urllib.parse.urlencode({"query": query}), headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def cpu_seconds(pids: list[int]) -> float:
    ticks = sum(int(fields[11]) + int(fields[12]) for pid in pids if (fields := proc_stat(pid)))  # utime + stime
    return ticks / os.sysconf("SC_CLK_TCK")


def test_serve_refuses_service_and_foreign_hosts():
    with remote_endpoint() as remote, endpoint(SAMPLE, timeout=5) as url:
        port = urllib.parse.urlsplit(url).port
        status, body = request(url, f"SELECT * {{ SERVICE <{remote.url}/sparql> {{ ?s ?p ?o }} }}")
        assert status == 400 and "SERVICE" in body and "--allow-service" in body
        assert remote.requests == []
        # DNS rebinding: a page of evil.example resolving to 127.0.0.1 sends its own Host header
        assert request(url, "ASK {}", host=f"evil.example:{port}")[0] == 403
        assert request(url, "ASK {}", host="127.0.0.1")[0] == 403
        for host in (f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}"):
            assert request(url, "ASK {}", host=host) == (200, "true"), host


def test_serve_allow_service_reaches_the_remote():
    with remote_endpoint() as remote, endpoint(SAMPLE, timeout=5, allow_service=True) as url:
        status, body = request(url, f"SELECT ?x {{ SERVICE <{remote.url}/sparql> {{ ?x ?p ?o }} }}")
        assert status == 200 and body.split() == ["x", "REMOTE"] and remote.requests


def test_serve_timeout_stops_the_work_and_is_an_error():
    with endpoint(SAMPLE, timeout=1) as url:
        for query in (CROSS, CROSS.replace("(COUNT(*) AS ?n)", "*") + " LIMIT 1 OFFSET 100000000"):
            started = time.monotonic()
            status, body = request(url, query)
            assert status == 503 and "cancelled after 1 s" in body, (status, body)
            assert time.monotonic() - started < 4
        # no core keeps working on the cancelled queries
        time.sleep(0.5)
        workers = children(os.getpid())
        before = cpu_seconds(workers)
        time.sleep(1.0)
        assert cpu_seconds(workers) - before < 0.3
        # and the endpoint still answers, with fresh workers
        assert request(url, COUNTRIES) == (200, "l\r\nChina\r\nJapan\r\nUnited States\r\n")


def test_serve_caps_the_rows():
    with endpoint(SAMPLE, timeout=5, max_rows=2) as url:
        status, body = request(url, COUNTRIES)
        assert status == 422 and "LIMIT" in body and "2" in body
        assert request(url, COUNTRIES + " LIMIT 2") == (200, "l\r\nChina\r\nJapan\r\n")
        status, body = request(url, "CONSTRUCT WHERE { ?c a ng:Country }", accept="text/turtle")
        assert status == 422 and "triples" in body


def start_cli(*args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "serve", str(SAMPLE), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_serve_signal_stops_everything(signum: int, tmp_path: Path):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    port = free_port()
    process = start_cli("--port", str(port), env=os.environ | {"TMPDIR": str(tmp)})
    try:
        assert f"http://127.0.0.1:{port}/query" in process.stderr.readline()
        workers = children(process.pid)
        assert workers and list(tmp.iterdir())
        process.send_signal(signum)
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert "stopped" in process.stderr.read() and list(tmp.iterdir()) == []
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in workers)
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0  # nothing serves any more


@pytest.mark.parametrize("address", ["127.0.0.1", "0.0.0.0"])
def test_serve_on_a_taken_port_is_a_one_line_error(address: str):
    with socket.socket() as taken:
        taken.bind((address, 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = start_cli("--port", str(port))
        try:
            _out, err = process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    assert process.returncode == 2 and err.count("\n") == 1, err
    assert f"port {port}" in err and "--port" in err and "Traceback" not in err
