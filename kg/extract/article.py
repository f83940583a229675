"""Extract one parsed article: its mentions, then each family's claims, then their dates."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc

from ..models import Article, ArticleExtraction
from .mentions import MentionIndex, find_mentions
from .policies.claims import extract_policies
from .policies.lexicon import PolicyLexicon, policy_lexicon
from .roles.claims import extract_roles
from .roles.lexicon import RoleLexicon, role_lexicon
from .when import date_claims


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
