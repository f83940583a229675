"""Parse helpers shared by the extractors: provenance, noun-phrase mentions, governing verbs,
negation and subjects. Word and label sets come from ``words.json`` and the family lexicons."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: resolution imports the word lists without spaCy
    from spacy.tokens import Span, Token

    from .mentions import MentionIndex

from ..gazetteer import load_gazetteer
from ..models import Article, EntityType, Mention, Provenance
from .data import shared_words
from .roles.lexicon import is_head


def provenance(article: Article, sent: Span, pattern: str, confidence: float) -> Provenance:
    return Provenance(
        article=article.content_hash,
        evidence=sent.text.strip(),
        start=sent.start_char,
        end=sent.start_char + len(sent.text.rstrip()),
        pattern=pattern,
        confidence=round(max(0.05, min(1.0, confidence)), 2),
    )


def mentions_in(tokens: list[Token], index: MentionIndex, exclude: set[int]) -> list[Mention]:
    seen: dict[int, Mention] = {}
    for tok in tokens:
        hit = index.at(tok.i)
        if hit and hit[0] not in exclude:
            seen.setdefault(hit[0], hit[2])
    return [seen[k] for k in sorted(seen)]


def np_mentions(
    tok: Token, index: MentionIndex, core: bool = False, skip_preps: frozenset[str] = frozenset()
) -> list[Mention]:
    """Mentions in the noun phrase headed by ``tok``, coordinated ones included.

    Clauses inside it are left out ("a deal that was meant to counter China"); with
    ``core`` so are its prepositional phrases ("her status as a neighbour to China"), and
    phrases opened by ``skip_preps`` always are ("a summit in Kuala Lumpur").
    """
    words = shared_words()
    tokens: list[Token] = []
    stack = [tok]
    while stack:
        t = stack.pop()
        tokens.append(t)
        for child in t.children:
            if child.dep_ in words.clause_deps or child.pos_ == "VERB" and child.dep_ != "amod":
                continue
            if core and child.dep_ not in words.core_deps or child.dep_ == "prep" and child.lower_ in skip_preps:
                continue
            if child.dep_ == "appos" and child.pos_ == "NOUN":
                continue  # "Pakistan's jets, a grievance in New Delhi": a comment, not a party
            stack.append(child)
    return mentions_in(sorted(tokens, key=lambda t: t.i), index, set())


def governing_verb(tok: Token) -> Token | None:
    verb_pos = shared_words().verb_pos
    cur = tok
    for _ in range(4):
        if cur.pos_ in verb_pos:
            return cur
        if cur.head == cur:
            return None
        cur = cur.head
    return None


@dataclass(frozen=True)
class Negation:
    """What makes a statement no fact: negation and hypothetical words (with the dependencies they
    must hang by), the marks of a conditional clause and the verbs of a reported denial."""

    negation_words: frozenset[str]
    negation_deps: frozenset[str]
    hypothetical: frozenset[str]
    hypothetical_deps: frozenset[str]
    conditional_marks: frozenset[str]
    denial_words: frozenset[str]
    denial_stop_deps: frozenset[str]


def negated(trigger: Token, verb: Token | None, lex: Negation) -> bool:
    """Negation, a hypothetical marker, a condition or a reported denial near the trigger."""
    for t in (trigger, verb):
        if t is None:
            continue
        for child in t.children:
            if child.dep_ == "neg" or child.lower_ in lex.negation_words and child.dep_ in lex.negation_deps:
                return True
            if child.lower_ in lex.hypothetical and child.dep_ in lex.hypothetical_deps:
                return True
    # a conditional clause ("if Washington imposed tariffs"), a reported denial or a failed event
    # ("failed to attend a meeting"); a denial does not reach into an adverbial clause
    # ("cancelled the meeting after Washington pressed Tokyo to spend more")
    denial_reaches = True
    cur = trigger
    while cur.head != cur:
        denial_reaches = denial_reaches and cur.dep_ not in lex.denial_stop_deps
        cur = cur.head
        if any(c.dep_ == "mark" and c.lower_ in lex.conditional_marks for c in cur.children):
            return True
        if denial_reaches and cur.lemma_.lower() in lex.denial_words:
            return True
    return False


def subject(verb: Token, index: MentionIndex, passive_head: bool = False) -> list[Mention]:
    """The mentions of a verb's subject, "he" and "the president" resolved to people named earlier."""
    words = shared_words()
    for child in verb.children:
        if passive_head and child.dep_ == "nsubjpass" and (found := np_mentions(child, index, core=True)):
            return found  # "Afghan and Pakistani delegations were set to meet"
        if child.dep_ in words.subject_deps and (found := state_antecedent(child, index)):
            return found  # "China said it will cut tariffs", "the kingdom pledged"
        if child.dep_ == "nsubj" and child.lower_ in words.personal_pronouns:
            person = index.person_before(child.i)  # "He imposed tariffs": the last person named
            return [person] if person else []
        if child.dep_ == "nsubj" and is_head(child) and not np_mentions(child, index, core=True):
            # "the president imposed tariffs": the person the article gave that title
            title = {t.lower_ for t in child.subtree if t.dep_ in words.title_subject_deps or t == child}
            person = index.titled_person(title, child.idx) if any(t.lower_ == "the" for t in child.children) else None
            return [person] if person else []
        if child.dep_ in words.subject_clause_deps:
            found = np_mentions(child, index, core=True) or [
                # "companies from Switzerland would invest", "a range of Japanese industries moved":
                # a subject with no name of its own acts for where it comes from or what it counts
                m
                for p in child.children
                if p.dep_ == "prep"
                and (
                    p.lower_ in words.origin_preps or p.lower_ == "of" and child.lemma_.lower() in words.quantity_nouns
                )
                for o in p.children
                for m in np_mentions(o, index, core=True)
            ]
            if (
                not found
                and verb.dep_ == "relcl"
                and any(t.lower_ in words.relative_subject_words for t in child.subtree)
            ):
                # "North Korea, whose missiles threaten Japan"; "the island, which relies on the U.S."
                return np_mentions(verb.head, index, core=True) or state_antecedent(verb.head, index)
            return found
    if verb.dep_ == "acl" and verb.head.pos_ == "NOUN":  # "its threat to invade": the noun's owner
        owners = [
            m
            for c in verb.head.children
            if c.dep_ == "poss"
            for m in np_mentions(c, index) or state_antecedent(c, index)
        ]
        infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
        if not owners and infinitive and verb.head.dep_ == "dobj":
            return subject(verb.head.head, index)  # "X signed a contract to buy gas": X buys
        return owners
    if verb.dep_ in words.subject_chain_deps and verb.head != verb:
        head = verb.head
        if head.pos_ == "ADP":  # "after announcing tariffs": the clause's subject acts
            if head.lower_ not in words.temporal_preps:
                return []
            head = head.head
        return subject(head, index, passive_head=True)
    return []


