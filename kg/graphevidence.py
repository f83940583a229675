"""The evidence behind each direct triple of a graph: its qualified nodes (role assignments,
policy relations), read into ``kg.graphview.Evidence`` with their articles, files and dates.

Many nodes share an article, a status or a concept: what those give is read once per read
(``memo``). A build's ``Triples`` hand over a node's properties in one lookup.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from .graphview import Evidence, first_text, local_name, texts
from .namespaces import NG, SCHEMA
from .registry import Relation, families
from .triples import Triples

# looked up once: a closed namespace's attribute costs a call every time, for every fact read
_DERIVED, _CONFIDENCE, _ROLE_LABEL, _STATUS = PROV.wasDerivedFrom, NG.confidence, NG.roleLabel, NG.status
_EVIDENCE, _DATE, _SINCE, _UNTIL = NG.evidence, DCTERMS.date, SCHEMA.startDate, SCHEMA.endDate


def qualified(graph: Graph, relations: Mapping[str, Relation]) -> Iterable[tuple[tuple[str, str, str], Evidence]]:
    """((subject, direct property, object), evidence) for every qualified node of every family."""
    by_concept = {rel.concept: rel.property for rel in relations.values() if rel.concept}
    direct: dict[Node, str | None] = {}
    memo: dict = {}
    for fam in families():
        if fam.node_class is None or fam.subject is None or fam.object is None:
            continue
        subject_of, object_of = URIRef(fam.subject), URIRef(fam.object)
        concept_of = URIRef(fam.concept) if fam.concept else None
        for node in sorted(graph.subjects(RDF.type, URIRef(fam.node_class)), key=str):
            subject, obj = graph.value(node, subject_of), graph.value(node, object_of)
            if not isinstance(subject, URIRef) or not isinstance(obj, URIRef):
                continue
            concept = graph.value(node, concept_of) if concept_of is not None else None
            if fam.concept:
                if concept is None:
                    continue
                if concept not in direct:
                    direct[concept] = _direct_property(graph, concept, by_concept)
                prop = direct[concept]
            else:
                prop = fam.relations[0].property
            if prop is None or prop not in relations:
                continue
            yield (str(subject), prop, str(obj)), _evidence(graph, node, concept, memo)


def _direct_property(graph: Graph, concept: Node, by_concept: Mapping[str, str]) -> str | None:
    """The property of the direct triple: a narrower concept uses the one of its broader concept."""
    seen: set[Node] = set()
    current: Node | None = concept
    while current is not None and current not in seen:
        seen.add(current)
        prop = graph.value(current, NG.directProperty)
        if prop is not None:
            return str(prop)
        if str(current) in by_concept:
            return by_concept[str(current)]
        current = graph.value(current, SKOS.broader)
    return None


def _evidence(graph: Graph, node: Node, concept: Node | None, memo: dict) -> Evidence:
    """The evidence of one qualified node; ``memo`` keeps what its articles, status and concept
    give (shared by many nodes) across the calls of one read."""
    props = _properties(graph, node)

    def text(p: Node) -> str:  # the least literal
        values = props.get(p)
        if not values:
            return ""
        return min([str(o) for o in values if isinstance(o, Literal)], default="")

    derived = props.get(_DERIVED, ())
    sources = [memo[a] if a in memo else memo.setdefault(a, _article_facts(graph, a)) for a in derived]
    literal = next(iter(props.get(_CONFIDENCE, ())), None)
    try:
        confidence = float(literal) if literal is not None else None
    except ValueError:
        confidence = None
    title = text(_ROLE_LABEL)
    status_term = next(iter(props.get(_STATUS, ())), None)
    if status_term is not None and status_term not in memo:
        memo[status_term] = first_text(graph, status_term, RDFS.label) or local_name(status_term)
    status = "" if status_term is None else memo[status_term]
    if concept is not None:
        label = memo[concept] if concept in memo else memo.setdefault(concept, _concept_label(graph, concept))
    else:
        label = title or "member"
        # "current" is how a bare title reads anyway; only other statuses are spelt out.
        if status_term is not None and status_term != NG.current:
            label = f"{label} ({status})"
    return Evidence(
        node=str(node),
        sentence=text(_EVIDENCE),
        articles=tuple(sorted({str(a) for a in derived})),
        files=tuple(sorted({f for _issued, files in sources for f in files})),
        confidence=confidence,
        label=label,
        title=title,
        status=status,
        concept=str(concept) if concept is not None else "",
        date=text(_DATE),
        since=text(_SINCE),
        until=text(_UNTIL),
        published=min((d for issued, _files in sources for d in issued), default=""),
    )


def _properties(graph: Graph | Triples, node: Node) -> Mapping[Node, Iterable[Node]]:
    """Predicate -> objects of ``node``, read at once (a build's ``Triples`` holds them so)."""
    if isinstance(graph, Triples):
        return graph.spo.get(node, {})
    props: dict[Node, list[Node]] = defaultdict(list)
    for p, o in graph.predicate_objects(node):
        props[p].append(o)
    return props


def _article_facts(graph: Graph, article: Node) -> tuple[list[str], list[str]]:
    """(issued dates, source files) of an article."""
    return texts(graph, article, DCTERMS.issued), sorted({str(f) for f in graph.objects(article, NG.sourceFile)})


def _concept_label(graph: Graph, concept: Node) -> str:
    # English first, then any other language; sorted so the choice is stable.
    labels = sorted(
        (o.language != "en", str(o)) for o in graph.objects(concept, SKOS.prefLabel) if isinstance(o, Literal)
    )
    if labels:
        return labels[0][1]
    return first_text(graph, concept, SKOS.notation) or local_name(concept)
