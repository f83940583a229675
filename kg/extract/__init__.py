"""Stage 3: mentions and relation claims from a parsed article.

One sub-package per relation family, each with its lexicon and its pattern table as data:

- ``roles``: person-role-organisation claims from role phrases (``roles/roles.json``) placed
  next to a person: a title before the name, an appositive, a copula ("X is founder of Y"),
  a relative clause ("X, who serves as Y"), a role verb or a possessive.
- ``policies``: country-policy-country claims from trigger words (``policies/triggers.json``)
  whose actor and target are found through the dependency parse. Sentences with negation or
  hypotheticals near the trigger give nothing.

``mentions`` finds the people, organisations and countries; ``syntax`` holds the parse helpers
both families share; ``words.json`` the word and label sets they share. ``when`` dates the
claims of both families from their sentences once they are built.

This package's import stays light (no spaCy): resolution reads the family word lists in
processes that never parse. The names below are imported when first used.
"""

from __future__ import annotations

import importlib

_HOMES = {
    "Lexicon": ".article",
    "extract": ".article",
    "lexicon": ".article",
    "MentionIndex": ".mentions",
    "clean_name": ".mentions",
    "find_mentions": ".mentions",
    "extract_policies": ".policies.claims",
    "extract_roles": ".roles.claims",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str):
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home, __name__), name)
