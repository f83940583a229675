"""Stage 4: entity resolution — one entity per real-world thing across the whole corpus.

Mentions are grouped by gazetteer key when a gazetteer matched (so "U.S.", "America",
"Washington" and "American" all become the United States); other people are grouped by the
set of their name tokens (both name orders), and a surname alone joins the full name it
abbreviates in the same article (else in the corpus). Organisations are grouped by
normalised name and by acronyms introduced in parentheses. Claims are then rewritten onto
entity keys: a person acting in a policy stands for the state they serve.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache

from .datafiles import package_json
from .focus import focus_country
from .gazetteer import Gazetteer, entity_key, load_gazetteer
from .models import (
    ArticleExtraction,
    Entity,
    EntityType,
    KnowledgeBase,
    Mention,
    PolicyFact,
    RoleFact,
    Status,
)
from .personnames import FullNames, name_variants, part_of_name, tokens
from .policy_parties import bloc_pairs, fellow_members, focus_pair, members_named, membership_direction, policy_party
from .titles import canonical_titles


@lru_cache(maxsize=1)
def _spun_words() -> dict[str, str]:
    return {k: v for k, v in package_json("data/spun_synonyms.json").items() if not k.startswith("_")}


def unspin(name: str) -> str:
    """The name with words that text spinners substitute mapped back ("White Home" -> "White House")."""
    words = _spun_words()
    out = name.split()
    return " ".join(words.get(w.lower(), w) for w in out)


class Resolver:
    def __init__(self, extractions: list[ArticleExtraction], gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer
        self.extractions = extractions
        self.key_of: dict[tuple[str, int], str] = {}  # (article hash, mention start) -> entity key
        self.names: dict[str, Counter[str]] = defaultdict(Counter)
        self.articles: dict[str, set[str]] = defaultdict(set)
        self.types: dict[str, EntityType] = {}
        self._known: dict[str, object] = {}  # name -> the gazetteer's person of that name (or None)
        self._acronyms = self._find_acronyms()
        self._full_people = self._collect_full_people()
        self._same_person = self._oriented(name_variants(list(self._full_people.values())))
        self._full_names = FullNames(self._full_people)
        self._person_names: dict[frozenset[str], list[str]] | None = None

    # -- people ---------------------------------------------------------------------------
    def _collect_full_people(self) -> dict[frozenset[str], str]:
        """Multi-word person names: token set -> the first spelling seen (given-name order kept)."""
        people: dict[frozenset[str], str] = {}
        for ex in self.extractions:
            for m in ex.mentions:
                if m.type == EntityType.PERSON and not m.gazetteer_key and len(m.name.split()) >= 2:
                    people.setdefault(tokens(m.name), m.name)
        return people

    def _oriented(self, same: dict[frozenset[str], frozenset[str]]) -> dict[frozenset[str], frozenset[str]]:
        """A variant pair keeps the spelling the gazetteer knows."""
        out = {}
        for a, b in same.items():
            swap = self._known_person(self._full_people[a]) and not self._known_person(self._full_people[b])
            out[b if swap else a] = a if swap else b
        return out

    def _person_key(self, mention: Mention, article_people: list[frozenset[str]]) -> str:
        toks = tokens(mention.name)
        toks = self._same_person.get(toks, toks)
        hit = self._known_person(self._full_people.get(toks, mention.name))
        if hit:
            return hit[0].key
        has_initial = any(len(t) == 1 for t in toks)
        if toks in self._full_people and not has_initial:
            return entity_key(EntityType.PERSON, self._canonical_person(toks))
        # a part of a longer name: the surname alone, "Rapp-Hooper" for "Mira Rapp-Hooper"
        local = [p for p in article_people if part_of_name(toks, p)]
        pool = local or self._full_names.containing(toks)
        if len(set(pool)) == 1:
            return entity_key(EntityType.PERSON, self._canonical_person(self._same_person.get(pool[0], pool[0])))
        if toks in self._full_people:
            return entity_key(EntityType.PERSON, self._canonical_person(toks))
        return entity_key(EntityType.PERSON, mention.name)

    def _known_person(self, name: str):
        """The gazetteer's person of this name, also after a given name before it ("William Lai Ching-te")."""
        if name in self._known:  # names repeat across articles: each is looked up once
            return self._known[name]
        hit = self.gaz.lookup(name, EntityType.PERSON)
        words = name.split()
        if hit is None and len(words) >= 3:
            hit = self.gaz.lookup(" ".join(words[1:]), EntityType.PERSON)
        self._known[name] = hit
        return hit

    def _canonical_person(self, toks: frozenset[str]) -> str:
        """The name of a person known by these name tokens: the gazetteer's, else the first seen."""
        name = self._full_people.get(toks) or " ".join(sorted(toks))
        hit = self._known_person(name)
        if hit is None:
            hit = next((self.gaz.lookup(n, EntityType.PERSON) for n in self._gazetteer_names(toks)), None)
        return hit[0].label if hit else name

    def _gazetteer_names(self, toks: frozenset[str]) -> list[str]:
        # Indexed once: scanning every mention for every person made resolution quadratic.
        if self._person_names is None:
            self._person_names = defaultdict(list)
            for ex in self.extractions:
                for m in ex.mentions:
                    if m.type == EntityType.PERSON:
                        self._person_names[tokens(m.name)].append(m.name)
        return self._person_names.get(toks, [])

    # -- organisations --------------------------------------------------------------------
    def _find_acronyms(self) -> dict[str, str]:
        """ "Observer Research Foundation (ORF)" makes ORF another name of the foundation."""
        acronyms: dict[str, str] = {}
        for ex in self.extractions:
            text = ex.article.text
            for m in ex.mentions:
                if m.type != EntityType.ORGANIZATION:
                    continue
                after = text[m.end : m.end + 16]
                found = re.match(r"\s*\(([A-Z][A-Za-z&]{1,9})\)", after)
                if found:
                    acronyms[found.group(1)] = m.name
        return acronyms

    @staticmethod
    def _longer_org_name(name: str, article_orgs: list[str]) -> str | None:
        """ "Nippon" after "Nippon Steel": a short form of one longer organisation name in the article."""
        words = name.split()
        if len(words) > 2:
            return None
        longer = {o for o in article_orgs if o.split()[: len(words)] == words and len(o.split()) > len(words)}
        return longer.pop() if len(longer) == 1 else None

    def _org_key(self, mention: Mention, article_people: list[frozenset[str]], article_orgs: list[str]) -> str:
        name = self._acronyms.get(mention.name, mention.name)
        for candidate in (name, unspin(name)):
            hit = self.gaz.lookup(candidate, EntityType.ORGANIZATION) or self.gaz.lookup(candidate)
            if hit:
                return hit[0].key
        longer = self._longer_org_name(name, article_orgs)
        if longer:
            return self._org_key(Mention(mention.surface, longer, mention.type, mention.start, mention.end), [], [])
        # spaCy's small model often calls a politician an organisation ("Trump", "Ishiba")
        toks = tokens(name)
        if len(toks) <= 3 and any(toks <= p for p in article_people):
            return self._person_key(
                Mention(mention.surface, name, EntityType.PERSON, mention.start, mention.end), article_people
            )
        return entity_key(EntityType.ORGANIZATION, name)

    # -- all mentions ---------------------------------------------------------------------
    def resolve_mentions(self) -> None:
        key_of, articles, names, types = self.key_of, self.articles, self.names, self.types
        for ex in self.extractions:
            article_people = [
                tokens(m.name) for m in ex.mentions if m.type == EntityType.PERSON and len(m.name.split()) >= 2
            ]
            article_orgs = sorted({m.name for m in ex.mentions if m.type == EntityType.ORGANIZATION})
            content_hash = ex.article.content_hash
            for m in ex.mentions:
                key = m.gazetteer_key or self.key_for(m, article_people, article_orgs)
                key_of[(content_hash, m.start)] = key
                articles[key].add(content_hash)
                if m.via == "name":
                    names[key][m.name] += 1
                if key not in types:
                    types[key] = EntityType(key.split(":", 1)[0])

    def merge_same_iri(self) -> None:
        """Keys that would get the same IRI ("State", "STATE") are one entity: keep the commonest."""
        from .namespaces import entity_iri

        groups: dict[str, list[str]] = defaultdict(list)
        for key in self.types:
            kind, _, name = key.partition(":")
            groups[str(entity_iri(kind, name))].append(key)
        merged: dict[str, str] = {}
        for keys in groups.values():
            if len(keys) < 2:
                continue
            keep = max(keys, key=lambda k: (self.gaz.get(k) is not None, sum(self.names[k].values()), k))
            for other in keys:
                if other == keep:
                    continue
                self.names[keep].update(self.names.pop(other, Counter()))
                self.articles[keep] |= self.articles.pop(other, set())
                del self.types[other]
                merged[other] = keep
        if merged:  # one pass over the mentions for all merges, not one per merge
            for ref, key in self.key_of.items():
                if key in merged:
                    self.key_of[ref] = merged[key]

    def key_for(self, m: Mention, article_people: list[frozenset[str]], article_orgs: list[str]) -> str:
        if m.gazetteer_key:
            return m.gazetteer_key
        if m.type == EntityType.PERSON:
            return self._person_key(m, article_people)
        return self._org_key(m, article_people, article_orgs)

    def key(self, article: str, m: Mention) -> str:
        return self.key_of[(article, m.start)]

    # -- states behind people and bodies -----------------------------------------------------
    def state_of(self, key: str, person_states: dict[str, str]) -> str | None:
        if key.startswith("country:"):
            return key
        if key.startswith("person:"):
            return person_states.get(key) or self.gaz.state_of(key)
        return self.gaz.state_of(key)


