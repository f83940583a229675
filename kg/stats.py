"""Graph analytics with networkx: counts, central entities, communities, and the shortest
chain of facts between two entities (``kg stats``, ``kg path``).

The entity graph has the entities (``ng:Person``, ``ng:Organization``, ``ng:Country``) as
nodes and the direct facts of every relation family of ``kg.registry`` as edges (``role``,
``policy``, ``part_of``), read by ``kg.graphview``; evidence comes from the qualified nodes
behind each direct triple.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from .graphview import Counts, Fact, GraphView, local_name, read_graph_view
from .namespaces import NG
from .registry import families

SEED = 42  # communities are found with this fixed seed, so every run gives the same ones


@dataclass
class GraphStats:
    types: dict[str, int]
    families: dict[str, int]
    relations: dict[tuple[str, str], int]  # (family, relation) -> direct triples
    qualified: dict[str, int]  # Article and qualified nodes (RoleAssignment, PolicyRelation)
    central: list[tuple[str, str, int, float]]  # label, type, degree, betweenness
    communities: list[list[str]]  # labels, the most connected first
    entities: int = 0
    facts: int = 0
    components: int = 0
    counts: Counts | None = None  # the shared line of the build summary, the page and the notebook
    months: dict[str, int] = field(default_factory=dict)  # "2025-03" (or a year) -> facts dated in it


@dataclass
class Hop:
    source: str
    target: str
    facts: list[Fact] = field(default_factory=list)


def entity_graph(view: GraphView) -> nx.Graph:
    """Undirected entity graph: one edge per link (a pair of entities joined by facts), ``facts``
    listing its distinct facts (``GraphView.distinct_facts``) and ``weight`` their number."""
    g = nx.Graph()
    for iri, entity in view.entities.items():
        g.add_node(iri, label=entity.label, type=entity.kind)
    for fact in view.distinct_facts():
        if fact.subject != fact.object:
            if g.has_edge(fact.subject, fact.object):
                g.edges[fact.subject, fact.object]["facts"].append(fact)
                g.edges[fact.subject, fact.object]["weight"] += 1
            else:
                g.add_edge(fact.subject, fact.object, facts=[fact], weight=1)
    return g


def compute_stats(graph: Graph, top: int = 10) -> GraphStats:
    view = read_graph_view(graph)
    types = {iri: e.kind for iri, e in view.entities.items()}
    facts = view.distinct_facts()
    g = entity_graph(view)
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
            local_name(cls): len(set(graph.subjects(RDF.type, URIRef(cls))))
            for cls in (NG.Article, *(fam.node_class for fam in families() if fam.node_class))
        },
        central=central,
        communities=communities,
        entities=len(types),
        facts=len(facts),
        components=nx.number_connected_components(linked) if len(linked) else 0,
        counts=view.counts(),
        months=view.facts_per_month(),
    )


def format_stats(stats: GraphStats, max_members: int = 8) -> str:
    lines = [stats.counts.line() if stats.counts else f"{stats.entities} entities, {stats.facts} facts"]
    lines.append("")
    lines.append("entities by type:")
    lines += [f"  {name:<14} {count:>6}" for name, count in stats.types.items()]
    lines.append("articles and evidence records (one per fact, article and sentence):")
    lines += [f"  {name:<14} {count:>6}" for name, count in stats.qualified.items()]
    lines.append("facts by relation family and relation:")
    for family, count in stats.families.items():
        lines.append(f"  {family:<14} {count:>6}")
        lines += [f"    {rel:<22} {n:>4}" for (fam, rel), n in stats.relations.items() if fam == family]
    lines.append("facts per month (the dates their sentences give; a year alone when no month):")
    lines += [f"  {month:<14} {count:>6}" for month, count in stats.months.items()] or ["  (no dated facts)"]
    lines.append("")
    lines.append("most central entities (degree = links, i.e. entities it shares a fact with; betweenness):")
    width = max([len(c[0]) for c in stats.central] + [6])
    lines += [
        f"  {label:<{width}}  {kind:<12} degree {deg:>3}  betweenness {btw:.3f}"
        for label, kind, deg, btw in stats.central
    ]
    lines.append("")
    lines.append(
        f"communities (Louvain, seed {SEED}): {len(stats.communities)} groups of closely linked entities "
        f"within {stats.components} connected components"
    )
    for i, members in enumerate(stats.communities, 1):
        shown = ", ".join(members[:max_members]) + (
            f", … (+{len(members) - max_members})" if len(members) > max_members else ""
        )
        lines.append(f"  {i:>2}. [{len(members)}] {shown}")
    return "\n".join(lines) + "\n"


# --- kg path --------------------------------------------------------------------------------------


def shortest_path(graph: Graph, source: str, target: str) -> list[Hop] | None:
    """The shortest chain of direct facts from ``source`` to ``target`` (names), or None."""
    view = read_graph_view(graph)
    a, b = view.find_entity(source).iri, view.find_entity(target).iri
    g = entity_graph(view)
    if a == b:
        return []
    try:
        nodes = nx.shortest_path(g, a, b)
    except nx.NetworkXNoPath:
        return None
    return [
        Hop(g.nodes[left]["label"], g.nodes[right]["label"], list(g.edges[left, right]["facts"]))
        for left, right in zip(nodes, nodes[1:])
    ]


def format_path(graph: Graph, hops: list[Hop], evidence_per_fact: int = 1) -> str:
    names = {iri: e.label for iri, e in read_graph_view(graph).entities.items()}
    if not hops:
        return "the two names are the same entity\n"
    lines = [
        f"{len(hops)} hop{'s' if len(hops) != 1 else ''}: " + " → ".join([hops[0].source] + [h.target for h in hops])
    ]
    for i, hop in enumerate(hops, 1):
        lines.append(f"{i}. {hop.source} — {hop.target}")
        for fact in hop.facts:
            evidence = fact.evidence
            # the role title of a role, the policy concept (``tariff.sectoral``) of a policy
            details = {e.title or (local_name(e.concept) if e.concept else "") for e in evidence}
            details = sorted(d for d in details if d and d != fact.relation)
            extra = f" ({', '.join(details)})" if details else ""
            subject = names.get(fact.subject, local_name(fact.subject))
            obj = names.get(fact.object, local_name(fact.object))
            lines.append(f"   {subject} --{fact.relation}--> {obj}{extra}")
            for e in evidence[:evidence_per_fact]:
                lines.append(f'      "{e.sentence}" [{", ".join(e.files) or "no source file"}]')
            if len(evidence) > evidence_per_fact:
                lines.append(f"      (+{len(evidence) - evidence_per_fact} more statement(s))")
            if not evidence:
                lines.append("      (no qualified statement with evidence)")
    return "\n".join(lines) + "\n"
