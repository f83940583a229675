"""The HTML network in a real headless Chromium: counts, safety, offline, settling at scale.

Chromium runs with every host name unresolvable and a proxy on a closed port, and the test
records every request the page makes: only the page's own file:// URL and data: URLs may
appear. Screenshots go to test-artifacts/ (gitignored).
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import time
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import DCTERMS, RDF

from kg.namespaces import NG, POLICY
from kg.registry import symmetric_policies

sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package (pip install -e '.[dev]')")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="needs the chromium browser (apt-get install chromium; .ci/run installs it)"
)

ROOT = Path(__file__).resolve().parent.parent


def benchmark_module(name: str):
    """A module of benchmarks/ (not a package), e.g. ``synthetic``."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ARTIFACTS = ROOT / "test-artifacts"
OFFLINE_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Nothing may leave the machine: no name resolves, and any proxied request hits a closed port.
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=http://127.0.0.1:9",
]
PWNED = "window.__pwned=1"
CANARY_ARTICLE = f"""Defence chief <script>{PWNED}</script> visits Tokyo

U.S. Secretary of Defense Pete Hegseth said <script>{PWNED}</script> and <img src=x onerror="{PWNED}"> in Tokyo.

The United States imposed tariffs on Japan <img src=x onerror="{PWNED}"> last week.

Japanese Prime Minister Shigeru Ishiba met President Donald Trump <script>{PWNED}</script> in Washington.
"""
# The source file name is shown in tooltips too.
CANARY_FILE = f'<img src=x onerror="{PWNED}">.txt'


def links(graph: Graph) -> set[frozenset]:
    """The lines of the page: pairs of entities joined by one or more facts (parallel facts
    between two entities are one link)."""
    entities = {s for c in (NG.Person, NG.Organization, NG.Country) for s in graph.subjects(RDF.type, c)}
    pairs = {frozenset((s, o)) for fact in distinct_direct_facts(graph) for s, o in [fact[-2:]]}
    pairs |= {frozenset((s, o)) for s, o in graph.subject_objects(DCTERMS.isPartOf)}
    return {p for p in pairs if p <= entities and len(p) == 2}


def distinct_direct_facts(graph: Graph) -> set[tuple]:
    """The relations of a graph, counted from its direct triples (docs/graph-model.md).

    A role is ``?person ng:holdsRoleIn ?org``; a policy ``?actor ng:<key> ?target`` with the key
    of a top concept of the taxonomy; a mutual policy stated from both sides is one relation.
    """
    facts: set[tuple] = {("role", s, o) for s, o in graph.subject_objects(NG.holdsRoleIn)}
    mutual = {POLICY[key] for key in symmetric_policies()}
    for concept, prop in graph.subject_objects(NG.directProperty):
        symmetric = concept in mutual
        for actor, target in graph.subject_objects(prop):
            ends = tuple(sorted((actor, target))) if symmetric else (actor, target)
            facts.add((prop, *ends))
    return facts


def entity_count(graph: Graph) -> int:
    return len({s for c in (NG.Person, NG.Organization, NG.Country) for s in graph.subjects(RDF.type, c)})


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=OFFLINE_ARGS)
        yield browser
        browser.close()


class OpenedPage:
    """A page opened from a file, with everything it logged and requested."""

    def __init__(self, browser, path: Path, timeout_ms: int = 60_000, size: tuple[int, int] = (1280, 800)) -> None:
        self.context = browser.new_context(viewport={"width": size[0], "height": size[1]})
        self.page = self.context.new_page()
        self.console_errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        self.page.on("pageerror", lambda exc: self.console_errors.append(str(exc)))
        self.context.on("request", lambda r: self.requests.append(r.url))
        self.url = path.resolve().as_uri()
        self.page.goto(self.url)
        self.page.wait_for_selector("body[data-drawn=true]", state="attached", timeout=timeout_ms)

    def eval(self, script: str, arg=None):
        return self.page.evaluate(script, arg)

    def foreign_requests(self) -> list[str]:
        return [u for u in self.requests if u != self.url and not u.startswith("data:")]

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def canary_build(tmp_path_factory):
    """A graph built by the real pipeline from an article full of markup."""
    from kg.pipeline import build

    root = tmp_path_factory.mktemp("canary")
    (root / "in").mkdir()
    (root / "in" / CANARY_FILE).write_text(CANARY_ARTICLE, encoding="utf-8")
    result = build([root / "in"], root / "out")
    return result.graph, result.outputs["html"]


