"""Where a title's organisation or holder stands outside its own phrase.

- ``his``/``her`` before a title: the title belongs to the state of the person meant
  ("Prime Minister P1 ... his former defence minister, P2").
- a noun phrase "the agency's", "the bank's" standing for an organisation named before.
- a group "led by" the person ("an Egyptian delegation led by Trade Minister X"): the
  group's nationality is the person's.
- "his Rwandan counterpart P": P holds the title of the person named before, in another state.
- a role verb with the person as subject ("P chairs the X Committee") or agent
  ("the X Committee, chaired by P").
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from ...gazetteer import load_gazetteer
from ...models import Article, EntityType, Mention, RoleClaim, Status
from ..mentions import MentionIndex
from ..syntax import provenance
from .lexicon import RoleLexicon


def pronoun_owner(doc: Doc, i: int, sent: Span, index: MentionIndex, lex: RoleLexicon) -> Mention | None:
    """What a possessive pronoun at token ``i`` stands for: "his"/"her", the last person named
    before it; "its", the last body or country before it in the sentence that is a subject."""
    low = doc[i].lower_
    if low in lex.pronoun_possessives:
        return index.person_before(i)
    if low not in lex.body_possessives:
        return None
    for j in range(i - 1, sent.start - 1, -1):
        hit = index.at(j)
        is_subject = hit is not None and doc[hit[0] : hit[1]].root.dep_ in {"nsubj", "nsubjpass"}
        if hit and hit[0] == j and hit[2].type != EntityType.PERSON and is_subject:
            return hit[2]
    return None


def named_antecedent(doc: Doc, i: int, sent: Span, index: MentionIndex, lex: RoleLexicon) -> Mention | None:
    """ "the agency's director": the last organisation before ``i`` whose name holds the noun;
    "the country's minister": the last country named before ``i``."""
    tok = doc[i]
    low = tok.lower_
    if tok.pos_ != "NOUN" or not tok.is_lower or low not in lex.anaphor_nouns | lex.country_anaphors:
        return None
    if i == 0 or doc[i - 1].lower_ != "the":
        return None
    for j in range(i - 1, -1, -1):
        hit = index.at(j)
        if hit and low in lex.country_anaphors and hit[2].type == EntityType.COUNTRY:
            return hit[2]
        if hit and hit[2].type == EntityType.ORGANIZATION and low in hit[2].name.lower().split():
            return hit[2]
    return None


def leading_group_state(doc: Doc, person_start: int, person_end: int, index: MentionIndex, lex: RoleLexicon):
    """ "an Egyptian delegation led by Minister X", "the Peruvian team includes ... Minister X": the
    country modifying the group the person leads or belongs to."""
    tok = doc[person_start:person_end].root
    for _ in range(8):
        if tok.pos_ in {"VERB", "AUX"} or tok.head is tok:
            break
        tok = tok.head
    lemma = tok.lemma_.lower()
    if lemma in lex.role_verbs and tok.dep_ in {"acl", "relcl"} and any(c.dep_ == "agent" for c in tok.children):
        return _country_modifier(tok.head, index)
    if lemma in lex.group_verbs:
        subject = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        return _country_modifier(subject, index) if subject is not None else None
    return None


def _country_modifier(noun: Token, index: MentionIndex) -> Mention | None:
    for child in noun.children:
        if child.dep_ in {"amod", "compound", "poss", "nmod"}:
            hit = index.at(child.i)
            if hit and hit[2].type == EntityType.COUNTRY:
                return hit[2]
    return None


def stance_prefix(doc: Doc, start: int, lex: RoleLexicon) -> bool:
    """ "pro-Russia leader": a country after "pro-"/"anti-" is a stance, not an employer."""
    return start >= 2 and doc[start - 1].text == "-" and doc[start - 2].lower_ in lex.stance_prefixes


def counterpart_claims(
    doc: Doc, sent: Span, article: Article, index: MentionIndex, lex: RoleLexicon, claims: list[RoleClaim]
) -> list[RoleClaim]:
    """ "Minister A and his Ugandan counterpart B": B holds A's title in the state named before the word."""
    out = []
    for tok in sent:
        if tok.lower_ not in lex.counterpart_words:
            continue
        hit = index.at(tok.i + 1)
        if not hit or hit[0] != tok.i + 1 or hit[2].type != EntityType.PERSON:
            continue
        state = None
        for j in range(tok.i - 1, max(sent.start, tok.i - 4) - 1, -1):
            found = index.at(j)
            if found and found[2].type == EntityType.COUNTRY:
                state = found[2]
                break
        if state is None:
            continue
        before = [c for c in claims if c.person.start < doc[tok.i].idx and c.provenance.pattern != "counterpart"]
        titled = [c for c in before if c.role not in {"affiliated", "member"} and c.person is not hit[2]]
        if not titled:
            continue
        model = max(titled, key=lambda c: c.person.start)
        conf = lex.patterns.confidence("counterpart")
        out.append(RoleClaim(hit[2], model.role, state, model.status, provenance(article, sent, "counterpart", conf)))
    return out


