"""The library API: run the stages in order. The CLI and notebooks call these functions.

read/clean → nlp → extract → resolve → graph → export
"""

from __future__ import annotations

import contextlib
import errno
import multiprocessing
import multiprocessing.context
import os
import shutil
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from .cache import CACHE_DIR, ExtractionCache, model_version
from .errors import BuildError, InputError
from .models import Article, ArticleExtraction, KnowledgeBase
from .outdir import check_outdir, unwritable_error
from .read import ArticleReader, Notice, find_sources

if TYPE_CHECKING:
    from rdflib import Graph


class BuildResult:
    """What a build made: the graph, the resolved knowledge, notices and the files written.

    ``unchanged``: nothing had changed since the build that wrote the output folder (see
    ``kg.manifest``), so nothing was done; ``graph`` and ``knowledge`` are then read back (from
    the extraction cache) on first use. ``summary``: the counts (``knowledge_summary``).
    """

    def __init__(
        self,
        graph: Graph | None,
        knowledge: KnowledgeBase | None,
        notices: list[Notice] | None = None,
        outputs: dict[str, Path] | None = None,
        parsed: int = 0,  # articles run through spaCy in this build
        cached: int = 0,  # articles whose extraction came from the cache
        *,
        unchanged: bool = False,
        summary: dict[str, int] | None = None,
        reload: Callable[[], tuple[Graph, KnowledgeBase]] | None = None,
    ) -> None:
        self._graph, self._knowledge, self._reload = graph, knowledge, reload
        self.notices = notices if notices is not None else []
        self.outputs = outputs if outputs is not None else {}
        self.parsed, self.cached, self.unchanged = parsed, cached, unchanged
        self.cache_complete = False  # every extraction was read from or written to the cache
        self.summary = summary if summary is not None else (knowledge_summary(knowledge) if knowledge else {})

    def _load(self) -> None:
        if self._reload is None:
            raise ValueError("this build result holds no graph")
        self._graph, self._knowledge = self._reload()
        self._reload = None

    @property
    def graph(self) -> Graph:
        if self._graph is None:
            self._load()
        return self._graph  # type: ignore[return-value]

    @property
    def knowledge(self) -> KnowledgeBase:
        if self._knowledge is None:
            self._load()
        return self._knowledge  # type: ignore[return-value]


def knowledge_summary(kb: KnowledgeBase) -> dict[str, int]:
    """The counts a build reports: articles, entities, role facts, policy facts."""
    counts = {"articles": kb.articles, "entities": kb.entities, "roles": kb.roles, "policies": kb.policies}
    return {name: len(items) for name, items in counts.items()}


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
    knowledge, notices, _cache = _extract_knowledge(inputs, model, progress, workers, cache_dir, cache_dir)
    return knowledge, notices


def _extract_knowledge(
    inputs: Iterable[Path],
    model: str | None,
    progress: Progress | None,
    workers: int | None,
    cache_dir: Path | None,
    outdir: Path | None,
) -> tuple[KnowledgeBase, list[Notice], ExtractionCache | None]:
    """``extract_knowledge``, and the cache it used (its hits: the articles not parsed)."""
    from .resolve import resolve

    reader = ArticleReader(find_sources(list(inputs), exclude=outdir))
    model_name = model or _default_model()
    cache = ExtractionCache(cache_dir, model_version(model_name)) if cache_dir is not None else None
    extractions: Iterable[ArticleExtraction] = _extractions(reader, model_name, workers or default_workers(), cache)
    if progress is not None:
        extractions = progress(extractions, total=len(reader))
    kept = list(extractions)
    notices = list(reader.notices)
    if cache is not None:
        notices += [Notice(path, reason, skipped=False) for path, reason in cache.warnings]
        if cache.full:
            notices.append(Notice(str(cache.root.parent), _disk_full_advice(cache.root.parent), skipped=False))
    # Only now, with every file read, is each article's full list of names known.
    kept = [replace(ex, article=reader.with_all_sources(ex.article)) for ex in kept]
    if not kept:
        raise InputError(
            "no readable articles: " + "; ".join(f"{n.name}: {n.reason}" for n in reader.notices if n.skipped)
        )
    return resolve(kept), notices, cache


def _disk_full_advice(cache_dir: Path) -> str:
    return (
        f"disk full: stopped writing the extraction cache and removed this build's entries; {cache_dir} "
        f"holds the rest (reclaim it with `rm -r {cache_dir}`, or build with --no-cache)"
    )


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
        pool = ProcessPoolExecutor(
            workers, mp_context=_mp_context(), initializer=_init_worker, initargs=(model, os.getpid())
        )
        try:
            in_flight: deque = deque()
            for from_cache, items in chain([first], work):
                in_flight.append((from_cache, items if from_cache else pool.submit(_parse_chunk, items, model)))
                while len(in_flight) > 2 * workers or (in_flight and in_flight[0][0]):
                    yield _ready(in_flight.popleft())
            while in_flight:
                yield _ready(in_flight.popleft())
            pool.shutdown(wait=True)
        except BrokenProcessPool:
            raise BuildError(
                "an NLP worker process died (killed, or out of memory); the build stopped and earlier outputs "
                "are left as they were (run it again, or with --workers 1)"
            ) from None
        finally:
            _stop(pool)
        return


