"""The one place that owns newsgraph's namespaces and IRIs.

Every IRI the project writes is built here from a normalised key, so the same input always
gives the same IRI. Terms of our ontology come from ``NG`` (a closed ``DefinedNamespace``):
a misspelt term raises at import time, and a test keeps it in step with ``ontology/*.ttl``.
The policy properties are not listed: ``kg.registry`` reads them from the ontology.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

BASE = "https://w3id.org/newsgraph/"


class NG(DefinedNamespace):
    """The newsgraph ontology (``ontology/newsgraph.ttl``)."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # classes
    Entity: URIRef
    Person: URIRef
    Organization: URIRef
    Country: URIRef
    Article: URIRef
    RoleAssignment: URIRef
    PolicyRelation: URIRef
    RoleStatus: URIRef
    PolicyConcept: URIRef
    # role statuses (individuals of RoleStatus)
    current: URIRef
    former: URIRef
    nominee: URIRef
    # qualified-node properties (role assignments also use org:member and org:organization)
    roleLabel: URIRef
    status: URIRef
    actor: URIRef
    target: URIRef
    policy: URIRef
    evidence: URIRef
    startOffset: URIRef
    endOffset: URIRef
    pattern: URIRef
    confidence: URIRef
    # direct relation properties
    holdsRoleIn: URIRef
    policyRelation: URIRef  # the policy properties (ng:tariff, ...) are its sub-properties: they
    # come from the ontology through kg.registry, so a new policy key needs no change here
    # the property for a policy concept's direct triple
    directProperty: URIRef
    # entity and article properties
    mentionedIn: URIRef
    sourceFile: URIRef


SCHEMA = Namespace("http://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
WD = Namespace("http://www.wikidata.org/entity/")
ID = Namespace(BASE + "id/")
POLICY = Namespace(BASE + "policy/")

PREFIXES: dict[str, Namespace | str] = {
    "ng": str(NG._NS),
    "id": ID,
    "policy": POLICY,
    "schema": SCHEMA,
    "org": ORG,
    "prov": PROV,
    "dcterms": DCTERMS,
    "skos": SKOS,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "wd": WD,
}

ENTITY_KINDS = ("person", "organization", "country")


def slug(text: str) -> str:
    """A readable, stable IRI segment: ASCII, lower case, words joined by '-'."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text[:80] or "x"


def digest(*parts: object, length: int = 12) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:length]


def entity_iri(kind: str, key: str) -> URIRef:
    """``id/person/donald-trump``; a slug that lost most of its text gets a digest suffix."""
    if kind not in ENTITY_KINDS:
        raise ValueError(f"unknown entity kind {kind!r}")
    s = slug(key)
    if s == "x" or len(s.replace("-", "")) < sum(c.isalnum() for c in key) // 2:
        s = f"{s}-{digest(key, length=8)}"
    return ID[f"{kind}/{s}"]


def article_iri(content_hash: str) -> URIRef:
    return ID[f"article/{content_hash[:16]}"]


def role_assignment_iri(*key: object) -> URIRef:
    return ID[f"role/{digest(*key)}"]


def policy_relation_iri(*key: object) -> URIRef:
    return ID[f"policy-relation/{digest(*key)}"]


@lru_cache(maxsize=1024)  # one per policy key, asked for every policy fact
def policy_concept_iri(key: str) -> URIRef:
    return POLICY[key]


def wikidata_iri(qid: str) -> URIRef:
    return WD[qid]
