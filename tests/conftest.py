"""Shared fixtures. Tests use the real spaCy model and real files; nothing of ours is mocked."""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
GOLD = ROOT / "tests" / "gold"
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
SHARED_GOLD = SHARED / "eval" / "gold"
SCORER = SHARED / "eval" / "score.py"

# A run started in the background by a script inherits SIGINT ignored, and so would every kg
# process the tests start (an ignored signal survives exec): the Ctrl-C tests need it delivered.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(scope="session")
def nlp():
    from kg.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def analyse(nlp):
    """Text -> ArticleExtraction, through the real pipeline."""
    from kg.extract import extract
    from kg.read import parse_article

    def run(text: str, name: str = "sample.txt"):
        article, _ = parse_article(name, ("Sample headline for a test article\n" + text).encode("utf-8"))
        return extract(nlp(article.text), article)

    return run


@pytest.fixture(scope="session")
def corpus_build(tmp_path_factory):
    """The demo corpus built once for the session (graph.ttl and graph.html)."""
    from kg.pipeline import build

    out = tmp_path_factory.mktemp("corpus-build")
    return build([CORPUS], out)


@pytest.fixture(scope="session")
def corpus_gold() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD.glob("*.json"))]


def proc_stat(pid: int) -> list[str] | None:
    """The fields of ``/proc/PID/stat`` after the command name (state first), or None if gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def children(pid: int) -> list[int]:
    """The pids of the processes whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := proc_stat(int(entry.name))) and int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """The process exists and is not a zombie."""
    fields = proc_stat(pid)
    return fields is not None and fields[0] != "Z"
