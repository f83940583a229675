"""Builds that redo only what changed: a rebuild that finds nothing changed does nothing, and
``kg add`` puts new articles into an output folder without reading the old ones again.

Both rest on the manifest (``kg.manifest``) and the extraction cache (``kg.cache``) in the
output folder. ``kg add`` parses only the new articles, takes every other extraction from the
cache, in the order of the last build, then resolves, builds the graph and writes the outputs
from all of them: the same steps, in the same order, as a full build of all the articles, so
the result is the same (the IRIs of entities already there do not change). Resolution and
graph building are cheap next to spaCy; they are redone in full, so nothing depends on how the
graph came to be.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from .cache import ExtractionCache, cache_salt, model_version
from .errors import BuildError, InputError
from .manifest import FORMAT as MANIFEST_FORMAT
from .manifest import (
    ArticleEntry,
    Manifest,
    NoticeEntry,
    builder_version,
    fingerprint,
    output_hashes,
    read_manifest,
    unchanged,
    write_manifest,
)
from .models import Article, ArticleExtraction, KnowledgeBase
from .pipeline import BuildResult, Progress, _build, _extractions, build_summary, read_view, write_outputs
from .read import ArticleReader, Notice
from .sources import find_sources
from .workers import CHUNK, default_workers, init_worker, mp_context, parse_chunk, stop_pool

T = TypeVar("T")


def build_unless_unchanged(
    inputs: list[Path],
    outdir: Path,
    model: str,
    progress: Progress | None,
    workers: int | None,
    formats: Iterable[str],
    scheduler: str | None = None,
) -> BuildResult:
    """``kg build`` with the cache (the caller holds the lock): nothing is done when the manifest
    shows the same input files, model, extractor, code and outputs; else a full build that
    parses only what the cache lacks, then a new manifest."""
    from .formats import parse_formats

    keys = parse_formats(list(formats))
    salt = cache_salt(model)
    files = fingerprint([source.path for source in find_sources(inputs, exclude=outdir)])
    manifest = read_manifest(outdir)
    if manifest is not None and unchanged(manifest, outdir, salt, files, keys):
        return _unchanged_result(manifest, outdir, lambda: _rebuild_from_cache(outdir, manifest, model))
    # The old manifest stays until the new one is written: it holds the hashes of the old outputs,
    # so after a build that stopped before its end it matches nothing.
    result = _build(inputs, outdir, model, progress, workers, True, keys, scheduler)
    _record(outdir, result, salt, files, keys)
    return result


def add(
    outdir: Path,
    inputs: list[Path],
    model: str | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
) -> BuildResult:
    """Add the articles of ``inputs`` to the graph in ``outdir`` (``kg add``).

    A new article is appended; one whose text is there already changes nothing (a new file
    name is added to its sources); a file name already there with a changed text replaces the
    old article and its facts. The result equals a full build of the old inputs then the new.
    """
    from .outdir import locked
    from .pipeline import _default_model, check_outdir

    check_outdir(outdir)
    model = model or _default_model()
    with locked(outdir), _Parser(model) as parser:
        manifest = read_manifest(outdir)
        if manifest is None:
            raise InputError(f"{outdir} holds no build to add to (build it first: kg build INPUT -o {outdir})")
        salt = cache_salt(model)
        if manifest.salt != salt:
            raise InputError(
                f"the model or the extractor changed since {outdir} was built "
                f"(rebuild it with kg build INPUT -o {outdir}, then add)"
            )
        sources = find_sources(inputs, exclude=outdir)
        reader = ArticleReader(sources)
        fresh = list(reader)
        fresh = [reader.with_all_sources(article) for article in fresh]
        articles = _merge(manifest.articles, fresh)
        files = _merge_files(manifest.files, fingerprint([source.path for source in sources]))
        notices = list(reader.notices)
        if articles == manifest.articles and files == manifest.files:
            return _unchanged_result(manifest, outdir, lambda: _rebuild_from_cache(outdir, manifest, model), notices)
        if not fresh:
            raise InputError("no readable articles: " + "; ".join(f"{n.name}: {n.reason}" for n in notices))
        cache = ExtractionCache(outdir, model_version(model))
        by_hash = {article.content_hash: article for article in fresh}
        todo = [by_hash[e.content_hash] for e in articles if e.content_hash in by_hash]
        parsed = {a.content_hash: ex for a in todo if (ex := cache.get(a)) is not None}
        pending = [a for a in todo if a.content_hash not in parsed]
        others = [e.content_hash for e in articles if e.content_hash not in by_hash]
        if len(pending) > CHUNK:  # many: the workers of a build
            parser.close()
            extractions = _extractions(pending, model, workers or default_workers(), cache)
            if progress is not None:
                extractions = progress(extractions, total=len(pending))
            parsed |= {ex.article.content_hash: ex for ex in extractions}
            stored = _stored(outdir, others, cache)
        else:  # a few: one process, while this one reads the cached extractions and warms up
            done, stored = parser.parse_aside(pending, lambda: _warm_up(_stored(outdir, others, cache)))
            parser.close()  # spaCy's memory is given back before the graph is built
            for extraction in done:
                cache.put(extraction)
                parsed[extraction.article.content_hash] = extraction
        knowledge = _resolve(articles, parsed | stored)
        del parsed, stored  # the mentions: resolution was their last use, and the graph needs room
        from .graph import build_triples

        graph = build_triples(knowledge)
        view = read_view(graph)  # read once: for the summary and for the page
        summary = build_summary(view, knowledge)
        cached = len(articles) - len(pending)
        result = BuildResult(graph, knowledge, notices, parsed=len(pending), cached=cached, summary=summary)
        result.outputs = write_outputs(graph, outdir, manifest.formats, view)
        result.cache_complete = not cache.warnings and not cache.full
        _record(outdir, result, salt, files, manifest.formats)
        return result


def _merge(old: tuple[ArticleEntry, ...], fresh: list[Article]) -> tuple[ArticleEntry, ...]:
    """The articles after adding ``fresh``: in the old order, a replaced article in the place of
    the one it replaces, new articles at the end."""
    entries = list(old)
    for article in fresh:
        names = set(article.sources)
        kept = []
        placed = False
        for entry in entries:
            if entry.content_hash == article.content_hash:
                kept.append(ArticleEntry(entry.content_hash, tuple(sorted(names | set(entry.sources)))))
                placed = True
                continue
            left = tuple(name for name in entry.sources if name not in names)
            if left != entry.sources and not placed and not left:
                kept.append(ArticleEntry(article.content_hash, article.sources))  # replaces it in place
                placed = True
            elif left:
                kept.append(ArticleEntry(entry.content_hash, left))
        if not placed:
            kept.append(ArticleEntry(article.content_hash, article.sources))
        entries = kept
    return tuple(entries)


def _merge_files(old: tuple[tuple[str, str], ...], new: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """The input files after adding ``new``: a file already there takes its new hash in its place."""
    hashes = dict(old)
    hashes.update(new)
    order = list(dict.fromkeys([path for path, _ in old] + [path for path, _ in new]))
    return tuple((path, hashes[path]) for path in order)


class _Parser:
    """One forked process for the few articles ``kg add`` usually parses: it starts loading
    the model as soon as the command starts, and parses while this process reads the cached
    extractions; spaCy's memory is given back before the graph is built."""

    def __init__(self, model: str) -> None:
        self.model = model
        self.pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> _Parser:
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


