"""The graph files a build may write, by key (``kg.formats`` writes them): known without importing
rdflib, so that a build checks ``--format`` before anything else and starts its workers sooner."""

from __future__ import annotations

from collections.abc import Iterable

from .errors import InputError

FILES = {
    "ttl": "graph.ttl",
    "nt": "graph.nt",
    "jsonld": "graph.jsonld",
    "trig": "graph.trig",
    "graphml": "graph.graphml",
    "store": "graph.oxigraph",
}
DEFAULT_FORMATS = ("ttl",)


def parse_formats(spec: str | Iterable[str]) -> tuple[str, ...]:
    """``"ttl,nt"`` → ``("ttl", "nt")``: known keys, in the order given, without repeats."""
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    keys = [item.strip().lower() for item in items if item.strip()]
    unknown = [k for k in keys if k not in FILES]
    if unknown or not keys:
        raise InputError(
            f"unknown output format {', '.join(unknown) or repr(spec)} "
            f"(choose from {','.join(FILES)}, e.g. --format ttl,nt)"
        )
    return tuple(dict.fromkeys(keys))
