"""Loading the extractors' data: word sets (JSON) and pattern tables (JSONL).

Every family keeps its lexicon and its ``patterns.jsonl`` beside its code. A pattern row has a
``name`` and a ``confidence`` (in [0, 1]); rows with a ``pattern`` are spaCy ``Matcher`` token
patterns. The code looks every confidence up by name, so none is written in Python.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy is imported where a matcher is built: the word lists are read without it
    from spacy.vocab import Vocab

from ..datafiles import package_json


def load_json(package: str, name: str) -> dict:
    """``name`` in the sub-package ``package`` ("kg.extract.roles")."""
    return package_json("/".join([*package.split(".")[1:], name]))


def load_jsonl(package: str, name: str) -> list[dict]:
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def lower_set(items: Iterable[str]) -> frozenset[str]:
    return frozenset(w.lower() for w in items)


class WordSets:
    """The lists of a JSON file as frozensets, by key; ``_comment`` keys are skipped."""

    def __init__(self, data: dict) -> None:
        self._sets = {k: frozenset(v) for k, v in data.items() if not k.startswith("_") and isinstance(v, list)}

    def __getattr__(self, key: str) -> frozenset[str]:
        try:
            return self.__dict__["_sets"][key]
        except KeyError:
            raise AttributeError(key) from None


@lru_cache(maxsize=1)
def shared_words() -> WordSets:
    """``kg/extract/words.json``: word and label sets used by more than one extractor."""
    return WordSets(load_json("kg.extract", "words.json"))


@dataclass(frozen=True)
class PatternTable:
    """The rows of one family's ``patterns.jsonl``."""

    rows: tuple[dict, ...]

    def confidence(self, name: str) -> float:
        for row in self.rows:
            if row["name"] == name:
                return float(row["confidence"])
        raise KeyError(f"no pattern {name!r}")

    def row(self, name: str) -> dict:
        return next(row for row in self.rows if row["name"] == name)

    def token_patterns(self, name: str) -> list[list[dict]]:
        return [row["pattern"] for row in self.rows if row["name"] == name and "pattern" in row]


@lru_cache(maxsize=4)
def pattern_table(package: str) -> PatternTable:
    return PatternTable(tuple(load_jsonl(package, "patterns.jsonl")))


_MATCHERS: dict[tuple[int, str], tuple[Vocab, Callable]] = {}


def matcher(vocab: Vocab, key: str, patterns: Callable[[], list[tuple[str, list[list[dict]]]]]) -> Callable:
    """A matcher over ``vocab`` with ``patterns()`` (match id, token patterns), built once per vocab
    and key: called on a ``Doc`` or ``Span``, it gives (match id, start, end) as spaCy's ``Matcher``
    does, offsets within what it was given. Patterns that are all fixed lower-case words are run
    by a ``PhraseMatcher`` (one hash lookup a token, not every pattern at every token)."""
    cached = _MATCHERS.get((id(vocab), key))
    if cached is not None and cached[0] is vocab:
        return cached[1]
    listed = patterns()
    phrases = _phrases(listed)
    if phrases is not None:
        m = PhraseMatches(vocab, phrases)
    else:
        from spacy.matcher import Matcher

        m = Matcher(vocab)
        for match_id, token_patterns in listed:
            m.add(match_id, token_patterns)
    _MATCHERS[(id(vocab), key)] = (vocab, m)
    return m


def _phrases(listed: list[tuple[str, list[list[dict]]]]) -> list[tuple[str, list[list[str]]]] | None:
    """The word sequences of ``listed`` if every token of every pattern is one lower-case ``LOWER`` value."""
    found = []
    for match_id, token_patterns in listed:
        words = []
        for pattern in token_patterns:
            if not pattern or any(list(spec) != ["LOWER"] for spec in pattern):
                return None
            values = [spec["LOWER"] for spec in pattern]
            if not all(isinstance(v, str) and v and v == v.lower() for v in values):
                return None
            words.append(values)
        found.append((match_id, words))
    return found


class PhraseMatches:
    """Fixed word sequences matched on ``LOWER`` by a ``PhraseMatcher``, with the ``Matcher``'s
    offsets (the ``PhraseMatcher`` gives a span's matches in document offsets) and order."""

    def __init__(self, vocab: Vocab, phrases: list[tuple[str, list[list[str]]]]) -> None:
        from spacy.matcher import PhraseMatcher
        from spacy.tokens import Doc

        self.matcher = PhraseMatcher(vocab, attr="LOWER")
        for match_id, sequences in phrases:
            self.matcher.add(match_id, [Doc(vocab, words=words) for words in sequences])

    def __call__(self, doclike) -> list[tuple[int, int, int]]:
        offset = getattr(doclike, "start", 0)
        found = [(match_id, start - offset, end - offset) for match_id, start, end in self.matcher(doclike)]
        return sorted(found, key=lambda m: (m[1], m[2], m[0]))
