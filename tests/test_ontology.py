"""The ontology, policy taxonomy, SHACL shapes and SPARQL queries under ontology/.

They are checked against kg.namespaces (the one list of our terms) and against the
hand-written example graph tests/data/sample_graph.ttl (docs/graph-model.md).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pyoxigraph
import pyshacl
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS

from kg.namespaces import ID, ORG, POLICY, SCHEMA, policy_concept_iri
from kg.namespaces import NG as NG_DEFINED
from kg.registry import policy_keys
from kg.resources import ontology_file, ontology_text, query_files

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology"
QUERIES = ONTOLOGY / "queries"
SAMPLE = ROOT / "tests" / "data" / "sample_graph.ttl"
SCORE = Path("/work/shared/eval/score.py")
GOLD = Path("/work/shared/eval/gold")
# a plain Namespace: pytest probing rdflib's closed XSD namespace while collecting warns
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

ONTOLOGY_IRI = URIRef("https://w3id.org/newsgraph/ontology")
NG_NS = str(NG_DEFINED._NS)
# an open namespace: the policy properties are not in kg.namespaces.NG, the registry reads them
NG = Namespace(NG_NS)
NG_TERMS = set(NG_DEFINED.__annotations__) | set(policy_keys())
POLICY_KEYS = {
    "alliance",
    "tariff",
    "trade_negotiation",
    "trade",
    "investment",
    "defence_spending_demand",
    "diplomatic_engagement",
    "security_threat",
    "support",
    "withdrawal",
}
SYMMETRIC_KEYS = {"alliance", "diplomatic_engagement", "trade_negotiation", "trade"}
COMPETENCY_QUERIES = ("entities.rq", "person_role_org.rq", "country_policy_country.rq")
EXAMPLE_QUERIES = (
    "roles_of_person.rq",
    "policies_between.rq",
    "facts_about_entity.rq",
    "countries_acting_on.rq",
    "who_holds_which_role.rq",
    "people_in_organisation.rq",
    "dated_facts.rq",
    "roles_on_date.rq",
)

# resources of the sample graph
ART1 = ID["article/ffbd79dac19ee2e0"]
ART2 = ID["article/227660503113b5f0"]
ISHIBA, TRUMP = ID["person/shigeru-ishiba"], ID["person/donald-trump"]
HEGSETH, RUTTE = ID["person/pete-hegseth"], ID["person/mark-rutte"]
JAPAN, US, CHINA = ID["country/japan"], ID["country/united-states"], ID["country/china"]
NATO = ID["organization/nato"]
ROLE_ISHIBA, ROLE_HEGSETH = ID["role/1de127a2a936"], ID["role/ebf1d7f67c0f"]
ROLE_RUTTE = ID["role/666ecfdd7d12"]
REL_TARIFF, REL_TALKS = ID["policy-relation/4b6c57699c8e"], ID["policy-relation/611ab2078aaf"]
REL_THREAT = ID["policy-relation/14a598a5ecec"]
DOC1A, DOC1B = "articles/001_japan_tariffs.txt", "mirror/japan-tariffs.txt"
DOC2 = "articles/002_nato_china.txt"


def load(*paths: Path) -> Graph:
    g = Graph()
    for p in paths:
        g.parse(p, format="turtle")
    return g


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load(ONTOLOGY / "newsgraph.ttl")


@pytest.fixture(scope="module")
def policies() -> Graph:
    return load(ONTOLOGY / "policies.ttl")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load(ONTOLOGY / "shapes.ttl")


@pytest.fixture()
def sample() -> Graph:
    return load(SAMPLE)


def text(term) -> str | None:
    return None if term is None else str(term)


def select(graph: Graph, name: str) -> list[tuple]:
    """Rows of a query file as tuples of strings (None for unbound), in the query's order."""
    result = graph.query((QUERIES / name).read_text(encoding="utf-8"))
    return [tuple(text(row[v]) for v in result.vars) for row in result]


