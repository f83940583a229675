"""A local HTTP server standing in for a remote SPARQL endpoint or a remote graph file.

It records every request, so a test can prove that no query of ours reached it.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROW = {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "REMOTE"}}]}}
TURTLE = b"<urn:remote:s> <urn:remote:p> <urn:remote:o> .\n"


class Remote:
    def __init__(self, server: ThreadingHTTPServer) -> None:
        self.server = server
        self.requests: list[str] = []
        self.url = f"http://127.0.0.1:{server.server_address[1]}"


@contextlib.contextmanager
def remote_endpoint() -> Iterator[Remote]:
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            graph = self.path.endswith(".ttl")
            body = TURTLE if graph else json.dumps(ROW).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/turtle" if graph else "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_GET

        def log_message(self, *args) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    remote = Remote(server)
    remote.requests = seen
    try:
        yield remote
    finally:
        server.shutdown()
        server.server_close()
