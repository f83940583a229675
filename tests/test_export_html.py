"""Tests for kg.export_html: a small graph in our model, rendered with the real pyvis."""

from __future__ import annotations

import json
import random
import re
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

from kg.cli import main
from kg.errors import InputError
from kg.export_html import EDGE_STYLES, Selection, parse_types, write_html
from kg.htmlpage import NODE_COLOURS, VIS_DIR, vis_options
from kg.namespaces import (
    NG,
    ORG,
    POLICY,
    article_iri,
    entity_iri,
    policy_concept_iri,
    policy_relation_iri,
    role_assignment_iri,
    wikidata_iri,
)
from kg.registry import policy_keys
from kg.viz import render_graph_file

SCRIPT_CANARY = "<script>alert(1)</script>"
IMG_CANARY = "<img src=x onerror=alert(1)>"
CLASSES = {"person": NG.Person, "organization": NG.Organization, "country": NG.Country}


class GraphBuilder:
    """Writes articles, entities and qualified nodes the way docs/graph-model.md describes."""

    def __init__(self) -> None:
        self.g = Graph()

    def article(self, key: str, *files: str) -> URIRef:
        iri = article_iri(key.encode().hex().ljust(40, "0"))
        self.g.add((iri, RDF.type, NG.Article))
        self.g.add((iri, DCTERMS.title, Literal(f"Article {key}")))
        for name in files:
            self.g.add((iri, NG.sourceFile, Literal(name)))
        return iri

    def entity(
        self,
        kind: str,
        label: str,
        *aliases: str,
        qid: str | None = None,
        articles: tuple[URIRef, ...] = (),
    ) -> URIRef:
        iri = entity_iri(kind, label)
        self.g.add((iri, RDF.type, CLASSES[kind]))
        if kind == "country":  # as if inferred from ng:Country ⊑ ng:Organization
            self.g.add((iri, RDF.type, NG.Organization))
        self.g.add((iri, RDFS.label, Literal(label)))
        for alias in aliases:
            self.g.add((iri, SKOS.altLabel, Literal(alias)))
        if qid:
            self.g.add((iri, OWL.sameAs, wikidata_iri(qid)))
        for article in articles:
            self.g.add((iri, NG.mentionedIn, article))
        return iri

    def concept(self, key: str, label: str, broader: str | None = None) -> URIRef:
        iri = policy_concept_iri(key)
        self.g.add((iri, RDF.type, SKOS.Concept))
        self.g.add((iri, RDF.type, NG.PolicyConcept))
        self.g.add((iri, SKOS.inScheme, POLICY.scheme))
        self.g.add((iri, SKOS.notation, Literal(key)))
        self.g.add((iri, SKOS.prefLabel, Literal(label, lang="en")))
        if broader:
            self.g.add((iri, SKOS.broader, policy_concept_iri(broader)))
        else:
            self.g.add((iri, NG.directProperty, URIRef(policy_keys()[key].property)))
        return iri

    def _provenance(self, node: URIRef, article: URIRef, evidence: str, confidence: str) -> None:
        self.g.add((node, PROV.wasDerivedFrom, article))
        self.g.add((node, NG.evidence, Literal(evidence)))
        self.g.add((node, NG.startOffset, Literal(0)))
        self.g.add((node, NG.endOffset, Literal(len(evidence))))
        self.g.add((node, NG.pattern, Literal("test_pattern")))
        self.g.add((node, NG.confidence, Literal(Decimal(confidence))))  # xsd:decimal

    def role(
        self,
        person: URIRef,
        org: URIRef,
        label: str,
        status: URIRef,
        article: URIRef,
        evidence: str,
        confidence: str = "0.9",
    ) -> URIRef:
        node = role_assignment_iri(person, org, label, article, evidence)
        self.g.add((person, NG.holdsRoleIn, org))
        self.g.add((node, RDF.type, NG.RoleAssignment))
        self.g.add((node, ORG.member, person))
        self.g.add((node, ORG.organization, org))
        self.g.add((node, NG.roleLabel, Literal(label)))
        self.g.add((node, NG.status, status))
        self._provenance(node, article, evidence, confidence)
        return node

    def policy(
        self,
        actor: URIRef,
        key: str,
        target: URIRef,
        article: URIRef,
        evidence: str,
        confidence: str = "0.8",
    ) -> URIRef:
        node = policy_relation_iri(actor, key, target, article, evidence)
        # A narrower concept has no direct property of its own.
        if key in policy_keys():
            self.g.add((actor, URIRef(policy_keys()[key].property), target))
        self.g.add((node, RDF.type, NG.PolicyRelation))
        self.g.add((node, NG.actor, actor))
        self.g.add((node, NG.target, target))
        self.g.add((node, NG.policy, policy_concept_iri(key)))
        self._provenance(node, article, evidence, confidence)
        return node


