"""The policy family's trigger lexicon (``triggers.json``) and pattern table (``patterns.jsonl``).

Valid policy keys and their symmetry come from the ontology through ``kg.registry``; a trigger
naming a key the ontology does not have is caught by the test suite, not here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

from ...registry import symmetric_policies
from ..data import PatternTable, load_json, lower_set, pattern_table
from ..syntax import Negation

PACKAGE = "kg.extract.policies"


@dataclass(frozen=True)
class PolicyLexicon:
    triggers: dict[str, str]
    phrases: dict[tuple[str, ...], str]
    symmetric: frozenset[str]
    actor_preps: dict[str, set[str]]
    always_actor_preps: frozenset[str]
    venue_preps: dict[str, set[str]]
    venue_exempt: frozenset[str]
    excluded_context: dict[str, frozenset[str]]
    forum_nouns: frozenset[str]
    person_parties_excluded: frozenset[str]
    non_party_preps: frozenset[str]
    mutual_preps: frozenset[str]
    spending_terms: tuple[tuple[str, ...], ...]
    spending_demand_key: str
    demand_words: frozenset[str]
    modal_demands: frozenset[str]
    demand_argument_deps: frozenset[str]
    negation: Negation
    trigger_pos: frozenset[str]
    modifier_deps: frozenset[str]
    target_deps: frozenset[str]
    passive_deps: frozenset[str]
    argument_deps: frozenset[str]
    verb_non_target_preps: frozenset[str]
    phrase_deps: frozenset[str]
    reversed_triggers: frozenset[str]
    noun_only: frozenset[str]
    authority_preps: frozenset[str]
    goods_keys: dict[str, frozenset[str]]
    ending_keys: frozenset[str]
    ending_verbs: frozenset[str]
    ending_verb_key: str
    commodity_nouns: frozenset[str]
    commodity_key: str
    commodity_from: frozenset[str]
    people_quarrel: frozenset[str]
    weak_target_preps: frozenset[str]
    agreement_nouns: frozenset[str]
    target_verbs: frozenset[str]
    destination_keys: frozenset[str]
    destination_preps: frozenset[str]
    patterns: PatternTable

    def trigger_key(self, tok: Token) -> str | None:
        return self.triggers.get(tok.lemma_.lower()) or self.triggers.get(tok.lower_) or self._ending(tok)

    def _ending(self, tok: Token) -> str | None:
        """ "ending the agreement with China", "suspended all trade": a verb ending a tie is a withdrawal."""
        if tok.pos_ != "VERB" or tok.lemma_.lower() not in self.ending_verbs:
            return None
        if any(c.dep_ == "dobj" and c.lemma_.lower() in self.agreement_nouns for c in tok.children):
            return self.ending_verb_key
        return None


def triggers_data() -> dict:
    return load_json(PACKAGE, "triggers.json")


@lru_cache(maxsize=1)
def policy_lexicon() -> PolicyLexicon:
    data = triggers_data()

    def words(key: str) -> frozenset[str]:
        return lower_set(data[key])

    return PolicyLexicon(
        triggers=dict(data["words"]),
        phrases={tuple(p.split()): k for p, k in data["phrases"].items()},
        symmetric=symmetric_policies(),
        actor_preps={k: set(v) for k, v in data["actor_prepositions"].items()},
        always_actor_preps=words("always_actor_prepositions"),
        venue_preps={k: set(v) for k, v in data["venue_prepositions"].items()},
        venue_exempt=words("venue_exempt"),
        excluded_context={k: frozenset(v) for k, v in data["excluded_context"].items()},
        forum_nouns=words("forum_nouns"),
        person_parties_excluded=words("person_parties_excluded"),
        non_party_preps=words("non_party_prepositions"),
        mutual_preps=words("mutual_prepositions"),
        spending_terms=tuple(tuple(t.split()) for t in data["spending_terms"]),
        spending_demand_key=data["spending_demand_key"],
        demand_words=words("demand_words"),
        modal_demands=words("modal_demands"),
        demand_argument_deps=frozenset(data["demand_argument_deps"]),
        negation=Negation(
            negation_words=words("negation_words"),
            negation_deps=frozenset(data["negation_deps"]),
            hypothetical=words("hypothetical_markers"),
            hypothetical_deps=frozenset(data["hypothetical_deps"]),
            conditional_marks=words("conditional_marks"),
            denial_words=words("denial_words"),
            denial_stop_deps=frozenset(data["denial_stop_deps"]),
        ),
        trigger_pos=frozenset(data["trigger_pos"]),
        modifier_deps=frozenset(data["modifier_deps"]),
        target_deps=frozenset(data["target_deps"]),
        passive_deps=frozenset(data["passive_deps"]),
        argument_deps=frozenset(data["argument_deps"]),
        verb_non_target_preps=words("verb_non_target_prepositions"),
        phrase_deps=frozenset(data["phrase_deps"]),
        reversed_triggers=words("reversed_triggers"),
        noun_only=words("noun_only_triggers"),
        authority_preps=words("authority_prepositions"),
        goods_keys={k: frozenset(v) for k, v in data["goods_keys"].items()},
        ending_keys=frozenset(data["ending_keys"]),
        ending_verbs=words("ending_verbs"),
        ending_verb_key=data["ending_verb_key"],
        commodity_nouns=words("commodity_nouns"),
        commodity_key=data["commodity_key"],
        commodity_from=frozenset(data["commodity_from"]),
        people_quarrel=words("people_quarrel_triggers"),
        weak_target_preps=words("weak_target_prepositions"),
        agreement_nouns=words("agreement_nouns"),
        target_verbs=words("target_verbs"),
        destination_keys=frozenset(data["destination_keys"]),
        destination_preps=words("destination_prepositions"),
        patterns=pattern_table(PACKAGE),
    )


def phrase_patterns(lex: PolicyLexicon) -> list[tuple[str, list[list[dict]]]]:
    """Multi-word triggers as ``Matcher`` patterns on lower-case tokens, the match id their order."""
    return [(str(n), [[{"LOWER": w} for w in phrase]]) for n, phrase in enumerate(lex.phrases)]


def spending_patterns(lex: PolicyLexicon) -> list[tuple[str, list[list[dict]]]]:
    return [(str(n), [[{"LOWER": w} for w in term]]) for n, term in enumerate(lex.spending_terms)]
