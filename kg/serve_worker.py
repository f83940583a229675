"""One query worker of ``kg serve``: a process holding the graph in a read-only pyoxigraph store.

``kg.serve`` starts a few of these (``python -m kg.serve_worker DB MAX_ROWS``) and talks to
each over its stdin and stdout, one pickled request and one pickled answer at a time. A query
past its deadline is stopped by killing the process: that is the only way to make sure no core
keeps working on it (pyoxigraph has no cancellation). The worker ends when its stdin closes,
and on Linux when its parent dies.

Answers are ``(status, content type, body)``; a SELECT or CONSTRUCT giving more than
``MAX_ROWS`` rows or triples is answered 422 (add LIMIT), never cut silently.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import pickle
import signal
import sys
from xml.sax.saxutils import escape, quoteattr

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_TYPES = {"turtle": "text/turtle", "ntriples": "application/n-triples", "rdfxml": "application/rdf+xml"}
TEXT = "text/plain; charset=utf-8"


def answer(store, text: str, prefixes: dict, formats: tuple[str, str], max_rows: int) -> tuple[int, str, bytes]:
    """Run one query; ``formats`` is (results format, graph format) chosen by the server."""
    import pyoxigraph

    try:
        result = store.query(text, prefixes=prefixes, use_default_graph_as_union=True)
        if isinstance(result, pyoxigraph.QueryBoolean):
            return _results(formats[0], [], None, bool(result))
        if isinstance(result, pyoxigraph.QueryTriples):
            triples = list(itertools.islice(result, max_rows + 1))
            if len(triples) > max_rows:
                return _too_many(max_rows, "triples")
            fmt = {"turtle": pyoxigraph.RdfFormat.TURTLE, "ntriples": pyoxigraph.RdfFormat.N_TRIPLES}
            body = pyoxigraph.serialize(triples, format=fmt.get(formats[1], pyoxigraph.RdfFormat.RDF_XML))
            return 200, GRAPH_TYPES[formats[1]] + "; charset=utf-8", body
        variables = [v.value for v in result.variables]
        rows = [[solution[v] for v in variables] for solution in itertools.islice(result, max_rows + 1)]
        if len(rows) > max_rows:
            return _too_many(max_rows, "rows")
        return _results(formats[0], variables, rows, None)
    except SyntaxError as exc:
        return 400, TEXT, f"cannot run query: syntax error: {_one_line(exc)} (fix the SPARQL)".encode()
    except Exception as exc:
        return 500, TEXT, f"cannot run query: {_one_line(exc)}".encode()


def _too_many(max_rows: int, what: str) -> tuple[int, str, bytes]:
    message = f"the query gives more than {max_rows} {what} (the --max-rows cap of kg serve); add LIMIT"
    return 422, TEXT, message.encode()


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _results(fmt: str, variables: list[str], rows: list | None, boolean: bool | None) -> tuple[int, str, bytes]:
    body = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}[fmt](variables, rows, boolean)
    return 200, RESULT_TYPES[fmt] + "; charset=utf-8", body.encode("utf-8")


def _json_term(term) -> dict:
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, pyoxigraph.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


def _json(variables, rows, boolean) -> str:
    if rows is None:
        return json.dumps({"head": {}, "boolean": boolean})
    bindings = [{v: _json_term(t) for v, t in zip(variables, row) if t is not None} for row in rows]
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}}, ensure_ascii=False)


def _xml(variables, rows, boolean) -> str:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
    out += [f"<variable name={quoteattr(v)}/>" for v in variables]
    out.append("</head>")
    if rows is None:
        out.append(f"<boolean>{'true' if boolean else 'false'}</boolean>")
    else:
        out.append("<results>")
        for row in rows:
            out.append("<result>")
            for v, term in zip(variables, row):
                if term is not None:
                    out.append(f"<binding name={quoteattr(v)}>{_xml_term(_json_term(term))}</binding>")
            out.append("</result>")
        out.append("</results>")
    return "\n".join(out) + "\n</sparql>\n"


def _xml_term(term: dict) -> str:
    kind, value = term["type"], escape(term["value"])
    if kind == "uri":
        return f"<uri>{value}</uri>"
    if kind == "bnode":
        return f"<bnode>{value}</bnode>"
    extra = f" xml:lang={quoteattr(term['xml:lang'])}" if "xml:lang" in term else ""
    extra += f" datatype={quoteattr(term['datatype'])}" if "datatype" in term else ""
    return f"<literal{extra}>{value}</literal>"


def _csv(variables, rows, boolean) -> str:
    if rows is None:
        return "true" if boolean else "false"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow(["" if t is None else ("_:" + t.value if _is_bnode(t) else t.value) for t in row])
    return buffer.getvalue()


def _is_bnode(term) -> bool:
    import pyoxigraph

    return isinstance(term, pyoxigraph.BlankNode)


def _tsv(variables, rows, boolean) -> str:
    if rows is None:
        return "true" if boolean else "false"
    lines = ["\t".join("?" + v for v in variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> None:
    import pyoxigraph

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in a terminal: the server stops us
    _die_with_parent()
    location, max_rows = argv[0], int(argv[1])
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing else may write on the answer channel
    store = pyoxigraph.Store.read_only(location)
    pickle.dump("ready", sink)
    sink.flush()
    while True:
        try:
            text, prefixes, formats = pickle.load(source)
        except (EOFError, OSError, pickle.UnpicklingError):
            return
        pickle.dump(answer(store, text, prefixes, formats, max_rows), sink)
        sink.flush()


def _die_with_parent() -> None:
    """Linux: the kernel kills this worker when ``kg serve`` dies, even by SIGKILL."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        return
    if os.getppid() == 1:  # the parent died before prctl
        sys.exit(0)


if __name__ == "__main__":
    main(sys.argv[1:])
