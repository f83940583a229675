"""Bad input gets a one-line message, never a traceback; hostile text stays text; nothing is lost.

Tests run as root, where file permissions do not stop writes: an unwritable output folder is
made by asking for a folder below a regular file, or below /sys.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph
import pytest
from clirun import kg
from conftest import CORPUS, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal

from kg.export import turtle_bytes
from kg.export_html import write_html
from kg.graph import build_graph
from kg.models import (
    Article,
    Entity,
    EntityType,
    KnowledgeBase,
    PolicyFact,
    Provenance,
    RoleFact,
    Status,
)
from kg.namespaces import NG
from kg.read import MAX_ARTICLE_CHARS, parse_article

HOSTILE = 'He said "no" \\ then \'"""\' <b>bold</b> </script><!-- & \x07\x1b\u202eevil\u200f 😀 \u2028end'
ARTICLE = "Defence ministers meet in Tokyo\nJapan's negotiator Ryosei Akazawa met officials in Washington.\n"


def one_line_error(done: subprocess.CompletedProcess, *fragments: str) -> None:
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: "), done.stderr
    for fragment in fragments:
        assert fragment in lines[0]


# --- paths ---------------------------------------------------------------------------------


def test_robust_missing_input(tmp_path: Path):
    one_line_error(kg("build", str(tmp_path / "nope"), "-o", str(tmp_path / "out")), "input not found", "nope")


def test_robust_empty_folder(tmp_path: Path):
    (tmp_path / "empty").mkdir()
    one_line_error(kg("build", str(tmp_path / "empty"), "-o", str(tmp_path / "out")), "no articles", "empty")


def test_robust_folder_of_only_bad_files(tmp_path: Path):
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "empty.txt").write_bytes(b"")
    (tmp_path / "bad" / "blob.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    done = kg("build", str(tmp_path / "bad"), "-o", str(tmp_path / "out"))
    one_line_error(done, "no readable articles", "empty.txt", "blob.txt")


def test_robust_output_path_is_a_file(tmp_path: Path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "out").write_text("a file", encoding="utf-8")
    one_line_error(kg("build", str(tmp_path / "a.txt"), "-o", str(tmp_path / "out")), "output path is a file", "out")


@pytest.mark.parametrize("where", ["below-a-file", "sys"])
def test_robust_unwritable_output_folder(tmp_path: Path, where: str):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "file.txt").write_text("a file", encoding="utf-8")
    out = tmp_path / "file.txt" / "out" if where == "below-a-file" else Path("/sys/newsgraph-out")
    if where == "sys" and (not Path("/sys").is_dir() or os.access("/sys", os.W_OK) and _can_mkdir(out)):
        pytest.skip("/sys is writable here")
    started = time.monotonic()
    done = kg("build", str(tmp_path / "a.txt"), "-o", str(out))
    one_line_error(done, "cannot write to", str(out), "choose another folder with -o")
    assert time.monotonic() - started < 60  # refused before any parsing


def test_robust_output_folder_inside_the_input_folder_is_not_read(tmp_path: Path, nlp):
    from kg.pipeline import build

    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    build([tmp_path], tmp_path / "out", workers=1)
    again = build([tmp_path], tmp_path / "out", workers=1)
    assert [a.sources for a in again.knowledge.articles] == [("a.txt",)] and not again.notices


def _can_mkdir(path: Path) -> bool:
    try:
        path.mkdir()
    except OSError:
        return False
    path.rmdir()
    return True


# --- messy corpus ----------------------------------------------------------------------------

HTML_PAGE = """<!doctype html><html><head><title>Site | Tariffs</title><script>var x = "<p>";</script></head>
<body><nav>Home News Subscribe to our daily briefing today</nav>
<article><h1>Japan and the tariff deadline</h1>
<p>Japan's negotiator Ryosei Akazawa flew to <b>Washington</b> again to discuss tariffs.</p>
<p>Talks with the United States continued into the night.</p></article>
<footer>Copyright 2025 Example News. All rights reserved.</footer></body></html>"""


