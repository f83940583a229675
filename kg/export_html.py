"""Export the graph as one self-contained, interactive HTML page (pyvis / vis-network 9.1.2).

Nodes are the entities (persons, organisations, countries); edges are the distinct direct
facts, drawn from the qualified nodes (``ng:RoleAssignment``, ``ng:PolicyRelation``) so that
each edge can show its label and the evidence sentences behind it.

pyvis builds the node and edge records; the page comes from our own template rather than
pyvis's ``template.html`` because that template always links bootstrap from a CDN, writes the
heading unescaped, and switches to a popup that sets ``innerHTML`` from a node's title as
soon as any title contains the text "href" -- which article text can. Safety rests on:

- vis-network 9.1.2 shows a string ``title`` with ``innerText`` (it has no ``innerHTML`` at
  all), so tooltips are built as plain text with newlines and are *not* HTML-escaped
  (escaping would show ``&lt;`` to the reader);
- the data is JSON inside ``<script>`` with ``<``, ``>`` and ``&`` written as ``\\u003c`` etc.,
  so no article text can close the script element;
- the template autoescapes, so the page title, heading and legend are text;
- vis-network's JS and CSS are inlined from the installed pyvis package: the page loads
  nothing from the network.
"""

from __future__ import annotations

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
from pyvis.network import Network
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS

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
VIS_DIR = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"

VIS_OPTIONS: dict[str, Any] = {
    "layout": {"randomSeed": 42, "improvedLayout": True},
    "physics": {
        "enabled": True,
        "solver": "barnesHut",
        "barnesHut": {
            "gravitationalConstant": -6000,
            "centralGravity": 0.3,
            "springLength": 170,
            "springConstant": 0.04,
            "damping": 0.12,
            "avoidOverlap": 0.2,
        },
        "stabilization": {"enabled": True, "iterations": 1000, "updateInterval": 50},
    },
    "nodes": {
        "shape": "dot",
        "borderWidth": 1,
        "font": {"size": 14, "face": "sans-serif"},
    },
    "edges": {
        "smooth": {"enabled": True, "type": "dynamic"},
        # A label background rather than a text stroke: the stroke is drawn word by word
        # and lets the edge show through the spaces.
        "font": {"size": 11, "align": "middle", "background": "#ffffff", "strokeWidth": 0},
        "selectionWidth": 2,
    },
    "interaction": {"hover": True, "tooltipDelay": 120},
}


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
    sort_key: tuple[float, tuple[str, ...], str]
    text: str
    files: tuple[str, ...]
    confidence: str | None


@dataclass
class Fact:
    family: str
    source: str
    target: str
    label: str
    evidence: set[Evidence] = field(default_factory=set)


def write_html(graph: rdflib.Graph, path: Path, *, title: str = "newsgraph") -> None:
    """Write an interactive network of ``graph`` to ``path`` (atomically, deterministically)."""
    entities = read_entities(graph)
    facts = read_facts(graph, entities)
    net = build_network(entities, facts)
    page = render_page(net, title=title, counts=(len(entities), len(facts)))
    write_atomic(Path(path), page)


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
    """One fact per (family, source, label, target), merging the evidence of its qualified nodes.

    Facts whose ends are not typed entities are left out: there would be no node to draw.
    """
    facts: dict[tuple[str, str, str, str], Fact] = {}
    for fact, node in _qualified_facts(graph):
        if fact.source not in entities or fact.target not in entities:
            continue
        key = (fact.family, fact.source, fact.label, fact.target)
        merged = facts.setdefault(key, fact)
        merged.evidence.add(_evidence(graph, node))
    return [facts[key] for key in sorted(facts)]


def _qualified_facts(graph: rdflib.Graph) -> Iterator[tuple[Fact, rdflib.term.Node]]:
    for node in graph.subjects(RDF.type, NG.RoleAssignment):
        person, org = graph.value(node, ORG.member), graph.value(node, ORG.organization)
        if person is not None and org is not None:
            yield Fact("role", str(person), str(org), _role_label(graph, node)), node
    for node in graph.subjects(RDF.type, NG.PolicyRelation):
        actor, target = graph.value(node, NG.actor), graph.value(node, NG.target)
        concept = graph.value(node, NG.policy)
        if actor is None or target is None or concept is None:
            continue
        source, target_ = str(actor), str(target)
        if _is_mutual(graph, concept):
            family = "mutual"
            # A mutual relation stated from either side is one edge.
            source, target_ = sorted((source, target_))
        else:
            family = "policy"
        yield Fact(family, source, target_, _policy_label(graph, concept)), node


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


def _evidence(graph: rdflib.Graph, node: rdflib.term.Node) -> Evidence:
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
    return Evidence((-score, files, text), text, files, confidence)


# --- building the network ----------------------------------------------------------------


def degrees(entities: Iterable[str], facts: Iterable[Fact]) -> dict[str, int]:
    """Number of drawn edges at each node."""
    g = nx.MultiGraph()
    g.add_nodes_from(entities)
    g.add_edges_from((f.source, f.target) for f in facts)
    return dict(g.degree())


