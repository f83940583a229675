from pathlib import Path

import pytest

from kg.errors import InputError
from kg.read import ArticleReader, Notice, parse_article, read_articles
from kg.sources import SourceFile, find_sources


def _article(text: str, name: str = "a.txt"):
    article, warnings = parse_article(name, text.encode("utf-8"))
    return article, warnings


def test_read_title_is_the_headline_and_first_paragraph():
    article, _ = _article("Tokyo braces for tariffs\n\nJapan expects new duties on steel this spring.\n")
    assert article.title == "Tokyo braces for tariffs"
    assert article.text.split("\n\n") == ["Tokyo braces for tariffs", "Japan expects new duties on steel this spring."]


def test_read_drops_repeated_paragraphs_and_boilerplate():
    text = "\n".join(
        [
            "Unlock the Editor's Digest free of charge",
            "Allies weigh the cost of a new trade war",
            "Photo: Kim Kyung-Hoon/Reuters",
            "Japan and the United States met in Washington on Friday.",
            "Subscribe",
            "Japan and the United States met in Washington on Friday.",
            "Sign up for our newsletter",
            "Related: Why the yen keeps falling",
            "Officials said talks would resume next week.",
            "3 comments:",
        ]
    )
    article, _ = _article(text)
    assert article.text.split("\n\n") == [
        "Allies weigh the cost of a new trade war",
        "Japan and the United States met in Washington on Friday.",
        "Officials said talks would resume next week.",
    ]


def test_read_strips_photo_credit_but_keeps_caption():
    caption = "The two ministers shake hands in Tokyo on March 30."
    article, _ = _article(f"Defence chiefs meet in Tokyo\n{caption} Jane Doe/POOL/AFP via Getty Images\n")
    assert article.text.endswith(caption)


def test_read_stops_at_teaser_lists():
    article, _ = _article(
        "Japan rethinks its alliance with America\nThe debate grew louder this year.\nRead more from this series:\n"
        "Another headline that is not part of this article at all\n"
    )
    assert "Another headline" not in article.text


def test_read_html_takes_article_body_not_markup():
    html = """<!doctype html><html><head><title>Site | Japan and tariffs</title><script>var x = "<p>";</script></head>
    <body><nav>Home News Subscribe to our daily briefing today</nav>
    <article><h1>Japan and the tariff deadline</h1><p>Japan&#8217;s negotiator flew to <b>Washington</b> again.</p>
    <p>Talks continued into the night.</p></article>
    <footer>Copyright 2025 Example News. All rights reserved.</footer></body></html>"""
    article, _ = _article(html, "page.html")
    assert article.title == "Japan and the tariff deadline"
    assert article.text.split("\n\n")[1:] == [
        "Japan\u2019s negotiator flew to Washington again.",
        "Talks continued into the night.",
    ]
    assert "<" not in article.text and "Copyright" not in article.text and "var x" not in article.text


def test_read_decodes_windows_1252_with_a_warning():
    article, warnings = parse_article(
        "old.txt", "Caf\u00e9 diplomacy in Tokyo\nThe minister\u2019s visit went well.\n".encode("cp1252")
    )
    assert "Café" in article.title and "minister\u2019s" in article.text
    assert warnings and "Windows-1252" in warnings[0]


def test_read_rejects_binary_and_empty_files():
    with pytest.raises(ValueError, match="binary"):
        parse_article("x.txt", b"\x00\x01\x02abc")
    with pytest.raises(ValueError, match="no article text"):
        parse_article("y.txt", b"   \n\n")


