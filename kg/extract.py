"""Stage 3: mentions and relation claims from a parsed article.

Person–role–organisation claims come from role phrases (``data/roles.json``) placed next to
a person: a title before the name, an appositive, a copula ("X is founder of Y") or a
relative clause ("X, who serves as Y"). Country–policy–country claims come from trigger
words (``data/policy_triggers.json``) whose actor and target are found through the
dependency parse. Sentences with negation or hypotheticals near the trigger give nothing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc, Span, Token

from .models import Article, ArticleExtraction, EntityType, Mention, PolicyClaim, Provenance, RoleClaim, Status
from .registry import symmetric_policies

# Honorifics before a name; ranks only with their full stop, since "Gen" in Gen Nakatani is a given name.
PERSON_TITLES = {"mr", "mrs", "ms", "dr", "prof", "sir", "dame", "mr.", "mrs.", "ms.", "dr.", "prof."}
PERSON_TITLES |= {"gen.", "lt.", "col.", "maj.", "capt.", "adm.", "sgt.", "gov.", "sen.", "rep.", "amb.", "president"}
DETERMINERS = {"a", "an", "the", "his", "her", "their", "its", "our", "this"}
POSSESSIVE = {"'s", "\u2019s", "'", "\u2019"}


def _data(name: str) -> dict:
    with resources.files("kg.data").joinpath(name).open(encoding="utf-8") as f:
        return json.load(f)


@dataclass(frozen=True)
class Lexicon:
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
    normalise: dict[str, str]
    copulas: tuple[tuple[str, ...], ...]
    triggers: dict[str, str]
    phrases: dict[tuple[str, ...], str]
    symmetric: frozenset[str]
    actor_preps: dict[str, set[str]]
    venue_preps: dict[str, set[str]]
    venue_exempt: frozenset[str]
    excluded_context: dict[str, frozenset[str]]
    forum_nouns: frozenset[str]
    person_parties_excluded: frozenset[str]
    non_party_preps: frozenset[str]
    spending_terms: tuple[tuple[str, ...], ...]
    demand_words: frozenset[str]
    negation_words: frozenset[str]
    hypothetical: frozenset[str]
    denial_words: frozenset[str]
    spending_demand_policy: str


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    roles = _data("roles.json")
    policy = _data("policy_triggers.json")
    words = lambda key, d=roles: frozenset(w.lower() for w in d[key])  # noqa: E731
    return Lexicon(
        heads=words("heads"),
        weak_heads=words("weak_heads"),
        rank=words("rank"),
        domains=words("domains") - {"the", "and"},
        connectors=words("connectors"),
        nominee_words=words("nominee_words"),
        status_former=words("status_former"),
        status_nominee=words("status_nominee"),
        org_links=words("org_links"),
        field_heads=words("field_heads"),
        rank_only_before={k: frozenset(v) for k, v in roles["rank_only_before"].items()},
        role_verbs=dict(roles["role_verbs"]),
        state_titles=words("state_titles"),
        org_words=words("org_words"),
        normalise=dict(roles["normalise"]),
        copulas=tuple(sorted((tuple(c.split()) for c in roles["copulas"]), key=len, reverse=True)),
        triggers=dict(policy["words"]),
        phrases={tuple(p.split()): k for p, k in policy["phrases"].items()},
        symmetric=symmetric_policies(),
        actor_preps={k: set(v) for k, v in policy["actor_prepositions"].items()},
        venue_preps={k: set(v) for k, v in policy["venue_prepositions"].items()},
        venue_exempt=words("venue_exempt", policy),
        excluded_context={k: frozenset(v) for k, v in policy["excluded_context"].items()},
        forum_nouns=words("forum_nouns", policy),
        person_parties_excluded=words("person_parties_excluded", policy),
        non_party_preps=words("non_party_prepositions", policy),
        spending_terms=tuple(tuple(t.split()) for t in policy["spending_terms"]),
        demand_words=words("demand_words", policy),
        negation_words=words("negation_words", policy),
        hypothetical=words("hypothetical_markers", policy),
        denial_words=words("denial_words", policy),
        spending_demand_policy=policy["spending_demand_policy"],
    )


# --------------------------------------------------------------------------- mentions


def _mention_type(ent: Span) -> tuple[EntityType, str | None, str] | None:
    if ent.id_:
        key, _, via = ent.id_.partition("|")
        return EntityType(key.split(":", 1)[0]), key, via or "name"
    if ent.label_ == "PERSON":
        return EntityType.PERSON, None, "name"
    if ent.label_ == "ORG":
        return EntityType.ORGANIZATION, None, "name"
    return None  # cities, regions and nationalities outside the gazetteer are not our entities


def clean_name(text: str, type_: EntityType) -> str:
    name = re.sub(r"[\u2019']s?$", "", text.strip()).strip()
    name = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)
    if type_ == EntityType.PERSON:
        words = name.split()
        while len(words) > 1 and words[0].lower() in PERSON_TITLES:
            words = words[1:]
        name = " ".join(words)
    return re.sub(r"\s+", " ", name).strip(' ,;:-"“”')


def find_mentions(doc: Doc) -> dict[int, Mention]:
    """Mentions keyed by the index of their first token."""
    lex = lexicon()
    title_words = lex.domains | lex.heads | lex.rank
    out: dict[int, Mention] = {}
    for ent in doc.ents:
        typed = _mention_type(ent)
        if typed is None:
            continue
        type_, key, via = typed
        if key is None and all(t.lower_ in title_words or t.is_punct for t in ent):
            continue  # "Defense" in "Defense Secretary Pete Hegseth" is part of a title
        if key is None and type_ == EntityType.ORGANIZATION and _person_like(ent, lex):
            type_ = EntityType.PERSON
        name = clean_name(ent.text, type_)
        if not re.search(r"\w", name) or (key is None and name.islower()):
            continue  # NER calls stray common nouns ("state") names now and then
        out[ent.start] = Mention(ent.text, name, type_, ent.start_char, ent.end_char, key, via)
    return out


def _person_like(ent: Span, lex: Lexicon) -> bool:
    """An ORG from the NER that is a personal name standing in a person's place.

    The small English model often calls people organisations ("Makoto Nishida, Secretary
    General of ..."): two or three capitalised words with no organisation word, directly
    followed by an appositive title or directly after a title.
    """
    words = [t for t in ent if not t.is_punct]
    if not 2 <= len(words) <= 3 or any(not t.is_title or t.lower_ in lex.org_words for t in words):
        return False
    doc = ent.doc
    before = doc[ent.start - 1] if ent.start > 0 else None
    if before is not None and before.lower_ in lex.heads:
        return True
    after = doc[ent.end : ent.end + 4]
    return len(after) >= 2 and after[0].text == "," and any(t.lower_ in lex.heads for t in after[1:])


class MentionIndex:
    """Which mention covers a token, for one parsed document."""

    def __init__(self, doc: Doc, mentions: dict[int, Mention]) -> None:
        self.doc = doc
        self.titles: list[tuple[int, frozenset[str], Mention]] = []  # (char offset, title words, person)
        self.by_token: dict[int, tuple[int, int, Mention]] = {}
        for ent in doc.ents:
            if ent.start in mentions:
                for i in range(ent.start, ent.end):
                    self.by_token[i] = (ent.start, ent.end, mentions[ent.start])

    def at(self, i: int) -> tuple[int, int, Mention] | None:
        return self.by_token.get(i)

    def titled_person(self, words: set[str], char: int) -> Mention | None:
        """The person last given a title with these words before ``char``: "the president"."""
        found = [(c, p) for c, title, p in self.titles if c <= char and words <= title]
        return max(found, key=lambda x: x[0])[1] if found else None

    def person_before(self, i: int, window: int = 60) -> Mention | None:
        """What "he" refers to: the nearest person before token ``i`` who was a subject, else the
        nearest person (within ``window`` tokens). Subjects carry on as topics: "Lee met Trump,
        flying in from Tokyo, where he had held talks" is Lee's talks."""
        people = []
        for j in range(i - 1, max(-1, i - window), -1):
            hit = self.by_token.get(j)
            if hit and hit[2].type == EntityType.PERSON and (not people or people[-1][1] is not hit[2]):
                head = self.doc[hit[0] : hit[1]].root
                people.append((head.dep_ in {"nsubj", "nsubjpass"}, hit[2]))
        subjects = [p for is_subject, p in people if is_subject]
        return subjects[0] if subjects else (people[0][1] if people else None)


# --------------------------------------------------------------------------- roles


@dataclass
class RoleSpan:
    start: int
    end: int  # exclusive
    head: int


def _role_spans(sent: Span, index: MentionIndex, lex: Lexicon) -> list[RoleSpan]:
    doc = sent.doc
    spans: dict[tuple[int, int], RoleSpan] = {}
    for tok in sent:
        if not _is_head(tok, lex) or index.at(tok.i) or tok.pos_ in {"VERB", "AUX"}:
            continue
        start = tok.i
        while start - 1 >= sent.start:
            prev = doc[start - 1]
            if index.at(prev.i) or prev.is_punct and prev.text != "-":
                break
            allowed_after = lex.rank_only_before.get(prev.lower_)
            if allowed_after is not None and doc[start].lower_ not in allowed_after:
                break  # "under President Bush": a preposition, not "under secretary"
            if prev.lower_ in lex.rank | lex.domains | lex.heads or prev.text == "-":
                start -= 1
                continue
            if _title_modifier(prev, start, tok.i, lex):
                start -= 1  # "unification minister", "economy secretary": a lower-case noun naming the field
                continue
            if prev.lower_ == "and" and start - 2 >= sent.start and doc[start - 2].lower_ in lex.heads:
                start -= 1
                continue
            break
        while start < tok.i and (doc[start].text == "-" or doc[start].lower_ == "and"):
            start += 1
        end = _extend_right(doc, tok.i + 1, sent.end, index, lex)
        spans[(start, end)] = RoleSpan(start, end, tok.i)
    ordered = sorted(spans.values(), key=lambda s: (s.start, -(s.end - s.start)))
    merged: list[RoleSpan] = []
    for span in ordered:
        if merged and span.start < merged[-1].end:
            continue
        merged.append(span)
    return merged


NOT_TITLE_WORDS = {"new", "current", "longtime", "veteran", "incoming", "outgoing", "acting", "interim", "senior"}


def _title_modifier(tok: Token, start: int, head: int, lex: Lexicon) -> bool:
    return (
        tok.dep_ in {"compound", "amod"}
        and start <= tok.head.i <= head
        and tok.is_lower
        and tok.pos_ in {"NOUN", "ADJ"}
        and tok.lower_ not in lex.status_former | lex.status_nominee | lex.nominee_words | NOT_TITLE_WORDS
    )


def _is_head(tok: Token, lex: Lexicon) -> bool:
    """A title word, singular or plural ("Ministers" is tagged a proper noun and keeps its s)."""
    low = tok.lower_
    return low in lex.heads or tok.lemma_.lower() in lex.heads or low.endswith("s") and low[:-1] in lex.heads


def _extend_right(doc: Doc, k: int, limit: int, index: MentionIndex, lex: Lexicon) -> int:
    end = k
    while end < limit:
        tok = doc[end]
        low = tok.lower_
        if index.at(end):
            break
        if low in lex.heads | lex.rank | lex.domains or tok.text == "-":
            if tok.text == "-" and (end + 1 >= limit or index.at(end + 1)):
                break
            end += 1
            continue
        if low == "and" and end + 1 < limit and doc[end + 1].lower_ in lex.heads:
            end += 1
            continue
        if low in lex.connectors:
            j = end + 1
            if j < limit and doc[j].lower_ == "the":
                j += 1
            m = index.at(j) if j < limit else None
            if m and not m[2].gazetteer_key and all(t.lower_ in lex.domains for t in doc[m[0] : m[1]]):
                end = m[1]  # "Secretary of State": NER took the department for an organisation
                continue
            if m and m[2].type == EntityType.COUNTRY and m[1] < limit and doc[m[1]].lower_ in lex.domains:
                end = m[1]  # "director of the Japan programme": a country naming a field, not the employer
                continue
            if m and m[2].type == EntityType.COUNTRY and low == "to":
                end = m[1]  # "ambassador to Japan"
                break
            if j < limit and not m and doc[j].lower_ in lex.domains | lex.heads and doc[j].lower_ != "and":
                end = j
                continue
        break
    while end > k and (doc[end - 1].text == "-" or doc[end - 1].lower_ in lex.connectors | {"and"}):
        end -= 1
    next_hit = index.at(end) if end < limit else None
    if next_hit and next_hit[2].type == EntityType.PERSON:
        # "adviser to President George W Bush": "President" is Bush's title, not part of this role
        for j in range(end - 1, k - 1, -1):
            if doc[j].lower_ in lex.connectors:
                if doc[j + 1].lower_ in lex.heads:
                    return j
                break
    return end


@dataclass
class Premodifiers:
    """What stands before a role phrase inside its noun phrase."""

    start: int  # first token of the noun phrase
    orgs: list[Mention]
    possessors: list[Mention]
    status: Status | None
    extra_rank: list[str]


def _premodifiers(doc: Doc, role: RoleSpan, sent: Span, index: MentionIndex, lex: Lexicon) -> Premodifiers:
    i = role.start - 1
    orgs: list[Mention] = []
    possessors: list[Mention] = []
    status: Status | None = None
    ranks: list[str] = []
    while i >= sent.start:
        tok = doc[i]
        low = tok.lower_
        hit = index.at(i)
        if hit:
            m_start, _m_end, mention = hit
            is_possessive = _m_end < len(doc) and doc[_m_end].text in POSSESSIVE
            if mention.type == EntityType.PERSON and not is_possessive:
                break
            (possessors if is_possessive else orgs).append(mention)
            i = m_start - 1
            continue
        if tok.text in POSSESSIVE or low in DETERMINERS or tok.text == "-":
            i -= 1
            continue
        if low == "and" and i - 1 >= sent.start and index.at(i - 1):
            i -= 1  # "the Japan and Asia trade director"
            continue
        if low == "whose" and i - 2 >= sent.start and doc[i - 1].text == ",":
            antecedent = index.at(i - 2)  # "The European Union, whose trade chief ..."
            if antecedent and antecedent[2].type != EntityType.PERSON:
                possessors.append(antecedent[2])
            i -= 1
            break
        if low in lex.status_former:
            status = status or Status.FORMER
            i -= 1
            continue
        if low in lex.rank and low not in lex.rank_only_before:
            ranks.insert(0, tok.text)
            i -= 1
            continue
        if low in {"for", "as"} and i - 1 >= sent.start and doc[i - 1].lower_ in lex.nominee_words:
            status = Status.NOMINEE
            i -= 2
            continue
        if tok.pos_ == "ADJ" and tok.is_lower:
            i -= 1
            continue
        break
    return Premodifiers(i + 1, orgs, possessors, status, ranks)


def _person_before(doc: Doc, pos: int, sent: Span, index: MentionIndex, lex: Lexicon) -> tuple[Mention, str] | None:
    """The person an appositive, copula or relative clause ending at ``pos`` (exclusive) describes."""
    words = [t.lower_ for t in doc[sent.start : pos]]
    for copula in lex.copulas:
        n = len(copula)
        if tuple(words[-n:]) == copula:
            j = pos - n - 1
            pattern = "copula"
            if j >= sent.start and doc[j].lower_ in {"who", "which"}:
                j -= 1
                pattern = "relative_clause"
            if j >= sent.start and doc[j].text == ",":
                j -= 1
            hit = index.at(j)
            if hit and hit[2].type == EntityType.PERSON:
                return hit[2], pattern
            if pattern == "relative_clause":
                # "Ken Jimbo, a Keio University professor who served as ...": back over the appositive
                for k in range(j, max(sent.start, j - 12), -1):
                    if doc[k].text == ",":
                        hit = index.at(k - 1)
                        if hit and hit[2].type == EntityType.PERSON and hit[1] == k:
                            return hit[2], pattern
                        break
            return None
    j = pos - 1
    if j >= sent.start and doc[j].text == ",":
        hit = index.at(j - 1)
        if hit and hit[2].type == EntityType.PERSON and hit[1] == j:
            return hit[2], "appositive"
    return None


def _org_after(doc: Doc, end: int, sent: Span, index: MentionIndex, lex: Lexicon) -> tuple[Mention | None, int]:
    """``of/at/with ORG`` after a role phrase, skipping "the", "Washington-based" and field
    phrases ("senior fellow for Russia and Eurasia at the IISS"); up to the next comma."""
    j = end
    while j < sent.end and doc[j].lower_ in lex.org_links:
        link = doc[j].lower_
        j += 1
        while j < sent.end and (doc[j].lower_ == "the" or doc[j].pos_ == "ADJ" and doc[j].is_lower):
            j += 1
        hit = index.at(j)
        if hit and hit[1] + 1 < sent.end and doc[hit[1]].text == "-" and doc[hit[1] + 1].lower_ == "based":
            hit = index.at(hit[1] + 2)
        if hit and hit[2].type == EntityType.COUNTRY and link in {"for", "to", "from", "in"}:
            # "representative for Japan", "ambassador in New Delhi": the field or the post, not the employer
            j = _skip_field(doc, hit[1], sent, index)
            continue
        if hit and hit[2].type != EntityType.PERSON:
            return hit[2], hit[1]
        if link in {"for", "on"} and not hit:
            j = _skip_field(doc, j, sent, index)  # "chief economist for Asia-Pacific at Natixis"
            continue
        break
    return None, end


def _skip_field(doc: Doc, j: int, sent: Span, index: MentionIndex) -> int:
    """Past a field phrase: words, names and "and", up to a preposition or punctuation."""
    while j < sent.end and not doc[j].is_punct | (doc[j].pos_ == "ADP") or doc[j].text == "-":
        hit = index.at(j)
        j = hit[1] if hit else j + 1
    return j


def _role_text(doc: Doc, role: RoleSpan, lex: Lexicon, ranks: list[str]) -> tuple[str, Status | None]:
    tokens = list(doc[role.start : role.end])
    status = None
    for n, tok in enumerate(tokens):
        if tok.lower_ in lex.nominee_words and n + 1 < len(tokens) and tokens[n + 1].lower_ in {"for", "as"}:
            tokens, status = tokens[n + 2 :], Status.NOMINEE
            break
    text = "".join(t.text_with_ws for t in tokens).strip()
    text = re.sub(r"\s*-\s*", "-", text)
    text = " ".join(lex.normalise.get(w.lower(), w) if w.lower() in lex.normalise else w for w in text.split())
    if ranks:
        text = " ".join(ranks) + " " + text
    return text, status


def extract_roles(doc: Doc, article: Article, index: MentionIndex) -> list[RoleClaim]:
    lex = lexicon()
    claims: list[RoleClaim] = []
    for sent in doc.sents:
        for role in _role_spans(sent, index, lex):
            claims += _claims_for_role(doc, sent, role, article, index, lex)
        claims += _possessive_ties(doc, sent, article, index)
        claims += _verb_roles(doc, sent, article, index, lex)
    return claims


def _verb_roles(doc: Doc, sent: Span, article: Article, index: MentionIndex, lex: Lexicon) -> list[RoleClaim]:
    """ "Orysia Lutsevych, who heads the Ukraine Forum at Chatham House": a role named by a verb."""
    claims = []
    for verb in sent:
        title = lex.role_verbs.get(verb.lemma_.lower())
        if title is None or verb.i < sent.start + 3 or doc[verb.i - 1].lower_ != "who" or doc[verb.i - 2].text != ",":
            continue
        hit = index.at(verb.i - 3)
        if not hit or hit[2].type != EntityType.PERSON:
            continue
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if obj is None:
            continue
        org: Mention | None = None
        for prep in [
            c for c in (*verb.children, *obj.children) if c.dep_ == "prep" and c.lower_ in {"at", "of", "for"}
        ]:
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            found = index.at(pobj.i) if pobj is not None else None
            if org is None and found and found[2].type != EntityType.PERSON:
                org = found[2]  # "... at Chatham House": the employer
        obj_hit = index.at(obj.i)
        if org is None and obj_hit and obj_hit[2].type != EntityType.PERSON:
            role, org = title, obj_hit[2]  # "who chairs the Hudson Institute"
        else:
            words = [t for t in obj.subtree if t.dep_ not in CLAUSE_DEPS and not (t.dep_ == "prep" and t.head == obj)]
            words = [t for t in words if not any(t in p.subtree for p in obj.children if p.dep_ == "prep")]
            role = f"{title} of " + "".join(t.text_with_ws for t in sorted(words, key=lambda t: t.i)).strip()
        if org is None:
            continue
        status = Status.FORMER if verb.tag_ == "VBD" else Status.CURRENT
        claims.append(RoleClaim(hit[2], role, org, status, _provenance(article, sent, "role_verb", 0.75)))
    return claims


def _possessive_ties(doc: Doc, sent: Span, article: Article, index: MentionIndex) -> list[RoleClaim]:
    """ "North Korea's Kim Jong Un", "Ishiba's Liberal Democratic Party": a tie with no title.

    Resolution drops such a tie when the same person has a titled role at the same place.
    """
    claims = []
    for tok in sent:
        if tok.text not in POSSESSIVE or tok.i + 1 >= sent.end:
            continue
        owner, owned = index.at(tok.i - 1), index.at(tok.i + 1)
        if owner is None or owned is None or owner[1] != tok.i or owned[0] != tok.i + 1:
            continue
        owner_m, owned_m = owner[2], owned[2]
        if owner_m.type == EntityType.COUNTRY and owner_m.via == "name" and owned_m.type == EntityType.PERSON:
            person, org = owned_m, owner_m
        elif owner_m.type == EntityType.PERSON and owned_m.type == EntityType.ORGANIZATION:
            person, org = owner_m, owned_m
        else:
            continue
        party = "party" in f"{org.name} {org.gazetteer_key or ''}".lower()
        tie = "member" if party else "affiliated"  # "Ishiba's Liberal Democratic Party"
        claims.append(RoleClaim(person, tie, org, Status.CURRENT, _provenance(article, sent, "possessive_tie", 0.55)))
    return claims


def _claims_for_role(
    doc: Doc, sent: Span, role: RoleSpan, article: Article, index: MentionIndex, lex: Lexicon
) -> list[RoleClaim]:
    pre = _premodifiers(doc, role, sent, index, lex)
    text, nominee = _role_text(doc, role, lex, pre.extra_rank)
    head = doc[role.head].lower_
    if not text or head in lex.nominee_words and nominee is None:
        return []
    status = nominee or pre.status or _status_inside(doc, role, lex) or Status.CURRENT
    org_after, _org_end = _org_after(doc, role.end, sent, index, lex)
    pre_orgs = pre.orgs
    if head in lex.field_heads:  # "a Japan expert": the country is the field
        pre_orgs = [m for m in pre_orgs if m.type != EntityType.COUNTRY]
    pre_org = pre_orgs[0] if pre_orgs else (pre.possessors[0] if pre.possessors else None)

    person, pattern = None, ""
    after = role.end + (1 if role.end < sent.end and doc[role.end].text == "," else 0)
    hit = index.at(after)
    coordinated: list[Mention] = []
    if org_after is None and hit and hit[0] == after and hit[2].type == EntityType.PERSON:
        person, pattern = hit[2], "title_before_name"
        coordinated = _coordinated_people(doc, hit[1], sent, index)
        if coordinated:  # "Foreign Ministers Penny Wong and Wang Yi": each holds the title
            text = _singular_title(doc, role, text)
    else:
        found = _person_before(doc, pre.start, sent, index, lex)
        if found:
            person, pattern = found
    if person is None:
        return []
    if pattern == "relative_clause":
        status = status if status != Status.CURRENT else _tense_status(doc, pre.start, lex)
    confidence = {"title_before_name": 0.9, "appositive": 0.85, "copula": 0.8, "relative_clause": 0.75}[pattern]
    if head in lex.weak_heads:
        confidence -= 0.2
    claims: list[RoleClaim] = []
    if pre_org is not None and org_after is not None and status == Status.FORMER:
        # "a former White House official at the Brookings Institution": then one, now the other
        claims.append(RoleClaim(person, text, pre_org, status, _provenance(article, sent, pattern, confidence)))
        tie = _provenance(article, sent, pattern, 0.7)
        claims.append(RoleClaim(person, "affiliated", org_after, Status.CURRENT, tie))
        return claims
    org = org_after or pre_org
    if org is None:
        if not {w.lower() for w in text.split()} & lex.state_titles:
            return claims  # a bare "trade chief": resolution can only guess whose, so say nothing
        confidence -= 0.3
    claims.append(RoleClaim(person, text, org, status, _provenance(article, sent, pattern, confidence)))
    for other in coordinated:
        # the organisation written before a coordinated title is shared only when it is no country
        shared = org if org is not None and org.type != EntityType.COUNTRY else None
        if shared is not None or {w.lower() for w in text.split()} & lex.state_titles:
            evidence = _provenance(article, sent, "coordinated_titles", confidence - 0.1)
            claims.append(RoleClaim(other, text, shared, status, evidence))
    # "X, a former White House official now at The Asia Group": a second, current tie
    now_org, _ = _now_at(doc, role.end, sent, index)
    if now_org is not None:
        tie = _provenance(article, sent, pattern, 0.7)
        claims.append(RoleClaim(person, "affiliated", now_org, Status.CURRENT, tie))
    return claims


def _coordinated_people(doc: Doc, end: int, sent: Span, index: MentionIndex) -> list[Mention]:
    """People listed after the first one: "A and B", "A, B and C"."""
    people: list[Mention] = []
    j = end
    while j + 1 < sent.end and doc[j].text in {",", "and"}:
        j += 2 if doc[j].text == "," and doc[j + 1].lower_ == "and" else 1
        hit = index.at(j)
        if not hit or hit[0] != j or hit[2].type != EntityType.PERSON:
            break
        people.append(hit[2])
        j = hit[1]
    return people


def _singular_title(doc: Doc, role: RoleSpan, text: str) -> str:
    head = doc[role.head].text
    if head.lower().endswith("s") and head.lower()[:-1] in lexicon().heads:
        return re.sub(rf"\b{re.escape(head)}\b", head[:-1], text)
    return text


def _now_at(doc: Doc, end: int, sent: Span, index: MentionIndex) -> tuple[Mention | None, int]:
    """ "... now at The Asia Group" after a former role, before the clause ends."""
    j = end
    while j + 1 < sent.end and doc[j].lower_ != "now" and not (doc[j].is_punct and doc[j].text != "-"):
        j += 1
    if j + 1 < sent.end and doc[j].lower_ == "now" and doc[j + 1].lower_ in {"at", "with"}:
        j += 2
        while j < sent.end and doc[j].lower_ == "the":
            j += 1
        hit = index.at(j)
        if hit and hit[2].type == EntityType.ORGANIZATION:
            return hit[2], hit[1]
    return None, end


def _status_inside(doc: Doc, role: RoleSpan, lex: Lexicon) -> Status | None:
    words = {t.lower_ for t in doc[role.start : role.end]}
    if words & lex.status_former:
        return Status.FORMER
    return None


def _tense_status(doc: Doc, pos: int, lex: Lexicon) -> Status:
    """ "who served as" is a former role, "who serves as" a current one."""
    window = [t for t in doc[max(0, pos - 4) : pos]]
    return Status.FORMER if any(t.tag_ == "VBD" for t in window) else Status.CURRENT


def _provenance(article: Article, sent: Span, pattern: str, confidence: float) -> Provenance:
    return Provenance(
        article=article.content_hash,
        evidence=sent.text.strip(),
        start=sent.start_char,
        end=sent.start_char + len(sent.text.rstrip()),
        pattern=pattern,
        confidence=round(max(0.05, min(1.0, confidence)), 2),
    )


# --------------------------------------------------------------------------- policies


def _policy_mention(hit: tuple[int, int, Mention] | None) -> Mention | None:
    """Countries, international bodies, state bodies and people can take part in a policy."""
    return hit[2] if hit else None


def _mentions_in(tokens: list[Token], index: MentionIndex, exclude: set[int]) -> list[Mention]:
    seen: dict[int, Mention] = {}
    for tok in tokens:
        hit = index.at(tok.i)
        if hit and hit[0] not in exclude:
            seen.setdefault(hit[0], hit[2])
    return [seen[k] for k in sorted(seen)]


CLAUSE_DEPS = {"relcl", "acl", "advcl", "ccomp", "xcomp", "pcomp", "csubj", "parataxis", "mark"}
CORE_DEPS = {"compound", "poss", "amod", "nmod", "conj", "cc", "appos", "case", "det", "punct", "npadvmod"}


def _np_mentions(
    tok: Token, index: MentionIndex, core: bool = False, skip_preps: frozenset[str] = frozenset()
) -> list[Mention]:
    """Mentions in the noun phrase headed by ``tok``, coordinated ones included.

    Clauses inside it are left out ("a deal that was meant to counter China"); with
    ``core`` so are its prepositional phrases ("her status as a neighbour to China"), and
    phrases opened by ``skip_preps`` always are ("a summit in Kuala Lumpur").
    """
    tokens: list[Token] = []
    stack = [tok]
    while stack:
        t = stack.pop()
        tokens.append(t)
        for child in t.children:
            if child.dep_ in CLAUSE_DEPS or child.pos_ == "VERB" and child.dep_ != "amod":
                continue
            if core and child.dep_ not in CORE_DEPS or child.dep_ == "prep" and child.lower_ in skip_preps:
                continue
            if child.dep_ == "appos" and child.pos_ == "NOUN":
                continue  # "Pakistan's jets, a grievance in New Delhi": a comment, not a party
            stack.append(child)
    return _mentions_in(sorted(tokens, key=lambda t: t.i), index, set())


def _governing_verb(tok: Token) -> Token | None:
    cur = tok
    for _ in range(4):
        if cur.pos_ in {"VERB", "AUX"}:
            return cur
        if cur.head == cur:
            return None
        cur = cur.head
    return None


def _negated(trigger: Token, verb: Token | None, sent: Span, lex: Lexicon) -> bool:
    for t in (trigger, verb):
        if t is None:
            continue
        for child in t.children:
            if child.dep_ == "neg" or child.lower_ in lex.negation_words and child.dep_ in {"det", "neg", "advmod"}:
                return True
            if child.lower_ in lex.hypothetical and child.dep_ in {"aux", "mark"}:
                return True
    # a conditional clause ("if Washington imposed tariffs") or a reported denial
    for t in trigger.ancestors:
        if any(c.dep_ == "mark" and c.lower_ in {"if", "unless", "whether"} for c in t.children):
            return True
        if t.lemma_.lower() in lex.denial_words:
            return True
    return False


def _subject(verb: Token, index: MentionIndex) -> list[Mention]:
    for child in verb.children:
        if child.dep_ == "nsubj" and child.lower_ in {"he", "she"}:
            person = index.person_before(child.i)  # "He imposed tariffs": the last person named
            return [person] if person else []
        if child.dep_ == "nsubj" and _is_head(child, lexicon()) and not _np_mentions(child, index, core=True):
            # "the president imposed tariffs": the person the article gave that title
            title = {t.lower_ for t in child.subtree if t.dep_ in {"compound", "amod"} or t == child}
            person = index.titled_person(title, child.idx) if any(t.lower_ == "the" for t in child.children) else None
            return [person] if person else []
        if child.dep_ in {"nsubj", "csubj"}:
            found = _np_mentions(child, index, core=True)
            if not found and verb.dep_ == "relcl" and any(t.lower_ in {"whose", "which", "who"} for t in child.subtree):
                return _np_mentions(verb.head, index, core=True)  # "North Korea, whose missiles threaten Japan"
            return found
    if verb.dep_ in {"xcomp", "conj", "advcl", "pcomp"} and verb.head != verb:
        return _subject(verb.head, index)
    return []


def extract_policies(doc: Doc, article: Article, index: MentionIndex) -> list[PolicyClaim]:
    lex = lexicon()
    claims: list[PolicyClaim] = []
    for sent in doc.sents:
        if not any(index.at(t.i) for t in sent):
            continue
        lowers = {t.lower_ for t in sent}
        for trigger, key in _triggers(sent, lex):
            if trigger.pos_ == "VERB" and lowers & lex.excluded_context.get(key, frozenset()):
                continue
            verb = _governing_verb(trigger)
            if _negated(trigger, verb, sent, lex):
                continue
            for actor, target, pattern, confidence in _arguments(trigger, verb, key, sent, index, lex):
                if actor.name == target.name:
                    continue
                if actor.start < sent.start_char:
                    pattern, confidence = pattern + "_reference", 0.45  # "he", "the president": resolved
                claims.append(PolicyClaim(actor, key, target, _provenance(article, sent, pattern, confidence)))
        claims += _spending_demands(sent, article, index, lex)
    return claims


def _triggers(sent: Span, lex: Lexicon) -> list[tuple[Token, str]]:
    found: dict[int, tuple[Token, str]] = {}
    lowers = [t.lower_ for t in sent]
    for phrase, key in lex.phrases.items():
        n = len(phrase)
        for i in range(len(lowers) - n + 1):
            if tuple(lowers[i : i + n]) == phrase:
                span = sent[i : i + n]
                found[span.root.i] = (span.root, key)
    for tok in sent:
        key = lex.triggers.get(tok.lemma_.lower()) or lex.triggers.get(tok.lower_)
        if key and tok.i not in found and tok.pos_ in {"NOUN", "VERB", "ADJ", "PROPN"}:
            found[tok.i] = (tok, key)
    return [found[i] for i in sorted(found)]


TEMPORAL_PREPS = {"before", "after", "during", "since", "until", "following", "amid", "despite", "over", "throughout"}


def _arguments(
    trigger: Token, verb: Token | None, key: str, sent: Span, index: MentionIndex, lex: Lexicon
) -> list[tuple[Mention, Mention, str, float]]:
    """(actor, target, pattern, confidence) pairs for one trigger, read off the parse.

    The acting side: the subject of a verb trigger, the owner of a noun trigger ("Russia's
    invasion", "U.S. tariffs"), a "by" agent, or a "from" source ("threats from China"). The
    targeted side: the object, or a prepositional phrase on the trigger or its verb.
    Coordinated subjects of a mutual policy are its parties ("Lula and Trump met").
    """
    is_verb = trigger.pos_ in {"VERB", "AUX"}
    objects = [c for c in trigger.children if c.dep_ == "dobj"]
    if is_verb and objects and all(_is_trigger(c, lex) for c in objects):
        return []  # "supports the alliance": the object is the fact
    actor_preps = lex.actor_preps.get(key, set()) | {"by"}
    venues = frozenset() if trigger.lemma_.lower() in lex.venue_exempt else frozenset(lex.venue_preps.get(key, ()))
    ignored = TEMPORAL_PREPS | venues | lex.non_party_preps
    np = lambda tok, core=False: _np_mentions(tok, index, core=core, skip_preps=venues | lex.non_party_preps)  # noqa: E731
    passive = is_verb and any(c.dep_ in {"nsubjpass", "auxpass"} for c in trigger.children)
    owners: list[Mention] = []
    forums: list[Mention] = []
    modifiers: list[Mention] = []
    actors: list[Mention] = []
    targets: list[Mention] = []
    for child in trigger.children:
        if child.dep_ == "poss":
            owners += np(child, core=True)
        elif child.dep_ in {"compound", "amod", "nmod", "npadvmod"}:
            found = np(child, core=True)
            if trigger.lemma_.lower() in lex.forum_nouns:  # "the BRICS summit": a forum, not a party
                forums += [m for m in found if m.type == EntityType.ORGANIZATION]
            modifiers += [m for m in found if m not in forums]
        elif child.dep_ in {"dobj", "attr", "dative", "oprd"} or child.dep_ == "nsubjpass":
            targets += np(child)
        elif child.dep_ in {"prep", "agent"}:
            found = [m for obj in child.children if obj.dep_ == "pobj" for m in np(obj)]
            word = child.lower_
            if child.dep_ == "agent" or word in actor_preps:
                actors += found
            elif word in {"between", "among"}:
                modifiers += found
            elif word not in ignored:
                targets += found

    symmetric = key in lex.symmetric
    if symmetric and len(modifiers) >= 2:  # "the U.S.-Japan alliance"
        return [(modifiers[0], other, "compound_pair", 0.8) for other in modifiers[1:]]
    if actors and owners:  # "Ukraine's invasion by Russia": the owner is the one acted on
        targets = targets or owners
    else:
        actors = actors or owners
    if not is_verb and modifiers:
        if actors:
            targets = targets or modifiers
        else:
            actors = modifiers[:1]  # "U.S. tariffs", "US allies"
            targets = targets or modifiers[1:]
    if is_verb and not passive:
        actors = actors or _subject(trigger, index)
    elif passive:
        targets = targets or _subject_passive(trigger, index)
    elif verb is not None and _argument_of(trigger, verb) and not _is_trigger(verb, lex):
        # (a verb that is a trigger itself speaks for both: "withdrew from talks with Japan")
        actors += [m for c in verb.children if c.dep_ == "agent" for o in c.children for m in np(o)]
        as_role = trigger.dep_ == "pobj" and trigger.head.lower_ == "as"
        objects = [m for c in verb.children if c.dep_ == "dobj" and c != trigger for m in np(c)]
        if as_role and objects:
            # "identifying China as a military threat": the object is the actor, the subject the target
            return [(a, t, "trigger_as", 0.6) for a in objects[:1] for t in _subject(verb, index)]
        if actors and not targets:
            targets = _subject(verb, index)  # "faced with threats from China, Japan ..."
        actors = actors or _subject(verb, index)
        if not targets:
            for child in verb.children:
                if child.dep_ == "prep" and child.lower_ not in ignored | {"by", "in", "at"}:
                    targets += [m for obj in child.children if obj.dep_ == "pobj" for m in np(obj)]
            targets += objects
    targets = [m for m in targets if m not in forums]
    if key in lex.person_parties_excluded:
        actors = [m for m in actors if m.type != EntityType.PERSON]
        targets = [m for m in targets if m.type != EntityType.PERSON]
    pattern = "trigger_" + ("verb" if is_verb else "noun")
    if symmetric and len(actors) >= 2 and not owners and not targets:
        return [(actors[0], other, "coordinated_subjects", 0.7) for other in actors[1:]]
    return [(actor, target, pattern, 0.7) for actor in actors for target in targets]


def _is_trigger(tok: Token, lex: Lexicon) -> bool:
    return (lex.triggers.get(tok.lemma_.lower()) or lex.triggers.get(tok.lower_)) is not None


def _argument_of(trigger: Token, verb: Token) -> bool:
    """The trigger is the verb's object ("imposed tariffs"), in a phrase on the verb ("met for
    talks"), or the head of such a phrase ("moved parts of their supply chains")."""
    tok = trigger
    for _ in range(2):
        if tok.head == verb and tok.dep_ in {"dobj", "attr", "nsubjpass", "oprd"}:
            return True
        if tok.dep_ == "pobj" and tok.head.head == verb and tok.head.lower_ not in TEMPORAL_PREPS:
            return True
        if tok.dep_ == "pobj" and tok.head.lower_ == "of":
            tok = tok.head.head
            continue
        return False
    return False


def _subject_passive(verb: Token, index: MentionIndex) -> list[Mention]:
    for child in verb.children:
        if child.dep_ == "nsubjpass":
            return _np_mentions(child, index, core=True)
    return []


def _spending_demands(sent: Span, article: Article, index: MentionIndex, lex: Lexicon) -> list[PolicyClaim]:
    """ "X pushed Japan to raise its defence spending", "calls for ... defence expenditure by X"."""
    lowers = [t.lower_ for t in sent]
    term_at = None
    for term in lex.spending_terms:
        n = len(term)
        for i in range(len(lowers) - n + 1):
            if tuple(lowers[i : i + n]) == term:
                term_at = sent[i + n - 1]
                break
        if term_at is not None:
            break
    if term_at is None:
        return []
    demand = next((t for t in sent if t.lemma_.lower() in lex.demand_words), None)
    if demand is None:
        return []
    if _negated(demand, _governing_verb(demand), sent, lex):
        return []
    actors = _subject(demand, index) if demand.pos_ in {"VERB", "AUX"} else []
    targets: list[Mention] = []
    for child in demand.children:
        if child.dep_ in {"dobj", "nsubj"} and child.pos_ != "PRON":
            found = _np_mentions(child, index)
            if child.dep_ == "dobj" or demand.lemma_.lower() in {"should", "ought", "must"}:
                targets += found
    for t in term_at.subtree if False else term_at.children:
        if t.dep_ == "poss":
            targets += _np_mentions(t, index)
    for t in sent:
        if t.lower_ == "by" and t.head.i <= demand.i + 12:
            actors = actors or [m for obj in t.children for m in _np_mentions(obj, index)]
    if demand.lemma_.lower() in {"should", "ought", "must"}:
        speaker = next((t for t in sent if t.dep_ == "ROOT"), None)
        actors = _subject(speaker, index) if speaker is not None else []
        targets = targets or _subject(demand.head, index)
    claims = []
    for actor in actors[:1]:
        for target in targets:
            if actor.name != target.name:
                claims.append(
                    PolicyClaim(
                        actor,
                        lex.spending_demand_policy,
                        target,
                        _provenance(article, sent, "spending_demand", 0.65),
                    )
                )
    return claims


# --------------------------------------------------------------------------- article


def extract(doc: Doc, article: Article) -> ArticleExtraction:
    mentions = find_mentions(doc)
    index = MentionIndex(doc, mentions)
    roles = extract_roles(doc, article, index)
    index.titles = [(r.provenance.start, frozenset(r.role.lower().split()), r.person) for r in roles]
    policies = extract_policies(doc, article, index)
    ordered = tuple(mentions[k] for k in sorted(mentions))
    return ArticleExtraction(article, ordered, tuple(roles), tuple(policies))
