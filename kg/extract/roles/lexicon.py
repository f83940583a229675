"""The role family's lexicon (``roles.json``) and pattern table (``patterns.jsonl``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..data import PatternTable, load_json, lower_set, pattern_table

PACKAGE = "kg.extract.roles"


@dataclass(frozen=True)
class RoleLexicon:
    heads: frozenset[str]
    weak_heads: frozenset[str]
    rank: frozenset[str]
    domains: frozenset[str]
    connectors: frozenset[str]
    nominee_words: frozenset[str]
    status_former: frozenset[str]
    status_nominee: frozenset[str]
    org_links: frozenset[str]
    field_heads: frozenset[str]
    rank_only_before: dict[str, frozenset[str]]
    role_verbs: dict[str, str]
    state_titles: frozenset[str]
    org_words: frozenset[str]
    person_clause_verbs: frozenset[str]
    normalise: dict[str, str]
    not_title_words: frozenset[str]
    title_modifier_deps: frozenset[str]
    title_modifier_pos: frozenset[str]
    nominee_links: frozenset[str]
    country_field_links: frozenset[str]
    field_links: frozenset[str]
    role_verb_links: frozenset[str]
    now_links: frozenset[str]
    list_separators: frozenset[str]
    pronoun_possessives: frozenset[str]
    anaphor_nouns: frozenset[str]
    stance_prefixes: frozenset[str]
    counterpart_words: frozenset[str]
    group_verbs: frozenset[str]
    state_posts: frozenset[str]
    name_particles: frozenset[str]
    country_anaphors: frozenset[str]
    body_possessives: frozenset[str]
    subject_role_verbs: frozenset[str]
    title_words: frozenset[str]  # heads, domains and ranks, as listed: what the NER must not call a name
    patterns: PatternTable


def roles_data() -> dict:
    return load_json(PACKAGE, "roles.json")


@lru_cache(maxsize=1)
def role_lexicon() -> RoleLexicon:
    data = roles_data()

    def words(key: str) -> frozenset[str]:
        return lower_set(data[key])

    return RoleLexicon(
        heads=words("heads"),
        weak_heads=words("weak_heads"),
        rank=words("rank"),
        domains=words("domains") - words("domain_joiners"),
        connectors=words("connectors"),
        nominee_words=words("nominee_words"),
        status_former=words("status_former"),
        status_nominee=words("status_nominee"),
        org_links=words("org_links"),
        field_heads=words("field_heads"),
        rank_only_before={k: frozenset(v) for k, v in data["rank_only_before"].items()},
        role_verbs=dict(data["role_verbs"]),
        state_titles=words("state_titles"),
        org_words=words("org_words"),
        person_clause_verbs=words("person_clause_verbs"),
        normalise=dict(data["normalise"]),
        not_title_words=words("not_title_words"),
        title_modifier_deps=frozenset(data["title_modifier_deps"]),
        title_modifier_pos=frozenset(data["title_modifier_pos"]),
        nominee_links=words("nominee_links"),
        country_field_links=words("country_field_links"),
        field_links=words("field_links"),
        role_verb_links=words("role_verb_links"),
        now_links=words("now_links"),
        list_separators=frozenset(data["list_separators"]),
        pronoun_possessives=words("pronoun_possessives"),
        anaphor_nouns=words("anaphor_nouns"),
        stance_prefixes=words("stance_prefixes"),
        counterpart_words=words("counterpart_words"),
        group_verbs=words("group_verbs"),
        state_posts=words("state_posts"),
        name_particles=words("name_particles"),
        country_anaphors=words("country_anaphors"),
        body_possessives=words("body_possessives"),
        subject_role_verbs=words("subject_role_verbs"),
        title_words=words("heads") | words("domains") | words("rank"),
        patterns=pattern_table(PACKAGE),
    )


def is_head(tok, lex: RoleLexicon | None = None) -> bool:
    """A title word, singular or plural ("Ministers" is tagged a proper noun and keeps its s)."""
    heads = (lex or role_lexicon()).heads
    low = tok.lower_
    return low in heads or tok.lemma_.lower() in heads or low.endswith("s") and low[:-1] in heads
