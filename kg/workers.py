"""The NLP worker processes of a local build: articles go to them in chunks, results come back
in input order, and none outlives the build (an error, Ctrl-C, SIGTERM or a killed parent)."""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import multiprocessing.context
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import chain

from .errors import BuildError
from .models import Article, ArticleExtraction

# Articles go to the NLP workers in chunks of this many: big enough to keep spaCy's batches
# full, small enough to keep every worker busy to the end. Serial builds use the same chunks,
# so both run the same batches and give the same results.
CHUNK = 4
# The last articles of a build go one to a chunk: a worker that is done then waits for at most
# one article of another's, not a whole chunk (about a second when the chunks do not split evenly).
TAIL = 2 * CHUNK


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def run_chunks(
    work: Iterator[tuple[bool, list]], model: str, workers: int, idle: Callable[[], object] | None = None
) -> Iterator[tuple[bool, list]]:
    """Parse the chunks of ``work`` (serially, or in ``workers`` processes), keeping the order.

    Only a few chunks per worker are in flight at once, so articles are read as they are
    needed and results do not pile up. ``idle``: called once, in a parallel parse, when all the
    work is handed out and a worker has nothing left to do (a core would stand idle until the
    end of the parse: the caller may warm up the stages that follow there).
    """
    if workers <= 1:
        for from_cache, items in work:
            yield from_cache, (items if from_cache else parse_chunk(items, model))
        return
    # Until something needs parsing (a rebuild from the cache may need nothing), start no workers.
    for first in work:
        if first[0]:
            yield first
            continue
        # Load the model once here: forked workers share it instead of loading their own.
        from .nlp import load_pipeline

        load_pipeline(model)
        # The model's objects (and all else) out of the collector's reach: a worker's collections
        # would write to the pages it shares with this process, and copy them (43 MB less at 2).
        gc.freeze()
        pool = ProcessPoolExecutor(
            workers, mp_context=mp_context(), initializer=init_worker, initargs=(model, os.getpid())
        )
        try:
            yield from _in_pool(pool, chain([first], work), model, workers, idle)
            pool.shutdown(wait=True)
        except BrokenProcessPool:
            raise BuildError(
                "an NLP worker process died (killed, or out of memory); the build stopped and earlier outputs "
                "are left as they were (run it again, or with --workers 1)"
            ) from None
        finally:
            stop_pool(pool)
            gc.unfreeze()
        return


def _in_pool(
    pool: ProcessPoolExecutor,
    work: Iterator[tuple[bool, list]],
    model: str,
    workers: int,
    idle: Callable[[], object] | None,
) -> Iterator[tuple[bool, list]]:
    in_flight: deque = deque()
    singles: list[list[Article]] = []  # a run of one-article chunks (the end of the work)

    def hand_out_singles() -> None:
        # Longest first: the workers then finish close together (the classic longest-job-first
        # rule), instead of one waiting for the other's long article at the very end.
        futures = {id(s): pool.submit(parse_chunk, s, model) for s in sorted(singles, key=_longest_first)}
        in_flight.extend((False, futures[id(s)]) for s in singles)
        singles.clear()

    for from_cache, items in work:
        if not from_cache and len(items) == 1:
            singles.append(items)
            continue
        hand_out_singles()
        in_flight.append((from_cache, items if from_cache else pool.submit(parse_chunk, items, model)))
        while len(in_flight) > 2 * workers or (in_flight and in_flight[0][0]):
            yield ready(in_flight.popleft())
    hand_out_singles()
    while in_flight:
        if idle is not None and sum(not value.done() for cached, value in in_flight if not cached) < workers:
            idle()
            idle = None
        yield ready(in_flight.popleft())


def _longest_first(chunk: list[Article]) -> int:
    return -len(chunk[0].text)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off for a stage that makes many objects and next to no cycles
    (reading cached extractions, resolution, the graph, the outputs): its full collections
    walked every object held, a fifth of the time of those stages at 1,000 articles, and found
    almost nothing (a few hundred objects). Never around a fork: workers must collect."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def ready(entry: tuple[bool, object]) -> tuple[bool, list]:
    from_cache, value = entry
    return from_cache, value if from_cache else value.result()  # type: ignore[union-attr]


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """End the workers now: after an error, Ctrl-C or SIGTERM none may outlive the build."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            # SIGKILL: a worker still starting may run the parent's SIGTERM handler, inherited
            # by fork, which would print a traceback; a worker holds nothing to clean up.
            process.kill()
    for process in processes:
        process.join(5)
    if manager is not None:
        # The pool's thread closes its wake-up pipe as it ends; Python's exit wakes every such
        # thread through that pipe without a lock, and a pipe closed meanwhile printed
        # "OSError: Bad file descriptor" after Ctrl-C (a race of Python 3.11, gh-125451).
        # Once the thread has ended, exit finds the pipe closed and leaves it alone.
        manager.join(5)


def mp_context() -> multiprocessing.context.BaseContext:
    # fork shares the loaded model with the workers; elsewhere each worker loads its own.
    return multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")


def init_worker(model: str, parent: int) -> None:
    # Ctrl-C reaches the whole process group: the parent alone handles it (and stops us).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent(parent)
    from .nlp import load_pipeline

    load_pipeline(model)


def die_with_parent(parent: int) -> None:
    """On Linux, ask for SIGTERM when the parent dies, even by SIGKILL: no orphaned workers."""
    if sys.platform != "linux":
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before we asked
        os._exit(1)


def parse_chunk(articles: list[Article], model: str) -> list[ArticleExtraction]:
    from .extract import extract
    from .nlp import load_pipeline

    nlp = load_pipeline(model)
    docs = nlp.pipe((a.text for a in articles), batch_size=len(articles))
    return [extract(doc, article) for article, doc in zip(articles, docs)]
