"""The one loader of files newsgraph ships: the ontology, SHACL shapes and bundled queries.

``ontology/`` stays at the top level of the repository, where users and tools look for it;
the build maps it into the package as ``kg.ontology`` (see ``pyproject.toml``), so an editable
install, a wheel and a plain source tree all find the same files through ``importlib.resources``.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

_SOURCE_ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"


def ontology_dir() -> Traversable:
    """``ontology/``: the installed package data, else the source tree's folder."""
    try:
        root = resources.files("kg.ontology")
        if root.joinpath("newsgraph.ttl").is_file():
            return root
    except ModuleNotFoundError:
        pass
    return _SOURCE_ONTOLOGY


def ontology_file(name: str) -> Path:
    """A file of ``ontology/`` as a path (``policies.ttl``, ``shapes.ttl``, ``queries``)."""
    return Path(str(ontology_dir().joinpath(name)))


def ontology_text(name: str) -> str:
    return ontology_dir().joinpath(name).read_text(encoding="utf-8")
