"""Incremental builds (``kg.incremental``, ``kg.manifest``): an unchanged rebuild does nothing,
and ``kg add`` gives the graph a full build of all the articles gives."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from clirun import kg, ok
from rdflib import Graph
from rdflib.compare import isomorphic

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FIRST = ("01_hegseth_tokyo_visit.txt", "02_ishiba_white_house_summit.txt", "03_akazawa_tariff_talks.txt")
LATER = ("04_defence_spending_demands.txt", "05_japan_hedges_china_korea.txt")


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> Path:
    """A/ holds three corpus articles, B/ two more; ``full`` is ``kg build A B --no-cache``."""
    root = tmp_path_factory.mktemp("incr")
    for folder, names in (("A", FIRST), ("B", LATER)):
        (root / folder).mkdir()
        for name in names:
            shutil.copy(CORPUS / name, root / folder / name)
    ok("build", str(root / "A"), str(root / "B"), "-o", str(root / "full"), "--no-cache", "-q")
    return root


def test_incremental_unchanged_rebuild_does_nothing_and_a_change_is_rebuilt(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(CORPUS, src)
    out = tmp_path / "out"
    ok("build", str(src), "-o", str(out))
    ttl = out / "graph.ttl"
    before = (ttl.stat().st_mtime_ns, ttl.read_bytes())
    again = ok("build", str(src), "-o", str(out))
    assert "nothing changed" in again and "0 articles parsed" not in again
    assert (ttl.stat().st_mtime_ns, ttl.read_bytes()) == before
    # An edited article, a removed output or another format: each makes the build do its work.
    article = src / FIRST[0]
    article.write_text(article.read_text(encoding="utf-8") + "\nJapan imposed tariffs on Canada.\n", encoding="utf-8")
    assert "1 article parsed" in ok("build", str(src), "-o", str(out))
    (out / "graph.html").unlink()
    assert "nothing changed" not in ok("build", str(src), "-o", str(out))
    assert (out / "graph.html").exists()
    assert "nothing changed" not in ok("build", str(src), "-o", str(out), "--format", "ttl,nt")
    assert (out / "graph.nt").exists()
    manifest = json.loads((out / ".cache" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["formats"] == ["ttl", "nt"] and set(manifest["outputs"]) == {"graph.ttl", "graph.nt", "graph.html"}
    # --no-cache writes no manifest: the next build cannot take its outputs for its own.
    ok("build", str(src), "-o", str(out), "--no-cache", "-q")
    assert not (out / ".cache" / "manifest.json").exists()


def test_incremental_add_equals_a_full_build_and_adding_again_changes_nothing(folders, tmp_path):
    out = tmp_path / "out"
    ok("build", str(folders / "A"), "-o", str(out), "-q")
    said = ok("add", str(out), *(str(folders / "B" / name) for name in LATER))
    assert "2 articles parsed, 3 from the cache" in said
    full = (folders / "full" / "graph.ttl").read_bytes()
    assert (out / "graph.ttl").read_bytes() == full
    assert isomorphic(Graph().parse(out / "graph.ttl"), Graph().parse(folders / "full" / "graph.ttl"))
    assert "nothing changed" in ok("add", str(out), str(folders / "B" / LATER[0]))
    assert (out / "graph.ttl").read_bytes() == full
    # The same inputs given to kg build: nothing to do either.
    assert "nothing changed" in ok("build", str(folders / "A"), str(folders / "B"), "-o", str(out))


def test_incremental_add_of_a_changed_article_replaces_its_facts(folders, tmp_path):
    out = tmp_path / "out"
    ok("build", str(folders / "A"), str(folders / "B"), "-o", str(out), "-q")
    changed = tmp_path / "changed" / "B"
    shutil.copytree(folders / "B", changed)
    # The Defence article now tells another story (text of another corpus article).
    (changed / LATER[0]).write_bytes((CORPUS / "06_us_japan_trade_deal.html").read_bytes())
    old = Graph().parse(out / "graph.ttl")
    ok("add", str(out), str(changed / LATER[0]))
    ok("build", str(folders / "A"), str(changed), "-o", str(tmp_path / "full"), "--no-cache", "-q")
    assert (out / "graph.ttl").read_bytes() == (tmp_path / "full" / "graph.ttl").read_bytes()
    new = Graph().parse(out / "graph.ttl")
    assert not isomorphic(old, new)
    text = (out / "graph.ttl").read_text(encoding="utf-8")
    assert text.count(f'ng:sourceFile "{LATER[0]}"') == 1  # one article under that name, the new one


def test_incremental_add_needs_an_earlier_build(tmp_path):
    done = kg("add", str(tmp_path / "nothing"), str(CORPUS / FIRST[0]))
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "kg build" in done.stderr and "Traceback" not in done.stderr


def test_incremental_build_after_a_change_reads_only_what_changed_and_equals_a_full_build(tmp_path, monkeypatch):
    """A build after edits reads and parses only the changed files; the others' articles and
    notices are the manifest's. Outputs and notices are those of a full build, byte for byte."""
    import kg.incremental
    from kg.pipeline import build

    src = tmp_path / "src"
    src.mkdir()
    for name in FIRST:
        shutil.copy(CORPUS / name, src / name)
    shutil.copy(CORPUS / FIRST[1], src / "copy.txt")  # one article under two names
    (src / "latin.txt").write_bytes("Caf\xe9 owners in Osaka say the tariffs hurt them.".encode("cp1252"))  # a warning
    (src / "binary.txt").write_bytes(b"\x00\x01\x02")  # skipped
    out = tmp_path / "out"
    build([src], out)
    edited = src / FIRST[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nJapan imposed tariffs on Canada.\n", encoding="utf-8")
    shutil.copy(CORPUS / LATER[0], src / LATER[0])
    (src / FIRST[2]).unlink()
    read = []
    real = kg.incremental.read_source
    monkeypatch.setattr(kg.incremental, "read_source", lambda source: read.append(source.name) or real(source))
    result = build([src], out)
    assert sorted(read) == sorted([FIRST[0], LATER[0]]) and result.parsed == 2
    full = build([src], tmp_path / "full", cache=False)
    for name in ("graph.ttl", "graph.html"):
        assert (out / name).read_bytes() == (tmp_path / "full" / name).read_bytes()
    assert result.notices == full.notices and [n.name for n in result.notices] == ["binary.txt", "latin.txt"]
    assert [a.sources for a in result.knowledge.articles] == [a.sources for a in full.knowledge.articles]
    # A changed file now holds the text of unchanged ones: the full build's way, the same outputs.
    shutil.copy(CORPUS / FIRST[1], src / "latin.txt")
    read.clear()
    again = build([src], out)
    full = build([src], tmp_path / "full", cache=False)
    assert (out / "graph.ttl").read_bytes() == (tmp_path / "full" / "graph.ttl").read_bytes()
    assert again.notices == full.notices and read == ["latin.txt"]
    # A cache entry gone: that article cannot come from the cache, so the build reads everything.
    manifest = json.loads((out / ".cache" / "manifest.json").read_text(encoding="utf-8"))
    entries = sorted((out / ".cache" / "extractions").rglob("*.json"))
    assert len(entries) >= len(manifest["articles"])
    for entry in entries:
        entry.unlink()  # every entry: the one of an unchanged article among them
    edited.write_text(edited.read_text(encoding="utf-8") + "\nSeoul imposed tariffs on Canada.\n", encoding="utf-8")
    again = build([src], out)
    full = build([src], tmp_path / "full", cache=False)
    assert (out / "graph.ttl").read_bytes() == (tmp_path / "full" / "graph.ttl").read_bytes()
    assert again.parsed == len(full.knowledge.articles)
    # Entries edited since the manifest (their dates changed): not taken on trust, each is checked
    # against its file, as in a full build.
    for entry in (out / ".cache" / "extractions").rglob("*.json"):
        data = json.loads(entry.read_text(encoding="utf-8"))
        data["extraction"]["article"]["published"] = "1999-01-01"
        entry.write_text(json.dumps(data), encoding="utf-8")
    edited.write_text(edited.read_text(encoding="utf-8") + "\nTokyo imposed tariffs on Canada.\n", encoding="utf-8")
    build([src], out)
    full = build([src], tmp_path / "full", cache=False)
    assert (out / "graph.ttl").read_bytes() == (tmp_path / "full" / "graph.ttl").read_bytes()
    assert "1999-01-01" not in (out / "graph.ttl").read_text(encoding="utf-8")
