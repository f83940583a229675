"""The policy family: country-policy-country claims from trigger words and phrases.

Its trigger lexicon is ``triggers.json`` and its pattern table ``patterns.jsonl``, both beside
this file; its valid keys and their symmetry come from the ontology (``kg.registry``).
``claims.extract_policies`` is the entry point.
"""

from .lexicon import PolicyLexicon, policy_lexicon

__all__ = ["PolicyLexicon", "policy_lexicon"]
