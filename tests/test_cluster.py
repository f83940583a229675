"""``kg build --scheduler``: extraction on a real Dask cluster (local worker processes).

The Turtle of a cluster build must be byte-identical to a local build's; a worker killed
mid-build loses no article; an article that kills every worker that parses it is skipped and
named while the build goes on. Input globs and list files are tested here too.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from functools import partial
from pathlib import Path

import clirun
import pytest

from kg.manifest import manifest_path

kg = partial(clirun.kg, timeout=240)

distributed = pytest.importorskip("distributed", reason="Dask is not installed (pip install 'newsgraph[cluster]')")

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
KILL_MARK = "Zyxwvut Marker Article"  # a worker plugin below makes any article holding it kill its worker


@pytest.fixture(scope="module")
def local_ttl(tmp_path_factory) -> bytes:
    out = tmp_path_factory.mktemp("local")
    done = kg("build", str(CORPUS), "-o", str(out), "--no-cache", "--workers", "1", "-q")
    assert done.returncode == 0, done.stderr
    return (out / "graph.ttl").read_bytes()


def test_local_cluster_turtle_is_byte_identical(tmp_path: Path, local_ttl: bytes) -> None:
    out = tmp_path / "out"
    done = kg("build", str(CORPUS), "-o", str(out), "--scheduler", "local:2")
    assert done.returncode == 0, done.stderr
    assert (out / "graph.ttl").read_bytes() == local_ttl
    assert "6 articles parsed" in done.stdout
    unchanged = kg("build", str(CORPUS), "-o", str(out), "--scheduler", "local:2")
    assert "nothing changed since the last build" in unchanged.stdout
    manifest_path(out).unlink()  # now the workers read every file, and parse none: the cache has them
    again = kg("build", str(CORPUS), "-o", str(out), "--scheduler", "local:2")
    assert again.returncode == 0, again.stderr
    assert "0 articles parsed, 6 from the cache" in again.stdout
    assert (out / "graph.ttl").read_bytes() == local_ttl


def test_bad_scheduler_is_one_line() -> None:
    done = kg("build", str(CORPUS), "-o", "/tmp/never-written", "--scheduler", "local:none")
    assert done.returncode == 2
    assert done.stderr.startswith("kg: error: --scheduler local:none") and "Traceback" not in done.stderr


class KillOnMark(distributed.WorkerPlugin):
    """Installed on every worker (and on those the nanny restarts): parsing an article that
    holds ``KILL_MARK`` ends the worker process at once, as a segfault or the OOM killer would."""

    def setup(self, worker) -> None:
        import kg.cluster

        parse = kg.cluster.parse

        def deadly(articles, model):
            if any(KILL_MARK in a.text for a in articles):
                os._exit(1)
            return parse(articles, model)

        kg.cluster.parse = deadly


@pytest.fixture
def cluster():
    import dask

    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 2}),
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=50
        ) as running,
        distributed.Client(running) as client,
    ):
        yield running, client


def _kill_a_busy_worker(client, build: subprocess.Popen, deadline: float) -> bool:
    while time.monotonic() < deadline and build.poll() is None:
        busy = [addr for addr, tasks in client.processing().items() if tasks]
        if busy:
            time.sleep(0.5)  # let it start on the articles
            pid = client.run(os.getpid, workers=[busy[0]]).get(busy[0])
            if pid:
                os.kill(pid, signal.SIGKILL)
                return True
        time.sleep(0.05)
    return False


def test_worker_killed_mid_build_loses_nothing(tmp_path: Path, cluster) -> None:
    running, client = cluster
    articles = tmp_path / "articles"
    shutil.copytree(CORPUS, articles)
    local = tmp_path / "local"
    assert kg("build", str(articles), "-o", str(local), "--no-cache", "--workers", "1", "-q").returncode == 0
    out = tmp_path / "out"
    build = subprocess.Popen(
        [*clirun.KG, "build", str(articles), "-o", str(out), "--no-cache", "--scheduler", running.scheduler_address],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    killed = _kill_a_busy_worker(client, build, time.monotonic() + 120)
    stdout, stderr = build.communicate(timeout=240)
    assert killed, "no worker was ever busy: the build did not run on the cluster"
    assert build.returncode == 0, stderr
    assert (out / "graph.ttl").read_bytes() == (local / "graph.ttl").read_bytes()
    assert "6 articles" in stdout


def test_article_that_kills_workers_is_skipped_and_named(tmp_path: Path, cluster) -> None:
    running, client = cluster
    client.register_plugin(KillOnMark(), name="kill-on-mark")
    articles = tmp_path / "articles"
    shutil.copytree(CORPUS, articles)
    (articles / "deadly.txt").write_text(
        f"A deadly article\n\nThe {KILL_MARK} met the envoy of nowhere on Tuesday.\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    done = kg("build", str(articles), "-o", str(out), "--no-cache", "--scheduler", running.scheduler_address)
    assert done.returncode == 1, done.stderr  # done, with a file skipped
    assert "kg: skipped: deadly.txt: it stopped 3 cluster workers" in done.stderr
    assert "6 articles" in done.stdout
    local = tmp_path / "local"
    (articles / "deadly.txt").unlink()
    assert kg("build", str(articles), "-o", str(local), "--no-cache", "--workers", "1", "-q").returncode == 0
    assert (out / "graph.ttl").read_bytes() == (local / "graph.ttl").read_bytes()


def test_globs_and_list_files(tmp_path: Path, local_ttl: bytes) -> None:
    listing = tmp_path / "inputs.txt"
    listing.write_text(f"# the corpus, as a glob\n\n{CORPUS}/0*\n", encoding="utf-8")
    for given in (f"{CORPUS}/0*", f"@{listing}"):
        out = tmp_path / given.strip("@").replace("/", "_").replace("*", "x")
        done = kg("build", given, "-o", str(out), "--no-cache", "-q")
        assert done.returncode == 0, done.stderr
        assert (out / "graph.ttl").read_bytes() == local_ttl
    nothing = kg("build", f"{CORPUS}/*.nothing", "-o", str(tmp_path / "none"))
    assert nothing.returncode == 2 and "no file matches" in nothing.stderr
