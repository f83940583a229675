"""What every ``kg`` command shares: errors as one line, SIGTERM as Ctrl-C, a progress bar."""

from __future__ import annotations

import functools
import signal
import sys
from collections.abc import Callable, Iterable

import click

from .errors import NewsgraphError, Terminated


def friendly(func: Callable) -> Callable:
    """Errors a user can cause become one line on stderr and a non-zero exit, no traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except NewsgraphError as exc:
            click.echo(f"kg: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("kg: interrupted; earlier outputs are left as they were", err=True)
            sys.exit(130)
        except Terminated:
            click.echo("kg: terminated; earlier outputs are left as they were", err=True)
            sys.exit(143)

    return wrapper


def _terminate(_signum: int, _frame: object) -> None:
    raise Terminated


def stop_on_sigterm() -> None:
    """SIGTERM stops a build as Ctrl-C does: workers ended, temporary files removed, exit 143."""
    if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _terminate)


def progress_bar(items: Iterable, total: int | None = None) -> Iterable:
    """A progress bar on stderr when it is a terminal; nothing otherwise."""
    if not sys.stderr.isatty():
        return items
    from tqdm import tqdm

    return tqdm(items, total=total, desc="articles", unit="article", file=sys.stderr, leave=False)
