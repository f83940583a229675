"""The on-disk Oxigraph store, ``OUTDIR/graph.oxigraph/``: the build's graph, ready to query.

``kg build --format ttl,store`` writes it beside the graph files (bulk-loaded from our sorted
N-Triples); ``kg query``, ``kg serve`` and the commands that read a graph open it read-only,
so a large graph is not parsed again for each question. A store is a folder (RocksDB files):
its bytes differ from build to build even for the same graph, so the manifest records a stamp
of its files (:func:`folder_stamp`) rather than a hash of its content, enough to notice a store
removed or written since. Nothing here imports spaCy or rdflib at module level.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError

if TYPE_CHECKING:
    from rdflib import Graph

STORE = "graph.oxigraph"
_MARK = "CURRENT"  # every RocksDB folder has it: the name of its current manifest


def is_store(path: Path) -> bool:
    """Whether ``path`` is an Oxigraph store folder."""
    return path.is_dir() and (path / _MARK).is_file()


def find_store(path: Path) -> Path | None:
    """The store ``path`` names: the store folder itself, or a build folder holding ``graph.oxigraph``."""
    if is_store(path):
        return path
    if path.is_dir() and is_store(path / STORE):
        return path / STORE
    return None


def write_store(graph: Graph, path: Path) -> Path:
    """Write ``graph`` as a new store at ``path``; anything there is removed first (the build
    writes it into its staging folder, ``kg.outdir``, and publishes it with the files)."""
    import pyoxigraph

    from .export import ntriples_bytes

    if path.exists():
        shutil.rmtree(path)
    store = pyoxigraph.Store(str(path))
    try:
        store.bulk_load(ntriples_bytes(graph), format=pyoxigraph.RdfFormat.N_TRIPLES)
        store.flush()
    finally:
        del store  # closes the database (and its lock) now, not at the next collection
    return path


def open_store(path: Path):
    """The store at ``path``, opened read-only (nothing in the folder is written)."""
    import pyoxigraph

    if not is_store(path):
        raise InputError(f"not an Oxigraph store: {path} (build one with `kg build INPUT -o OUT --format ttl,store`)")
    try:
        return pyoxigraph.Store.read_only(str(path))
    except (OSError, RuntimeError) as exc:  # RuntimeError: RocksDB's "Corruption: ..."
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise InputError(f"cannot open the Oxigraph store {path}: {reason} (build it again with kg build)") from None


def read_store(path: Path) -> Graph:
    """The graph in the store at ``path`` as an rdflib ``Graph`` (for ``kg stats``, ``kg viz`` ...)."""
    import pyoxigraph
    from rdflib import Graph

    from .namespaces import PREFIXES

    data = open_store(path).dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph())
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph.parse(data=data, format="nt")


def folder_stamp(path: Path) -> str:
    """A cheap, deterministic stamp of a folder: the name, size and modification time of each file.

    Raises ``FileNotFoundError`` when the folder is gone, as hashing a removed file does."""
    if not path.is_dir():
        raise FileNotFoundError(f"no folder {path}")
    h = hashlib.sha256()
    for item in sorted(p for p in path.rglob("*") if p.is_file()):
        info = item.stat()
        h.update(f"{item.relative_to(path).as_posix()}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    return "stamp:" + h.hexdigest()