def subject_passive(verb: Token, index: MentionIndex) -> list[Mention]:
    for child in verb.children:
        if child.dep_ == "nsubjpass":
            return np_mentions(child, index, core=True)
    return []


def _state_like(m: Mention, bloc: bool) -> bool:
    if m.type == EntityType.COUNTRY:
        return not bloc
    return m.gazetteer_key is not None and load_gazetteer().is_international(m.gazetteer_key)


def state_antecedent(tok: Token, index: MentionIndex, window: int = 80) -> list[Mention]:
    """What "it", "its", "the kingdom" or "the bloc" stands for: the subject of the reporting verb
    whose clause it is in ("China said it will cut tariffs"; "they" only there), else the last
    country (or international body, for "the bloc") named before it, subjects first."""
    words = shared_words()
    lower = tok.lower_
    pronoun = tok.pos_ == "PRON" and (lower in words.state_pronouns or tok.lemma_.lower() in words.state_pronouns)
    definite = any(c.lower_ == "the" for c in tok.children) and not np_mentions(tok, index, core=True)
    bloc = definite and tok.lemma_.lower() in words.bloc_nouns
    if tok.lemma_.lower() in words.country_nouns and any(c.lower_ in words.personal_owners for c in tok.children):
        person = index.person_before(tok.i)  # "Lula said his country will apply tariffs"
        return [person] if person else []
    if not (pronoun or bloc or definite and tok.lemma_.lower() in words.country_nouns):
        return []
    if pronoun and tok.dep_ == "poss":  # "the US is calling on its allies": the clause's subject
        found = _clause_subject(tok, index, bloc)
        if found:
            return found
    clause = tok.head
    while clause.dep_ not in words.clause_deps and clause.head != clause:
        clause = clause.head
    if clause.dep_ == "ccomp":
        for child in clause.head.children:
            if child.dep_ == "nsubj":
                found = [m for m in np_mentions(child, index, core=True) if _state_like(m, bloc)]
                if found:
                    return found
    if pronoun and lower in {"they", "them", "their"}:
        return []
    candidates: list[tuple[bool, Mention]] = []
    for j in range(tok.i - 1, max(-1, tok.i - window), -1):
        hit = index.at(j)
        if hit and _state_like(hit[2], bloc) and (not candidates or candidates[-1][1] is not hit[2]):
            head = index.doc[hit[0] : hit[1]].root
            candidates.append((head.dep_ in words.subject_deps, hit[2]))
    subjects = [m for is_subject, m in candidates if is_subject] if pronoun else []
    return subjects[:1] or [m for _, m in candidates[:1]]  # "the island": the last country named


def _clause_subject(tok: Token, index: MentionIndex, bloc: bool) -> list[Mention]:
    """The state-like subject of the clause a possessive pronoun is in, through verb chains."""
    words = shared_words()
    cur = governing_verb(tok)
    for _ in range(3):
        if cur is None:
            return []
        for child in cur.children:
            if child.dep_ in words.subject_deps and tok not in child.subtree:
                mentions = np_mentions(child, index, core=True)
                found = [m for m in mentions if _state_like(m, bloc)]
                if not found and child.pos_ == "NOUN" and not bloc:  # "the Trump administration ... its allies"
                    found = [m for m in mentions if m.type == EntityType.PERSON][:1]
                if found:
                    return found
        if cur.dep_ not in words.subject_chain_deps or cur.head == cur:
            return []
        cur = cur.head
    return []


def object_person(tok: Token, index: MentionIndex) -> list[Mention]:
    """Whom "him" or "her" as an object stands for: the last person named before it who is not
    the subject of its own verb ("Mulino's statement came as Rubio met him")."""
    if tok.lower_ not in shared_words().object_pronouns or tok.dep_ not in ("dobj", "pobj", "dative"):
        return []
    verb = governing_verb(tok)
    own = {id(m) for m in (subject(verb, index) if verb is not None else [])}
    for j in range(tok.i - 1, max(-1, tok.i - 60), -1):
        hit = index.at(j)
        if hit and hit[2].type == EntityType.PERSON and id(hit[2]) not in own:
            return [hit[2]]
    return []