def subject_verb_roles(
    doc: Doc, sent: Span, article: Article, index: MentionIndex, lex: RoleLexicon
) -> list[RoleClaim]:
    """ "P chairs the X Committee" and "the X Committee, chaired by P": a role named by a verb
    whose person is its subject or agent and whose object is a named organisation."""
    claims = []
    for verb in sent:
        lemma = verb.lemma_.lower()
        title = lex.role_verbs.get(lemma)
        if title is None or lemma not in lex.subject_role_verbs or verb.pos_ != "VERB":
            continue
        person = org = None
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        if agent is not None and verb.dep_ in {"acl", "relcl"}:
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
            person = _mention(pobj, index, {EntityType.PERSON})
            org = _mention(verb.head, index, {EntityType.ORGANIZATION})
            before = index.at(verb.i - 1)
            if org is None and before and before[1] == verb.i and before[2].type == EntityType.ORGANIZATION:
                org = before[2]  # "a meeting of its Security Committee chaired by P": the parse hangs it on the meeting
        elif verb.tag_ in {"VBZ", "VBD"}:
            subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
            if subj is not None and doc[subj.i - 1].lower_ not in {"who"}:
                person = _mention(subj, index, {EntityType.PERSON})
            org = _mention(obj, index, {EntityType.ORGANIZATION})
        if person is None or org is None:
            continue
        status = Status.FORMER if verb.tag_ == "VBD" and verb.dep_ not in {"acl", "relcl"} else Status.CURRENT
        conf = lex.patterns.confidence("subject_role_verb")
        claims.append(RoleClaim(person, title, org, status, provenance(article, sent, "subject_role_verb", conf)))
    return claims


def _mention(tok: Token | None, index: MentionIndex, types: set[EntityType]) -> Mention | None:
    if tok is None:
        return None
    hit = index.at(tok.i)
    return hit[2] if hit and hit[2].type in types else None


def person_of_body(doc: Doc, sent: Span, article: Article, index: MentionIndex, lex: RoleLexicon) -> list[RoleClaim]:
    """ "P (...) of the ruling X Party": a tie written after the name."""
    claims = []
    for tok in sent:
        hit = index.at(tok.i)
        if not hit or hit[0] != tok.i or hit[2].type != EntityType.PERSON:
            continue
        j = hit[1]
        if j < sent.end and doc[j].text == "(":
            while j < sent.end and doc[j].text != ")":
                j += 1
            j += 1
        if j >= sent.end or doc[j].lower_ != "of":
            continue
        j += 1
        while j < sent.end and (doc[j].lower_ == "the" or doc[j].is_lower and doc[j].pos_ in {"ADJ", "VERB"}):
            j += 1
        body = index.at(j) if j < sent.end else None
        if not body or body[0] != j or body[2].type != EntityType.ORGANIZATION:
            continue
        tie = "member" if is_party(body[2]) else "affiliated"
        conf = lex.patterns.confidence("person_of_body")
        claims.append(
            RoleClaim(hit[2], tie, body[2], Status.CURRENT, provenance(article, sent, "person_of_body", conf))
        )
    return claims


