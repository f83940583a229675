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
from .graphview import (
    ENTITY_TYPES,
    ArticleInfo,
    Counts,
    Entity,
    Fact,
    GraphView,
    fact_key,
    find_entity,
    read_articles,
    read_graph_view,
)
from .htmlpage import NODE_COLOURS, render_page
from .registry import families, family

SIZE_MEASURES = ("degree", "centrality")
MAX_EVIDENCE = 5
MAX_EVIDENCE_CHARS = 300
MAX_EDGE_LABELS = 4
MAX_ARTICLE_CHARS = 90
CENTRALITY_SAMPLE = 400


@dataclass(frozen=True)
class EdgeStyle:
    legend: str
    colour: str
    dashed: bool
    arrow: bool


def edge_styles() -> dict[str, EdgeStyle]:
    """The page's edge styles, by the edges' ``family``: each family of the registry, and
    its style for symmetric relations (drawn without an arrow) under that style's name."""
    styles: dict[str, EdgeStyle] = {}
    for fam in families():
        styles[fam.name] = EdgeStyle(fam.edge.legend, fam.edge.colour, fam.edge.dashed, arrow=True)
        if fam.mutual_edge is not None:
            mutual = fam.mutual_edge
            styles[mutual.name or f"{fam.name}_mutual"] = EdgeStyle(
                mutual.legend, mutual.colour, mutual.dashed, arrow=False
            )
    return styles


EDGE_STYLES: dict[str, EdgeStyle] = edge_styles()


@dataclass
class Link:
    """One drawn line: a pair of entities and every fact between them (in ``fact_key`` order)."""

    source: str  # the pair in IRI order, or the subject when every directed fact goes one way
    target: str
    facts: list[Fact] = field(default_factory=list)

    @property
    def families(self) -> list[str]:
        """The page's style names of its facts (keys of EDGE_STYLES), most telling first."""
        names = {style_name(f) for f in self.facts}
        return [name for name in EDGE_STYLES if name in names]

    @property
    def evidence(self) -> int:
        return sum(len(f.evidence) for f in self.facts)

    def labels(self) -> list[str]:
        """What the facts say: role titles, policy concepts, else the relation's label."""
        seen: dict[str, None] = {}
        for fact in sorted(self.facts, key=lambda f: (self.families.index(style_name(f)), fact_key(f))):
            for label in fact_labels(fact):
                seen.setdefault(label)
        return list(seen)

    def edge_label(self) -> str:
        labels = self.labels()
        shown = labels[:MAX_EDGE_LABELS]
        more = [f"+{len(labels) - MAX_EDGE_LABELS} more"] if len(labels) > MAX_EDGE_LABELS else []
        return "\n".join(shown + more)


def style_name(fact: Fact) -> str:
    """The page's style of a fact: its family's, or its family's mutual style when symmetric."""
    fam = family(fact.family)
    if fact.symmetric and fam.mutual_edge is not None:
        return fam.mutual_edge.name or f"{fam.name}_mutual"
    return fam.name


