"""Stage 4 helper: one spelling per title a person holds at an organisation.

"Secretary", "Defense Secretary" and "Secretary of Defense" for one person at one organisation
(with one status) are one role. The title that says most (the largest set of title words,
then the commonest spelling) becomes the canonical label of every fact it covers; what each
sentence wrote is kept as the fact's ``stated`` spelling (a ``skos:altLabel`` in the graph).
A title covers another when its words include the other's, with the same rank words
("Deputy" is another post) and the same head; a short title two longer ones would cover is
left as it is.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import replace
from functools import lru_cache

from .datafiles import package_json
from .models import RoleFact

JOINERS = {"of", "for", "the", "and", "to", "on", "in"}
SPELLINGS = {"defence": "defense", "programme": "program", "organisation": "organization"}


@lru_cache(maxsize=1)
def _roles_data() -> dict:
    """The role family's word lists, read without importing the extractor (and so spaCy):
    a build from the cache resolves without the NLP stack."""
    return package_json("extract/roles/roles.json")


def _words(title: str) -> frozenset[str]:
    text = title.lower()
    for written, usual in _roles_data()["normalise"].items():
        text = text.replace(written, usual)
    words = (SPELLINGS.get(w, w) for w in re.findall(r"[a-z]+", text))
    return frozenset(w for w in words if w not in JOINERS)


def _covers(big: frozenset[str], small: frozenset[str], ranks: frozenset[str]) -> bool:
    return bool(small) and small <= big and big & ranks == small & ranks


def canonical_titles(roles: list[RoleFact]) -> list[RoleFact]:
    ranks = frozenset(_roles_data()["rank"])
    groups: dict[tuple, Counter[str]] = defaultdict(Counter)
    for r in roles:
        groups[(r.person, r.org, r.status)][r.role] += 1
    chosen: dict[tuple, str] = {}
    for key, spellings in groups.items():
        words = {t: _words(t) for t in spellings}
        for title, own in words.items():
            tops = {frozenset(w) for t, w in words.items() if _covers(w, own, ranks)}
            biggest = [w for w in tops if not any(w < other for other in tops)]
            if len(biggest) != 1:
                continue  # covered by two different titles: whose it is stays open
            same = [t for t, w in words.items() if w == biggest[0]]
            best = max(same, key=lambda t: (t[:1].isupper(), spellings[t], len(t), t))
            if best != title:
                chosen[(*key, title)] = best
    out = []
    for r in roles:
        best = chosen.get((r.person, r.org, r.status, r.role))
        out.append(replace(r, role=best, stated=r.role) if best else r)
    return out
