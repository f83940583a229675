"""Policy claims about groups of states: a bloc's own meeting ("the AES ministerial meeting"),
an alliance listing its members ("the X Alliance includes A, B and C") and the mediators of a
meeting ("A and B met under the mediation of C and D").

The first two are claims of a bloc with itself; resolution (``kg.policy_parties.bloc_pairs``)
reads them as facts between the bloc's members that the article (or the sentence) names.
Word lists are in ``groups.json``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from ...models import Article, EntityType, Mention, PolicyClaim
from ..data import load_json, lower_set
from ..syntax import governing_verb, negated, np_mentions, provenance, subject
from .lexicon import PACKAGE, PolicyLexicon

if TYPE_CHECKING:  # resolution reads the group words without spaCy
    from spacy.tokens import Span, Token

    from ..mentions import MentionIndex


@dataclass(frozen=True)
class GroupWords:
    membership_verbs: frozenset[str]
    mediation_words: frozenset[str]
    mediator_preps: frozenset[str]
    engagement_key: str
    alliance_key: str
    max_bloc_members: int
    focus_keys: frozenset[str]
    pair_nouns: frozenset[str]
    pair_determiners: frozenset[str]
    company_words: frozenset[str]
    party_preps: frozenset[str]


@lru_cache(maxsize=1)
def group_words() -> GroupWords:
    data = load_json(PACKAGE, "groups.json")
    return GroupWords(
        membership_verbs=lower_set(data["membership_verbs"]),
        mediation_words=lower_set(data["mediation_words"]),
        mediator_preps=lower_set(data["mediator_prepositions"]),
        engagement_key=data["engagement_key"],
        alliance_key=data["alliance_key"],
        max_bloc_members=int(data["max_bloc_members"]),
        focus_keys=frozenset(data["focus_keys"]),
        pair_nouns=lower_set(data["pair_nouns"]),
        pair_determiners=lower_set(data["pair_determiners"]),
        company_words=lower_set(data["company_words"]),
        party_preps=lower_set(data["party_prepositions"]),
    )


def group_claims(
    sent: Span, article: Article, index: MentionIndex, lex: PolicyLexicon, found: list[PolicyClaim]
) -> list[PolicyClaim]:
    """Bloc meetings, alliances listing their members, and mediators of the meetings in ``found``
    (the claims already read off this sentence)."""
    words = group_words()
    conf = lex.patterns.confidence
    out: list[PolicyClaim] = []
    wanted = lex.forum_nouns | words.membership_verbs | words.mediation_words | words.company_words
    for tok in sent:
        lemma = tok.lemma_.lower()
        if lemma not in wanted:
            continue  # none of the words below: no need to look for a negation
        if negated(tok, governing_verb(tok), lex.negation):
            continue
        if tok.pos_ == "NOUN" and lemma in lex.forum_nouns:
            for bloc in _blocs((c for c in tok.children if c.dep_ in lex.modifier_deps), index):
                prov = provenance(article, sent, "bloc_forum", conf("bloc_forum"))
                out.append(PolicyClaim(bloc, words.engagement_key, bloc, prov))
        elif tok.pos_ == "VERB" and lemma in words.membership_verbs:
            listed = [m for c in tok.children if c.dep_ == "dobj" for m in np_mentions(c, index, core=True)]
            if len([m for m in listed if m.type == EntityType.COUNTRY]) < 2:
                continue
            for bloc in subject(tok, index):
                if bloc.type == EntityType.ORGANIZATION and _alliance_name(bloc.name, lex, words):
                    prov = provenance(article, sent, "bloc_members", conf("bloc_members"))
                    out.append(PolicyClaim(bloc, words.alliance_key, bloc, prov))
        elif lemma in words.mediation_words:
            out += _mediators(tok, sent, article, index, lex, found)
        elif lemma in words.company_words and tok.dep_ == "pobj" and tok.head.lower_ == "in":
            together = [m for p in tok.children if p.lower_ == "of" for o in p.children for m in np_mentions(o, index)]
            prov = provenance(article, sent, "presence", conf("presence"))
            pairs = [(x, y) for i, x in enumerate(together) for y in together[i + 1 :] if x.name != y.name]
            out += [PolicyClaim(x, words.engagement_key, y, prov) for x, y in pairs]
    return out


def _blocs(modifiers, index: MentionIndex) -> list[Mention]:
    """Organisations named before a meeting noun ("the AES ministerial meeting")."""
    return [m for t in modifiers for m in np_mentions(t, index, core=True) if m.type == EntityType.ORGANIZATION]


def _alliance_name(name: str, lex: PolicyLexicon, words: GroupWords) -> bool:
    """The bloc's own name is an alliance ("Alliance of Sahel States", "... Defence Pact")."""
    return any(lex.triggers.get(w.lower()) == words.alliance_key for w in name.split())