def _warm_up(stored: dict[str, ArticleExtraction]) -> dict[str, ArticleExtraction]:
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


def _stored(outdir: Path, content_hashes: list[str], cache: ExtractionCache) -> dict[str, ArticleExtraction]:
    """The cached extractions of these articles (an ``InputError`` if one is missing or damaged)."""
    found = {}
    for content_hash in content_hashes:
        extraction = cache.stored(content_hash)
        if extraction is None:
            raise InputError(
                f"the extraction cache of {outdir} lacks an article or holds a damaged entry; "
                f"rebuild it with kg build INPUT -o {outdir}"
            )
        found[content_hash] = extraction
    return found


def _resolve(articles: tuple[ArticleEntry, ...], extractions: dict[str, ArticleExtraction]) -> KnowledgeBase:
    """Resolve the extractions of ``articles``, in their order, each carrying its recorded sources."""
    from .resolve import resolve

    ordered = [extractions[e.content_hash] for e in articles]
    return resolve([replace(ex, article=replace(ex.article, sources=e.sources)) for ex, e in zip(ordered, articles)])


def _rebuild_from_cache(outdir: Path, manifest: Manifest, model: str):
    """The graph and knowledge of the build ``manifest`` records, from the cache (no parsing)."""
    from .graph import build_triples

    cache = ExtractionCache(outdir, model_version(model))
    hashes = [e.content_hash for e in manifest.articles]
    knowledge = _resolve(manifest.articles, _stored(outdir, hashes, cache))
    return build_triples(knowledge), knowledge


def _unchanged_result(manifest: Manifest, outdir: Path, reload, notices: list[Notice] | None = None) -> BuildResult:
    from .formats import FILES

    outputs = {("turtle" if key == "ttl" else key): outdir / FILES[key] for key in manifest.formats}
    outputs["html"] = outdir / "graph.html"
    if notices is None:
        notices = [Notice(n.name, n.reason, n.skipped) for n in manifest.notices]
    return BuildResult(
        None,
        None,
        notices,
        outputs,
        cached=manifest.summary.get("articles", 0),
        unchanged=True,
        summary=dict(manifest.summary),
        reload=reload,
    )


def _stamp(outdir: Path, salt: str, articles: Iterable[Article]) -> str:
    return ExtractionCache.salted(outdir, salt).stamp(article.content_hash for article in articles)


def _record(outdir: Path, result: BuildResult, salt: str, files: tuple, formats: tuple[str, ...]) -> None:
    """Write the manifest of a finished build (not when the cache missed entries: the next build redoes all)."""
    if not result.cache_complete:
        return
    manifest = Manifest(
        format=MANIFEST_FORMAT,
        salt=salt,
        builder=builder_version(),
        files=files,
        articles=tuple(ArticleEntry(a.content_hash, a.sources) for a in result.knowledge.articles),
        formats=tuple(formats),
        outputs=output_hashes(outdir, [path.name for path in result.outputs.values()]),
        entries=_stamp(outdir, salt, result.knowledge.articles),
        notices=tuple(NoticeEntry(n.name, n.reason, n.skipped) for n in result.notices),
        summary=result.summary,
    )
    write_manifest(outdir, manifest)
