"""The library API: run the stages in order. The CLI and notebooks call these functions.

read/clean → nlp → extract → resolve → graph → export
"""

from __future__ import annotations

import errno
import shutil
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from .cache import CACHE_DIR, ExtractionCache, model_version, shared
from .errors import BuildError, InputError
from .models import Article, ArticleExtraction, KnowledgeBase
from .outdir import check_outdir, unwritable_error
from .read import ArticleReader, Notice
from .sources import find_sources
from .workers import CHUNK, TAIL, collector_paused, default_workers, run_chunks

if TYPE_CHECKING:
    from rdflib import Graph

    from .graphview import GraphView


class BuildResult:
    """What a build made: the graph, the resolved knowledge, notices and the files written.

    ``unchanged``: nothing had changed since the build that wrote the output folder (see
    ``kg.manifest``), so nothing was done; ``graph`` and ``knowledge`` are then read back (from
    the extraction cache) on first use. ``summary``: the counts (``build_summary``).
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
        if summary is None:
            summary = build_summary(read_view(graph), knowledge) if graph is not None and knowledge is not None else {}
        self.summary = summary

    def _load(self) -> None:
        if self._reload is None:
            raise ValueError("this build result holds no graph")
        self._graph, self._knowledge = self._reload()
        self._reload = None

    @property
    def graph(self) -> Graph:
        """The graph as an rdflib ``Graph`` (made on first use from the build's ``Triples``)."""
        if self._graph is None:
            self._load()
        if hasattr(self._graph, "to_graph"):  # a build's Triples
            self._graph = self._graph.to_graph()
        return self._graph  # type: ignore[return-value]

    @property
    def knowledge(self) -> KnowledgeBase:
        if self._knowledge is None:
            self._load()
        return self._knowledge  # type: ignore[return-value]


def read_view(graph: Graph) -> GraphView:
    from .graphview import read_graph_view

    return read_graph_view(graph)


def build_summary(view: GraphView, kb: KnowledgeBase) -> dict[str, int]:
    """The counts a build reports (kept in the manifest): articles, and the numbers of
    ``kg.graphview.Counts`` that ``kg stats``, the page and the notebook report too."""
    counts = view.counts()
    summary = {"articles": len(kb.articles), "entities": counts.entities, "facts": counts.facts}
    summary |= {"links": counts.links, "isolated": counts.isolated}
    return summary | {f"family:{name}": n for name, n in counts.by_family.items()}


def summary_line(summary: dict[str, int]) -> str:
    """The shared line ("79 entities, 73 facts (...) on 61 links; ...") of a build summary."""
    from .graphview import Counts

    families = {key.partition(":")[2]: n for key, n in summary.items() if key.startswith("family:")}
    keys = ("entities", "facts", "links", "isolated")
    return Counts(*(summary.get(key, 0) for key in keys), families).line()


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
    scheduler: str | None = None,
) -> tuple[KnowledgeBase, list[Notice], ExtractionCache | None]:
    """``extract_knowledge``, and the cache it used (its hits: the articles not parsed)."""
    from .resolve import resolve

    sources = find_sources(list(inputs), exclude=outdir)
    model_name = model or _default_model()
    cache = ExtractionCache(cache_dir, model_version(model_name)) if cache_dir is not None else None
    if scheduler is not None:
        from .cluster import run_on_cluster

        run = run_on_cluster(sources, model_name, scheduler, cache, progress)
        kept, notices = run.extractions, run.notices
    else:
        reader = ArticleReader(sources)
        extractions: Iterable[ArticleExtraction] = _extractions(reader, model_name, workers or default_workers(), cache)
        if progress is not None:
            extractions = progress(extractions, total=len(reader))
        kept = list(extractions)
        notices = list(reader.notices)
        # Only now, with every file read, is each article's full list of names known.
        kept = [replace(ex, article=reader.with_all_sources(ex.article)) for ex in kept]
    if cache is not None:
        notices += [Notice(path, reason, skipped=False) for path, reason in cache.warnings]
        if cache.full:
            notices.append(Notice(str(cache.root.parent), _disk_full_advice(cache.root.parent), skipped=False))
    if not kept:
        raise InputError("no readable articles: " + "; ".join(f"{n.name}: {n.reason}" for n in notices if n.skipped))
    with collector_paused():  # the parse is over: no worker forks from here on
        knowledge = resolve(kept)
    return knowledge, notices, cache


def _disk_full_advice(cache_dir: Path) -> str:
    return (
        f"disk full: stopped writing the extraction cache and removed this build's entries; {cache_dir} "
        f"holds the rest (reclaim it with `rm -r {cache_dir}`, or build with --no-cache)"
    )


class Progress(Protocol):
    """What ``progress`` must be: ``tqdm`` itself will do."""

    def __call__(self, items: Iterable, *, total: int | None = None) -> Iterable: ...