def build_graph() -> Graph:
    b = GraphBuilder()
    for status, label in ((NG.current, "current"), (NG.former, "former")):
        b.g.add((status, RDF.type, NG.RoleStatus))
        b.g.add((status, RDFS.label, Literal(label)))
    b.concept("tariff", "Tariff")
    b.concept("alliance", "Alliance")
    b.concept("trade", "Trade")
    b.concept("free_trade_agreement", "Free trade agreement", broader="trade")
    b.concept("defence_spending_demand", "Defence spending demand")

    a1 = b.article("a1", "2025/a1.txt")
    a2 = b.article("a2", "2025/a2.txt", "mirror/a2.txt")
    a3 = b.article("a3", "2025/a3.txt")

    hegseth = b.entity("person", "Pete Hegseth", "Hegseth", qid="Q7171592", articles=(a1, a2))
    rubio = b.entity("person", "Marco Rubio", "Rubio", articles=(a2,))
    evil = b.entity("person", f"Evil {SCRIPT_CANARY}", IMG_CANARY, articles=(a3,))
    dod = b.entity("organization", "United States Department of Defense", "Pentagon")
    state = b.entity("organization", "United States Department of State")
    nato = b.entity("organization", "NATO", "North Atlantic Treaty Organization", qid="Q7184")
    us = b.entity("country", "United States", "US", qid="Q30", articles=(a1, a2, a3))
    china = b.entity("country", "China", articles=(a1,))
    canada = b.entity("country", "Canada", articles=(a2,))

    b.role(
        hegseth,
        dod,
        "Secretary of Defense",
        NG.current,
        a1,
        "Defense Secretary Pete Hegseth spoke.",
    )
    b.role(
        hegseth,
        dod,
        "Secretary of Defense",
        NG.current,
        a2,
        "Hegseth, the defense secretary, left.",
        "0.7",
    )
    b.role(
        rubio,
        state,
        "Secretary of State",
        NG.former,
        a2,
        "Former Secretary of State Marco Rubio.",
    )
    b.role(
        evil,
        nato,
        IMG_CANARY,
        NG.former,
        a3,
        f"{SCRIPT_CANARY} said {IMG_CANARY} href=x",
    )

    b.policy(us, "tariff", china, a1, "The United States imposed tariffs on China.")
    b.policy(us, "alliance", canada, a2, "The US and Canada reaffirmed their alliance.")
    b.policy(canada, "alliance", us, a2, "Canada stands with its ally, the US.")
    b.policy(
        us,
        "free_trade_agreement",
        canada,
        a2,
        "The US signed a free trade deal with Canada.",
    )
    b.policy(
        us,
        "defence_spending_demand",
        nato,
        a3,
        "The US demanded NATO allies spend more.",
    )
    return b.g


EXPECTED_NODES = 9
# facts: hegseth-dod (stated twice), rubio-state, evil-nato; tariff, alliance (stated from both
# sides), free trade agreement, defence spending demand
EXPECTED_FACTS = 7
# links: US-Canada carries the alliance and the free trade agreement
EXPECTED_EDGES = 6


