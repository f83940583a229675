"""Stage 1: find article files, decode them and clean them into ``Article`` objects.

Cleaning keeps the article's own paragraphs: the headline becomes the title, repeated
paragraphs are dropped, and web boilerplate is removed with the reviewable patterns of
``data/boilerplate.json``. HTML goes through the standard library's HTML parser. The
publication date comes from a sidecar file, the HTML metadata or a Markdown front matter, or a
dateline or date line at the top of the text, in that order (``kg.dates``); never from the file's modification time.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from html.parser import HTMLParser
from itertools import islice

from .datafiles import package_json
from .dates import front_matter_date, html_date, sidecar_date, text_date
from .files import read_regular
from .models import Article
from .sources import SourceFile

PARAGRAPH_SEPARATOR = "\n\n"
# About 30,000 words: longer than any news article, short enough to parse in seconds.
MAX_ARTICLE_CHARS = 200_000
MAX_TITLE_CHARS = 300


@dataclass(frozen=True)
class Notice:
    """A file that was skipped (``skipped``) or read with a warning."""

    name: str
    reason: str
    skipped: bool


_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f")


def decode(data: bytes) -> tuple[str, str | None]:
    """Text and a warning: UTF-8 first; otherwise Windows-1252 (a superset of Latin-1 in practice)."""
    head = data[:4096]
    if b"\x00" in head:
        raise ValueError("binary file (contains NUL bytes)")
    # Text has few control characters; a binary file without NULs has many.
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if head and controls / len(head) > 0.05:
        raise ValueError("binary file (mostly control bytes)")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "not UTF-8; decoded as Windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "not UTF-8; decoded as Latin-1"


@lru_cache(maxsize=1)
def _rules() -> dict:
    """The patterns of ``data/boilerplate.json``, each list joined into one pattern: one match per
    line in place of one per pattern (the same lines match)."""
    data = package_json("data/boilerplate.json")
    return {
        "drop": _any_of([f"(?i:{p})" for p in data["drop"]] + data["drop_case_sensitive"]),
        "stop_after": _any_of([f"(?i:{p})" for p in data["stop_after"]]),
        "strip": [re.compile(p) for p in data["strip"]],
        "min_words": data["min_words"],
    }


def _any_of(patterns: list[str]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def _normalise_line(line: str) -> str:
    return _blank_runs().sub(" ", unicodedata.normalize("NFC", line)).strip()


BLANK_CATEGORIES = {"Cc", "Zs"}  # control characters and space separators


@lru_cache(maxsize=1)
def _blank_runs() -> re.Pattern:
    """A run of white space, control characters and space separators (each category has
    characters only in the BMP): one space stands for it in a cleaned line."""
    blanks = "".join(re.escape(chr(c)) for c in range(0x10000) if unicodedata.category(chr(c)) in BLANK_CATEGORIES)
    return re.compile(f"[\\s{blanks}]+")


_NON_WORDS = re.compile(r"\W+")
_WORDS = re.compile(r"\w+")
_HEADING_MARK = re.compile(r"^#+\s*")
_SENTENCE_END = re.compile(r"[.!?\"”]$")


def _key(line: str) -> str:
    return _NON_WORDS.sub(" ", line.casefold()).strip()


def clean_paragraphs(title: str | None, lines: Iterable[str]) -> list[str]:
    """The article's paragraphs, title first, without repeats and boilerplate.

    With no ``title`` given, the first line that is not boilerplate and has at least
    ``min_words`` words is the title.
    """
    rules = _rules()
    kept: list[str] = [title] if title else []
    seen = {_key(title)} if title else set()
    for raw in lines:
        line = _normalise_line(raw)
        if not line:
            continue
        if rules["stop_after"].fullmatch(line):
            break
        if rules["drop"].fullmatch(line):
            continue
        for pattern in rules["strip"]:
            line = pattern.sub("", line).strip()
        short = sum(1 for _ in islice(_WORDS.finditer(line), rules["min_words"])) < rules["min_words"]
        if short and (not kept or not _SENTENCE_END.search(line)):
            continue
        key = _key(line)
        if key in seen:
            continue
        seen.add(key)
        kept.append(line)
    return kept


def _text_lines(text: str) -> tuple[None, list[str]]:
    """Plain text and Markdown: one paragraph a line; Markdown heading marks removed."""
    return None, [_HEADING_MARK.sub("", line) if line[:1] == "#" else line for line in text.splitlines()]


class _ArticleHTML(HTMLParser):
    """Collects the <title>, <h1> and the text blocks of <article> (else <main>, else <body>)."""

    BLOCKS = {"p", "h1", "h2", "h3", "h4", "li", "blockquote", "div", "section", "br", "tr", "figcaption"}
    SKIP = {"script", "style", "noscript", "nav", "footer", "header", "aside", "form", "button", "svg", "template"}
    VOID = {"br", "img", "hr", "meta", "link", "input", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.h1 = ""
        self._stack: list[str] = []
        self._skip_depth = 0
        self._in_title = False
        self._in_h1 = False
        self.blocks: dict[str, list[str]] = {"article": [], "main": [], "body": []}
        self._current: dict[str, list[str]] = {"article": [], "main": [], "body": []}

    def _flush(self) -> None:
        for zone, parts in self._current.items():
            text = "".join(parts).strip()
            if text:
                self.blocks[zone].append(text)
            parts.clear()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.VOID:
            if tag == "br":
                self._flush()
            return
        self._stack.append(tag)
        if tag in self.SKIP:
            self._skip_depth += 1
        if tag in self.BLOCKS:
            self._flush()
        self._in_title = self._in_title or tag == "title"
        self._in_h1 = self._in_h1 or tag == "h1"

    def handle_endtag(self, tag: str) -> None:
        if tag not in self._stack:
            return
        while self._stack:
            open_tag = self._stack.pop()
            if open_tag in self.SKIP:
                self._skip_depth -= 1
            if open_tag == "title":
                self._in_title = False
            if open_tag == "h1":
                self._in_h1 = False
            if open_tag in self.BLOCKS:
                self._flush()
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
            return
        if self._skip_depth:
            return
        if self._in_h1:
            self.h1 += data
        for zone in ("article", "main", "body"):
            if zone in self._stack or zone == "body":
                self._current[zone].append(data)

    def result(self) -> tuple[str | None, list[str]]:
        self._flush()
        blocks = self.blocks["article"] or self.blocks["main"] or self.blocks["body"]
        title = _normalise_line(self.h1 or self.title)
        if blocks and _key(blocks[0]) == _key(title):
            blocks = blocks[1:]
        return title or None, blocks


def _html_lines(text: str) -> tuple[str | None, list[str]]:
    parser = _ArticleHTML()
    parser.feed(text)
    parser.close()
    return parser.result()


def _truncate(paragraphs: list[str], limit: int) -> list[str]:
    """The first paragraphs that fit in ``limit`` characters; a longer first one is cut at a space."""
    kept: list[str] = []
    size = 0
    for paragraph in paragraphs:
        room = limit - size - (len(PARAGRAPH_SEPARATOR) if kept else 0)
        if len(paragraph) > room:
            cut = paragraph[:room].rsplit(" ", 1)[0] if room > 0 else ""
            if cut and not kept:
                kept.append(cut)
            break
        kept.append(paragraph)
        size += len(paragraph) + (len(PARAGRAPH_SEPARATOR) if len(kept) > 1 else 0)
    return kept


def max_file_bytes(max_chars: int = MAX_ARTICLE_CHARS) -> int:
    """How much of a file is read: enough for the ``4 * max_chars`` characters cleaning looks at."""
    return 16 * max_chars


def parse_article(
    name: str, data: bytes, max_chars: int = MAX_ARTICLE_CHARS, truncated: bool = False
) -> tuple[Article, list[str]]:
    """Decode and clean one file. Raises ``ValueError`` with the reason when it has no article.

    Text beyond ``max_chars`` characters is dropped with a warning: no news article is that
    long, and spaCy's parser needs time and memory in proportion to it. ``truncated``: ``data``
    is the start of a longer file (it may end inside a UTF-8 character).
    """
    text, warning = decode(_whole_characters(data) if truncated else data)
    warnings = [warning] if warning else []
    if len(text) > 4 * max_chars:  # spare the cleaning of a huge file the parse would cut anyway
        text = text[: 4 * max_chars]
    is_html = name.lower().endswith((".html", ".htm")) or text.lstrip()[:15].lower().startswith(("<!doctype", "<html"))
    matter_date, text = (None, text) if is_html else front_matter_date(text)
    title, lines = _html_lines(text) if is_html else _text_lines(text)
    paragraphs = clean_paragraphs(title, lines)
    if not paragraphs:
        raise ValueError("no article text")
    if sum(len(p) for p in paragraphs) + len(PARAGRAPH_SEPARATOR) * (len(paragraphs) - 1) > max_chars:
        paragraphs = _truncate(paragraphs, max_chars)
        warnings.append(f"longer than {max_chars:,} characters; only the first {max_chars:,} were read")
        if not paragraphs:
            raise ValueError("no article text")
    elif truncated:
        warnings.append(f"larger than {len(data):,} bytes; only the first {len(data):,} were read")
    body = PARAGRAPH_SEPARATOR.join(paragraphs)
    digest = hashlib.sha1(body.encode("utf-8")).hexdigest()
    published = (html_date(text) if is_html else matter_date) or text_date(paragraphs)
    title = paragraphs[0][:MAX_TITLE_CHARS]
    return Article(content_hash=digest, title=title, text=body, sources=(name,), published=published), warnings


def _whole_characters(data: bytes) -> bytes:
    """``data`` without a UTF-8 character cut off at its end."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte < 0x80:
            return data
        if byte >= 0xC0:  # the lead byte of the last character: is the character whole?
            need = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return data if back >= need else data[:-back]
    return data


