"""Reading any graph the project writes, and writing it in the formats other tools read.

| key | file | what |
|---|---|---|
| ``ttl`` | ``graph.ttl`` | Turtle (``kg.export``), the default |
| ``nt`` | ``graph.nt`` | N-Triples, one triple a line, lines sorted |
| ``jsonld`` | ``graph.jsonld`` | JSON-LD compacted with our prefixes as its ``@context`` |
| ``trig`` | ``graph.trig`` | TriG: one named graph per article, named by the article's IRI, holding the
  qualified nodes derived from it (``ng:RoleAssignment``, ``ng:PolicyRelation``) and all their
  triples; everything else (entities, articles, direct triples, policy concepts) in the default graph |
| ``graphml`` | ``graph.graphml`` | GraphML for Gephi or Cytoscape: entities as nodes, direct facts as edges |
| ``store`` | ``graph.oxigraph/`` | an on-disk Oxigraph store folder (``kg.store``) for ``kg query``, ``kg serve`` |

The union of the TriG graphs is the Turtle graph. Every file (not the store) is deterministic (the same graph
gives the same bytes) and written atomically. Nothing here imports spaCy; networkx only for GraphML.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import PROV, RDF
from rdflib.util import guess_format

from .errors import InputError
from .formatkeys import DEFAULT_FORMATS, FILES, parse_formats  # noqa: F401 (re-exported)
from .namespaces import NG, PREFIXES

# rdflib parser names of the formats that hold several graphs: read into a Dataset
QUAD_FORMATS = {"trig", "nquads"}
# the qualified nodes: they go into the named graph of the article they were derived from
QUALIFIED = (NG.RoleAssignment, NG.PolicyRelation)


def rdf_format(path: Path) -> str:
    """rdflib's parser name for a graph file, from its extension (Turtle when unknown)."""
    return guess_format(str(path)) or "turtle"


def read_graph(path: Path, union: bool = True) -> Graph:
    """Read a graph the project wrote: Turtle, N-Triples, JSON-LD, TriG or N-Quads (by extension),
    or an Oxigraph store (``kg.store``: the folder, or a build folder holding ``graph.oxigraph``).

    A TriG or N-Quads file is read into a ``Dataset``; with ``union`` (the default) its graphs
    are merged into one ``Graph``, otherwise the ``Dataset`` itself is returned, whose default
    graph is the union of all its graphs when queried.
    """
    if not path.exists():
        raise InputError(f"graph not found: {path} (build one with `kg build INPUT -o OUTDIR`)")
    from .store import find_store, read_store

    store = find_store(path)
    if store is not None:
        return read_store(store)
    fmt = rdf_format(path)
    try:
        if fmt in QUAD_FORMATS:
            dataset = Dataset(default_union=True)
            dataset.parse(path, format=fmt)
            if not union:
                return dataset
            merged = Graph()
            for prefix, ns in dataset.namespaces():
                merged.bind(prefix, ns, override=True)
            for s, p, o, _g in dataset.quads((None, None, None, None)):
                merged.add((s, p, o))
            return merged
        graph = Graph()
        graph.parse(path, format=fmt)
        return graph
    except Exception as exc:  # rdflib raises many parser-specific types
        raise not_a_graph(path, exc) from exc


# What `kg stats`, `kg query`, `kg viz` ... read, for the message of a file they cannot.
READABLE = "Turtle .ttl, N-Triples .nt, JSON-LD .jsonld, TriG .trig, N-Quads .nq, an Oxigraph store folder"


def not_a_graph(path: Path, exc: BaseException) -> InputError:
    """One line naming the file, why it cannot be read, and the formats kg reads."""
    first = " ".join((str(exc).splitlines() or [type(exc).__name__])[0].split()).rstrip(":")
    if guess_format(str(path)) is None:
        return InputError(f"{path} is not a graph file: kg reads {READABLE} (build one with `kg build`)")
    return InputError(f"cannot parse {path} as {rdf_format(path)}: {first} (kg reads {READABLE})")


# --- writing ----------------------------------------------------------------------------------


def write_formats(graph: Graph, outdir: Path, formats: Iterable[str] = DEFAULT_FORMATS) -> dict[str, Path]:
    """Write ``graph`` into ``outdir`` once per format key; returns {key: path}."""
    from .export import turtle_bytes, write_atomic
    from .store import write_store

    writers = {"ttl": turtle_bytes, "nt": ntriples_bytes, "jsonld": jsonld_bytes, "trig": trig_bytes}
    written: dict[str, Path] = {}
    rdflib_graph = None  # our writers read a build's ``Triples``; rdflib's and networkx's need a Graph
    for key in parse_formats(list(formats)):
        path = outdir / FILES[key]
        if key == "store":
            written[key] = write_store(graph, path)
            continue
        source = graph
        if key not in ("ttl", "nt") and not isinstance(graph, Graph):
            rdflib_graph = rdflib_graph if rdflib_graph is not None else graph.to_graph()
            source = rdflib_graph
        data = graphml_bytes(source) if key == "graphml" else writers[key](source)
        write_atomic(path, data)
        written[key] = path
    return written