def dataset(page: str, name: str) -> list[dict]:
    marker = f"var {name} = new vis.DataSet("
    start = page.index(marker) + len(marker)
    value, _end = json.JSONDecoder().raw_decode(page, start)
    return value


def without_vis_assets(page: str) -> str:
    for name in ("vis-network.min.js", "vis-network.css"):
        asset = (VIS_DIR / name).read_text(encoding="utf-8")
        assert asset in page
        page = page.replace(asset, "")
    return page


def edge_labelled(edges: list[dict], label: str) -> dict:
    """The link whose label lists ``label`` (one relation a line)."""
    (edge,) = [e for e in edges if label in e["label"].split("\n")]
    return edge


def facts_of(page: str) -> list[dict]:
    marker = "var facts = "
    start = page.index(marker) + len(marker)
    value, _end = json.JSONDecoder().raw_decode(page, start)
    return value


@pytest.fixture
def graph() -> Graph:
    return build_graph()


@pytest.fixture
def page(graph: Graph, tmp_path: Path) -> str:
    out = tmp_path / "network.html"
    write_html(graph, out, title=f"News {SCRIPT_CANARY}")
    return out.read_text(encoding="utf-8")


def test_export_html_writes_file_atomically(graph: Graph, tmp_path: Path) -> None:
    out = tmp_path / "network.html"
    out.write_text("old")
    write_html(graph, out)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert text.rstrip().endswith("</html>")
    assert [p.name for p in tmp_path.iterdir()] == ["network.html"]


def test_export_html_counts_nodes_and_edges(page: str, graph: Graph) -> None:
    nodes, edges = dataset(page, "nodes"), dataset(page, "edges")
    assert len(nodes) == EXPECTED_NODES
    assert len(edges) == EXPECTED_EDGES
    entities = {str(s) for c in CLASSES.values() for s in graph.subjects(RDF.type, c)}
    assert {n["id"] for n in nodes} == entities
    assert all(e["from"] in entities and e["to"] in entities for e in edges)


def test_export_html_colours_nodes_by_most_specific_type(page: str) -> None:
    colours = {n["label"]: n["color"] for n in dataset(page, "nodes")}
    assert colours["United States"] == NODE_COLOURS["Country"]
    assert colours["NATO"] == NODE_COLOURS["Organization"]
    assert colours["Marco Rubio"] == NODE_COLOURS["Person"]


def test_export_html_sizes_nodes_by_degree(page: str) -> None:
    sizes = {n["label"]: n["size"] for n in dataset(page, "nodes")}
    assert sizes["United States"] > sizes["Canada"] == sizes["Pete Hegseth"]  # 3 links, 1, 1


def test_export_html_node_tooltip_is_plain_text(page: str) -> None:
    nodes = {n["label"]: n for n in dataset(page, "nodes")}
    title = nodes["Pete Hegseth"]["title"]
    assert title.splitlines() == [
        "Person: Pete Hegseth",
        "Also known as: Hegseth",
        "Wikidata: Q7171592",
        "Mentioned in 2 articles",
        "1 fact with 1 entity; click for details",
    ]
    assert "Wikidata" not in nodes["China"]["title"]
    assert "Mentioned in 1 article\n" in nodes["China"]["title"]


def test_export_html_edge_labels_and_styles(page: str) -> None:
    edges = dataset(page, "edges")
    role = edge_labelled(edges, "Secretary of Defense")
    former = edge_labelled(edges, "Secretary of State (former)")
    tariff = edge_labelled(edges, "Tariff")
    alliance = edge_labelled(edges, "Alliance")
    fta = edge_labelled(edges, "Free trade agreement")
    assert role["dashes"] is True and former["dashes"] is True
    assert tariff["dashes"] is False and alliance["dashes"] is False
    assert role["color"]["color"] != tariff["color"]["color"]
    assert tariff["arrows"]["to"]["enabled"] is True
    assert alliance["arrows"]["to"]["enabled"] is False
    assert fta["arrows"]["to"]["enabled"] is False  # narrower than trade
    assert alliance["color"]["color"] == EDGE_STYLES["mutual"].colour


