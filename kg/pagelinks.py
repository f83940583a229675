"""The page's lines and texts: one :class:`Link` per pair of entities with every fact between
them, the styles of the relation families, the tooltips (plain text) and the fact records the
details panel lists. ``kg.export_html`` builds the network from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .graphview import ArticleInfo, Entity, Fact, GraphView, fact_key, plural
from .registry import families, family

MAX_EVIDENCE = 5
MAX_EVIDENCE_CHARS = 300
MAX_EDGE_LABELS = 4
MAX_ARTICLE_CHARS = 90


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


def node_tooltip(entity: Entity, facts: int, links: int) -> str:
    """Plain text: vis-network shows a string title with innerText."""
    lines = [f"{entity.kind}: {entity.label}"]
    if entity.aliases:
        lines.append("Also known as: " + "; ".join(entity.aliases))
    if entity.wikidata:
        lines.append("Wikidata: " + ", ".join(entity.wikidata))
    lines.append(f"Mentioned in {plural(entity.articles, 'article')}")
    lines.append(f"{plural(facts, 'fact')} with {plural(links, 'entity')}; click for details")
    return "\n".join(lines)


def arrow(fact: Fact) -> str:
    return "—" if fact.symmetric else "→"


def link_tooltip(link: Link, labels: dict[str, str]) -> str:
    """Plain text, like node_tooltip: each fact of the link with its strongest evidence."""
    lines = [f"{labels[link.source]} — {labels[link.target]}: {plural(len(link.facts), 'fact')}"]
    for fact in link.facts:
        what = " / ".join(fact_labels(fact))
        lines.append(f"{labels[fact.subject]} {arrow(fact)} {labels[fact.object]}: {what}")
        if fact.evidence:
            best = fact.evidence[0]
            lines.append(f"   “{_short(best.sentence)}”")
            count = plural(len(fact.evidence), "evidence sentence")
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
                    # ISO dates the sentences give (the time filter reads them), a role's start and end
                    "dates": sorted({e.date for e in fact.evidence if e.date}),
                    "since": min((e.since for e in fact.evidence if e.since), default=""),
                    "until": max((e.until for e in fact.evidence if e.until), default=""),
                    "sentences": [
                        {
                            "text": _short(e.sentence),
                            "files": list(e.files),
                            "label": e.label,
                            "confidence": e.confidence,
                            "date": e.date,
                            "published": e.published,
                        }
                        for e in fact.evidence[:MAX_EVIDENCE]
                    ],
                }
            )
    return records