def test_viz_browser_canary_page_counts_safety_offline(browser, canary_build) -> None:
    graph, html = canary_build
    facts = distinct_direct_facts(graph)
    assert entity_count(graph) >= 4 and len(facts) >= 3  # the article gave a real graph
    assert any(f"<script>{PWNED}</script>" in str(o) for o in graph.objects(None, NG.evidence))
    opened = OpenedPage(browser, html)
    try:
        counts = opened.eval(
            """() => ({nodes: network.body.data.nodes.length, edges: network.body.data.edges.length,
                   positions: Object.keys(network.getPositions()).length,
                   drawnEdges: network.body.edgeIndices.length})"""
        )
        assert counts == {
            "nodes": entity_count(graph),
            "edges": len(links(graph)),
            "positions": entity_count(graph),
            "drawnEdges": len(links(graph)),
        }
        # The canary text reached the page as data...
        titles = opened.eval("() => edges.get().map(e => e.title).join('\\n')")
        assert f"<script>{PWNED}</script>" in titles
        assert f'<img src=x onerror="{PWNED}">' in titles
        # ...and shows as text in the tooltip of the edge that carries it.
        edge_id = opened.eval(
            """() => edges.get().filter(e => e.title.indexOf("<img") !== -1)
                   .sort((a, b) => a.id < b.id ? -1 : 1)[0].id"""
        )
        point = opened.eval(
            """(id) => {
                 const p = network.canvasToDOM(network.body.edges[id].edgeType.getPoint(0.5));
                 const box = document.getElementById("mynetwork").getBoundingClientRect();
                 return {x: box.left + p.x, y: box.top + p.y};
               }""",
            edge_id,
        )
        opened.page.mouse.move(point["x"], point["y"] + 1)
        tooltip = opened.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
        assert "onerror=" in tooltip.text_content()
        # innerText turns each newline into <br>; nothing else may become an element.
        tags = opened.eval("() => [...document.querySelector('div.vis-tooltip').children].map(c => c.tagName)")
        assert set(tags) <= {"BR"}
        ARTIFACTS.mkdir(exist_ok=True)
        opened.page.screenshot(path=str(ARTIFACTS / "viz-canary.png"))
        # Nothing ran, nothing was made of the markup, nothing was fetched.
        assert opened.eval("() => window.__pwned") is None
        assert opened.eval("() => document.querySelectorAll('img, iframe, object, embed').length") == 0
        assert opened.eval("() => document.scripts.length") == 2
        assert opened.console_errors == []
        assert opened.foreign_requests() == []
        assert opened.eval("() => performance.getEntriesByType('resource').map(e => e.name)") == []
    finally:
        opened.close()


def test_viz_browser_search_filters_and_details(browser, canary_build) -> None:
    graph, html = canary_build
    opened = OpenedPage(browser, html)
    page = opened.page
    try:
        page.fill("#search", "hegseth")
        assert page.text_content("#search-info") == "1 match"
        assert opened.eval("() => network.getSelectedNodes()") == ["https://w3id.org/newsgraph/id/person/pete-hegseth"]
        assert page.text_content("#details h3") == "Pete Hegseth"
        assert page.text_content("#details .meta").startswith("Person")
        page.fill("#search", "no such name")
        assert page.text_content("#search-info") == "no match"
        page.fill("#search", "")

        people = len(set(graph.subjects(RDF.type, NG.Person)))
        page.uncheck("input[data-kind=Person]")
        visible = "() => [nodes.get({filter: n => !n.hidden}).length, edges.get({filter: e => !e.hidden}).length]"
        nodes_shown, edges_shown = opened.eval(visible)
        assert nodes_shown == entity_count(graph) - people
        assert edges_shown < len(links(graph))
        assert page.text_content("#shown").startswith(f"Showing {nodes_shown} of {entity_count(graph)} entities")
        page.check("input[data-kind=Person]")
        page.uncheck("input[data-family=policy]")
        assert opened.eval(visible)[0] == entity_count(graph)
        page.check("input[data-family=policy]")
        assert opened.eval(visible) == [entity_count(graph), len(links(graph))]
        assert opened.console_errors == []
    finally:
        opened.close()


def test_viz_browser_layout_is_seeded(browser, canary_build) -> None:
    _graph, html = canary_build
    positions = []
    for _ in range(2):
        opened = OpenedPage(browser, html)
        positions.append(opened.eval("() => network.getPositions()"))
        opened.close()
    assert positions[0] == positions[1]
    assert len({(round(p["x"]), round(p["y"])) for p in positions[0].values()}) == len(positions[0])


