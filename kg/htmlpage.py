"""The HTML page of the network, rendered from the package's templates (``kg/templates``).

``graph.html.j2`` is the page, ``graph.css`` and ``graph.js`` its own style and behaviour;
vis-network's JS and CSS come from the installed pyvis package. Everything is inlined, so the
page loads nothing from the network; the data is JSON written by :func:`script_json`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from jinja2 import Environment, Template
from markupsafe import Markup

from .graphview import ENTITY_TYPES

NODE_COLOURS: dict[str, str] = {
    "Person": "#4e79a7",
    "Organization": "#f28e2b",
    "Country": "#59a14f",
}
# Found, not imported: importing pyvis imports networkx and IPython (30 MB), and only its files are used.
VIS_DIR = Path(find_spec("pyvis").origin).parent / "templates" / "lib" / "vis-9.1.2"

# Above this many nodes vis-network's "improved layout" (Kamada-Kawai on clusters) costs more
# than it gives, and curved edges double the bodies the physics has to move.
SMALL_GRAPH_NODES = 150
# Above this many nodes edges are hidden while dragging or zooming, to keep panning smooth.
LARGE_GRAPH_NODES = 1000


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
            "gravitationalConstant": -90,
            "centralGravity": 0.015,
            "springLength": 150,
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


@lru_cache(maxsize=4)
def template_text(name: str) -> str:
    """A file of ``kg/templates``."""
    return resources.files("kg").joinpath("templates", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def page_template() -> Template:
    return Environment(autoescape=True, keep_trailing_newline=True).from_string(template_text("graph.html.j2"))


SIZE_NOTES = {
    "degree": "number of links (entities it shares a fact with)",
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


def fact_months(facts: list[dict[str, Any]]) -> list[str]:
    """The months ("2025-03") the facts are dated in, for the page's time filter; a date of a year
    alone counts in its January and December, so a range covering either shows it."""
    months: set[str] = set()
    for fact in facts:
        for date in fact.get("dates", ()):
            months.update([date[:7]] if len(date) >= 7 else [f"{date}-01", f"{date}-12"])
    return sorted(months)


def render_page(
    nodes: list[dict[str, Any]],
    edges: list[dict[str, Any]],
    *,
    title: str,
    subtitle: str = "",
    focus: str | None = None,
    size_by: str = "degree",
    edge_styles: Mapping[str, Any],
    facts: list[dict[str, Any]] | None = None,
    counts: Any = None,
) -> str:
    """The page: ``edge_styles`` are the legend's relation styles, by the edges' ``family``;
    ``facts`` the records the details panel lists (edges name them by index in ``facts``);
    ``counts`` a :class:`kg.graphview.Counts` of what is drawn."""
    isolated = sum(1 for n in nodes if n.get("isolated"))
    return page_template().render(
        months=fact_months(facts or []),
        title=title,
        subtitle=subtitle,
        vis_css=_asset("vis-network.css", "</style"),
        vis_js=_asset("vis-network.min.js", "</script", "<!--"),
        node_legend=[(kind, NODE_COLOURS[kind]) for kind, _cls in ENTITY_TYPES],
        edge_legend=list(edge_styles.items()),
        size_note=SIZE_NOTES[size_by],
        node_count=len(nodes),
        edge_count=len(edges),
        fact_count=counts.facts if counts is not None else None,
        isolated_count=isolated,
        summary=counts.line() if counts is not None else "",
        nodes_json=script_json(nodes),
        facts_json=script_json(facts or []),
        edges_json=script_json(edges),
        options_json=script_json(vis_options(len(nodes))),
        focus_json=script_json(focus),
        page_css=Markup(template_text("graph.css")),
        page_script=Markup(template_text("graph.js")),
        details_script=Markup(template_text("details.js")),
    )
