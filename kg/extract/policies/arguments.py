"""The acting and the targeted side of one policy trigger, read off the dependency parse."""

from __future__ import annotations

from spacy.tokens import Token

from ...models import EntityType, Mention
from ..data import shared_words
from ..mentions import MentionIndex
from ..syntax import np_mentions, object_person, state_antecedent, subject, subject_passive
from .groups import pair_antecedent
from .lexicon import PolicyLexicon


def arguments(
    trigger: Token, verb: Token | None, key: str, index: MentionIndex, lex: PolicyLexicon
) -> list[tuple[Mention, Mention, str, float]]:
    """(actor, target, pattern, confidence) pairs for one trigger, read off the parse.

    The acting side: the subject of a verb trigger, the owner of a noun trigger ("Russia's
    invasion", "U.S. tariffs"), a "by" agent, or a "from" source ("threats from China"). The
    targeted side: the object, or a prepositional phrase on the trigger or its verb.
    Coordinated subjects of a mutual policy are its parties ("Lula and Trump met").
    """
    words = shared_words()
    conf = lex.patterns.confidence
    is_verb = trigger.pos_ in words.verb_pos
    objects = [c for c in trigger.children if c.dep_ == "dobj"]
    ended: list[Mention] = []
    if is_verb and objects and all(is_trigger(c, lex) for c in objects):
        if key not in lex.ending_keys and any(lex.trigger_key(c) != key for c in objects):
            return []  # "supports the alliance": the object is the fact
        # "terminate diplomatic relations with Nauru": what is ended names the target;
        # "pledged aid to Ukraine": the verb and its object are one fact
        ended = [m for c in objects for m in np_mentions(c, index, skip_preps=lex.non_party_preps)]
    actor_preps = lex.actor_preps.get(key, set()) | lex.always_actor_preps
    venues = frozenset() if trigger.lemma_.lower() in lex.venue_exempt else frozenset(lex.venue_preps.get(key, ()))
    ignored = words.temporal_preps | venues | lex.non_party_preps

    def np(tok: Token, core: bool = False) -> list[Mention]:
        found = np_mentions(tok, index, core=core, skip_preps=venues | lex.non_party_preps)
        # "its invasion", "invade the island", "on the alliance's eastern front"
        return (
            found
            or state_antecedent(tok, index)
            or object_person(tok, index)
            or pair_antecedent(tok, index)
            or [m for c in tok.children if c.dep_ == "poss" for m in state_antecedent(c, index)]
        )

    passive = is_verb and any(c.dep_ in lex.passive_deps for c in trigger.children)
    owners: list[Mention] = []
    forums: list[Mention] = []
    modifiers: list[Mention] = []
    actors: list[Mention] = []
    targets: list[Mention] = []
    authorities: list[Mention] = []
    for_states: list[Mention] = []
    weak_targets: list[Mention] = []
    for child in trigger.children:
        if child.dep_ == "poss":
            found = np(child, core=True)
            owners += found
            if child.pos_ == "PRON":  # "its allies": a person found for "its" stands for a state
                for_states += found
        elif child.dep_ in lex.modifier_deps and child.tag_ == "VBN":
            continue  # "a US-brokered peace agreement": the broker is no party
        elif child.dep_ in lex.modifier_deps:
            found = np(child, core=True)
            if trigger.lemma_.lower() in lex.forum_nouns:  # "the BRICS summit": a forum, not a party
                forums += [m for m in found if m.type == EntityType.ORGANIZATION]
            modifiers += [m for m in found if m not in forums]
        elif child.dep_ in lex.target_deps:
            targets += np(child)
        elif child.dep_ in lex.phrase_deps:
            found = [m for obj in child.children if obj.dep_ == "pobj" for m in np(obj)]
            word = child.lower_
            if word in lex.authority_preps:
                authorities += _owners_in(child, index)
            elif child.dep_ == "agent" or word in actor_preps:
                actors += found
            elif word in lex.mutual_preps:
                modifiers += found
            elif word in lex.weak_target_preps and word not in ignored:
                weak_targets += found  # "support for Russia in the Ukraine war"
            elif word not in ignored:
                targets += found

    symmetric = key in lex.symmetric
    if symmetric and len(modifiers) >= 2:  # "the U.S.-Japan alliance"
        return [(modifiers[0], other, "compound_pair", conf("compound_pair")) for other in modifiers[1:]]
    targets = targets or [m for m in weak_targets if m not in actors + owners + modifiers]
    actors = actors or authorities
    if not is_verb and trigger.dep_ == "appos" and not targets:
        targets = np_mentions(trigger.head, index, core=True)  # "South Africa, its largest trading partner"
    if actors and owners:  # "Ukraine's invasion by Russia": the owner is the one acted on
        targets = targets or owners
    else:
        actors = actors or owners or _owner_through_of(trigger, index)
    if not is_verb and modifiers:
        if actors:
            targets = targets or modifiers
        else:
            actors = modifiers[:1]  # "U.S. tariffs", "US allies"
            targets = targets or modifiers[1:]
    if is_verb and not passive:
        actors = actors or subject(trigger, index)
    elif passive:
        targets = targets or subject_passive(trigger, index)
    elif verb is not None and _argument_of(trigger, verb, lex) and not is_trigger(verb, lex):
        # (a verb that is a trigger itself speaks for both: "withdrew from talks with Japan")
        actors += [m for c in verb.children if c.dep_ == "agent" for o in c.children for m in np(o)]
        # "its partnership with NATO": the owner "its" is the verb's subject, not the other party
        pronoun_owner = any(c.dep_ == "poss" and c.pos_ == "PRON" for c in trigger.children)
        as_role = trigger.dep_ == "pobj" and trigger.head.lower_ == "as"
        objects = [m for c in verb.children if c.dep_ == "dobj" and c != trigger for m in np(c)]
        if as_role and objects:
            # "identifying China as a military threat": the object is the actor, the subject the target
            return [(a, t, "trigger_as", conf("trigger_as")) for a in objects[:1] for t in subject(verb, index)]
        if verb.lemma_.lower() in lex.target_verbs and trigger.dep_ == "dobj":
            # "the EU faces a 20% tariff under Trump's formula", "exports facing a duty in Oman":
            # the subject is acted on; the phrases of the trigger or the verb name who acts
            faced = subject(verb, index)
            actors = actors or [m for m in targets if m not in faced]
            actors = actors or [
                m
                for p in verb.children
                if p.dep_ == "prep" and p.lower_ in lex.authority_preps
                for m in _owners_in(p, index)
            ]
            return [(a, t, "trigger_faced", conf("trigger_faced")) for a in actors for t in faced]
        if actors and not targets and not pronoun_owner:
            targets = subject(verb, index)  # "faced with threats from China, Japan ..."
        parties = [m for c in verb.children if c.dep_ == "nsubj" for m in np(c, core=True)]
        if symmetric and not targets and len(parties) >= 2:
            # "Rwanda and Congo signed a peace agreement": the coordinated subjects are the parties
            return [(parties[0], o, "coordinated_subjects", conf("coordinated_subjects")) for o in parties[1:]]
        actors = actors or subject(verb, index)
        if not targets:
            for child in verb.children:
                if child.dep_ == "prep" and child.lower_ not in ignored | lex.verb_non_target_preps:
                    targets += [m for obj in child.children if obj.dep_ == "pobj" for m in np(obj)]
            targets += objects
    elif verb is not None and not is_verb and not actors and not owners and not is_trigger(verb, lex):
        # "Li announced during a meeting with Correia e Silva": the speaker is the other party;
        # "Carney told Trump during a meeting": the speaker and the one spoken to
        speakers = subject(verb, index) or [
            m for c in verb.children if c.dep_ == "agent" for o in c.children for m in np(o)
        ]
        if not targets and symmetric and trigger.dep_ == "pobj" and trigger.head.head == verb:
            targets = [
                m
                for c in verb.children
                if c.dep_ in ("dobj", "dative")
                for m in np(c, core=True)
                if m.type == EntityType.PERSON  # the one spoken to, not what was said
            ]
        actors = [m for m in speakers if m not in targets] if targets else []
    targets = [m for m in targets if m not in forums] + [m for m in ended if m not in actors]
    if key in lex.destination_keys:
        # "tariffs on Vietnamese imports to the U.S.": the destination imposes them
        dest = _destinations(trigger, verb, index, lex)
        if dest:
            actors, targets = dest, [m for m in targets if m not in dest]
    if key in lex.person_parties_excluded:
        actors = [m for m in actors if m.type != EntityType.PERSON or m in for_states]
        targets = [m for m in targets if m.type != EntityType.PERSON]
    if trigger.lemma_.lower() in lex.people_quarrel:  # "Trump clashed with Zelensky": a quarrel
        actors = [m for m in actors if m.type != EntityType.PERSON]
        targets = [m for m in targets if m.type != EntityType.PERSON]
    pattern = "trigger_" + ("verb" if is_verb else "noun")
    if symmetric and len(actors) >= 2 and not owners and not targets:
        return [(actors[0], other, "coordinated_subjects", conf("coordinated_subjects")) for other in actors[1:]]
    return [(actor, target, pattern, conf(pattern)) for actor in actors for target in targets]


