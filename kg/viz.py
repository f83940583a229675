"""The interactive network as a library call: any graph file the project wrote -> one HTML page.

``kg viz`` and notebooks call :func:`render_graph_file`; ``kg build`` writes its
``graph.html`` with the same :func:`kg.export_html.write_html`. :func:`synthetic_knowledge`
makes large graphs in our model for measuring the page at scale.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from pathlib import Path

from .errors import InputError
from .export_html import SIZE_MEASURES, Selection, parse_types, write_html
from .models import Article, Entity, EntityType, KnowledgeBase, PolicyFact, Provenance, RoleFact, Status


def render_graph_file(
    graph_path: Path,
    output: Path,
    *,
    focus: str | None = None,
    depth: int = 1,
    types: Iterable[str] = (),
    size_by: str = "degree",
    title: str | None = None,
) -> tuple[int, int]:
    """Write ``output`` (HTML) for the graph in ``graph_path``; returns (entities, relations) drawn.

    ``types`` are entity types ("person", "organization", "country", or comma-separated lists
    of them); ``focus`` keeps one entity (label, alias or IRI) and what lies within ``depth``
    relations of it.
    """
    from .pipeline import load_graph

    if size_by not in SIZE_MEASURES:
        raise InputError(f"unknown --size-by {size_by!r} (use {' or '.join(SIZE_MEASURES)})")
    if depth < 0:
        raise InputError(f"--depth {depth}: give 0 or more relations")
    kinds = parse_types(types) or None
    check_output(output)
    graph = load_graph(Path(graph_path))
    selection = Selection(types=kinds, focus=focus, depth=depth) if kinds or focus else None
    try:
        return write_html(
            graph, output, title=title or f"newsgraph: {Path(graph_path).name}", selection=selection, size_by=size_by
        )
    except OSError as exc:
        raise InputError(
            f"cannot write {output}: {(exc.strerror or type(exc).__name__).lower()} (choose another file with -o)"
        ) from exc


def check_output(output: Path) -> None:
    """Fail before any work when ``output`` cannot be the page: a folder, or an unwritable place."""
    if output.is_dir():
        raise InputError(f"output path is a folder: {output} (give a file name such as {output / 'graph.html'})")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            f"cannot create the folder of {output}: {(exc.strerror or '').lower()} (choose another file with -o)"
        ) from exc


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
