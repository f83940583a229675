"""Our own Turtle and N-Triples writer: deterministic and fast (about a million triples in a
few seconds), for the graphs newsgraph builds.

Every term is written once into its text form (kept in a table), triples are grouped by
subject and everything is sorted on those texts: subjects, then ``a`` first and the other
predicates, then objects. Prefixes are the fixed set of ``kg.namespaces.PREFIXES``; an IRI is
written as a prefixed name only when its local part is plain (letters, digits, ``_``, ``-``),
else in full. Literals of ``xsd:integer``, ``xsd:decimal`` and ``xsd:boolean`` whose text is
in canonical shape are written bare, other typed literals with ``^^``. Strings are written on
one line with ``\\n``-style escapes; control characters become ``\\uXXXX``.

Blank nodes are written as ``_:`` and their rdflib id (newsgraph's graphs have none: entities
and facts all have IRIs).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from .namespaces import PREFIXES
from .triples import Triples

_PREFIX_OF = {str(ns): prefix for prefix, ns in PREFIXES.items()}
_HEADER = "".join(f"PREFIX {prefix}: <{ns}>\n" for prefix, ns in sorted(PREFIXES.items()))
_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")
_BARE = {
    str(XSD.integer): re.compile(r"[+-]?[0-9]+\Z"),
    str(XSD.decimal): re.compile(r"[+-]?[0-9]*\.[0-9]+\Z"),
    str(XSD.boolean): re.compile(r"(?:true|false)\Z"),
}
_XSD_STRING = str(XSD.string)
_RDF_TYPE = "rdf:type"
_IDS_MAX = 100_000  # term objects whose text is kept by id (see _Terms)

# ECHAR escapes where Turtle and N-Triples have them, \\uXXXX for other control characters
_STRING_ESCAPES = {i: f"\\u{i:04X}" for i in [*range(0x20), 0x7F]}
_STRING_ESCAPES.update({0x22: '\\"', 0x5C: "\\\\", 0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t", 0x08: "\\b", 0x0C: "\\f"})
# characters IRIREF does not allow
_IRI_ESCAPES = {i: f"\\u{i:04X}" for i in [*range(0x21), *map(ord, '<>"{}|^`\\')]}


def _iri(value: str) -> str:
    return f"<{value.translate(_IRI_ESCAPES)}>"


def _string(value: str) -> str:
    return f'"{value.translate(_STRING_ESCAPES)}"'


class _Terms:
    """Text forms of terms, each computed once: ``short`` for Turtle, ``full`` for N-Triples.

    The tables are keyed by plain strings: rdflib's terms compare in Python, plain strings in C.
    A build's graph shares one object for each repeated term (ten triples an object at 1,000
    articles), so the text of each object is also kept by its ``id`` (the object kept alive
    with it, so that the ``id`` is not reused): a repeat costs one lookup of an ``int``. A graph
    read from a file may hold one object per use of a term: past ``_IDS_MAX`` objects, no more
    are remembered by ``id`` (the tables by value stay), so memory stays bounded.
    """

    def __init__(self, short: bool) -> None:
        self.short = short
        self.iris: dict[str, str] = {}
        self.literals: dict[tuple[str, str | None, str | None], str] = {}
        self.by_id: dict[int, str] = {}
        self._alive: list[object] = []

    def __call__(self, term: object) -> str:
        text = self.by_id.get(id(term))
        if text is None:
            text = self._text(term)
            if len(self._alive) < _IDS_MAX:
                self.by_id[id(term)] = text
                self._alive.append(term)
        return text

    def _text(self, term: object) -> str:
        if isinstance(term, URIRef):
            value = str(term)
            text = self.iris.get(value)
            if text is None:
                text = self.iris[value] = self._iri(value)
            return text
        if isinstance(term, Literal):
            datatype = term.datatype
            key = (str(term), term.language, None if datatype is None else str(datatype))
            text = self.literals.get(key)
            if text is None:
                text = self.literals[key] = self._literal(*key)
            return text
        if isinstance(term, BNode):
            return f"_:{re.sub(r'[^A-Za-z0-9_]', '_', str(term))}"
        raise TypeError(f"not an RDF term: {term!r}")

    def _iri(self, value: str) -> str:
        if self.short:
            cut = max(value.rfind("/"), value.rfind("#")) + 1
            prefix = _PREFIX_OF.get(value[:cut])
            if prefix is not None and _LOCAL.match(value, cut):
                return f"{prefix}:{value[cut:]}"
        return _iri(value)

    def _literal(self, lexical: str, language: str | None, datatype: str | None) -> str:
        if language:
            return f"{_string(lexical)}@{language}"
        if datatype is None or datatype == _XSD_STRING:
            return _string(lexical)
        if self.short:
            bare = _BARE.get(datatype)
            if bare is not None and bare.match(lexical):
                return lexical
        return f"{_string(lexical)}^^{self(URIRef(datatype))}"


def _by_subject(graph: Graph) -> Iterator[tuple[object, dict[object, object]]]:
    """(subject, {predicate: objects}) for every subject of ``graph``.

    rdflib's in-memory store already holds the triples indexed this way; reading its index is
    about six times faster than iterating the graph. It is used only when it holds exactly the
    graph's triples (a graph of a ``Dataset`` shares the store with others: iterate instead).
    """
    if isinstance(graph, Triples):
        yield from graph.spo.items()
        return
    index = getattr(graph.store, "_Memory__spo", None)
    if isinstance(index, dict) and type(graph) is Graph:
        count = sum(len(objects) for by_predicate in index.values() for objects in by_predicate.values())
        if count == len(graph):
            yield from index.items()
            return
    grouped: dict[object, dict[object, list]] = {}
    for s, p, o in graph:
        grouped.setdefault(s, {}).setdefault(p, []).append(o)
    yield from grouped.items()


def turtle(graph: Graph) -> bytes:
    """The Turtle of ``graph``: our prefixes, then one block per subject (see the module doc)."""
    blocks = _blocks(graph)
    blocks.insert(0, _HEADER.encode("utf-8"))  # one join: the text is not copied again
    return b"\n".join(blocks)


def turtle_body(graph: Graph) -> str:
    """The subject blocks of the Turtle of ``graph``, without prefix lines (TriG uses them too)."""
    return b"\n".join(_blocks(graph)).decode("utf-8")


def _blocks(graph: Graph) -> list[bytes]:
    """The subject blocks, sorted. Each is encoded as soon as it is made: the text of a large
    graph is then held once, as UTF-8, not as strings (two bytes a character or more as soon as
    one character is outside Latin-1) then bytes. UTF-8 sorts as the characters do."""
    text = _Terms(short=True)
    known = text.by_id.get  # the text of a term seen before, without a call (most are)
    blocks = []
    for subject, by_predicate in _by_subject(graph):
        kinds = ""
        lines = []
        for predicate, objects in by_predicate.items():
            verb = known(id(predicate)) or text(predicate)
            if len(objects) == 1:
                (only,) = objects
                line = f" {known(id(only)) or text(only)} ;\n"
            else:
                line = "\n        " + " ,\n        ".join(sorted([known(id(o)) or text(o) for o in objects])) + " ;\n"
            if verb == _RDF_TYPE:
                kinds = "    a" + line
            else:
                lines.append(f"    {verb}{line}")
        lines.sort()
        blocks.append(f"{text(subject)}\n{kinds}{''.join(lines)}.\n".encode())
    blocks.sort()
    return blocks


def ntriples(graph: Graph) -> bytes:
    """N-Triples, one triple a line, the lines sorted (as the characters sort: UTF-8).

    The lines are sorted within each subject, then the subjects' runs of lines: a subject's
    text ends in ``>`` (an IRI) or is a blank node's ``_:`` and letters, digits and ``_``, then
    comes a space, so two lines of different subjects compare as their subjects do and the
    runs fall in the order of a sort of all lines, without sorting them all at once."""
    text = _Terms(short=False)
    known = text.by_id.get
    runs = []
    for subject, by_predicate in _by_subject(graph):
        start = known(id(subject)) or text(subject)
        lines = []
        for predicate, objects in by_predicate.items():
            head = f"{start} {known(id(predicate)) or text(predicate)} "
            lines += [f"{head}{known(id(o)) or text(o)} .\n" for o in objects]
        lines.sort()
        runs.append("".join(lines).encode())
    runs.sort()
    return b"".join(runs)