def select_oxigraph(path: Path, name: str) -> list[tuple]:
    store = pyoxigraph.Store()
    store.load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
    result = store.query((QUERIES / name).read_text(encoding="utf-8"))
    names = [v.value for v in result.variables]
    return [tuple(None if s[v] is None else s[v].value for v in names) for s in result]


def validate(data: Graph, shapes: Graph, **kwargs) -> tuple[bool, Graph, str]:
    kwargs.setdefault("inference", "none")
    kwargs.setdefault("ont_graph", None)
    conforms, results, report = pyshacl.validate(data, shacl_graph=shapes, **kwargs)
    return conforms, results, report


def ng_local(term) -> str | None:
    s = str(term)
    return s[len(NG_NS) :] if isinstance(term, URIRef) and s.startswith(NG_NS) else None


# --- parsing ----------------------------------------------------------------------------------

TTL_FILES = sorted(ONTOLOGY.glob("*.ttl")) + [SAMPLE]


@pytest.mark.parametrize("path", TTL_FILES, ids=lambda p: p.name)
def test_ontology_turtle_parses_with_rdflib_and_oxigraph(path: Path):
    g = load(path)
    triples = list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(g) > 0
    assert len(triples) == len(g)


def test_ontology_files_exist():
    assert {p.name for p in ONTOLOGY.glob("*.ttl")} >= {"newsgraph.ttl", "policies.ttl", "shapes.ttl"}
    assert {p.name for p in QUERIES.glob("*.rq")} == set(COMPETENCY_QUERIES) | set(EXAMPLE_QUERIES)


def test_ontology_loader_reads_the_repository_files():
    # kg.resources is how the code finds these files, installed or not; here it is the repository's
    for name in ("newsgraph.ttl", "policies.ttl", "shapes.ttl"):
        assert ontology_text(name) == (ONTOLOGY / name).read_text(encoding="utf-8")
        assert ontology_file(name).resolve() == (ONTOLOGY / name).resolve()
    assert [p.name for p in query_files()] == sorted(p.name for p in QUERIES.glob("*.rq"))


# --- newsgraph.ttl ----------------------------------------------------------------------------


def test_ontology_header(ontology: Graph):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.title) is not None
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.description) is not None
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.1.0")


DECLARATION_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.NamedIndividual}


def declared_ng_terms(ontology: Graph) -> set[str]:
    return {
        ng_local(s) for s, t in ontology.subject_objects(RDF.type) if t in DECLARATION_TYPES and ng_local(s) is not None
    }


def test_ontology_declares_every_ng_term(ontology: Graph):
    assert NG_TERMS - declared_ng_terms(ontology) == set()


def test_ontology_declares_only_ng_terms(ontology: Graph):
    subjects = {ng_local(s) for s in ontology.subjects() if ng_local(s) is not None}
    assert declared_ng_terms(ontology) - NG_TERMS == set()
    assert subjects - NG_TERMS == set()


def test_ontology_terms_have_label_and_comment(ontology: Graph):
    for name in sorted(NG_TERMS):
        term = NG[name]
        assert ontology.value(term, RDFS.label) is not None, name
        assert ontology.value(term, RDFS.comment) is not None, name


def test_ontology_term_kinds(ontology: Graph):
    classes = {
        "Entity",
        "Person",
        "Organization",
        "Country",
        "Article",
        "RoleAssignment",
        "PolicyRelation",
        "RoleStatus",
        "PolicyConcept",
    }
    datatype = {
        "roleLabel": XSD.string,
        "evidence": XSD.string,
        "startOffset": XSD.integer,
        "endOffset": XSD.integer,
        "pattern": XSD.string,
        "confidence": XSD.decimal,
        "sourceFile": XSD.string,
    }
    for name in classes:
        assert (NG[name], RDF.type, OWL.Class) in ontology, name
    for name, rng in datatype.items():
        assert (NG[name], RDF.type, OWL.DatatypeProperty) in ontology, name
        assert ontology.value(NG[name], RDFS.range) == rng, name
    objects = NG_TERMS - classes - set(datatype) - {"current", "former", "nominee"}
    for name in objects:
        assert (NG[name], RDF.type, OWL.ObjectProperty) in ontology, name


