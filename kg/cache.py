"""The extraction cache: one file per article under ``OUTDIR/.cache/extractions/``.

An entry is data, never code: the ``ArticleExtraction`` of one article as JSON, decoded with
``msgspec`` into the frozen dataclasses of ``kg.models`` and validated field by field on load.
It is stored under a key made of the article's content hash, the spaCy model's name and
version, and the extractor version (a hash of the source of every module and data file that
shapes an extraction). The entry holds its own key and is used only when that key and the
article's text match: a forged entry, or one copied from another article, is a miss.

Entries are written atomically. A damaged, forged or unreadable entry, or anything that is not
a regular file, counts as a miss with a warning. When the disk fills up, no more entries are
written and the ones this build wrote are removed (``forget_written``), so they cannot keep the
next build from running.
"""

from __future__ import annotations

import errno
import hashlib
import importlib.util
import json
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from sys import intern

import msgspec

from .files import read_regular
from .models import Article, ArticleExtraction, Mention
from .resources import ontology_dir

CACHE_DIR = ".cache"
FORMAT = "newsgraph-extraction-1"
# Far above any real entry (a 200,000-character article and its facts); a bigger file is not ours.
MAX_ENTRY_BYTES = 16 * 1024 * 1024
# Modules outside the kg/extract package whose source decides what an extraction contains; every
# file of kg/extract (code, lexicons, patterns) and the gazetteers in kg/data are added below.
# First the NLP pipeline: nlp.py and the modules of the components it adds or speeds up.
EXTRACTOR_MODULES = (
    "nlp.py",
    "namecues.py",
    "attrmatch.py",
    "lemmas.py",
    "gazetteer.py",
    "models.py",
    "registry.py",
    "dates.py",
)
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


def cache_salt(model: str) -> str:
    """What every key of a build with ``model`` (a name) shares: the model's version and the extractor version."""
    return f"{model_version(model)}\0{extractor_version()}"


def entry_key(content_hash: str, salt: str) -> str:
    """The key of an article's entry: its content hash and the salt (model and extractor version)."""
    return hashlib.sha256(f"{content_hash}\0{salt}".encode()).hexdigest()


