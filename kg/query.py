"""SPARQL over a built graph, and SHACL validation. Neither imports spaCy."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef

from .errors import QueryError
from .namespaces import PREFIXES

FORMATS = ("table", "csv", "tsv", "json")


def read_query(query: str) -> str:
    """``query`` is a path to an ``.rq`` file or the SPARQL text itself."""
    candidate = Path(query)
    if query.endswith((".rq", ".sparql")) or ("\n" not in query and len(query) < 256 and candidate.is_file()):
        if not candidate.is_file():
            raise QueryError(f"query file not found: {query} (give an .rq file or a SPARQL string)")
        return candidate.read_text(encoding="utf-8")
    return query


def run_query(graph: Graph, query: str) -> tuple[list[str], list[tuple]]:
    """Variables and rows of a SELECT (ASK gives one boolean row). Common prefixes are predeclared."""
    text = read_query(query)
    try:
        result = graph.query(text, initNs={k: str(v) for k, v in PREFIXES.items()})
    except Exception as exc:  # pyparsing and rdflib raise many types for a bad query
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise QueryError(f"cannot run query: {first}") from exc
    if result.type == "ASK":
        return ["ask"], [(Literal(bool(result.askAnswer)),)]
    if result.type in {"CONSTRUCT", "DESCRIBE"}:
        raise QueryError("CONSTRUCT and DESCRIBE are not supported yet; use a SELECT or ASK query")
    variables = [str(v) for v in result.vars]
    return variables, [tuple(row) for row in result]


def _short(term: object, graph: Graph) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(term)
        except Exception:
            return str(term)
    return str(term)


def format_rows(variables: list[str], rows: list[tuple], fmt: str, graph: Graph) -> str:
    if fmt == "json":
        return json.dumps(_sparql_json(variables, rows), indent=2, ensure_ascii=False) + "\n"
    if fmt in {"csv", "tsv"}:
        out = io.StringIO()
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(variables)
        writer.writerows([["" if t is None else str(t) for t in row] for row in rows])
        return out.getvalue()
    cells = [[_short(t, graph).replace("\n", " ") for t in row] for row in rows]
    widths = [min(60, max([len(v)] + [len(r[i]) for r in cells])) for i, v in enumerate(variables)]
    fit = lambda s, w: s if len(s) <= w else s[: w - 1] + "…"  # noqa: E731
    lines = [" | ".join(v.ljust(w) for v, w in zip(variables, widths))]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(fit(c, w).ljust(w) for c, w in zip(row, widths)) for row in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _sparql_json(variables: list[str], rows: list[tuple]) -> dict:
    def term(t: object) -> dict:
        if isinstance(t, URIRef):
            return {"type": "uri", "value": str(t)}
        if isinstance(t, BNode):
            return {"type": "bnode", "value": str(t)}
        assert isinstance(t, Literal)
        out = {"type": "literal", "value": str(t)}
        if t.language:
            out["xml:lang"] = t.language
        elif t.datatype:
            out["datatype"] = str(t.datatype)
        return out

    bindings = [{v: term(t) for v, t in zip(variables, row) if t is not None} for row in rows]
    return {"head": {"vars": variables}, "results": {"bindings": bindings}}


def validate(graph: Graph, shapes: Path | None = None) -> tuple[bool, str]:
    """SHACL validation against ``ontology/shapes.ttl``: (conforms, readable report)."""
    from pyshacl import validate as shacl_validate

    from .graph import ontology_file

    shapes_graph = Graph().parse(shapes or ontology_file("shapes.ttl"), format="turtle")
    conforms, _report_graph, text = shacl_validate(graph, shacl_graph=shapes_graph, inference="none", advanced=True)
    return bool(conforms), str(text)
