"""``kg build --scheduler local:2`` against ``kg build --workers 1``: whole processes, one run.

    .venv/bin/python benchmarks/cluster_bench.py                # 120 articles
    .venv/bin/python benchmarks/cluster_bench.py --articles 300

The corpus is made as ``build_bench.py`` makes it (the seed articles, each copy with its own
title). Both builds run with ``--no-cache``, each timed from start to exit (the cluster's
start-up and the model loading in every worker included); the Turtle files are compared byte
for byte. The load average is printed: on a busy machine the speed-up shrinks.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_bench import kg_build, make_corpus, timed  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=120)
    parser.add_argument("--scheduler", default="local:2")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-cluster-bench-") as tmp:
        corpus = Path(tmp) / "articles"
        corpus.mkdir()
        words = make_corpus(corpus, args.articles)
        print(f"load average before: {os.getloadavg()[0]:.2f}")
        serial = timed(
            "kg build --workers 1", kg_build(corpus, Path(tmp) / "serial", "--workers", "1", "--no-cache"), words
        )
        cluster = timed(
            f"kg build --scheduler {args.scheduler}",
            kg_build(corpus, Path(tmp) / "cluster", "--scheduler", args.scheduler, "--no-cache"),
            words,
        )
        same = (Path(tmp) / "serial" / "graph.ttl").read_bytes() == (Path(tmp) / "cluster" / "graph.ttl").read_bytes()
        print(f"load average after: {os.getloadavg()[0]:.2f}")
    print("| run | seconds |\n|---|---:|")
    for run in (serial, cluster):
        print(f"| {run.name} | {run.seconds:.1f} |")
    print(f"speed-up: {serial.seconds / cluster.seconds:.2f}x; Turtle byte-identical: {same}")


if __name__ == "__main__":
    main()
