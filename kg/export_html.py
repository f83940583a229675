"""Export the graph as one self-contained, interactive HTML page (vis-network 9.1.2).

Nodes are the entities (persons, organisations, countries); edges are the distinct direct
facts -- one per ``?person ng:holdsRoleIn ?org`` and one per ``?actor ng:<policy> ?target``,
a mutual policy (alliance, trade, ...) stated from both sides being one edge. Each edge is
drawn from its qualified nodes (``ng:RoleAssignment``, ``ng:PolicyRelation``), so it can show
its role or policy label and the evidence sentences behind it.

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

import difflib
import json
import math
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pyvis
import rdflib
from jinja2 import Environment
from markupsafe import Markup
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS

from kg.errors import InputError
from kg.namespaces import NG, ORG, WD

# Most specific first: ng:Country is also an ng:Organization.
ENTITY_TYPES: tuple[tuple[str, URIRef], ...] = (
    ("Country", NG.Country),
    ("Person", NG.Person),
    ("Organization", NG.Organization),
)
NODE_COLOURS: dict[str, str] = {
    "Person": "#4e79a7",
    "Organization": "#f28e2b",
    "Country": "#59a14f",
}
SIZE_MEASURES = ("degree", "centrality")


@dataclass(frozen=True)
class EdgeStyle:
    legend: str
    colour: str
    dashed: bool
    arrow: bool


EDGE_STYLES: dict[str, EdgeStyle] = {
    "role": EdgeStyle("Role (person → organisation)", "#9467bd", dashed=True, arrow=True),
    "policy": EdgeStyle("Policy (actor → target)", "#e15759", dashed=False, arrow=True),
    "mutual": EdgeStyle(
        "Mutual policy (alliance, diplomacy, trade)",
        "#17becf",
        dashed=False,
        arrow=False,
    ),
}
# Policies that bind both sides; narrower concepts inherit this through skos:broader.
MUTUAL_POLICIES = frozenset({"alliance", "diplomatic_engagement", "trade_negotiation", "trade"})

MAX_EVIDENCE = 5
MAX_EVIDENCE_CHARS = 300
MAX_EDGE_LABELS = 3
VIS_DIR = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"

# Above this many nodes vis-network's "improved layout" (Kamada-Kawai on clusters) costs more
# than it gives, and curved edges double the bodies the physics has to move.
SMALL_GRAPH_NODES = 150
# Above this many nodes edges are hidden while dragging or zooming, to keep panning smooth.
LARGE_GRAPH_NODES = 1000
CENTRALITY_SAMPLE = 400


def vis_options(node_count: int) -> dict[str, Any]:
    """vis-network options: a seeded layout whose physics stop once it has settled.

    The page switches physics off after ``stabilizationIterationsDone``, so a network is laid
    out once and then stays still. Large graphs trade precision for time: Barnes-Hut with a
    coarser approximation (theta), no overlap avoidance, straight edges and fewer iterations.
    """
    small = node_count <= SMALL_GRAPH_NODES
    large = node_count > LARGE_GRAPH_NODES
    if small:
        # ForceAtlas2 keeps unconnected entities near the rest, so the view is not zoomed
        # out so far that labels vanish.
        solver = "forceAtlas2Based"
        forces: dict[str, Any] = {
            "gravitationalConstant": -60,
            "centralGravity": 0.015,
            "springLength": 110,
            "springConstant": 0.08,
            "damping": 0.4,
            "avoidOverlap": 0.3,
        }
    else:
        solver = "barnesHut"
        forces = {
            "gravitationalConstant": -6000,
            "centralGravity": 0.3,
            "springLength": 170,
            "springConstant": 0.04,
            "damping": 0.12,
            "avoidOverlap": 0,
            "theta": 1.5,
        }
    iterations = 600 if small else 150 if large else 300
    return {
        "layout": {"randomSeed": 42, "improvedLayout": small},
        "physics": {
            "enabled": True,
            "solver": solver,
            solver: forces,
            "minVelocity": 0.1 if small else 0.75,
            "stabilization": {"enabled": True, "iterations": iterations, "updateInterval": 25, "fit": True},
        },
        "nodes": {
            "shape": "dot",
            "borderWidth": 1,
            "font": {"size": 14, "face": "sans-serif"},
        },
        "edges": {
            "smooth": {"enabled": True, "type": "dynamic"} if small else {"enabled": False},
            # A label background rather than a text stroke: the stroke is drawn word by word
            # and lets the edge show through the spaces.
            "font": {"size": 11, "align": "middle", "background": "#ffffff", "strokeWidth": 0},
            "selectionWidth": 2,
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
        },
    }


# Kept for callers that read the options of a small graph.
VIS_OPTIONS: dict[str, Any] = vis_options(0)


@dataclass(frozen=True)
class Entity:
    iri: str
    kind: str
    label: str
    aliases: tuple[str, ...]
    wikidata: tuple[str, ...]
    articles: int


@dataclass(frozen=True, order=True)
class Evidence:
    sort_key: tuple[float, tuple[str, ...], str, str]
    text: str
    files: tuple[str, ...]
    confidence: str | None
    label: str = ""


@dataclass
class Fact:
    """One drawn edge: a distinct direct fact with the evidence of all its qualified nodes."""

    family: str
    source: str
    target: str
    label: str
    evidence: set[Evidence] = field(default_factory=set)
    labels: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.labels.add(self.label)

    def edge_label(self) -> str:
        """The labels of the fact, strongest evidence first (a person may hold two roles in one body)."""
        best: dict[str, Evidence] = {}
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
    entities = read_entities(graph)
    facts = read_facts(graph, entities)
    focus = None
    subtitle = ""
    if selection is not None:
        entities, facts, focus = select(entities, facts, selection)
        subtitle = describe(selection, entities, focus)
    nodes, edges = network_data(entities, facts, size_by=size_by, focus=focus)
    page = render_page(nodes, edges, title=title, subtitle=subtitle, focus=focus, size_by=size_by)
    write_atomic(Path(path), page)
    return len(nodes), len(edges)


# --- reading the graph -------------------------------------------------------------------


def _texts(graph: rdflib.Graph, subject: rdflib.term.Node, predicate: URIRef) -> list[str]:
    return sorted({str(o) for o in graph.objects(subject, predicate) if isinstance(o, Literal)})


def _first_text(graph: rdflib.Graph, subject: rdflib.term.Node, predicate: URIRef) -> str | None:
    texts = _texts(graph, subject, predicate)
    return texts[0] if texts else None


def _local_name(iri: rdflib.term.Node) -> str:
    return re.split(r"[/#]", str(iri).rstrip("/#"))[-1]


def read_entities(graph: rdflib.Graph) -> dict[str, Entity]:
    """Every typed entity, keyed by IRI, with its most specific type."""
    entities: dict[str, Entity] = {}
    for kind, cls in ENTITY_TYPES:
        for subject in graph.subjects(RDF.type, cls):
            if not isinstance(subject, URIRef) or str(subject) in entities:
                continue
            entities[str(subject)] = Entity(
                iri=str(subject),
                kind=kind,
                label=_first_text(graph, subject, RDFS.label) or _local_name(subject),
                aliases=tuple(_texts(graph, subject, SKOS.altLabel)),
                wikidata=tuple(
                    sorted(
                        str(o)[len(str(WD)) :] for o in graph.objects(subject, OWL.sameAs) if str(o).startswith(str(WD))
                    )
                ),
                articles=len(set(graph.objects(subject, NG.mentionedIn))),
            )
    return entities


def read_facts(graph: rdflib.Graph, entities: dict[str, Entity]) -> list[Fact]:
    """One fact per distinct direct triple, merging the evidence of its qualified nodes.

    A role fact is (person, organisation) whatever the role, as ``ng:holdsRoleIn`` is; a policy
    fact is (actor, direct property, target) -- a narrower concept shares the property of its
    broader one -- with unordered ends for mutual policies. Facts whose ends are not
    typed entities are left out: there would be no node to draw.
    """
    facts: dict[tuple[str, str, str, str], Fact] = {}
    for key, fact, node in _qualified_facts(graph):
        if fact.source not in entities or fact.target not in entities:
            continue
        merged = facts.setdefault(key, fact)
        merged.labels.add(fact.label)
        merged.evidence.add(_evidence(graph, node, fact.label))
    return [facts[key] for key in sorted(facts)]


def _qualified_facts(graph: rdflib.Graph) -> Iterator[tuple[tuple[str, str, str, str], Fact, rdflib.term.Node]]:
    for node in graph.subjects(RDF.type, NG.RoleAssignment):
        person, org = graph.value(node, ORG.member), graph.value(node, ORG.organization)
        if person is not None and org is not None:
            fact = Fact("role", str(person), str(org), _role_label(graph, node))
            yield ("role", fact.source, "", fact.target), fact, node
    mutual: dict[rdflib.term.Node, bool] = {}
    direct: dict[rdflib.term.Node, str] = {}
    for node in graph.subjects(RDF.type, NG.PolicyRelation):
        actor, target = graph.value(node, NG.actor), graph.value(node, NG.target)
        concept = graph.value(node, NG.policy)
        if actor is None or target is None or concept is None:
            continue
        source, target_ = str(actor), str(target)
        if concept not in mutual:
            mutual[concept] = _is_mutual(graph, concept)
            direct[concept] = _direct_property(graph, concept)
        if mutual[concept]:
            family = "mutual"
            # A mutual relation stated from either side is one edge.
            source, target_ = sorted((source, target_))
        else:
            family = "policy"
        fact = Fact(family, source, target_, _policy_label(graph, concept))
        yield (family, source, direct[concept], target_), fact, node


def _direct_property(graph: rdflib.Graph, concept: rdflib.term.Node) -> str:
    """The property of the direct triple: a narrower concept uses the one of its broader concept."""
    seen: set[rdflib.term.Node] = set()
    current: rdflib.term.Node | None = concept
    while current is not None and current not in seen:
        seen.add(current)
        prop = graph.value(current, NG.directProperty)
        if prop is not None:
            return str(prop)
        current = graph.value(current, SKOS.broader)
    return str(concept)


def _role_label(graph: rdflib.Graph, node: rdflib.term.Node) -> str:
    label = _first_text(graph, node, NG.roleLabel) or "member"
    status = graph.value(node, NG.status)
    # "current" is how a bare title reads anyway; only other statuses are spelt out.
    if status is None or status == NG.current:
        return label
    status_text = _first_text(graph, status, RDFS.label) or _local_name(status)
    return f"{label} ({status_text})"


def _policy_label(graph: rdflib.Graph, concept: rdflib.term.Node) -> str:
    # English first, then any other language; sorted so the choice is stable.
    labels = sorted(
        (o.language != "en", str(o)) for o in graph.objects(concept, SKOS.prefLabel) if isinstance(o, Literal)
    )
    if labels:
        return labels[0][1]
    return _first_text(graph, concept, SKOS.notation) or _local_name(concept)


def _is_mutual(graph: rdflib.Graph, concept: rdflib.term.Node) -> bool:
    seen: set[rdflib.term.Node] = set()
    todo = [concept]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        keys = _texts(graph, current, SKOS.notation) or [_local_name(current)]
        if MUTUAL_POLICIES.intersection(keys):
            return True
        todo.extend(graph.objects(current, SKOS.broader))
    return False


def _evidence(graph: rdflib.Graph, node: rdflib.term.Node, label: str) -> Evidence:
    text = " ".join((_first_text(graph, node, NG.evidence) or "").split())
    if len(text) > MAX_EVIDENCE_CHARS:
        text = text[: MAX_EVIDENCE_CHARS - 1].rstrip() + "…"
    files = tuple(
        sorted(
            {
                str(f)
                for article in graph.objects(node, PROV.wasDerivedFrom)
                for f in graph.objects(article, NG.sourceFile)
            }
        )
    )
    literal = graph.value(node, NG.confidence)
    confidence = str(literal) if literal is not None else None
    try:
        score = float(confidence) if confidence is not None else -1.0
    except ValueError:
        score = -1.0
    # Strongest evidence first, then a stable order for byte-identical output.
    return Evidence((-score, files, text, label), text, files, confidence, label)


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


def find_entity(entities: dict[str, Entity], name: str) -> Entity:
    """The entity called ``name``: its IRI, its label, the last part of its IRI, an alias, or else
    the one entity whose label or alias contains ``name``."""
    wanted = " ".join(name.split()).casefold()
    if name in entities:
        return entities[name]
    for rank in (
        lambda e: e.label.casefold() == wanted,
        lambda e: _local_name(e.iri).casefold() == wanted,
        lambda e: wanted in (a.casefold() for a in e.aliases),
        lambda e: any(wanted in text.casefold() for text in (e.label, *e.aliases)),
    ):
        found = sorted((e for e in entities.values() if rank(e)), key=lambda e: e.iri)
        if len(found) == 1:
            return found[0]
        if found:
            choices = ", ".join(f"{e.label} <{e.iri}>" for e in found[:5])
            raise InputError(f"--focus {name!r} names several entities: {choices} (give the full label or IRI)")
    close = difflib.get_close_matches(name, sorted({e.label for e in entities.values()}), n=3, cutoff=0.6)
    hint = f"did you mean {' or '.join(repr(c) for c in close)}?" if close else "give a label, an alias or an IRI"
    raise InputError(f"--focus {name!r}: no such entity in the graph ({hint})")


def select(
    entities: dict[str, Entity], facts: list[Fact], selection: Selection
) -> tuple[dict[str, Entity], list[Fact], str | None]:
    """Keep the entities of the chosen types and, with a focus, those within ``depth`` relations of it."""
    if selection.types is not None:
        entities = {iri: e for iri, e in entities.items() if e.kind in selection.types}
    focus = None
    if selection.focus is not None:
        centre = find_entity(entities, selection.focus) if entities else None
        if centre is None:
            raise InputError(f"--focus {selection.focus!r}: no entities of the chosen --types in the graph")
        focus = centre.iri
        g = nx.Graph()
        g.add_nodes_from(entities)
        g.add_edges_from((f.source, f.target) for f in facts if f.source in entities and f.target in entities)
        near = nx.single_source_shortest_path_length(g, focus, cutoff=max(0, selection.depth))
        entities = {iri: e for iri, e in entities.items() if iri in near}
    facts = [f for f in facts if f.source in entities and f.target in entities]
    return entities, facts, focus


def describe(selection: Selection, entities: dict[str, Entity], focus: str | None) -> str:
    parts = []
    if focus is not None:
        steps = _plural(selection.depth, "relation")
        parts.append(f"around {entities[focus].label} (up to {steps} away)")
    if selection.types is not None:
        parts.append("types: " + ", ".join(kind for kind, _cls in ENTITY_TYPES if kind in selection.types))
    return "; ".join(parts)


# --- building the network ----------------------------------------------------------------


def degrees(entities: Iterable[str], facts: Iterable[Fact]) -> dict[str, int]:
    """Number of drawn edges at each node."""
    g = nx.MultiGraph()
    g.add_nodes_from(entities)
    g.add_edges_from((f.source, f.target) for f in facts)
    return dict(g.degree())


def centrality(entities: Iterable[str], facts: Iterable[Fact]) -> dict[str, float]:
    """Betweenness centrality; sampled (seeded, so stable) on large graphs."""
    g = nx.Graph()
    g.add_nodes_from(sorted(entities))
    g.add_edges_from(sorted({(f.source, f.target) for f in facts}))
    k = CENTRALITY_SAMPLE if len(g) > CENTRALITY_SAMPLE else None
    return nx.betweenness_centrality(g, k=k, seed=42)


def node_sizes(entities: dict[str, Entity], facts: list[Fact], size_by: str) -> dict[str, int]:
    degree = degrees(entities, facts)
    if size_by == "degree":
        return {iri: 10 + round(6 * math.sqrt(degree[iri])) for iri in entities}
    if size_by != "centrality":
        raise InputError(f"unknown node size measure {size_by!r} (use {' or '.join(SIZE_MEASURES)})")
    scores = centrality(entities, facts)
    top = max(scores.values(), default=0.0) or 1.0
    return {iri: 10 + round(40 * math.sqrt(scores[iri] / top)) for iri in entities}


def network_data(
    entities: dict[str, Entity], facts: list[Fact], *, size_by: str = "degree", focus: str | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The vis-network node and edge records; ``kind`` and ``family`` drive the page's filters."""
    degree = degrees(entities, facts)
    sizes = node_sizes(entities, facts, size_by)
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
    edges = []
    for number, fact in enumerate(facts, start=1):
        style = EDGE_STYLES[fact.family]
        edges.append(
            {
                "id": f"e{number}",
                "from": fact.source,
                "to": fact.target,
                "label": fact.edge_label(),
                "title": edge_tooltip(fact, labels),
                "family": fact.family,
                "color": {"color": style.colour, "highlight": style.colour, "hover": style.colour},
                "dashes": style.dashed,
                "arrows": {"to": {"enabled": style.arrow}},
                "width": min(6, 1 + len(fact.evidence)),
            }
        )
    return nodes, edges


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