def _person_states(roles: list[RoleFact], resolver: Resolver) -> dict[str, str]:
    """The state each person serves, from their strongest role at a state or state body."""
    best: dict[str, tuple[float, str]] = {}
    for r in roles:
        state = resolver.gaz.state_of(r.org) if not r.org.startswith("country:") else r.org
        if state is None and resolver.gaz.is_international(r.org):  # NATO's secretary general acts for NATO,
            state = getattr(resolver.gaz.get(r.org), "acts_for", None) or r.org  # the Commission's for the EU
        if state is None or r.status != Status.CURRENT:
            continue
        score = r.provenance.confidence
        if r.person not in best or score > best[r.person][0]:
            best[r.person] = (score, state)
    return {p: s for p, (_, s) in best.items()}


def resolve(extractions: Iterable[ArticleExtraction], gazetteer: Gazetteer | None = None) -> KnowledgeBase:
    extractions = list(extractions)
    resolver = Resolver(extractions, gazetteer or load_gazetteer())
    resolver.resolve_mentions()
    resolver.merge_same_iri()

    raw_roles: list[tuple[str, object, str | None, object]] = []
    for ex in extractions:
        a = ex.article.content_hash
        for claim in ex.roles:
            org = resolver.key(a, claim.org) if claim.org else None
            raw_roles.append((resolver.key(a, claim.person), claim, org, a))

    by_hash = {ex.article.content_hash: ex for ex in extractions}
    # First pass: roles whose organisation is named, to learn whom people serve.
    roles: list[RoleFact] = []
    for person, claim, org, _a in raw_roles:
        if org and not org.startswith("person:") and person.startswith("person:"):
            roles.append(RoleFact(person, claim.role, org, claim.status, claim.provenance))
    states = _person_states(roles, resolver)
    for person, claim, org, _a in raw_roles:
        if not person.startswith("person:"):
            continue
        if org is None or org.startswith("person:"):
            # "Trump's nominee for ..." serves Trump's state; a bare title, the person's own
            state = resolver.state_of(org, states) if org else resolver.state_of(person, states)
            factor = 0.8
            if state is None and org is None:
                # "Yeo Han-koo, the trade minister": most likely a minister of the country the
                # article is about; a guess, so its confidence stays below 0.5
                state, factor = focus_country(by_hash[_a], resolver, claim.provenance, person, states), 0.45
            if state and state != person:
                prov = claim.provenance
                weaker = replace(prov, confidence=round(prov.confidence * factor, 2))
                roles.append(RoleFact(person, claim.role, state, claim.status, weaker))

    # a person with only a bare title ("Finance Minister X") acts for the state their role was given
    guessed = {**_person_states(roles, resolver), **states}
    policies: list[PolicyFact] = []
    for ex in extractions:
        a = ex.article.content_hash
        for claim in ex.policies:
            actor_key, target_key = resolver.key(a, claim.actor), resolver.key(a, claim.target)
            actor = policy_party(actor_key, resolver, guessed)
            target = policy_party(target_key, resolver, guessed)
            if actor and claim.provenance.pattern == "focus_party":  # "talks with P": and the article's country
                policies += focus_pair(claim, actor, ex, resolver)
            elif actor and actor_key == target_key:  # "the AES meeting": its members meet
                policies += bloc_pairs(claim, actor, ex, resolver)
            elif actor and target and actor != target:
                actor, target = membership_direction(claim.policy, actor, target, resolver)
                prov = claim.provenance
                if any(k.startswith("person:") and k not in states for k in (actor_key, target_key)):
                    # the state of a person the articles give no office: their nationality, a weaker guess
                    prov = replace(prov, confidence=round(prov.confidence * 0.7, 2))
                policies.append(PolicyFact(actor, claim.policy, target, prov))
                policies += members_named(PolicyFact(actor, claim.policy, target, prov), claim, ex, resolver)

    policies += fellow_members(policies, resolver)
    roles = canonical_titles(_without_redundant_ties(roles, resolver))
    roles = _strongest(roles, lambda f: (f.person, f.role, f.org, f.status, f.provenance.article, f.provenance.start))
    policies = _strongest(policies, lambda f: (f.actor, f.policy, f.target, f.provenance.article, f.provenance.start))
    for fact in roles:
        resolver.articles[fact.person].add(fact.provenance.article)
        resolver.articles[fact.org].add(fact.provenance.article)
    for fact in policies:
        resolver.articles[fact.actor].add(fact.provenance.article)
        resolver.articles[fact.target].add(fact.provenance.article)
    entities = [_entity(key, resolver) for key in sorted(resolver.articles)]
    articles = tuple(ex.article for ex in extractions)
    return KnowledgeBase(articles, tuple(sorted(entities, key=lambda e: e.key)), tuple(roles), tuple(policies))