def _ready(entry: tuple[bool, object]) -> tuple[bool, list]:
    from_cache, value = entry
    return from_cache, value if from_cache else value.result()  # type: ignore[union-attr]


def _stop(pool: ProcessPoolExecutor) -> None:
    """End the workers now: after an error, Ctrl-C or SIGTERM none may outlive the build."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(5)


def _mp_context() -> multiprocessing.context.BaseContext:
    # fork shares the loaded model with the workers; elsewhere each worker loads its own.
    return multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")


def _init_worker(model: str, parent: int) -> None:
    # Ctrl-C reaches the whole process group: the parent alone handles it (and stops us).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent(parent)
    from .nlp import load_pipeline

    load_pipeline(model)


def _die_with_parent(parent: int) -> None:
    """On Linux, ask for SIGTERM when the parent dies, even by SIGKILL: no orphaned workers."""
    if sys.platform != "linux":
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before we asked
        os._exit(1)


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
    if outdir is None:
        return _build(inputs, None, model, progress, workers, cache, formats)
    from .outdir import locked

    check_outdir(outdir)
    with locked(outdir):
        if cache:  # a manifest says what the last build read and wrote: nothing changed, nothing to do
            from .incremental import build_unless_unchanged

            return build_unless_unchanged(list(inputs), outdir, model or _default_model(), progress, workers, formats)
        from .manifest import forget_manifest

        result = _build(inputs, outdir, model, progress, workers, cache, formats)
        forget_manifest(outdir)  # it describes outputs no longer there
        return result


def _build(
    inputs: Iterable[Path],
    outdir: Path | None,
    model: str | None,
    progress: Progress | None,
    workers: int | None,
    cache: bool,
    formats: Iterable[str],
) -> BuildResult:
    from .graph import build_graph

    knowledge, notices, used = _extract_knowledge(inputs, model, progress, workers, outdir if cache else None, outdir)
    graph = build_graph(knowledge)
    cached = used.hits if used is not None else 0
    result = BuildResult(graph, knowledge, notices, parsed=len(knowledge.articles) - cached, cached=cached)
    result.cache_complete = used is not None and not used.warnings and not used.full
    if outdir is not None:
        try:
            result.outputs = write_outputs(graph, outdir, formats)
        except DiskFull:
            # The outputs come first: give them the space of this build's cache entries and try again.
            if used is None or not used.forget_written():
                raise _disk_full(outdir, used) from None
            try:
                result.outputs = write_outputs(graph, outdir, formats)
            except DiskFull:
                raise _disk_full(outdir, used) from None
            result.notices.append(Notice(str(outdir / CACHE_DIR), _disk_full_advice(outdir / CACHE_DIR), False))
            result.cache_complete = False  # this build's entries were removed
    return result


class DiskFull(BuildError):
    """No space left while writing the outputs (nothing was replaced)."""


def _disk_full(outdir: Path, cache: ExtractionCache | None) -> BuildError:
    folder = outdir / CACHE_DIR
    hint = f"; `rm -r {folder}` reclaims the extraction cache, or build with --no-cache" if folder.exists() else ""
    removed = " (this build's cache entries were removed)" if cache is not None else ""
    return BuildError(f"disk full writing to {outdir}{removed}: earlier outputs are left as they were{hint}")


def write_outputs(graph: Graph, outdir: Path, formats: Iterable[str] = ("ttl",)) -> dict[str, Path]:
    """Write the graph in ``formats`` and ``graph.html``; keys: "turtle" (for ttl), the other format keys, "html"."""
    from .export_html import write_html
    from .formats import FILES, parse_formats, write_formats
    from .outdir import make_staging, publish, staging_path

    keys = parse_formats(list(formats))
    check_outdir(outdir)
    staging = staging_path(outdir)
    try:
        # Everything is written aside, then renamed into place together: the folder never
        # holds the outputs of two builds, and an interrupted build leaves the old set whole.
        make_staging(staging)
        written = write_formats(graph, staging, keys)
        write_html(graph, staging / "graph.html", title="newsgraph")
        names = [path.name for path in written.values()] + ["graph.html"]
        publish(staging, outdir, names, stale=[FILES[key] for key in FILES if key not in keys])
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DiskFull(f"disk full writing to {outdir}: earlier outputs are left as they were") from exc
        raise unwritable_error(outdir, exc) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    outputs = {("turtle" if key == "ttl" else key): outdir / FILES[key] for key in written}
    outputs["html"] = outdir / "graph.html"
    return outputs


def load_graph(path: Path) -> Graph:
    """Read a graph the project wrote (Turtle, N-Triples, TriG, N-Quads, JSON-LD; by file name),
    named graphs merged into one."""
    from .formats import read_graph

    return read_graph(path)