def test_viz_browser_thousand_nodes_settle(browser, tmp_path) -> None:
    from kg.export_html import write_html
    from kg.graph import build_graph

    synthetic_knowledge = benchmark_module("synthetic").synthetic_knowledge

    graph = build_graph(synthetic_knowledge(1000))
    html = tmp_path / "big.html"
    write_html(graph, html)
    started = time.monotonic()
    opened = OpenedPage(browser, html, timeout_ms=90_000)
    try:
        elapsed = time.monotonic() - started
        counts = opened.eval("() => [network.body.data.nodes.length, network.body.data.edges.length]")
        assert counts == [entity_count(graph), len(links(graph))]
        assert counts[0] == 1000
        settled = opened.eval("() => performance.getEntriesByName('newsgraph-settled')[0].startTime")
        assert settled > 0
        # Settled means still: physics are off and no node moves any more.
        before = opened.eval("() => network.getPositions()")
        opened.page.wait_for_timeout(300)
        assert opened.eval("() => network.getPositions()") == before
        assert opened.eval("() => network.physics.physicsEnabled") is False
        assert opened.console_errors == []
        assert opened.foreign_requests() == []
        ARTIFACTS.mkdir(exist_ok=True)
        opened.page.screenshot(path=str(ARTIFACTS / "viz-1000.png"))
        print(f"1,000 entities: settled {settled / 1000:.1f} s after navigation, drawn {elapsed:.1f} s after goto")
    finally:
        opened.close()


# --- what a journalist sees: the seeds graph at 1600x1000 ------------------------------------

SEEDS = ROOT.parent / "shared" / "seeds"
COUNTRY_WITH_POLICIES = "https://w3id.org/newsgraph/id/country/japan"
SCREEN = (1600, 1000)  # the journalist's screen the first view must be legible on


@pytest.fixture(scope="module")
def seeds_build(tmp_path_factory):
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds not present")
    from kg.pipeline import build

    out = tmp_path_factory.mktemp("seeds") / "out"
    result = build([SEEDS], out, cache=False)
    return result.graph, result.outputs["html"]


def node_point(opened: OpenedPage, iri: str) -> dict:
    return opened.eval(
        """(id) => {
             const p = network.canvasToDOM(network.getPosition(id));
             const box = document.getElementById("mynetwork").getBoundingClientRect();
             return {x: box.left + p.x, y: box.top + p.y};
           }""",
        iri,
    )


def click_node(opened: OpenedPage, iri: str) -> None:
    point = node_point(opened, iri)
    opened.page.mouse.click(point["x"], point["y"])
    assert opened.eval("() => network.getSelectedNodes()") == [iri]


def details_text(opened: OpenedPage) -> str:
    return " ".join(opened.page.text_content("#details").split())


def expected_fact(graph: Graph, iri: str, family: str):
    """A fact of ``iri`` in ``family`` with evidence: (fact, counterpart label, an article name)."""
    from kg.graphview import read_articles, read_graph_view

    view = read_graph_view(graph)
    articles = read_articles(graph)
    fact = next(f for f in view.distinct_facts() if iri in (f.subject, f.object) and f.family == family and f.evidence)
    other = fact.object if fact.subject == iri else fact.subject
    article = articles[fact.evidence[0].articles[0]].name
    return fact, view.entities[other].label, " ".join(article.split())[:40]


def test_viz_browser_seeds_first_view_is_legible_and_uncluttered(browser, seeds_build) -> None:
    graph, html = seeds_build
    opened = OpenedPage(browser, html, size=SCREEN)
    try:
        ARTIFACTS.mkdir(exist_ok=True)
        opened.page.screenshot(path=str(ARTIFACTS / "seeds-first-view.png"))
        view = opened.eval(
            """() => ({scale: network.getScale(), node: +document.body.dataset.nodeFont,
                   edge: +document.body.dataset.edgeFont})"""
        )
        # Labels as drawn on screen at the fitted view: nodes about 14 px or more, links readable.
        assert view["node"] * view["scale"] >= 13.5, view
        assert view["edge"] * view["scale"] >= 11.5, view
        # One line per pair of entities, listing its relations.
        pairs = opened.eval("() => edges.get().map(e => [e.from, e.to].sort().join(' '))")
        assert len(pairs) == len(set(pairs)) == len(links(graph))
        merged = opened.eval("() => edges.get().filter(e => e.facts.length > 1).map(e => e.label.split('\\n').length)")
        assert merged and max(merged) >= 2
        # Part-of links are drawn: a body to its state.
        part_of = opened.eval(
            "() => edges.get().filter(e => e.families.indexOf('part_of') !== -1).map(e => nodes.get(e.to).kind)"
        )
        assert part_of and "Country" in part_of
        # Entities in no fact start hidden, behind a toggle.
        isolated = opened.eval("() => nodes.get({filter: n => n.isolated}).length")
        visible = "() => nodes.get({filter: n => !n.hidden}).length"
        assert isolated > 0
        assert opened.eval(visible) == entity_count(graph) - isolated
        opened.page.check("#show-isolated")
        assert opened.eval(visible) == entity_count(graph)
        opened.page.uncheck("#show-isolated")
        assert opened.eval(visible) == entity_count(graph) - isolated
        assert opened.console_errors == []
    finally:
        opened.close()


