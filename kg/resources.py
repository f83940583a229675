"""The one loader of files newsgraph ships: the ontology, SHACL shapes and bundled queries.

``ontology/`` stays at the top level of the repository, where users and tools look for it;
the build maps it into the package as ``kg/ontology`` (``package-dir`` in ``pyproject.toml``),
so a wheel or ``pip install .`` carries it. An editable install or a plain source tree has no
``kg/ontology``: the files are read from the repository's ``ontology/`` instead. No other
module knows where these files live.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

_SOURCE_ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"
_QUERIES = "queries"


def ontology_dir() -> Traversable:
    """``ontology/``: the installed package data, else the source tree's folder."""
    # kg/ontology, not the module kg.ontology: a data-only folder mapped from elsewhere cannot be
    # imported through setuptools' editable finder, and a regular package always resolves.
    packaged = resources.files("kg").joinpath("ontology")
    if packaged.joinpath("newsgraph.ttl").is_file():
        return packaged
    return _SOURCE_ONTOLOGY


def ontology_file(name: str) -> Path:
    """A file of ``ontology/`` as a path (``policies.ttl``, ``shapes.ttl``, ``queries``)."""
    return Path(str(ontology_dir().joinpath(name)))


def ontology_text(name: str) -> str:
    return ontology_dir().joinpath(name).read_text(encoding="utf-8")


def query_files() -> list[Path]:
    """The bundled SPARQL queries (``ontology/queries/*.rq``), sorted by name."""
    return sorted(ontology_file(_QUERIES).glob("*.rq"))
