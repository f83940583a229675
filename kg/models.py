"""Plain, frozen dataclasses that pass between the pipeline stages.

A spaCy ``Doc`` never leaves the NLP/extraction stages and rdflib appears only in the graph
and export stages: everything in between is one of these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class EntityType(str, Enum):
    PERSON = "person"
    ORGANIZATION = "organization"
    COUNTRY = "country"


class Status(str, Enum):
    CURRENT = "current"
    FORMER = "former"
    NOMINEE = "nominee"


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article: ``text`` is what the NLP stage reads; offsets point into it.

    ``published`` is the publication date as an ISO string of day, month or year precision
    ("2025-03-30", "2025-03", "2025"; see ``kg.dates``), ``None`` when nothing gives it.
    """

    content_hash: str
    title: str
    text: str
    sources: tuple[str, ...]
    published: str | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    """A name in an article, typed by NER and the gazetteers.

    ``gazetteer_key`` is set when a gazetteer entry matched ("country:Japan"); ``surface``
    is the text as written and ``name`` the normalised name (possessive and "the" removed).
    """

    surface: str
    name: str
    type: EntityType
    start: int
    end: int
    gazetteer_key: str | None = None
    via: str = "name"  # name | demonym | capital | metonym | acronym


@dataclass(frozen=True, slots=True)
class Provenance:
    article: str  # content hash of the article
    evidence: str
    start: int
    end: int
    pattern: str
    confidence: float
    # ISO dates of day, month or year precision ("2025-03-30", "2025-03", "2025"), set by
    # kg.extract.when only where the sentence gives them: when the fact happened, and for roles
    # the start ("since 2023") and end ("until 2024") of holding the role.
    date: str | None = None
    since: str | None = None
    until: str | None = None


@dataclass(frozen=True, slots=True)
class RoleClaim:
    """A person–role–organisation fact as found in one sentence, before resolution."""

    person: Mention
    role: str
    org: Mention | None
    status: Status
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class PolicyClaim:
    """A country–policy–country fact as found in one sentence, before resolution.

    ``actor`` may be a person ("Trump imposed tariffs"): resolution maps it to the state
    the person serves.
    """

    actor: Mention
    policy: str
    target: Mention
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class ArticleExtraction:
    article: Article
    mentions: tuple[Mention, ...]
    roles: tuple[RoleClaim, ...]
    policies: tuple[PolicyClaim, ...]


@dataclass(frozen=True, slots=True)
class Entity:
    """One real-world entity after resolution; ``key`` gives its stable IRI."""

    key: str
    type: EntityType
    label: str
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    part_of: str | None = None  # key of the state this body belongs to
    articles: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RoleFact:
    person: str  # entity key
    role: str  # the canonical title (kg/titles.py)
    org: str  # entity key
    status: Status
    provenance: Provenance
    stated: str = ""  # the title as the sentence wrote it, when it is not the canonical one


@dataclass(frozen=True, slots=True)
class PolicyFact:
    actor: str
    policy: str
    target: str
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """Everything the graph stage needs: resolved entities and facts, and the articles."""

    articles: tuple[Article, ...]
    entities: tuple[Entity, ...]
    roles: tuple[RoleFact, ...]
    policies: tuple[PolicyFact, ...]
    meta: dict[str, str] = field(default_factory=dict)
