"""Export the graph as one self-contained, interactive HTML page (vis-network 9.1.2).

Nodes are the entities (persons, organisations, countries); edges are the distinct direct
facts of the relation families that have qualified nodes (``kg.registry``: roles and policies)
-- one per ``?person ng:holdsRoleIn ?org`` and one per ``?actor ng:<policy> ?target``, a
symmetric policy (alliance, trade, ...) stated from both sides being one edge. The graph is
read by ``kg.graphview``; each edge shows the labels of its qualified nodes (a role title, a
policy concept) and the evidence sentences behind it. The page itself is rendered by
``kg.htmlpage`` from the templates in ``kg/templates``.

The page is our own template (pyvis's ``template.html`` always links bootstrap from a CDN,
writes the heading unescaped, and switches to a popup that sets ``innerHTML`` from a node's
title as soon as any title contains the text "href" -- which article text can); pyvis is
used for the copy of vis-network it ships. Safety rests on:

- vis-network 9.1.2 shows a string ``title`` with ``innerText`` (it has no ``innerHTML`` at
  all), so tooltips are built as plain text with newlines and are *not* HTML-escaped
  (escaping would show ``&lt;`` to the reader); the page's own script writes data into the
  DOM only with ``textContent``;
- the data is JSON inside ``<script>`` with ``<``, ``>`` and ``&`` written as ``\\u003c`` etc.,
  so no article text can close the script element;
- the template autoescapes, so the page title, heading and legend are text;
- vis-network's JS and CSS are inlined from the installed pyvis package: the page loads
  nothing from the network.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import rdflib

from .errors import InputError
from .export import write_atomic
from .graphview import ENTITY_TYPES, Entity, GraphView, find_entity, read_graph_view
from .graphview import Evidence as FactEvidence
from .htmlpage import NODE_COLOURS, render_page
from .registry import families, family

SIZE_MEASURES = ("degree", "centrality")
MAX_EVIDENCE = 5
MAX_EVIDENCE_CHARS = 300
MAX_EDGE_LABELS = 3
CENTRALITY_SAMPLE = 400


@dataclass(frozen=True)
class EdgeStyle:
    legend: str
    colour: str
    dashed: bool
    arrow: bool


def edge_styles() -> dict[str, EdgeStyle]:
    """The page's edge styles, by the edges' ``family``: each drawn family of the registry, and
    its style for symmetric relations (drawn without an arrow) under that style's name."""
    styles: dict[str, EdgeStyle] = {}
    for fam in families():
        if fam.node_class is None:  # no qualified nodes, so no evidence to show: not drawn
            continue
        styles[fam.name] = EdgeStyle(fam.edge.legend, fam.edge.colour, fam.edge.dashed, arrow=True)
        if fam.mutual_edge is not None:
            mutual = fam.mutual_edge
            styles[mutual.name or f"{fam.name}_mutual"] = EdgeStyle(
                mutual.legend, mutual.colour, mutual.dashed, arrow=False
            )
    return styles


EDGE_STYLES: dict[str, EdgeStyle] = edge_styles()


@dataclass(frozen=True, order=True)
class EdgeEvidence:
    """One evidence line of an edge's tooltip."""

    sort_key: tuple[float, tuple[str, ...], str, str]
    text: str
    files: tuple[str, ...]
    confidence: str | None
    label: str = ""


@dataclass
class Edge:
    """One drawn edge: a distinct direct fact with the evidence of all its qualified nodes."""

    family: str  # a key of EDGE_STYLES
    source: str
    target: str
    label: str
    evidence: set[EdgeEvidence] = field(default_factory=set)
    labels: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.labels.add(self.label)

    def edge_label(self) -> str:
        """The labels of the fact, strongest evidence first (a person may hold two roles in one body)."""
        best: dict[str, EdgeEvidence] = {}
        for item in sorted(self.evidence):
            best.setdefault(item.label or self.label, item)
        ordered = sorted(self.labels, key=lambda label: (label not in best, best.get(label), label))
        shown = ordered[:MAX_EDGE_LABELS]
        more = f" +{len(ordered) - MAX_EDGE_LABELS}" if len(ordered) > MAX_EDGE_LABELS else ""
        return " / ".join(shown) + more


@dataclass(frozen=True)
class Selection:
    """What part of the graph to draw: entity types, and a neighbourhood of one entity."""

    types: frozenset[str] | None = None  # entity kinds, e.g. {"Person", "Country"}; None: all
    focus: str | None = None  # a label, alias or IRI of an entity
    depth: int = 1