@pytest.fixture(scope="module")
def messy(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    root = tmp_path_factory.mktemp("messy")
    corpus = root / "corpus"
    (corpus / "sub dir").mkdir(parents=True)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (corpus / "noise.md").write_bytes(bytes(range(1, 32)) * 200)
    (corpus / "latin.txt").write_bytes(
        "Caf\u00e9 diplomacy in Tokyo\nJapan\u2019s Prime Minister Shigeru Ishiba welcomed the visit.\n".encode(
            "cp1252"
        )
    )
    (corpus / "page.html").write_text(HTML_PAGE, encoding="utf-8")
    # 5 MB on one line; long words keep the parse of the part that is read short.
    filler = "Tariffwordthatgoesonandonforfortycharact " * (5_000_000 // 41)
    (corpus / "huge.txt").write_text("Japan and the United States discussed tariffs. " + filler, encoding="utf-8")
    (corpus / "dup.txt").write_text(ARTICLE, encoding="utf-8")
    (corpus / "sub dir" / "dup copy.txt").write_text(ARTICLE, encoding="utf-8")
    (corpus / "Tōkyō talks 東京 é.txt").write_text(
        "Allies talk in Tokyo\nDefense Secretary Pete Hegseth visited Tokyo to discuss the alliance with Japan.\n",
        encoding="utf-8",
    )
    done = kg("build", str(corpus), "-o", str(root / "out"), "--workers", "2", timeout=600)
    return root / "out", done


def test_robust_messy_corpus_builds_and_exits_1_naming_each_skipped_file(messy):
    _out, done = messy
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert all(re.match(r"kg: (skipped|warning): ", line) for line in lines), lines
    skipped = {line.split(": ")[2]: line for line in lines if line.startswith("kg: skipped")}
    assert set(skipped) == {"empty.txt", "image.txt", "noise.md"}
    assert "no article text" in skipped["empty.txt"] and "binary" in skipped["image.txt"]
    assert "binary" in skipped["noise.md"]
    warned = {line.split(": ")[2]: line for line in lines if line.startswith("kg: warning")}
    assert "Windows-1252" in warned["latin.txt"]
    assert "longer than" in warned["huge.txt"]
    assert "5 articles" in done.stdout


def test_robust_messy_corpus_graph_records_every_good_file(messy):
    out, _done = messy
    g = Graph().parse(out / "graph.ttl", format="turtle")
    sources = {str(o) for o in g.objects(None, NG.sourceFile)}
    assert sources == {
        "latin.txt",
        "page.html",
        "huge.txt",
        "dup.txt",
        "sub dir/dup copy.txt",
        "Tōkyō talks 東京 é.txt",
    }
    # the same article under two names: one article node with both names
    (article,) = set(g.subjects(NG.sourceFile, Literal("dup.txt")))
    assert {str(o) for o in g.objects(article, NG.sourceFile)} == {"dup.txt", "sub dir/dup copy.txt"}
    titles = {str(o) for o in g.objects(None, g.namespace_manager.expand_curie("dcterms:title"))}
    assert "Café diplomacy in Tokyo" in titles and "Japan and the tariff deadline" in titles


def test_robust_html_markup_never_reaches_the_graph(messy):
    out, _done = messy
    g = Graph().parse(out / "graph.ttl", format="turtle")
    texts = [str(o) for o in g.objects() if isinstance(o, Literal)]
    assert any("Akazawa flew to Washington again" in t for t in texts)
    assert not [t for t in texts if re.search(r"</?[a-z]+[ >]|var x|Copyright|Subscribe", t)]


def test_robust_huge_one_line_file_is_cut_with_a_warning_and_quickly():
    data = ("word " * 1_100_000).encode("utf-8")  # 5.5 MB, one line
    started = time.monotonic()
    article, warnings = parse_article("huge.txt", data)
    assert time.monotonic() - started < 30
    assert len(article.text) <= MAX_ARTICLE_CHARS and len(article.title) <= 300
    assert warnings and "longer than" in warnings[0]
    with pytest.raises(ValueError, match="no article text"):  # one 5 MB "word" is no article
        parse_article("blob.txt", b"x" * 5_000_000)


def test_robust_huge_word_is_dropped_not_split(nlp):
    article, warnings = parse_article("blob.txt", b"Japan said that the numbers were " + b"x" * 5_000_000)
    assert article.text == "Japan said that the numbers were" and warnings
    assert len(nlp(article.text)) == 6


# --- hostile text ----------------------------------------------------------------------------


def _parses_everywhere(ttl: Path) -> Graph:
    g = Graph().parse(ttl, format="turtle")
    store = pyoxigraph.Store()
    store.load(path=str(ttl), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(g)
    return g


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)


def _tags(page: str) -> list[str]:
    parser = _Tags()
    parser.feed(page)
    return parser.tags


@pytest.fixture(scope="module")
def reference_tags(tmp_path_factory) -> set[str]:
    """The elements of a page drawn from harmless text: the page's own markup."""
    path = tmp_path_factory.mktemp("reference") / "g.html"
    write_html(build_graph(_knowledge("Taro Yamada", "A plain sentence.", "plain.txt")), path)
    return set(_tags(path.read_text(encoding="utf-8")))


def html_is_text_only(page: str, reference_tags: set[str]) -> list[dict]:
    """Check that no text became markup; return the node and edge records of the page."""
    tags = _tags(page)
    assert set(tags) <= reference_tags, set(tags) - reference_tags
    assert "<b>bold</b>" not in page and "</script><!--" not in page
    data = re.findall(r"new vis\.DataSet\((.*?)\);\n", page)
    assert len(data) == 2
    for chunk in data:
        assert "<" not in chunk and ">" not in chunk
    return [item for chunk in data for item in json.loads(chunk)]


def test_robust_hostile_text_through_the_whole_pipeline(tmp_path: Path, reference_tags):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    name = 'we"ird <name> \\ 😀 \u202e.txt'
    (corpus / name).write_text(
        f"Headline {HOSTILE}\n"
        f"Japan imposed tariffs on China, said {HOSTILE}.\n"
        f"Prime Minister Shigeru Ishiba of Japan met Donald Trump {HOSTILE} in Washington.\n",
        encoding="utf-8",
    )
    done = kg("build", str(corpus), "-o", str(tmp_path / "out"), "--quiet")
    assert done.returncode == 0, done.stderr
    g = _parses_everywhere(tmp_path / "out" / "graph.ttl")
    texts = {str(o) for o in g.objects() if isinstance(o, Literal)}
    assert name in texts
    assert any(HOSTILE.replace("\x07", " ").replace("\x1b", " ")[:20] in t for t in texts), texts
    html_is_text_only((tmp_path / "out" / "graph.html").read_text(encoding="utf-8"), reference_tags)
    if shutil.which("rapper"):
        rapper = subprocess.run(
            ["rapper", "-i", "turtle", "-c", str(tmp_path / "out" / "graph.ttl")], capture_output=True, text=True
        )
        assert rapper.returncode == 0 and "error" not in rapper.stderr.lower(), rapper.stderr


@pytest.mark.skipif(shutil.which("rapper") is None, reason="rapper (Debian raptor2-utils) is not installed")
def test_robust_raptor_accepts_hostile_turtle(tmp_path: Path):
    ttl = tmp_path / "g.ttl"
    ttl.write_bytes(turtle_bytes(build_graph(_knowledge(HOSTILE, HOSTILE + "\n" + HOSTILE, HOSTILE))))
    done = subprocess.run(["rapper", "-i", "turtle", "-c", str(ttl)], capture_output=True, text=True)
    assert done.returncode == 0 and "error" not in done.stderr.lower(), done.stderr
    assert int(re.search(r"returned (\d+) triples", done.stderr).group(1)) == len(Graph().parse(ttl))


def _knowledge(label: str, evidence: str, source: str) -> KnowledgeBase:
    """A knowledge base whose every text field carries the given strings."""
    article = Article("0" * 40, title=label or "t", text=evidence, sources=(source, "plain.txt"))
    prov = Provenance(article.content_hash, evidence, 0, len(evidence), "title_before_name", 0.9)
    person = Entity(f"person:{label}", EntityType.PERSON, label or "p", aliases=(evidence,), articles=("0" * 40,))
    org = Entity("organization:Acme", EntityType.ORGANIZATION, "Acme", articles=("0" * 40,))
    japan = Entity("country:Japan", EntityType.COUNTRY, "Japan", wikidata="Q17", articles=("0" * 40,))
    china = Entity(f"country:{evidence}", EntityType.COUNTRY, label or "c", articles=("0" * 40,))
    return KnowledgeBase(
        articles=(article,),
        entities=(person, org, japan, china),
        roles=(RoleFact(person.key, label or "role", org.key, Status.CURRENT, prov),),
        policies=(PolicyFact(japan.key, "tariff", china.key, prov),),
    )


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(label=TEXT, evidence=TEXT, source=TEXT)
def test_robust_any_text_gives_parseable_turtle_and_text_only_html(
    tmp_path: Path, reference_tags, label, evidence, source
):
    kb = _knowledge(label, evidence, source)
    ttl = tmp_path / "g.ttl"
    ttl.write_bytes(turtle_bytes(build_graph(kb)))
    g = _parses_everywhere(ttl)
    assert Literal(evidence) in set(g.objects(None, NG.evidence))
    write_html(g, tmp_path / "g.html")
    items = html_is_text_only((tmp_path / "g.html").read_text(encoding="utf-8"), reference_tags)
    assert (label or "p") in {i.get("label") for i in items}


@settings(max_examples=15, deadline=None)
@given(text=st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=300))
def test_robust_any_article_text_gives_parseable_turtle(nlp, text):
    from kg.extract import extract
    from kg.resolve import resolve

    try:
        article, _ = parse_article("any.txt", ("Prime Minister Shigeru Ishiba of Japan said\n" + text).encode())
    except ValueError:
        return
    kb = resolve([extract(nlp(article.text), article)])
    data = turtle_bytes(build_graph(kb))
    g = Graph().parse(data=data, format="turtle")
    assert len(list(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.TURTLE))) == len(g)


