"""Role phrases: where a title starts and ends in a sentence, what stands before it, its text.

A role phrase is built around a head word of ``roles.json``, extended left over rank, domain
and head words and right over "of/for/to" and domain words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from ...models import EntityType, Mention, Status
from ..data import shared_words
from ..mentions import MentionIndex
from .context import named_antecedent, pronoun_owner, stance_prefix
from .lexicon import RoleLexicon, is_head, role_lexicon


@dataclass
class RoleSpan:
    start: int
    end: int  # exclusive
    head: int


def role_spans(sent: Span, index: MentionIndex, lex: RoleLexicon) -> list[RoleSpan]:
    doc = sent.doc
    spans: dict[tuple[int, int], RoleSpan] = {}
    for tok in sent:
        if not is_head(tok, lex) or index.at(tok.i) or tok.pos_ in shared_words().verb_pos:
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


def _title_modifier(tok: Token, start: int, head: int, lex: RoleLexicon) -> bool:
    return (
        tok.dep_ in lex.title_modifier_deps
        and start <= tok.head.i <= head
        and tok.is_lower
        and tok.pos_ in lex.title_modifier_pos
        and tok.lower_ not in lex.status_former | lex.status_nominee | lex.nominee_words | lex.not_title_words
    )


def _extend_right(doc: Doc, k: int, limit: int, index: MentionIndex, lex: RoleLexicon) -> int:
    end = k
    while end < limit:
        tok = doc[end]
        low = tok.lower_
        if index.at(end):
            break
        if low in lex.heads | lex.rank | lex.domains or tok.text == "-":
            if tok.text == "-" and (end + 1 >= limit or index.at(end + 1)):
                break
            allowed_after = lex.rank_only_before.get(low)
            if allowed_after is not None and (end + 1 >= limit or doc[end + 1].lower_ not in allowed_after):
                break  # "an official under President X": a preposition, not "under secretary"
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
    while end > k and (
        doc[end - 1].text == "-" or doc[end - 1].lower_ in lex.connectors or doc[end - 1].lower_ == "and"
    ):
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


def premodifiers(doc: Doc, role: RoleSpan, sent: Span, index: MentionIndex, lex: RoleLexicon) -> Premodifiers:
    words = shared_words()
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
            is_possessive = _m_end < len(doc) and doc[_m_end].text in words.possessive
            if mention.type == EntityType.PERSON and not is_possessive:
                break
            if mention.type == EntityType.COUNTRY and stance_prefix(doc, m_start, lex):
                i = m_start - 3  # "pro-China leader": a stance, not the employer
                continue
            (possessors if is_possessive else orgs).append(mention)
            i = m_start - 1
            continue
        owner = pronoun_owner(doc, i, sent, index, lex)
        if owner is not None and not possessors:
            possessors.append(owner)  # "his former defence minister", "its manager"
            i -= 1
            continue
        antecedent = named_antecedent(doc, i, sent, index, lex) if i + 1 < len(doc) else None
        if antecedent is not None and doc[i + 1].text in words.possessive:
            possessors.append(antecedent)  # "the agency's director"
            i -= 1
            continue
        if tok.text in words.possessive or low in words.determiners or tok.text == "-":
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
        if low in lex.nominee_links and i - 1 >= sent.start and doc[i - 1].lower_ in lex.nominee_words:
            status = Status.NOMINEE
            i -= 2
            continue
        if tok.pos_ == "ADJ" and tok.is_lower:
            i -= 1
            continue
        break
    return Premodifiers(i + 1, orgs, possessors, status, ranks)


def role_text(doc: Doc, role: RoleSpan, lex: RoleLexicon, ranks: list[str]) -> tuple[str, Status | None]:
    tokens = list(doc[role.start : role.end])
    status = None
    for n, tok in enumerate(tokens):
        if tok.lower_ in lex.nominee_words and n + 1 < len(tokens) and tokens[n + 1].lower_ in lex.nominee_links:
            tokens, status = tokens[n + 2 :], Status.NOMINEE
            break
    text = "".join(t.text_with_ws for t in tokens).strip()
    text = re.sub(r"\s*-\s*", "-", text)
    text = " ".join(lex.normalise.get(w.lower(), w) if w.lower() in lex.normalise else w for w in text.split())
    if ranks:
        text = " ".join(ranks) + " " + text
    return text, status


def singular_title(doc: Doc, role: RoleSpan, text: str) -> str:
    head = doc[role.head].text
    if head.lower().endswith("s") and head.lower()[:-1] in role_lexicon().heads:
        return re.sub(rf"\b{re.escape(head)}\b", head[:-1], text)
    return text


def status_inside(doc: Doc, role: RoleSpan, lex: RoleLexicon) -> Status | None:
    words = {t.lower_ for t in doc[role.start : role.end]}
    if words & lex.status_former:
        return Status.FORMER
    return None
