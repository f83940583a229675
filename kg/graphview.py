"""The one reader of a built graph: its entities and its facts as plain frozen dataclasses.

The HTML page (``kg.export_html``, ``kg viz``), ``kg stats`` and ``kg path`` (``kg.stats``),
GraphML (``kg.formats``) and ``kg eval`` (``kg.evaluate``) all read a graph through
:func:`read_graph_view`, so they agree on what an entity and a fact are.

A :class:`Fact` is one direct triple of a relation of the registry (``kg.registry``): a
``?person ng:holdsRoleIn ?org``, an ``?actor ng:<policy> ?target``, a ``?body dcterms:isPartOf
?state``. Its :class:`Evidence` comes from the qualified nodes behind it (``ng:RoleAssignment``,
``ng:PolicyRelation``): a qualified node of a family with a concept property (``ng:policy``)
belongs to the direct property of its concept, or of the nearest broader concept that has one.
Facts are kept whatever their ends; :meth:`GraphView.entity_facts` keeps those between entities.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from .errors import InputError
from .namespaces import NG, WD
from .registry import Relation, families

# Most specific first: ng:Country is also an ng:Organization.
ENTITY_TYPES: tuple[tuple[str, URIRef], ...] = (
    ("Country", NG.Country),
    ("Person", NG.Person),
    ("Organization", NG.Organization),
)


@dataclass(frozen=True)
class Entity:
    iri: str
    kind: str  # "Country", "Person" or "Organization": the most specific type
    label: str
    aliases: tuple[str, ...]
    wikidata: tuple[str, ...]  # Wikidata ids, e.g. "Q30"
    articles: int  # number of articles it is mentioned in


@dataclass(frozen=True)
class Evidence:
    """One qualified node behind a fact: its sentence and provenance."""

    node: str  # IRI of the qualified node
    sentence: str
    articles: tuple[str, ...]  # IRIs of the articles it was derived from
    files: tuple[str, ...]  # their source files
    confidence: float | None
    label: str  # what the node says: "Secretary of Defense (former)", "sectoral tariff"
    title: str = ""  # the role title (role assignments)
    status: str = ""  # the role status: "current", "former", "nominee"
    concept: str = ""  # IRI of the policy concept (policy relations)
    # ISO dates ("2025-03-30", "2025-03", "2025"; "" when the text gives none): when the sentence
    # says the fact happened (dcterms:date), a role's start and end (schema:startDate,
    # schema:endDate), and the publication date of the article (dcterms:issued, the earliest)
    date: str = ""
    since: str = ""
    until: str = ""
    published: str = ""

    @property
    def sort_key(self) -> tuple:
        """Strongest evidence first, then a stable order."""
        score = self.confidence if self.confidence is not None else -1.0
        return (-score, self.files, self.sentence, self.label)


@dataclass(frozen=True)
class Fact:
    """A direct triple of a registry relation, with the evidence of its qualified nodes."""

    family: str  # "role", "policy", "part_of"
    relation: str  # the relation key: "holdsRoleIn", a policy key such as "tariff", "isPartOf"
    predicate: str  # IRI of the direct property
    label: str  # the relation's label: "holds role in", "tariff"
    symmetric: bool
    subject: str
    object: str
    evidence: tuple[Evidence, ...] = ()  # strongest first


def fact_key(fact: Fact) -> tuple[str, str, str]:
    """(predicate, subject, object); a symmetric fact's ends in IRI order, so that one stated
    from both sides has one key."""
    if fact.symmetric:
        first, second = sorted((fact.subject, fact.object))
        return fact.predicate, first, second
    return fact.predicate, fact.subject, fact.object


def plural(n: int, word: str) -> str:
    """ "1 fact", "2 facts", "3 entities": the words the build summary, `kg stats` and the page use."""
    if n == 1:
        return f"{n} {word}"
    return f"{n} {word[:-1]}ies" if word.endswith("y") else f"{n} {word}s"


@dataclass(frozen=True)
class Counts:
    """The numbers every view of a graph reports (README, "Words and numbers").

    entity: a person, organisation or country; fact: a distinct statement (subject, relation,
    object) between two entities, a mutual policy stated from both sides being one fact;
    relation: what a fact says (``holds role in``, ``tariff``, ``part of``); link: a pair of
    entities joined by one or more facts, drawn as one line on the page.
    """

    entities: int
    facts: int
    links: int
    isolated: int  # entities in no fact
    by_family: Mapping[str, int]  # facts by relation family, in registry order

    def line(self) -> str:
        """One line that the build summary, ``kg stats``, the page and the notebook share."""
        parts = ", ".join(f"{n} {family.replace('_', ' ')}" for family, n in self.by_family.items())

        return (
            f"{plural(self.entities, 'entity')}, {plural(self.facts, 'fact')} ({parts}) "
            f"on {plural(self.links, 'link')}; {plural(self.isolated, 'entity')} in no fact"
        )


@dataclass(frozen=True)
class GraphView:
    entities: Mapping[str, Entity]  # by IRI, in IRI order
    facts: tuple[Fact, ...]  # in (subject, predicate, object) order

    def facts_per_month(self) -> dict[str, int]:
        """Facts by the month of their dates ("2025-03"; a year-only date counts under "2025"),
        each fact once per month its evidence dates it in."""
        counts: dict[str, int] = defaultdict(int)
        for fact in self.facts:
            for month in sorted({e.date[:7] for e in fact.evidence if e.date}):
                counts[month] += 1
        return dict(sorted(counts.items()))

    def entity_facts(self) -> list[Fact]:
        """The facts whose two ends are entities."""
        return [f for f in self.facts if f.subject in self.entities and f.object in self.entities]

    def distinct_facts(self) -> list[Fact]:
        """The facts between entities, a symmetric fact stated from both sides merged into one
        (its ends in IRI order, the evidence of both), in :func:`fact_key` order."""
        merged: dict[tuple[str, str, str], Fact] = {}
        for fact in self.entity_facts():
            key = fact_key(fact)
            if key in merged:
                evidence = tuple(sorted({*merged[key].evidence, *fact.evidence}, key=lambda e: e.sort_key))
                fact = merged[key]
                merged[key] = Fact(
                    fact.family, fact.relation, fact.predicate, fact.label, fact.symmetric, *key[1:], evidence
                )
            elif fact.symmetric and (fact.subject, fact.object) != key[1:]:
                merged[key] = Fact(
                    fact.family, fact.relation, fact.predicate, fact.label, True, *key[1:], fact.evidence
                )
            else:
                merged[key] = fact
        return [merged[key] for key in sorted(merged)]

    def counts(self) -> Counts:
        return count(self.entities, self.distinct_facts())

    def find_entity(self, name: str, option: str | None = None) -> Entity:
        return find_entity(self.entities, name, option)


def count(entities: Iterable[str], facts: list[Fact]) -> Counts:
    """The ``Counts`` of ``entities`` (IRIs) and the distinct ``facts`` among them."""
    pairs = {tuple(sorted((f.subject, f.object))) for f in facts}
    linked = {iri for pair in pairs for iri in pair}
    names = dict.fromkeys([*(fam.name for fam in families()), *(f.family for f in facts)])  # registry order first
    by_family = {name: sum(1 for f in facts if f.family == name) for name in names}
    return Counts(len(set(entities)), len(facts), len(pairs), len(set(entities) - linked), by_family)


def read_graph_view(graph: Graph) -> GraphView:
    return GraphView(read_entities(graph), read_facts(graph))


# --- entities -------------------------------------------------------------------------------


def texts(graph: Graph, subject: Node, predicate: URIRef) -> list[str]:
    return sorted({str(o) for o in graph.objects(subject, predicate) if isinstance(o, Literal)})


def first_text(graph: Graph, subject: Node, predicate: URIRef) -> str | None:
    found = texts(graph, subject, predicate)
    return found[0] if found else None


def local_name(iri: object) -> str:
    return re.split(r"[/#]", str(iri).rstrip("/#"))[-1]


def read_entities(graph: Graph) -> dict[str, Entity]:
    """Every typed entity, keyed by IRI (in IRI order), with its most specific type."""
    entities: dict[str, Entity] = {}
    for kind, cls in ENTITY_TYPES:
        for subject in graph.subjects(RDF.type, cls):
            if not isinstance(subject, URIRef) or str(subject) in entities:
                continue
            entities[str(subject)] = Entity(
                iri=str(subject),
                kind=kind,
                label=first_text(graph, subject, RDFS.label) or local_name(subject),
                aliases=tuple(texts(graph, subject, SKOS.altLabel)),
                wikidata=tuple(
                    sorted(
                        str(o)[len(str(WD)) :] for o in graph.objects(subject, OWL.sameAs) if str(o).startswith(str(WD))
                    )
                ),
                articles=len(set(graph.objects(subject, NG.mentionedIn))),
            )
    return dict(sorted(entities.items()))


def find_entity(entities: Mapping[str, Entity], name: str, option: str | None = None) -> Entity:
    """The entity called ``name``: its IRI, its label, the last part of its IRI, an alias (any
    case), or else the one entity whose label or alias contains ``name``. ``option`` names the
    command-line option the name came from, for the error message."""
    wanted = " ".join(name.split()).casefold()
    if name in entities:
        return entities[name]
    what = f"{option} {name!r}" if option else repr(name)
    for rank in (
        lambda e: e.label.casefold() == wanted,
        lambda e: local_name(e.iri).casefold() == wanted,
        lambda e: wanted in (a.casefold() for a in e.aliases),
        lambda e: any(wanted in text.casefold() for text in (e.label, *e.aliases)),
    ):
        found = sorted((e for e in entities.values() if rank(e)), key=lambda e: e.iri)
        if len(found) == 1:
            return found[0]
        if found:
            choices = ", ".join(f"{e.label} <{e.iri}>" for e in found[:5])
            raise InputError(f"{what} names several entities: {choices} (give the full label or IRI)")
    close = difflib.get_close_matches(name, sorted({e.label for e in entities.values()}), n=3, cutoff=0.6)
    hint = f"did you mean {' or '.join(repr(c) for c in close)}?" if close else "give a label, an alias or an IRI"
    if option:
        raise InputError(f"{what}: no such entity in the graph ({hint})")
    raise InputError(f"no entity named {name!r} in the graph ({hint})")


# --- facts ----------------------------------------------------------------------------------


def relations_in(graph: Graph) -> dict[str, Relation]:
    """Direct property IRI -> relation: the registry's, and any other policy property the
    graph's concepts name (``ng:directProperty``), keyed by its local name."""
    known = {rel.property: rel for fam in families() for rel in fam.relations}
    for prop in sorted(set(graph.objects(None, NG.directProperty))):
        if isinstance(prop, URIRef) and str(prop) not in known:
            key = local_name(prop)
            known[str(prop)] = Relation(key, key, str(prop), "policy")
    return known


