"""Queries never leave the machine: refuse ``SERVICE`` (and, on rdflib, remote ``FROM``).

Both SPARQL engines would otherwise send a federated ``SERVICE <http://...>`` call over the
network, and rdflib would also download the graph named in ``FROM <http://...>``. ``kg query``
and ``kg serve`` refuse such queries unless the user passes ``--allow-service``.

The check reads SPARQL tokens, not substrings: ``SERVICE`` inside a string, an IRI, a comment,
a variable (``?service``) or a prefixed name (``ex:service``) is no keyword. ``\\uXXXX``
escapes are decoded first, as the SPARQL grammar does before parsing.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator

from .errors import QueryError

ALLOW_HINT = "kg never sends a query over the network unless you pass --allow-service"

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\x00-\x20]*>"
    r"|#[^\n]*"
    r"|[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+"
    r"|(?:[A-Za-z_][\w.\-]*)?:[\w.\-:%\\]*"
    r"|(?P<word>[A-Za-z_]\w*)",
    re.DOTALL,
)


def keywords(text: str) -> list[str]:
    """The bare words of a query (keywords and function names), upper-case, in order."""
    text = _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)
    return [m.group("word").upper() for m in _TOKEN.finditer(text) if m.group("word")]


def uses_service(text: str) -> bool:
    return "SERVICE" in keywords(text)


def refuse_service(text: str) -> None:
    """A ``QueryError`` (one line) when the query has a ``SERVICE`` clause."""
    if uses_service(text):
        raise QueryError(f"refused: the query calls a remote endpoint with SERVICE; {ALLOW_HINT}")


def refuse_remote_dataset(query, graph_names: Iterable[str]) -> None:
    """rdflib: refuse a prepared query whose ``FROM`` / ``FROM NAMED`` is not a graph of the file,
    and any ``SERVICE`` in its algebra (a second, parser-level check)."""
    known = {str(name) for name in graph_names}
    for clause in query.algebra.get("datasetClause") or []:
        iri = clause.get("default") or clause.get("named")
        if str(iri) not in known:
            raise QueryError(
                f"refused: FROM <{iri}> names no graph of the file and rdflib would download it; {ALLOW_HINT}"
            )
    if _has_service(query.algebra):
        raise QueryError(f"refused: the query calls a remote endpoint with SERVICE; {ALLOW_HINT}")


def _has_service(part, seen: set[int] | None = None) -> bool:
    from rdflib.plugins.sparql.parserutils import CompValue

    seen = set() if seen is None else seen
    if id(part) in seen:
        return False
    seen.add(id(part))
    if isinstance(part, CompValue):
        if part.name == "ServiceGraphPattern":
            return True
        return any(_has_service(value, seen) for value in part.values())
    if isinstance(part, (list, tuple)):
        return any(_has_service(value, seen) for value in part)
    return False


@contextlib.contextmanager
def no_remote_loading(allow: bool = False) -> Iterator[None]:
    """While running an rdflib query, ``FROM`` reads graphs of the dataset and downloads nothing."""
    import rdflib.plugins.sparql as rdflib_sparql

    before = rdflib_sparql.SPARQL_LOAD_GRAPHS
    rdflib_sparql.SPARQL_LOAD_GRAPHS = allow and before
    try:
        yield
    finally:
        rdflib_sparql.SPARQL_LOAD_GRAPHS = before
