"""Names the NER misses, found by the words around them (``data/name_cues.json``).

The cues are general: a common noun that calls the capitalised run beside it an
organisation ("the X company", "newspaper, X,", 'the company "X"'); the holders of a plural
title listed after a dash or colon ("the Presidents of A and B - P1 and P2"); and a name set
off by commas right after a title ("EPP member, P, said"); a name before an age ("P, 45,"); an
organisation the NER cut short ("the People's National Congress").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .datafiles import package_json
from .extract.roles.lexicon import is_head, role_lexicon

OPEN_QUOTES = {"\u201c", '"', "\u2018", "'"}
CLOSE_QUOTES = {"\u201d", '"', "\u2019", "'"}
# Entity labels a cue may not overrule: a place, a date or a known body is no new name.
KEEP_LABELS = {"GPE", "LOC", "FAC", "DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY"}


@dataclass(frozen=True)
class NameCues:
    org_descriptors: frozenset[str]
    list_openers: frozenset[str]
    ui_words: frozenset[str]
    place_words: frozenset[str]
    common_acronyms: frozenset[str]


@lru_cache(maxsize=1)
def name_cues() -> NameCues:
    data = package_json("data/name_cues.json")
    return NameCues(*(frozenset(data[k]) for k in NameCues.__dataclass_fields__))


def no_organisation(ent: Span) -> bool:
    """An NER organisation that is none: a sharing-bar word ("Share"), a region ("Indo-Pacific
    region"), a common-noun acronym ("LNG"), a lone adjective ("Transactional"), an "-ism"."""
    cues = name_cues()
    words = [t for t in ent if t.is_alpha]
    if not words or ent.text in cues.common_acronyms:
        return bool(words)
    if len(words) == 1 and (words[0].lower_ in cues.ui_words or words[0].pos_ == "ADJ"):
        return True
    return words[-1].lower_.endswith("ism") or all(t.lower_ in cues.place_words for t in words)


def _capital(tok) -> bool:
    return not tok.is_punct and (tok.is_title or tok.is_upper and len(tok) > 1) and tok.is_alpha


def _free(span: Span) -> bool:
    """No place, date, gazetteer name or title word inside: the run may be a new name."""
    title_words = role_lexicon().title_words
    words = [t for t in span if t.is_alpha and t.lower_ != "the"]
    return not any(t.ent_type_ in KEEP_LABELS or t.ent_id_ or t.is_sent_start for t in span) and not any(
        t.lower_ in title_words for t in words
    )


def _run_before(doc: Doc, i: int) -> Span | None:
    """ "the Qatari X company": capitalised words before the descriptor, ending in a proper noun."""
    start = i
    while start > 0 and _capital(doc[start - 1]) and doc[start - 1].pos_ in {"PROPN", "ADJ"}:
        start -= 1
    if start == i or doc[i - 1].pos_ != "PROPN" or doc[i - 1].ent_type_ in {"NORP", "PERSON", "ORG"}:
        return None
    span = Span(doc, start, i, label="ORG")
    return span if _free(doc[i - 1 : i]) and not any(t.ent_type_ in KEEP_LABELS for t in span) else None


def _run_after(doc: Doc, i: int) -> Span | None:
    """'newspaper, The X,' or 'the company "X"': a name set off by a comma or quotes."""
    j = i + 1
    if j >= len(doc) or (doc[j].text != "," and doc[j].text not in OPEN_QUOTES):
        return None
    quoted = doc[j].text in OPEN_QUOTES
    start = end = j + 1
    if end < len(doc) and doc[end].lower_ == "the" and doc[end].is_title:
        end += 1
    while end < len(doc) and (_capital(doc[end]) or doc[end].text in {"-", "&"} and end > start):
        end += 1
    words = [t for t in doc[start:end] if t.is_alpha]
    closer = doc[end].text if end < len(doc) else "."
    closed = closer in CLOSE_QUOTES if quoted else closer in {",", ")"}
    if not (1 <= len(words) <= 5 and closed and doc[end - 1].is_alpha) or doc[start:end].text.lower() == "the":
        return None
    span = Span(doc, start, end, label="ORG")
    if any(t.ent_type_ in {"PERSON", "ORG", "NORP"} and not t.ent_id_ for t in span) and not quoted:
        return None  # "the company, Reuters reported": the NER has a reading already
    return span if _free(span) else None


def _org_spans(doc: Doc) -> list[Span]:
    descriptors = name_cues().org_descriptors
    out = []
    for tok in doc:
        if tok.pos_ == "NOUN" and tok.text.islower() and tok.lower_ in descriptors:
            span = _run_before(doc, tok.i) if tok.i else None
            out.append(span or _run_after(doc, tok.i))
    return [s for s in out if s is not None]


def _joining_hyphen(doc: Doc, j: int, start: int) -> bool:
    return doc[j].text == "-" and j > start and not doc[j - 1].whitespace_


def _name_runs(doc: Doc, i: int) -> tuple[list[Span], int]:
    """Names from token i on, joined by "and" or commas: each two to four capitalised words."""
    names: list[Span] = []
    while i < len(doc):
        end = i
        while end < len(doc) and (_capital(doc[end]) or _joining_hyphen(doc, end, i)):
            end += 1
        if not 2 <= len([t for t in doc[i:end] if t.is_alpha]) <= 4 or not _free(doc[i:end]):
            return names, i
        names.append(Span(doc, i, end, label="PERSON"))
        if end < len(doc) and doc[end].text in {",", "and"}:
            i = end + 1
            if i < len(doc) and doc[i].text == "and":
                i += 1
        else:
            return names, end
    return names, i


def _list_spans(doc: Doc) -> list[Span]:
    """ "the Presidents of A and B - P1 and P2": a plural title, then its holders after a dash."""
    openers, out = name_cues().list_openers, []
    for tok in doc:
        if tok.tag_ not in {"NNS", "NNPS"} or not is_head(tok):
            continue
        for j in range(tok.i + 1, min(tok.i + 12, len(doc) - 1)):
            if doc[j].text == "." or doc[j].is_sent_start:  # the sentence ends (``.sent`` would rebuild it)
                break
            if doc[j].text in openers and doc[j].text != ",":
                names, _ = _name_runs(doc, j + 1)
                if len(names) >= 2:
                    out += names
                break
    return out


def _between_commas(doc: Doc) -> list[Span]:
    """ "EPP member, P, said": a name right after a title and a comma, closed by a comma."""
    out = []
    for tok in doc[2:]:
        before = doc[tok.i - 1]
        if before.text != "," or not is_head(doc[tok.i - 2]) or not _capital(tok) or tok.pos_ != "PROPN":
            continue
        names, _ = _name_runs(doc, tok.i)
        end = names[0].end if names else tok.i
        closed = names and end < len(doc) and doc[end].text == ","
        if closed and not any(t.ent_type_ in {"ORG", "PERSON"} for t in names[0]):
            out.append(names[0])
    return out


def _org_heads_extended(doc: Doc) -> list[Span]:
    """ "the People's National Congress" when the NER kept only "Congress": an organisation
    grows left over capitalised words and a possessive "'s" of its own noun phrase, back to "the";
    so does a one-word gazetteer alias, which the longer name shows to be another body."""
    out = []
    for ent in doc.ents:
        if ent.label_ != "ORG" or ent.ent_id_ and len(ent) > 1 or ent.start == 0:
            continue  # a one-word gazetteer alias ("Congress") may be the end of another body's name
        start = ent.start
        while start > 0 and (
            _capital(doc[start - 1])
            and doc[start - 1].pos_ == "PROPN"
            and not doc[start - 1].ent_type_
            or doc[start - 1].lower_ in {"'s", "\u2019s"}
            and start - 1 > ent.sent.start
            and _capital(doc[start - 2])
        ):
            start -= 1
        grows = start < ent.start and doc[start].head.i in range(start, ent.end) or doc[start].head.i >= ent.start
        if start < ent.start and grows and doc[start - 1].lower_ == "the" and not doc[start].is_sent_start:
            out.append(Span(doc, start, ent.end, label="ORG"))
    return out


def _aged(doc: Doc) -> list[Span]:
    """ "Muizzu, 45, leads ...": a name followed by an age between commas is a person."""
    out = []
    for tok in doc[2:-1]:
        age = tok.text.isdigit() and len(tok.text) == 2 and doc[tok.i - 1].text == "," and doc[tok.i + 1].text == ","
        start = end = tok.i - 1
        while age and start > 0 and _capital(doc[start - 1]) and doc[start - 1].pos_ == "PROPN" and end - start < 4:
            start -= 1
        if age and start < end and not any(t.ent_type_ in KEEP_LABELS - {"DATE"} or t.ent_id_ for t in doc[start:end]):
            out.append(Span(doc, start, end, label="PERSON"))
    return out


@Language.component("name_cues")
def find_cued_names(doc: Doc) -> Doc:
    found = filter_spans(
        _org_spans(doc) + _list_spans(doc) + _between_commas(doc) + _org_heads_extended(doc) + _aged(doc)
    )
    if found:
        keep = [e for e in doc.ents if not any(e.start < f.end and f.start < e.end for f in found)]
        doc.ents = filter_spans(keep + found)
        for tok in (t for span in found for t in span):
            tok.ent_id_ = ""  # a demonym's gazetteer id must not cling to the new name
    return doc