def fact_labels(fact: Fact) -> list[str]:
    """Labels of a fact, strongest evidence first (a person may hold two roles in one body)."""
    seen: dict[str, None] = {}
    for item in fact.evidence:
        seen.setdefault(item.label or fact.label)
    return list(seen) or [fact.label]


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

    Returns the number of entities and links drawn.
    """
    view = read_graph_view(graph)
    entities = dict(view.entities)
    links = read_links(view)
    focus = None
    subtitle = ""
    if selection is not None:
        entities, links, focus = select(entities, links, selection)
        subtitle = describe(selection, entities, focus)
    nodes, records = network_data(entities, links, size_by=size_by, focus=focus)
    facts = [f for link in links for f in link.facts]
    counts = Counts(
        len(entities),
        len(facts),
        len(links),
        sum(1 for n in nodes if n.get("isolated")),
        {name: sum(1 for f in facts if f.family == name) for name in dict.fromkeys(fam.name for fam in families())},
    )
    page = render_page(
        nodes,
        records,
        title=title,
        subtitle=subtitle,
        focus=focus,
        size_by=size_by,
        edge_styles=EDGE_STYLES,
        facts=fact_records(links, entities, read_articles(graph)),
        counts=counts,
    )
    write_atomic(Path(path), page.encode("utf-8"))
    return len(nodes), len(records)


def read_links(view: GraphView) -> list[Link]:
    """One link per pair of entities with its distinct facts (``GraphView.distinct_facts``:
    a mutual fact stated from both sides is one fact); a fact of an entity with itself is no link."""
    links: dict[tuple[str, str], Link] = {}
    for fact in view.distinct_facts():
        if fact.subject == fact.object or style_name(fact) not in EDGE_STYLES:
            continue
        pair = tuple(sorted((fact.subject, fact.object)))
        links.setdefault(pair, Link(*pair)).facts.append(fact)
    for link in links.values():
        directions = {(f.subject, f.object) for f in link.facts if not f.symmetric}
        if len(directions) == 1:
            link.source, link.target = next(iter(directions))
    return [links[pair] for pair in sorted(links)]


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
    entities: dict[str, Entity], links: list[Link], selection: Selection
) -> tuple[dict[str, Entity], list[Link], str | None]:
    """Keep the entities of the chosen types and, with a focus, those within ``depth`` links of it."""
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
        g.add_edges_from((f.source, f.target) for f in links if f.source in entities and f.target in entities)
        near = nx.single_source_shortest_path_length(g, focus, cutoff=max(0, selection.depth))
        entities = {iri: e for iri, e in entities.items() if iri in near}
    links = [f for f in links if f.source in entities and f.target in entities]
    return entities, links, focus


def describe(selection: Selection, entities: dict[str, Entity], focus: str | None) -> str:
    parts = []
    if focus is not None:
        steps = _plural(selection.depth, "link")
        parts.append(f"around {entities[focus].label} (up to {steps} away)")
    if selection.types is not None:
        parts.append("types: " + ", ".join(kind for kind, _cls in ENTITY_TYPES if kind in selection.types))
    return "; ".join(parts)


# --- building the network ----------------------------------------------------------------


def degrees(entities: Iterable[str], links: Iterable[Link]) -> dict[str, int]:
    """Number of drawn links at each node."""
    g = nx.MultiGraph()
    g.add_nodes_from(entities)
    g.add_edges_from((f.source, f.target) for f in links)
    return dict(g.degree())


def centrality(entities: Iterable[str], links: Iterable[Link]) -> dict[str, float]:
    """Betweenness centrality; sampled (seeded, so stable) on large graphs."""
    g = nx.Graph()
    g.add_nodes_from(sorted(entities))
    g.add_edges_from(sorted({(f.source, f.target) for f in links}))
    k = CENTRALITY_SAMPLE if len(g) > CENTRALITY_SAMPLE else None
    return nx.betweenness_centrality(g, k=k, seed=42)


def node_sizes(entities: dict[str, Entity], links: list[Link], size_by: str) -> dict[str, int]:
    degree = degrees(entities, links)
    if size_by == "degree":
        return {iri: 10 + round(6 * math.sqrt(degree[iri])) for iri in entities}
    if size_by != "centrality":
        raise InputError(f"unknown node size measure {size_by!r} (use {' or '.join(SIZE_MEASURES)})")
    scores = centrality(entities, links)
    top = max(scores.values(), default=0.0) or 1.0
    return {iri: 10 + round(40 * math.sqrt(scores[iri] / top)) for iri in entities}


def network_data(
    entities: dict[str, Entity], links: list[Link], *, size_by: str = "degree", focus: str | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The vis-network node and edge records; ``kind``, ``families`` and ``isolated`` drive the
    page's filters; an entity in no drawn fact starts hidden (``isolated``)."""
    degree = degrees(entities, links)
    facts_at: dict[str, int] = {iri: 0 for iri in entities}
    for link in links:
        for fact in link.facts:
            facts_at[fact.subject] += 1
            facts_at[fact.object] += 1
    sizes = node_sizes(entities, links, size_by)
    nodes = []
    for iri in sorted(entities):
        entity = entities[iri]
        node: dict[str, Any] = {
            "id": iri,
            "label": entity.label,
            "title": node_tooltip(entity, facts_at[iri], degree[iri]),
            "color": NODE_COLOURS[entity.kind],
            "size": sizes[iri],
            "kind": entity.kind,
            "articles": entity.articles,
        }
        if entity.aliases:
            node["aliases"] = list(entity.aliases)
        if entity.wikidata:
            node["wikidata"] = list(entity.wikidata)
        if degree[iri] == 0 and iri != focus:
            node["isolated"] = True
            node["hidden"] = True
        if iri == focus:
            node["borderWidth"] = 4
            ring = {"background": NODE_COLOURS[entity.kind], "border": "#222222"}
            node["color"] = {**ring, "highlight": ring, "hover": ring}
        nodes.append(node)
    labels = {iri: e.label for iri, e in entities.items()}
    records = []
    number = 0
    for index, link in enumerate(links, start=1):
        style = EDGE_STYLES[link.families[0]]
        directed = {(f.subject, f.object) for f in link.facts if not f.symmetric}
        records.append(
            {
                "id": f"e{index}",
                "from": link.source,
                "to": link.target,
                "label": link.edge_label(),
                "title": link_tooltip(link, labels),
                "family": link.families[0],
                "families": link.families,
                "facts": list(range(number, number + len(link.facts))),
                "color": {"color": style.colour, "highlight": style.colour, "hover": style.colour},
                "dashes": style.dashed,
                "arrows": {
                    "to": {"enabled": (link.source, link.target) in directed},
                    "from": {"enabled": (link.target, link.source) in directed},
                },
                "width": min(6, 1 + link.evidence),
            }
        )
        number += len(link.facts)
    return nodes, records


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def node_tooltip(entity: Entity, facts: int, links: int) -> str:
    """Plain text: vis-network shows a string title with innerText."""
    lines = [f"{entity.kind}: {entity.label}"]
    if entity.aliases:
        lines.append("Also known as: " + "; ".join(entity.aliases))
    if entity.wikidata:
        lines.append("Wikidata: " + ", ".join(entity.wikidata))
    lines.append(f"Mentioned in {_plural(entity.articles, 'article')}")
    lines.append(f"{_plural(facts, 'fact')} with {_plural(links, 'entity')}; click for details")
    return "\n".join(lines)


