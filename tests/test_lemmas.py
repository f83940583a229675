"""The model's lemmatizer run over arrays (kg/lemmas.py) gives every token the lemma spaCy's
own lemmatizer gives it."""

from __future__ import annotations

import pytest
import spacy
from conftest import CORPUS, SEEDS

from kg.lemmas import ArrayLemmas, use_array_lemmas

# Words the attribute ruler lemmatizes first ("'m", "gonna"), words in every part of speech,
# the same word in several (an overwrite would differ), and text in other cases.
TRICKY = "I'm gonna say it: ain't nothing like it. The leaders met; meeting leaders meet. Better, best, worse.\n\n"


def texts() -> list[str]:
    found = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    found += [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))] if SEEDS.is_dir() else []
    return [TRICKY, TRICKY.upper(), "", " ", *found, *(t.lower() for t in found[:3])]


@pytest.fixture(scope="module")
def pipelines(nlp):
    name = nlp.meta["lang"] + "_" + nlp.meta["name"]
    spacy_own, arrays = spacy.load(name), spacy.load(name)
    assert use_array_lemmas(arrays.get_pipe("lemmatizer"))
    return spacy_own, arrays


def test_lemmas_are_the_lemmatizers_own(pipelines):
    spacy_own, arrays = pipelines
    sample = texts()
    assert len(sample) > 6
    for _ in range(2):  # the second time, from what the first remembered
        for slow, fast in zip(spacy_own.pipe(sample), arrays.pipe(sample)):
            assert [t.lemma_ for t in slow] == [t.lemma_ for t in fast], slow.text[:60]
    # one call on one document (not through pipe) runs the same way
    assert [t.lemma_ for t in arrays(TRICKY)] == [t.lemma_ for t in spacy_own(TRICKY)]


def test_lemmas_memory_is_bounded_and_refills(pipelines, monkeypatch):
    import kg.lemmas

    spacy_own, arrays = pipelines
    monkeypatch.setattr(kg.lemmas, "KNOWN_MAX", 20)
    lemmatizer = arrays.get_pipe("lemmatizer")
    sample = texts()[4:7]
    for slow, fast in zip(spacy_own.pipe(sample), arrays.pipe(sample)):
        keys = {(t.orth, t.pos, t.morph.key) for t in fast}
        assert len(lemmatizer.known) <= 20 + len(keys)  # emptied before a document once past the bound
        assert [t.lemma_ for t in slow] == [t.lemma_ for t in fast]


def test_lemmas_overwrite_when_the_lemmatizer_is_told_to(pipelines):
    spacy_own, arrays = pipelines
    with arrays.select_pipes(disable=["lemmatizer"]):
        doc = arrays("I'm gonna say it.")
    assert doc[1].lemma_ == "be"  # the attribute ruler's lemma
    fast, slow = arrays.get_pipe("lemmatizer"), spacy_own.get_pipe("lemmatizer")
    assert fast(doc.copy())[1].lemma_ == "be"  # kept
    fast.overwrite = slow.overwrite = True
    try:
        overwritten = [t.lemma_ for t in fast(doc.copy())]
        assert overwritten == [t.lemma_ for t in slow(doc.copy())]
    finally:
        fast.overwrite = slow.overwrite = False
    assert overwritten[1] != "be"


def test_lemmas_leave_other_lemmatizers_alone():
    blank = spacy.blank("en")
    lookup = blank.add_pipe("lemmatizer", config={"mode": "lookup"})
    assert not use_array_lemmas(lookup)
    assert not isinstance(lookup, ArrayLemmas)
    assert not use_array_lemmas(blank.add_pipe("sentencizer"))
