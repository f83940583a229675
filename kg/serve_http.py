"""The HTTP side of ``kg serve``: SPARQL 1.1 Protocol requests in, worker answers out.

``GET /query?query=...``, ``POST /query`` with ``application/sparql-query`` or a form body;
the results format comes from the ``Accept`` header (or a ``format`` parameter, for the page
at ``/``): SPARQL JSON (default), XML, CSV, TSV; CONSTRUCT and DESCRIBE give Turtle (default),
N-Triples or RDF/XML. Every error is a short ``text/plain`` line with its status.
"""

from __future__ import annotations

import html
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from .sparql_guard import ALLOW_HINT, uses_service

MAX_BODY = 1_000_000
_RESULTS = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
_GRAPHS = {
    "text/turtle": "turtle",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/rdf+xml": "rdfxml",
}
_PARAM = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "turtle": "turtle", "ntriples": "ntriples"}
PAGE = """<!doctype html><meta charset="utf-8"><title>newsgraph SPARQL</title>
<h1>newsgraph SPARQL endpoint (read-only)</h1>
<form action="/query" method="post"><textarea name="query" rows="12" cols="90">{query}</textarea><br>
<select name="format"><option>json</option><option>csv</option><option>tsv</option><option>xml</option>
<option>turtle</option></select> <button>Run</button></form>
<p>Prefixes ng: id: policy: schema: org: prov: dcterms: skos: owl: rdf: rdfs: xsd: wd: are predeclared.</p>
"""
EXAMPLE = "SELECT ?country ?label WHERE { ?country a ng:Country ; rdfs:label ?label } ORDER BY ?label LIMIT 20"


def negotiate(accept: str, param: str | None) -> tuple[str, str]:
    """(results format, graph format) from the ``format`` parameter, else the ``Accept`` header."""
    chosen = _PARAM.get((param or "").lower())
    if chosen:
        return (chosen, "turtle") if chosen in _RESULTS.values() else ("json", chosen)
    ranked = []
    for i, item in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in item.split(";")]
        q = next((p[2:] for p in params if p.startswith("q=")), "1")
        try:
            ranked.append((-float(q), i, media.lower()))
        except ValueError:
            continue
    ranked.sort()
    results = next((_RESULTS[m] for _q, _i, m in ranked if m in _RESULTS), "json")
    graphs = next((_GRAPHS[m] for _q, _i, m in ranked if m in _GRAPHS), "turtle")
    return results, graphs


def make_handler(settings: dict):
    """A request handler class bound to the server's settings (port, timeout, pool, allow_service)."""
    from .query import prefix_map

    prefixes = prefix_map()

    class Handler(BaseHTTPRequestHandler):
        server_version = "newsgraph-serve"
        sys_version = ""
        timeout = 30  # a client that stops sending is dropped

        def log_message(self, format, *args) -> None:  # noqa: A002 - quiet; errors reach the client
            return

        def _reply(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _error(self, status: int, message: str) -> None:
            self._reply(status, "text/plain; charset=utf-8", (message + "\n").encode())

        def _host_ok(self) -> bool:
            port = settings["port"]
            allowed = {f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"}
            host = (self.headers.get("Host") or "").strip().lower()
            if host in allowed:
                return True
            self._error(403, f"refused: Host {host!r} is not this server; use http://127.0.0.1:{port}/query")
            return False

        def do_GET(self) -> None:
            if not self._host_ok():
                return
            url = urlsplit(self.path)
            params = parse_qs(url.query, keep_blank_values=True)
            if url.path == "/":
                self._reply(200, "text/html; charset=utf-8", PAGE.format(query=html.escape(EXAMPLE)).encode())
            elif url.path == "/query":
                self._query(params)
            elif url.path == "/update":
                self._error(403, "refused: this endpoint is read-only (no SPARQL update)")
            else:
                self._error(404, "not found: queries go to /query")

        do_HEAD = do_GET

        def do_POST(self) -> None:
            if not self._host_ok():
                return
            url = urlsplit(self.path)
            if url.path == "/update":
                return self._error(403, "refused: this endpoint is read-only (no SPARQL update)")
            if url.path != "/query":
                return self._error(404, "not found: queries go to /query")
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                return self._error(400, "bad Content-Length")
            if length > MAX_BODY:
                return self._error(413, f"request body over {MAX_BODY} bytes")
            body = self.rfile.read(length).decode("utf-8", "replace")
            kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            params = parse_qs(url.query, keep_blank_values=True)
            if kind == "application/sparql-query":
                params["query"] = [body]
            elif kind == "application/x-www-form-urlencoded":
                params.update(parse_qs(body, keep_blank_values=True))
            elif kind == "application/sparql-update":
                return self._error(403, "refused: this endpoint is read-only (no SPARQL update)")
            else:
                return self._error(415, "send application/sparql-query or a form (query=...)")
            self._query(params)

        def _query(self, params: dict[str, list[str]]) -> None:
            if "update" in params:
                return self._error(403, "refused: this endpoint is read-only (no SPARQL update)")
            texts = params.get("query") or []
            if len(texts) != 1 or not texts[0].strip():
                return self._error(400, "give exactly one query: /query?query=SELECT...")
            if params.get("default-graph-uri") or params.get("named-graph-uri"):
                return self._error(400, "default-graph-uri and named-graph-uri are not supported; use GRAPH")
            text = texts[0]
            if not settings["allow_service"] and uses_service(text):
                return self._error(
                    400, f"refused: the query calls a remote endpoint with SERVICE; {ALLOW_HINT} to kg serve"
                )
            formats = negotiate(self.headers.get("Accept") or "", (params.get("format") or [None])[0])
            self._reply(*settings["pool"].run(text, prefixes, formats, settings["timeout"]))

    return Handler