def edge_tooltip(fact: Fact, labels: dict[str, str]) -> str:
    """Plain text, like node_tooltip; lists the strongest evidence first."""
    arrow = "—" if fact.family == "mutual" else "→"
    evidence = sorted(fact.evidence)
    several = len(fact.labels) > 1
    lines = [
        " / ".join(sorted(fact.labels)) if several else fact.label,
        f"{labels[fact.source]} {arrow} {labels[fact.target]}",
        f"{EDGE_STYLES[fact.family].legend}; {_plural(len(evidence), 'evidence sentence')}:",
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


# --- rendering ---------------------------------------------------------------------------

# The page's own behaviour: no data in it, and it writes to the DOM only with textContent.
PAGE_SCRIPT = r"""
(function () {
  "use strict";
  var body = document.body;
  var statusLine = document.getElementById("status");
  var details = document.getElementById("details");
  var shown = document.getElementById("shown");
  var search = document.getElementById("search");
  var searchInfo = document.getElementById("search-info");
  var detailsHint = details.textContent;

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  function settle() {
    if (body.getAttribute("data-layout") === "settled") { return; }
    // Laid out once; from now on nodes stay where they are (and where they are dragged).
    network.setOptions({physics: {enabled: false}});
    body.setAttribute("data-layout", "settled");
    performance.mark("newsgraph-settled");
    statusLine.textContent = "";
    network.once("afterDrawing", function () {
      performance.mark("newsgraph-drawn");
      body.setAttribute("data-drawn", "true");
    });
    if (focusId !== null) { showDetails(nodes.get(focusId)); network.selectNodes([focusId]); }
    network.redraw();
  }
  network.on("stabilizationProgress", function (progress) {
    statusLine.textContent = "Laying out " + nodes.length + (nodes.length === 1 ? " entity: " : " entities: ") +
      Math.round(100 * progress.iterations / progress.total) + "%";
  });
  network.once("stabilizationIterationsDone", settle);
  network.once("stabilized", settle);
  if (nodes.length === 0) { settle(); }

  function showDetails(item) {
    details.textContent = item ? item.title : detailsHint;
  }
  network.on("click", function (params) {
    if (params.nodes.length) { showDetails(nodes.get(params.nodes[0])); }
    else if (params.edges.length) { showDetails(edges.get(params.edges[0])); }
    else { showDetails(null); }
  });

  var kindBoxes = Array.prototype.slice.call(document.querySelectorAll("input[data-kind]"));
  var familyBoxes = Array.prototype.slice.call(document.querySelectorAll("input[data-family]"));
  function applyFilters() {
    var kinds = {}, families = {}, hiddenNode = {}, nodeChanges = [], edgeChanges = [];
    var nodesShown = 0, edgesShown = 0;
    kindBoxes.forEach(function (box) { kinds[box.getAttribute("data-kind")] = box.checked; });
    familyBoxes.forEach(function (box) { families[box.getAttribute("data-family")] = box.checked; });
    nodes.forEach(function (node) {
      var hide = !kinds[node.kind];
      hiddenNode[node.id] = hide;
      if (!hide) { nodesShown += 1; }
      if (Boolean(node.hidden) !== hide) { nodeChanges.push({id: node.id, hidden: hide}); }
    });
    edges.forEach(function (edge) {
      var hide = !families[edge.family] || hiddenNode[edge.from] || hiddenNode[edge.to];
      if (!hide) { edgesShown += 1; }
      if (Boolean(edge.hidden) !== hide) { edgeChanges.push({id: edge.id, hidden: hide}); }
    });
    nodes.update(nodeChanges);
    edges.update(edgeChanges);
    shown.textContent = "Showing " + nodesShown + " of " + nodes.length + " entities, " +
      edgesShown + " of " + edges.length + " relations.";
    if (search.value) { runSearch(); }
  }
  kindBoxes.concat(familyBoxes).forEach(function (box) { box.addEventListener("change", applyFilters); });

  var matches = [], current = -1;
  function words(node) { return [node.label].concat(node.aliases || []).join("\n").toLowerCase(); }
  function runSearch() {
    var query = search.value.trim().toLowerCase();
    current = -1;
    matches = query ? nodes.getIds({filter: function (node) {
      return !node.hidden && words(node).indexOf(query) !== -1;
    }}) : [];
    network.selectNodes(matches);
    if (!query) { searchInfo.textContent = ""; return; }
    searchInfo.textContent = matches.length ? plural(matches.length, "match") + (matches.length > 1 ?
      "; Enter goes to each" : "") : "no match";
    if (matches.length === 1) { goTo(matches[0]); }
    else if (matches.length > 1 && matches.length <= 200) { network.fit({nodes: matches}); }
  }
  function goTo(id) {
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), 1), animation: {duration: 300}});
    showDetails(nodes.get(id));
  }
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !matches.length) { return; }
    event.preventDefault();
    current = (current + 1) % matches.length;
    goTo(matches[current]);
    searchInfo.textContent = (current + 1) + " of " + matches.length;
  });
  applyFilters();
}());
"""

PAGE_TEMPLATE = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>{{ vis_css }}</style>
<script>{{ vis_js }}</script>
<style>
html, body { height: 100%; margin: 0; font-family: sans-serif; }
body { display: flex; flex-direction: column; }
header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.4em 1.2em; margin: 0.4em 0.8em; }
h1 { font-size: 1.2em; margin: 0; }
#subtitle, #status, #search-info { color: #555; font-size: 0.9em; }
#search { font-size: 0.95em; padding: 0.15em 0.4em; width: 16em; }
#main { flex: 1; display: flex; min-height: 0; }
#mynetwork { flex: 1; border-top: 1px solid #ddd; min-width: 0; }
#legend { width: 17em; padding: 0 0.8em; border-left: 1px solid #ddd; font-size: 0.85em;
  overflow-y: auto; }
