"""The graph a build makes, held as two plain indexes instead of an rdflib ``Graph``.

A build only adds triples, writes them out and reads them back for the page. rdflib's
in-memory store does far more per triple (three indexes, contexts, an event per ``add``):
at 270,000 triples building it took 7 s and 220 MB. ``Triples`` keeps subject → predicate →
objects and predicate → object → subjects, answers the read calls the page's reader makes
(``objects``, ``subjects``, ``subject_objects``, ``value``) the way rdflib does, and turns into
an rdflib ``Graph`` (``to_graph``) for the writers and users that need one. Terms are rdflib's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rdflib import Graph
from rdflib.term import Node

Triple = tuple[Node, Node, Node]


class Triples:
    def __init__(self, triples: Iterable[Triple] = ()) -> None:
        self.spo: dict[Node, dict[Node, set[Node]]] = {}
        self._by_object: dict[Node, dict[Node, set[Node]]] = {}  # predicate -> object -> subjects, when first asked
        self._count = 0
        for triple in triples:
            self.add(triple)

    def add(self, triple: Triple) -> None:
        s, p, o = triple
        by_predicate = self.spo.get(s)
        if by_predicate is None:
            by_predicate = self.spo[s] = {}
        objects = by_predicate.get(p)
        if objects is None:
            objects = by_predicate[p] = set()
        elif o in objects:
            return
        objects.add(o)
        self._count += 1
        self._by_object.clear()

    def add_subject(self, subject: Node, properties: dict[Node, set[Node]]) -> None:
        """Add every (subject, predicate, object) of ``properties`` (predicate -> objects) at once:
        the fast way to add a node whose triples are all made together. ``properties`` is kept."""
        by_predicate = self.spo.get(subject)
        if by_predicate is not None:  # not new: one by one
            for p, objects in properties.items():
                for o in objects:
                    self.add((subject, p, o))
            return
        self.spo[subject] = properties
        self._count += sum(len(objects) for objects in properties.values())
        self._by_object.clear()

    def _by(self, predicate: Node) -> dict[Node, set[Node]]:
        """object -> subjects of ``predicate``, made in one pass on the first read that needs it.
        One predicate at a time: the page reads a few dozen of them, and an index of every
        triple (290,000 at 1,000 articles) cost more than all those reads together."""
        index = self._by_object.get(predicate)
        if index is None:
            index = self._by_object[predicate] = {}
            for s, by_predicate in self.spo.items():
                objects = by_predicate.get(predicate)
                if objects is None:
                    continue
                for o in objects:
                    subjects = index.get(o)
                    if subjects is None:
                        index[o] = {s}
                    else:
                        subjects.add(s)
        return index

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Triple]:
        for s, by_predicate in self.spo.items():
            for p, objects in by_predicate.items():
                for o in objects:
                    yield s, p, o

    def __contains__(self, triple: Triple) -> bool:
        s, p, o = triple
        return o in self.spo.get(s, {}).get(p, ())

    def objects(self, subject: Node | None = None, predicate: Node | None = None) -> Iterator[Node]:
        if subject is not None:
            by_predicate = self.spo.get(subject, {})
            predicates = [predicate] if predicate is not None else list(by_predicate)
            for p in predicates:
                yield from by_predicate.get(p, ())
        elif predicate is not None:
            yield from self._by(predicate)
        else:
            for _s, _p, o in self:
                yield o

    def subjects(self, predicate: Node | None = None, obj: Node | None = None) -> Iterator[Node]:
        if predicate is not None and obj is not None:
            yield from self._by(predicate).get(obj, ())
        elif predicate is not None:
            yield from {s for subjects in self._by(predicate).values() for s in subjects}
        else:
            yield from {s for s, p, o in self if obj is None or o == obj}

    def subject_objects(self, predicate: Node) -> Iterator[tuple[Node, Node]]:
        for o, subjects in self._by(predicate).items():
            for s in subjects:
                yield s, o

    def value(self, subject: Node, predicate: Node) -> Node | None:
        """One object of ``subject`` and ``predicate`` (None if there is none), as rdflib's ``value``."""
        return next(iter(self.spo.get(subject, {}).get(predicate, ())), None)

    def to_graph(self) -> Graph:
        """An rdflib ``Graph`` of these triples, with our prefixes bound."""
        from .graph import new_graph

        graph = new_graph()
        for triple in self:
            graph.add(triple)
        return graph
