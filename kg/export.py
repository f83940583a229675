"""Stage 6: writing files — Turtle and N-Triples here (their writer is ``rdfwrite``), the HTML
network in ``export_html``, the other formats in ``formats``.

Every file newsgraph writes (graph files, the page, cache entries) goes through
:func:`write_atomic`: to a temporary name in its folder, then renamed into place, so an
interrupted build leaves the previous output whole.
"""

from __future__ import annotations

import os
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import Graph


def write_atomic(path: Path, data: bytes, durable: bool = True) -> None:
    """Replace ``path`` in one step: a reader, or a build interrupted here, never sees half a file.

    ``durable`` also flushes the data to disk before the rename, so a crash of the machine
    cannot leave an empty file under the name (caches, which can be rebuilt, skip it).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with hold_interrupts():
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                if durable:
                    f.flush()
                    os.fsync(f.fileno())
            # mkstemp creates the file 0600; outputs are meant to be opened and shared.
            os.chmod(tmp, 0o666 & ~_umask())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


HELD = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def hold_interrupts() -> Iterator[None]:
    """Hold a Ctrl-C or SIGTERM that arrives mid-write until the file is whole or gone: an
    interruption between creating the temporary file and its cleanup would leave it behind.
    A held signal is raised again, to the handler in place before, once the block is done."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = {sig: signal.signal(sig, lambda signum, _frame: received.append(signum)) for sig in HELD}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler if handler is not None else signal.SIG_DFL)
        for signum in dict.fromkeys(received):
            signal.raise_signal(signum)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def turtle_bytes(graph: Graph) -> bytes:
    """Deterministic Turtle: our fixed prefixes, subjects sorted, ``a`` first then the other
    predicates sorted, objects sorted; the same graph always gives the same bytes."""
    from .rdfwrite import turtle

    return turtle(graph)


def ntriples_bytes(graph: Graph) -> bytes:
    """N-Triples with the lines sorted, so the same graph always gives the same file."""
    from .rdfwrite import ntriples

    return ntriples(graph)


def write_turtle(graph: Graph, path: Path) -> None:
    write_atomic(path, turtle_bytes(graph))
