"""When: the dates a claim's sentence gives, after the claims are built.

Each claim's evidence sentence (its provenance offsets into the article text) is searched for
date expressions (``kg.dates``: "on April 2", "in March", "on Sunday", "last week", "in 2022"),
resolved against the article's publication date: backwards when the verb governing the
expression is in the past tense, forwards otherwise. A date right after a word of
``data/time_words.json`` changes meaning: "since 2023" starts a role, "until 2024" ends it,
"by 2027" is a deadline and dates nothing. A date dates a claim only when the verb it modifies
governs one of the claim's names: its own clause ("Hegseth arrived on Saturday") or a clause
above it ("Trump said on Tuesday that Washington had reached a deal"), the closest first, then
the nearest in the text; a date of another clause ("... since Russia invaded Ukraine in 2022,
and Zelensky has thanked Tokyo") leaves it undated. A dateline at the start of a paragraph
dates the article, not the fact. Nothing is dated that the text does not date.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from spacy.tokens import Doc, Token

from ..datafiles import package_json
from ..dates import DateMatch, dateline_end, iter_dates
from ..models import Article, Mention, PolicyClaim, Provenance, RoleClaim

PARAGRAPH = "\n\n"


@lru_cache(maxsize=1)
def time_words() -> dict[str, frozenset[str]]:
    data = package_json("data/time_words.json")
    return {k: frozenset(v) for k, v in data.items() if not k.startswith("_")}


def _token(doc: Doc, char: int) -> Token | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _governing_verb(tok: Token) -> Token:
    seen = 0
    while tok.pos_ not in ("VERB", "AUX") and tok.head is not tok and seen < 12:
        tok, seen = tok.head, seen + 1
    return tok


def _verb_chain(tok: Token) -> list[int]:
    """The verbs above ``tok`` (token indices), its own clause's first, up to the root."""
    chain: list[int] = []
    for _ in range(40):
        if tok.pos_ in ("VERB", "AUX") and tok.i not in chain:
            chain.append(tok.i)
        if tok.head is tok:
            break
        tok = tok.head
    return chain or [tok.i]


def _describes_another_noun(tok: Token, above: set[int]) -> bool:
    """A date inside a noun phrase ("the 1990 Gulf war") dates that noun, not the fact, unless
    the noun leads to one of the fact's names ("the 2022 invasion of Ukraine")."""
    head = tok.head
    return tok.dep_ in ("nummod", "compound", "amod", "poss") and head.pos_ in ("NOUN", "PROPN") and head.i not in above


def _is_past(doc: Doc, char: int) -> bool:
    tok = _token(doc, char)
    if tok is None:
        return True
    verb = _governing_verb(tok)
    tags = time_words()["past_tags"]
    if verb.tag_ == "MD" or any(c.tag_ == "MD" for c in verb.children):
        return False
    return verb.tag_ in tags or any(c.dep_ in ("aux", "auxpass") and c.tag_ in tags for c in verb.children)


def _word_before(text: str, start: int) -> str:
    m = re.search(r"(\w+)\W*$", text[:start])
    return m.group(1).lower() if m else ""