def test_export_html_legend_present(page: str) -> None:
    legend = page[page.index('<aside id="legend">') : page.index("</aside>")]
    assert "Legend" in legend
    for kind, colour in NODE_COLOURS.items():
        assert kind in legend and colour in legend
    for style in EDGE_STYLES.values():
        assert style.colour in legend
    assert legend.count("stroke-dasharray") == 2  # role and part of
    assert 'id="show-isolated"' in legend and "Show the 0 entities in no fact" in legend


def test_export_html_loads_nothing_from_network(page: str) -> None:
    refs = re.findall(r"""\b(?:src|href)\s*=\s*["']?\s*([^\s"'>]*)""", page, flags=re.IGNORECASE)
    assert not [r for r in refs if re.match(r"(?:https?:)?//", r, flags=re.IGNORECASE)]
    assert not re.search(r"<link\b|@import|cdn\.|jsdelivr|cdnjs|bootstrap", page, flags=re.IGNORECASE)
    assert without_vis_assets(page) != page  # vis-network JS and CSS inlined from pyvis


def test_export_html_injection_canary_only_escaped(page: str) -> None:
    assert SCRIPT_CANARY not in page
    assert IMG_CANARY not in page
    assert "alert(1)</" not in page
    # vis-network's own JS holds the text "<script>"; only our markup is checked for tags.
    ours = without_vis_assets(page)
    scripts = re.findall(r"<script\b", ours, flags=re.IGNORECASE)
    assert len(scripts) == 2  # vis-network's JS, our data
    assert not re.search(r"<img\b|<!--", ours, flags=re.IGNORECASE)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # page title and heading
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in page  # JSON data
    # ...and it reaches the reader as text, unchanged.
    nodes, edges = dataset(page, "nodes"), dataset(page, "edges")
    evil = next(n for n in nodes if n["label"] == f"Evil {SCRIPT_CANARY}")
    assert IMG_CANARY in evil["title"]
    edge = edge_labelled(edges, f"{IMG_CANARY} (former)")
    assert f"{SCRIPT_CANARY} said {IMG_CANARY} href=x" in edge["title"]


def test_export_html_byte_identical_output(graph: Graph, tmp_path: Path) -> None:
    shuffled = Graph()
    triples = sorted(graph)
    random.Random(7).shuffle(triples)
    for triple in triples:
        shuffled.add(triple)
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    write_html(graph, first)
    write_html(shuffled, second)
    assert first.read_bytes() == second.read_bytes()
    write_html(graph, first)
    assert first.read_bytes() == second.read_bytes()
    assert "randomSeed" in first.read_text(encoding="utf-8")


def test_export_html_merges_evidence_for_repeated_fact(page: str) -> None:
    edges = dataset(page, "edges")
    role = edge_labelled(edges, "Secretary of Defense")
    lines = role["title"].splitlines()
    assert lines == [
        "Pete Hegseth — United States Department of Defense: 1 fact",
        "Pete Hegseth → United States Department of Defense: Secretary of Defense",
        "   “Defense Secretary Pete Hegseth spoke.”",  # strongest first
        "   2025/a1.txt · 2 evidence sentences",
    ]
    (fact,) = [facts_of(page)[i] for i in role["facts"]]
    assert fact["evidence"] == 2 and fact["articles"] == ["Article a1", "Article a2"]
    assert [x["files"] for x in fact["sentences"]] == [["2025/a1.txt"], ["2025/a2.txt", "mirror/a2.txt"]]
    alliance = edge_labelled(edges, "Alliance")
    assert "Canada — United States: 2 facts" in alliance["title"]
    assert "2 evidence sentences" in alliance["title"]  # stated from both sides: one fact