def is_party(org: Mention) -> bool:
    """A political party: so the gazetteer says, else its name does ("Ishiba's Liberal Democratic Party")."""
    entry = load_gazetteer().get(org.gazetteer_key) if org.gazetteer_key else None
    return entry.kind == "party" if entry is not None else "party" in org.name.lower()


def countries_after(doc: Doc, j: int, sent: Span, index: MentionIndex) -> list[Mention]:
    """The countries listed after a post ("for both Norway and Iceland")."""
    found: list[Mention] = []
    while j < sent.end and (doc[j].lower_ in {"of", "for", "both", "the", "and", ","} or index.at(j)):
        hit = index.at(j)
        if hit and hit[2].type != EntityType.COUNTRY:
            break
        if hit:
            found.append(hit[2])
            j = hit[1]
        else:
            j += 1
    return found


def respective_holders(doc: Doc, head: int, end: int, sent: Span, index: MentionIndex) -> list[tuple[Mention, Mention]]:
    """ "the Presidents of A and B - P1 and P2": a plural title's holders, listed after a dash
    or colon in the order of its countries, each paired with the country in the same place."""
    if doc[head].tag_ not in {"NNS", "NNPS"}:
        return []
    countries, j = [], end
    while j < sent.end and (doc[j].lower_ in {"of", "the", "and", ","} or index.at(j)):
        hit = index.at(j)
        if hit and hit[2].type != EntityType.COUNTRY:
            return []
        if hit:
            countries.append(hit[2])
        j = hit[1] if hit else j + 1
    if len(countries) < 2 or j >= sent.end or doc[j].text not in {"\u2013", "\u2014", ":", "-"}:
        return []
    people, j = [], j + 1
    while j < sent.end and (hit := index.at(j)) is not None and hit[2].type == EntityType.PERSON:
        people.append(hit[2])
        j = hit[1]
        while j < sent.end and doc[j].text in {",", "and"}:
            j += 1
    return list(zip(people, countries, strict=True)) if len(people) == len(countries) else []


def definite_title_holder(
    doc: Doc, head: int, sent: Span, index: MentionIndex, named_org: bool, text: str, lex: RoleLexicon
) -> Mention | None:
    """ "The president of A was absent" after a sentence naming P; "The Prime Minister said" in
    an article led by P: a definite title opening a sentence as its subject, with no name in it,
    is the last subject named in the sentence before (its organisation written) or the first
    person the article names as a subject (a bare state title written here for the first time:
    the article's protagonist; a title seen before belongs to whoever was named with it)."""
    from ..data import shared_words

    words = [t for t in sent if not t.is_space and not t.is_quote]
    tok = doc[head]
    opens = bool(words) and tok.left_edge == words[0] and words[0].lower_ == "the"
    if not opens or tok.dep_ not in {"nsubj", "nsubjpass"} or tok.tag_ in {"NNS", "NNPS"}:
        return None
    if any((hit := index.at(t.i)) and hit[2].type == EntityType.PERSON for t in tok.subtree):
        return None
    if tok.head.lemma_ == "be" and any((hit := index.at(t.i)) and hit[2].type == EntityType.PERSON for t in sent):
        return None  # "The representative ... will be P": the copula names the holder
    if named_org:
        before = index.person_before(sent.start)
        previous = doc[sent.start - 1].sent if sent.start else None
        return before if previous is not None and before is not None and before.start >= previous.start_char else None
    new = text.lower() not in doc.text[: sent.start_char].lower()
    if not new or tok.lower_ in lex.weak_heads or not {w.lower() for w in text.split()} & lex.state_titles:
        return None
    subject_deps = shared_words().subject_deps
    for j in range(sent.start):
        hit = index.at(j)
        if hit and hit[0] == j and hit[2].type == EntityType.PERSON and doc[hit[0] : hit[1]].root.dep_ in subject_deps:
            return hit[2]
    return None