class Entry(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One cache file: the format, the key it was stored under, and the extraction."""

    format: str
    key: str
    extraction: ArticleExtraction


_DECODER = msgspec.json.Decoder(Entry)
_ENCODER = msgspec.json.Encoder()
_set = object.__setattr__  # on the frozen dataclasses just decoded, before anyone else sees them


def shared(extraction: ArticleExtraction, numbers: dict[int, int]) -> ArticleExtraction:
    """``extraction`` with one object for each repeated value: the decoder makes a new string for
    every name, key and pattern, and a new ``Mention`` for every claim's party, though an article
    repeats them. Shared, a thousand cached articles take 44 MB in place of 115 (``kg add``
    holds them all); ``numbers`` shares the offsets among the articles of one read."""
    mentions: dict[Mention, Mention] = {}

    def one(m: Mention) -> Mention:
        found = mentions.get(m)
        if found is not None:
            return found
        _set(m, "surface", intern(m.surface))
        _set(m, "name", intern(m.name))
        _set(m, "via", intern(m.via))
        if m.gazetteer_key is not None:
            _set(m, "gazetteer_key", intern(m.gazetteer_key))
        _set(m, "start", numbers.setdefault(m.start, m.start))
        _set(m, "end", numbers.setdefault(m.end, m.end))
        mentions[m] = m
        return m

    _set(extraction, "mentions", tuple(one(m) for m in extraction.mentions))
    evidence: dict[str, str] = {}
    for role in extraction.roles:
        _set(role, "person", one(role.person))
        _set(role, "role", intern(role.role))
        if role.org is not None:
            _set(role, "org", one(role.org))
    for policy in extraction.policies:
        _set(policy, "actor", one(policy.actor))
        _set(policy, "target", one(policy.target))
        _set(policy, "policy", intern(policy.policy))
    for claim in (*extraction.roles, *extraction.policies):
        p = claim.provenance
        _set(p, "article", intern(p.article))
        _set(p, "pattern", intern(p.pattern))
        _set(p, "evidence", evidence.setdefault(p.evidence, p.evidence))
    return extraction


def check_offsets(extraction: ArticleExtraction) -> None:
    """Every name and every piece of evidence must be the text at its offsets in the article: a fact
    made up in an edited entry, whose evidence the article does not hold, is not taken."""
    text, digest = extraction.article.text, extraction.article.content_hash
    claims = (*extraction.roles, *extraction.policies)
    mentions = [*extraction.mentions]
    mentions += [m for c in extraction.roles for m in (c.person, c.org) if m is not None]
    mentions += [m for c in extraction.policies for m in (c.actor, c.target)]
    for m in mentions:
        if text[m.start : m.end] != m.surface:
            raise ValueError(f"name {m.surface[:40]!r} is not in the article at {m.start}-{m.end}")
    for claim in claims:
        p = claim.provenance
        if p.article != digest or text[p.start : p.end] != p.evidence or not 0.0 <= p.confidence <= 1.0:
            raise ValueError(f"evidence {p.evidence[:40]!r} is not in the article at {p.start}-{p.end}")


class ExtractionCache:
    """Cached ``ArticleExtraction``s of one output folder, for one model and extractor version."""

    def __init__(self, outdir: Path, model_version: str, extractor: str | None = None) -> None:
        self.root = outdir / CACHE_DIR / "extractions"
        self.salt = f"{model_version}\0{extractor or extractor_version()}"  # as cache_salt gives it
        self.hits = 0
        self.misses = 0
        self.warnings: list[tuple[str, str]] = []  # (entry path, reason)
        self.full = False  # the disk filled up: no more entries are written
        self.written: list[Path] = []
        self._numbers: dict[int, int] = {}  # the offsets of the entries read (``shared``)

    @classmethod
    def salted(cls, outdir: Path, salt: str) -> ExtractionCache:
        """The cache of ``outdir`` for a salt (``cache_salt``) recorded earlier."""
        model, _, extractor = salt.partition("\0")
        return cls(outdir, model, extractor)

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def stamp(self, content_hashes: Iterable[str]) -> str:
        """A hash of the size and modification time of the entries of these articles ("" if one is
        missing): an entry edited, replaced or removed since gives another stamp, without reading it."""
        h = hashlib.sha256()
        for content_hash in content_hashes:
            try:
                st = self._path(entry_key(content_hash, self.salt)).stat()
            except OSError:
                return ""
            h.update(f"{content_hash} {st.st_size} {st.st_mtime_ns} {st.st_ino}\n".encode())
        return h.hexdigest()

    def get(self, article: Article) -> ArticleExtraction | None:
        """The cached extraction of ``article``, carrying this build's ``article`` (its sources may differ)."""
        extraction = self._read(article.content_hash, article.text, article)
        return None if extraction is None else replace(extraction, article=article)

    def stored(self, content_hash: str) -> ArticleExtraction | None:
        """The cached extraction of the article with ``content_hash``, read without its file
        (``kg add``): its text must still hash to ``content_hash``."""
        return self._read(content_hash, None)

    def _read(self, content_hash: str, text: str | None, article: Article | None = None) -> ArticleExtraction | None:
        key = entry_key(content_hash, self.salt)
        path = self._path(key)
        try:
            data, more = read_regular(path, MAX_ENTRY_BYTES)
            if more:
                raise ValueError(f"larger than {MAX_ENTRY_BYTES:,} bytes")
            entry = _DECODER.decode(data)
            if entry.format != FORMAT or entry.key != key:
                raise ValueError("stored under another key (copied or forged)")
            stored = entry.extraction.article.text
            if stored != text and (text is not None or hashlib.sha1(stored.encode()).hexdigest() != content_hash):
                raise ValueError("holds another article's text")
            if article is not None and entry.extraction.article.published != article.published:
                raise ValueError("the article's date changed: its facts are dated again")
            check_offsets(entry.extraction)
        except FileNotFoundError:
            self.misses += 1
            return None
        except (OSError, ValueError, msgspec.ValidationError, msgspec.DecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc).splitlines()[0]
            self.warnings.append((str(path), f"cache entry ignored and parsed again: {reason}"))
            self.misses += 1
            return None
        self.hits += 1
        return shared(entry.extraction, self._numbers)

    def put(self, extraction: ArticleExtraction) -> None:
        from .export import write_atomic

        if self.full:
            return
        key = entry_key(extraction.article.content_hash, self.salt)
        data = _ENCODER.encode(Entry(FORMAT, key, extraction))
        path = self._path(key)
        try:
            write_atomic(path, data, durable=False)  # removes its partial file on failure
        except OSError as exc:
            # A cache we cannot write only costs time on the next build; a full disk stops it.
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                self.full = True
                self.forget_written()
            return
        self.written.append(path)

    def forget_written(self) -> int:
        """Remove the entries this build wrote (to give the space back); how many were removed."""
        removed = 0
        for path in self.written:
            try:
                path.unlink()
                removed += 1
            except OSError:
                pass
        self.written.clear()
        return removed
