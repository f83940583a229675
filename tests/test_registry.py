"""The relation-family registry is the one source of truth: policy keys and their symmetry come
from the ontology, and a new policy key added to data files only (ontology + trigger lexicon) is
extracted and exported with no change to the code."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from rdflib import Graph, URIRef

from kg import registry
from kg.namespaces import BASE

ROOT = Path(__file__).resolve().parent.parent

NEW_CONCEPT = """
policy:sanction
    a skos:Concept , ng:PolicyConcept ;
    skos:inScheme policy:scheme ;
    skos:topConceptOf policy:scheme ;
    skos:notation "sanction" ;
    skos:prefLabel "sanction"@en ;
    skos:definition "The actor imposes sanctions on the target."@en ;
    ng:directProperty ng:sanction .

policy:scheme skos:hasTopConcept policy:sanction .
"""

NEW_PROPERTY = """
ng:sanction
    a owl:ObjectProperty ;
    rdfs:subPropertyOf ng:policyRelation ;
    rdfs:label "sanction"@en ;
    rdfs:comment "The actor imposes sanctions on the target (policy:sanction)."@en .
"""


def test_registry_policy_keys_and_symmetry_come_from_the_ontology():
    ontology = Graph().parse(ROOT / "ontology" / "newsgraph.ttl")
    owl_symmetric = URIRef("http://www.w3.org/2002/07/owl#SymmetricProperty")
    symmetric = {str(s).rsplit("#", 1)[-1] for s in ontology.subjects(predicate=None, object=owl_symmetric)}
    assert registry.symmetric_policies() == symmetric
    assert len(registry.policy_keys()) == 10
    for key, relation in registry.policy_keys().items():
        assert relation.property == BASE + "ontology#" + key
        assert relation.family == "policy"
    assert [f.name for f in registry.families()] == ["role", "policy", "part_of"]


def test_registry_every_family_names_a_competency_query_that_exists():
    from kg.resources import ontology_file

    for family in registry.families():
        if family.eval_query:
            assert ontology_file("queries").joinpath(family.eval_query).is_file(), family.name


def test_registry_new_policy_key_needs_data_files_only(tmp_path):
    """Copy the package and the ontology, add a key to the ontology and a trigger to the
    lexicon, and build: the key is extracted and written to Turtle, GraphML and the page."""
    copy = tmp_path / "repo"
    shutil.copytree(ROOT / "kg", copy / "kg", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "ontology", copy / "ontology")
    with (copy / "ontology" / "policies.ttl").open("a", encoding="utf-8") as f:
        f.write(NEW_CONCEPT)
    with (copy / "ontology" / "newsgraph.ttl").open("a", encoding="utf-8") as f:
        f.write(NEW_PROPERTY)
    triggers = copy / "kg" / "extract" / "policies" / "triggers.json"
    data = json.loads(triggers.read_text(encoding="utf-8"))
    data["words"]["sanction"] = "sanction"
    triggers.write_text(json.dumps(data, indent=2), encoding="utf-8")
    article = tmp_path / "in" / "sanctions.txt"
    article.parent.mkdir()
    article.write_text(
        "Sanctions news\n\nThe United States imposed new sanctions on Russia on Monday, officials said.\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(copy)}
    done = subprocess.run(
        [sys.executable, "-m", "kg.cli", "build", str(article.parent), "-o", str(out), "--no-cache", "--workers", "1",
         "--format", "ttl,graphml", "--quiet"],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    graph = Graph().parse(out / "graph.ttl")
    us, russia = (URIRef(BASE + "id/country/" + name) for name in ("united-states", "russia"))
    assert (us, URIRef(BASE + "ontology#sanction"), russia) in graph
    assert "sanction" in (out / "graph.graphml").read_text(encoding="utf-8")
    assert "sanction" in (out / "graph.html").read_text(encoding="utf-8")
    # the copy's registry sees the new key; the installed one does not
    probe = "from kg import registry; print(sorted(registry.policy_keys()))"
    keys = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert "'sanction'" in keys.stdout
    assert "sanction" not in registry.policy_keys()
