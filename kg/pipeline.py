"""The library API: run the stages in order. The CLI and notebooks call these functions.

read/clean → nlp → extract → resolve → graph → export
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from .errors import InputError
from .models import KnowledgeBase
from .read import Notice, find_sources, read_articles


@dataclass
class BuildResult:
    graph: Graph
    knowledge: KnowledgeBase
    notices: list[Notice] = field(default_factory=list)
    outputs: dict[str, Path] = field(default_factory=dict)


def extract_knowledge(
    inputs: Iterable[Path],
    model: str | None = None,
    progress: Callable[[Iterable], Iterable] | None = None,
) -> tuple[KnowledgeBase, list[Notice]]:
    """Read, parse, extract and resolve: the whole corpus as resolved entities and facts."""
    from .extract import extract
    from .nlp import parse
    from .resolve import resolve

    articles, notices = read_articles(find_sources(list(inputs)))
    if not articles:
        raise InputError("no readable articles: " + "; ".join(f"{n.name}: {n.reason}" for n in notices))
    docs = parse((a.text for a in articles), model=model)
    pairs: Iterable = zip(articles, docs)
    if progress is not None:
        pairs = progress(pairs)
    extractions = [extract(doc, article) for article, doc in pairs]
    return resolve(extractions), notices


def build(
    inputs: Iterable[Path],
    outdir: Path | None = None,
    model: str | None = None,
    progress: Callable[[Iterable], Iterable] | None = None,
) -> BuildResult:
    """Build the graph of ``inputs``; with ``outdir``, write ``graph.ttl`` and ``graph.html`` there."""
    from .graph import build_graph

    knowledge, notices = extract_knowledge(inputs, model=model, progress=progress)
    graph = build_graph(knowledge)
    result = BuildResult(graph, knowledge, notices)
    if outdir is not None:
        result.outputs = write_outputs(graph, outdir)
    return result


def check_outdir(outdir: Path) -> None:
    if outdir.exists() and not outdir.is_dir():
        raise InputError(f"output path is a file: {outdir} (give a folder for -o)")


def write_outputs(graph: Graph, outdir: Path) -> dict[str, Path]:
    from .export import write_turtle
    from .export_html import write_html

    check_outdir(outdir)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        ttl, html = outdir / "graph.ttl", outdir / "graph.html"
        write_turtle(graph, ttl)
        write_html(graph, html, title="newsgraph")
    except PermissionError as exc:
        raise InputError(f"cannot write to {outdir}: permission denied (choose another folder with -o)") from exc
    return {"turtle": ttl, "html": html}


def load_graph(path: Path) -> Graph:
    """Read a graph the project wrote (Turtle, N-Triples, TriG, JSON-LD; by file name)."""
    from rdflib.util import guess_format

    if not path.exists():
        raise InputError(f"graph not found: {path} (build one with `kg build INPUT -o OUTDIR`)")
    g = Graph()
    try:
        g.parse(path, format=guess_format(str(path)) or "turtle")
    except Exception as exc:  # rdflib raises many parser-specific types
        raise InputError(
            f"cannot parse {path} as RDF: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
        ) from exc
    return g
