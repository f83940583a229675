"""Stage 5: the RDF graph — entities, articles, and every fact as a direct triple plus a
qualified node with its provenance (see ``docs/graph-model.md``)."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from .models import Entity, EntityType, KnowledgeBase, Provenance, Status
from .namespaces import (
    NG,
    ORG,
    PREFIXES,
    SCHEMA,
    article_iri,
    entity_iri,
    policy_concept_iri,
    policy_relation_iri,
    role_assignment_iri,
    wikidata_iri,
)
from .registry import policy_keys
from .resources import ontology_file
from .triples import Triples

ENTITY_CLASS = {EntityType.PERSON: NG.Person, EntityType.ORGANIZATION: NG.Organization, EntityType.COUNTRY: NG.Country}
STATUS = {Status.CURRENT: NG.current, Status.FORMER: NG.former, Status.NOMINEE: NG.nominee}
DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}  # by the length of the ISO string

# Predicates and classes used per fact, looked up once (a closed namespace's attribute costs a
# call and a check every time).
_A, _ALT = RDF.type, SKOS.altLabel
_ROLE_ASSIGNMENT, _POLICY_RELATION = NG.RoleAssignment, NG.PolicyRelation
_HOLDS, _MEMBER, _ORGANIZATION, _ROLE_LABEL, _STATUS = (
    NG.holdsRoleIn,
    ORG.member,
    ORG.organization,
    NG.roleLabel,
    NG.status,
)
_START_DATE, _END_DATE = SCHEMA.startDate, SCHEMA.endDate
_ACTOR, _TARGET, _POLICY = NG.actor, NG.target, NG.policy
_DERIVED, _EVIDENCE, _START, _END, _PATTERN, _CONFIDENCE, _DATE = (
    PROV.wasDerivedFrom,
    NG.evidence,
    NG.startOffset,
    NG.endOffset,
    NG.pattern,
    NG.confidence,
    DCTERMS.date,
)
_MENTIONED_IN = NG.mentionedIn


@lru_cache(maxsize=4096)
def date_literal(value: str) -> Literal:
    """``"2025-03-30"^^xsd:date``, ``"2025-03"^^xsd:gYearMonth`` or ``"2025"^^xsd:gYear``."""
    return Literal(value, datatype=DATE_TYPES[len(value)])


# Offsets, confidences and pattern names repeat across facts: each literal is made once
# (rdflib's Literal checks and normalises its value, which costs more than the triple itself).
@lru_cache(maxsize=65536)
def _integer(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


@lru_cache(maxsize=4096)
def _decimal(value: float) -> Literal:
    return Literal(Decimal(str(value)), datatype=XSD.decimal)


@lru_cache(maxsize=4096)
def _text(value: str) -> Literal:
    return Literal(value)


@lru_cache(maxsize=1)
def policy_taxonomy() -> Graph:
    g = Graph()
    g.parse(ontology_file("policies.ttl"), format="turtle")
    return g


def new_graph() -> Graph:
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    return g


@lru_cache(maxsize=65536)
def entity_ref(key: str) -> URIRef:
    kind, _, name = key.partition(":")
    return entity_iri(kind, name)


def build_graph(kb: KnowledgeBase) -> Graph:
    """The graph of ``kb`` as an rdflib ``Graph``."""
    return build_triples(kb).to_graph()


def build_triples(kb: KnowledgeBase) -> Triples:
    """The graph of ``kb`` as ``Triples``: what a build writes and reads back for its page."""
    g = Triples()
    for triple in policy_taxonomy():
        g.add(triple)
    for status, term in STATUS.items():
        g.add((term, RDF.type, NG.RoleStatus))
        g.add((term, RDFS.label, _text(status.value)))
    articles = {a.content_hash: article_iri(a.content_hash) for a in kb.articles}
    for article in kb.articles:
        node = articles[article.content_hash]
        g.add((node, RDF.type, NG.Article))
        g.add((node, DCTERMS.title, Literal(article.title)))
        g.add((node, DCTERMS.identifier, Literal(article.content_hash)))
        if article.published:
            g.add((node, DCTERMS.issued, date_literal(article.published)))
        for source in article.sources:
            g.add((node, NG.sourceFile, Literal(source)))
    known = {e.key for e in kb.entities}
    for entity in kb.entities:
        _add_entity(g, entity, articles, known)
    add = g.add
    for fact in kb.roles:
        person, org = entity_ref(fact.person), entity_ref(fact.org)
        node = role_assignment_iri(
            fact.person, fact.role, fact.org, fact.status.value, fact.provenance.article, fact.provenance.start
        )
        add((person, _HOLDS, org))
        props = _provenance(fact.provenance, articles)
        props |= {
            _A: {_ROLE_ASSIGNMENT},
            _MEMBER: {person},
            _ORGANIZATION: {org},
            _ROLE_LABEL: {_text(fact.role)},
            _STATUS: {STATUS[fact.status]},
        }
        if fact.stated:
            props[_ALT] = {Literal(fact.stated)}
        if fact.provenance.since:
            props[_START_DATE] = {date_literal(fact.provenance.since)}
        if fact.provenance.until:
            props[_END_DATE] = {date_literal(fact.provenance.until)}
        g.add_subject(node, props)
    policy_property = {key: URIRef(rel.property) for key, rel in policy_keys().items()}
    for fact in kb.policies:
        actor, target = entity_ref(fact.actor), entity_ref(fact.target)
        node = policy_relation_iri(fact.actor, fact.policy, fact.target, fact.provenance.article, fact.provenance.start)
        add((actor, policy_property[fact.policy], target))
        props = _provenance(fact.provenance, articles)
        props |= {
            _A: {_POLICY_RELATION},
            _ACTOR: {actor},
            _TARGET: {target},
            _POLICY: {policy_concept_iri(fact.policy)},
        }
        g.add_subject(node, props)
    return g


def _add_entity(g: Triples, entity: Entity, articles: dict[str, URIRef], known: set[str]) -> None:
    node = entity_ref(entity.key)
    g.add((node, RDF.type, ENTITY_CLASS[entity.type]))
    g.add((node, RDFS.label, Literal(entity.label)))
    for alias in entity.aliases:
        g.add((node, SKOS.altLabel, Literal(alias)))
    if entity.wikidata:
        g.add((node, OWL.sameAs, wikidata_iri(entity.wikidata)))
    if entity.part_of and entity.part_of in known:
        g.add((node, DCTERMS.isPartOf, entity_ref(entity.part_of)))
    for article in entity.articles:
        g.add((node, _MENTIONED_IN, articles[article]))


def _provenance(prov: Provenance, articles: dict[str, URIRef]) -> dict[Node, set[Node]]:
    """The provenance properties of a fact's node: predicate -> objects."""
    props = {
        _DERIVED: {articles[prov.article]},
        _EVIDENCE: {Literal(prov.evidence)},
        _START: {_integer(prov.start)},
        _END: {_integer(prov.end)},
        _PATTERN: {_text(prov.pattern)},
        _CONFIDENCE: {_decimal(prov.confidence)},
    }
    if prov.date:
        props[_DATE] = {date_literal(prov.date)}
    return props
