"""Measure how often each extraction pattern is right, to set ``kg/data/pattern_confidence.json``.

    .venv/bin/python benchmarks/calibrate_confidence.py corpus:tests/gold ../shared/seeds:../shared/eval/gold
    .venv/bin/python benchmarks/calibrate_confidence.py --write corpus:tests/gold ../shared/seeds:../shared/eval/gold

Each argument is ARTICLES:GOLD. Every qualified fact of the built graph is checked against
the gold facts of its corpus; the precision of a pattern, smoothed towards 0.5 with two
pseudo-counts, is the confidence the extractor gives it. Calibrate on development articles,
then read the confidence split of ``kg eval`` on held-out ones.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from rdflib.namespace import ORG

from kg.evaluate import Evaluator, _ordered, load_gold, role_words, roles_match
from kg.namespaces import NG
from kg.pipeline import build

TABLE = Path(__file__).resolve().parent.parent / "kg" / "data" / "pattern_confidence.json"


def tally(articles: Path, gold_dir: Path, counts: dict[str, list[int]]) -> None:
    graph = build([articles]).graph
    ev = Evaluator(graph, load_gold(gold_dir))
    gold = ev.gold
    for node in graph.subjects(predicate=NG.roleLabel):
        person, org = graph.value(node, ORG.member), graph.value(node, ORG.organization)
        words = role_words(str(graph.value(node, NG.roleLabel)), gold.country_words)
        ok = any(
            (p, o) in gold.roles
            and any(roles_match(role_words(g, gold.country_words), words) for g in gold.roles[(p, o)])
            for p in ev.ids(person)
            for o in gold.widen(ev.ids(org))
        )
        counts["role:" + str(graph.value(node, NG.pattern))][0 if ok else 1] += 1
    for node in graph.subjects(predicate=NG.actor):
        key = str(graph.value(graph.value(node, NG.policy), NG.directProperty)).rsplit("#", 1)[-1]
        actors, targets = (
            gold.widen(ev.ids(graph.value(node, NG.actor))),
            gold.widen(ev.ids(graph.value(node, NG.target))),
        )
        ok = any(_ordered(a, key, t) in gold.policies for a in actors for t in targets)
        counts["policy:" + str(graph.value(node, NG.pattern))][0 if ok else 1] += 1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sets", nargs="+", help="ARTICLES:GOLD pairs")
    ap.add_argument("--write", action="store_true", help=f"write {TABLE}")
    args = ap.parse_args()
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for pair in args.sets:
        articles, gold = pair.split(":", 1)
        tally(Path(articles), Path(gold), counts)
    table = {}
    print(f"{'pattern':40s} {'right':>6s} {'wrong':>6s} {'confidence':>10s}")
    for pattern, (right, wrong) in sorted(counts.items()):
        table[pattern] = round((right + 1) / (right + wrong + 2), 2)
        print(f"{pattern:40s} {right:6d} {wrong:6d} {table[pattern]:10.2f}")
    if args.write:
        data = {"_comment": __doc__.strip().splitlines()[0], **table}
        TABLE.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {TABLE}")


if __name__ == "__main__":
    main()