def test_export_html_caps_evidence_list(graph: Graph, tmp_path: Path) -> None:
    b = GraphBuilder()
    b.g = graph
    us = entity_iri("country", "United States")
    china = entity_iri("country", "China")
    for i in range(6):
        article = b.article(f"x{i}", f"extra/{i}.txt")
        b.policy(us, "tariff", china, article, f"Tariff sentence {i}.", "0.5")
    out = tmp_path / "network.html"
    write_html(graph, out)
    page = out.read_text(encoding="utf-8")
    edges = dataset(page, "edges")
    assert len(edges) == EXPECTED_EDGES
    tariff = edge_labelled(edges, "Tariff")
    assert "7 evidence sentences" in tariff["title"]
    assert "imposed tariffs on China" in tariff["title"]  # confidence 0.8 sorts before 0.5
    (fact,) = [facts_of(page)[i] for i in tariff["facts"]]
    assert fact["evidence"] == 7 and len(fact["sentences"]) == 5 and len(fact["articles"]) == 7


# --- one link per pair of entities, listing its facts --------------------------------------


def test_export_html_two_roles_in_one_body_are_one_edge(graph: Graph, tmp_path: Path) -> None:
    b = GraphBuilder()
    b.g = graph
    hegseth = entity_iri("person", "Pete Hegseth")
    dod = entity_iri("organization", "United States Department of Defense")
    article = b.article("war", "2025/war.txt")
    b.role(hegseth, dod, "Secretary of War", NG.current, article, "Secretary of War Pete Hegseth.", "0.95")
    out = tmp_path / "network.html"
    write_html(graph, out)
    page = out.read_text(encoding="utf-8")
    edges = dataset(page, "edges")
    assert len(edges) == EXPECTED_EDGES  # still one ng:holdsRoleIn triple
    (edge,) = [e for e in edges if e["from"] == str(hegseth)]
    assert edge["label"] == "Secretary of War\nSecretary of Defense"  # strongest evidence first
    (fact,) = [facts_of(page)[i] for i in edge["facts"]]
    assert fact["labels"] == ["Secretary of War", "Secretary of Defense"] and fact["evidence"] == 3
    assert fact["relation"] == "holds role in"


def test_export_html_parallel_facts_are_one_link_listing_its_relations(page: str) -> None:
    edges = dataset(page, "edges")
    us, canada = str(entity_iri("country", "United States")), str(entity_iri("country", "Canada"))
    (link,) = [e for e in edges if {e["from"], e["to"]} == {us, canada}]
    assert link["label"].split("\n") == ["Alliance", "Free trade agreement"]
    assert link["families"] == ["mutual"] and link["arrows"]["to"]["enabled"] is False
    facts = facts_of(page)
    assert sorted(facts[i]["relation"] for i in link["facts"]) == ["alliance", "trade"]
    assert len(facts) == EXPECTED_FACTS


def test_export_html_part_of_is_drawn_and_isolated_start_hidden(graph: Graph, tmp_path: Path) -> None:
    b = GraphBuilder()
    b.g = graph
    dod = entity_iri("organization", "United States Department of Defense")
    us = entity_iri("country", "United States")
    graph.add((dod, DCTERMS.isPartOf, us))
    loner = b.entity("person", "Nobody Atall")
    out = tmp_path / "network.html"
    write_html(graph, out)
    page = out.read_text(encoding="utf-8")
    edges = dataset(page, "edges")
    (part,) = [e for e in edges if e["from"] == str(dod) and e["to"] == str(us)]
    assert part["label"] == "part of" and part["families"] == ["part_of"]
    assert part["arrows"]["to"]["enabled"] is True and part["dashes"] is True
    nodes = {n["id"]: n for n in dataset(page, "nodes")}
    assert nodes[str(loner)]["hidden"] is True and nodes[str(loner)]["isolated"] is True
    assert not any(n.get("hidden") for iri, n in nodes.items() if iri != str(loner))
    assert "Show the 1 entities in no fact" in page
    assert "10 entities, 8 facts (3 role, 4 policy, 1 part of) on 7 links; 1 entity in no fact" in page


