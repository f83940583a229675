"""Graph analytics with networkx: counts, central entities, communities, and the shortest
chain of facts between two entities (``kg stats``, ``kg path``).

The entity graph has the entities (``ng:Person``, ``ng:Organization``, ``ng:Country``) as
nodes and the direct facts as edges: ``ng:holdsRoleIn`` (family ``role``), the policy
properties such as ``ng:tariff`` (family ``policy``) and ``dcterms:isPartOf`` (family
``part_of``). Evidence comes from the qualified nodes behind each direct triple.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from .errors import InputError
from .namespaces import NG, ORG

ENTITY_TYPES = {NG.Country: "Country", NG.Person: "Person", NG.Organization: "Organization"}
SEED = 42  # communities are found with this fixed seed, so every run gives the same ones


@dataclass(frozen=True)
class Fact:
    """A direct triple between two resources, with its relation name and family."""

    subject: URIRef
    predicate: URIRef
    object: URIRef
    relation: str  # "holdsRoleIn", a policy key such as "tariff", or "isPartOf"
    family: str  # "role", "policy" or "part_of"


@dataclass(frozen=True)
class Evidence:
    sentence: str
    docs: tuple[str, ...]
    detail: str  # the role title for a role, the policy concept for a policy
    confidence: float


@dataclass
class GraphStats:
    types: dict[str, int]
    families: dict[str, int]
    relations: dict[tuple[str, str], int]  # (family, relation) -> direct triples
    qualified: dict[str, int]  # RoleAssignment / PolicyRelation nodes
    central: list[tuple[str, str, int, float]]  # label, type, degree, betweenness
    communities: list[list[str]]  # labels, the most connected first
    entities: int = 0
    facts: int = 0
    components: int = 0


@dataclass
class Hop:
    source: str
    target: str
    facts: list[tuple[Fact, list[Evidence]]] = field(default_factory=list)


def entity_types(graph: Graph) -> dict[URIRef, str]:
    """Every entity and its most specific type (a country is only "Country")."""
    types: dict[URIRef, str] = {}
    for cls, name in ENTITY_TYPES.items():  # Country first: it wins over Organization
        for entity in graph.subjects(RDF.type, cls):
            if isinstance(entity, URIRef):
                types.setdefault(entity, name)
    return types


def _policy_properties(graph: Graph) -> dict[URIRef, str]:
    """Policy property → key: from the concepts in the graph, else from our taxonomy."""
    from .graph import policy_taxonomy

    props: dict[URIRef, str] = {}
    for source in (graph, policy_taxonomy()):
        for prop in source.objects(None, NG.directProperty):
            if isinstance(prop, URIRef):
                props[prop] = _local(prop)  # ng:tariff -> "tariff", the top concept's key
    return props


def direct_facts(graph: Graph) -> list[Fact]:
    """The direct facts between entities, sorted."""
    policy = _policy_properties(graph)
    facts = [Fact(s, NG.holdsRoleIn, o, "holdsRoleIn", "role") for s, o in graph.subject_objects(NG.holdsRoleIn)]
    facts += [Fact(s, DCTERMS.isPartOf, o, "isPartOf", "part_of") for s, o in graph.subject_objects(DCTERMS.isPartOf)]
    for prop, key in policy.items():
        facts += [Fact(s, prop, o, key, "policy") for s, o in graph.subject_objects(prop)]
    return sorted((f for f in facts if isinstance(f.subject, URIRef) and isinstance(f.object, URIRef)), key=_sort_key)


def _sort_key(fact: Fact) -> tuple:
    return (str(fact.subject), str(fact.predicate), str(fact.object))


def _facts_sorted(facts: list[Fact]) -> list[Fact]:
    return sorted(facts, key=_sort_key)


def evidence_index(graph: Graph) -> dict[tuple[URIRef, URIRef, URIRef], list[Evidence]]:
    """(subject, direct predicate, object) → the evidence of the qualified nodes behind it."""
    policy = {v: k for k, v in _policy_properties(graph).items()}
    index: dict[tuple, list[Evidence]] = defaultdict(list)
    for node in graph.subjects(RDF.type, NG.RoleAssignment):
        person, org = graph.value(node, ORG.member), graph.value(node, ORG.organization)
        title = graph.value(node, NG.roleLabel)
        index[(person, NG.holdsRoleIn, org)].append(_evidence(graph, node, str(title or "")))
    for node in graph.subjects(RDF.type, NG.PolicyRelation):
        actor, target, concept = graph.value(node, NG.actor), graph.value(node, NG.target), graph.value(node, NG.policy)
        prop = _direct_property(graph, concept, policy)
        if prop is not None:
            index[(actor, prop, target)].append(_evidence(graph, node, _local(concept) if concept else ""))
    for items in index.values():
        items.sort(key=lambda e: (-e.confidence, e.docs, e.sentence))
    return index


def _direct_property(graph: Graph, concept: object, by_key: dict[str, URIRef]) -> URIRef | None:
    from .graph import policy_taxonomy

    seen: set = set()
    while concept is not None and concept not in seen:
        seen.add(concept)
        for source in (graph, policy_taxonomy()):
            prop = source.value(concept, NG.directProperty)
            if isinstance(prop, URIRef):
                return prop
        concept = graph.value(concept, SKOS.broader) or policy_taxonomy().value(concept, SKOS.broader)
    return None


def _evidence(graph: Graph, node: URIRef, detail: str) -> Evidence:
    docs = sorted(
        str(doc)
        for article in graph.objects(node, PROV.wasDerivedFrom)
        for doc in graph.objects(article, NG.sourceFile)
    )
    confidence = graph.value(node, NG.confidence)
    value = confidence.toPython() if isinstance(confidence, Literal) else 0.0
    return Evidence(
        sentence=str(graph.value(node, NG.evidence) or ""),
        docs=tuple(docs),
        detail=detail,
        confidence=float(value) if isinstance(value, int | float | Decimal) else 0.0,
    )


def labels(graph: Graph) -> dict[URIRef, str]:
    out: dict[URIRef, str] = {}
    for entity, label in sorted(graph.subject_objects(RDFS.label)):
        if isinstance(entity, URIRef):
            out.setdefault(entity, str(label))
    return out


def entity_graph(graph: Graph) -> nx.Graph:
    """Undirected entity graph: one edge per linked pair, ``facts`` listing the direct facts."""
    types = entity_types(graph)
    names = labels(graph)
    g = nx.Graph()
    for entity in sorted(types):
        g.add_node(entity, label=names.get(entity, _local(entity)), type=types[entity])
    for fact in direct_facts(graph):
        if fact.subject in types and fact.object in types and fact.subject != fact.object:
            if g.has_edge(fact.subject, fact.object):
                g.edges[fact.subject, fact.object]["facts"].append(fact)
                g.edges[fact.subject, fact.object]["weight"] += 1
            else:
                g.add_edge(fact.subject, fact.object, facts=[fact], weight=1)
    return g


def compute_stats(graph: Graph, top: int = 10) -> GraphStats:
    types = entity_types(graph)
    facts = [f for f in direct_facts(graph) if f.subject in types and f.object in types]
    g = entity_graph(graph)
    betweenness = nx.betweenness_centrality(g) if len(g) > 2 else {n: 0.0 for n in g}
    ranked = sorted(g.nodes, key=lambda n: (-g.degree(n), -betweenness[n], g.nodes[n]["label"], str(n)))
    central = [(g.nodes[n]["label"], g.nodes[n]["type"], g.degree(n), betweenness[n]) for n in ranked[:top]]
    linked = g.subgraph([n for n in g.nodes if g.degree(n) > 0])
    groups = nx.community.louvain_communities(linked, weight="weight", seed=SEED) if len(linked) else []
    communities = []
    for group in groups:
        members = sorted(group, key=lambda n: (-g.degree(n), g.nodes[n]["label"]))
        communities.append([g.nodes[n]["label"] for n in members])
    communities.sort(key=lambda c: (-len(c), c))
    relations = Counter((f.family, f.relation) for f in facts)
    return GraphStats(
        types=dict(sorted(Counter(types.values()).items())),
        families=dict(sorted(Counter(f.family for f in facts).items())),
        relations=dict(sorted(relations.items())),
        qualified={
            "Article": len(set(graph.subjects(RDF.type, NG.Article))),
            "RoleAssignment": len(set(graph.subjects(RDF.type, NG.RoleAssignment))),
            "PolicyRelation": len(set(graph.subjects(RDF.type, NG.PolicyRelation))),
        },
        central=central,
        communities=communities,
        entities=len(types),
        facts=len(facts),
        components=nx.number_connected_components(linked) if len(linked) else 0,
    )


def format_stats(stats: GraphStats, max_members: int = 8) -> str:
    lines = [f"{stats.entities} entities, {stats.facts} direct facts between them"]
    lines.append("")
    lines.append("entities by type:")
    lines += [f"  {name:<14} {count:>6}" for name, count in stats.types.items()]
    lines.append("qualified records:")
    lines += [f"  {name:<14} {count:>6}" for name, count in stats.qualified.items()]
    lines.append("direct facts by relation family:")
    for family, count in stats.families.items():
        lines.append(f"  {family:<14} {count:>6}")
        lines += [f"    {rel:<22} {n:>4}" for (fam, rel), n in stats.relations.items() if fam == family]
    lines.append("")
    lines.append("most central entities (degree = linked entities; betweenness centrality):")
    width = max([len(c[0]) for c in stats.central] + [6])
    lines += [
        f"  {label:<{width}}  {kind:<12} degree {deg:>3}  betweenness {btw:.3f}"
        for label, kind, deg, btw in stats.central
    ]
    lines.append("")
    lines.append(f"communities (Louvain, seed {SEED}; {stats.components} connected components):")
    for i, members in enumerate(stats.communities, 1):
        shown = ", ".join(members[:max_members]) + (
            f", … (+{len(members) - max_members})" if len(members) > max_members else ""
        )
        lines.append(f"  {i:>2}. [{len(members)}] {shown}")
    return "\n".join(lines) + "\n"


# --- kg path --------------------------------------------------------------------------------------


def find_entity(graph: Graph, name: str) -> URIRef:
    """The entity whose rdfs:label (else skos:altLabel) is ``name``, ignoring case."""
    wanted = name.strip().casefold()
    types = entity_types(graph)
    by_label = sorted({s for s, o in graph.subject_objects(RDFS.label) if s in types and str(o).casefold() == wanted})
    if not by_label:
        by_label = sorted(
            {s for s, o in graph.subject_objects(SKOS.altLabel) if s in types and str(o).casefold() == wanted}
        )
    if not by_label:
        raise InputError(
            f"no entity named {name!r} in the graph (names are rdfs:label or skos:altLabel, any case; "
            "list them with `kg query GRAPH entities`)"
        )
    if len(by_label) > 1:
        names = labels(graph)
        options = "; ".join(f"{names.get(e, _local(e))} <{e}>" for e in by_label)
        raise InputError(f"{name!r} names {len(by_label)} entities: {options} (give the full rdfs:label)")
    return by_label[0]


def shortest_path(graph: Graph, source: str, target: str) -> list[Hop] | None:
    """The shortest chain of direct facts from ``source`` to ``target`` (names), or None."""
    a, b = find_entity(graph, source), find_entity(graph, target)
    g = entity_graph(graph)
    if a == b:
        return []
    try:
        nodes = nx.shortest_path(g, a, b)
    except nx.NetworkXNoPath:
        return None
    index = evidence_index(graph)
    hops = []
    for left, right in zip(nodes, nodes[1:]):
        hop = Hop(g.nodes[left]["label"], g.nodes[right]["label"])
        for fact in _facts_sorted(g.edges[left, right]["facts"]):
            hop.facts.append((fact, index.get((fact.subject, fact.predicate, fact.object), [])))
        hops.append(hop)
    return hops


def format_path(graph: Graph, hops: list[Hop], evidence_per_fact: int = 1) -> str:
    names = labels(graph)
    if not hops:
        return "the two names are the same entity\n"
    lines = [
        f"{len(hops)} hop{'s' if len(hops) != 1 else ''}: " + " → ".join([hops[0].source] + [h.target for h in hops])
    ]
    for i, hop in enumerate(hops, 1):
        lines.append(f"{i}. {hop.source} — {hop.target}")
        for fact, evidence in hop.facts:
            details = sorted({e.detail for e in evidence if e.detail and e.detail != fact.relation})
            extra = f" ({', '.join(details)})" if details else ""
            subject, obj = names.get(fact.subject, _local(fact.subject)), names.get(fact.object, _local(fact.object))
            lines.append(f"   {subject} --{fact.relation}--> {obj}{extra}")
            for e in evidence[:evidence_per_fact]:
                lines.append(f'      "{e.sentence}" [{", ".join(e.docs) or "no source file"}]')
            if len(evidence) > evidence_per_fact:
                lines.append(f"      (+{len(evidence) - evidence_per_fact} more statement(s))")
            if not evidence:
                lines.append("      (no qualified statement with evidence)")
    return "\n".join(lines) + "\n"


def _local(term: object) -> str:
    return str(term).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
