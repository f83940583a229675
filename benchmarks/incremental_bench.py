"""Incremental builds, timed as whole processes: cold build, unchanged rebuild, ``kg add``.

    .venv/bin/python benchmarks/incremental_bench.py                     # 120 and 1,000 articles
    .venv/bin/python benchmarks/incremental_bench.py --articles 120

For each size N: N distinct articles (``build_bench.make_corpus``), then
- a cold ``kg build`` (cache on, empty output folder) and a second build on unchanged input;
- ``kg build`` of the N articles and 1 new one, into a copy of that output folder (a build
  after a change: it reads and parses only the new file); the copy is built once before, untimed:
  a copied cache has new inodes, and the first build in it checks every entry again;
- ``kg add OUT`` of 1 new article, with its peak memory (PSS of the process tree), and, as
  the floor any build of that article pays (spaCy and the model loaded, the article parsed,
  its graph written), a ``kg build`` of that article alone (``--no-cache --workers 1``): what
  ``kg add`` costs above it is what grows with the articles already in OUT;
- ``kg add OUT`` of a folder of 10 new articles (the 1 above and 9 more), and a check that the
  graph files then equal a ``kg build`` of both folders into a fresh folder (its cache a copy of
  OUT's, so that build parses nothing): byte-identical ``graph.ttl``, hence isomorphic graphs.

The page cache is written back (``sync``) before each timed step after the cold build, so the
writing-back of the step before is not charged to it. Prints a Markdown table and, with
``--json FILE``, writes the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_bench import KG, kg_build, make_corpus, seed_texts, timed  # noqa: E402


def new_articles(folder: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    seeds = seed_texts()
    for i in range(count):
        text = f"Added article number {i + 1} of {count}\n{seeds[(i + 3) % len(seeds)]}"
        (folder / f"added_{i + 1:03d}.txt").write_text(text, encoding="utf-8")


def settled(run):
    """``run()`` once the page cache is written back: the files of the step before (a cold build
    writes a thousand cache entries) are not charged to the one timed."""
    os.sync()
    return run()


def measure(size: int, work: Path) -> dict:
    corpus, later, out = work / f"corpus-{size}", work / f"later-{size}", work / f"out-{size}"
    words = make_corpus(corpus, size)
    new_articles(later, 10)
    cold = timed(f"cold kg build, {size} articles", kg_build(corpus, out), words)
    unchanged = settled(lambda: timed(f"unchanged rebuild, {size} articles", kg_build(corpus, out), words))
    one = sorted(later.glob("*.txt"))[0]
    changed = work / f"changed-{size}"
    shutil.copytree(out, changed)
    # A copied cache has other inodes, so the manifest's stamp of its entries no longer holds and
    # a build rechecks them all once (reads every file, parses nothing); untimed, as after a move.
    settled(lambda: timed(f"first build in the copy of {size} (untimed)", kg_build(corpus, changed), words))
    after_change = settled(
        lambda: timed(f"kg build of {size} + 1 new, after a build", kg_build(corpus, changed) + [str(one)], 0)
    )
    add_one = settled(lambda: timed(f"kg add of 1 article into {size}", [*KG, "add", str(out), str(one), "-q"], 0))
    alone = work / f"alone-{size}"
    floor = settled(
        lambda: timed("kg build of that article alone", [*kg_build(one, alone), "--no-cache", "--workers", "1"], 0)
    )
    same_as_add = (changed / "graph.ttl").read_bytes() == (out / "graph.ttl").read_bytes()
    add_ten = settled(lambda: timed(f"kg add of 10 articles into {size}", [*KG, "add", str(out), str(later), "-q"], 0))
    full = work / f"full-{size}"
    shutil.copytree(out / ".cache" / "extractions", full / ".cache" / "extractions")
    timed(f"full kg build of {size} + 10 from the cache", kg_build(corpus, full) + [str(later)], 0)
    same = (out / "graph.ttl").read_bytes() == (full / "graph.ttl").read_bytes()
    return {
        "articles": size,
        "cold_s": cold.seconds,
        "cold_peak_mb": cold.peak_mb,
        "unchanged_s": unchanged.seconds,
        "unchanged_peak_mb": unchanged.peak_mb,
        "cold_over_unchanged": cold.seconds / unchanged.seconds,
        "build_after_change_s": after_change.seconds,
        "build_after_change_peak_mb": after_change.peak_mb,
        "build_after_change_equals_add": same_as_add,
        "add_1_s": add_one.seconds,
        "add_1_peak_mb": add_one.peak_mb,
        "one_alone_s": floor.seconds,
        "add_1_over_floor_s": add_one.seconds - floor.seconds,
        "add_10_s": add_ten.seconds,
        "add_10_peak_mb": add_ten.peak_mb,
        "add_equals_full_build": same,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", default="120,1000", help="corpus sizes, comma-separated (default: 120,1000)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="kg-incr-bench-"))
    try:
        results = [measure(int(n), work) for n in args.articles.split(",")]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    load_after = os.getloadavg()[0]
    print(f"load average before {load_before:.1f}, after {load_after:.1f}; {os.cpu_count()} cores\n")
    print(
        "| articles | cold build | unchanged rebuild | cold ÷ unchanged | `kg build` after 1 new | "
        "`kg add` 1 | that article alone | `kg add` 1 above it | `kg add` 10 | = full build |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in results:
        print(
            f"| {r['articles']:,} | {r['cold_s']:.1f} s ({r['cold_peak_mb']:.0f} MB) | {r['unchanged_s']:.2f} s "
            f"({r['unchanged_peak_mb']:.0f} MB) | {r['cold_over_unchanged']:.0f} | "
            f"{r['build_after_change_s']:.2f} s ({r['build_after_change_peak_mb']:.0f} MB"
            f"{'' if r['build_after_change_equals_add'] else ', DIFFERS from kg add'}) | {r['add_1_s']:.2f} s "
            f"({r['add_1_peak_mb']:.0f} MB) | {r['one_alone_s']:.2f} s | {r['add_1_over_floor_s']:.2f} s | "
            f"{r['add_10_s']:.2f} s ({r['add_10_peak_mb']:.0f} MB) | "
            f"{'byte-identical' if r['add_equals_full_build'] else 'DIFFERS'} |"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