def test_export_html_narrower_policy_shares_the_edge_of_its_direct_property(graph: Graph, tmp_path: Path) -> None:
    b = GraphBuilder()
    b.g = graph
    b.concept("tariff.reciprocal", "Reciprocal tariff", broader="tariff")
    us, china = entity_iri("country", "United States"), entity_iri("country", "China")
    article = b.article("recip", "2025/recip.txt")
    b.policy(us, "tariff.reciprocal", china, article, "The US set reciprocal tariffs on China.", "0.6")
    out = tmp_path / "network.html"
    write_html(graph, out)
    edges = dataset(out.read_text(encoding="utf-8"), "edges")
    assert len(edges) == EXPECTED_EDGES
    (edge,) = [e for e in edges if e["to"] == str(china)]
    assert edge["label"] == "Tariff\nReciprocal tariff"


# --- choosing what to draw ----------------------------------------------------------------


def ids(page: str) -> set[str]:
    return {n["id"] for n in dataset(page, "nodes")}


def test_export_html_focus_keeps_the_neighbourhood(graph: Graph, tmp_path: Path) -> None:
    out = tmp_path / "focus.html"
    counts = write_html(graph, out, selection=Selection(focus="canada", depth=1))
    page = out.read_text(encoding="utf-8")
    assert ids(page) == {str(entity_iri("country", n)) for n in ("Canada", "United States")}
    assert counts == (2, 1)  # one link: alliance and free trade agreement
    assert "around Canada (up to 1 link away)" in page
    assert "var focusId = " + json.dumps(str(entity_iri("country", "Canada"))) in page
    write_html(graph, out, selection=Selection(focus="Canada", depth=2))
    # two steps: through the United States to China and NATO
    assert ids(out.read_text(encoding="utf-8")) == {
        str(entity_iri(kind, name))
        for kind, name in (
            ("country", "Canada"),
            ("country", "United States"),
            ("country", "China"),
            ("organization", "NATO"),
        )
    }
    write_html(graph, out, selection=Selection(focus="https://w3id.org/newsgraph/id/country/canada", depth=0))
    assert len(ids(out.read_text(encoding="utf-8"))) == 1


def test_export_html_types_filter_entities_and_their_edges(graph: Graph, tmp_path: Path) -> None:
    out = tmp_path / "types.html"
    write_html(graph, out, selection=Selection(types=parse_types(["country"])))
    nodes, edges = dataset(out.read_text(encoding="utf-8"), "nodes"), dataset(out.read_text(encoding="utf-8"), "edges")
    assert {n["kind"] for n in nodes} == {"Country"} and len(nodes) == 3
    assert {e["family"] for e in edges} == {"policy", "mutual"} and len(edges) == 2
    assert parse_types(["Person,organisations", "countries"]) == {"Person", "Organization", "Country"}


@pytest.mark.parametrize(
    ("selection", "message"),
    [
        (Selection(focus="Canadia"), "did you mean 'Canada'"),
        (Selection(focus="secretary"), "no such entity"),
        (Selection(focus="United"), "names several entities"),
        (Selection(focus="Marco Rubio", types=frozenset({"Country"})), "no such entity"),
    ],
)
def test_export_html_focus_errors_name_the_input(graph: Graph, tmp_path: Path, selection, message) -> None:
    with pytest.raises(InputError, match=message):
        write_html(graph, tmp_path / "x.html", selection=selection)
    assert not (tmp_path / "x.html").exists()


def test_export_html_unknown_type_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown entity type 'planet'"):
        parse_types(["person,planet"])


