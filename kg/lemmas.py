"""The model's rule lemmatizer, asked once per distinct (word, part of speech, morphology) and
set over arrays, instead of once per token through a ``Token`` object.

spaCy's rule lemmatizer walks every token in Python (a ``Token`` made, three attributes read,
a cache looked up, the lemma set): about 7 µs a token, 4 % of the NLP time of a build. Its
answer depends only on the token's word, part of speech and morphology (spaCy caches it on
that key), so here the key of each token is read from the document's arrays, the lemmatizer
itself answers once per key it has not met before, and the lemmas are written with
``Doc.from_array``: every token gets the lemma spaCy gives it (``tests/test_lemmas.py``).
"""

from __future__ import annotations

from functools import cache

import numpy as np
from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.errors import Errors
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc

# Keys remembered at most (about 100 bytes each): a long build meets new words all the time;
# past this the memory is emptied and refilled from the lemmatizer (spaCy's own cache grows alike).
KNOWN_MAX = 200_000


def use_array_lemmas(lemmatizer: object) -> bool:
    """Run ``lemmatizer`` over arrays from now on; False (and nothing changed) if it is not
    spaCy's rule-based ``Lemmatizer``."""
    if not isinstance(lemmatizer, Lemmatizer) or lemmatizer.mode != "rule":
        return False
    lemmatizer.known = {}  # type: ignore[attr-defined]
    lemmatizer.__class__ = _array_class(type(lemmatizer))
    return True


@cache
def _array_class(cls: type) -> type:
    return type(f"Array{cls.__name__}", (ArrayLemmas, cls), {})


class ArrayLemmas:
    """Mixed into the model's lemmatizer class: its ``__call__`` over arrays."""

    known: dict[tuple[int, int, int], int]  # (orth, pos, morph) -> lemma hash

    def __call__(self, doc: Doc) -> Doc:
        if not self._validated:  # type: ignore[attr-defined]
            self._validate_tables(Errors.E1004)  # type: ignore[attr-defined]
        try:
            if len(doc):
                self._set_lemmas(doc)
            return doc
        except Exception as exc:  # as spaCy's lemmatizer reports its errors
            self.get_error_handler()(self.name, self, [doc], exc)  # type: ignore[attr-defined]

    def _set_lemmas(self, doc: Doc) -> None:
        orths, tags, morphs, lemmas = doc.to_array([ORTH, POS, MORPH, LEMMA]).T.tolist()
        overwrite = self.overwrite  # type: ignore[attr-defined]
        known = self.known
        if len(known) > KNOWN_MAX:
            known.clear()
        strings = doc.vocab.strings
        for i, key in enumerate(zip(orths, tags, morphs)):
            if lemmas[i] and not overwrite:
                continue  # set before (the attribute ruler's exceptions)
            lemma = known.get(key)
            if lemma is None:
                lemma = known[key] = strings.add(self.lemmatize(doc[i])[0])  # type: ignore[attr-defined]
            lemmas[i] = lemma
        doc.from_array([LEMMA], np.array(lemmas, dtype=np.uint64))
