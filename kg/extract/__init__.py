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
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc

from ..models import Article, ArticleExtraction
from .mentions import MentionIndex, clean_name, find_mentions
from .policies.claims import extract_policies
from .policies.lexicon import PolicyLexicon, policy_lexicon
from .roles.claims import extract_roles
from .roles.lexicon import RoleLexicon, role_lexicon
from .when import date_claims

__all__ = [
    "Lexicon",
    "MentionIndex",
    "clean_name",
    "extract",
    "extract_policies",
    "extract_roles",
    "find_mentions",
    "lexicon",
]


@dataclass(frozen=True)
class Lexicon:
    roles: RoleLexicon
    policies: PolicyLexicon


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Both families' lexicons."""
    return Lexicon(role_lexicon(), policy_lexicon())


def extract(doc: Doc, article: Article) -> ArticleExtraction:
    mentions = find_mentions(doc)
    index = MentionIndex(doc, mentions)
    roles = extract_roles(doc, article, index)
    index.titles = [(r.provenance.start, frozenset(r.role.lower().split()), r.person) for r in roles]
    policies = extract_policies(doc, article, index)
    roles, policies = date_claims(doc, article, roles, policies)
    ordered = tuple(mentions[k] for k in sorted(mentions))
    return ArticleExtraction(article, ordered, tuple(roles), tuple(policies))
