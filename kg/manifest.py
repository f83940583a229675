"""The build manifest, ``OUTDIR/.cache/manifest.json``: what the last build read and wrote.

It records, as data (JSON, decoded and validated with ``msgspec``):

- ``salt``: the spaCy model's name and version and the extractor version (the cache's salt);
- ``builder``: a hash of every file of the ``kg`` package (code, data, templates) and of the
  ontology, so an edit to resolution, graph building or export counts as a change;
- ``files``: every input file, in input order, with the SHA-256 of its bytes;
- ``articles``: the distinct articles in the order they were resolved (content hash and the
  names of the files that hold it);
- ``formats`` and ``outputs``: the graph files written and the SHA-256 of each output (of the
  Oxigraph store folder, a stamp of its files' names, sizes and times: ``kg.store.folder_stamp``);
- ``entries``: a stamp (size, modification time, inode) of the articles' cache entries, so an
  entry edited or removed since (by hand, or by an attacker) is read and checked again;
- ``notices``: what the reader reported (skipped files, warnings), repeated by a build that
  finds nothing changed; ``summary``: the counts the CLI prints.

A build whose inputs, salt, builder, formats and outputs all match does nothing
(:func:`unchanged`). ``kg add`` reads ``articles`` to rebuild from the cached extractions.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources
from pathlib import Path

import msgspec

from .cache import CACHE_DIR
from .files import read_regular, recorded_name
from .resources import ontology_dir

MANIFEST = "manifest.json"
FORMAT = "newsgraph-manifest-1"
MAX_MANIFEST_BYTES = 512 * 1024 * 1024
BUILDER_FILES = ("*.py", "*.json", "*.jsonl", "*.html", "*.js", "*.css", "*.ttl", "*.rq")


class ArticleEntry(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    content_hash: str
    sources: tuple[str, ...]


class NoticeEntry(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    name: str
    reason: str
    skipped: bool


class Manifest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    format: str
    salt: str
    builder: str
    files: tuple[tuple[str, str], ...]  # (absolute path, sha256 of its bytes), in input order
    articles: tuple[ArticleEntry, ...]
    formats: tuple[str, ...]
    outputs: dict[str, str]  # file name in OUTDIR -> sha256
    entries: str = ""  # ExtractionCache.stamp of the articles' cache entries
    notices: tuple[NoticeEntry, ...] = ()
    summary: dict[str, int] = {}


_DECODER = msgspec.json.Decoder(Manifest)


def manifest_path(outdir: Path) -> Path:
    return outdir / CACHE_DIR / MANIFEST


def read_manifest(outdir: Path) -> Manifest | None:
    """The manifest of ``outdir``; ``None`` when there is none or it cannot be used (then a build redoes everything)."""
    try:
        data, more = read_regular(manifest_path(outdir), MAX_MANIFEST_BYTES)
        manifest = None if more else _DECODER.decode(data)
    except (OSError, ValueError, msgspec.DecodeError, msgspec.ValidationError):
        return None
    return manifest if manifest is not None and manifest.format == FORMAT else None


def write_manifest(outdir: Path, manifest: Manifest) -> None:
    from .export import write_atomic

    try:
        write_atomic(manifest_path(outdir), msgspec.json.encode(manifest), durable=False)
    except OSError:  # a build without a manifest only redoes its work next time
        forget_manifest(outdir)


def forget_manifest(outdir: Path) -> None:
    """Remove the manifest (after a build that keeps none, e.g. ``--no-cache``)."""
    manifest_path(outdir).unlink(missing_ok=True)


def file_hash(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def fingerprint(paths: list[Path]) -> tuple[tuple[str, str], ...]:
    """(absolute path, sha256) of each file, and of its sidecar (``story.meta.json``: it dates
    the article) when it has one; a file that cannot be read gets an empty hash."""
    from .dates import sidecar_path

    found = []
    for path in paths:
        try:
            digest = file_hash(path)
            sidecar = sidecar_path(path)
            if sidecar.is_file():
                digest += "+" + file_hash(sidecar)
        except OSError:
            digest = ""
        found.append((recorded_name(str(path.absolute())), digest))  # not UTF-8: %XX, as JSON needs
    return tuple(found)


def output_hashes(outdir: Path, names: list[str]) -> dict[str, str]:
    """The SHA-256 of each output file; of a folder (the Oxigraph store), a stamp of its files."""
    from .store import folder_stamp

    return {name: folder_stamp(p) if (p := outdir / name).is_dir() else file_hash(p) for name in sorted(names)}


@lru_cache(maxsize=2)
def builder_version(package: Path | None = None) -> str:
    """A hash of every file of the ``kg`` package and of the ontology: any edit makes a build redo its work."""
    root = package or Path(str(resources.files("kg")))
    folders = [(root, "kg"), (Path(str(ontology_dir())), "ontology")]
    h = hashlib.sha256()
    for folder, label in folders:
        files = sorted({f for pattern in BUILDER_FILES for f in folder.rglob(pattern) if "__pycache__" not in f.parts})
        for f in files:
            h.update(f"{label}/{f.relative_to(folder).as_posix()}".encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def unchanged(manifest: Manifest | None, outdir: Path, salt: str, files: tuple, formats: tuple[str, ...]) -> bool:
    """Whether a build of ``files`` (their fingerprint) into ``outdir`` would write what is there already:
    same inputs, model, extractor, code and formats, outputs as written, cache entries untouched."""
    from .cache import ExtractionCache

    if manifest is None or (manifest.salt, manifest.files, manifest.formats) != (salt, files, formats):
        return False
    if manifest.builder != builder_version():
        return False
    cache = ExtractionCache.salted(outdir, salt)
    if manifest.entries != cache.stamp(entry.content_hash for entry in manifest.articles):
        return False
    try:
        return output_hashes(outdir, list(manifest.outputs)) == manifest.outputs
    except OSError:  # an output was removed
        return False