def test_ontology_role_statuses(ontology: Graph):
    for name in ("current", "former", "nominee"):
        assert (NG[name], RDF.type, OWL.NamedIndividual) in ontology
        assert (NG[name], RDF.type, NG.RoleStatus) in ontology
        assert set(ontology.objects(NG[name], RDFS.label)) == {Literal(name)}


def test_ontology_reuses_standard_vocabularies(ontology: Graph):
    for sub, sup in [
        (NG.Person, SCHEMA.Person),
        (NG.Person, NG.Entity),
        (NG.Organization, ORG.Organization),
        (NG.Organization, SCHEMA.Organization),
        (NG.Organization, NG.Entity),
        (NG.Country, NG.Organization),
        (NG.Country, SCHEMA.Country),
        (NG.Article, SCHEMA.NewsArticle),
        (NG.RoleAssignment, ORG.Membership),
        (NG.PolicyConcept, SKOS.Concept),
    ]:
        assert (sub, RDFS.subClassOf, sup) in ontology, (sub, sup)
    assert (NG.holdsRoleIn, RDFS.subPropertyOf, ORG.memberOf) in ontology


def test_ontology_policy_properties(ontology: Graph):
    subs = {ng_local(p) for p in ontology.subjects(RDFS.subPropertyOf, NG.policyRelation)}
    assert subs == POLICY_KEYS
    symmetric = {ng_local(p) for p in ontology.subjects(RDF.type, OWL.SymmetricProperty)}
    assert symmetric == SYMMETRIC_KEYS


# --- policies.ttl -----------------------------------------------------------------------------

SCHEME = POLICY["scheme"]


def test_ontology_policy_top_concepts(policies: Graph):
    assert (SCHEME, RDF.type, SKOS.ConceptScheme) in policies
    tops = set(policies.subjects(SKOS.topConceptOf, SCHEME))
    assert tops == set(policies.objects(SCHEME, SKOS.hasTopConcept))
    notations = {}
    for top in tops:
        (notation,) = policies.objects(top, SKOS.notation)
        assert notation.datatype is None and notation.language is None, top
        notations[str(notation)] = top
    assert set(notations) == POLICY_KEYS
    for key, top in notations.items():
        assert top == policy_concept_iri(key)
        assert {(top, RDF.type, SKOS.Concept), (top, RDF.type, NG.PolicyConcept), (top, SKOS.inScheme, SCHEME)} <= set(
            policies
        )
        assert policies.value(top, SKOS.prefLabel).language == "en"
        assert policies.value(top, SKOS.definition) is not None
        assert list(policies.objects(top, NG.directProperty)) == [NG[key]]
        assert policies.value(top, SKOS.broader) is None


def test_ontology_policy_narrower_concepts(policies: Graph):
    narrower = set(policies.subjects(SKOS.broader, None))
    assert 6 <= len(narrower) <= 10
    for concept in narrower:
        (top,) = policies.objects(concept, SKOS.broader)
        key = str(policies.value(top, SKOS.notation))
        notation = str(policies.value(concept, SKOS.notation))
        assert notation.startswith(key + ".")
        assert concept == policy_concept_iri(notation)
        assert (top, SKOS.narrower, concept) in policies
        assert (concept, SKOS.inScheme, SCHEME) in policies
        assert (concept, SKOS.topConceptOf, SCHEME) not in policies
        assert (concept, RDF.type, NG.PolicyConcept) in policies
        assert policies.value(concept, SKOS.prefLabel) is not None
        assert policies.value(concept, SKOS.definition) is not None
        assert list(policies.objects(concept, NG.directProperty)) == [NG[key]]


def test_ontology_files_use_only_ng_terms():
    used: set[str] = set()
    for path in TTL_FILES:
        for triple in load(path):
            used |= {ng_local(t) for t in triple if ng_local(t) is not None}
    for path in QUERIES.glob("*.rq"):
        used |= set(re.findall(r"\bng:(\w+)", path.read_text(encoding="utf-8")))
    assert used - NG_TERMS == set()


