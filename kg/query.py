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

FORMATS = ("table", "csv", "tsv", "json")
STORES = ("oxigraph", "rdflib")
QUERY_DIR = Path(__file__).resolve().parent.parent / "ontology" / "queries"
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


def read_query(query: str) -> str:
    """``query`` is a path to an ``.rq`` file or the SPARQL text itself."""
    candidate = Path(query)
    if query.endswith((".rq", ".sparql")) or ("\n" not in query and len(query) < 256 and candidate.is_file()):
        if not candidate.is_file():
            raise QueryError(f"query file not found: {query} (give an .rq file or a SPARQL string)")
        return candidate.read_text(encoding="utf-8")
    return query


def prefix_map() -> dict[str, str]:
    return {k: str(v) for k, v in PREFIXES.items()}


def _syntax_error(text: str, line: int, col: int, message: str, precise: bool = False) -> QueryError:
    """One line: an update is refused as such; otherwise where the syntax error is."""
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


def _strip_comments(text: str) -> str:
    return re.sub(r"(?m)#[^\n]*$", "", re.sub(r"<[^>\s]*>|\"[^\"\n]*\"|'[^'\n]*'", " ", text))


# --- running ----------------------------------------------------------------------------------


def run_query(graph: Graph, query: str) -> tuple[list[str], list[tuple]]:
    """Variables and rows of a SELECT (ASK gives one boolean row). Common prefixes are predeclared."""
    result = execute(graph, query)
    if result.kind == "ASK":
        return ["ask"], [(Literal(bool(result.answer)),)]
    if result.kind in {"CONSTRUCT", "DESCRIBE"}:
        raise QueryError("run_query gives rows; use kg.query.execute for a CONSTRUCT or DESCRIBE query")
    return result.variables, result.rows


def execute(graph: Graph, query: str) -> QueryResult:
    """Run a query (an ``.rq`` path or SPARQL text) on an rdflib ``Graph`` or ``Dataset``."""
    from pyparsing import ParseException

    text = read_query(query)
    try:
        result = graph.query(text, initNs=prefix_map())
    except ParseException as exc:
        raise _syntax_error(text, exc.lineno, exc.col, exc.msg) from None
    except Exception as exc:  # rdflib raises many types while evaluating
        raise QueryError(f"cannot run query: {_first_line(exc)}") from exc
    if result.type == "ASK":
        return QueryResult("ASK", answer=bool(result.askAnswer))
    if result.type in {"CONSTRUCT", "DESCRIBE"}:
        out = _result_graph()
        for triple in result:
            out.add(triple)
        return QueryResult(result.type, graph=out)
    return QueryResult("SELECT", [str(v) for v in result.vars], [tuple(row) for row in result])


def query_file(path: Path, query: str, store: str = "oxigraph") -> QueryResult:
    """Run ``query`` on the graph file ``path`` (Turtle, N-Triples, JSON-LD, TriG, N-Quads).

    The default graph of a TriG or N-Quads file is the union of its graphs.
    """
    from .formats import read_graph

    if store not in STORES:
        raise QueryError(f"unknown store {store!r} (choose from {', '.join(STORES)})")
    text = read_query(query)
    if store == "rdflib":
        return execute(read_graph(path, union=False), text)
    return execute_oxigraph(load_oxigraph(path), text, union=_is_dataset(path))


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
        raise InputError(f"cannot parse {path} as RDF: {_first_line(exc)}") from exc
    return store


def execute_oxigraph(store, query: str, union: bool = False) -> QueryResult:
    """Run a query on a pyoxigraph ``Store``; terms come back as rdflib terms."""
    import pyoxigraph

    text = read_query(query)
    try:
        result = store.query(text, prefixes=prefix_map(), use_default_graph_as_union=union)
    except SyntaxError as exc:
        found = _OXIGRAPH_POSITION.search(str(exc))
        line, col, message = (int(found.group(1)), int(found.group(2)), found.group(3)) if found else (1, 1, str(exc))
        raise _syntax_error(text, line, col, message, precise=True) from None
    except Exception as exc:
        raise QueryError(f"cannot run query: {_first_line(exc)}") from exc
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


# --- the query library ------------------------------------------------------------------------


@dataclass(frozen=True)
class LibraryQuery:
    name: str
    path: Path
    question: str


def query_dir() -> Path:
    """``ontology/queries``: from the source tree, else from the installed package data."""
    if QUERY_DIR.is_dir():
        return QUERY_DIR
    from .resources import ontology_file

    return ontology_file("queries")


def library(folder: Path | None = None) -> list[LibraryQuery]:
    """The bundled queries with their question: the leading ``#`` comment, up to ``Columns:``."""
    folder = folder or query_dir()
    found = []
    for path in sorted(folder.glob("*.rq")):
        found.append(LibraryQuery(path.stem, path, question_of(path.read_text(encoding="utf-8"))))
    return found


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

    from .resources import ontology_file

    shapes_graph = Graph().parse(shapes or ontology_file("shapes.ttl"), format="turtle")
    conforms, _report_graph, text = shacl_validate(graph, shacl_graph=shapes_graph, inference="none", advanced=True)
    return bool(conforms), str(text)
