"""The model's attribute ruler (tag map and exceptions: ``pos_``, ``morph``, some lemmas),
matched over arrays of token attributes instead of by spaCy's ``Matcher``, and set without a
``Span`` per match.

The ``Matcher`` tries every pattern at every token: with the 180 patterns of the small English
model it took 3 of the 33 CPU seconds of NLP on 120 articles, as much as the parser. Here each
pattern is a few numpy comparisons over the document's columns (``Doc.to_array``), and the
matches are handed to the ruler's own ``set_annotations`` in the order its ``match`` gives
them, so every token gets the same attributes (``tests/test_attrmatch.py`` compares them).

Only what the patterns of spaCy's English models use is supported: string attributes compared
with a value, ``IN``, ``NOT_IN`` or ``REGEX``, and boolean flags. A pipeline with any other
pattern (an operator such as ``OP``, an extension attribute) keeps the ``Matcher``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
from spacy.attrs import IDS
from spacy.pipeline import AttributeRuler
from spacy.strings import StringStore
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

# Attributes whose column holds the hash of a string, and boolean flags (0 or 1).
STRING_ATTRS = {"ORTH", "LOWER", "NORM", "TAG", "DEP", "LEMMA", "SHAPE"}
FLAG_ATTRS = {"IS_SPACE", "IS_PUNCT", "IS_ALPHA", "IS_DIGIT", "IS_TITLE", "IS_UPPER", "IS_LOWER", "LIKE_NUM"}
ALIASES = {"TEXT": "ORTH"}

Test = Callable[[np.ndarray], np.ndarray]  # a column slice -> which of its tokens pass


class Unsupported(ValueError):
    """A pattern this matcher cannot run: the ruler keeps spaCy's ``Matcher``."""


def use_array_matching(ruler: object) -> bool:
    """Match ``ruler``'s patterns over arrays from now on; False (and nothing changed) if it is
    not spaCy's ``AttributeRuler`` or one of its patterns is of a kind this module does not support."""
    if not isinstance(ruler, AttributeRuler):
        return False
    try:
        match = ArrayMatch(ruler)
    except Unsupported:
        return False
    ruler.match = match  # the two methods AttributeRuler.__call__ calls
    ruler.set_annotations = match.annotate
    return True


class ArrayMatch:
    """``AttributeRuler.match`` over arrays: [(attribute set index, match id, start, end)], sorted."""

    def __init__(self, ruler: AttributeRuler) -> None:
        self.ruler = ruler
        self.strings: StringStore = ruler.vocab.strings
        self.columns: list[str] = []
        self.rules: list[tuple[int, int, list[list[tuple[int, Test]]]]] = []
        for index, entry in enumerate(ruler.patterns):
            match_id = self.strings.add(str(index))  # the key AttributeRuler gives its patterns
            for pattern in entry["patterns"]:
                if not isinstance(pattern, list) or not pattern:
                    raise Unsupported(f"pattern {pattern!r}")
                self.rules.append((index, match_id, [self._token(spec) for spec in pattern]))

    def _token(self, spec: dict) -> list[tuple[int, Test]]:
        tests = []
        for key, value in spec.items():
            attr = ALIASES.get(key.upper(), key.upper())
            if attr in STRING_ATTRS:
                tests += [(self._column(attr), test) for test in self._string_tests(value)]
            elif attr in FLAG_ATTRS and isinstance(value, bool):
                tests.append((self._column(attr), _equal(np.uint64(value))))
            else:
                raise Unsupported(f"{key}: {value!r}")
        return tests

    def _column(self, attr: str) -> int:
        if attr not in IDS:
            raise Unsupported(attr)
        if attr not in self.columns:
            self.columns.append(attr)
        return self.columns.index(attr)

    def _string_tests(self, value: object) -> list[Test]:
        if isinstance(value, str):
            return [_equal(np.uint64(self.strings.add(value)))]
        if not isinstance(value, dict) or not value:
            raise Unsupported(repr(value))
        tests = []
        for op, arg in value.items():
            if op in ("IN", "NOT_IN") and isinstance(arg, list) and all(isinstance(a, str) for a in arg):
                hashes = np.array([self.strings.add(a) for a in arg], dtype=np.uint64)
                tests.append(_member(hashes, op == "IN"))
            elif op == "REGEX" and isinstance(arg, str):
                tests.append(_Regex(re.compile(arg), self.strings))
            else:
                raise Unsupported(f"{op}: {arg!r}")
        return tests

    def __call__(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        n = len(doc)
        if not n:
            return []
        table = doc.to_array(self.columns).reshape(n, len(self.columns))
        matches = []
        for index, match_id, tokens in self.rules:
            length = len(tokens)
            starts = n - length + 1
            if starts <= 0:
                continue
            found = np.ones(starts, dtype=bool)
            for offset, tests in enumerate(tokens):
                for column, test in tests:
                    found &= test(table[offset : offset + starts, column])
            matches += [(index, match_id, start, start + length) for start in np.flatnonzero(found).tolist()]
        matches.sort()
        return matches

    def annotate(self, doc: Doc, matches: list[tuple[int, int, int, int]]) -> None:
        """``AttributeRuler.set_annotations``, in the same order, without making a ``Span`` per match."""
        attrs, indices = self.ruler.attrs, self.ruler.indices
        for match in matches:
            index, _match_id, start, end = match
            at = indices[index]
            position = start + at if at >= 0 else end + at
            if not start <= position < end:  # the ruler raises its own error for that
                AttributeRuler.set_annotations(self.ruler, doc, [match])
            set_token_attrs(doc[position], attrs[index])


def _equal(value: np.uint64) -> Test:
    return lambda column: column == value


def _member(hashes: np.ndarray, inside: bool) -> Test:
    return lambda column: np.isin(column, hashes, invert=not inside)


class _Regex:
    """The Matcher's ``REGEX`` on a string attribute: ``re.search`` on the string, remembered per string."""

    def __init__(self, pattern: re.Pattern, strings: StringStore) -> None:
        self.pattern = pattern
        self.strings = strings
        self.seen: dict[int, bool] = {}

    def __call__(self, column: np.ndarray) -> np.ndarray:
        hits = []
        for key in np.unique(column).tolist():
            found = self.seen.get(key)
            if found is None:
                found = self.seen[key] = bool(self.pattern.search(self._text(key)))
            if found:
                hits.append(key)
        return np.isin(column, np.array(hits, dtype=np.uint64))

    def _text(self, key: int) -> str:
        try:
            return self.strings[key]
        except KeyError:  # as the Matcher reads an unknown hash
            return ""