class SentenceDates:
    """The dates of one evidence sentence, sorted into fact dates, starts and ends."""

    def __init__(self, doc: Doc, article: Article, prov: Provenance) -> None:
        self.doc = doc
        text = article.text
        paragraph = text.rfind(PARAGRAPH, 0, prov.start)
        paragraph = 0 if paragraph < 0 else paragraph + len(PARAGRAPH)
        skip_until = paragraph + dateline_end(text[paragraph : paragraph + 300])
        words = time_words()
        self.dates: list[DateMatch] = []
        self.since: list[DateMatch] = []
        self.until: list[DateMatch] = []
        # dates inside a "since" clause ("has pledged aid since Russia invaded Ukraine in 2022"):
        # the start of what the verb above the clause says, in that verb's own clause only
        self.since_clause: list[DateMatch] = []
        self.clause_verb: dict[int, int] = {}
        sentence = text[prov.start : prov.end]
        found = iter_dates(sentence, article.published, lambda at: _is_past(doc, prov.start + at))
        for m in found:
            m = replace(m, start=m.start + prov.start, end=m.end + prov.start)
            if m.start < skip_until:
                continue
            before = _word_before(text[prov.start : m.start], m.start - prov.start)
            if m.kind == "month" and m.text.split()[0].lower() in words["since"] | words["until"]:
                before = m.text.split()[0].lower()  # "since March": the word is part of the match
            if re.match(r",? when\b", text[m.end : m.end + 6]):
                before = ""  # "since late May, when X said ...": the date of the when-clause
            elif before in words["ignore"]:
                continue
            if before in words["since"]:
                self.since.append(m)
            elif before in words["until"] or (before in words["until_after_since"] and self.since):
                self.until.append(m)
            elif before in words["until_after_since"] and m.kind != "weekday":
                continue  # "to 29 July 2025" ends a range whose start we could not read
            else:
                self.dates.append(m)
                self._since_clause(m)

    def _since_clause(self, m: DateMatch) -> None:
        tok = _token(self.doc, m.start)
        verb = _governing_verb(tok) if tok is not None else None
        if (
            verb is not None
            and verb.head is not verb
            and any(c.dep_ == "mark" and c.lower_ in time_words()["since"] for c in verb.children)
        ):
            self.since_clause.append(m)
            self.clause_verb[m.start] = verb.head.i

    def nearest(self, found: list[DateMatch], names: list[Mention], own_clause: bool = False) -> str | None:
        """The date of ``found`` whose verb governs one of ``names`` most closely, then the nearest."""
        if not found:  # most sentences give no date: their verb chains are not needed
            return None
        tokens = [t for n in names if (t := _token(self.doc, n.start)) is not None]
        chains = [_verb_chain(t) for t in tokens]
        above = {a.i for t in tokens for a in t.ancestors}
        best: tuple[int, int, int] | None = None
        value = None
        for m in found:
            tok = _token(self.doc, m.start)
            span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
            if tok is None or (span is not None and _describes_another_noun(span.root, above)):
                continue
            verb = self.clause_verb[m.start] if own_clause else _governing_verb(tok).i
            depth = min((chain.index(verb) for chain in chains if verb in chain), default=None)
            if depth is None or (own_clause and depth > 0):
                continue
            distance = min((max(n.start - m.end, m.start - n.end, 0) for n in names), default=0)
            if best is None or (depth, distance, m.start) < best:
                best, value = (depth, distance, m.start), m.value
        return value


def _dated(prov: Provenance, dates: SentenceDates, names: list[Mention], role: bool) -> Provenance:
    date = dates.nearest(dates.dates, names)
    since = dates.nearest(dates.since, names) or dates.nearest(dates.since_clause, names, own_clause=True)
    if not role:
        # a policy "since April" is dated by its start
        return replace(prov, date=date or since)
    return replace(prov, date=date, since=since, until=dates.nearest(dates.until, names))


def date_claims(
    doc: Doc, article: Article, roles: list[RoleClaim], policies: list[PolicyClaim]
) -> tuple[list[RoleClaim], list[PolicyClaim]]:
    """The claims with the dates their sentences give (``Provenance.date``, ``since``, ``until``)."""
    cache: dict[tuple[int, int], SentenceDates] = {}

    def dates_of(prov: Provenance) -> SentenceDates:
        key = (prov.start, prov.end)
        if key not in cache:
            cache[key] = SentenceDates(doc, article, prov)
        return cache[key]

    dated_roles = [
        replace(
            c,
            provenance=_dated(
                c.provenance, dates_of(c.provenance), [m for m in (c.person, c.org) if m is not None], True
            ),
        )
        for c in roles
    ]
    dated_policies = [
        replace(c, provenance=_dated(c.provenance, dates_of(c.provenance), [c.actor, c.target], False))
        for c in policies
    ]
    return dated_roles, dated_policies
