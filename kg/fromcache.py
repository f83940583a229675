"""Builds from the extraction cache: the articles a build already parsed come from the cache of
the output folder, the few it lacks are parsed in one process started at once (``Parser``),
then resolution, the graph and the outputs are made from all of them, as a full build makes
them. ``kg add`` and a ``kg build`` after a change (``kg.incremental``) both end here.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from .cache import ExtractionCache, model_version
from .errors import BuildError, InputError
from .manifest import ArticleEntry, Manifest
from .models import Article, ArticleExtraction, KnowledgeBase
from .pipeline import BuildResult, Progress, _extractions, build_summary, read_view, write_outputs
from .read import Notice
from .workers import CHUNK, collector_paused, default_workers, init_worker, mp_context, parse_chunk, stop_pool

T = TypeVar("T")


def finish_build(
    outdir: Path,
    parser: Parser | None,
    model: str,
    articles: tuple[ArticleEntry, ...],
    fresh: list[Article],
    notices: list[Notice],
    workers: int | None,
    progress: Progress | None,
    formats: tuple[str, ...],
) -> BuildResult:
    """The build of ``articles``: ``fresh`` (read now) from the cache or parsed, the others from
    the cache alone; then resolution, the graph and the outputs, as a full build makes them."""
    cache = ExtractionCache(outdir, model_version(model))
    by_hash = {article.content_hash: article for article in fresh}
    todo = [by_hash[e.content_hash] for e in articles if e.content_hash in by_hash]
    parsed = {a.content_hash: ex for a in todo if (ex := cache.get(a)) is not None}
    pending = [a for a in todo if a.content_hash not in parsed]
    others = [e.content_hash for e in articles if e.content_hash not in by_hash]
    if parser is None or len(pending) > CHUNK:  # many: the workers of a build
        if parser is not None:
            parser.close()
        extractions = _extractions(pending, model, workers or default_workers(), cache)
        if progress is not None:
            extractions = progress(extractions, total=len(pending))
        parsed |= {ex.article.content_hash: ex for ex in extractions}
        with collector_paused():
            stored = stored_extractions(outdir, others, cache)
    else:  # a few: one process, while this one reads the cached extractions and warms up
        done, stored = parser.parse_aside(pending, lambda: _read_and_warm_up(outdir, others, cache))
        parser.close()  # spaCy's memory is given back before the graph is built
        for extraction in done:
            cache.put(extraction)
            parsed[extraction.article.content_hash] = extraction
    with collector_paused():
        knowledge = resolve_entries(articles, parsed | stored)
        del parsed, stored  # the mentions: resolution was their last use, and the graph needs room
        from .graph import build_triples

        graph = build_triples(knowledge)
        view = read_view(graph)  # read once: for the summary and for the page
        summary = build_summary(view, knowledge)
        notices = notices + [Notice(path, reason, skipped=False) for path, reason in cache.warnings]
        cached = len(articles) - len(pending)
        result = BuildResult(graph, knowledge, notices, parsed=len(pending), cached=cached, summary=summary)
        result.outputs = write_outputs(graph, outdir, formats, view)
    result.cache_complete = not cache.warnings and not cache.full
    return result


def _read_and_warm_up(outdir: Path, others: list[str], cache: ExtractionCache) -> dict[str, ArticleExtraction]:
    with collector_paused():
        return warm_up(stored_extractions(outdir, others, cache))


class Parser:
    """One forked process for the few articles ``kg add`` usually parses: it starts loading
    the model as soon as the command starts, and parses while this process reads the cached
    extractions; spaCy's memory is given back before the graph is built."""

    def __init__(self, model: str) -> None:
        self.model = model
        self.pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Parser:
        self.pool = ProcessPoolExecutor(
            1, mp_context=mp_context(), initializer=init_worker, initargs=(self.model, os.getpid())
        )
        self.pool.submit(int)  # starts the process, which loads the model first
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the process (not needed, or its model would sit beside the build's workers)."""
        if self.pool is not None:
            stop_pool(self.pool)
            self.pool = None

    def parse_aside(self, articles: list[Article], meanwhile: Callable[[], T]) -> tuple[list[ArticleExtraction], T]:
        """The extractions of ``articles`` and what ``meanwhile`` returns, run here meanwhile."""
        if not articles or self.pool is None:
            return [], meanwhile()
        try:
            future = self.pool.submit(parse_chunk, articles, self.model)
            other = meanwhile()
            return future.result(), other
        except BrokenProcessPool:
            raise BuildError(
                "the NLP process died (killed, or out of memory); earlier outputs are left as they were (run it again)"
            ) from None


def warm_up(stored: dict[str, ArticleExtraction]) -> dict[str, ArticleExtraction]:
    """Run the stages after parsing on one stored article, its outputs thrown away: what they
    load on first use (the gazetteer, the word lists, the page's templates, rdflib's parts) is
    then ready when the new articles come back from the parse. Returns ``stored``."""
    from .export import turtle_bytes
    from .export_html import page_html
    from .graph import build_triples
    from .resolve import resolve

    for extraction in list(stored.values())[:1]:
        graph = build_triples(resolve([extraction]))
        page_html(graph, view=read_view(graph))
        turtle_bytes(graph)
    return stored


class CacheLacks(InputError):
    """The cache lacks an article the manifest lists, or holds a damaged entry."""


def stored_extractions(outdir: Path, content_hashes: list[str], cache: ExtractionCache) -> dict[str, ArticleExtraction]:
    """The cached extractions of these articles (an ``InputError`` if one is missing or damaged)."""
    found = {}
    for content_hash in content_hashes:
        extraction = cache.stored(content_hash)
        if extraction is None:
            raise CacheLacks(
                f"the extraction cache of {outdir} lacks an article or holds a damaged entry; "
                f"rebuild it with kg build INPUT -o {outdir}"
            )
        found[content_hash] = extraction
    return found


def resolve_entries(articles: tuple[ArticleEntry, ...], extractions: dict[str, ArticleExtraction]) -> KnowledgeBase:
    """Resolve the extractions of ``articles``, in their order, each carrying its recorded sources."""
    from .resolve import resolve

    ordered = [extractions[e.content_hash] for e in articles]
    return resolve([replace(ex, article=replace(ex.article, sources=e.sources)) for ex, e in zip(ordered, articles)])


def rebuild_from_cache(outdir: Path, manifest: Manifest, model: str):
    """The graph and knowledge of the build ``manifest`` records, from the cache (no parsing)."""
    from .graph import build_triples

    cache = ExtractionCache(outdir, model_version(model))
    hashes = [e.content_hash for e in manifest.articles]
    knowledge = resolve_entries(manifest.articles, stored_extractions(outdir, hashes, cache))
    return build_triples(knowledge), knowledge
