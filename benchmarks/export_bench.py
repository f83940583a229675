"""How fast are the graph writers? Turtle and N-Triples of a synthetic graph, each timed in this process.

    .venv/bin/python benchmarks/export_bench.py                  # about 1 M triples
    .venv/bin/python benchmarks/export_bench.py --entities 4000 --rdflib

The graph is ``kg.graph.build_graph`` of ``synthetic.synthetic_knowledge(ENTITIES)`` (40,000
entities give about 1,000,000 triples). Each writer runs twice and must give the same bytes;
the time is the faster run. ``--rdflib`` adds rdflib's ``longturtle`` (the writer before) and
``--oxigraph`` pyoxigraph's Turtle serialiser on the same triples (loaded from our N-Triples;
loading is not timed), for comparison.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def timed(write, graph) -> tuple[float, bytes]:
    best, data = float("inf"), b""
    for _ in range(2):
        start = time.perf_counter()
        out = write(graph)
        best = min(best, time.perf_counter() - start)
        if data and out != data:
            raise SystemExit(f"{write.__name__}: two runs gave different bytes")
        data = out
    return best, data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=40_000)
    parser.add_argument("--rdflib", action="store_true", help="also time rdflib's longturtle")
    parser.add_argument("--oxigraph", action="store_true", help="also time pyoxigraph's Turtle serialiser")
    args = parser.parse_args()

    from synthetic import synthetic_knowledge

    from kg.export import ntriples_bytes, turtle_bytes
    from kg.graph import build_graph

    start = time.perf_counter()
    graph = build_graph(synthetic_knowledge(args.entities))
    print(f"graph: {len(graph):,} triples, built in {time.perf_counter() - start:.1f} s")
    rows = []
    for name, write in (("Turtle (kg.export)", turtle_bytes), ("N-Triples (kg.export)", ntriples_bytes)):
        seconds, data = timed(write, graph)
        rows.append((name, seconds, len(data), hashlib.sha256(data).hexdigest()[:12]))
    if args.oxigraph:
        import pyoxigraph

        store = pyoxigraph.Store()
        store.load(ntriples_bytes(graph), format=pyoxigraph.RdfFormat.N_TRIPLES)

        def oxigraph_turtle(_graph) -> bytes:
            return store.dump(format=pyoxigraph.RdfFormat.TURTLE, from_graph=pyoxigraph.DefaultGraph())

        seconds, data = timed(oxigraph_turtle, graph)
        rows.append(("Turtle (pyoxigraph dump)", seconds, len(data), "-"))
    if args.rdflib:

        def longturtle(g) -> bytes:
            return g.serialize(format="longturtle", encoding="utf-8")

        start = time.perf_counter()
        data = longturtle(graph)
        rows.append(("Turtle (rdflib longturtle, 1 run)", time.perf_counter() - start, len(data), "-"))
    print("| writer | seconds | MB | triples/s | sha256 |")
    print("|---|---:|---:|---:|---|")
    for name, seconds, size, digest in rows:
        print(f"| {name} | {seconds:.2f} | {size / 1e6:.0f} | {len(graph) / seconds:,.0f} | {digest} |")


if __name__ == "__main__":
    main()