def write_html(
    graph: rdflib.Graph,
    path: Path,
    *,
    title: str = "newsgraph",
    selection: Selection | None = None,
    size_by: str = "degree",
) -> tuple[int, int]:
    """Write an interactive network of ``graph`` to ``path`` (atomically, deterministically).

    Returns the number of entities and relations drawn.
    """
    view = read_graph_view(graph)
    entities = dict(view.entities)
    edges = read_edges(view)
    focus = None
    subtitle = ""
    if selection is not None:
        entities, edges, focus = select(entities, edges, selection)
        subtitle = describe(selection, entities, focus)
    nodes, records = network_data(entities, edges, size_by=size_by, focus=focus)
    page = render_page(
        nodes, records, title=title, subtitle=subtitle, focus=focus, size_by=size_by, edge_styles=EDGE_STYLES
    )
    write_atomic(Path(path), page.encode("utf-8"))
    return len(nodes), len(records)


def read_edges(view: GraphView) -> list[Edge]:
    """One edge per distinct direct fact between entities, merging the evidence of its qualified
    nodes; a symmetric fact has unordered ends, so one stated from both sides is one edge. A
    fact without qualified nodes (``dcterms:isPartOf``) is not drawn."""
    edges: dict[tuple[str, str, str, str], Edge] = {}
    for fact in view.entity_facts():
        fam = family(fact.family)
        name = (fam.mutual_edge.name or f"{fam.name}_mutual") if fact.symmetric and fam.mutual_edge else fam.name
        if name not in EDGE_STYLES:
            continue
        source, target = sorted((fact.subject, fact.object)) if fact.symmetric else (fact.subject, fact.object)
        for item in fact.evidence:
            edge = edges.setdefault((name, source, fact.predicate, target), Edge(name, source, target, item.label))
            edge.labels.add(item.label)
            edge.evidence.add(_edge_evidence(item))
    return [edges[key] for key in sorted(edges)]


def _edge_evidence(item: FactEvidence) -> EdgeEvidence:
    text = " ".join(item.sentence.split())
    if len(text) > MAX_EVIDENCE_CHARS:
        text = text[: MAX_EVIDENCE_CHARS - 1].rstrip() + "…"
    score = item.confidence if item.confidence is not None else -1.0
    confidence = str(item.confidence) if item.confidence is not None else None
    # Strongest evidence first, then a stable order for byte-identical output.
    return EdgeEvidence((-score, item.files, text, item.label), text, item.files, confidence, item.label)


# --- choosing what to draw ---------------------------------------------------------------


def parse_types(values: Iterable[str]) -> frozenset[str]:
    """``["person,country", "organisation"]`` -> ``{"Person", "Country", "Organization"}``."""
    known = {kind.lower(): kind for kind, _cls in ENTITY_TYPES}
    known["organisation"] = "Organization"
    kinds: set[str] = set()
    for value in values:
        for word in filter(None, (w.strip().lower() for w in value.split(","))):
            name = known.get(word) or known.get(word.removesuffix("s")) or known.get(word.removesuffix("ies") + "y")
            if name is None:
                raise InputError(f"unknown entity type {word!r} in --types (use person, organization or country)")
            kinds.add(name)
    return frozenset(kinds)


def select(
    entities: dict[str, Entity], edges: list[Edge], selection: Selection
) -> tuple[dict[str, Entity], list[Edge], str | None]:
    """Keep the entities of the chosen types and, with a focus, those within ``depth`` relations of it."""
    if selection.types is not None:
        entities = {iri: e for iri, e in entities.items() if e.kind in selection.types}
    focus = None
    if selection.focus is not None:
        centre = find_entity(entities, selection.focus, "--focus") if entities else None
        if centre is None:
            raise InputError(f"--focus {selection.focus!r}: no entities of the chosen --types in the graph")
        focus = centre.iri
        g = nx.Graph()
        g.add_nodes_from(entities)
        g.add_edges_from((f.source, f.target) for f in edges if f.source in entities and f.target in entities)
        near = nx.single_source_shortest_path_length(g, focus, cutoff=max(0, selection.depth))
        entities = {iri: e for iri, e in entities.items() if iri in near}
    edges = [f for f in edges if f.source in entities and f.target in entities]
    return entities, edges, focus


def describe(selection: Selection, entities: dict[str, Entity], focus: str | None) -> str:
    parts = []
    if focus is not None:
        steps = _plural(selection.depth, "relation")
        parts.append(f"around {entities[focus].label} (up to {steps} away)")
    if selection.types is not None:
        parts.append("types: " + ", ".join(kind for kind, _cls in ENTITY_TYPES if kind in selection.types))
    return "; ".join(parts)


# --- building the network ----------------------------------------------------------------