def _with_sidecar(source: SourceFile, article: Article, warnings: list[str]) -> tuple[Article, list[str]]:
    """The article dated by its sidecar file (``story.meta.json``), which wins over the page;
    a sidecar without a valid date is a warning and leaves the article as it was."""
    try:
        published = sidecar_date(source.path)
    except (OSError, ValueError) as exc:
        return article, [*warnings, f"sidecar ignored: {exc}"]
    return (replace(article, published=published) if published else article), warnings


def read_source(source: SourceFile, max_chars: int = MAX_ARTICLE_CHARS) -> tuple[Article, list[str]]:
    """Read, clean and date one file: the article and its warnings. Raises ``OSError`` or
    ``ValueError`` (``skip_reason`` words it) when the file gives no article. The local reader
    and the workers of a cluster build both read through here."""
    if source.problem:
        raise ValueError(source.problem)
    data, more = read_regular(source.path, max_file_bytes(max_chars))
    article, warnings = parse_article(source.name, data, max_chars, truncated=more)
    return _with_sidecar(source, article, warnings)


def skip_reason(exc: OSError | ValueError) -> str:
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)


class ArticleReader:
    """Reads ``sources`` lazily: iterating yields each distinct article once, in input order.

    Skipped files and warnings collect in ``notices``. The same text under two names is one
    article; the later names are known once iteration has finished, so ``with_all_sources``
    gives an article every name it was found under.
    """

    def __init__(self, sources: Iterable[SourceFile], max_chars: int = MAX_ARTICLE_CHARS) -> None:
        self.sources = list(sources)
        self.max_chars = max_chars
        self.notices: list[Notice] = []
        self._names: dict[str, list[str]] = {}

    def __len__(self) -> int:
        return len(self.sources)

    def __iter__(self) -> Iterator[Article]:
        for source in self.sources:
            try:
                article, warnings = read_source(source, self.max_chars)
            except (OSError, ValueError) as exc:
                self.skip(source.name, skip_reason(exc))
                continue
            if self.admit(source.name, article, warnings):
                yield article

    def skip(self, name: str, reason: str) -> None:
        self.notices.append(Notice(name, reason, skipped=True))

    def admit(self, name: str, article: Article, warnings: list[str]) -> bool:
        """Record a file read elsewhere (a cluster's worker) as if read here: whether its text
        is new, else ``name`` is one more name of an article already admitted."""
        self.notices += [Notice(name, w, skipped=False) for w in warnings]
        names = self._names.get(article.content_hash)
        if names is not None:
            names.append(name)
            return False
        self._names[article.content_hash] = [name]
        return True

    def recall(self, name: str, content_hash: str | None, notices: Iterable[Notice]) -> None:
        """Record a file an earlier build read, unchanged since, from what that build recorded:
        its notices and the hash of its article (None: it gave none)."""
        self.notices += notices
        if content_hash is not None:
            self._names.setdefault(content_hash, []).append(name)

    def names_by_text(self) -> dict[str, tuple[str, ...]]:
        """Content hash -> every name its text was found under (sorted), in input order."""
        return {content_hash: tuple(sorted(set(names))) for content_hash, names in self._names.items()}

    def with_all_sources(self, article: Article) -> Article:
        names = tuple(sorted(set(self._names.get(article.content_hash, article.sources))))
        return article if names == article.sources else replace(article, sources=names)


def read_articles(sources: Iterable[SourceFile]) -> tuple[list[Article], list[Notice]]:
    """Articles in input order, and notices for files skipped or read with a warning.

    The same text under two names is one article that lists both sources.
    """
    reader = ArticleReader(sources)
    articles = list(reader)
    return [reader.with_all_sources(a) for a in articles], reader.notices