def build_network(entities: dict[str, Entity], facts: list[Fact]) -> Network:
    # directed=True stops pyvis from dropping a second edge between the same two nodes.
    net = Network(directed=True)
    degree = degrees(entities, facts)
    for iri in sorted(entities):
        entity = entities[iri]
        net.add_node(
            iri,
            label=entity.label,
            title=node_tooltip(entity, degree[iri]),
            color=NODE_COLOURS[entity.kind],
            size=10 + round(6 * math.sqrt(degree[iri])),
        )
    labels = {iri: e.label for iri, e in entities.items()}
    for number, fact in enumerate(facts, start=1):
        style = EDGE_STYLES[fact.family]
        net.add_edge(
            fact.source,
            fact.target,
            id=f"e{number}",
            label=fact.label,
            title=edge_tooltip(fact, labels),
            color={
                "color": style.colour,
                "highlight": style.colour,
                "hover": style.colour,
            },
            dashes=style.dashed,
            arrows={"to": {"enabled": style.arrow}},
            width=min(6, 1 + len(fact.evidence)),
        )
    net.options = VIS_OPTIONS
    return net


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
    lines = [
        fact.label,
        f"{labels[fact.source]} {arrow} {labels[fact.target]}",
        f"{EDGE_STYLES[fact.family].legend}; {_plural(len(evidence), 'evidence sentence')}:",
    ]
    for item in evidence[:MAX_EVIDENCE]:
        source = ", ".join(item.files) or "unknown source"
        confidence = item.confidence if item.confidence is not None else "?"
        lines.append(f"• “{item.text}”")
        lines.append(f"   {source} · confidence {confidence}")
    if len(evidence) > MAX_EVIDENCE:
        lines.append(f"+{len(evidence) - MAX_EVIDENCE} more")
    return "\n".join(lines)


# --- rendering ---------------------------------------------------------------------------

PAGE_TEMPLATE = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ title }}</title>
<style>{{ vis_css }}</style>
<script>{{ vis_js }}</script>
<style>
html, body { height: 100%; margin: 0; font-family: sans-serif; }
body { display: flex; flex-direction: column; }
h1 { font-size: 1.2em; margin: 0.4em 0.8em; }
#main { flex: 1; display: flex; min-height: 0; }
#mynetwork { flex: 1; border-top: 1px solid #ddd; }
#legend { width: 16em; padding: 0 0.8em; border-left: 1px solid #ddd; font-size: 0.85em;
  overflow-y: auto; }
#legend h2 { font-size: 1.1em; }
#legend h3 { font-size: 1em; margin-bottom: 0.3em; }
#legend ul { list-style: none; padding: 0; margin: 0; }
#legend li { margin: 0.3em 0; display: flex; align-items: center; gap: 0.5em; }
#legend svg, .swatch { flex: none; }
.swatch { display: inline-block; width: 0.9em; height: 0.9em; border-radius: 50%; }
div.vis-tooltip { white-space: pre-wrap; max-width: 36em; font-family: sans-serif;
  font-size: 13px; }
</style>
</head>
<body>
<h1>{{ title }}</h1>
<div id="main">
<div id="mynetwork"></div>
<aside id="legend">
<h2>Legend</h2>
<h3>Entity type</h3>
<ul>
{%- for kind, colour in node_legend %}
<li><span class="swatch" style="background: {{ colour }}"></span>{{ kind }}</li>
{%- endfor %}
</ul>
<h3>Relation</h3>
<ul>
{%- for style in edge_legend %}
<li><svg width="40" height="12" aria-hidden="true">
<line x1="0" y1="6" x2="{{ 32 if style.arrow else 40 }}" y2="6" stroke="{{ style.colour }}" \
stroke-width="2"{% if style.dashed %} stroke-dasharray="6 3"{% endif %}></line>
{%- if style.arrow %}
<polygon points="30,1 40,6 30,11" fill="{{ style.colour }}"></polygon>
{%- endif %}
</svg>{{ style.legend }}</li>
{%- endfor %}
</ul>
<p>Node size: number of relations shown. Hover a node or an edge for details and evidence.</p>
<p>{{ node_count }} entities, {{ edge_count }} relations.</p>
</aside>
</div>
<script>
var nodes = new vis.DataSet({{ nodes_json }});
var edges = new vis.DataSet({{ edges_json }});
var options = {{ options_json }};
var network = new vis.Network(
  document.getElementById("mynetwork"), {nodes: nodes, edges: edges}, options);
</script>
</body>
</html>
"""


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


def render_page(net: Network, *, title: str, counts: tuple[int, int]) -> str:
    nodes, edges, _heading, _height, _width, _options = net.get_network_data()
    template = Environment(autoescape=True, keep_trailing_newline=True).from_string(PAGE_TEMPLATE)
    return template.render(
        title=title,
        vis_css=_asset("vis-network.css", "</style"),
        vis_js=_asset("vis-network.min.js", "</script", "<!--"),
        node_legend=[(kind, NODE_COLOURS[kind]) for kind, _cls in ENTITY_TYPES],
        edge_legend=list(EDGE_STYLES.values()),
        node_count=counts[0],
        edge_count=counts[1],
        nodes_json=script_json(nodes),
        edges_json=script_json(edges),
        options_json=script_json(net.options),
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
