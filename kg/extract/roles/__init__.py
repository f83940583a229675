"""The role family: person-role-organisation claims from role phrases placed next to a person.

Its lexicon is ``roles.json`` and its patterns (names, confidences, copulas, the possessive)
are ``patterns.jsonl``, both beside this file. ``claims.extract_roles`` is the entry point
(``kg.extract`` imports it; this package init stays light so ``kg.nlp`` can read the lexicon).
"""

from .lexicon import RoleLexicon, role_lexicon

__all__ = ["RoleLexicon", "role_lexicon"]