# --- shapes.ttl -------------------------------------------------------------------------------


def test_ontology_shapes_are_valid_shacl(shapes: Graph, sample: Graph):
    conforms, _, report = validate(sample, shapes, meta_shacl=True)
    assert conforms, report


def test_ontology_sample_graph_contains_policies(sample: Graph, policies: Graph):
    assert set(policies) - set(sample) == set()


def test_ontology_sample_graph_conforms(sample: Graph, shapes: Graph):
    conforms, _, report = validate(sample, shapes)
    assert conforms, report


def test_ontology_sample_graph_conforms_with_rdfs_inference(sample: Graph, shapes: Graph, ontology: Graph):
    conforms, _, report = validate(sample, shapes, ont_graph=ontology, inference="rdfs")
    assert conforms, report


def test_ontology_symmetric_direct_triple_either_direction(sample: Graph, shapes: Graph):
    sample.remove((JAPAN, NG.trade_negotiation, US))
    sample.add((US, NG.trade_negotiation, JAPAN))
    conforms, _, report = validate(sample, shapes)
    assert conforms, report


def _set(node, prop, value) -> Callable[[Graph], None]:
    def change(g: Graph) -> None:
        g.remove((node, prop, None))
        if value is not None:
            g.add((node, prop, value))

    return change


def _remove(*triple) -> Callable[[Graph], None]:
    def change(g: Graph) -> None:
        g.remove(triple)

    return change


def _add(*triple) -> Callable[[Graph], None]:
    def change(g: Graph) -> None:
        g.add(triple)

    return change


def _chain(*changes: Callable[[Graph], None]) -> Callable[[Graph], None]:
    def change(g: Graph) -> None:
        for c in changes:
            c(g)

    return change


def _blank_person(g: Graph) -> None:
    b = BNode()
    g.add((b, RDF.type, NG.Person))
    g.add((b, RDFS.label, Literal("Nobody")))
    g.add((b, NG.mentionedIn, ART1))


