"""The ``kg`` command as a user runs it: real processes, real files."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from clirun import kg

from kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "ontology" / "queries"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("cli") / "out"
    done = kg("build", "corpus", "-o", str(out), "--quiet")
    assert done.returncode == 0, done.stderr
    return out


def test_cli_build_writes_turtle_and_html(built: Path):
    assert (built / "graph.ttl").stat().st_size > 1000
    html = (built / "graph.html").read_text(encoding="utf-8")
    assert "vis.Network" in html


def test_cli_query_prints_a_table(built: Path):
    done = kg("query", str(built / "graph.ttl"), str(QUERIES / "person_role_org.rq"))  # a path to an .rq file
    assert done.returncode == 0, done.stderr
    header, rule = done.stdout.splitlines()[:2]
    assert re.split(r"\s*\|\s*", header.strip())[:3] == ["person", "role", "org"]
    assert set(rule) <= {"-", "+"}
    assert re.search(r"\((\d+) rows?\)", done.stdout)


def test_cli_query_string_with_predeclared_prefixes_as_json(built: Path):
    done = kg("query", str(built / "graph.ttl"), "SELECT ?c WHERE { ?c a ng:Country }", "--format", "json")
    data = json.loads(done.stdout)
    assert data["head"]["vars"] == ["c"]
    assert any(b["c"]["value"].endswith("/country/japan") for b in data["results"]["bindings"])


def test_cli_query_bundled_query_by_name_from_any_folder(built: Path, tmp_path: Path):
    by_name = kg("query", str(built / "graph.ttl"), "person_role_org", cwd=tmp_path)
    by_path = kg("query", str(built / "graph.ttl"), str(QUERIES / "person_role_org.rq"))
    assert by_name.returncode == 0, by_name.stderr
    assert by_name.stdout == by_path.stdout and "Prime Minister" in by_name.stdout


def test_cli_query_unknown_name_lists_the_bundled_queries(built: Path, tmp_path: Path):
    done = kg("query", str(built / "graph.ttl"), "person_roles", cwd=tmp_path)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "'person_roles'" in done.stderr
    for path in QUERIES.glob("*.rq"):
        assert path.stem in done.stderr


def test_cli_queries_lists_names_from_any_folder(tmp_path: Path):
    done = kg("queries", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    names = [line for line in lines if not line.startswith(" ")]
    assert names == sorted(p.stem for p in QUERIES.glob("*.rq"))
    assert all(line.startswith("    ") and line.rstrip().endswith("?") for line in lines if line not in names)


def test_cli_query_csv_and_tsv(built: Path):
    csv_out = kg("query", str(built / "graph.ttl"), "entities", "--format", "csv").stdout
    tsv_out = kg("query", str(built / "graph.ttl"), "entities", "--format", "tsv").stdout
    assert csv_out.splitlines()[0].startswith("entity,label,type")
    assert tsv_out.splitlines()[0].startswith("entity\tlabel\ttype")


def test_cli_query_does_not_import_spacy(built: Path):
    code = (
        "import sys; from kg.cli import main\n"
        "try:\n    main(['query', sys.argv[1], 'ASK { ?s ?p ?o }'])\nexcept SystemExit:\n    pass\n"
        "print('spacy' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code, str(built / "graph.ttl")], capture_output=True, text=True)
    assert done.stdout.strip().splitlines()[-1] == "False"


def test_cli_validate_passes_on_built_graph_and_fails_on_broken(built: Path, tmp_path: Path):
    ok = kg("validate", str(built / "graph.ttl"))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    broken = tmp_path / "broken.ttl"
    text = (built / "graph.ttl").read_text(encoding="utf-8")
    broken.write_text(re.sub(r"ng:confidence [0-9.]+", "ng:confidence 1.5", text, count=1), encoding="utf-8")
    bad = kg("validate", str(broken))
    assert bad.returncode == 1 and "does NOT conform" in bad.stderr


def test_cli_rebuild_is_byte_identical(built: Path, tmp_path: Path):
    again = tmp_path / "again"
    assert kg("build", "corpus", "-o", str(again), "--quiet", "--workers", "1", "--no-cache").returncode == 0
    assert (again / "graph.ttl").read_bytes() == (built / "graph.ttl").read_bytes()
    assert (again / "graph.html").read_bytes() == (built / "graph.html").read_bytes()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["build", "no/such/folder", "-o", "out"], "input not found: no/such/folder"),
        (["query", "missing.ttl", "ASK {}"], "graph not found: missing.ttl"),
        (["validate", "missing.ttl"], "graph not found: missing.ttl"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(args, message, tmp_path: Path):
    done = kg(*args, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and message in done.stderr
    assert "Traceback" not in done.stderr


def test_cli_output_path_that_is_a_file(tmp_path: Path):
    (tmp_path / "a.txt").write_text("Japan and America\nThey talked about trade for a long time.\n", encoding="utf-8")
    (tmp_path / "out").write_text("not a folder", encoding="utf-8")
    done = kg("build", str(tmp_path / "a.txt"), "-o", str(tmp_path / "out"))
    assert done.returncode == 2 and "output path is a file" in done.stderr


def test_cli_bad_sparql_is_one_line(built: Path):
    done = kg("query", str(built / "graph.ttl"), "SELECT ?x WHERE { ?x ")
    assert done.returncode == 2 and done.stderr.startswith("kg: error: cannot run query")
    assert "Traceback" not in done.stderr


def test_cli_every_command_has_help_with_an_example():
    runner = CliRunner()
    for command in [[], *([name] for name in main.commands)]:
        result = runner.invoke(main, [*command, "--help"])
        assert result.exit_code == 0 and "Example" in result.output, command


def test_cli_every_command_is_documented_in_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert f"kg {name}" in readme, name