def ntriples_bytes(graph: Graph) -> bytes:
    """N-Triples with the lines sorted, so the same graph always gives the same file."""
    from .export import ntriples_bytes as write

    return write(graph)


def jsonld_context() -> dict[str, str]:
    return {prefix: str(ns) for prefix, ns in sorted(PREFIXES.items())}


def jsonld_bytes(graph: Graph) -> bytes:
    """JSON-LD compacted against our prefixes; nodes sorted by ``@id``, values sorted."""
    data = json.loads(graph.serialize(format="json-ld", context=jsonld_context(), encoding="utf-8"))
    nodes = data.get("@graph", [])
    if isinstance(data, dict) and "@graph" not in data:  # a single node is written without @graph
        nodes = [{k: v for k, v in data.items() if k != "@context"}]
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(value, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    nodes.sort(key=lambda n: str(n.get("@id", "")))
    out = {"@context": jsonld_context(), "@graph": nodes}
    return (json.dumps(out, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def article_graphs(graph: Graph) -> tuple[Graph, dict[URIRef, Graph]]:
    """Split ``graph`` into the default graph and one graph per article (see the module doc)."""
    default = Graph()
    per_article: dict[URIRef, Graph] = {}
    home: dict[object, URIRef] = {}
    for cls in QUALIFIED:
        for node in graph.subjects(RDF.type, cls):
            sources = sorted(o for o in graph.objects(node, PROV.wasDerivedFrom) if isinstance(o, URIRef))
            if len(sources) == 1:  # a node derived from two articles stays in the default graph
                home[node] = sources[0]
    for triple in graph:
        article = home.get(triple[0])
        if article is None:
            default.add(triple)
        else:
            per_article.setdefault(article, Graph()).add(triple)
    return default, per_article


def trig_bytes(graph: Graph) -> bytes:
    """TriG: every prefix, the default graph's triples, then one ``<article> { ... }`` block per
    article in IRI order; each part is our sorted Turtle (``kg.rdfwrite``), so the bytes are stable."""
    default, per_article = article_graphs(graph)
    parts = [f"PREFIX {prefix}: <{ns}>" for prefix, ns in sorted(PREFIXES.items())]
    parts += ["", _turtle_body(default)]
    for article in sorted(per_article):
        body = "\n".join(("    " + line) if line else "" for line in _turtle_body(per_article[article]).splitlines())
        parts += [f"<{article}> {{", body, "}", ""]
    return ("\n".join(parts).rstrip("\n") + "\n").encode("utf-8")


def _turtle_body(graph: Graph) -> str:
    """Sorted Turtle of ``graph`` without its prefix lines (the TriG header declares them all)."""
    from .rdfwrite import turtle_body

    return turtle_body(graph).strip("\n") + "\n"


def to_networkx(graph: Graph):
    """Entities as nodes (``label``, ``type``), facts as edges of a ``networkx.MultiDiGraph``,
    added in sorted order: ``label`` the relation (``holdsRoleIn``, ``tariff``), ``family``,
    ``predicate``, ``weight`` the number of evidence sentences (1 for a fact from the gazetteers,
    such as part of), ``role`` the role title(s) of a role, ``detail`` what the evidence says (role
    titles, policy concepts) and ``mutual`` for a symmetric policy, one edge however many sides
    state it (written undirected in GraphML)."""
    import networkx as nx

    from .graphview import read_graph_view

    view = read_graph_view(graph)
    g = nx.MultiDiGraph()
    for iri, entity in view.entities.items():
        g.add_node(iri, label=entity.label, type=entity.kind)
    for number, fact in enumerate(view.distinct_facts()):
        data = {
            "label": fact.relation,
            "family": fact.family,
            "predicate": fact.predicate,
            "weight": max(1, len(fact.evidence)),
            "mutual": fact.symmetric,
        }
        details = list(dict.fromkeys(e.label for e in fact.evidence if e.label))
        if details:
            data["detail"] = " / ".join(details)
        titles = list(dict.fromkeys(e.title for e in fact.evidence if e.title))
        if titles:
            data["role"] = " / ".join(titles)
        g.add_edge(fact.subject, fact.object, key=f"e{number}", **data)  # GraphML wants unique edge ids
    return g


def graphml_bytes(graph: Graph) -> bytes:
    """GraphML with ``edgedefault="directed"`` and ``directed="false"`` on each mutual edge."""
    from networkx.readwrite.graphml import GraphMLWriter

    g = to_networkx(graph)
    mutual = {key for _u, _v, key, data in g.edges(keys=True, data=True) if data["mutual"]}
    writer = GraphMLWriter(prettyprint=True)
    writer.add_graph_element(g)
    for edge in writer.xml.iter("edge"):  # the writer names elements without the namespace
        if edge.get("id") in mutual:
            edge.set("directed", "false")
        for data in edge.iter("data"):
            if data.text in ("True", "False"):  # xsd:boolean, as Gephi reads it
                data.text = data.text.lower()
    return (str(writer).rstrip("\n") + "\n").encode("utf-8")