def degrees(entities: Iterable[str], edges: Iterable[Edge]) -> dict[str, int]:
    """Number of drawn edges at each node."""
    g = nx.MultiGraph()
    g.add_nodes_from(entities)
    g.add_edges_from((f.source, f.target) for f in edges)
    return dict(g.degree())


def centrality(entities: Iterable[str], edges: Iterable[Edge]) -> dict[str, float]:
    """Betweenness centrality; sampled (seeded, so stable) on large graphs."""
    g = nx.Graph()
    g.add_nodes_from(sorted(entities))
    g.add_edges_from(sorted({(f.source, f.target) for f in edges}))
    k = CENTRALITY_SAMPLE if len(g) > CENTRALITY_SAMPLE else None
    return nx.betweenness_centrality(g, k=k, seed=42)


def node_sizes(entities: dict[str, Entity], edges: list[Edge], size_by: str) -> dict[str, int]:
    degree = degrees(entities, edges)
    if size_by == "degree":
        return {iri: 10 + round(6 * math.sqrt(degree[iri])) for iri in entities}
    if size_by != "centrality":
        raise InputError(f"unknown node size measure {size_by!r} (use {' or '.join(SIZE_MEASURES)})")
    scores = centrality(entities, edges)
    top = max(scores.values(), default=0.0) or 1.0
    return {iri: 10 + round(40 * math.sqrt(scores[iri] / top)) for iri in entities}


def network_data(
    entities: dict[str, Entity], edges: list[Edge], *, size_by: str = "degree", focus: str | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The vis-network node and edge records; ``kind`` and ``family`` drive the page's filters."""
    degree = degrees(entities, edges)
    sizes = node_sizes(entities, edges, size_by)
    nodes = []
    for iri in sorted(entities):
        entity = entities[iri]
        node: dict[str, Any] = {
            "id": iri,
            "label": entity.label,
            "title": node_tooltip(entity, degree[iri]),
            "color": NODE_COLOURS[entity.kind],
            "size": sizes[iri],
            "kind": entity.kind,
        }
        if entity.aliases:
            node["aliases"] = list(entity.aliases)
        if iri == focus:
            node["borderWidth"] = 4
            ring = {"background": NODE_COLOURS[entity.kind], "border": "#222222"}
            node["color"] = {**ring, "highlight": ring, "hover": ring}
        nodes.append(node)
    labels = {iri: e.label for iri, e in entities.items()}
    records = []
    for number, edge in enumerate(edges, start=1):
        style = EDGE_STYLES[edge.family]
        records.append(
            {
                "id": f"e{number}",
                "from": edge.source,
                "to": edge.target,
                "label": edge.edge_label(),
                "title": edge_tooltip(edge, labels),
                "family": edge.family,
                "color": {"color": style.colour, "highlight": style.colour, "hover": style.colour},
                "dashes": style.dashed,
                "arrows": {"to": {"enabled": style.arrow}},
                "width": min(6, 1 + len(edge.evidence)),
            }
        )
    return nodes, records


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def node_tooltip(entity: Entity, degree: int) -> str:
    """Plain text: vis-network shows a string title with innerText."""
    lines = [f"{entity.kind}: {entity.label}"]
    if entity.aliases:
        lines.append("Also known as: " + "; ".join(entity.aliases))
    if entity.wikidata:
        lines.append("Wikidata: " + ", ".join(entity.wikidata))
    lines.append(f"Mentioned in {_plural(entity.articles, 'article')}")
    lines.append(f"Relations shown: {degree}")
    return "\n".join(lines)


def edge_tooltip(edge: Edge, labels: dict[str, str]) -> str:
    """Plain text, like node_tooltip; lists the strongest evidence first."""
    arrow = "→" if EDGE_STYLES[edge.family].arrow else "—"
    evidence = sorted(edge.evidence)
    several = len(edge.labels) > 1
    lines = [
        " / ".join(sorted(edge.labels)) if several else edge.label,
        f"{labels[edge.source]} {arrow} {labels[edge.target]}",
        f"{EDGE_STYLES[edge.family].legend}; {_plural(len(evidence), 'evidence sentence')}:",
    ]
    for item in evidence[:MAX_EVIDENCE]:
        source = ", ".join(item.files) or "unknown source"
        confidence = item.confidence if item.confidence is not None else "?"
        lines.append(f"• “{item.text}”")
        role = f"{item.label} · " if several and item.label else ""
        lines.append(f"   {role}{source} · confidence {confidence}")
    if len(evidence) > MAX_EVIDENCE:
        lines.append(f"+{len(evidence) - MAX_EVIDENCE} more")
    return "\n".join(lines)
