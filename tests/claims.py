"""The claims of an extraction as plain tuples, for the extraction tests to compare."""

from __future__ import annotations


def roles(extraction):
    return {(r.person.name, r.role.lower(), r.org.name if r.org else None, r.status) for r in extraction.roles}


def policies(extraction):
    return {(p.actor.name, p.policy, p.target.name) for p in extraction.policies}
