"""Stage 2: the spaCy pipeline — model choice, gazetteers and their merge with the NER.

The statistical NER is corrected, not replaced: the gazetteers (``data/*.json``) are loaded
into a ``SpanRuler`` that writes ``doc.spans["gazetteer"]``, and the ``gazetteer_merge``
component decides, span by span, whether the gazetteer or the NER is right.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

import numpy as np
import spacy
from spacy.attrs import IS_SPACE, POS
from spacy.language import Language
from spacy.parts_of_speech import PROPN
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .attrmatch import use_array_matching
from .errors import ModelError
from .gazetteer import Gazetteer, load_gazetteer
from .lemmas import use_array_lemmas
from .modelchoice import MODEL_PREFERENCE, available_models, default_model  # noqa: F401 (re-exported)
from .namecues import find_cued_names  # noqa: F401 (registers the "name_cues" component)

GAZETTEER_KEY = "gazetteer"
# NER labels that may legitimately contain a gazetteer name ("Japan Foresight", "U.S. Forces Japan").
CONTAINERS = {"ORG", "FAC", "WORK_OF_ART", "EVENT", "LAW", "PRODUCT"}
# Components kg/extract relies on: pos_/tag_ (tagger, attribute_ruler or morphologizer),
# lemma_ (trigger lookup), dep_ and sentences (parser), entities (ner), and their embeddings.
EMBEDDINGS = {"tok2vec", "transformer"}
NEEDED_COMPONENTS = EMBEDDINGS | {"tagger", "morphologizer", "attribute_ruler", "lemmatizer", "parser", "ner"}


@Language.component("paragraph_boundaries")
def paragraph_boundaries(doc: Doc) -> Doc:
    """A paragraph break always ends a sentence: the parser alone runs headlines into text."""
    for i in np.flatnonzero(doc.to_array(IS_SPACE)[:-1]).tolist():  # the space tokens, not the last
        if "\n" in doc[i].text:
            doc[i + 1].is_sent_start = True
    return doc


def _split_dotted_compounds(nlp: Language) -> None:
    """Split "U.S.-Japan" into "U.S.", "-", "Japan" as spaCy already does for "US-Japan"."""
    infixes = [*nlp.Defaults.infixes, r"(?<=[A-Z]\.)[-\u2013](?=[A-Z])"]
    nlp.tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer


@Language.factory("gazetteer_merge")
def make_gazetteer_merge(nlp: Language, name: str) -> GazetteerMerge:
    return GazetteerMerge()


class GazetteerMerge:
    """Put gazetteer matches into ``doc.ents``, keeping longer NER names that contain them."""

    def __call__(self, doc: Doc) -> Doc:
        matches = filter_spans(doc.spans.get(GAZETTEER_KEY, []))
        ents = list(doc.ents)
        chosen: list[Span] = []
        for match in matches:
            before = doc[match.start - 1] if match.start else None
            if before is not None and before.is_title and before.lower_ in _region_words() and match.label_ == "GPE":
                continue  # "South America" is no mention of "America"
            overlapping = [e for e in ents if e.start < match.end and match.start < e.end]
            if any(self._ner_wins(e, match) for e in overlapping):
                continue
            if overlapping:
                gone = {id(e) for e in overlapping}  # by identity: comparing spans is slow
                ents = [e for e in ents if id(e) not in gone]
                # "ambassador to Kenya P": the NER ran a country into the name after it
                ents += [Span(doc, match.end, e.end, label=e.label) for e in overlapping if self._name_after(e, match)]
            chosen.append(match)
        doc.ents = filter_spans(chosen + [self._title_dropped(self._trimmed(e)) for e in ents])
        return doc

    @staticmethod
    def _name_after(ent: Span, match: Span) -> bool:
        return ent.label_ == "PERSON" and ent.start == match.start and ent.end - match.end >= 2

    @staticmethod
    def _title_dropped(ent: Span) -> Span:
        """An NER organisation ending in a title ("National Assembly Speaker") keeps only the body's
        name; an NER person starting with a state title ("King P") only the name."""
        from .extract.roles.lexicon import role_lexicon

        lex = role_lexicon()
        start = ent.start
        while ent.label_ == "PERSON" and start < ent.end - 1 and ent.doc[start].lower_ in lex.state_titles:
            start += 1
        if start > ent.start:
            return Span(ent.doc, start, ent.end, label=ent.label)
        end = ent.end
        while ent.label_ == "ORG" and end - 1 > ent.start and ent.doc[end - 1].lower_ in lex.heads:
            end -= 1
        last = ent.doc[end - 1]
        if end == ent.end or last.pos_ != "PROPN" or last.lower_ in lex.title_words:
            return ent
        return Span(ent.doc, ent.start, end, label=ent.label)

    @staticmethod
    def _trimmed(ent: Span) -> Span:
        """Drop words the NER swept into a name at a sentence start ("Later R. Menon")."""
        start = ent.start
        while start < ent.end - 1 and ent.doc[start].pos_ in {"ADV", "ADP", "DET", "CCONJ", "SCONJ", "PART", "PRON"}:
            start += 1
        return ent if start == ent.start else Span(ent.doc, start, ent.end, label=ent.label)

    @staticmethod
    def _ner_wins(ent: Span, match: Span) -> bool:
        contains = ent.start <= match.start and match.end <= ent.end and len(ent) > len(match)
        if not contains:
            return False
        rest = [t for t in ent if not match.start <= t.i < match.end and not t.is_punct]
        if match.label_ in {"GPE", "NORP"} and rest and all(t.lower_ in _region_words() for t in rest):
            return True  # "South America", "Central American": a region, not the country inside
        if ent.label_ in CONTAINERS and match.label_ in {"GPE", "NORP"}:
            # "Japan Foresight" is a name; "Philippine Defense" is a country and a title word;
            # "the Administration of France | President P": the country ending the name is the title's
            after = ent.doc[ent.end] if ent.end < len(ent.doc) else None
            if match.end == ent.end and after is not None and after.lower_ in _title_words() and after.is_title:
                return False
            rest = [t for t in ent if not match.start <= t.i < match.end and not t.is_punct]
            return not all(t.lower_ in _title_words() for t in rest)
        # "Donald Trump Jr." or "Kim Jong Un" found by NER around a shorter gazetteer name; a surname
        # that is also a body's name ("Anne Marie Wagner") after two or more given names
        given = [t for t in ent.doc[ent.start : match.start] if t.pos_ == "PROPN" and t.is_title]
        surname = match.label_ == "ORG" and match.end == ent.end and len(given) >= 2 == match.start - ent.start
        return ent.label_ == "PERSON" and (match.label_ == "PERSON" or surname)


def _region_words() -> frozenset[str]:
    """Compass words that make a region of a country's name (``extract/words.json``)."""
    from .extract.data import shared_words

    return shared_words().region_words