# --- nothing is lost ---------------------------------------------------------------------------


def _snapshot(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_robust_failed_build_leaves_previous_outputs(tmp_path: Path):
    out = tmp_path / "out"
    (tmp_path / "good").mkdir()
    (tmp_path / "good" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    assert kg("build", str(tmp_path / "good"), "-o", str(out), "-q").returncode == 0
    before = _snapshot(out)
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "empty.txt").write_bytes(b"")
    one_line_error(kg("build", str(tmp_path / "bad"), "-o", str(out)), "no readable articles")
    assert _snapshot(out) == before


def test_robust_ctrl_c_mid_build_leaves_outputs_and_cache_intact(tmp_path: Path):
    out = tmp_path / "out"
    assert kg("build", str(CORPUS), "-o", str(out), "-q").returncode == 0
    before = _snapshot(out)
    bigger = tmp_path / "bigger"
    bigger.mkdir()
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    for i in range(20):
        (bigger / f"copy_{i:02d}.txt").write_text(f"Copy number {i} of an article\n{texts[i % len(texts)]}", "utf-8")
    cache = out / ".cache"
    entries_before = len(list(cache.rglob("*.json")))
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "build", str(CORPUS), str(bigger), "-o", str(out), "--workers", "2"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 300
    while len(list(cache.rglob("*.json"))) == entries_before and proc.poll() is None:
        assert time.monotonic() < deadline, "the build never started parsing"
        time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    _stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr and "interrupted" in stderr
    after = _snapshot(out)
    assert {k: v for k, v in after.items() if k in before} == before  # graph.ttl, graph.html, old cache entries
    assert not [k for k in after if k.endswith(".tmp")]
    # the entries written before Ctrl-C are whole
    new_entries = [out / k for k in after if k.endswith(".json") and k not in before]
    assert new_entries
    for entry in new_entries:
        assert json.loads(entry.read_bytes())["extraction"]["article"]["text"]