def test_viz_browser_seeds_details_of_a_country_and_a_person(browser, seeds_build) -> None:
    graph, html = seeds_build
    opened = OpenedPage(browser, html, size=SCREEN)
    page = opened.page
    try:
        # A country with policies: grouped by relation, counterpart, evidence count, articles.
        fact, counterpart, article = expected_fact(graph, COUNTRY_WITH_POLICIES, "policy")
        click_node(opened, COUNTRY_WITH_POLICIES)
        text = details_text(opened)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "seeds-country-clicked.png"))
        assert page.text_content("#details h3") == "Japan"
        headings = [h.text_content() for h in page.query_selector_all("#details h4")]
        assert any(h.startswith(fact.label) for h in headings), headings
        assert counterpart in text and article in text
        assert re.search(r"\d+ evidence sentences?", text)
        # A person with a role: the role title, the organisation and an article.
        roles = [f for f in read_graph_view_facts(graph) if f.family == "role" and f.evidence]
        role = next(f for f in roles if f.evidence[0].title)
        _fact, organisation, article = expected_fact(graph, role.subject, "role")
        click_node_by_search(opened, role.subject)
        text = details_text(opened)
        assert _fact.evidence[0].title in text and organisation in text and article in text
        # Step to the counterpart: that node is selected and its details shown.
        page.click(f'#details button.step[data-id="{_fact.object}"]')
        assert opened.eval("() => network.getSelectedNodes()") == [_fact.object]
        assert page.text_content("#details h3") == organisation
        assert opened.console_errors == []
    finally:
        opened.close()


def read_graph_view_facts(graph: Graph):
    from kg.graphview import read_graph_view

    return read_graph_view(graph).distinct_facts()


def click_node_by_search(opened: OpenedPage, iri: str) -> None:
    """Bring a node into view through the search box, then click it on the canvas."""
    label = opened.eval("(id) => nodes.get(id).label", iri)
    opened.page.fill("#search", label)
    opened.page.fill("#search", "")
    opened.eval("(id) => network.focus(id, {scale: 1.2})", iri)
    click_node(opened, iri)


def test_viz_browser_time_filter_and_dates_in_details(browser, tmp_path) -> None:
    """A dated graph has a time filter: narrowing it to one month hides the links dated
    elsewhere, hiding undated facts hides the rest, and the details panel shows the dates."""
    from test_dates import DATED_ARTICLE

    from kg.pipeline import build

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "dated.txt").write_text(DATED_ARTICLE, encoding="utf-8")
    result = build([tmp_path / "in"], tmp_path / "out", workers=1)
    opened = OpenedPage(browser, result.outputs["html"])
    try:
        months = opened.eval("Array.from(document.querySelectorAll('#date-from option')).map(o => o.value)")
        assert "2025-03" in months and "2025-04" in months
        visible = "edges.get().filter(e => !e.hidden).length"
        everything = opened.eval(visible)
        opened.page.select_option("#date-from", "2025-03")
        opened.page.select_option("#date-to", "2025-03")
        in_march = opened.eval(visible)
        opened.page.uncheck("#show-undated")
        march_only = opened.eval(visible)
        assert everything > in_march >= march_only >= 1
        dated = opened.eval(
            "edges.get().filter(e => !e.hidden)"
            ".every(e => e.facts.some(i => facts[i].dates.some(d => d.startsWith('2025-03'))))"
        )
        assert dated
        opened.page.select_option("#date-from", months[0])
        opened.page.select_option("#date-to", months[-1])
        opened.page.check("#show-undated")
        assert opened.eval(visible) == everything
        ids = opened.eval("nodes.get().filter(n => n.label === 'Canada').map(n => n.id)")
        assert ids, "Canada is drawn"
        opened.eval("id => detailsPanel.show(nodes.get(id), false)", ids[0])
        assert "dated 2025-03" in opened.eval("document.getElementById('details').textContent")
        assert not opened.console_errors
    finally:
        opened.close()
