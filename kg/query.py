"""SPARQL over a built graph, the bundled query library, and SHACL validation.

Queries run on rdflib or on pyoxigraph (``store``); both give rdflib terms back, so the
output is the same. Nothing here imports spaCy, networkx or (until ``validate``) pyshacl:
``kg query`` must start fast.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from .errors import QueryError
from .namespaces import PREFIXES
from .resources import ontology_file, query_files
from .sparql_terms import strip_comments as _strip_comments
from .sparql_terms import term_warnings, unknown_prefix_error, unknown_prefixes

FORMATS = ("table", "csv", "tsv", "json")
STORES = ("oxigraph", "rdflib")
_QUERY_NAME = re.compile(r"[A-Za-z_][\w-]*(\.rq)?")  # a bundled query's name: no path, no SPARQL
_UPDATE = re.compile(r"\b(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY)\b", re.IGNORECASE)
_CHAR_CLASS = re.compile(r"\[[^\[\]]*\.\.=[^\[\]]*\]")  # pyoxigraph's Unicode ranges: noise to a reader
_OXIGRAPH_POSITION = re.compile(r"error at (\d+):(\d+)(?:-\d+:\d+)?:?\s*(.*)", re.DOTALL)


@dataclass
class QueryResult:
    """A SELECT gives ``variables`` and ``rows``; ASK ``answer``; CONSTRUCT and DESCRIBE ``graph``."""

    kind: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    variables: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    answer: bool | None = None
    graph: Graph | None = None
    warnings: list[str] = field(default_factory=list)  # e.g. an ng: term our ontology does not have


def read_query(query: str) -> str:
    """``query`` is a path to an ``.rq`` file, the name of a bundled query, or the SPARQL text itself."""
    candidate = Path(query)
    if "\n" not in query and len(query) < 256 and candidate.is_file():
        return candidate.read_text(encoding="utf-8")
    if _QUERY_NAME.fullmatch(query):  # one word: never SPARQL, so a bundled query's name
        bundled = {item.name: item.path for item in library()}
        name = query.removesuffix(".rq")
        if name in bundled:
            return bundled[name].read_text(encoding="utf-8")
        raise QueryError(
            f"no query file or bundled query named {query!r}: give an .rq file, a SPARQL string, "
            f"or one of {', '.join(bundled)} (see `kg queries`)"
        )
    if query.endswith((".rq", ".sparql")):
        raise QueryError(f"query file not found: {query} (give an .rq file or a SPARQL string)")
    return query


def prefix_map() -> dict[str, str]:
    return {k: str(v) for k, v in PREFIXES.items()}


def _syntax_error(text: str, line: int, col: int, message: str, precise: bool = False) -> QueryError:
    """One line: an update is refused as such, an unknown prefix named; otherwise where the
    syntax error is."""
    unknown = unknown_prefixes(text)
    if unknown:
        return unknown_prefix_error(unknown[0])
    body = _strip_comments(text)
    if _UPDATE.search(body) and not re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", body, re.IGNORECASE):
        return QueryError(
            "cannot run query: it is an update (INSERT, DELETE, ...); kg query only reads "
            "(use SELECT, ASK, CONSTRUCT or DESCRIBE)"
        )
    # pyoxigraph's parser points at the offending token more precisely than pyparsing
    better = None if precise else _oxigraph_position(text)
    if better is not None:
        line, col, message = better
    message = " ".join(_CHAR_CLASS.sub("a name character", message).split())
    return QueryError(f"cannot run query: syntax error at line {line}, column {col}: {message} (fix the SPARQL)")


def _oxigraph_position(text: str) -> tuple[int, int, str] | None:
    try:
        import pyoxigraph
    except ImportError:  # pragma: no cover - pyoxigraph is a dependency
        return None
    try:
        pyoxigraph.Store().query(text, prefixes=prefix_map())
    except SyntaxError as exc:
        found = _OXIGRAPH_POSITION.search(str(exc))
        if found:
            return int(found.group(1)), int(found.group(2)), found.group(3)
    except Exception:
        return None
    return None


# --- running ----------------------------------------------------------------------------------


def run_query(graph: Graph, query: str) -> tuple[list[str], list[tuple]]:
    """Variables and rows of a SELECT (ASK gives one boolean row). Common prefixes are predeclared."""
    result = execute(graph, query)
    if result.kind == "ASK":
        return ["ask"], [(Literal(bool(result.answer)),)]
    if result.kind in {"CONSTRUCT", "DESCRIBE"}:
        raise QueryError("run_query gives rows; use kg.query.execute for a CONSTRUCT or DESCRIBE query")
    return result.variables, result.rows


def execute(graph: Graph, query: str, allow_service: bool = False) -> QueryResult:
    """Run a query (an ``.rq`` path or SPARQL text) on an rdflib ``Graph`` or ``Dataset``.

    Nothing leaves the machine unless ``allow_service``: see ``kg.sparql_guard``.
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery

    from . import sparql_guard

    text = read_query(query)
    if not allow_service:
        sparql_guard.refuse_service(text)
    try:
        prepared = prepareQuery(text, initNs=prefix_map())
        if not allow_service:
            sparql_guard.refuse_remote_dataset(prepared, _graph_names(graph))
        with sparql_guard.no_remote_loading(allow_service):
            result = _rdflib_result(graph.query(prepared))
        result.warnings = term_warnings(text)
        return result
    except ParseException as exc:
        raise _syntax_error(text, exc.lineno, exc.col, exc.msg) from None
    except QueryError:
        raise
    except Exception as exc:  # rdflib raises many types while evaluating (lazily, while rows are read)
        unknown = unknown_prefixes(text)
        if unknown:  # rdflib reports an undeclared prefix when it expands it, not as a syntax error
            raise unknown_prefix_error(unknown[0]) from None
        raise QueryError(f"cannot run query: {_first_line(exc)}") from exc


