"""Stage 4 helper: whose state a bare title is ("Finance Minister P", no country written).

Resolution first uses the state the person serves elsewhere in the corpus; failing that it
guesses the country the article is about, with a confidence below 0.5. This module makes that
guess and leaves out the countries the sentence itself gives to someone else.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from .models import ArticleExtraction, EntityType, Mention, Provenance

if TYPE_CHECKING:
    from .resolve import Resolver


def focus_country(
    ex: ArticleExtraction, resolver: Resolver, sentence: Provenance, person: str, states: dict[str, str]
) -> str | None:
    """The country an article names most often (by name, demonym or capital) for ``person``'s
    bare title in ``sentence``, leaving out the countries the sentence gives to another title
    ("... met the French Trade Minister") or to another person in it, and countries named
    less than a third as often as the article's first (then nothing is guessed)."""
    a = ex.article.content_hash
    countries = [m for m in ex.mentions if m.type == EntityType.COUNTRY]
    taken = {resolver.key(a, m) for m in countries if sentence.start <= m.start < sentence.end and _titled(ex, m)}
    counts = country_mentions(ex, resolver)
    people = {
        resolver.key(a, m)
        for m in ex.mentions
        if m.type == EntityType.PERSON and sentence.start <= m.start < sentence.end
    }
    taken |= {resolver.state_of(p, states) for p in people if p != person} - {None}
    top = max(counts.values()) if counts else 0
    counts = Counter({k: n for k, n in counts.items() if k not in taken and 3 * n >= top})
    if not counts:
        return None
    best = max(counts.values())
    return min(k for k, n in counts.items() if n == best)


def country_mentions(ex: ArticleExtraction, resolver: Resolver, demonyms: bool = True) -> Counter[str]:
    """How often the article names each country (its entity key); ``demonyms``: "Japanese" counts."""
    a = ex.article.content_hash
    return Counter(
        resolver.key(a, m) for m in ex.mentions if m.type == EntityType.COUNTRY and (demonyms or m.via != "demonym")
    )


def _titled(ex: ArticleExtraction, m: Mention) -> bool:
    """A country written before a title word ("US Secretary", "Kenya's Ambassador", "Ugandan counterpart")."""
    from .extract.roles.lexicon import role_lexicon

    lex = role_lexicon()  # the title words are the role family's data
    following = re.match(r"(?:['\u2019]s)?\s+([A-Za-z-]+)", ex.article.text[m.end : m.end + 40])
    return following is not None and following.group(1).lower() in lex.heads | lex.rank | lex.counterpart_words