def _title_words() -> frozenset[str]:
    """Words of role titles (``extract/roles/roles.json``): an NER name made of a country and these is no name."""
    from .extract.roles.lexicon import role_lexicon

    return role_lexicon().title_words


@Language.component("person_names")
def person_names(doc: Doc) -> Doc:
    """People the NER missed, found by where they stand: "Tanvi Madan, a senior fellow at ...",
    "Orysia Lutsevych, who heads ...". A run of two to four capitalised proper nouns directly
    followed by an appositive title or a "who" clause becomes a PERSON, unless a gazetteer
    name or an organisation word is in it."""
    from .extract.roles.lexicon import role_lexicon

    lex = role_lexicon()
    heads, org_words, clause_verbs = lex.heads, lex.org_words, lex.person_clause_verbs
    found: list[Span] = []
    countries = {s.start: s for s in doc.spans.get(GAZETTEER_KEY, []) if s.label_ == "GPE"}
    i = 0
    # A name starts at a proper noun: the walk goes from one to the next, past the names found.
    for start in np.flatnonzero(doc.to_array(POS) == PROPN).tolist():
        if start < i:
            continue
        i = end = start
        while end < len(doc) and (_name_word(doc[end]) or doc[end].text == "-" and end > i and end + 1 < len(doc)):
            end += 1
            if doc[end - 1].text == "-" and end < len(doc) and doc[end].is_alpha:
                end += 1  # "Yeo Han-koo", "Chung Dong-young": the second syllable is lower case
        if end == i:  # no name starts here: on to the next proper noun
            continue
        words = [t for t in doc[i:end] if t.text != "-"]
        plain = 2 <= len(words) <= 4 and not any(t.lower_ in org_words | _title_words() for t in words)
        if plain and _stands_as_person(doc, end, heads, clause_verbs) and not any(t.ent_id_ for t in doc[i:end]):
            country = countries.get(i)
            if country is not None and end - country.end >= 2:
                found.append(country)  # "ambassador to Kenya P": the NER ran the country into the name
                i = country.end
            found.append(Span(doc, i, end, label="PERSON"))
        i = max(end, i + 1)
    if found:
        keep = [e for e in doc.ents if not any(e.start < f.end and f.start < e.end for f in found)]
        doc.ents = filter_spans(keep + found)
    return doc


