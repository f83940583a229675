"""Person names across a corpus, for resolution (``kg.resolve``): a name folded to plain lower
case words, the set of its tokens, the full names a short one ("Harris", "S. Jaishankar") is
part of, and full names that are one person's (a transliteration, a longer form).

Each question is answered through an index of the corpus's names, never by comparing a name
with every other: the work grows with the names, not with their square (on 2,000 synthetic
articles naming 4,000 people, resolution took 63 s when it compared every pair).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

Tokens = frozenset[str]


@lru_cache(maxsize=65536)  # names repeat across articles: each is folded once
def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w\s-]", " ", text).split())


@lru_cache(maxsize=65536)
def tokens(name: str) -> Tokens:
    return frozenset(fold(name).replace("-", " ").split())


def part_of_name(short: Tokens, full: Tokens) -> bool:
    """ "Harris" or "S. Jaishankar" names the person "Tobias Harris" / "Subrahmanyam Jaishankar"."""
    if short == full or len(short) > len(full):
        return False
    initials = {t for t in short if len(t) == 1}
    words = short - initials
    rest = full - words
    return bool(words) and words <= full and all(any(r.startswith(i) for r in rest) for i in initials)


class FullNames:
    """The corpus's full names (token sets, in the order first seen), indexed by their words:
    ``containing(short)`` lists those ``short`` is part of, in that order."""

    def __init__(self, names: Iterable[Tokens]) -> None:
        self._by_word: dict[str, list[Tokens]] = defaultdict(list)
        for name in names:
            for word in name:
                self._by_word[word].append(name)
        self._found: dict[Tokens, list[Tokens]] = {}

    def containing(self, short: Tokens) -> list[Tokens]:
        found = self._found.get(short)
        if found is None:
            words = [t for t in short if len(t) > 1]  # a full name holds every word (not initial)
            if words:
                rarest = min(words, key=lambda w: len(self._by_word.get(w, ())))
                found = [full for full in self._by_word.get(rarest, ()) if part_of_name(short, full)]
            else:
                found = []
            self._found[short] = found
        return found


def vowel_variant(a: str, b: str) -> bool:
    """ "Khwaja" and "Khawaja": one spelling is the other with one vowel more."""
    if len(a) > len(b):
        a, b = b, a
    if len(a) < 4 or len(b) != len(a) + 1:
        return False
    return any(b[i] in VOWELS and b[:i] + b[i + 1 :] == a for i in range(1, len(b)))


VOWELS = "aeiouy"


def _without_a_vowel(word: str) -> set[str]:
    """The spellings ``word`` is a vowel variant of, one vowel shorter (see ``vowel_variant``)."""
    if len(word) <= 4:  # the shorter spelling has four letters at least
        return set()
    return {word[:i] + word[i + 1 :] for i in range(1, len(word)) if word[i] in VOWELS}


def name_variants(names: list[str]) -> dict[Tokens, Tokens]:
    """Full names that are one person's: a transliteration with one vowel more in one word, or a
    name of two or more words that a longer name ends with ("Lai Ching-te" in "William Lai
    Ching-te"), when only one longer name does. Token set -> the token set of the name kept.

    The names are taken in order; a name's variant is the first name in that order that is not
    yet another's variant. Indexes find the candidates: the names by their endings, and by
    each word (as written, and one vowel shorter) with the words around it."""
    words = {tokens(n): fold(n).split() for n in names}
    rank = {name: i for i, name in enumerate(words)}
    endings: dict[tuple[str, ...], list[Tokens]] = defaultdict(list)  # last k words (1 < k < all)
    as_written: dict[tuple, list[Tokens]] = defaultdict(list)  # (position, before, word, after)
    shorter: dict[tuple, list[Tokens]] = defaultdict(list)  # the same, the word a vowel shorter
    for name, ws in words.items():
        for k in range(2, len(ws)):
            endings[tuple(ws[-k:])].append(name)
        for i, word in enumerate(ws):
            before, after = tuple(ws[:i]), tuple(ws[i + 1 :])
            as_written[(i, before, word, after)].append(name)
            for short_word in _without_a_vowel(word):
                shorter[(i, before, short_word, after)].append(name)
    out: dict[Tokens, Tokens] = {}
    for short, sw in words.items():
        longer = endings.get(tuple(sw), []) if len(sw) >= 2 else []
        if len(longer) == 1:
            out[short] = longer[0]
            continue
        # Names the same but for one word, a vowel longer or shorter there: the only candidates.
        near: set[Tokens] = set()
        for i, word in enumerate(sw):
            before, after = tuple(sw[:i]), tuple(sw[i + 1 :])
            near.update(shorter.get((i, before, word, after), ()))
            for short_word in _without_a_vowel(word):
                near.update(as_written.get((i, before, short_word, after), ()))
        for other in sorted(near - {short}, key=rank.__getitem__):
            if other in out:
                continue
            diff = [(x, y) for x, y in zip(sw, words[other], strict=True) if x != y]
            if len(diff) == 1 and vowel_variant(*diff[0]):
                out[short] = other
                break
    return out
