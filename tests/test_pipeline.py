"""End to end: the demo corpus through every stage, checked against facts its articles state;
and the real seed articles, scored when ../shared is present."""

import subprocess
import sys

import pyoxigraph
import pytest
from conftest import CORPUS, GOLD, ROOT, SCORER, SEEDS, SHARED_GOLD
from rdflib import Graph

from kg.query import run_query, validate

QUERIES = ROOT / "ontology" / "queries"


def labelled_rows(graph, query_file):
    """Rows of a competency query with IRIs replaced by their labels."""
    variables, rows = run_query(graph, str(QUERIES / query_file))
    out = set()
    for row in rows:
        values = []
        for v, term in zip(variables, row):
            if v == "doc":
                continue
            label = graph.value(term, graph.namespace_manager.expand_curie("rdfs:label")) if term is not None else None
            values.append(str(label or term))
        out.add(tuple(values))
    return out


def test_pipeline_corpus_has_every_article_and_its_sources(corpus_build):
    kb = corpus_build.knowledge
    files = [p for p in CORPUS.glob("*.*") if not p.name.endswith(".meta.json")]  # sidecars date articles
    assert len(kb.articles) == len(files)
    assert sorted(s for a in kb.articles for s in a.sources) == sorted(p.name for p in files)
    assert not corpus_build.notices
    assert all(a.published for a in kb.articles)  # every corpus article is dated (sidecar or HTML)


@pytest.mark.parametrize(
    ("person", "role_word", "org"),
    [
        ("Pete Hegseth", "secretary", "United States"),
        ("Shigeru Ishiba", "prime minister", "Japan"),
        ("Tobias Harris", "founder", "Japan Foresight"),
        ("Wendy Cutler", "president", "Asia Society Policy Institute"),
        ("Mark Rutte", "secretary", "NATO"),
        ("Ryosei Akazawa", "negotiator", "Japan"),
    ],
)
def test_pipeline_corpus_person_role_org_facts(corpus_build, person, role_word, org):
    rows = labelled_rows(corpus_build.graph, "person_role_org.rq")
    assert any(p == person and role_word in r.lower() and o == org for p, r, o, _s in rows), sorted(rows)


@pytest.mark.parametrize(
    ("actor", "policy", "target"),
    [
        ("United States", "alliance", "Japan"),
        ("United States", "defence_spending_demand", "Japan"),
        ("Japan", "investment", "United States"),
        ("Russia", "security_threat", "Ukraine"),
        ("China", "security_threat", "Taiwan"),
        ("Japan", "alliance", "NATO"),
    ],
)
def test_pipeline_corpus_country_policy_country_facts(corpus_build, actor, policy, target):
    rows = labelled_rows(corpus_build.graph, "country_policy_country.rq")
    assert (actor, policy, target) in rows, sorted(rows)


def test_pipeline_corpus_negated_and_hypothetical_statements_give_no_fact(corpus_build):
    rows = labelled_rows(corpus_build.graph, "country_policy_country.rq")
    # 01: "There was no threat to abandon Japan"; 05: "no question of an alliance with China"
    assert ("United States", "withdrawal", "Japan") not in rows
    assert not {("Japan", "alliance", "China"), ("China", "alliance", "Japan")} & rows


def test_pipeline_corpus_entities_are_resolved_once(corpus_build):
    rows = labelled_rows(corpus_build.graph, "entities.rq")
    labels = [label for _e, label, _t in rows]
    for name in ("United States", "Japan", "Shigeru Ishiba", "Donald Trump"):
        assert labels.count(name) == 1, name
    assert "Tokyo" not in labels and "Washington" not in labels and "U.S." not in labels


def test_pipeline_corpus_gold_recall_of_entities(corpus_build, corpus_gold):
    """Most people, organisations and countries of the corpus gold are nodes of the graph."""
    import re
    import unicodedata

    def norm(s: str) -> str:
        s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
        return re.sub(r"^the ", "", re.sub(r"[^\w\s]", "", s.lower())).strip()

    graph = corpus_build.graph
    names = {
        norm(str(o))
        for p in ("rdfs:label", "skos:altLabel")
        for o in graph.objects(None, graph.namespace_manager.expand_curie(p))
    }
    wanted = {
        e["id"]: [e["label"], *e.get("aliases", [])]
        for doc in corpus_gold
        for e in doc["entities"]
        if e["type"] in {"Person", "Organization", "Country"}
    }
    found = [i for i, forms in wanted.items() if any(norm(f) in names for f in forms)]
    assert len(found) / len(wanted) >= 0.9, sorted(set(wanted) - set(found))


def test_pipeline_corpus_graph_conforms_and_loads_in_pyoxigraph(corpus_build, tmp_path):
    assert validate(corpus_build.graph)[0]
    ttl = corpus_build.outputs["turtle"]
    store = pyoxigraph.Store()
    store.load(path=str(ttl), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(Graph().parse(ttl, format="turtle"))


@pytest.mark.skipif(not (SEEDS.is_dir() and SCORER.is_file()), reason="../shared/seeds and ../shared/eval not present")
def test_pipeline_seed_articles_score(tmp_path):
    """The real seed articles build and score; the floor guards against regressions."""
    out = tmp_path / "seeds"
    done = subprocess.run(
        [sys.executable, "-m", "kg.cli", "build", str(SEEDS), "-o", str(out), "-q"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    score = subprocess.run(
        [
            sys.executable,
            str(SCORER),
            "--graph",
            str(out / "graph.ttl"),
            "--gold",
            str(SHARED_GOLD),
            "--queries",
            str(QUERIES),
            "--json",
        ],
        capture_output=True,
        text=True,
    )
    import json

    report = json.loads(score.stdout)
    assert report["person_role_org"]["f1"] >= 0.6
    assert report["country_policy_country"]["f1"] >= 0.6
    assert report["entities"]["recall"] >= 0.9


def test_pipeline_gold_files_are_consistent():
    done = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "check_gold.py"), "--gold", str(GOLD)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout


def test_pipeline_gazetteers_are_consistent():
    done = subprocess.run([sys.executable, str(ROOT / "tests" / "check_gazetteers.py")], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout
