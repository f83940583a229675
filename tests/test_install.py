"""A non-editable install carries the ontology, the SHACL shapes and the bundled queries.

The repository's sources are copied to a temporary folder, built into a wheel with pip, and
the wheel is installed (without dependencies) into a target folder. The commands then run from
another folder with only that target ahead of this environment's packages on the path, so
``kg`` is the installed wheel, not the repository (asserted), and its dependencies are the
ones already installed here. Deselect with ``-m "not install"``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.install


def run(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), capture_output=True, text=True, cwd=cwd, env=env, timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    """The wheel of the repository, installed into a target folder: its path and an environment."""
    tmp = tmp_path_factory.mktemp("install")
    source = tmp / "source"  # a clean copy: no build/ leftovers of earlier builds get into the wheel
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    for name in ("kg", "ontology"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    wheels = tmp / "wheels"
    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(source), cwd=tmp)
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = wheels.glob("newsgraph-*.whl")
    target = tmp / "site"
    done = run(sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel), cwd=tmp)
    assert done.returncode == 0, done.stderr[-2000:]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["PYTHONPATH"] = str(target)
    work = tmp / "elsewhere"
    work.mkdir()
    return {"wheel": wheel, "target": target, "env": env, "cwd": work}


def test_install_wheel_holds_the_ontology_and_queries(installed):
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    assert {f"kg/ontology/{p.name}" for p in (ROOT / "ontology").glob("*.ttl")} <= names
    assert {f"kg/ontology/queries/{p.name}" for p in (ROOT / "ontology" / "queries").glob("*.rq")} <= names
    assert "kg/ontology/shapes.ttl" in names and "kg/ontology/queries/person_role_org.rq" in names
    assert not any(n.startswith("ontology/") for n in names)  # inside the package, not a top-level folder


def test_install_kg_is_the_wheel_not_the_repository(installed):
    code = "import kg, kg.resources as r; print(kg.__file__); print(r.ontology_file('shapes.ttl'))"
    done = run(sys.executable, "-c", code, cwd=installed["cwd"], env=installed["env"])
    assert done.returncode == 0, done.stderr
    module, shapes = (Path(line).resolve() for line in done.stdout.split())
    target = installed["target"].resolve()
    assert module.is_relative_to(target) and not module.is_relative_to(ROOT)
    assert shapes == target / "kg" / "ontology" / "shapes.ttl"


def test_install_commands_run_from_another_folder(installed):
    kg = str(installed["target"] / "bin" / "kg")
    env, cwd = installed["env"], installed["cwd"]

    built = run(kg, "build", str(ROOT / "corpus"), "-o", "out", "--quiet", cwd=cwd, env=env)
    assert built.returncode == 0, built.stderr
    assert (cwd / "out" / "graph.ttl").stat().st_size > 1000

    valid = run(kg, "validate", "out/graph.ttl", cwd=cwd, env=env)
    assert valid.returncode == 0 and "conforms to the SHACL shapes" in valid.stdout, valid.stdout + valid.stderr

    listed = run(kg, "queries", cwd=cwd, env=env)
    assert listed.returncode == 0, listed.stderr
    assert {line for line in listed.stdout.splitlines() if not line.startswith(" ")} >= {"person_role_org", "entities"}

    rows = run(kg, "query", "out/graph.ttl", "person_role_org", "--format", "csv", cwd=cwd, env=env)
    assert rows.returncode == 0, rows.stderr
    assert rows.stdout.splitlines()[0].startswith("person,role,org")
    assert any("/person/shigeru-ishiba" in line and "Prime Minister" in line for line in rows.stdout.splitlines())

    unknown = run(kg, "query", "out/graph.ttl", "no_such_query", cwd=cwd, env=env)
    assert unknown.returncode == 2 and unknown.stderr.count("\n") == 1
    assert "person_role_org" in unknown.stderr and "Traceback" not in unknown.stderr
