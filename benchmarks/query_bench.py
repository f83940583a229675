"""Time the three competency queries on a synthetic graph in our ontology, with rdflib and pyoxigraph.

The graph is made by ``kg.graph.build_graph`` from generated ``kg.models`` dataclasses (people,
organisations, countries, articles, role and policy facts with provenance), so it has exactly
the shape of a real build, and written once as N-Triples. Each engine then runs in its own
process: load the file, then run entities.rq, person_role_org.rq and country_policy_country.rq,
each timed and its rows counted; a query over ``--limit`` seconds is reported as such.

    .venv/bin/python benchmarks/query_bench.py --triples 1000000 --json /tmp/query-bench.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import subprocess
import sys
import time
from pathlib import Path

from kg.resources import ontology_file

QUERIES = ontology_file("queries")
COMPETENCY = ("entities.rq", "person_role_org.rq", "country_policy_country.rq")
POLICIES = (
    "alliance",
    "tariff",
    "trade_negotiation",
    "trade",
    "investment",
    "defence_spending_demand",
    "diplomatic_engagement",
    "security_threat",
    "support",
    "withdrawal",
)
ROLES = ("President", "Prime Minister", "Foreign Minister", "Secretary of Defense", "chief executive", "director")
# triples per fact (direct triple + 10 on the qualified node), per entity and per article, roughly
PER_FACT, PER_ENTITY, PER_ARTICLE = 11, 7, 4


def synthetic_knowledge(triples: int, seed: int = 7):
    from kg.models import Article, Entity, EntityType, KnowledgeBase, PolicyFact, Provenance, RoleFact, Status

    rng = random.Random(seed)
    n_articles = max(10, triples // 200)
    n_people, n_orgs, n_countries = max(10, triples // 500), max(5, triples // 2000), 200
    n_facts = max(10, (triples - n_articles * PER_ARTICLE - (n_people + n_orgs + n_countries) * PER_ENTITY) // PER_FACT)
    hashes = [hashlib.sha1(f"article {i}".encode()).hexdigest() for i in range(n_articles)]
    articles = tuple(
        Article(h, f"Synthetic article {i}", "", (f"synthetic/{i:07d}.txt",)) for i, h in enumerate(hashes)
    )

    def entities(kind: EntityType, prefix: str, count: int) -> list[Entity]:
        return [
            Entity(
                key=f"{kind.value}:{prefix} {i}",
                type=kind,
                label=f"{prefix} {i}",
                aliases=(f"{prefix[:3]}{i}", f"{prefix} number {i}"),
                articles=tuple(sorted(rng.sample(hashes, 3))),
            )
            for i in range(count)
        ]

    people = entities(EntityType.PERSON, "Person", n_people)
    orgs = entities(EntityType.ORGANIZATION, "Organisation", n_orgs)
    countries = entities(EntityType.COUNTRY, "Country", n_countries)

    def provenance(i: int) -> Provenance:
        start = rng.randrange(0, 5000)
        return Provenance(rng.choice(hashes), f"Synthetic evidence sentence number {i}.", start, start + 40, "p", 0.7)

    roles, policies = [], []
    for i in range(n_facts):
        if i % 2 == 0:
            holder = rng.choice(orgs + countries)
            roles.append(
                RoleFact(rng.choice(people).key, rng.choice(ROLES), holder.key, rng.choice(list(Status)), provenance(i))
            )
        else:
            actor, target = rng.sample(countries, 2)
            policies.append(PolicyFact(actor.key, rng.choice(POLICIES), target.key, provenance(i)))
    return KnowledgeBase(articles, tuple(people + orgs + countries), tuple(roles), tuple(policies))


def make_graph(path: Path, triples: int) -> int:
    from kg.graph import build_graph

    started = time.perf_counter()
    graph = build_graph(synthetic_knowledge(triples))
    graph.serialize(path, format="nt", encoding="utf-8")
    print(f"generated {len(graph):,} triples in {time.perf_counter() - started:.0f} s -> {path}", file=sys.stderr)
    return len(graph)


def run_engine(engine: str, path: Path) -> dict:
    """In this process: load ``path`` with ``engine`` and time each competency query."""
    from kg.query import execute, execute_oxigraph

    started = time.perf_counter()
    if engine == "oxigraph":
        import pyoxigraph

        store = pyoxigraph.Store()
        store.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.N_TRIPLES)
        run = lambda q: execute_oxigraph(store, q)  # noqa: E731
    else:
        from rdflib import Graph

        graph = Graph().parse(path, format="nt")
        run = lambda q: execute(graph, q)  # noqa: E731
    out = {"engine": engine, "load_s": round(time.perf_counter() - started, 2), "queries": {}}
    print(json.dumps(out), flush=True)
    for name in COMPETENCY:
        started = time.perf_counter()
        rows = len(run(str(QUERIES / name)).rows)
        out["queries"][name] = {"seconds": round(time.perf_counter() - started, 2), "rows": rows}
        print(json.dumps(out), flush=True)
    return out


def measure(engine: str, path: Path, limit: float) -> dict:
    """Run ``run_engine`` in a child process; what it finished before ``limit`` s is kept."""
    process = subprocess.Popen(
        [sys.executable, __file__, "--engine", engine, "--graph", str(path)], stdout=subprocess.PIPE, text=True
    )
    last = {"engine": engine, "queries": {}}
    try:
        out, _ = process.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        process.kill()
        out, _ = process.communicate()
        last["timed_out_after_s"] = limit
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if lines:
        last.update(json.loads(lines[-1]))
    return last


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--graph", type=Path, default=None, help="N-Triples file (made when missing)")
    parser.add_argument("--limit", type=float, default=1800, help="seconds per engine (load and the three queries)")
    parser.add_argument("--engine", choices=["rdflib", "oxigraph"], default=None, help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    if args.engine:  # the child process
        run_engine(args.engine, args.graph)
        return
    path = args.graph or Path(f"/tmp/kg-query-bench-{args.triples}.nt")
    triples = make_graph(path, args.triples) if not path.exists() else sum(1 for _ in path.open("rb"))
    report = {"triples": triples, "engines": [measure(e, path, args.limit) for e in ("oxigraph", "rdflib")]}
    for engine in report["engines"]:
        print(f"{engine['engine']:>9}: load {engine.get('load_s', '-')} s", end="")
        for name in COMPETENCY:
            q = engine["queries"].get(name)
            print(f"; {name} {q['seconds']} s ({q['rows']:,} rows)" if q else f"; {name} not finished", end="")
        print(f" (stopped after {engine['timed_out_after_s']:.0f} s)" if "timed_out_after_s" in engine else "")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
