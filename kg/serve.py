"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint on 127.0.0.1, bounded and local.

Design: the HTTP side is the standard library's ``ThreadingHTTPServer`` in this process; each
query is answered by one of a few pre-started worker processes (``kg/serve_worker.py``) that
hold the graph in a read-only pyoxigraph store, loaded once into a temporary folder; given an
Oxigraph store (``kg build --format store``, see ``kg.store``), the workers open that store
read-only where it lies, with no copy, and it is never written or removed. Why not
Oxigraph's own server (``oxigraph serve-read-only``): its timeout does not stop the work (a
core stays busy) and a query past it can answer 200 with no rows; it has no result cap, no
``Host`` check and no way to refuse ``SERVICE``. A query past ``timeout`` here kills its worker
(the only way to stop pyoxigraph), a fresh one takes its place, and the client gets 503.

Guarantees: ``GET``/``POST /query`` only (updates 403); ``SERVICE`` refused (400) unless
``allow_service``; more than ``max_rows`` rows or triples → 422 "add LIMIT"; a ``Host`` header
other than ``127.0.0.1:PORT``, ``localhost:PORT`` or ``[::1]:PORT`` → 403 (DNS rebinding);
SIGINT and SIGTERM stop the server, its workers and remove the temporary folder.
"""

from __future__ import annotations

import contextlib
import errno
import pickle
import queue
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

from .errors import InputError, NewsgraphError

HOST = "127.0.0.1"
STARTUP_SECONDS = 30.0
ANSWER_GRACE = 0.25  # seconds a finished worker may take to hand over its answer


class ServeError(NewsgraphError):
    """The endpoint cannot be started (port taken, a worker does not start, ...)."""


def free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def load_database(graph: Path, location: Path) -> None:
    """Load the graph file into an on-disk pyoxigraph store (format from the extension)."""
    import pyoxigraph

    if not graph.is_file():
        raise InputError(f"graph not found: {graph} (build one with `kg build INPUT -o OUTDIR`)")
    fmt = pyoxigraph.RdfFormat.from_extension(graph.suffix.lstrip(".").lower()) or pyoxigraph.RdfFormat.TURTLE
    store = pyoxigraph.Store(str(location))
    try:
        store.bulk_load(path=str(graph), format=fmt)
        store.flush()
    except (SyntaxError, ValueError, OSError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(
            f"cannot load {graph}: {reason} (check it is Turtle, N-Triples, TriG, N-Quads or JSON-LD)"
        ) from None
    finally:
        del store


class _Worker:
    def __init__(self, location: Path, max_rows: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kg.serve_worker", str(location), str(max_rows)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        if not self.wait_readable(STARTUP_SECONDS) or self.receive() != "ready":
            self.kill()
            raise ServeError(f"a query worker did not start (exit code {self.process.returncode})")

    def wait_readable(self, seconds: float) -> bool:
        return bool(select.select([self.process.stdout], [], [], max(0.0, seconds))[0])

    def receive(self):
        try:
            return pickle.load(self.process.stdout)
        except (EOFError, OSError, pickle.UnpicklingError):
            return None

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                stream.close()


class WorkerPool:
    """Pre-started workers; a query past its deadline kills its worker and a fresh one is started."""

    def __init__(self, location: Path, size: int, max_rows: int) -> None:
        self.location, self.max_rows = location, max_rows
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.workers: set[_Worker] = set()
        self.lock = threading.Lock()
        self.closed = False
        self.restarts: queue.Queue[None] = queue.Queue()
        for _ in range(size):
            self._add()
        # one long-lived thread starts replacements (a worker must not outlive its starting thread)
        threading.Thread(target=self._restarter, daemon=True, name="kg-serve-restarter").start()

    def _add(self) -> None:
        worker = _Worker(self.location, self.max_rows)
        with self.lock:
            if self.closed:
                worker.kill()
                return
            self.workers.add(worker)
        self.idle.put(worker)

    def _restarter(self) -> None:
        while True:
            self.restarts.get()
            if self.closed:
                return
            with contextlib.suppress(ServeError):
                self._add()

    def _retire(self, worker: _Worker) -> None:
        with self.lock:
            self.workers.discard(worker)
        worker.kill()
        self.restarts.put(None)

    def run(self, text: str, prefixes: dict, formats: tuple[str, str], timeout: float) -> tuple[int, str, bytes]:
        deadline = time.monotonic() + timeout
        try:
            worker = self.idle.get(timeout=timeout)
        except queue.Empty:
            return 503, "text/plain", f"every query worker stayed busy for {timeout:g} s; try again later".encode()
        try:
            pickle.dump((text, prefixes, formats), worker.process.stdin)
            worker.process.stdin.flush()
        except OSError:
            self._retire(worker)
            return 503, "text/plain", b"the query worker had stopped; try again"
        if worker.wait_readable(deadline - time.monotonic() + ANSWER_GRACE):
            reply = worker.receive()
            if reply is not None:
                self.idle.put(worker)
                return reply
        self._retire(worker)
        return 503, "text/plain", f"query cancelled after {timeout:g} s (the --timeout of kg serve)".encode()

    def close(self) -> None:
        with self.lock:
            self.closed = True
            workers, self.workers = list(self.workers), set()
        self.restarts.put(None)
        for worker in workers:
            worker.kill()


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a hanging client does not hold up the shutdown


def _bind(port: int, handler) -> ThreadingHTTPServer:
    try:
        return _Server((HOST, port), handler)
    except OSError as exc:
        if exc.errno in (errno.EADDRINUSE, errno.EACCES):
            raise ServeError(
                f"port {port} on {HOST} is taken or not allowed ({exc.strerror}); "
                "choose another with --port, or --port 0 for any free one"
            ) from None
        raise ServeError(f"cannot listen on {HOST}:{port}: {exc.strerror} (try another --port)") from None


@contextlib.contextmanager
def endpoint(
    graph: Path,
    port: int = 0,
    timeout: float = 30.0,
    max_rows: int = 10000,
    workers: int = 2,
    allow_service: bool = False,
) -> Iterator[str]:
    """Run the endpoint for the duration of the ``with`` block; yields its query URL."""
    from .serve_http import make_handler
    from .store import find_store, open_store

    store = find_store(Path(graph))
    if store is not None:
        open_store(store)  # a damaged store fails here, in one line, not in each worker
    elif not Path(graph).is_file():
        raise InputError(f"graph not found: {graph} (build one with `kg build INPUT -o OUTDIR`)")
    settings = {"timeout": timeout, "allow_service": allow_service, "pool": None, "port": port}
    server = _bind(port, make_handler(settings))
    settings["port"] = port = server.server_address[1]
    pool, serving = None, False
    try:
        with contextlib.ExitStack() as folders:
            if store is not None:  # the workers read it where it lies, read-only: nothing is copied
                location = store
            else:
                location = Path(folders.enter_context(tempfile.TemporaryDirectory(prefix="kg-serve-"))) / "db"
                load_database(Path(graph), location)
            try:
                pool = settings["pool"] = WorkerPool(location, workers, max_rows)
                threading.Thread(target=server.serve_forever, daemon=True, name="kg-serve-http").start()
                serving = True
                url = f"http://{HOST}:{port}/query"
                _check_alive(url)
                yield url
            finally:
                if serving:
                    server.shutdown()
                if pool is not None:
                    pool.close()
    finally:
        server.server_close()


def _check_alive(url: str) -> None:
    """Ask our own endpoint a query before announcing it (and make sure it is ours that answers)."""
    request = urllib.request.Request(url + "?query=ASK%7B%7D", headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=STARTUP_SECONDS) as response:
            ours = response.headers.get("Server", "").startswith("newsgraph")
            if response.status == 200 and ours and b"boolean" in response.read():
                return
    except OSError as exc:
        raise ServeError(f"the SPARQL endpoint at {url} does not answer: {exc} (try another --port)") from None
    raise ServeError(f"another program answers at {url} (try another --port)")


class _Stop(Exception):
    """SIGTERM: leave the ``with`` block like Ctrl-C does."""


def _stop(signum, frame) -> None:
    raise _Stop()


def serve(
    graph: Path,
    port: int = 7878,
    timeout: float = 30.0,
    max_rows: int = 10000,
    allow_service: bool = False,
    announce: Callable[[str], None] = print,
) -> None:
    """Serve until SIGINT (Ctrl-C) or SIGTERM; both stop the workers and remove the temporary folder."""
    previous = signal.getsignal(signal.SIGINT), signal.signal(signal.SIGTERM, _stop)
    try:
        with endpoint(graph, port=port, timeout=timeout, max_rows=max_rows, allow_service=allow_service) as url:
            service = "SERVICE allowed" if allow_service else "no SERVICE"
            announce(
                f"SPARQL endpoint for {graph} at {url} (read-only, {timeout:g} s and {max_rows} rows per query, "
                f"{service}); Ctrl-C stops it"
            )
            try:
                while True:
                    time.sleep(3600)
            except (KeyboardInterrupt, _Stop):
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
    except (KeyboardInterrupt, _Stop):  # stopped while starting: the clean-up above has run
        pass
    finally:
        signal.signal(signal.SIGINT, previous[0])
        signal.signal(signal.SIGTERM, previous[1])
    announce("stopped")
