"""Stage 0: which files a build reads. Inputs are article files, folders (searched
recursively), quoted globs and ``@LIST`` files; the result is a list of ``SourceFile``s in
input order that ``kg.read`` (or a cluster's workers) then read."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .files import recorded_name

SUFFIXES = (".txt", ".md", ".html", ".htm")


@dataclass(frozen=True)
class SourceFile:
    path: Path
    name: str  # as recorded in the graph: relative to the input folder, POSIX style, see recorded_name
    problem: str | None = None  # why it cannot be read (an unreadable folder), found before reading


def find_sources(inputs: Iterable[Path], exclude: Path | None = None) -> list[SourceFile]:
    """The article files named by ``inputs`` (files, or folders searched recursively).

    Files inside ``exclude`` (the output folder, when it lies in an input folder) are left out:
    a build must not read its own ``graph.html``. A folder that cannot be listed becomes a
    ``SourceFile`` with a ``problem``: the reader reports it like an unreadable file.
    """
    found: list[SourceFile] = []
    skip = exclude.resolve() if exclude is not None else None
    for given in expand_inputs(inputs):
        if not given.exists():
            raise InputError(f"input not found: {given} (give an article file or a folder of articles)")
        if given.is_dir():
            found += _folder_sources(given, skip)
        else:
            found.append(SourceFile(given, recorded_name(given.name)))
    if not found:
        shown = ", ".join(str(p) for p in inputs)
        raise InputError(f"no articles (*.txt, *.md, *.html) found in {shown}")
    return found


def expand_inputs(inputs: Iterable[Path]) -> list[Path]:
    """``inputs`` with globs expanded ("wire/2026-*/*.txt", "**" for any depth; sorted; article
    files and folders only) and list
    files read: ``@paths.txt`` names one article file, folder or glob per line (blank lines and
    ``#`` comments skipped; relative paths are relative to the list file)."""
    out: list[Path] = []
    for given in inputs:
        text = str(given)
        if text.startswith("@") and not given.exists():
            listing = Path(text[1:])
            try:
                lines = listing.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError) as exc:
                reason = getattr(exc, "strerror", None) or type(exc).__name__
                raise InputError(f"cannot read the list file {listing}: {reason} (give one path per line)") from None
            named = [Path(line.strip()) for line in lines if line.strip() and not line.lstrip().startswith("#")]
            out += expand_inputs(p if p.is_absolute() else listing.parent / p for p in named)
        elif not given.exists() and glob.has_magic(text):
            # As in a folder: article files only (no sidecars, no hidden files), and folders.
            matches = [
                m
                for m in sorted(glob.glob(text, recursive=True))
                if os.path.isdir(m) or Path(m).suffix.lower() in SUFFIXES
            ]
            if not matches:
                raise InputError(f"no file matches {text} (check the pattern; quote it so the shell leaves it to kg)")
            out += [Path(m) for m in matches]
        else:
            out.append(given)
    return out


def _folder_sources(root: Path, skip: Path | None) -> list[SourceFile]:
    files: list[Path] = []
    unreadable: list[SourceFile] = []

    def report(exc: OSError) -> None:
        folder = Path(exc.filename) if exc.filename else root
        name = recorded_name(folder.relative_to(root).as_posix()) + "/"
        unreadable.append(SourceFile(folder, name, problem=f"folder not readable: {exc.strerror or exc}"))

    for folder, dirs, names in os.walk(root, onerror=report):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (skip and _inside(here / d, skip)))
        for name in names:
            p = here / name
            if name.startswith(".") or p.suffix.lower() not in SUFFIXES or (skip and _inside(p, skip)):
                continue
            if p.is_file() or (p.exists() and not p.is_dir()):  # FIFOs and devices too: the reader names them
                files.append(p)
    sources = [SourceFile(p, recorded_name(p.relative_to(root).as_posix())) for p in sorted(files)]
    return sources + sorted(unreadable, key=lambda s: s.name)


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder)
