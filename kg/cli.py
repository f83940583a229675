"""The ``kg`` command: a thin layer over ``kg.pipeline`` and ``kg.query``.

Exit codes: 0 done; 1 done with skipped files, or a graph that fails validation;
2 bad usage or input.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import click

from .errors import NewsgraphError


def _friendly(func: Callable) -> Callable:
    """Errors a user can cause become one line on stderr and a non-zero exit, no traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except NewsgraphError as exc:
            click.echo(f"kg: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("kg: interrupted; earlier outputs are left as they were", err=True)
            sys.exit(130)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsgraph")
def main() -> None:
    """newsgraph: turn news articles into a knowledge graph.

    \b
    Example:
      kg build corpus -o build
      kg query build/graph.ttl ontology/queries/person_role_org.rq
      kg validate build/graph.ttl
    """


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "outdir", required=True, type=click.Path(path_type=Path), help="Output folder.")
@click.option("--model", default=None, help="spaCy model name (default: best installed English model).")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Parallel NLP processes (default: cores).")
@click.option("--no-cache", is_flag=True, help="Parse every article again, ignoring the cache.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@_friendly
def build(
    inputs: tuple[Path, ...], outdir: Path, model: str | None, workers: int | None, no_cache: bool, quiet: bool
) -> None:
    """Build OUTDIR/graph.ttl and OUTDIR/graph.html from articles.

    INPUTS are article files or folders of them (.txt, .md, .html).

    \b
    Example:
      kg build corpus -o build
      kg build ../shared/seeds notes/extra.txt -o seeds-graph --model en_core_web_sm
    """
    from .pipeline import build as build_graph
    from .pipeline import check_outdir

    check_outdir(outdir)
    result = build_graph(list(inputs), outdir, model=model, progress=None if quiet else _progress)
    skipped = [n for n in result.notices if n.skipped]
    for notice in result.notices:
        click.echo(f"kg: {'skipped' if notice.skipped else 'warning'}: {notice.name}: {notice.reason}", err=True)
    if not quiet:
        kb = result.knowledge
        click.echo(
            f"{len(kb.articles)} articles, {len(kb.entities)} entities, {len(kb.roles)} role facts, "
            f"{len(kb.policies)} policy facts -> {result.outputs['turtle']}, {result.outputs['html']}"
        )
    sys.exit(1 if skipped else 0)


def _progress(items: Iterable) -> Iterable:
    if not sys.stderr.isatty():
        return items
    from tqdm import tqdm

    return tqdm(items, desc="articles", unit="article", file=sys.stderr, leave=False)


@main.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.argument("query")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table", show_default=True)
@_friendly
def query(graph: Path, query: str, fmt: str) -> None:
    """Run a SPARQL QUERY (an .rq file or a string) over GRAPH.

    The prefixes ng:, id:, policy:, schema:, org:, prov:, dcterms:, skos:, owl:, rdf:, rdfs:,
    xsd: and wd: are predeclared.

    \b
    Example:
      kg query build/graph.ttl ontology/queries/person_role_org.rq
      kg query build/graph.ttl "SELECT ?p WHERE { ?p a ng:Person }" --format csv
    """
    from .pipeline import load_graph
    from .query import format_rows, run_query

    g = load_graph(graph)
    variables, rows = run_query(g, query)
    click.echo(format_rows(variables, rows, fmt, g), nl=False)


@main.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option(
    "--shapes",
    type=click.Path(path_type=Path, exists=True),
    default=None,
    help="SHACL shapes (default: ontology/shapes.ttl).",
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


if __name__ == "__main__":
    main()
