"""Policy parties at resolution: who acts in a policy (a state, a bloc, or the state a person or
body stands for), blocs acting for their members, and the direction of leaving a bloc."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import TYPE_CHECKING

from .focus import country_mentions
from .models import ArticleExtraction, PolicyClaim, PolicyFact

if TYPE_CHECKING:
    from .resolve import Resolver


def policy_party(key: str, resolver: Resolver, states: dict[str, str]) -> str | None:
    """Countries and international bodies act in policies; state bodies and people stand for their state."""
    if key.startswith("country:"):
        return key
    state = resolver.state_of(key, states)
    if state:
        return state
    entry = resolver.gaz.get(key)
    if entry is not None and entry.acts_for:
        return entry.acts_for  # the European Commission sets the European Union's tariffs
    if resolver.gaz.is_international(key):
        return key  # an international body (NATO, the Trans-Pacific Partnership)
    return None


def fellow_members(policies: list[PolicyFact], resolver: Resolver) -> list[PolicyFact]:
    """Members of one bloc that an article allies with it are allied with each other."""
    allied: dict[tuple[str, str], list[PolicyFact]] = defaultdict(list)
    for f in policies:
        if f.policy == "alliance" and f.actor in resolver.gaz.members_of(f.target):
            allied[(f.provenance.article, f.target)].append(f)
    out = []
    for facts in allied.values():
        for i, a in enumerate(facts):
            for b in facts[i + 1 :]:
                if a.actor != b.actor:
                    prov = replace(
                        a.provenance, confidence=round(min(a.provenance.confidence, b.provenance.confidence) * 0.8, 2)
                    )
                    out.append(PolicyFact(a.actor, "alliance", b.actor, prov))
    return out


def members_named(
    fact: PolicyFact, claim: PolicyClaim, ex: ArticleExtraction, resolver: Resolver, reach: int = 60
) -> list[PolicyFact]:
    """A bloc acts for the members named right after it: "the European Free Trade Association of
    Switzerland, Norway ... concluded negotiations with Mercosur" is each of them negotiating."""
    out = []
    for bloc, other, mention in ((fact.actor, fact.target, claim.actor), (fact.target, fact.actor, claim.target)):
        members = set(resolver.gaz.members_of(bloc)) - {other}
        if not members:
            continue
        after = sorted((m for m in ex.mentions if mention.end <= m.start), key=lambda m: m.start)
        named, end = [], mention.end
        for m in after:  # the run of member names that follows the bloc's name
            key = resolver.key(ex.article.content_hash, m)
            if m.start - end > reach or key not in members or m.via not in ("name", "acronym"):
                break
            named.append(key)
            end = m.end
        prov = replace(fact.provenance, pattern=fact.provenance.pattern + "_member")
        prov = replace(prov, confidence=round(prov.confidence * 0.8, 2))
        for member in named:
            pair = (member, other) if bloc == fact.actor else (other, member)
            out.append(PolicyFact(pair[0], fact.policy, pair[1], prov))
    return out


def membership_direction(policy: str, actor: str, target: str, resolver: Resolver) -> tuple[str, str]:
    """States leave blocs, not the reverse: "ECOWAS ... the withdrawal of Mali" is Mali leaving ECOWAS."""
    if policy == "withdrawal" and resolver.gaz.is_international(actor) and target.startswith("country:"):
        return target, actor
    return actor, target


def bloc_pairs(claim: PolicyClaim, bloc: str, ex: ArticleExtraction, resolver: Resolver) -> list[PolicyFact]:
    """A claim of a bloc with itself (``kg.extract.policies.groups``) is a fact between each pair
    of its members named: in the sentence when the bloc lists them ("includes A, B and C"), in
    the article when it is the bloc's own meeting (small blocs only)."""
    from .extract.policies.groups import group_words

    members = set(resolver.gaz.members_of(bloc))
    prov = claim.provenance
    if not members or prov.pattern == "bloc_forum" and len(members) > group_words().max_bloc_members:
        return []
    a = ex.article.content_hash
    in_sentence = prov.pattern != "bloc_forum"
    named = sorted(
        {
            key
            for m in ex.mentions
            if (key := resolver.key(a, m)) in members and (not in_sentence or prov.start <= m.start < prov.end)
        }
    )
    return [PolicyFact(x, claim.policy, y, prov) for i, x in enumerate(named) for y in named[i + 1 :]]


def focus_pair(claim: PolicyClaim, party: str, ex: ArticleExtraction, resolver: Resolver) -> list[PolicyFact]:
    """An engagement naming one party only (pattern ``focus_party``) is with the country the article
    names most often, when that country is named clearly more often than any other."""
    counts = country_mentions(ex, resolver, demonyms=False).most_common(2)
    if not counts or counts[0][1] < 2 or len(counts) > 1 and counts[1][1] == counts[0][1]:
        return []
    focus = counts[0][0]
    if focus == party or focus in resolver.gaz.members_of(party):
        return []  # "the ECOWAS summit" in an article about one of its members
    return [PolicyFact(focus, claim.policy, party, claim.provenance)]