def arrow(fact: Fact) -> str:
    return "—" if fact.symmetric else "→"


def link_tooltip(link: Link, labels: dict[str, str]) -> str:
    """Plain text, like node_tooltip: each fact of the link with its strongest evidence."""
    lines = [f"{labels[link.source]} — {labels[link.target]}: {_plural(len(link.facts), 'fact')}"]
    for fact in link.facts:
        what = " / ".join(fact_labels(fact))
        lines.append(f"{labels[fact.subject]} {arrow(fact)} {labels[fact.object]}: {what}")
        if fact.evidence:
            best = fact.evidence[0]
            lines.append(f"   “{_short(best.sentence)}”")
            count = _plural(len(fact.evidence), "evidence sentence")
            lines.append(f"   {', '.join(best.files) or 'unknown source'} · {count}")
    return "\n".join(lines)


def _short(sentence: str, limit: int = MAX_EVIDENCE_CHARS) -> str:
    text = " ".join(sentence.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def fact_records(links: list[Link], entities: dict[str, Entity], articles: dict[str, ArticleInfo]) -> list[dict]:
    """The facts of the drawn links, in the order of the edges' ``facts`` indices: what the
    details panel lists (grouped by relation) for a node or a link."""
    records = []
    for link in links:
        for fact in link.facts:
            sources = sorted({a for e in fact.evidence for a in e.articles})
            names = [_short(articles[a].name if a in articles else a, MAX_ARTICLE_CHARS) for a in sources]
            records.append(
                {
                    "s": fact.subject,
                    "o": fact.object,
                    "relation": fact.label,
                    "family": style_name(fact),
                    "symmetric": fact.symmetric,
                    "labels": fact_labels(fact),
                    "evidence": len(fact.evidence),
                    "articles": names,
                    "sentences": [
                        {
                            "text": _short(e.sentence),
                            "files": list(e.files),
                            "label": e.label,
                            "confidence": e.confidence,
                        }
                        for e in fact.evidence[:MAX_EVIDENCE]
                    ],
                }
            )
    return records