#legend h2 { font-size: 1.1em; }
#legend h3 { font-size: 1em; margin-bottom: 0.3em; }
#legend ul { list-style: none; padding: 0; margin: 0; }
#legend li label { margin: 0.3em 0; display: flex; align-items: center; gap: 0.5em; cursor: pointer; }
#legend svg, .swatch, #legend input { flex: none; margin: 0; }
.swatch { display: inline-block; width: 0.9em; height: 0.9em; border-radius: 50%; }
#details { white-space: pre-wrap; font-family: inherit; font-size: 0.95em; background: #f6f6f6;
  padding: 0.4em; margin: 0; overflow-wrap: anywhere; }
div.vis-tooltip { white-space: pre-wrap; max-width: 36em; font-family: sans-serif;
  font-size: 13px; }
</style>
</head>
<body>
<header>
<h1>{{ title }}</h1>
{%- if subtitle %}
<span id="subtitle">{{ subtitle }}</span>
{%- endif %}
<input id="search" type="search" placeholder="Find an entity…" aria-label="Find an entity by name"
 autocomplete="off">
<span id="search-info" aria-live="polite"></span>
<span id="status" aria-live="polite"></span>
</header>
<div id="main">
<div id="mynetwork"></div>
<aside id="legend">
<h2>Legend</h2>
<h3>Entity type</h3>
<ul>
{%- for kind, colour in node_legend %}
<li><label><input type="checkbox" checked data-kind="{{ kind }}">\
<span class="swatch" style="background: {{ colour }}"></span>{{ kind }}</label></li>
{%- endfor %}
</ul>
<h3>Relation</h3>
<ul>
{%- for family, style in edge_legend %}
<li><label><input type="checkbox" checked data-family="{{ family }}">\
<svg width="40" height="12" aria-hidden="true">
<line x1="0" y1="6" x2="{{ 32 if style.arrow else 40 }}" y2="6" stroke="{{ style.colour }}" \
stroke-width="2"{% if style.dashed %} stroke-dasharray="6 3"{% endif %}></line>
{%- if style.arrow %}
<polygon points="30,1 40,6 30,11" fill="{{ style.colour }}"></polygon>
{%- endif %}
</svg>{{ style.legend }}</label></li>
{%- endfor %}
</ul>
<p>Node size: {{ size_note }}. Untick a type or a relation to hide it. Hover a node or an
edge for details and evidence; click one to keep them below.</p>
<p id="shown">{{ node_count }} entities, {{ edge_count }} relations.</p>
<h3>Details</h3>
<pre id="details">Click a node or a relation to see its details here.</pre>
</aside>
</div>
<script>
var nodes = new vis.DataSet({{ nodes_json }});
var edges = new vis.DataSet({{ edges_json }});
var options = {{ options_json }};
var focusId = {{ focus_json }};
var network = new vis.Network(
  document.getElementById("mynetwork"), {nodes: nodes, edges: edges}, options);
{{ page_script }}
</script>
</body>
</html>
"""

SIZE_NOTES = {
    "degree": "number of relations shown",
    "centrality": "betweenness centrality (how often an entity lies between others)",
}


def script_json(value: object) -> Markup:
    """JSON that is safe inside <script>: no "</script>", no "<!--", no U+2028 surprises."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def _asset(name: str, *forbidden: str) -> Markup:
    """A file of pyvis's vis-network, checked for text that would end its element early."""
    text = (VIS_DIR / name).read_text(encoding="utf-8")
    for marker in forbidden:
        if marker in text.lower():
            raise ValueError(f"{name} contains {marker!r}; it cannot be inlined as is")
    return Markup(text)


def render_page(
    nodes: list[dict[str, Any]],
    edges: list[dict[str, Any]],
    *,
    title: str,
    subtitle: str = "",
    focus: str | None = None,
    size_by: str = "degree",
) -> str:
    template = Environment(autoescape=True, keep_trailing_newline=True).from_string(PAGE_TEMPLATE)
    return template.render(
        title=title,
        subtitle=subtitle,
        vis_css=_asset("vis-network.css", "</style"),
        vis_js=_asset("vis-network.min.js", "</script", "<!--"),
        node_legend=[(kind, NODE_COLOURS[kind]) for kind, _cls in ENTITY_TYPES],
        edge_legend=list(EDGE_STYLES.items()),
        size_note=SIZE_NOTES[size_by],
        node_count=len(nodes),
        edge_count=len(edges),
        nodes_json=script_json(nodes),
        edges_json=script_json(edges),
        options_json=script_json(vis_options(len(nodes))),
        focus_json=script_json(focus),
        page_script=Markup(PAGE_SCRIPT),
    )


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` in one step, so a reader never sees half a page."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(text.encode("utf-8"))
            out.flush()
            os.fsync(out.fileno())
        # mkstemp creates the file 0600; the page is meant to be opened and shared.
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
