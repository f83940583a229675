"""The library API: run the stages in order. The CLI and notebooks call these functions.

read/clean → nlp → extract → resolve → graph → export
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import os
import signal
import sys
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import Protocol

from rdflib import Graph

from .cache import ExtractionCache, model_version
from .errors import InputError
from .models import Article, ArticleExtraction, KnowledgeBase
from .read import ArticleReader, Notice, find_sources


@dataclass
class BuildResult:
    graph: Graph
    knowledge: KnowledgeBase
    notices: list[Notice] = field(default_factory=list)
    outputs: dict[str, Path] = field(default_factory=dict)
    parsed: int = 0  # articles run through spaCy in this build
    cached: int = 0  # articles whose extraction came from the cache


def extract_knowledge(
    inputs: Iterable[Path],
    model: str | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    cache_dir: Path | None = None,
) -> tuple[KnowledgeBase, list[Notice]]:
    """Read, parse, extract and resolve: the whole corpus as resolved entities and facts.

    Articles are read lazily and parsed in order by ``workers`` processes (default: the
    number of cores); only their ``ArticleExtraction``s are kept, never the spaCy ``Doc``s,
    so memory grows with the facts, not with the text parsed. With ``cache_dir`` (an output
    folder), extractions are cached there and an unchanged article is not parsed again.
    """
    knowledge, notices, _counts = _extract_knowledge(inputs, model, progress, workers, cache_dir, cache_dir)
    return knowledge, notices


def _extract_knowledge(
    inputs: Iterable[Path],
    model: str | None,
    progress: Progress | None,
    workers: int | None,
    cache_dir: Path | None,
    outdir: Path | None,
) -> tuple[KnowledgeBase, list[Notice], tuple[int, int]]:
    """``extract_knowledge``, and how many articles were parsed and how many came from the cache."""
    from .resolve import resolve

    reader = ArticleReader(find_sources(list(inputs), exclude=outdir))
    model_name = model or _default_model()
    cache = ExtractionCache(cache_dir, model_version(model_name)) if cache_dir is not None else None
    extractions: Iterable[ArticleExtraction] = _extractions(reader, model_name, workers or default_workers(), cache)
    if progress is not None:
        extractions = progress(extractions, total=len(reader))
    kept = list(extractions)
    # Only now, with every file read, is each article's full list of names known.
    kept = [replace(ex, article=reader.with_all_sources(ex.article)) for ex in kept]
    if not kept:
        raise InputError(
            "no readable articles: " + "; ".join(f"{n.name}: {n.reason}" for n in reader.notices if n.skipped)
        )
    cached = cache.hits if cache is not None else 0
    return resolve(kept), reader.notices, (len(kept) - cached, cached)


class Progress(Protocol):
    """What ``progress`` must be: ``tqdm`` itself will do."""

    def __call__(self, items: Iterable, *, total: int | None = None) -> Iterable: ...


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _default_model() -> str:
    from .modelchoice import default_model

    return default_model()


# Articles go to the NLP workers in chunks of this many: big enough to keep spaCy's batches
# full, small enough to keep every worker busy to the end. Serial builds use the same chunks,
# so both run the same batches and give the same results.
CHUNK = 8


def _extractions(
    articles: Iterable[Article], model: str, workers: int, cache: ExtractionCache | None
) -> Iterator[ArticleExtraction]:
    """The extraction of every article, in input order: from the cache, else parsed."""

    def work() -> Iterator[tuple[bool, list]]:
        """(True, [cached extraction]) or (False, articles to parse), in input order."""
        pending: list[Article] = []
        for article in articles:
            cached = cache.get(article) if cache is not None else None
            if cached is None:
                pending.append(article)
                if len(pending) < CHUNK:
                    continue
            if pending:
                yield False, pending
                pending = []
            if cached is not None:
                yield True, [cached]
        if pending:
            yield False, pending

    for from_cache, extractions in _run(work(), model, workers):
        for extraction in extractions:
            if cache is not None and not from_cache:
                cache.put(extraction)
            yield extraction


def _run(work: Iterator[tuple[bool, list]], model: str, workers: int) -> Iterator[tuple[bool, list]]:
    """Parse the chunks of ``work`` (serially, or in ``workers`` processes), keeping the order.

    Only a few chunks per worker are in flight at once, so articles are read as they are
    needed and results do not pile up.
    """
    if workers <= 1:
        for from_cache, items in work:
            yield from_cache, (items if from_cache else _parse_chunk(items, model))
        return
    # Until something needs parsing (a rebuild from the cache may need nothing), start no workers.
    for first in work:
        if first[0]:
            yield first
            continue
        # Load the model once here: forked workers share it instead of loading their own.
        from .nlp import load_pipeline

        load_pipeline(model)
        with _mp_context().Pool(workers, initializer=_init_worker, initargs=(model,)) as pool:
            in_flight: deque = deque()
            for from_cache, items in chain([first], work):
                in_flight.append((from_cache, items if from_cache else pool.apply_async(_parse_chunk, (items, model))))
                while len(in_flight) > 2 * workers or (in_flight and in_flight[0][0]):
                    yield _ready(in_flight.popleft())
            while in_flight:
                yield _ready(in_flight.popleft())
        return


def _ready(entry: tuple[bool, object]) -> tuple[bool, list]:
    from_cache, value = entry
    return from_cache, value if from_cache else value.get()  # type: ignore[union-attr]


def _mp_context() -> multiprocessing.context.BaseContext:
    # fork shares the loaded model with the workers; elsewhere each worker loads its own.
    return multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")


def _init_worker(model: str) -> None:
    # Ctrl-C reaches the whole process group: the parent alone handles it (and stops us).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from .nlp import load_pipeline

    load_pipeline(model)


def _parse_chunk(articles: list[Article], model: str) -> list[ArticleExtraction]:
    from .extract import extract
    from .nlp import load_pipeline

    nlp = load_pipeline(model)
    docs = nlp.pipe((a.text for a in articles), batch_size=len(articles))
    return [extract(doc, article) for article, doc in zip(articles, docs)]


def build(
    inputs: Iterable[Path],
    outdir: Path | None = None,
    model: str | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    cache: bool = True,
    formats: Iterable[str] = ("ttl",),
) -> BuildResult:
    """Build the graph of ``inputs``; with ``outdir``, write ``graph.ttl`` and ``graph.html`` there.

    ``workers`` NLP processes (default: the number of cores); with ``outdir`` and ``cache``,
    extractions are cached in ``outdir/.cache`` and unchanged articles are not parsed again.
    ``formats``: the graph files to write (keys of ``kg.formats.FILES``: ttl, nt, jsonld, trig, graphml).
    """
    from .graph import build_graph

    if outdir is not None:
        check_outdir(outdir)
    knowledge, notices, (parsed, cached) = _extract_knowledge(
        inputs, model, progress, workers, outdir if cache else None, outdir
    )
    graph = build_graph(knowledge)
    result = BuildResult(graph, knowledge, notices, parsed=parsed, cached=cached)
    if outdir is not None:
        result.outputs = write_outputs(graph, outdir, formats)
    return result


def check_outdir(outdir: Path) -> None:
    """Fail at once, before any parsing, when ``outdir`` is not a folder we can write in."""
    if outdir.exists() and not outdir.is_dir():
        raise InputError(f"output path is a file: {outdir} (give a folder for -o)")
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=outdir):
            pass
    except OSError as exc:
        raise _unwritable(outdir, exc) from exc


def _unwritable(outdir: Path, exc: OSError) -> InputError:
    reason = (exc.strerror or type(exc).__name__).lower()
    where = f" ({exc.filename})" if exc.filename and str(exc.filename) != str(outdir) else ""
    return InputError(f"cannot write to {outdir}: {reason}{where} (choose another folder with -o)")


def write_outputs(graph: Graph, outdir: Path, formats: Iterable[str] = ("ttl",)) -> dict[str, Path]:
    """Write the graph in ``formats`` and ``graph.html``; keys: "turtle" (for ttl), the other format keys, "html"."""
    from .export_html import write_html
    from .formats import parse_formats, write_formats

    keys = parse_formats(list(formats))
    check_outdir(outdir)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        written = write_formats(graph, outdir, keys)
        html = outdir / "graph.html"
        write_html(graph, html, title="newsgraph")
    except OSError as exc:
        raise _unwritable(outdir, exc) from exc
    outputs = {("turtle" if key == "ttl" else key): path for key, path in written.items()}
    outputs["html"] = html
    return outputs


def load_graph(path: Path) -> Graph:
    """Read a graph the project wrote (Turtle, N-Triples, TriG, N-Quads, JSON-LD; by file name),
    named graphs merged into one."""
    from .formats import read_graph

    return read_graph(path)
