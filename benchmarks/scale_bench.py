"""The stages after the parse on made-up extractions of many distinct people: does each grow
with the corpus, or faster? (In the seed-based benchmarks 1,000 articles name the same hundred
entities; real news names new people every day.)

    .venv/bin/python benchmarks/scale_bench.py                  # 500, 2,000 and 8,000 articles
    .venv/bin/python benchmarks/scale_bench.py --articles 2000,8000

Each article names three people (two people per article in the corpus, by full name) with a
role at an organisation or a country, and three country-policy-country facts; CPU seconds of
resolution, graph, page view, Turtle and page, in one process, the collector off as in a build.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import random
import time

from kg.export import turtle_bytes
from kg.export_html import page_html
from kg.gazetteer import load_gazetteer
from kg.graph import build_triples
from kg.models import Article, ArticleExtraction, EntityType, Mention, PolicyClaim, Provenance, RoleClaim, Status
from kg.pipeline import read_view
from kg.registry import policy_keys
from kg.resolve import resolve

SYLLABLES = ["ka", "ro", "mi", "ta", "ne", "shi", "lo", "va", "de", "an", "ur", "bel", "kin", "os", "ti", "pa"]
ROLES = ["minister", "president", "director", "spokesperson", "ambassador", "chair"]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def made_up_extractions(articles: int, seed: int = 7) -> list[ArticleExtraction]:
    rng = random.Random(seed)
    countries: dict[str, str] = {}
    for entry in load_gazetteer().ruler_entries():
        if entry.key.startswith("country:"):
            countries.setdefault(entry.text, entry.key.split("|")[0])
    people = [f"{_word(rng)} {_word(rng)}" for _ in range(2 * articles)]
    orgs = [f"{_word(rng)} {rng.choice(['Institute', 'Council', 'Agency', 'Bank'])}" for _ in range(articles // 2)]
    policies = sorted(policy_keys())
    return [_article(rng, a, people, orgs, countries, policies) for a in range(articles)]


def _article(rng: random.Random, a: int, people: list, orgs: list, countries: dict, policies: list):
    """One article: three people with a role each, three policy facts between countries."""
    names = sorted(countries)[:80]
    text, mentions, roles, facts = "", [], [], []

    def mention(name: str, kind: EntityType, key: str | None = None) -> Mention:
        nonlocal text
        found = Mention(name, name, kind, len(text), len(text) + len(name), key)
        text += name + " "
        mentions.append(found)
        return found

    for _ in range(3):
        person = mention(rng.choice(people), EntityType.PERSON)
        if rng.random() < 0.5:
            org = mention(rng.choice(orgs), EntityType.ORGANIZATION)
        else:
            name = rng.choice(names)
            org = mention(name, EntityType.COUNTRY, countries[name])
        text += "said. "
        roles.append((person, rng.choice(ROLES), org, person.start, len(text)))
    for _ in range(3):
        first, second = rng.sample(names, 2)
        actor = mention(first, EntityType.COUNTRY, countries[first])
        text += "acted on "
        target = mention(second, EntityType.COUNTRY, countries[second])
        text += ". "
        facts.append((actor, rng.choice(policies), target, actor.start, len(text)))
    digest = hashlib.sha1(text.encode()).hexdigest()

    def provenance(start: int, end: int) -> Provenance:
        return Provenance(digest, text[start:end], start, end, "made_up", round(rng.uniform(0.5, 0.95), 2))

    return ArticleExtraction(
        Article(digest, f"Article {a}", text, (f"a{a:05d}.txt",), f"2025-0{1 + a % 9}-1{a % 9}"),
        tuple(mentions),
        tuple(RoleClaim(p, r, o, Status.CURRENT, provenance(s, e)) for p, r, o, s, e in roles),
        tuple(PolicyClaim(x, p, y, provenance(s, e)) for x, p, y, s, e in facts),
    )


def measure(articles: int) -> dict[str, float]:
    extractions = made_up_extractions(articles)
    figures: dict[str, float] = {}
    gc.disable()
    try:
        start = time.process_time()
        knowledge = resolve(extractions)
        figures["resolution"] = time.process_time() - start
        start = time.process_time()
        graph = build_triples(knowledge)
        figures["graph"] = time.process_time() - start
        start = time.process_time()
        view = read_view(graph)
        figures["page view"] = time.process_time() - start
        start = time.process_time()
        turtle_bytes(graph)
        figures["Turtle"] = time.process_time() - start
        start = time.process_time()
        page_html(graph, view=view)
        figures["page"] = time.process_time() - start
    finally:
        gc.enable()
    figures["triples"] = len(graph)
    figures["entities"] = len(knowledge.entities)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", default="500,2000,8000", help="sizes, comma-separated")
    args = parser.parse_args()
    rows = [(int(n), measure(int(n))) for n in args.articles.split(",")]
    stages = ["resolution", "graph", "page view", "Turtle", "page"]
    print("| articles | entities | triples | " + " | ".join(stages) + " |")
    print("|---:" * (3 + len(stages)) + "|")
    for n, f in rows:
        cells = " | ".join(f"{f[s]:.2f} s" for s in stages)
        print(f"| {n:,} | {f['entities']:,.0f} | {f['triples']:,.0f} | {cells} |")


if __name__ == "__main__":
    main()