def _without_redundant_ties(roles: list[RoleFact], resolver: Resolver) -> list[RoleFact]:
    """An untitled tie says nothing new where the person has a title at the same place."""
    untitled = {"affiliated", "member"}
    titled = {(r.person, r.org) for r in roles if r.role not in untitled}
    titled |= {(r.person, resolver.gaz.state_of(r.org)) for r in roles if r.role not in untitled}
    return [r for r in roles if r.role not in untitled or (r.person, r.org) not in titled]


def _strongest(facts: list, key) -> list:
    """One fact per sentence: when two patterns find the same fact, keep the more confident."""
    best: dict = {}
    for fact in facts:
        k = key(fact)
        if k not in best or fact.provenance.confidence > best[k].provenance.confidence:
            best[k] = fact
    return list(best.values())


def _entity(key: str, resolver: Resolver) -> Entity:
    kind, _, name = key.partition(":")
    entry = resolver.gaz.get(key)
    seen = resolver.names.get(key, Counter())
    label = entry.label if entry else (max(seen, key=lambda n: (len(n.split()) >= 2, seen[n], n)) if seen else name)
    aliases = sorted({n for n in seen if n != label})
    return Entity(
        key=key,
        type=EntityType(kind),
        label=label,
        aliases=tuple(aliases),
        wikidata=entry.wikidata if entry else None,
        part_of=entry.part_of if entry and kind == "organization" else None,
        articles=tuple(sorted(resolver.articles.get(key, ()))),
    )
