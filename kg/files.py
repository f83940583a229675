"""Opening input and cache files safely, and naming them.

Only regular files are read (a FIFO or a device could block or never end), and never more than
a limit; a file name that is not UTF-8 is given a lossless, printable form.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


def recorded_name(name: str) -> str:
    """``name`` as recorded in the graph and in messages: as written when it is UTF-8; otherwise
    each byte that is not UTF-8 becomes ``%XX`` (and ``%`` itself ``%25``), e.g. ``caf%E9.txt``."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        text = os.fsencode(name).replace(b"%", b"%25").decode("utf-8", "surrogateescape")
        return "".join(f"%{ord(c) - 0xDC00:02X}" if 0xDC80 <= ord(c) <= 0xDCFF else c for c in text)


def read_regular(path: Path, limit: int) -> tuple[bytes, bool]:
    """At most ``limit`` bytes of ``path``, and whether there was more.

    Only a regular file is read: a FIFO or a device raises ``ValueError`` without blocking
    (opened with ``O_NONBLOCK``, checked with ``fstat`` before any read).
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise ValueError(f"not a regular file ({_kind(mode)})")
        os.set_blocking(fd, True)
        with os.fdopen(os.dup(fd), "rb") as f:
            data = f.read(limit + 1)
    finally:
        os.close(fd)
    return data[:limit], len(data) > limit


def _kind(mode: int) -> str:
    kinds = {stat.S_ISFIFO: "a FIFO", stat.S_ISCHR: "a character device", stat.S_ISBLK: "a block device"}
    kinds |= {stat.S_ISSOCK: "a socket", stat.S_ISDIR: "a folder"}
    return next((name for test, name in kinds.items() if test(mode)), "not a file")