def _rdflib_result(result) -> QueryResult:
    if result.type == "ASK":
        return QueryResult("ASK", answer=bool(result.askAnswer))
    if result.type in {"CONSTRUCT", "DESCRIBE"}:
        out = _result_graph()
        for triple in result:
            out.add(triple)
        return QueryResult(result.type, graph=out)
    return QueryResult("SELECT", [str(v) for v in result.vars], [tuple(row) for row in result])


def query_file(path: Path, query: str, store: str = "oxigraph", allow_service: bool = False) -> QueryResult:
    """Run ``query`` on the graph file ``path`` (Turtle, N-Triples, JSON-LD, TriG, N-Quads), or on
    an Oxigraph store folder (``kg.store``), opened read-only and queried where it lies.

    The default graph of a TriG or N-Quads file is the union of its graphs.
    """
    from .formats import read_graph
    from .store import find_store, open_store

    if store not in STORES:
        raise QueryError(f"unknown store {store!r} (choose from {', '.join(STORES)})")
    text = read_query(query)
    folder = find_store(path)
    if folder is not None and store == "oxigraph":
        return execute_oxigraph(open_store(folder), text, allow_service=allow_service)
    if store == "rdflib":
        return execute(read_graph(path, union=False), text, allow_service=allow_service)
    return execute_oxigraph(load_oxigraph(path), text, union=_is_dataset(path), allow_service=allow_service)


def _graph_names(graph: Graph) -> list[str]:
    graphs = getattr(graph, "graphs", None) or getattr(graph, "contexts", None)  # Dataset.graphs: rdflib 7.1+
    return [str(g.identifier) for g in graphs()] if graphs else []


def _is_dataset(path: Path) -> bool:
    from .formats import QUAD_FORMATS, rdf_format

    return rdf_format(path) in QUAD_FORMATS


def load_oxigraph(path: Path):
    """An in-memory pyoxigraph ``Store`` holding the graph file ``path``."""
    import pyoxigraph

    from .errors import InputError

    if not path.exists():
        raise InputError(f"graph not found: {path} (build one with `kg build INPUT -o OUTDIR`)")
    fmt = pyoxigraph.RdfFormat.from_extension(path.suffix.lstrip(".").lower()) or pyoxigraph.RdfFormat.TURTLE
    store = pyoxigraph.Store()
    try:
        store.bulk_load(path=str(path), format=fmt)
    except (SyntaxError, ValueError, OSError) as exc:
        from .formats import not_a_graph

        raise not_a_graph(path, exc) from exc
    return store