def is_trigger(tok: Token, lex: PolicyLexicon) -> bool:
    return lex.trigger_key(tok) is not None


def _argument_of(trigger: Token, verb: Token, lex: PolicyLexicon) -> bool:
    """The trigger is the verb's object ("imposed tariffs"), in a phrase on the verb ("met for
    talks"), or the head of such a phrase ("moved parts of their supply chains")."""
    tok = trigger
    for _ in range(2):
        if tok.head == verb and tok.dep_ in lex.argument_deps:
            return True
        if tok.dep_ == "pobj" and tok.head.head == verb and tok.head.lower_ not in shared_words().temporal_preps:
            return True
        if tok.dep_ == "pobj" and tok.head.lower_ == "of":
            tok = tok.head.head
            continue
        return False
    return False


def _owner_through_of(trigger: Token, index: MentionIndex) -> list[Mention]:
    """The owner of the noun a trigger completes with "of": "Trump's announcement of tariffs"."""
    if trigger.dep_ != "pobj" or trigger.head.lower_ != "of" or trigger.head.head.pos_ != "NOUN":
        return []
    head = trigger.head.head
    return [m for c in head.children if c.dep_ == "poss" for m in np_mentions(c, index, core=True)]


def _owners_in(prep: Token, index: MentionIndex) -> list[Mention]:
    """Possessors inside a prepositional phrase: "under Trump's reciprocal formula"."""
    objects = [o for o in prep.children if o.dep_ == "pobj"]
    return [m for o in objects for t in o.subtree if t.dep_ == "poss" for m in np_mentions(t, index, core=True)]


def _destinations(trigger: Token, verb: Token | None, index: MentionIndex, lex: PolicyLexicon) -> list[Mention]:
    """Mentions after "to"/"into" on the goods a trigger is about ("tariffs on X exports to the US"),
    or on the verb that imposes it ("imposes a tariff on X imports to the U.S.")."""
    found: list[Mention] = []
    if verb is not None and trigger.head == verb and any(c.dep_ == "prep" for c in trigger.children):
        for p in verb.children:
            if p.dep_ == "prep" and p.lower_ in lex.destination_preps:
                found += [m for o in p.children if o.dep_ == "pobj" for m in np_mentions(o, index, core=True)]
    for prep in trigger.children:
        for goods in (c for c in prep.children if c.dep_ == "pobj") if prep.dep_ == "prep" else ():
            for p in goods.children:
                if p.dep_ == "prep" and p.lower_ in lex.destination_preps:
                    found += [m for o in p.children if o.dep_ == "pobj" for m in np_mentions(o, index, core=True)]
    return found
