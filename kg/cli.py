"""The ``kg`` command: a thin layer over ``kg.pipeline`` and ``kg.query``.

Exit codes: 0 done; 1 done with skipped files, or a graph that fails validation;
2 bad usage or input; 3 a build that stopped part-way (a worker died, the disk filled up);
130 Ctrl-C; 143 SIGTERM.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .cli_build import add_articles, build
from .cliutil import friendly as _friendly
from .errors import InputError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsgraph")
def main() -> None:
    """newsgraph: turn news articles into a knowledge graph.

    \b
    Example:
      kg build corpus -o build
      kg query build/graph.ttl person_role_org
      kg validate build/graph.ttl
    """


@main.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.argument("query")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json"]),
    default="table",
    show_default=True,
    help="Output of SELECT and ASK (json is SPARQL 1.1 JSON results); CONSTRUCT and DESCRIBE print Turtle.",
)
@click.option(
    "--store",
    type=click.Choice(["oxigraph", "rdflib"]),
    default="oxigraph",
    show_default=True,
    help="SPARQL engine: pyoxigraph (fast, for large graphs) or rdflib.",
)
@click.option(
    "--allow-service",
    is_flag=True,
    help="Let SERVICE <url> (and, on rdflib, FROM <url>) reach the network; refused by default.",
)
@_friendly
def query(graph: Path, query: str, fmt: str, store: str, allow_service: bool) -> None:
    """Run a SPARQL QUERY over GRAPH: a bundled query's name, an .rq file, or a SPARQL string.

    SELECT, ASK, CONSTRUCT and DESCRIBE over Turtle, N-Triples, JSON-LD, TriG or N-Quads (by
    file extension; the default graph of a TriG file is the union of its graphs), or over the
    Oxigraph store of `kg build --format store` (OUT/graph.oxigraph, read-only). The prefixes
    ng:, id:, policy:, schema:, org:, prov:, dcterms:, skos:, owl:, rdf:, rdfs:, xsd: and wd:
    are predeclared. `kg queries` lists the names of the bundled queries. Queries never leave
    the machine: SERVICE is refused (exit 2) unless --allow-service.

    \b
    Example:
      kg query build/graph.ttl person_role_org
      kg query build/graph.ttl my-queries/roles.rq
      kg query build/graph.ttl "SELECT ?p WHERE { ?p a ng:Person }" --format csv
      kg query build/graph.trig "CONSTRUCT WHERE { ?p ng:tariff ?c }" --store rdflib
      kg query build/graph.oxigraph person_role_org
    """
    from .query import format_result, query_file

    result = query_file(graph, query, store=store, allow_service=allow_service)
    for warning in result.warnings:
        click.echo(f"kg: warning: {warning}", err=True)
    click.echo(format_result(result, fmt), nl=False)


@main.command()
@_friendly
def queries() -> None:
    """List the bundled SPARQL queries: the name to give `kg query`, then the question it answers.

    The files are the .rq files of ontology/queries. To ask about another entity, copy a query
    marked PLACEHOLDER, edit its VALUES line and run the copy by its path.

    \b
    Example:
      kg queries
      kg query build/graph.ttl people_in_organisation
    """
    from .query import library

    for item in library():
        click.echo(f"{item.name}\n    {item.question}")


@main.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, help="Central entities to list.")
@_friendly
def stats(graph: Path, top: int) -> None:
    """Counts by type and relation family, the most central entities and the communities of GRAPH.

    Centrality and communities (Louvain, fixed seed) come from networkx, on the graph of
    entities joined by facts (see "Words and numbers" in the README).

    \b
    Example:
      kg stats build/graph.ttl --top 5
    """
    from .formats import read_graph
    from .stats import compute_stats, format_stats

    click.echo(format_stats(compute_stats(read_graph(graph), top=top)), nl=False)


@main.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.argument("source")
@click.argument("target")
@click.option("--evidence", type=click.IntRange(min=0), default=1, show_default=True, help="Sentences per fact.")
@_friendly
def path(graph: Path, source: str, target: str, evidence: int) -> None:
    """Print the shortest chain of facts linking SOURCE and TARGET in GRAPH, with evidence.

    A name is an entity's IRI, rdfs:label or skos:altLabel (ignoring case), or a unique part of
    one, as for `kg viz --focus`. Exit 1 when no chain links them.

    \b
    Example:
      kg path build/graph.ttl "Mark Rutte" "Wang Yi"
    """
    from .formats import read_graph
    from .stats import format_path, shortest_path

    g = read_graph(graph)
    hops = shortest_path(g, source, target)
    if hops is None:
        click.echo(f"kg: no chain of facts links {source!r} and {target!r} in {graph}", err=True)
        sys.exit(1)
    click.echo(format_path(g, hops, evidence_per_fact=evidence), nl=False)


@main.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True, help="0: any free port.")
@click.option("--timeout", type=click.IntRange(min=1), default=30, show_default=True, help="Seconds per query.")
@click.option(
    "--max-rows", type=click.IntRange(min=1), default=10000, show_default=True, help="Rows (or triples) per answer."
)
@click.option("--allow-service", is_flag=True, help="Let SERVICE <url> reach the network; refused by default.")
@_friendly
def serve(graph: Path, port: int, timeout: int, max_rows: int, allow_service: bool) -> None:
    """Serve GRAPH read-only as a SPARQL 1.1 Protocol endpoint on 127.0.0.1 (Ctrl-C stops it).

    Each query runs in a worker process that is killed at --timeout (answer 503); more than
    --max-rows rows answer 422 (add LIMIT); updates get 403, SERVICE 400 unless
    --allow-service, a foreign Host header 403. SIGINT or SIGTERM stop it cleanly. GRAPH may
    be the Oxigraph store of `kg build --format store`: answered from it, read-only, no copy.

    \b
    Example:
      kg serve build/graph.ttl --port 7878
      kg serve build/graph.oxigraph
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * { ?s a ?t } LIMIT 5' http://127.0.0.1:7878/query
    """
    from .serve import serve as run_server

    run_server(
        graph,
        port=port,
        timeout=timeout,
        max_rows=max_rows,
        allow_service=allow_service,
        announce=lambda line: click.echo(line, err=True),
    )


@main.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option(
    "--shapes",
    type=click.Path(path_type=Path, exists=True),
    default=None,
    help="SHACL shapes (default: the bundled ontology/shapes.ttl).",
)
@_friendly
def validate(graph: Path, shapes: Path | None) -> None:
    """Check GRAPH against the SHACL shapes; exit 1 with a report when it does not conform.

    \b
    Example:
      kg validate build/graph.ttl
    """
    from .pipeline import load_graph
    from .query import validate as shacl_validate

    conforms, report = shacl_validate(load_graph(graph), shapes)
    if conforms:
        click.echo(f"{graph}: conforms to the SHACL shapes")
        return
    click.echo(report.rstrip())
    click.echo(f"{graph}: does NOT conform to the SHACL shapes", err=True)
    sys.exit(1)


@main.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path), help="HTML file to write.")
@click.option("--focus", default=None, help="Draw only this entity (label, alias or IRI) and its neighbourhood.")
@click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True, help="Relations away from --focus.")
@click.option("--types", multiple=True, help="Entity types to draw: person, organization, country (comma-separated).")
@click.option(
    "--size-by", type=click.Choice(["degree", "centrality"]), default="degree", show_default=True, help="Node size."
)
@click.option("--title", default=None, help="Page title (default: the graph's file name).")
@_friendly
def viz(
    graph: Path, output: Path, focus: str | None, depth: int, types: tuple[str, ...], size_by: str, title: str | None
) -> None:
    """Write an interactive, offline HTML network of GRAPH (Turtle, N-Triples, TriG, N-Quads, JSON-LD).

    \b
    Example:
      kg viz build/graph.ttl -o build/network.html
      kg viz build/graph.ttl -o hegseth.html --focus "Pete Hegseth" --depth 2
      kg viz build/graph.ttl -o states.html --types country --size-by centrality
    """
    from .viz import render_graph_file

    entities, relations = render_graph_file(
        graph, output, focus=focus, depth=depth, types=types, size_by=size_by, title=title
    )
    entity_word, link_word = ("entity" if entities == 1 else "entities"), ("link" + "s" * (relations != 1))
    click.echo(f"{entities} {entity_word}, {relations} {link_word} -> {output}")


@main.command("eval")
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--gold", "gold_dir", required=True, type=click.Path(path_type=Path), help="Folder of gold *.json files.")
@click.option("--json", "as_json", is_flag=True, help="Print the whole report as JSON.")
@click.option("--verbose", "-v", is_flag=True, help="List false positives, misses and split entities.")
@_friendly
def eval_command(graph: Path, gold_dir: Path, as_json: bool, verbose: bool) -> None:
    """Score GRAPH against gold annotations (the README describes the gold format).

    Prints precision, recall and F1 of person-role-organisation and country-policy-country
    facts, precision by confidence (>= 0.5 and < 0.5), entity recall and split entities.

    \b
    Example:
      kg eval build/graph.ttl --gold tests/gold --verbose
    """
    import json

    from .evaluate import evaluate, format_report
    from .pipeline import load_graph

    if not gold_dir.is_dir():
        raise InputError(f"gold folder not found: {gold_dir} (give a folder of gold *.json files)")
    report = evaluate(load_graph(graph), gold_dir)
    click.echo(json.dumps(report, indent=2) if as_json else format_report(report, verbose))


main.add_command(build)
main.add_command(add_articles)

if __name__ == "__main__":
    main()
