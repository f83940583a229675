"""Extraction on a Dask distributed cluster: ``kg build INPUT... -o OUT --scheduler ADDRESS``.

The client sends the workers partitions of file paths (a file system they share). Each worker
reads and cleans its files, parses the new articles with spaCy (the model is loaded once per
worker process) and answers with the articles and their extractions as msgspec JSON: data,
decoded into ``kg.models`` and checked as a cache entry is, never pickled objects.

The client keeps input order and drops repeated texts exactly as a local build's reader does,
so resolution, the graph and every file written are the same as a local build's. Articles
whose extraction is already in the output folder's cache are read on the workers but not
parsed again. A worker that dies has its partition retried on another one (Dask's scheduler
does that); a partition that keeps killing workers is split, and an article that kills workers
on its own is skipped and named, and the build goes on.
"""

from __future__ import annotations

import contextlib
import os
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import msgspec

from .cache import ExtractionCache, check_offsets, entry_key
from .errors import BuildError, InputError
from .models import Article, ArticleExtraction
from .read import ArticleReader, Notice, read_source, skip_reason
from .sources import SourceFile

# Files per task: enough to fill spaCy's batches and keep per-task overhead small, few enough
# to spread a small corpus over every worker.
PARTITION = 4
# How often the scheduler may lose a worker while running one task before giving up on it.
ALLOWED_FAILURES = 2
KNOWN_DIGITS = 16
LOCAL_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "500ms",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    # Dask asks glibc to give freed memory back at once; spaCy allocates and frees arrays all
    # the time, and the extra system calls cost a tenth of the parsing time.
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
}


