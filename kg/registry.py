"""The relation-family registry: the one place that says what kinds of fact newsgraph has.

A *family* is one kind of fact (``role``, ``policy``, ``part_of``) with its *relations*: the
direct properties it writes. The families and their styles are data (``kg/data/families.json``);
the policy relations, their labels and their symmetry come from the ontology
(``ontology/policies.ttl`` top concepts, ``owl:SymmetricProperty`` in ``ontology/newsgraph.ttl``).
Graph building, exports, ``kg stats``, ``kg eval`` and the extractors iterate over this registry,
so adding a policy key is a change to data files only.

The registry reads the ontology with ``pyoxigraph``'s parser, not rdflib, so extraction
workers can use it without loading rdflib.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .datafiles import package_json
from .namespaces import BASE, PREFIXES
from .resources import ontology_text

NG_NS = BASE + "ontology#"
POLICY_SCHEME = BASE + "policy/scheme"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_OWL_SYMMETRIC = "http://www.w3.org/2002/07/owl#SymmetricProperty"


@dataclass(frozen=True)
class EdgeStyle:
    legend: str
    colour: str
    dashed: bool
    name: str | None = None  # the page's name for a family's second style (``mutual``)


@dataclass(frozen=True)
class Relation:
    """One direct property of a family: ``holdsRoleIn``, a policy key such as ``tariff``."""

    key: str
    label: str
    property: str  # full IRI of the direct property
    family: str
    symmetric: bool = False
    concept: str | None = None  # the SKOS concept (policies)


@dataclass(frozen=True)
class Family:
    name: str
    label: str
    relations: tuple[Relation, ...]
    node_class: str | None  # IRI of the qualified node class, if the family has one
    subject: str | None  # IRI of the qualified node's subject property
    object: str | None
    concept: str | None  # IRI of the qualified node's concept property (``ng:policy``), if any
    extractor: str | None  # module that extracts it
    eval_query: str | None  # competency query that scores it
    edge: EdgeStyle
    mutual_edge: EdgeStyle | None = None

    def relation(self, key: str) -> Relation:
        for rel in self.relations:
            if rel.key == key:
                return rel
        raise KeyError(f"{self.name} has no relation {key!r}")

    def edge_style(self, relation: Relation) -> EdgeStyle:
        return self.mutual_edge if relation.symmetric and self.mutual_edge else self.edge


def expand(curie: str | None) -> str | None:
    """``ng:actor`` -> full IRI, over ``kg.namespaces.PREFIXES``."""
    if curie is None:
        return None
    prefix, _, local = curie.partition(":")
    return str(PREFIXES[prefix]) + local


def _style(data: dict | None) -> EdgeStyle | None:
    return EdgeStyle(data["legend"], data["colour"], bool(data["dashed"]), data.get("name")) if data else None


def _policy_relations(taxonomy: str, ontology: str) -> tuple[Relation, ...]:
    from pyoxigraph import NamedNode, RdfFormat, Store

    store = Store()
    store.load(taxonomy.encode("utf-8"), format=RdfFormat.TURTLE)
    store.load(ontology.encode("utf-8"), format=RdfFormat.TURTLE)
    rows = store.query(
        f"""SELECT ?concept ?key ?label ?property WHERE {{
          <{POLICY_SCHEME}> <{_SKOS}hasTopConcept> ?concept .
          ?concept <{_SKOS}notation> ?key ; <{_SKOS}prefLabel> ?label ; <{NG_NS}directProperty> ?property .
        }} ORDER BY ?key"""
    )
    relations = []
    for row in rows:
        prop = row["property"]
        symmetric = any(store.quads_for_pattern(prop, NamedNode(_RDF_TYPE), NamedNode(_OWL_SYMMETRIC), None))
        relations.append(
            Relation(
                key=row["key"].value,
                label=row["label"].value,
                property=prop.value,
                family="policy",
                symmetric=symmetric,
                concept=row["concept"].value,
            )
        )
    return tuple(relations)


@lru_cache(maxsize=1)
def families() -> tuple[Family, ...]:
    """Every relation family, in the order of ``kg/data/families.json``."""
    data = package_json("data/families.json")
    out = []
    for item in data["families"]:
        name = item["name"]
        if "relations_from" in item:
            relations = _policy_relations(ontology_text(item["relations_from"]), ontology_text("newsgraph.ttl"))
        else:
            rel = item["relation"]
            relations = (Relation(rel["key"], rel["label"], expand(rel["property"]), name),)
        out.append(
            Family(
                name=name,
                label=item["label"],
                relations=relations,
                node_class=expand(item.get("node_class")),
                subject=expand(item.get("subject")),
                object=expand(item.get("object")),
                concept=expand(item.get("concept")),
                extractor=item.get("extractor"),
                eval_query=item.get("eval_query"),
                edge=_style(item["edge"]),
                mutual_edge=_style(item.get("mutual_edge")),
            )
        )
    return tuple(out)


def family(name: str) -> Family:
    for fam in families():
        if fam.name == name:
            return fam
    raise KeyError(f"no relation family {name!r}")


def policy_keys() -> dict[str, Relation]:
    """The policy keys of the ontology, in key order: ``{"alliance": Relation(...), ...}``."""
    return {rel.key: rel for rel in family("policy").relations}


def symmetric_policies() -> frozenset[str]:
    return frozenset(key for key, rel in policy_keys().items() if rel.symmetric)


def relation_for_property(iri: str) -> Relation | None:
    """The relation whose direct property is ``iri`` (any family), or None."""
    for fam in families():
        for rel in fam.relations:
            if rel.property == iri:
                return rel
    return None
