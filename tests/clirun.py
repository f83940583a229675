"""The ``kg`` command run as a user runs it, for the tests: a real process, output captured.

Each test module keeps its own bound on how long a run may take (``timeout``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KG = [sys.executable, "-m", "kg.cli"]


def kg(*args: str, cwd: Path = ROOT, timeout: float = 600, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([*KG, *args], capture_output=True, text=True, cwd=cwd, timeout=timeout, **kwargs)


def ok(*args: str, timeout: float = 600) -> str:
    """The output of a run that must succeed (its stderr in the failure message)."""
    done = kg(*args, timeout=timeout)
    assert done.returncode == 0, done.stderr
    return done.stdout
