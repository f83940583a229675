"""Mentions of people, organisations and countries in a parsed article, and an index over them."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from ..models import EntityType, Mention
from .data import shared_words
from .roles.lexicon import RoleLexicon, is_head, role_lexicon


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
        titles = shared_words().person_titles
        words = name.split()
        while len(words) > 1 and words[0].lower() in titles:
            words = words[1:]
        name = " ".join(words)
    return re.sub(r"\s+", " ", name).strip(' ,;:-"“”')


def find_mentions(doc: Doc) -> dict[int, Mention]:
    """Mentions keyed by the index of their first token."""
    from ..namecues import no_organisation  # the NER stage's word lists (kg.namecues imports this package)

    lex = role_lexicon()
    title_words = lex.domains | lex.heads | lex.rank
    out: dict[int, Mention] = {}
    for ent in doc.ents:
        typed = _mention_type(ent)
        if typed is None:
            continue
        type_, key, via = typed
        if key is None and all(t.lower_ in title_words or t.is_punct for t in ent) and _in_title(ent, lex):
            continue  # "Defense" in "Defense Secretary Pete Hegseth" is part of a title
        if key is None and type_ == EntityType.ORGANIZATION and _person_like(ent, lex):
            type_ = EntityType.PERSON
        elif key is None and type_ == EntityType.ORGANIZATION and no_organisation(ent):
            continue
        name = clean_name(ent.text, type_)
        if not re.search(r"\w", name) or (key is None and name.islower()):
            continue  # NER calls stray common nouns ("state") names now and then
        out[ent.start] = Mention(ent.text, name, type_, ent.start_char, ent.end_char, key, via)
    return out


def _in_title(ent: Span, lex: RoleLexicon) -> bool:
    """Title words the NER called a name are part of a title when they hold a title's head or one
    follows ("Defense Secretary"); "Economic Advisory Council" on its own is a body."""
    doc = ent.doc
    following = doc[ent.end] if ent.end < len(doc) else None
    if ent.start >= 2 and doc[ent.start - 1].lower_ in lex.connectors and is_head(doc[ent.start - 2], lex):
        return True  # "Secretary of State"
    return any(t.lower_ in lex.heads for t in ent) or following is not None and following.lower_ in lex.title_words


def _person_like(ent: Span, lex: RoleLexicon) -> bool:
    """An ORG from the NER that is a personal name standing in a person's place.

    The small English model often calls people organisations ("Makoto Nishida, Secretary
    General of ..."): two or three capitalised words with no organisation word, directly
    followed by an appositive title or directly after a title.
    """
    words = [t for t in ent if not t.is_punct]
    names = [t for t in words if t.lower_ not in lex.name_particles or t in (words[0], words[-1])]
    if not 2 <= len(names) <= 4 or any(not t.is_title or t.lower_ in lex.org_words for t in names):
        return False  # "Ana Pereira e Sousa": particles inside a name are lower case
    doc = ent.doc
    before = doc[ent.start - 1] if ent.start > 0 else None
    if before is not None and before.text == "," and _title_of_country_before(doc, ent.start - 1, lex):
        return True  # "the prime minister of Cape Verde, P"
    if before is not None and (
        before.lower_ in lex.heads or before.is_lower and before.lower_ in lex.domains | lex.rank
    ):
        return True  # "Foreign Minister P", "chief of staff P"
    after = doc[ent.end : ent.end + 4]
    return len(after) >= 2 and after[0].text == "," and any(t.lower_ in lex.heads for t in after[1:])


def _title_of_country_before(doc: Doc, comma: int, lex: RoleLexicon) -> bool:
    """ "the president of X," ending at token ``comma``: a title head, "of" and a country."""
    j = comma - 1
    while j > 0 and doc[j].ent_id_.startswith("country:"):
        j -= 1
    return j < comma - 1 and j >= 1 and doc[j].lower_ == "of" and doc[j - 1].lower_ in lex.heads


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
        subject_deps = shared_words().subject_deps
        people = []
        for j in range(i - 1, max(-1, i - window), -1):
            hit = self.by_token.get(j)
            if hit and hit[2].type == EntityType.PERSON and (not people or people[-1][1] is not hit[2]):
                head = self.doc[hit[0] : hit[1]].root
                people.append((head.dep_ in subject_deps, hit[2]))
        subjects = [p for is_subject, p in people if is_subject]
        return subjects[0] if subjects else (people[0][1] if people else None)