def read_facts(graph: Graph) -> tuple[Fact, ...]:
    """Every direct triple of a relation, with the evidence of its qualified nodes, sorted."""
    relations = relations_in(graph)
    triples: set[tuple[str, str, str]] = set()
    for prop in relations:
        for s, o in graph.subject_objects(URIRef(prop)):
            if isinstance(s, URIRef) and isinstance(o, URIRef):
                triples.add((str(s), prop, str(o)))
    evidence: dict[tuple[str, str, str], list[Evidence]] = defaultdict(list)
    from .graphevidence import qualified

    for key, item in qualified(graph, relations):
        evidence[key].append(item)
        triples.add(key)
    facts = []
    for s, p, o in sorted(triples):
        rel = relations[p]
        items = tuple(sorted(evidence.get((s, p, o), ()), key=lambda e: e.sort_key))
        facts.append(Fact(rel.family, rel.key, p, rel.label, rel.symmetric, s, o, items))
    return tuple(facts)


# --- articles -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleInfo:
    iri: str
    title: str  # dcterms:title, or "" when the graph has none
    files: tuple[str, ...]  # its source files

    @property
    def name(self) -> str:
        """How a reader names it: the headline, else the first source file, else the IRI's end."""
        return self.title or (self.files[0] if self.files else local_name(self.iri))


def read_articles(graph: Graph) -> dict[str, ArticleInfo]:
    """Every ``ng:Article`` by IRI, with its title and source files."""
    return {
        str(a): ArticleInfo(str(a), first_text(graph, a, DCTERMS.title) or "", tuple(texts(graph, a, NG.sourceFile)))
        for a in sorted(graph.subjects(RDF.type, NG.Article))
        if isinstance(a, URIRef)
    }
