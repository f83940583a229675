"""Policy claims: trigger words and phrases of ``triggers.json`` whose actor and target are found
through the dependency parse, and demands to raise defence spending. Negated, hypothetical
and denied statements give nothing."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from ...models import Article, EntityType, Mention, PolicyClaim
from ..data import matcher, shared_words
from ..mentions import MentionIndex
from ..sentences import sentences
from ..syntax import governing_verb, negated, np_mentions, provenance, subject
from .arguments import arguments
from .groups import group_claims, lone_party
from .lexicon import PolicyLexicon, phrase_patterns, policy_lexicon, spending_patterns


def extract_policies(doc: Doc, article: Article, index: MentionIndex) -> list[PolicyClaim]:
    lex = policy_lexicon()
    reference = lex.patterns.row("reference")
    claims: list[PolicyClaim] = []
    for sent in sentences(doc):
        if not any(index.at(t.i) for t in sent):
            continue
        lowers = {t.lower_ for t in sent}
        for trigger, key in _triggers(sent, lex):
            if trigger.pos_ == "VERB" and lowers & lex.excluded_context.get(key, frozenset()):
                continue
            if key in lex.goods_keys and _goods_of(trigger, lex.goods_keys[key], lex):
                continue
            verb = governing_verb(trigger)
            if negated(trigger, verb, lex.negation):
                continue
            pairs = arguments(trigger, verb, key, index, lex)
            for party in [] if pairs else lone_party(trigger, verb, index, lex):
                prov = provenance(article, sent, "focus_party", lex.patterns.confidence("focus_party"))
                claims.append(PolicyClaim(party, key, party, prov))  # the other side: the article's country
            for actor, target, pattern, confidence in pairs:
                actor, target = _own_state(actor, index), _own_state(target, index)
                if actor.name == target.name:
                    continue
                if trigger.lemma_.lower() in lex.reversed_triggers:
                    actor, target = target, actor  # "India's reliance on Russian arms"
                if actor.start < sent.start_char:  # "he", "the president": resolved
                    pattern, confidence = pattern + reference["suffix"], reference["confidence"]
                claims.append(PolicyClaim(actor, key, target, provenance(article, sent, pattern, confidence)))
        claims += group_claims(sent, article, index, lex, claims)
        claims += _spending_demands(sent, article, index, lex)
    return claims


def _triggers(sent: Span, lex: PolicyLexicon) -> list[tuple[Token, str]]:
    found: dict[int, tuple[Token, str]] = {}
    keys = list(lex.phrases.values())
    phrases = matcher(sent.doc.vocab, "policy_phrases", lambda: phrase_patterns(lex))
    strings = sent.doc.vocab.strings
    # in the lexicon's order, so a later phrase with the same root wins as it always has
    for n, start, end in sorted((int(strings[m]), s, e) for m, s, e in phrases(sent)):
        span = sent[start:end]
        found[span.root.i] = (span.root, keys[n])
    for tok in sent:
        if _in_name(tok):
            continue  # "the Alliance of Sahel States" is a name, not an alliance
        key = lex.trigger_key(tok)
        if key in lex.commodity_from and any(
            c.dep_ == "dobj" and c.lemma_.lower() in lex.commodity_nouns for c in tok.children
        ):
            key = lex.commodity_key  # "supply gas to Slovakia"
        if key and tok.lemma_.lower() in lex.noun_only:
            # "a partnership deal": the kind of deal is the policy
            key = next((k for c in tok.children if c.dep_ == "compound" and (k := lex.trigger_key(c))), key)
        if tok.lemma_.lower() in lex.noun_only and (
            tok.pos_ != "NOUN" or not any(c.dep_ in {"det", "poss"} for c in tok.children)
        ):
            continue
        if key and tok.i not in found and tok.pos_ in lex.trigger_pos:
            found[tok.i] = (tok, key)
    return [found[i] for i in sorted(found)]


def _spending_demands(sent: Span, article: Article, index: MentionIndex, lex: PolicyLexicon) -> list[PolicyClaim]:
    """ "X pushed Japan to raise its defence spending", "calls for ... defence expenditure by X"."""
    terms = matcher(sent.doc.vocab, "spending_terms", lambda: spending_patterns(lex))
    strings = sent.doc.vocab.strings
    found = sorted((int(strings[m]), s, e) for m, s, e in terms(sent))
    if not found:
        return []
    term_at = sent[found[0][2] - 1]  # the first term of the lexicon found, its first occurrence
    demand = next((t for t in sent if t.lemma_.lower() in lex.demand_words), None)
    if demand is None:
        return []
    if negated(demand, governing_verb(demand), lex.negation):
        return []
    actors = subject(demand, index) if demand.pos_ in shared_words().verb_pos else []
    targets: list[Mention] = []
    for child in demand.children:
        if child.dep_ in lex.demand_argument_deps and child.pos_ != "PRON":
            found = np_mentions(child, index)
            if child.dep_ == "dobj" or demand.lemma_.lower() in lex.modal_demands:
                targets += found
    for clause in demand.children:  # "demanded that Taiwan increase defense spending"
        if clause.dep_ == "ccomp" and not targets:
            targets += [m for c in clause.children if c.dep_ == "nsubj" for m in np_mentions(c, index)]
    for t in term_at.children:
        if t.dep_ == "poss":
            targets += np_mentions(t, index)
    for t in sent:
        if t.lower_ == "by" and t.head.i <= demand.i + 12:
            actors = actors or [m for obj in t.children for m in np_mentions(obj, index)]
    if demand.lemma_.lower() in lex.modal_demands:
        speaker = next((t for t in sent if t.dep_ == "ROOT"), None)
        actors = subject(speaker, index) if speaker is not None else []
        targets = targets or subject(demand.head, index)
    claims = []
    for actor in actors[:1]:
        for target in targets:
            if actor.name != target.name:
                claims.append(
                    PolicyClaim(
                        actor,
                        lex.spending_demand_key,
                        target,
                        provenance(article, sent, "spending_demand", lex.patterns.confidence("spending_demand")),
                    )
                )
    return claims


def _goods_of(trigger: Token, holders: frozenset[str], lex: PolicyLexicon) -> bool:
    """ "tariffs on US imports", "apply tariffs on US imports": the goods a tariff is laid on."""
    if trigger.pos_ != "NOUN" or trigger.dep_ != "pobj" or trigger.head.dep_ != "prep":
        return False
    holder = trigger.head.head
    near = [holder, *(c for c in holder.children if c.dep_ == "dobj")]
    return any(lex.trigger_key(t) in holders for t in near)


def _in_name(tok: Token) -> bool:
    """A word of an organisation's name (NER or gazetteer) with more than one word.

    Read off the entity tags of the token and the next one (``doc.ents`` builds every span of
    the document: once per token, that was a quarter of all extraction time)."""
    if tok.ent_type_ != "ORG":
        return False
    nxt = tok.i + 1
    return tok.ent_iob_ == "I" or (nxt < len(tok.doc) and tok.doc[nxt].ent_iob_ == "I")


def _own_state(m: Mention, index: MentionIndex) -> Mention:
    """A person named with their country ("Austrian Chancellor Karl Nehammer", "Japan's Prime
    Minister Ishiba") acts for that country; anyone else stands for themselves."""
    if m.type != EntityType.PERSON:
        return m
    doc = index.doc
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return m
    root = span.root
    for i in range(span.start - 1, max(-1, span.start - 8), -1):
        tok = doc[i]
        if root not in tok.ancestors and tok.head != root:
            break
        hit = index.at(i)
        if hit and hit[2].type == EntityType.COUNTRY:
            return hit[2]
    return m
