"""``kg build`` and ``kg add``: the commands that read articles and write an output folder."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .cliutil import friendly, progress_bar, stop_on_sigterm


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "outdir", required=True, type=click.Path(path_type=Path), help="Output folder.")
@click.option("--model", default=None, help="spaCy model name (default: best installed English model).")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Parallel NLP processes (default: cores).")
@click.option("--no-cache", is_flag=True, help="Parse every article again, ignoring the cache.")
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDRESS",
    help="Parse on a Dask cluster: its scheduler's address (tcp://HOST:8786), or local:N for N local processes.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@click.option(
    "--format",
    "formats",
    default="ttl",
    show_default=True,
    help="Graph files to write, comma-separated: ttl, nt, jsonld, trig (a named graph per article), graphml, "
    "store (graph.oxigraph/, an on-disk Oxigraph store for kg query and kg serve).",
)
@friendly
def build(
    inputs: tuple[Path, ...],
    outdir: Path,
    model: str | None,
    workers: int | None,
    no_cache: bool,
    scheduler: str | None,
    quiet: bool,
    formats: str,
) -> None:
    """Build OUTDIR/graph.ttl and OUTDIR/graph.html from articles.

    INPUTS are article files or folders of them (.txt, .md, .html), globs ('wire/*.txt',
    quoted) or @LIST files naming one path per line. --format adds
    graph.nt, graph.jsonld, graph.trig or graph.graphml (for Gephi or Cytoscape), and
    store the folder graph.oxigraph (an Oxigraph store that kg query and kg serve read).

    \b
    Example:
      kg build corpus -o build
      kg build corpus -o build --format ttl,nt,jsonld,trig,graphml
      kg build corpus -o build --format ttl,store
      kg build ../shared/seeds notes/extra.txt -o seeds-graph --model en_core_web_sm
      kg build 'archive/**/*.html' -o out --scheduler tcp://10.0.0.5:8786
    """
    from .formatkeys import parse_formats
    from .pipeline import build as build_graph
    from .pipeline import check_outdir

    stop_on_sigterm()
    keys = parse_formats(formats)
    check_outdir(outdir)
    result = build_graph(
        list(inputs),
        outdir,
        model=model,
        progress=None if quiet else progress_bar,
        workers=workers,
        cache=not no_cache,
        formats=keys,
        scheduler=scheduler,
    )
    _report(result, quiet)


def _report(result, quiet: bool) -> None:
    """Notices on stderr, a summary line on stdout, exit 1 when a file was skipped."""
    skipped = [n for n in result.notices if n.skipped]
    for notice in result.notices:
        click.echo(f"kg: {'skipped' if notice.skipped else 'warning'}: {notice.name}: {notice.reason}", err=True)
    if not quiet:
        from .graphview import plural
        from .pipeline import summary_line

        n = result.summary
        parsed = f"{plural(result.parsed, 'article')} parsed"
        done = "nothing changed since the last build" if result.unchanged else parsed
        click.echo(
            f"{plural(n['articles'], 'article')}: {summary_line(n)} ({done}, {result.cached} from the cache) "
            f"-> {', '.join(str(path) for path in result.outputs.values())}"
        )
    sys.exit(1 if skipped else 0)


@click.command("add")
@click.argument("outdir", type=click.Path(path_type=Path))
@click.argument("articles", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--model", default=None, help="spaCy model name (default: best installed English model).")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Parallel NLP processes (default: cores).")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@friendly
def add_articles(outdir: Path, articles: tuple[Path, ...], model: str | None, workers: int | None, quiet: bool) -> None:
    """Add ARTICLES (files or folders) to the graph an earlier `kg build -o OUTDIR` wrote.

    Only the new articles are parsed; the others come from OUTDIR's cache. The graph files
    are rewritten as a full build of the old inputs followed by the new would write them.
    An article already there changes nothing; a file name already there whose text changed
    replaces its old facts.

    \b
    Example:
      kg build corpus -o build
      kg add build today/*.txt
    """
    from .incremental import add

    stop_on_sigterm()
    result = add(outdir, list(articles), model=model, progress=None if quiet else progress_bar, workers=workers)
    _report(result, quiet)
