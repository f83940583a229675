"""Export the graph as one self-contained, interactive HTML page (vis-network 9.1.2).

Nodes are the entities (persons, organisations, countries); a line is a *link*: a pair of
entities and every fact between them (``kg.pagelinks``), its label listing what the facts say
(role titles, policy concepts, "part of"), so parallel facts never stack. Entities in no fact
start hidden behind a toggle. The details panel lists a node's or a link's facts grouped by
relation, each with its evidence count, articles and sentences, and a button to step to the
counterpart. Words and numbers are those of the README's "Words and numbers" (``Counts``).
The graph is read by ``kg.graphview``; the page is rendered by ``kg.htmlpage`` from the
templates in ``kg/templates``.

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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import rdflib

from .errors import InputError
from .export import write_atomic
from .graphview import ENTITY_TYPES, Entity, GraphView, count, find_entity, plural, read_articles, read_graph_view
from .htmlpage import NODE_COLOURS, render_page
from .pagelinks import EDGE_STYLES, EdgeStyle, Link, fact_records, link_tooltip, node_tooltip, read_links

__all__ = ["EDGE_STYLES", "EdgeStyle", "Selection", "parse_types", "write_html"]

SIZE_MEASURES = ("degree", "centrality")
CENTRALITY_SAMPLE = 400


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
    view: GraphView | None = None,
) -> tuple[int, int]:
    """Write an interactive network of ``graph`` to ``path`` (atomically, deterministically).

    ``view``: ``graph`` already read (``read_graph_view``), when the caller has it.
    Returns the number of entities and links drawn.
    """
    page, drawn = page_html(graph, title=title, selection=selection, size_by=size_by, view=view)
    write_atomic(Path(path), page.encode("utf-8"))
    return drawn


def page_html(
    graph: rdflib.Graph,
    *,
    title: str = "newsgraph",
    selection: Selection | None = None,
    size_by: str = "degree",
    view: GraphView | None = None,
) -> tuple[str, tuple[int, int]]:
    """The page of ``graph`` and the numbers of entities and links it draws."""
    view = view if view is not None else read_graph_view(graph)
    entities = dict(view.entities)
    links = read_links(view)
    focus = None
    subtitle = ""
    if selection is not None:
        entities, links, focus = select(entities, links, selection)
        subtitle = describe(selection, entities, focus)
    nodes, records = network_data(entities, links, size_by=size_by, focus=focus)
    counts = count(entities, [f for link in links for f in link.facts])
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
    return page, (len(nodes), len(records))


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
        import networkx as nx  # here, not at the top: a page without focus does not need its 20 MB

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
        steps = plural(selection.depth, "link")
        parts.append(f"around {entities[focus].label} (up to {steps} away)")
    if selection.types is not None:
        parts.append("types: " + ", ".join(kind for kind, _cls in ENTITY_TYPES if kind in selection.types))
    return "; ".join(parts)


# --- building the network ----------------------------------------------------------------


def degrees(entities: Iterable[str], links: Iterable[Link]) -> dict[str, int]:
    """Number of drawn links at each node (a link from a node to itself counts twice, as in networkx)."""
    degree = dict.fromkeys(entities, 0)
    for f in links:
        degree[f.source] += 1
        degree[f.target] += 1
    return degree


def centrality(entities: Iterable[str], links: Iterable[Link]) -> dict[str, float]:
    """Betweenness centrality; sampled (seeded, so stable) on large graphs."""
    import networkx as nx

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