def _mediators(
    tok: Token, sent: Span, article: Article, index: MentionIndex, lex: PolicyLexicon, found: list[PolicyClaim]
) -> list[PolicyClaim]:
    words = group_words()
    if tok.pos_ == "VERB":
        mediators = subject(tok, index)
    else:
        mediators = [
            m
            for p in tok.children
            if p.dep_ in ("prep", "agent") and p.lower_ in words.mediator_preps
            for o in p.children
            if o.dep_ == "pobj"
            for m in np_mentions(o, index)
        ]
    parties = []
    for claim in found:
        if claim.policy == words.engagement_key and claim.provenance.start == sent.start_char:
            parties += [m for m in (claim.actor, claim.target) if m not in parties]
    out = []
    for mediator in mediators:
        for party in parties:
            if party.name != mediator.name and party not in mediators:
                prov = provenance(article, sent, "mediator", lex.patterns.confidence("mediator"))
                out.append(PolicyClaim(mediator, words.engagement_key, party, prov))
    return out


def lone_party(trigger: Token, verb: Token | None, index: MentionIndex, lex: PolicyLexicon) -> list[Mention]:
    """The one party a trigger of ``focus_keys`` names when it names only one ("talks last week
    with the Ukrainian president", "a visit to Beijing"): the other side is left to resolution,
    which takes the country the article is about. A person named with their country is that country."""
    words = group_words()
    key = lex.trigger_key(trigger)
    if key not in words.focus_keys:
        return []
    venues = frozenset(lex.venue_preps.get(key, ())) | lex.non_party_preps
    groups: list[list[Mention]] = []
    phrases = list(trigger.children)
    if trigger.pos_ == "NOUN" and verb is not None and trigger.head == verb:  # "held talks ... with P"
        phrases += [c for c in verb.children if c.dep_ == "prep"]

    def named(head: Token) -> list[Mention]:
        # the phrase is a name ("with Bolivian President P"), not "the American figure" or "NATO leaders"
        return np_mentions(head, index, core=True) if index.at(head.i) or head.pos_ == "PRON" else []

    for child in phrases:
        if child.dep_ in lex.modifier_deps:
            # "the ECOWAS summit" is a forum; "the Zelensky meeting" may be anyone's meeting with him
            groups.append([m for m in np_mentions(child, index, core=True) if m.type == EntityType.COUNTRY])
        elif child.dep_ in ("dobj", "dative", "poss"):
            groups.append(named(child))
        elif child.dep_ == "prep" and child.lower_ in words.party_preps and child.lower_ not in venues:
            groups += [named(o) for o in child.children if o.dep_ == "pobj"]
    if trigger.pos_ == "VERB" and all(index.at(c.i) or c.pos_ == "PRON" for c in trigger.children if c.dep_ == "nsubj"):
        groups.append(subject(trigger, index))
    groups = [g for g in groups if g]
    if len(groups) != 1:
        return []
    countries = {m.name: m for m in groups[0] if m.type == EntityType.COUNTRY}
    if len(countries) > 1 or not countries and len({m.name for m in groups[0]}) > 1:
        return []
    return list(countries.values())[:1] or groups[0][:1]


def pair_antecedent(tok: Token, index: MentionIndex, sentences: int = 2) -> list[Mention]:
    """ "both officials", "the two sides" with no name of their own: the last two countries (else
    people) named before them, in their sentence or the two before."""
    words = group_words()
    if tok.lemma_.lower() not in words.pair_nouns or not any(c.lower_ in words.pair_determiners for c in tok.children):
        return []
    if np_mentions(tok, index, core=True):
        return []
    doc, sent = tok.doc, tok.sent
    start = sent.start
    for _ in range(sentences):
        start = doc[start - 1].sent.start if start > 0 else start
    named: dict[int, Mention] = {}
    for j in range(tok.i - 1, start - 1, -1):  # nearest first
        hit = index.at(j)
        if hit:
            named[hit[0]] = hit[2]
    for kind in (EntityType.COUNTRY, EntityType.PERSON):
        distinct = list({m.name: m for m in named.values() if m.type == kind}.values())
        if len(distinct) >= 2:
            return distinct[:2]
    return []