def test_read_same_text_under_two_names_is_one_article(tmp_path: Path):
    text = "Japan and America talk trade\nNegotiators met again on Monday in Washington.\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b copy.txt").write_text(text, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    articles, notices = read_articles(find_sources([tmp_path]))
    assert len(articles) == 1
    assert articles[0].sources == ("a.txt", "sub/b copy.txt")
    assert [(n.name, n.skipped) for n in notices] == [("empty.txt", True)]


def test_read_missing_or_empty_input_is_a_clear_error(tmp_path: Path):
    with pytest.raises(InputError, match="input not found: .*nope"):
        find_sources([tmp_path / "nope"])
    with pytest.raises(InputError, match="no articles"):
        find_sources([tmp_path])


def test_read_rejects_binary_without_nul_bytes():
    with pytest.raises(ValueError, match="binary"):
        parse_article("noise.txt", bytes(range(1, 32)) * 100)


def test_read_decodes_latin_1_with_a_warning():
    # 0x81 is undefined in Windows-1252: only Latin-1 decodes it
    data = "Na\u00efve diplomacy in Tokyo\x81\nMinisters met again.\n".encode("latin-1")
    article, warnings = parse_article("old.txt", data)
    assert "Naïve" in article.title
    assert warnings and "Latin-1" in warnings[0]


def test_read_cuts_overlong_articles_at_a_paragraph_with_a_warning():
    paragraphs = [f"Paragraph {i} says that Japan and the United States talked again." for i in range(400)]
    article, warnings = parse_article("long.txt", "\n".join(paragraphs).encode("utf-8"), max_chars=1000)
    assert len(article.text) <= 1000
    assert article.text.split("\n\n") == paragraphs[: len(article.text.split("\n\n"))]
    assert warnings == ["longer than 1,000 characters; only the first 1,000 were read"]


def test_read_reader_is_lazy_and_gives_duplicates_all_their_names(tmp_path: Path):
    text = "Japan and America talk trade\nNegotiators met again on Monday in Washington.\n"
    for name in ("b.txt", "a.txt", "c é.txt"):
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "d.txt").write_text("Another story entirely\nTokyo hosted a summit on Friday.\n", encoding="utf-8")
    reader = ArticleReader(find_sources([tmp_path]))
    stream = iter(reader)
    first = next(stream)
    assert first.sources == ("a.txt",) and not reader.notices
    rest = list(stream)
    assert len(rest) == 1
    assert reader.with_all_sources(first).sources == ("a.txt", "b.txt", "c é.txt")
    assert reader.with_all_sources(rest[0]).sources == ("d.txt",)


def test_read_recalled_files_join_the_names_of_the_texts_read(tmp_path: Path):
    """A file an earlier build read is recalled by its hash and notices; a file read now with
    the same text is one more name of that article, in input order."""
    text = "Japan and America talk trade\nNegotiators met again on Monday in Washington.\n"
    (tmp_path / "b.txt").write_text(text, encoding="utf-8")
    (tmp_path / "c.txt").write_text("Another story entirely\nTokyo hosted a summit on Friday.\n", encoding="utf-8")
    read = list(ArticleReader(find_sources([tmp_path / "b.txt"])))[0]
    reader = ArticleReader([])
    reader.recall("z-old.txt", "0" * 64, [Notice("z-old.txt", "cut off", skipped=False)])
    reader.recall("skipped.txt", None, [Notice("skipped.txt", "empty file", skipped=True)])
    reader.recall("a-old.txt", read.content_hash, [])
    for source in find_sources([tmp_path]):
        article, warnings = parse_article(source.name, source.path.read_bytes())
        reader.admit(source.name, article, warnings)
    assert reader.names_by_text() == {
        "0" * 64: ("z-old.txt",),
        read.content_hash: ("a-old.txt", "b.txt"),
        list(ArticleReader(find_sources([tmp_path / "c.txt"])))[0].content_hash: ("c.txt",),
    }
    assert [(n.name, n.skipped) for n in reader.notices] == [("z-old.txt", False), ("skipped.txt", True)]


def test_read_unreadable_file_is_skipped_with_the_reason(tmp_path: Path):
    (tmp_path / "ok.txt").write_text("Japan and America talk trade\nNegotiators met in Washington.\n", encoding="utf-8")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing-target.txt")
    sources = [SourceFile(tmp_path / "gone.txt", "gone.txt"), *find_sources([tmp_path / "ok.txt"])]
    articles, notices = read_articles(sources)
    assert len(articles) == 1
    assert [(n.name, n.skipped) for n in notices] == [("gone.txt", True)]
    assert "no such file" in notices[0].reason.lower()


@pytest.mark.parametrize("emoji", ["", " \U0001f600"])  # a character past the BMP is kept
def test_blank_characters_become_single_spaces(emoji):
    from kg.read import _normalise_line

    line = "Tokyo\u00a0and\tSeoul\u2003agreed\x0b\u3000 on\u202ftariffs\x85" + emoji
    assert _normalise_line(line) == "Tokyo and Seoul agreed on tariffs" + emoji
    assert _normalise_line("  \u00a0 ") == ""
    assert _normalise_line("Cafe\u0301") == "Caf\u00e9"  # NFC


def test_boilerplate_patterns_keep_their_own_case_rule():
    """The patterns are joined into one; the case-insensitive ones must not make the byline
    pattern case-insensitive (a lower-case line of words is text, not a byline)."""
    from kg.read import clean_paragraphs

    lines = ["SUBSCRIBE NOW", "Leo Lewis and Harry Dempsey in Tokyo", "the ministers met in tokyo today"]
    assert clean_paragraphs("Title", lines) == ["Title", "the ministers met in tokyo today"]