def execute_oxigraph(store, query: str, union: bool = False, allow_service: bool = False) -> QueryResult:
    """Run a query on a pyoxigraph ``Store``; terms come back as rdflib terms.

    ``SERVICE`` is refused unless ``allow_service`` (``FROM`` reads the store, never the network).
    """
    from .sparql_guard import refuse_service

    text = read_query(query)
    if not allow_service:
        refuse_service(text)
    try:
        result = store.query(text, prefixes=prefix_map(), use_default_graph_as_union=union)
        answer = _oxigraph_result(result, text)  # evaluation goes on while rows are read
        answer.warnings = term_warnings(text)
        return answer
    except SyntaxError as exc:
        found = _OXIGRAPH_POSITION.search(str(exc))
        line, col, message = (int(found.group(1)), int(found.group(2)), found.group(3)) if found else (1, 1, str(exc))
        raise _syntax_error(text, line, col, message, precise=True) from None
    except QueryError:
        raise
    except Exception as exc:
        raise QueryError(f"cannot run query: {_first_line(exc)}") from exc


def _oxigraph_result(result, text: str) -> QueryResult:
    import pyoxigraph

    if isinstance(result, pyoxigraph.QueryBoolean):
        return QueryResult("ASK", answer=bool(result))
    if isinstance(result, pyoxigraph.QueryTriples):
        out = _result_graph()
        for triple in result:
            out.add((_term(triple.subject), _term(triple.predicate), _term(triple.object)))
        kind = "DESCRIBE" if re.search(r"\bDESCRIBE\b", _strip_comments(text), re.IGNORECASE) else "CONSTRUCT"
        return QueryResult(kind, graph=out)
    variables = [v.value for v in result.variables]
    rows = [tuple(_term(solution[v]) for v in variables) for solution in result]
    return QueryResult("SELECT", variables, rows)


def _term(term):
    """pyoxigraph term → rdflib term (None stays None)."""
    import pyoxigraph

    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == str(XSD.string) else URIRef(datatype))
    raise QueryError(f"cannot show the term {term} (RDF-star triples are not supported)")


def _result_graph() -> Graph:
    g = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    return g


def _first_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


# --- output -----------------------------------------------------------------------------------


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """A SELECT or ASK as table, CSV, TSV or SPARQL 1.1 JSON; CONSTRUCT and DESCRIBE as Turtle."""
    if result.graph is not None:
        from .export import turtle_bytes

        return turtle_bytes(result.graph).decode("utf-8")
    if result.kind == "ASK":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": bool(result.answer)}, indent=2) + "\n"
        return format_rows(["ask"], [(Literal(bool(result.answer)),)], fmt, _result_graph())
    return format_rows(result.variables, result.rows, fmt, _result_graph())


# Longest namespace first, so id:country/japan is not taken for a shorter namespace.
_NAMESPACES = sorted(((str(ns), prefix) for prefix, ns in PREFIXES.items()), key=lambda pair: -len(pair[0]))


def _short(term: object, graph: Graph | None = None) -> str:
    """An IRI as ``prefix:rest`` over our prefixes (``id:country/japan``), for reading, not for
    pasting into Turtle; other terms as their text."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        for namespace, prefix in _NAMESPACES:
            if term.startswith(namespace) and len(term) > len(namespace):
                return f"{prefix}:{term[len(namespace) :]}"
        return f"<{term}>"
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


# --- the query library ------------------------------------------------------------------------


@dataclass(frozen=True)
class LibraryQuery:
    name: str
    path: Path
    question: str


def library(folder: Path | None = None) -> list[LibraryQuery]:
    """The bundled queries (or those of ``folder``) with their question: the leading ``#`` comment."""
    paths = sorted(folder.glob("*.rq")) if folder else query_files()
    return [LibraryQuery(path.stem, path, question_of(path.read_text(encoding="utf-8"))) for path in paths]


def question_of(text: str) -> str:
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line.lstrip("#").strip()
        if body.startswith((">>>", "Columns:", "Uses ", "Needs ")) or not body:
            break
        lines.append(body)
    question = " ".join(lines)
    question = re.sub(r"^(Competency|Example)? ?question:\s*", "", question, flags=re.IGNORECASE)
    if "?" in question:  # the question itself; notes after it stay in the file
        question = question[: question.index("?") + 1]
    return question[:1].upper() + question[1:]


def validate(graph: Graph, shapes: Path | None = None) -> tuple[bool, str]:
    """SHACL validation against ``ontology/shapes.ttl``: (conforms, readable report)."""
    from pyshacl import validate as shacl_validate

    shapes_graph = Graph().parse(shapes or ontology_file("shapes.ttl"), format="turtle")
    conforms, _report_graph, text = shacl_validate(graph, shacl_graph=shapes_graph, inference="none", advanced=True)
    return bool(conforms), str(text)
