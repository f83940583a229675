"""The model's attribute ruler matched over arrays (kg/attrmatch.py) gives every token the
attributes spaCy's Matcher gives it."""

from __future__ import annotations

import numpy as np
import pytest
import spacy
from conftest import CORPUS, SEEDS
from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG

from kg.attrmatch import ArrayMatch, use_array_matching

COLUMNS = [POS, TAG, MORPH, LEMMA, DEP]
# Rare exceptions of the tag map: a 2-token lemma rule ("gonna"), a REGEX ("ain't"), IN and NOT_IN.
TRICKY = "I'm gonna say it: ain't nothing like it. Y'all let's go, don't you?\n\nShe wasn't there."


def texts() -> list[str]:
    found = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    found += [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))] if SEEDS.is_dir() else []
    return [TRICKY, "", " ", *found]


@pytest.fixture(scope="module")
def pipelines(nlp):
    name = nlp.meta["lang"] + "_" + nlp.meta["name"]
    matcher, arrays = spacy.load(name), spacy.load(name)
    assert use_array_matching(arrays.get_pipe("attribute_ruler"))
    assert isinstance(arrays.get_pipe("attribute_ruler").match, ArrayMatch)
    return matcher, arrays


def test_attrmatch_tokens_get_the_attributes_the_matcher_gives(pipelines):
    matcher, arrays = pipelines
    sample = texts()
    assert len(sample) > 5
    for slow, fast in zip(matcher.pipe(sample), arrays.pipe(sample)):
        assert np.array_equal(slow.to_array(COLUMNS), fast.to_array(COLUMNS)), slow.text[:60]


def test_attrmatch_matches_are_the_rulers_own(pipelines):
    matcher, arrays = pipelines
    ruler, fast = matcher.get_pipe("attribute_ruler"), arrays.get_pipe("attribute_ruler").match
    with matcher.select_pipes(disable=["attribute_ruler", "lemmatizer", "ner"]):
        docs = list(matcher.pipe(texts()))
    found = [fast(doc) for doc in docs]
    assert found == [ruler.match(doc) for doc in docs]
    assert any(len({m[0] for m in f if m[3] - m[2] == 2}) for f in found)  # a 2-token rule matched


def test_attrmatch_keeps_the_matcher_for_patterns_it_does_not_know(nlp):
    blank = spacy.blank("en")
    ruler = blank.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "a", "OP": "+"}]], {"TAG": "DT"})
    assert not use_array_matching(ruler)
    assert "match" not in vars(ruler)  # spaCy's own method is still the one that runs
    assert not use_array_matching(blank.add_pipe("sentencizer"))
