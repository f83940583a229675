"""The interactive network as a library call: any graph file the project wrote -> one HTML page.

``kg viz`` and notebooks call :func:`render_graph_file`; ``kg build`` writes its
``graph.html`` with the same :func:`kg.export_html.write_html`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .errors import InputError
from .export_html import SIZE_MEASURES, Selection, parse_types, write_html


def render_graph_file(
    graph_path: Path,
    output: Path,
    *,
    focus: str | None = None,
    depth: int = 1,
    types: Iterable[str] = (),
    size_by: str = "degree",
    title: str | None = None,
) -> tuple[int, int]:
    """Write ``output`` (HTML) for the graph in ``graph_path``; returns (entities, relations) drawn.

    ``types`` are entity types ("person", "organization", "country", or comma-separated lists
    of them); ``focus`` keeps one entity (label, alias or IRI) and what lies within ``depth``
    relations of it.
    """
    from .pipeline import load_graph

    if size_by not in SIZE_MEASURES:
        raise InputError(f"unknown --size-by {size_by!r} (use {' or '.join(SIZE_MEASURES)})")
    if depth < 0:
        raise InputError(f"--depth {depth}: give 0 or more relations")
    kinds = parse_types(types) or None
    check_output(output)
    graph = load_graph(Path(graph_path))
    selection = Selection(types=kinds, focus=focus, depth=depth) if kinds or focus else None
    try:
        return write_html(
            graph, output, title=title or f"newsgraph: {Path(graph_path).name}", selection=selection, size_by=size_by
        )
    except OSError as exc:
        raise InputError(
            f"cannot write {output}: {(exc.strerror or type(exc).__name__).lower()} (choose another file with -o)"
        ) from exc


def check_output(output: Path) -> None:
    """Fail before any work when ``output`` cannot be the page: a folder, or an unwritable place."""
    if output.is_dir():
        raise InputError(f"output path is a folder: {output} (give a file name such as {output / 'graph.html'})")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            f"cannot create the folder of {output}: {(exc.strerror or '').lower()} (choose another file with -o)"
        ) from exc
