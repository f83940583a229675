"""Builds that redo only what changed: a rebuild that finds nothing changed does nothing, a
rebuild after a change reads and parses only the files that changed, and ``kg add`` puts new
articles into an output folder without reading the old ones again.

All rest on the manifest (``kg.manifest``) and the extraction cache (``kg.cache``) in the
output folder. The articles already parsed come from the cache, in the order a full build
takes them (``kg add``: the order of the last build, new articles at the end); then
resolution, the graph and the outputs are made from all of them (``kg.fromcache``): the same
steps, in the same order, as a full build of all the articles, so the result is the same (the
IRIs of entities already there do not change). Resolution and graph building are cheap next
to spaCy; they are redone in full, so nothing depends on how the graph came to be.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from .cache import ExtractionCache, cache_salt
from .errors import InputError
from .fromcache import CacheLacks, Parser, finish_build, rebuild_from_cache
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
from .models import Article
from .pipeline import BuildResult, Progress, _build
from .read import ArticleReader, Notice, read_source, skip_reason
from .sources import SourceFile, find_sources
from .workers import CHUNK


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
    shows the same input files, model, extractor, code and outputs; after a change, a build
    that reads only the files that changed (``_build_changed``), else a full build that parses
    only what the cache lacks; then a new manifest."""
    from .formatkeys import parse_formats

    keys = parse_formats(list(formats))
    salt = cache_salt(model)
    sources = find_sources(inputs, exclude=outdir)
    files = fingerprint([source.path for source in sources])
    manifest = read_manifest(outdir)
    if manifest is not None and unchanged(manifest, outdir, salt, files, keys):
        return _unchanged_result(manifest, outdir, lambda: rebuild_from_cache(outdir, manifest, model))
    # The old manifest stays until the new one is written: it holds the hashes of the old outputs,
    # so after a build that stopped before its end it matches nothing.
    result = None
    if manifest is not None and scheduler is None and (manifest.salt, manifest.formats) == (salt, keys):
        result = _build_changed(outdir, sources, files, manifest, model, progress, workers)
    if result is None:
        result = _build(inputs, outdir, model, progress, workers, True, keys, scheduler)
    _record(outdir, result, salt, files, keys)
    return result


def _build_changed(
    outdir: Path,
    sources: list[SourceFile],
    files: tuple[tuple[str, str], ...],
    manifest: Manifest,
    model: str,
    progress: Progress | None,
    workers: int | None,
) -> BuildResult | None:
    """A build after a change: only the files that changed since the manifest's build are read
    (the others' articles and notices are the recorded ones) and only new texts are parsed, in
    the order a full build takes them. ``None`` when most files are new or changed, or the
    manifest cannot stand for the files: a name given twice, a text shared by files some of
    which changed, a cache entry changed or missing since the manifest was written."""
    names = [source.name for source in sources]
    if manifest.builder != builder_version() or len(set(names)) < len(names):
        return None
    stamp = ExtractionCache.salted(outdir, manifest.salt).stamp(e.content_hash for e in manifest.articles)
    if stamp != manifest.entries:  # an entry edited or removed since: a full build checks each against its file
        return None
    old = dict(manifest.files)
    entry_of = {name: entry for entry in manifest.articles for name in entry.sources}
    recorded: dict[str, list[Notice]] = {}
    for notice in _recorded(manifest.notices):
        recorded.setdefault(notice.name, []).append(notice)
    known = {
        source.name
        for source, (path, digest) in zip(sources, files)
        if digest and old.get(path) == digest and (source.name in entry_of or source.name in recorded)
    }
    if len(known) < len(sources) / 2:  # mostly new: a full build reads them while the workers parse
        return None
    with Parser(model) if len(sources) - len(known) <= CHUNK else contextlib.nullcontext() as parser:
        reader = ArticleReader([])  # the unchanged files recalled, the others read, as a full build reads them
        fresh: dict[str, Article] = {}
        for source in sources:
            if source.name in known:
                entry = entry_of.get(source.name)
                reader.recall(source.name, entry.content_hash if entry else None, recorded.get(source.name, []))
                continue
            try:
                article, warnings = read_source(source)
            except (OSError, ValueError) as exc:
                reader.skip(source.name, skip_reason(exc))
                continue
            reader.admit(source.name, article, warnings)
            fresh.setdefault(article.content_hash, article)  # also a text recalled: the check below needs it
        articles = tuple(ArticleEntry(h, names) for h, names in reader.names_by_text().items())
        for entry in articles:  # a recorded article stands only for the same files as before
            same = [entry_of[name] for name in entry.sources if name in known]
            if same and (entry.content_hash in fresh or same[0] != entry):
                return None
        try:
            todo = [replace(a, sources=e.sources) for e in articles if (a := fresh.get(e.content_hash))]
            return finish_build(
                outdir, parser, model, articles, todo, reader.notices, workers, progress, manifest.formats
            )
        except CacheLacks:
            return None


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
    with locked(outdir), Parser(model) as parser:
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
            return _unchanged_result(manifest, outdir, lambda: rebuild_from_cache(outdir, manifest, model), notices)
        if not fresh:
            raise InputError("no readable articles: " + "; ".join(f"{n.name}: {n.reason}" for n in notices))
        result = finish_build(outdir, parser, model, articles, fresh, notices, workers, progress, manifest.formats)
        read_now = {source.name for source in sources}
        kept = _recorded(n for n in manifest.notices if n.name not in read_now)
        _record(outdir, result, salt, files, manifest.formats, kept + result.notices)
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


def _recorded(entries: Iterable[NoticeEntry]) -> list[Notice]:
    """The notices a manifest recorded, as a build reports them."""
    return [Notice(n.name, n.reason, n.skipped) for n in entries]


def _unchanged_result(manifest: Manifest, outdir: Path, reload, notices: list[Notice] | None = None) -> BuildResult:
    from .formatkeys import FILES

    outputs = {("turtle" if key == "ttl" else key): outdir / FILES[key] for key in manifest.formats}
    outputs["html"] = outdir / "graph.html"
    if notices is None:
        notices = _recorded(manifest.notices)
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


def _record(
    outdir: Path,
    result: BuildResult,
    salt: str,
    files: tuple,
    formats: tuple[str, ...],
    notices: list[Notice] | None = None,
) -> None:
    """Write the manifest of a finished build (not when the cache missed entries: the next build
    redoes all). ``notices``: those of every input file (default: the build's)."""
    if not result.cache_complete:
        return
    notices = result.notices if notices is None else notices
    manifest = Manifest(
        format=MANIFEST_FORMAT,
        salt=salt,
        builder=builder_version(),
        files=files,
        articles=tuple(ArticleEntry(a.content_hash, a.sources) for a in result.knowledge.articles),
        formats=tuple(formats),
        outputs=output_hashes(outdir, [path.name for path in result.outputs.values()]),
        entries=_stamp(outdir, salt, result.knowledge.articles),
        notices=tuple(NoticeEntry(n.name, n.reason, n.skipped) for n in notices),
        summary=result.summary,
    )
    write_manifest(outdir, manifest)
