"""``kg query`` and the query library: every bundled query on the corpus graph, both SPARQL
engines, every graph format we write, and one-line errors."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from functools import partial
from pathlib import Path

import clirun
import pytest
from rdflib import Graph

from kg.errors import QueryError
from kg.formats import write_formats
from kg.query import execute, format_result, library, query_file, question_of, read_query

kg = partial(clirun.kg, timeout=300)

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "ontology" / "queries"
US, JAPAN = "https://w3id.org/newsgraph/id/country/united-states", "https://w3id.org/newsgraph/id/country/japan"
ISHIBA = "https://w3id.org/newsgraph/id/person/shigeru-ishiba"
HEGSETH = "https://w3id.org/newsgraph/id/person/pete-hegseth"


@pytest.fixture(scope="module")
def graphs(corpus_build, tmp_path_factory) -> dict[str, Path]:
    """The corpus graph in every format we write."""
    out = tmp_path_factory.mktemp("query-formats")
    return write_formats(corpus_build.graph, out, ["ttl", "nt", "jsonld", "trig"])


def rows_of(path: Path, query: str, store: str = "oxigraph") -> list[dict[str, str]]:
    result = query_file(path, query, store=store)
    return [{v: ("" if t is None else str(t)) for v, t in zip(result.variables, row)} for row in result.rows]


def has(rows: list[dict[str, str]], **wanted: str) -> bool:
    return any(all(row.get(k) == v for k, v in wanted.items()) for row in rows)


# What each bundled query must find in the corpus (facts of tests/gold), and what every row must satisfy.
EXPECTED = {
    "entities.rq": lambda rows: (
        has(rows, entity=JAPAN, label="Japan", type="Country", doc="03_akazawa_tariff_talks.txt")
        and has(rows, entity=ISHIBA, label="Shigeru Ishiba", type="Person")
    ),
    "person_role_org.rq": lambda rows: has(rows, person=ISHIBA, role="Prime Minister", org=JAPAN, status="current"),
    "country_policy_country.rq": lambda rows: has(
        rows, actor=US, policy="tariff", target=JAPAN, doc="03_akazawa_tariff_talks.txt"
    ),
    "roles_of_person.rq": lambda rows: (
        rows
        and all(r["personLabel"] == "Shigeru Ishiba" for r in rows)
        and has(rows, role="Prime Minister", orgLabel="Japan", status="current")
    ),
    "policies_between.rq": lambda rows: (
        has(rows, actorLabel="United States", policy="tariff", targetLabel="Japan")
        and all({r["actorLabel"], r["targetLabel"]} == {"Japan", "United States"} for r in rows)
        and all(r["evidence"] and r["doc"] for r in rows)
    ),
    "facts_about_entity.rq": lambda rows: (
        has(rows, kind="role", subjectLabel="Shigeru Ishiba", relation="Prime Minister", objectLabel="Japan")
        and has(rows, kind="policy", subjectLabel="United States", relation="tariff", objectLabel="Japan")
        and all(r["evidence"] and r["doc"] for r in rows)
    ),
    "countries_acting_on.rq": lambda rows: (
        has(rows, actorLabel="United States", policy="tariff")
        and all(int(r["statements"]) >= 1 and int(r["articles"]) >= 1 for r in rows)
    ),
    "who_holds_which_role.rq": lambda rows: (
        has(rows, personLabel="Shigeru Ishiba", role="Prime Minister", orgLabel="Japan", status="current")
        and has(rows, personLabel="Mark Rutte", orgLabel="NATO")
    ),
    "people_in_organisation.rq": lambda rows: (
        has(rows, personLabel="Donald Trump", role="President")
        and has(rows, personLabel="Pete Hegseth", orgLabel="United States")
        and not has(rows, personLabel="Shigeru Ishiba")
    ),
    "dated_facts.rq": lambda rows: (
        has(rows, subject=HEGSETH, relation="Secretary of Defense", date="2025-03-29", doc="01_hegseth_tokyo_visit.txt")
        and has(rows, subject=US, relation="tariff", object=JAPAN, date="2025-03", doc="03_akazawa_tariff_talks.txt")
        and all(r["date"][:2] in ("19", "20") for r in rows)
    ),
    "roles_on_date.rq": lambda rows: (
        has(rows, personLabel="Gen Nakatani", orgLabel="Japan", status="current", seen="2025-03-30")
        and all(r["status"] == "current" or r["from"] or r["until"] for r in rows)
    ),
}


def test_query_library_lists_every_query_with_its_question():
    items = library()
    assert {i.path.name for i in items} == {p.name for p in QUERIES.glob("*.rq")} == set(EXPECTED)
    for item in items:
        assert item.question.endswith("?") and item.question[0].isupper(), item


def test_query_question_is_the_leading_comment():
    text = "# Example question: who is where?\n# >>> PLACEHOLDER: x <<<\n# Columns: ?a\nSELECT * {}\n"
    assert question_of(text) == "Who is where?"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_query_bundled_query_on_corpus(name: str, graphs):
    rows = rows_of(graphs["ttl"], Path(name).stem)  # by its name, as `kg query GRAPH NAME`
    assert rows, name
    assert EXPECTED[name](rows), rows[:5]
    assert rows_of(graphs["ttl"], str(QUERIES / name)) == rows  # and by its path
    # the same rows on rdflib (ties of ORDER BY may come in another order)
    key = lambda r: sorted(r.items())  # noqa: E731
    assert sorted(rows_of(graphs["ttl"], Path(name).stem, store="rdflib"), key=key) == sorted(rows, key=key)


def test_query_read_query_tells_names_paths_and_sparql_apart(tmp_path: Path):
    own = tmp_path / "mine.rq"
    own.write_text("SELECT ?s WHERE { ?s ?p ?o }\n", encoding="utf-8")
    assert read_query(str(own)) == own.read_text(encoding="utf-8")
    assert read_query("entities") == read_query("entities.rq") == (QUERIES / "entities.rq").read_text(encoding="utf-8")
    assert read_query("ASK { ?s ?p ?o }") == "ASK { ?s ?p ?o }"
    with pytest.raises(QueryError, match=r"no query file or bundled query named 'entity'.*entities"):
        read_query("entity")
    with pytest.raises(QueryError, match="query file not found"):
        read_query(str(tmp_path / "missing.rq"))


@pytest.mark.parametrize("key", ["nt", "jsonld", "trig"])
def test_query_runs_on_every_format(key: str, graphs):
    query = str(QUERIES / "country_policy_country.rq")
    expected = rows_of(graphs["ttl"], query)
    assert rows_of(graphs[key], query) == expected
    assert rows_of(graphs[key], query, store="rdflib") == expected


def test_query_trig_default_graph_is_the_union_and_named_graphs_work(graphs):
    query = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?r a ng:PolicyRelation } }"
    for store in ("oxigraph", "rdflib"):
        assert rows_of(graphs["trig"], query, store)[0]["n"] == "6"
        union = rows_of(graphs["trig"], "SELECT (COUNT(*) AS ?n) WHERE { ?r a ng:PolicyRelation }", store)
        plain = rows_of(graphs["ttl"], "SELECT (COUNT(*) AS ?n) WHERE { ?r a ng:PolicyRelation }", store)
        assert union == plain


@pytest.mark.parametrize("store", ["oxigraph", "rdflib"])
def test_query_construct_and_describe_give_turtle(store: str, graphs):
    built = query_file(graphs["ttl"], "CONSTRUCT WHERE { ?a ng:tariff ?b }", store=store)
    text = format_result(built)
    g = Graph().parse(data=text, format="turtle")
    assert len(g) >= 1 and all(str(p).endswith("#tariff") for p in g.predicates())
    described = query_file(graphs["ttl"], f"DESCRIBE <{ISHIBA}>", store=store)
    assert described.kind == "DESCRIBE"
    g = Graph().parse(data=format_result(described), format="turtle")
    assert any(str(o) == "Shigeru Ishiba" for o in g.objects())


def test_query_ask_as_sparql_json(graphs):
    result = query_file(graphs["ttl"], f"ASK {{ <{US}> ng:tariff <{JAPAN}> }}")
    assert json.loads(format_result(result, "json")) == {"head": {}, "boolean": True}


def test_query_select_json_is_sparql_results(corpus_build):
    result = execute(corpus_build.graph, "SELECT ?c ?l WHERE { ?c a ng:Country ; rdfs:label ?l } ORDER BY ?l LIMIT 1")
    data = json.loads(format_result(result, "json"))
    assert data["head"]["vars"] == ["c", "l"]
    binding = data["results"]["bindings"][0]
    assert binding["c"]["type"] == "uri" and binding["l"]["type"] == "literal"


@pytest.mark.parametrize("store", ["oxigraph", "rdflib"])
def test_cli_query_syntax_error_has_line_and_column(store: str, graphs):
    done = kg("query", str(graphs["ttl"]), "SELECT ?x\nWHERE {\n  ?x ?p ?o .\n  FILTER(?x = ) }", "--store", store)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert re.search(r"syntax error at line 4, column \d+: expected", done.stderr), done.stderr


def test_cli_query_refuses_an_update(graphs):
    done = kg("query", str(graphs["ttl"]), "INSERT DATA { id:a id:b id:c }")
    assert done.returncode == 2 and "kg query only reads" in done.stderr and done.stderr.count("\n") == 1


def test_cli_query_tsv_and_construct(graphs):
    tsv = kg("query", str(graphs["trig"]), "who_holds_which_role", "--format", "tsv")
    assert tsv.returncode == 0 and tsv.stdout.splitlines()[0] == "personLabel\trole\torgLabel\tstatus\tdoc"
    ttl = kg("query", str(graphs["ttl"]), "CONSTRUCT WHERE { ?p ng:holdsRoleIn ?o }")
    assert ttl.returncode == 0 and "ng:holdsRoleIn" in ttl.stdout


def test_cli_query_imports_nothing_heavy(graphs):
    code = (
        "import sys; from kg.cli import main\n"
        "try:\n    main(['query', sys.argv[1], 'SELECT * { ?s ?p ?o } LIMIT 1'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('spacy', 'pyshacl', 'networkx', 'pyvis') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code, str(graphs["ttl"])], capture_output=True, text=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_cli_queries_lists_the_library():
    done = kg("queries")
    assert done.returncode == 0
    names = {line for line in done.stdout.splitlines() if not line.startswith(" ")}
    assert names == {Path(name).stem for name in EXPECTED}  # the names `kg query` takes
    assert "people are linked to a given organisation" in done.stdout


# --- what a newcomer meets: readable tables, unknown prefixes and terms, non-graph files -------


def test_cli_query_table_shortens_iris_with_prefixes(graphs):
    result = kg("query", str(graphs["ttl"]), "person_role_org")
    assert result.returncode == 0, result.stderr
    assert "id:person/" in result.stdout and "https://w3id.org" not in result.stdout
    readable = kg("query", str(graphs["ttl"]), "who_holds_which_role")
    assert readable.stdout.split()[0] == "personLabel" and "id:" not in readable.stdout


@pytest.mark.parametrize("store", ["oxigraph", "rdflib"])
def test_cli_query_unknown_prefix_is_one_line_with_the_known_ones(store: str, graphs):
    result = kg("query", str(graphs["ttl"]), "SELECT ?x WHERE { ?x a xx:Foo }", "--store", store)
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("kg: error: unknown prefix 'xx:' (known: ng: id: policy:")
    declared = kg("query", str(graphs["ttl"]), "PREFIX xx: <http://example.org/> ASK { ?x a xx:Foo }")
    assert declared.returncode == 0 and declared.stderr == ""


@pytest.mark.parametrize("store", ["oxigraph", "rdflib"])
def test_cli_query_term_outside_the_ontology_warns_with_the_closest(store: str, graphs):
    result = kg("query", str(graphs["ttl"]), "SELECT ?c WHERE { ?c a ng:Countries }", "--store", store)
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        "kg: warning: ng:Countries is not a term of the newsgraph ontology, so it matches nothing "
        "(did you mean ng:Country?)"
    ]
    tariff = kg("query", str(graphs["ttl"]), "SELECT ?a WHERE { ?a ng:tarif ?b }", "--store", store)
    assert "did you mean ng:tariff?" in tariff.stderr
    fine = kg("query", str(graphs["ttl"]), "SELECT ?a WHERE { ?a ng:tariff ?b ; a ng:Country }", "--store", store)
    assert fine.returncode == 0 and fine.stderr == ""


def test_cli_stats_on_a_file_that_is_no_graph_names_it_and_the_formats(tmp_path: Path):
    notes = tmp_path / "notes.md"
    notes.write_text("# not a graph\n\nsome <text\n", encoding="utf-8")
    for command in (("stats", str(notes)), ("query", str(notes), "entities")):
        result = kg(*command)
        assert result.returncode == 2
        (line,) = result.stderr.splitlines()
        assert line == (
            f"kg: error: {notes} is not a graph file: kg reads Turtle .ttl, N-Triples .nt, JSON-LD .jsonld, "
            "TriG .trig, N-Quads .nq, an Oxigraph store folder (build one with `kg build`)"
        )