class Item(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """What a worker answers for one file: the article and, when it parsed it, its extraction."""

    name: str
    article: Article | None = None
    extraction: ArticleExtraction | None = None
    warnings: list[str] = []
    problem: str | None = None  # why the file was skipped


_DECODER = msgspec.json.Decoder(list[Item])
_ENCODER = msgspec.json.Encoder()


def work(sources: list[tuple[str, str, str | None]], model: str, known: frozenset[str], salt: str) -> bytes:
    """A worker's task: read, clean and parse one partition; the answer is JSON (``list[Item]``).

    ``known`` holds the cache keys of extractions the client already has: those articles are
    read (to learn their text) but not parsed.
    """
    items: list[Item] = []
    new: dict[str, Article] = {}
    for path, name, problem in sources:
        try:
            article, warnings = read_source(SourceFile(Path(path), name, problem))
        except (OSError, ValueError) as exc:
            items.append(Item(name, problem=skip_reason(exc)))
            continue
        items.append(Item(name, article, warnings=warnings))
        if entry_key(article.content_hash, salt)[:KNOWN_DIGITS] not in known:
            new.setdefault(article.content_hash, article)
    parsed = {e.article.content_hash: e for e in parse(list(new.values()), model)}
    items = [
        Item(i.name, i.article, parsed.pop(i.article.content_hash, None), i.warnings) if i.article else i for i in items
    ]
    return _ENCODER.encode(items)


def parse(articles: list[Article], model: str) -> list[ArticleExtraction]:
    """Parse and extract ``articles`` with the worker's one copy of the model."""
    from .workers import CHUNK, parse_chunk

    out: list[ArticleExtraction] = []
    for start in range(0, len(articles), CHUNK):
        out += parse_chunk(articles[start : start + CHUNK], model)
    return out


@dataclass
class ClusterRun:
    """The outcome on the client: extractions in input order and what the reader would report."""

    extractions: list[ArticleExtraction] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    parsed: int = 0


def connect(scheduler: str):
    """A ``distributed.Client`` for ``scheduler``: ``local:N`` starts a ``LocalCluster`` of N processes."""
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError:
        raise InputError("--scheduler needs Dask: pip install 'newsgraph[cluster]' (or dask[distributed])") from None
    dask.config.set({"distributed.scheduler.allowed-failures": ALLOWED_FAILURES})
    if scheduler.startswith("local:"):
        # Our tasks are seconds of pure-Python parsing: Dask's sampling profiler (every 10 ms)
        # and its frequent monitors cost a fifth of the CPU on 2 cores and buy nothing here.
        dask.config.set(LOCAL_CONFIG)
    if scheduler.startswith("local:"):
        count = scheduler.partition(":")[2]
        if not count.isdigit() or int(count) < 1:
            raise InputError(f"--scheduler {scheduler}: give local:N with N >= 1 worker processes, or an address")
        cluster = LocalCluster(
            n_workers=int(count), threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=50
        )
        client = Client(cluster, set_as_default=False)
        client.register_plugin(DieWithUs(os.getpid()), name="newsgraph-die-with-us")
        return client, cluster
    try:
        return Client(scheduler, timeout=10, set_as_default=False), None
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(
            f"cannot reach the Dask scheduler at {scheduler}: {str(exc).splitlines()[0]} "
            "(give its address as tcp://HOST:8786, or local:N)"
        ) from None


try:  # Dask is an optional extra: without it, --scheduler says how to install it
    from distributed import WorkerPlugin
except ImportError:  # pragma: no cover
    WorkerPlugin = object  # type: ignore[assignment,misc]


class DieWithUs(WorkerPlugin):
    """A worker plugin for ``local:N``: the worker processes end when this build process does,
    even when it is killed outright (a remote cluster's workers are the cluster's business)."""

    def __init__(self, parent: int) -> None:
        self.parent = parent

    def setup(self, worker) -> None:
        from .workers import die_with_parent

        die_with_parent(self.parent)


def run_on_cluster(
    sources: list[SourceFile], model: str, scheduler: str, cache: ExtractionCache | None, progress=None
) -> ClusterRun:
    """Read and parse ``sources`` on the cluster; the rest of the build is the local one's."""
    client, cluster = connect(scheduler)
    try:
        return _run(client, sources, model, cache, progress)
    finally:
        with contextlib.suppress(Exception):
            client.close()
        if cluster is not None:
            with contextlib.suppress(Exception):
                cluster.close()


def _run(client, sources: list[SourceFile], model: str, cache: ExtractionCache | None, progress) -> ClusterRun:
    salt = cache.salt if cache is not None else ""
    # Sent with every task, not scattered: scattered data dies with the workers holding it.
    # Key prefixes keep it small (16 hex digits: 8 bytes an article).
    known = frozenset(p.stem[:KNOWN_DIGITS] for p in cache.root.glob("*/*.json")) if cache is not None else frozenset()
    jobs = [
        [(str(s.path), s.name, s.problem) for s in sources[i : i + PARTITION]]
        for i in range(0, len(sources), PARTITION)
    ]
    items = _items(client, jobs, model, known, salt)
    if progress is not None:
        items = progress(items, total=len(sources))
    run = ClusterRun()
    reader = ArticleReader([])  # the files were read on the workers: it keeps notices and names
    order: list[ArticleExtraction | Article] = []
    for item in items:
        if item.problem is not None:
            reader.skip(item.name, item.problem)
            continue
        article = item.article
        if not reader.admit(item.name, article, item.warnings):
            continue
        extraction = item.extraction
        if extraction is not None:
            run.parsed += 1
            if cache is not None:
                cache.put(extraction)
        elif cache is not None:
            extraction = cache.get(article)
        order.append(extraction if extraction is not None else article)
    missing = [a for a in order if isinstance(a, Article)]  # a cache entry that went bad meanwhile
    if missing:
        again = {e.article.content_hash: e for e in _parse_here(client, missing, model)}
        run.parsed += len(again)
        order = [again[a.content_hash] if isinstance(a, Article) else a for a in order]
    run.extractions = [replace(e, article=reader.with_all_sources(e.article)) for e in order]
    run.notices = reader.notices
    return run


def _parse_here(client, articles: list[Article], model: str) -> list[ArticleExtraction]:
    future = client.submit(_parse_json, _ENCODER.encode(articles), model, pure=False)
    return msgspec.json.decode(future.result(), type=list[ArticleExtraction])


def _parse_json(articles: bytes, model: str) -> bytes:
    return _ENCODER.encode(parse(msgspec.json.decode(articles, type=list[Article]), model))


def _items(client, jobs: list[list], model: str, known, salt: str) -> Iterator[Item]:
    """Every file's ``Item`` in input order; a few partitions per worker in flight at once."""
    from distributed import KilledWorker

    workers = max(1, len(client.scheduler_info().get("workers", {})))
    pending = deque(jobs)
    in_flight: deque = deque()
    while pending or in_flight:
        while pending and len(in_flight) < 3 * workers:
            job = pending.popleft()
            in_flight.append((job, client.submit(work, job, model, known, salt, pure=False, retries=1)))
        job, future = in_flight.popleft()
        try:
            answer = future.result()
        except KilledWorker:
            yield from _one_by_one(client, job, model, known, salt)
            continue
        except Exception as exc:  # a worker-side error we did not expect: name the files, stop the build
            names = ", ".join(name for _path, name, _problem in job)
            raise BuildError(f"a cluster worker failed on {names}: {type(exc).__name__}: {exc}") from None
        yield from _decode(answer)


def _one_by_one(client, job: list, model: str, known, salt: str) -> Iterator[Item]:
    """A partition whose task killed workers: each file alone, skipping the ones that still kill."""
    from distributed import KilledWorker

    futures = [client.submit(work, [source], model, known, salt, pure=False) for source in job]
    for source, future in zip(job, futures):
        try:
            yield from _decode(future.result())
        except KilledWorker:
            yield Item(
                source[1],
                problem=f"it stopped {ALLOWED_FAILURES + 1} cluster workers (out of memory?); build it alone "
                "with --workers 1 to see why",
            )


def _decode(answer: bytes) -> list[Item]:
    items = _DECODER.decode(answer)
    for item in items:
        if item.extraction is not None:
            if item.article is None or item.extraction.article != item.article:
                raise BuildError(f"a cluster worker answered with a mismatched extraction for {item.name}")
            try:
                check_offsets(item.extraction)
            except ValueError as exc:
                raise BuildError(f"a cluster worker answered with evidence not in {item.name}: {exc}") from None
    return items
