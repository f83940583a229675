"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint on 127.0.0.1.

No HTTP code of ours: the graph is loaded into a temporary Oxigraph database with the
``oxigraph`` command (the Oxigraph server, shipped on PyPI as the ``oxigraph`` package) and
served by ``oxigraph serve-read-only``, which refuses updates (HTTP 403) and cancels a query
after ``--timeout-s`` seconds. Queries go to ``/query`` (GET or POST), with the usual
SPARQL results formats chosen by the ``Accept`` header; the default graph is the union of
the named graphs (for a TriG file).

Oxigraph has no cap on the number of results: the timeout is what bounds a query.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from .errors import InputError, NewsgraphError

HOST = "127.0.0.1"
STARTUP_SECONDS = 20.0


class ServeError(NewsgraphError):
    """The endpoint cannot be started (no oxigraph command, port taken, ...)."""


def oxigraph_command() -> str:
    """The ``oxigraph`` server binary: next to this Python (the venv), else on PATH."""
    here = Path(sys.executable).parent
    found = shutil.which("oxigraph", path=os.pathsep.join([str(here), os.environ.get("PATH", "")]))
    if found is None:
        raise ServeError("the oxigraph server is not installed (pip install oxigraph, or reinstall newsgraph)")
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def load_database(graph: Path, location: Path) -> None:
    """Load the graph file into an Oxigraph database folder (format from the extension)."""
    if not graph.exists():
        raise InputError(f"graph not found: {graph} (build one with `kg build INPUT -o OUTDIR`)")
    done = subprocess.run(
        [oxigraph_command(), "load", "--location", str(location), "--file", str(graph)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        reason = next((line for line in done.stderr.splitlines() if line.strip()), "unknown error")
        raise InputError(
            f"cannot load {graph} into Oxigraph: {reason.strip()} (check it is Turtle, N-Triples, TriG or JSON-LD)"
        )


@contextlib.contextmanager
def endpoint(graph: Path, port: int = 0, timeout: float = 30.0) -> Iterator[str]:
    """Run the endpoint for the duration of the ``with`` block; yields its query URL."""
    with tempfile.TemporaryDirectory(prefix="kg-serve-") as tmp:
        location = Path(tmp) / "db"
        load_database(graph, location)
        port = port or free_port()
        process = subprocess.Popen(
            [
                oxigraph_command(),
                "serve-read-only",
                "--location",
                str(location),
                "--bind",
                f"{HOST}:{port}",
                "--timeout-s",
                str(max(1, round(timeout))),
                "--union-default-graph",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            _wait_until_listening(process, port)
            yield f"http://{HOST}:{port}/query"
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_listening(process: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            err = (process.stderr.read() if process.stderr else "").strip().splitlines()
            reason = err[-1] if err else f"exit code {process.returncode}"
            raise ServeError(f"the SPARQL server did not start on port {port}: {reason} (try another --port)")
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.settimeout(0.2)
            if s.connect_ex((HOST, port)) == 0:
                return
        time.sleep(0.05)
    raise ServeError(f"the SPARQL server did not answer on port {port} within {STARTUP_SECONDS:.0f} s")


def serve(graph: Path, port: int = 7878, timeout: float = 30.0, announce: Callable[[str], None] = print) -> None:
    """Serve until interrupted (Ctrl-C)."""
    with endpoint(graph, port=port, timeout=timeout) as url:
        announce(
            f"SPARQL endpoint for {graph} at {url} (read-only, {max(1, round(timeout))} s per query); Ctrl-C stops it"
        )
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            announce("stopped")
