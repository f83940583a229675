"""The output folder: one build at a time, and a whole set of outputs or none.

A build holds ``OUTDIR/.lock`` (``flock``, not waiting) from start to end: a second build into
the same folder stops at once. Outputs are written into ``OUTDIR/.staging-<pid>/`` and renamed
into place together at the end, with Ctrl-C and SIGTERM held for those few renames, so the
folder always holds the complete set of one build. An output that is a folder (the Oxigraph
store) cannot be renamed onto the old one: the old is renamed aside first, then removed.
Leftovers of a build that was killed (staging folders, temporary files) are removed by the next build.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import InputError

LOCK = ".lock"
STAGING = ".staging-"
ASIDE = ".old"  # an output folder replaced or stale, set aside in the staging folder until removed


@contextmanager
def locked(outdir: Path) -> Iterator[None]:
    """Hold the build lock of ``outdir`` (an ``InputError`` if another build holds it)."""
    fd = os.open(outdir / LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise
            raise InputError(
                f"another kg build is writing to {outdir} (wait for it to finish, or choose another folder with -o)"
            ) from None
        remove_leftovers(outdir)
        yield
    finally:
        os.close(fd)


def remove_leftovers(outdir: Path) -> None:
    """Staging folders and temporary files of builds that were killed (we hold the lock: none is running)."""
    for staging in outdir.glob(STAGING + "*"):
        shutil.rmtree(staging, ignore_errors=True)
    extractions = outdir / ".cache" / "extractions"
    for tmp in chain_globs(outdir, extractions):
        tmp.unlink(missing_ok=True)


def chain_globs(outdir: Path, extractions: Path) -> Iterable[Path]:
    yield from outdir.glob(".*.tmp")
    if extractions.is_dir():
        yield from extractions.glob("*/.*.tmp")


def staging_path(outdir: Path) -> Path:
    """This build's staging folder (not yet made): known before it exists, so cleanup never misses it."""
    return outdir / f"{STAGING}{os.getpid()}"


def make_staging(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()


def publish(staging: Path, outdir: Path, names: Iterable[str], stale: Iterable[str]) -> None:
    """Move ``names`` from ``staging`` into ``outdir`` and remove the ``stale`` outputs of earlier builds,
    with Ctrl-C and SIGTERM held until all is done."""
    from .export import hold_interrupts

    with hold_interrupts():
        for name in names:
            if (staging / name).is_dir():  # a folder (the store) cannot replace a folder: the old one goes aside
                _set_aside(outdir / name, staging)
            os.replace(staging / name, outdir / name)
        for name in stale:
            if (outdir / name).is_dir():
                _set_aside(outdir / name, staging)
            else:
                with contextlib.suppress(FileNotFoundError):
                    (outdir / name).unlink()
        for old in staging.glob("*" + ASIDE):
            shutil.rmtree(old, ignore_errors=True)


def _set_aside(folder: Path, staging: Path) -> None:
    """Move an output folder into the staging folder, to be removed with it (or by the next build)."""
    with contextlib.suppress(FileNotFoundError):
        os.replace(folder, staging / (folder.name + ASIDE))


def check_outdir(outdir: Path) -> None:
    """Fail at once, before any parsing, when ``outdir`` is not a folder we can write in."""
    if outdir.exists() and not outdir.is_dir():
        raise InputError(f"output path is a file: {outdir} (give a folder for -o)")
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=outdir):
            pass
    except OSError as exc:
        raise unwritable_error(outdir, exc) from exc


def unwritable_error(outdir: Path, exc: OSError) -> InputError:
    reason = (exc.strerror or type(exc).__name__).lower()
    where = f" ({exc.filename})" if exc.filename and str(exc.filename) != str(outdir) else ""
    return InputError(f"cannot write to {outdir}: {reason}{where} (choose another folder with -o)")
