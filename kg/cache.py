"""The extraction cache: one file per article under ``OUTDIR/.cache/``.

An entry is the pickled ``ArticleExtraction`` of one article, stored under a key made of the
article's content hash, the spaCy model's name and version, and the extractor version (a
hash of the source of every module and data file that shapes an extraction). Editing any of
them gives new keys, so stale entries are never read; they are simply left behind.

Entries are written atomically, so an interrupted build leaves the cache usable. A damaged or
unreadable entry counts as a miss.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import pickle
from dataclasses import replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .models import Article, ArticleExtraction
from .resources import ontology_dir

CACHE_DIR = ".cache"
# Modules outside the kg/extract package whose source decides what an extraction contains; every
# file of kg/extract (code, lexicons, patterns) and the gazetteers in kg/data are added below.
EXTRACTOR_MODULES = ("nlp.py", "gazetteer.py", "models.py", "registry.py")
EXTRACTOR_FILES = ("*.py", "*.json", "*.jsonl")
EXTRACTOR_ONTOLOGY = ("policies.ttl", "newsgraph.ttl")


@lru_cache(maxsize=4)
def extractor_version(package: Path | None = None) -> str:
    """A hash of the extractor's source and data (of ``package``, default ``kg``): any edit invalidates the cache."""
    root = package or Path(str(resources.files("kg")))
    extract = root / "extract"
    package_files = sorted(
        {f for pattern in EXTRACTOR_FILES for f in extract.rglob(pattern) if "__pycache__" not in f.parts}
    )
    files = [root / name for name in EXTRACTOR_MODULES] + package_files + sorted((root / "data").glob("*.json"))
    h = hashlib.sha256()
    for f in files:
        h.update(f.relative_to(root).as_posix().encode("utf-8") + b"\0" + f.read_bytes() + b"\0")
    for name in EXTRACTOR_ONTOLOGY:  # the policy keys and their symmetry
        h.update(name.encode("utf-8") + b"\0" + ontology_dir().joinpath(name).read_bytes() + b"\0")
    return h.hexdigest()[:16]


def model_version(model: str) -> str:
    """``lang_name-version`` of an installed spaCy pipeline, read from its meta.json without loading spaCy."""
    spec = importlib.util.find_spec(model) if model.isidentifier() else None
    folders = list(spec.submodule_search_locations or []) if spec else [model]
    for folder in folders:
        try:
            meta = json.loads((Path(folder) / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        return f"{meta.get('lang', 'en')}_{meta.get('name', model)}-{meta.get('version', '?')}"
    return model


class ExtractionCache:
    """Cached ``ArticleExtraction``s of one output folder, for one model and extractor version."""

    def __init__(self, outdir: Path, model_version: str, extractor: str | None = None) -> None:
        self.root = outdir / CACHE_DIR / "extractions"
        self.salt = f"{model_version}\0{extractor or extractor_version()}"
        self.hits = 0
        self.misses = 0

    def _path(self, content_hash: str) -> Path:
        key = hashlib.sha256(f"{content_hash}\0{self.salt}".encode()).hexdigest()
        return self.root / key[:2] / f"{key}.pickle"

    def get(self, article: Article) -> ArticleExtraction | None:
        """The cached extraction of ``article``, carrying this build's ``article`` (its sources may differ)."""
        try:
            with self._path(article.content_hash).open("rb") as f:
                cached = pickle.load(f)
        except FileNotFoundError:
            self.misses += 1
            return None
        except Exception:  # a damaged entry (truncated, or from an incompatible build): parse again
            self.misses += 1
            return None
        if not isinstance(cached, ArticleExtraction) or cached.article.text != article.text:
            self.misses += 1
            return None
        self.hits += 1
        return replace(cached, article=article)

    def put(self, extraction: ArticleExtraction) -> None:
        from .export import write_atomic

        data = pickle.dumps(extraction, protocol=pickle.HIGHEST_PROTOCOL)
        # A cache we cannot write only costs time on the next build.
        with contextlib.suppress(OSError):
            write_atomic(self._path(extraction.article.content_hash), data, durable=False)
