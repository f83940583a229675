"""Made-up knowledge in our model, for measuring the HTML page at scale (``viz_bench.py``,
``tests/test_viz_browser.py``).

    from synthetic import synthetic_knowledge   # with benchmarks/ on sys.path
"""

from __future__ import annotations

import random

from kg.models import Article, Entity, EntityType, KnowledgeBase, PolicyFact, Provenance, RoleFact, Status


def synthetic_knowledge(entities: int, *, relations_per_entity: float = 2.0, seed: int = 7) -> KnowledgeBase:
    """A made-up corpus of ``entities`` entities and about ``relations_per_entity`` facts each.

    Mostly people holding roles in organisations, with countries acting on each other; the
    degree distribution is skewed (a few hubs) like real news. Deterministic for a seed.
    """
    rng = random.Random(seed)
    countries = max(2, entities // 20)
    organisations = max(1, entities // 5)
    people = max(1, entities - countries - organisations)
    article = Article("0" * 40, "Synthetic article", "Synthetic text.", ("synthetic.txt",))
    ents: list[Entity] = []
    for kind, count in (
        (EntityType.COUNTRY, countries),
        (EntityType.ORGANIZATION, organisations),
        (EntityType.PERSON, people),
    ):
        for i in range(count):
            ents.append(
                Entity(
                    f"{kind.value}:{kind.value.title()} {i:05d}",
                    kind,
                    f"{kind.value.title()} {i:05d}",
                    articles=(article.content_hash,),
                )
            )
    by_kind = {kind: [e.key for e in ents if e.type is kind] for kind in EntityType}
    policies = ("tariff", "alliance", "trade", "support", "security_threat", "investment")

    def hub(keys: list[str]) -> str:
        # Pareto-like choice: low indices are picked far more often.
        return keys[min(len(keys) - 1, int(rng.paretovariate(1.2)) - 1)]

    def prov(n: int) -> Provenance:
        return Provenance(
            article.content_hash,
            f"Synthetic evidence sentence {n}.",
            0,
            10,
            "synthetic",
            round(rng.uniform(0.5, 1.0), 2),
        )

    roles: list[RoleFact] = []
    facts: list[PolicyFact] = []
    target = int(entities * relations_per_entity)
    for person in by_kind[EntityType.PERSON]:  # everyone is connected at least once
        org = (
            rng.choice(by_kind[EntityType.ORGANIZATION])
            if rng.random() < 0.5
            else hub(by_kind[EntityType.ORGANIZATION])
        )
        roles.append(RoleFact(person, "Minister", org, Status.CURRENT, prov(len(roles))))
    for org in by_kind[EntityType.ORGANIZATION]:
        facts.append(PolicyFact(hub(by_kind[EntityType.COUNTRY]), "support", org, prov(len(facts))))
    while len(roles) + len(facts) < target:
        if rng.random() < 0.6:
            roles.append(
                RoleFact(
                    rng.choice(by_kind[EntityType.PERSON]),
                    rng.choice(("Adviser", "Director")),
                    hub(by_kind[EntityType.ORGANIZATION]),
                    Status.FORMER,
                    prov(len(roles)),
                )
            )
        else:
            actor, target_ = hub(by_kind[EntityType.COUNTRY]), rng.choice(by_kind[EntityType.COUNTRY])
            if actor != target_:
                facts.append(PolicyFact(actor, rng.choice(policies), target_, prov(len(facts))))
    return KnowledgeBase((article,), tuple(ents), tuple(roles), tuple(facts))