def test_export_html_sizes_by_centrality(graph: Graph, tmp_path: Path) -> None:
    out = tmp_path / "centrality.html"
    write_html(graph, out, size_by="centrality")
    page = out.read_text(encoding="utf-8")
    sizes = {n["label"]: n["size"] for n in dataset(page, "nodes")}
    # the United States lies between everything; leaves lie between nothing
    assert sizes["United States"] == max(sizes.values()) == 50
    assert sizes["China"] == sizes["Marco Rubio"] == 10
    assert "betweenness centrality" in page


def test_export_html_page_has_search_and_filters_in_text_only_script(page: str) -> None:
    ours = without_vis_assets(page)
    assert 'id="search"' in ours
    for kind in NODE_COLOURS:
        assert f'data-kind="{kind}"' in ours
    for family in EDGE_STYLES:
        assert f'data-family="{family}"' in ours
    script = ours[ours.rindex("<script>") :]
    assert "textContent" in script
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function", script)


def test_export_html_large_graphs_settle_faster() -> None:
    small, large = vis_options(100), vis_options(5000)
    assert small["layout"]["improvedLayout"] is True and large["layout"]["improvedLayout"] is False
    assert large["physics"]["stabilization"]["iterations"] < small["physics"]["stabilization"]["iterations"]
    assert large["edges"]["smooth"]["enabled"] is False
    assert large["layout"]["randomSeed"] == small["layout"]["randomSeed"]


def test_export_html_empty_graph_is_a_page(tmp_path: Path) -> None:
    out = tmp_path / "empty.html"
    assert write_html(Graph(), out) == (0, 0)
    assert "0 entities, 0 links." in out.read_text(encoding="utf-8")


# --- kg viz: any serialisation, the same page ---------------------------------------------


@pytest.mark.parametrize(
    "fmt, suffix", [("turtle", "ttl"), ("nt", "nt"), ("json-ld", "jsonld"), ("trig", "trig"), ("nquads", "nq")]
)
def test_viz_reads_every_format_the_project_writes(graph: Graph, tmp_path: Path, fmt: str, suffix: str) -> None:
    source = tmp_path / f"graph.{suffix}"
    if suffix in ("trig", "nq"):
        ds = Dataset()
        named = ds.graph(URIRef("https://w3id.org/newsgraph/id/graph/test"))
        for triple in graph:
            named.add(triple)
        ds.serialize(source, format=fmt)
    else:
        graph.serialize(source, format=fmt)
    out = tmp_path / "deep" / "viz.html"
    assert render_graph_file(source, out) == (EXPECTED_NODES, EXPECTED_EDGES)
    reference = tmp_path / "reference.html"
    write_html(graph, reference, title=f"newsgraph: graph.{suffix}")
    assert out.read_bytes() == reference.read_bytes()


def test_viz_cli_writes_the_page_and_reports_errors_in_one_line(graph: Graph, tmp_path: Path) -> None:
    source = tmp_path / "graph.ttl"
    graph.serialize(source, format="turtle")
    runner = CliRunner()
    done = runner.invoke(main, ["viz", str(source), "-o", str(tmp_path / "v.html"), "--focus", "Hegseth"])
    assert done.exit_code == 0, done.output
    assert done.output == f"2 entities, 1 link -> {tmp_path / 'v.html'}\n"
    done = runner.invoke(main, ["viz", str(source), "-o", str(tmp_path), "--types", "country"])
    assert done.exit_code == 2 and done.output.count("\n") == 1 and "output path is a folder" in done.output
    done = runner.invoke(main, ["viz", str(tmp_path / "missing.ttl"), "-o", str(tmp_path / "m.html")])
    assert done.exit_code == 2 and "graph not found" in done.output and "Traceback" not in done.output
    done = runner.invoke(main, ["viz", str(source), "-o", str(tmp_path / "t.html"), "--types", "planet"])
    assert done.exit_code == 2 and "unknown entity type 'planet'" in done.output