def _name_word(tok) -> bool:
    return tok.pos_ == "PROPN" and (tok.is_title or tok.text[:1].isupper() and "." in tok.text) and not tok.is_punct


def _stands_as_person(doc: Doc, end: int, heads: set[str], clause_verbs: set[str]) -> bool:
    if end + 1 >= len(doc) or doc[end].text != ",":
        return False
    if doc[end + 1].lower_ == "who":
        return end + 2 < len(doc) and doc[end + 2].lemma_.lower() in clause_verbs
    for tok in doc[end + 1 : end + 8]:
        if tok.is_punct and tok.text not in {"-", "'s", "\u2019s"}:
            return False
        if tok.lower_ in heads or tok.lemma_.lower() in heads:
            return True
    return False


def _gazetteer_patterns(gazetteer: Gazetteer) -> list[dict]:
    return [{"label": e.label, "pattern": e.text, "id": e.key} for e in gazetteer.ruler_entries()]


@lru_cache(maxsize=4)
def load_pipeline(model: str | None = None) -> Language:
    """The model with our gazetteer components; ``model=None`` picks the best installed one."""
    name = model or default_model()
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        installed = ", ".join(available_models()) or "none"
        raise ModelError(f"cannot load spaCy model {name!r} (installed: {installed}); pass --model NAME") from exc
    if "ner" not in nlp.pipe_names or "parser" not in nlp.pipe_names:
        raise ModelError(
            f"spaCy model {name!r} has no NER or parser; choose an English pipeline such as en_core_web_sm"
        )
    # Run only what extraction reads (tags, lemmas, parse, entities): e.g. a textcat is dropped.
    for unused in [n for n in nlp.pipe_names if n not in NEEDED_COMPONENTS]:
        nlp.remove_pipe(unused)
    _split_dotted_compounds(nlp)
    if "attribute_ruler" in nlp.pipe_names:
        use_array_matching(nlp.get_pipe("attribute_ruler"))  # the same attributes, in a tenth of the time
    if "lemmatizer" in nlp.pipe_names:
        use_array_lemmas(nlp.get_pipe("lemmatizer"))  # the same lemmas, once per distinct word and tag
    nlp.add_pipe("paragraph_boundaries", before="parser")
    ruler = nlp.add_pipe(
        "span_ruler",
        name="gazetteer_ruler",
        after="ner",
        config={"spans_key": GAZETTEER_KEY, "annotate_ents": False, "overwrite": True},
    )
    # Phrase patterns match on ORTH and need only the tokenizer; add_patterns would otherwise
    # run the tagger, parser and NER over every pattern (seconds at each start).
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns(_gazetteer_patterns(load_gazetteer()))
    nlp.add_pipe("gazetteer_merge", after="gazetteer_ruler")
    nlp.add_pipe("person_names", after="gazetteer_merge")
    nlp.add_pipe("name_cues", after="person_names")
    return nlp


def parse(texts: Iterable[str], model: str | None = None, batch_size: int = 8) -> Iterator[Doc]:
    nlp = load_pipeline(model)
    yield from nlp.pipe(texts, batch_size=batch_size)


def model_id(model: str | None = None) -> str:
    """``name-version`` of the model in use, recorded in the graph's metadata."""
    nlp = load_pipeline(model)
    return f"{nlp.meta.get('lang', 'en')}_{nlp.meta['name']}-{nlp.meta['version']}"
