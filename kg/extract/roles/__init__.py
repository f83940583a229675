"""The role family: person-role-organisation claims from role phrases placed next to a person.

Its lexicon is ``roles.json`` and its patterns (names, confidences, copulas, the possessive)
are ``patterns.jsonl``, both beside this file.
"""

from .lexicon import RoleLexicon, role_lexicon

__all__ = ["RoleLexicon", "role_lexicon"]
