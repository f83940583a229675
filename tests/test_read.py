from pathlib import Path

import pytest

from kg.errors import InputError
from kg.read import find_sources, parse_article, read_articles


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