# name: (change, a focus node of the results (None: a blank node), the constraint component hit)
BROKEN = {
    "person_without_label": (_set(ISHIBA, RDFS.label, None), ISHIBA, "MinCount"),
    "person_with_two_labels": (_add(ISHIBA, RDFS.label, Literal("Ishiba Shigeru")), ISHIBA, "MaxCount"),
    "entity_blank_node": (_blank_person, None, "NodeKind"),
    "entity_not_mentioned": (_set(CHINA, NG.mentionedIn, None), CHINA, "MinCount"),
    "same_as_not_wikidata": (_add(JAPAN, OWL.sameAs, URIRef("https://en.wikipedia.org/wiki/Japan")), JAPAN, "Pattern"),
    "article_without_title": (_set(ART2, DCTERMS.title, None), ART2, "MinCount"),
    "article_without_source_file": (_set(ART2, NG.sourceFile, None), ART2, "MinCount"),
    "role_member_not_person": (_set(ROLE_ISHIBA, ORG.member, JAPAN), ROLE_ISHIBA, "Class"),
    "role_org_is_person": (_set(ROLE_HEGSETH, ORG.organization, TRUMP), ROLE_HEGSETH, "Or"),
    "role_blank_label": (_set(ROLE_ISHIBA, NG.roleLabel, Literal(" ")), ROLE_ISHIBA, "Pattern"),
    "role_status_literal": (_set(ROLE_ISHIBA, NG.status, Literal("current")), ROLE_ISHIBA, "In"),
    "role_two_statuses": (_add(ROLE_ISHIBA, NG.status, NG.former), ROLE_ISHIBA, "MaxCount"),
    "role_without_direct_triple": (_remove(ISHIBA, NG.holdsRoleIn, JAPAN), ROLE_ISHIBA, "SPARQL"),
    "confidence_above_one": (_set(ROLE_HEGSETH, NG.confidence, Literal(Decimal("1.5"))), ROLE_HEGSETH, "MaxInclusive"),
    "confidence_negative": (_set(REL_THREAT, NG.confidence, Literal(Decimal("-0.1"))), REL_THREAT, "MinInclusive"),
    "confidence_double": (_set(REL_THREAT, NG.confidence, Literal(0.6)), REL_THREAT, "Datatype"),
    "start_after_end": (
        _chain(_set(REL_THREAT, NG.startOffset, Literal(200)), _set(REL_THREAT, NG.endOffset, Literal(107))),
        REL_THREAT,
        "LessThan",
    ),
    "negative_offset": (_set(REL_TALKS, NG.startOffset, Literal(-1)), REL_TALKS, "MinInclusive"),
    "offset_not_integer": (_set(REL_TALKS, NG.endOffset, Literal("277")), REL_TALKS, "Datatype"),
    "evidence_empty": (_set(REL_TALKS, NG.evidence, Literal("")), REL_TALKS, "MinLength"),
    "without_pattern": (_set(ROLE_ISHIBA, NG.pattern, None), ROLE_ISHIBA, "MinCount"),
    "without_article": (_set(REL_TARIFF, PROV.wasDerivedFrom, None), REL_TARIFF, "MinCount"),
    "derived_from_non_article": (_set(REL_TARIFF, PROV.wasDerivedFrom, JAPAN), REL_TARIFF, "Class"),
    "actor_equals_target": (_chain(_set(REL_TARIFF, NG.target, US), _add(US, NG.tariff, US)), REL_TARIFF, "Disjoint"),
    "actor_is_person": (_set(REL_THREAT, NG.actor, TRUMP), REL_THREAT, "Or"),
    "two_targets": (_add(REL_THREAT, NG.target, US), REL_THREAT, "MaxCount"),
    "policy_not_concept": (_set(REL_THREAT, NG.policy, POLICY["embargo"]), REL_THREAT, "Class"),
    "policy_without_direct_triple": (_remove(US, NG.tariff, JAPAN), REL_TARIFF, "SPARQL"),
    "issued_plain_string": (_set(ART1, DCTERMS.issued, Literal("March 2025")), ART1, "Or"),
    "fact_date_datetime": (
        _set(REL_TALKS, DCTERMS.date, Literal("2025-04-01T10:00:00", datatype=XSD.dateTime)),
        REL_TALKS,
        "Or",
    ),
    "two_fact_dates": (
        _add(ROLE_ISHIBA, DCTERMS.date, Literal("2025-03", datatype=XSD.gYearMonth)),
        ROLE_ISHIBA,
        "MaxCount",
    ),
    "role_start_not_date": (_set(ROLE_RUTTE, SCHEMA.startDate, Literal(2024)), ROLE_RUTTE, "Or"),
    "role_ends_before_start": (
        _add(ROLE_RUTTE, SCHEMA.endDate, Literal("2024-09-30", datatype=XSD.date)),
        ROLE_RUTTE,
        "SPARQL",
    ),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_ontology_broken_sample_does_not_conform(name: str, sample: Graph, shapes: Graph):
    change, focus, component = BROKEN[name]
    change(sample)
    conforms, results, report = validate(sample, shapes)
    assert not conforms, name
    components = {str(c).split("#")[-1] for c in results.objects(None, SH.sourceConstraintComponent)}
    assert f"{component}ConstraintComponent" in components, report
    focus_nodes = set(results.objects(None, SH.focusNode))
    if focus is None:
        assert any(isinstance(n, BNode) for n in focus_nodes), report
    else:
        assert focus in focus_nodes, report
    messages = [str(m) for m in results.objects(None, SH.resultMessage)]
    assert messages and all(m.strip() for m in messages)


# --- queries ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(QUERIES.glob("*.rq")), ids=lambda p: p.name)
def test_ontology_query_files_are_documented(path: Path):
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# ") and len(lines[0]) > 10
    body = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    body = re.sub(r'"[^"\n]*"|<[^>\s]*>', "", body)  # strings and IRIs
    body = re.sub(r"\s#.*$", "", body, flags=re.M)  # trailing comments
    declared = set(re.findall(r"^PREFIX\s+(\w+):", body, flags=re.M))
    used = set(re.findall(r"(?<![\w?$])([A-Za-z]\w*):", body))
    assert "ng" in used
    assert used <= declared, used - declared


EXPECTED = {
    "entities.rq": [
        (str(CHINA), "China", "Country", DOC2),
        (str(JAPAN), "Japan", "Country", DOC1A),
        (str(JAPAN), "Japan", "Country", DOC2),
        (str(JAPAN), "Japan", "Country", DOC1B),
        (str(US), "United States", "Country", DOC1A),
        (str(US), "United States", "Country", DOC2),
        (str(US), "United States", "Country", DOC1B),
        (str(NATO), "NATO", "Organization", DOC2),
        (str(TRUMP), "Donald Trump", "Person", DOC1A),
        (str(TRUMP), "Donald Trump", "Person", DOC2),
        (str(TRUMP), "Donald Trump", "Person", DOC1B),
        (str(RUTTE), "Mark Rutte", "Person", DOC2),
        (str(HEGSETH), "Pete Hegseth", "Person", DOC2),
        (str(ISHIBA), "Shigeru Ishiba", "Person", DOC1A),
        (str(ISHIBA), "Shigeru Ishiba", "Person", DOC1B),
    ],
    "person_role_org.rq": [
        (str(RUTTE), "Secretary General", str(NATO), "current", DOC2),
        (str(HEGSETH), "Secretary of Defense", str(US), "nominee", DOC2),
        (str(ISHIBA), "Prime Minister", str(JAPAN), "current", DOC1A),
        (str(ISHIBA), "Prime Minister", str(JAPAN), "current", DOC1B),
    ],
    "country_policy_country.rq": [
        (str(CHINA), "security_threat", str(JAPAN), DOC2),
        (str(JAPAN), "trade_negotiation", str(US), DOC1A),
        (str(JAPAN), "trade_negotiation", str(US), DOC1B),
        (str(US), "tariff", str(JAPAN), DOC1A),
        (str(US), "tariff", str(JAPAN), DOC1B),
    ],
}
DATED = [
    (str(ISHIBA), "Prime Minister", str(JAPAN), "2025-03-24", DOC1A),
    (str(ISHIBA), "Prime Minister", str(JAPAN), "2025-03-24", DOC1B),
    (str(JAPAN), "trade_negotiation", str(US), "2025-04", DOC1A),
    (str(JAPAN), "trade_negotiation", str(US), "2025-04", DOC1B),
]


def test_ontology_dated_facts_rows_and_types(sample: Graph):
    """One row per dated fact and file, its date a typed literal; the undated facts have none."""
    assert select(sample, "dated_facts.rq") == DATED
    result = sample.query((QUERIES / "dated_facts.rq").read_text(encoding="utf-8"))
    assert [str(v) for v in result.vars] == ["subject", "relation", "object", "date", "doc"]
    assert {str(row.date.datatype) for row in result} == {str(XSD.date), str(XSD.gYearMonth)}


def _roles_on(sample: Graph, day: str) -> set[tuple[str, str]]:
    query = (QUERIES / "roles_on_date.rq").read_text(encoding="utf-8").replace('{ "2025-03-30" }', f'{{ "{day}" }}')
    return {(str(row.personLabel), str(row.role)) for row in sample.query(query)}


@pytest.mark.parametrize(
    "day, expected",
    [
        ("2025-03-24", {("Shigeru Ishiba", "Prime Minister"), ("Mark Rutte", "Secretary General")}),
        ("2025-03", {("Shigeru Ishiba", "Prime Minister"), ("Mark Rutte", "Secretary General")}),
        ("2025-03-30", {("Mark Rutte", "Secretary General")}),
        ("2024-09-30", set()),  # before Rutte's start; Hegseth is only a nominee
    ],
)
def test_ontology_roles_on_date(sample: Graph, day: str, expected: set):
    assert _roles_on(sample, day) == expected


COLUMNS = {
    "entities.rq": ["entity", "label", "type", "doc"],
    "person_role_org.rq": ["person", "role", "org", "status", "doc"],
    "country_policy_country.rq": ["actor", "policy", "target", "doc"],
}


@pytest.mark.parametrize("name", COMPETENCY_QUERIES)
def test_ontology_competency_query_rows(name: str, sample: Graph):
    result = sample.query((QUERIES / name).read_text(encoding="utf-8"))
    assert [str(v) for v in result.vars] == COLUMNS[name]
    rows = select(sample, name)
    assert sorted(rows, key=str) == sorted(EXPECTED[name], key=str)
    assert len(rows) == len(set(rows))


@pytest.mark.parametrize("name", sorted(p.name for p in QUERIES.glob("*.rq")))
def test_ontology_queries_agree_on_rdflib_and_oxigraph(name: str, sample: Graph):
    assert select_oxigraph(SAMPLE, name) == select(sample, name)


def test_ontology_competency_queries_without_ontology_triples(sample: Graph, policies: Graph):
    """Status labels and policy concepts missing: local names stand in for them."""
    for triple in policies:
        sample.remove(triple)
    for name in ("current", "former", "nominee"):
        sample.remove((NG[name], RDFS.label, None))
    assert select(sample, "person_role_org.rq") == select(load(SAMPLE), "person_role_org.rq")
    assert sorted(select(sample, "country_policy_country.rq"), key=str) == sorted(
        EXPECTED["country_policy_country.rq"], key=str
    )


def test_ontology_entities_type_is_most_specific(sample: Graph):
    sample.add((JAPAN, RDF.type, NG.Organization))
    sample.add((JAPAN, RDF.type, NG.Entity))
    assert sorted(select(sample, "entities.rq"), key=str) == sorted(EXPECTED["entities.rq"], key=str)


def test_ontology_example_roles_of_person(sample: Graph):
    rows = select(sample, "roles_of_person.rq")
    assert {(r[1], r[2], r[4], r[5], r[7]) for r in rows} == {
        ("Shigeru Ishiba", "Prime Minister", "Japan", "current", DOC1A),
        ("Shigeru Ishiba", "Prime Minister", "Japan", "current", DOC1B),
    }
    assert all(r[6] and "Ishiba" in r[6] for r in rows)


def test_ontology_example_policies_between(sample: Graph):
    rows = select(sample, "policies_between.rq")
    assert {(r[0], r[1], r[2], r[3], r[6]) for r in rows} == {
        ("Japan", "trade_negotiation", str(POLICY["trade_negotiation"]), "United States", DOC1A),
        ("Japan", "trade_negotiation", str(POLICY["trade_negotiation"]), "United States", DOC1B),
        ("United States", "tariff", str(POLICY["tariff.sectoral"]), "Japan", DOC1A),
        ("United States", "tariff", str(POLICY["tariff.sectoral"]), "Japan", DOC1B),
    }
    assert all(r[4] and r[5] for r in rows)


def test_ontology_example_facts_about_entity(sample: Graph):
    rows = select(sample, "facts_about_entity.rq")
    assert {r[1:5] for r in rows} == {
        ("role", "Shigeru Ishiba", "Prime Minister", "Japan"),
        ("policy", "United States", "tariff", "Japan"),
        ("policy", "Japan", "trade_negotiation", "United States"),
        ("policy", "China", "security_threat", "Japan"),
    }
    assert {r[6] for r in rows} == {DOC1A, DOC1B, DOC2}
    assert all(r[0] == str(JAPAN) and r[5] for r in rows)


def test_ontology_example_countries_acting_on(sample: Graph):
    assert set(select(sample, "countries_acting_on.rq")) == {
        (str(CHINA), "China", "security_threat", "1", "1"),
        (str(US), "United States", "tariff", "1", "1"),
    }


@pytest.mark.skipif(not (SCORE.exists() and GOLD.exists()), reason="shared scorer not available")
def test_ontology_scorer_runs_on_sample_graph():
    done = subprocess.run(
        [sys.executable, str(SCORE), "--graph", str(SAMPLE), "--gold", str(GOLD), "--queries", str(QUERIES)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "country_policy_country" in done.stdout