def _default_model() -> str:
    from .modelchoice import default_model

    return default_model()


def _extractions(
    articles: Iterable[Article], model: str, workers: int, cache: ExtractionCache | None
) -> Iterator[ArticleExtraction]:
    """The extraction of every article, in input order: from the cache, else parsed."""
    numbers: dict[int, int] = {}
    seen: list[ArticleExtraction] = []

    def on_idle() -> None:  # a core is free at the end of the parse: the later stages' first use there
        from .fromcache import warm_up

        warm_up({"": seen[0]} if seen else {})

    for from_cache, extractions in run_chunks(_chunks(articles, cache), model, workers, on_idle):
        for extraction in extractions:
            if not seen:
                seen.append(extraction)
            if not from_cache:
                if cache is not None:
                    cache.put(extraction)
                extraction = shared(extraction, numbers)  # as the cache gives them: held until resolution
            yield extraction


def _chunks(articles: Iterable[Article], cache: ExtractionCache | None) -> Iterator[tuple[bool, list]]:
    """(True, [cached extraction]) or (False, articles to parse), in input order: chunks of
    ``CHUNK`` articles, but the last ``TAIL`` articles one to a chunk, so that at the end of a
    parallel build no worker waits long for the one still parsing (serial builds parse the same
    chunks)."""
    pending: list[Article] = []
    source = iter(articles)
    ahead = deque(islice(source, TAIL))
    while ahead:
        article = ahead.popleft()
        following = next(source, None)
        if following is not None:
            ahead.append(following)
        size = CHUNK if following is not None else 1
        cached = cache.get(article) if cache is not None else None
        if cached is None:
            pending.append(article)
            if len(pending) < size:
                continue
        if pending:
            yield False, pending
            pending = []
        if cached is not None:
            yield True, [cached]
    if pending:
        yield False, pending


def build(
    inputs: Iterable[Path],
    outdir: Path | None = None,
    model: str | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    cache: bool = True,
    formats: Iterable[str] = ("ttl",),
    scheduler: str | None = None,
) -> BuildResult:
    """Build the graph of ``inputs``; with ``outdir``, write ``graph.ttl`` and ``graph.html`` there.

    ``workers`` NLP processes (default: the number of cores); with ``outdir`` and ``cache``,
    extractions are cached in ``outdir/.cache`` and unchanged articles are not parsed again.
    ``formats``: the graph files to write (keys of ``kg.formats.FILES``: ttl, nt, jsonld, trig, graphml).
    ``scheduler``: parse on a Dask cluster instead (an address, or ``local:N``); see ``kg.cluster``.
    """
    if outdir is None:
        return _build(inputs, None, model, progress, workers, cache, formats, scheduler)
    from .outdir import locked

    check_outdir(outdir)
    with locked(outdir):
        if cache:  # a manifest says what the last build read and wrote: nothing changed, nothing to do
            from .incremental import build_unless_unchanged

            return build_unless_unchanged(
                list(inputs), outdir, model or _default_model(), progress, workers, formats, scheduler
            )
        from .manifest import forget_manifest

        result = _build(inputs, outdir, model, progress, workers, cache, formats, scheduler)
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
    scheduler: str | None = None,
) -> BuildResult:
    knowledge, notices, used = _extract_knowledge(
        inputs, model, progress, workers, outdir if cache else None, outdir, scheduler
    )
    with collector_paused():
        return _graph_and_outputs(knowledge, notices, used, outdir, formats)


def _graph_and_outputs(
    knowledge: KnowledgeBase,
    notices: list[Notice],
    used: ExtractionCache | None,
    outdir: Path | None,
    formats: Iterable[str],
) -> BuildResult:
    from .graph import build_triples

    graph = build_triples(knowledge)
    cached = used.hits if used is not None else 0
    view = read_view(graph)  # read once: for the summary and for the page
    summary = build_summary(view, knowledge)
    parsed = len(knowledge.articles) - cached
    result = BuildResult(graph, knowledge, notices, parsed=parsed, cached=cached, summary=summary)
    result.cache_complete = used is not None and not used.warnings and not used.full
    if outdir is not None:
        try:
            result.outputs = write_outputs(graph, outdir, formats, view)
        except DiskFull:
            # The outputs come first: give them the space of this build's cache entries and try again.
            if used is None or not used.forget_written():
                raise _disk_full(outdir, used) from None
            try:
                result.outputs = write_outputs(graph, outdir, formats, view)
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


def write_outputs(
    graph: Graph, outdir: Path, formats: Iterable[str] = ("ttl",), view: GraphView | None = None
) -> dict[str, Path]:
    """Write the graph in ``formats`` and ``graph.html``; keys: "turtle" (for ttl), the other format keys, "html".
    ``view``: ``graph`` already read, when the caller has it (``read_view``)."""
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
        write_html(graph, staging / "graph.html", title="newsgraph", view=view)
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
