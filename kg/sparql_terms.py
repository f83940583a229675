"""The words of a SPARQL query a newcomer gets wrong: an undeclared prefix (an error that names
it and the known ones) and an ``ng:`` term our ontology does not have (a warning with the
closest term, since such a query runs and silently matches nothing). Used by ``kg.query``.
"""

from __future__ import annotations

import difflib
import re

from .errors import QueryError
from .namespaces import PREFIXES


def strip_comments(text: str) -> str:
    """The query without IRIs, strings and comments: what is left are keywords, names, variables."""
    return re.sub(r"(?m)#[^\n]*$", "", re.sub(r"<[^>\s]*>|\"[^\"\n]*\"|'[^'\n]*'", " ", text))


# A prefixed name's prefix (``ng:`` of ``ng:Country``), once IRIs, strings and comments are gone.
_PREFIXED = re.compile(r"(?<![\w?$:.\-])([A-Za-z][\w\-]*)?:(?=[\w(\s]|$)")
_DECLARED = re.compile(r"\bPREFIX\s+([A-Za-z][\w\-]*)?:", re.IGNORECASE)


def unknown_prefixes(text: str) -> list[str]:
    """Prefixes the query uses that are neither predeclared nor declared with PREFIX."""
    declared = set(PREFIXES) | {m.group(1) or "" for m in _DECLARED.finditer(text)}
    used = (m.group(1) or "" for m in _PREFIXED.finditer(strip_comments(text)))
    return list(dict.fromkeys(p for p in used if p not in declared))


def unknown_prefix_error(prefix: str) -> QueryError:
    known = " ".join(f"{p}:" for p in PREFIXES)
    return QueryError(f"unknown prefix '{prefix}:' (known: {known}; or declare it: PREFIX {prefix}: <namespace IRI>)")


def ontology_terms() -> set[str]:
    """The local names of ``ng:`` that mean something: our ontology's terms and the policy relations."""
    from .namespaces import NG
    from .registry import policy_keys

    terms = set(NG.__annotations__)
    terms |= {rel.property.rsplit("#", 1)[-1] for rel in policy_keys().values()}
    return terms


def term_warnings(text: str) -> list[str]:
    """A warning for each ``ng:`` term the ontology does not have: it would match nothing."""
    if not any(m.group(1) == "ng" for m in _PREFIXED.finditer(strip_comments(text))):
        return []
    declared = {m.group(1): m for m in _DECLARED.finditer(text)}
    if "ng" in declared:  # the query binds ng: itself
        return []
    terms = ontology_terms()
    used = dict.fromkeys(re.findall(r"(?<![\w?$:.\-])ng:([A-Za-z_][\w\-]*)", strip_comments(text)))
    warnings = []
    for name in used:
        if name in terms:
            continue
        by_case = {t.casefold(): t for t in terms}
        close = difflib.get_close_matches(name, sorted(terms), n=1, cutoff=0.6) or (
            [by_case[name.casefold()]] if name.casefold() in by_case else []
        )
        hint = f"did you mean ng:{close[0]}?" if close else "see docs/graph-model.md for the terms"
        warnings.append(f"ng:{name} is not a term of the newsgraph ontology, so it matches nothing ({hint})")
    return warnings
