"""Dates: an article's publication date, and date expressions normalised to ISO strings.

A date is an ISO 8601 string whose length is its precision: ``"2025"`` (year), ``"2025-03"``
(month) or ``"2025-03-30"`` (day). Unknown stays unknown: nothing here ever looks at a file's
modification time or at today's date.

- :func:`html_date`: the publication date in an HTML page's metadata (``htmldate``).
- :func:`text_date`: a dateline ("TURNBERRY, Scotland, July 28, 2025 –") or a date line
  ("Published 12 March 2025", "By Staff | July 23, 2025") near the top of the cleaned text.
- :func:`sidecar_date`: ``story.meta.json`` beside ``story.txt``: ``{"published": "2025-03-30"}``.
- :func:`front_matter_date`: ``date: 2025-03-30`` in a Markdown front matter.
- :func:`find_dates`: the date expressions of a piece of text ("on April 2", "in March", "on
  Sunday", "last week", "since 2023"), each resolved against an anchor (the article's date),
  backwards for past tense.
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from .files import read_regular

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}

# Month names are matched case-sensitively: "may" and "march" are also words.
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)"
)
_YEAR = r"(?:19|20)\d{2}"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_UNIT = r"(?:day|week|month|year)s?"
_NUMBER = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|a|an)"
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
NUMBERS |= {"six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}

DATE_PATTERN = re.compile(
    "|".join(
        [
            rf"(?P<iso>\b{_YEAR}-[01]\d(?:-[0-3]\d)?\b)",
            rf"(?P<mdy>\b{_MONTH} {_DAY},? {_YEAR}\b)",
            rf"(?P<dmy>\b{_DAY} {_MONTH},? {_YEAR}\b)",
            rf"(?P<my>\b{_MONTH},? (?:of )?{_YEAR}\b)",
            rf"(?P<md>\b{_MONTH} {_DAY}\b(?!,? ?\d))",
            rf"(?P<dm>\b{_DAY} {_MONTH}\b)",
            rf"(?P<weekday>\b(?:(?i:last|this|next) )?{_WEEKDAY}\b)",
            r"(?P<relative>\b(?i:(?:last|this|next|past) (?:week|month|year)|yesterday|today|tomorrow)\b)",
            rf"(?P<ago>\b(?i:{_NUMBER} {_UNIT} ago)\b)",
            rf"(?P<month>\b(?:(?i:in|on|since|until|till|from|to|through|of|early|late|mid-?|last|this|next) )"
            rf"{_MONTH}(?!\.?\w)(?!,? (?:of )?\d))",
            rf"(?P<year>(?<![\d$£€.,])(?<!pre-)(?<!post-)\b{_YEAR}\b(?![\d%]|[.,]\d| ?(?i:percent|per cent)))",
        ]
    )
)
_LEADING = re.compile(r"^(?i:in|on|since|until|till|from|to|through|of|early|late|mid-?) ")

# "TURNBERRY, Scotland, July 28, 2025 –": capitals, optional places, the date, a dash.
DATELINE = re.compile(
    rf"^[A-Z][A-Z.'\- ]+(?:\([^)]*\))?(?:, [A-Z][\w.'\- ]*){{0,2}},? (?P<date>{_MONTH} {_DAY},? {_YEAR}|"
    rf"{_DAY} {_MONTH},? {_YEAR}|{_YEAR}-[01]\d-[0-3]\d)\s*(?:[–—-]+|:)\s"
)
# A short line near the top: "Published 12 March 2025", "By Staff | July 23, 2025", "March 30, 2025".
DATE_LINE = re.compile(
    rf"^(?:(?i:published|updated|posted|first published|date)\b[^|]*?|(?i:by)\b[^|]*\|\s*)?"
    rf"(?:(?:on|:)\s*)?(?:{_WEEKDAY},? )?(?P<date>{_MONTH} {_DAY},? {_YEAR}|{_DAY} {_MONTH},? {_YEAR}|"
    rf"{_YEAR}-[01]\d-[0-3]\d)\b"
)
DATE_LINE_WORDS = 16
LATEST_HTML_DATE = "2099-12-31"


@dataclass(frozen=True)
class DateMatch:
    """A date expression at ``start``-``end`` of the text searched, and its ISO date."""

    text: str
    start: int
    end: int
    value: str
    kind: str  # the pattern that matched: "mdy", "weekday", "relative", ...


def normalise_iso(value: str) -> str | None:
    """``value`` as an ISO date of year, month or day precision, or ``None`` when it is none."""
    value = value.strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ].*)?", value)
    if not m:
        return None
    year, month, day = m.groups()
    try:
        if day:
            return date(int(year), int(month), int(day)).isoformat()
        if month:
            return date(int(year), int(month), 1).isoformat()[:7]
    except ValueError:
        return None
    return year


def _anchor(anchor: str | None) -> tuple[int | None, int | None, date | None]:
    if not anchor:
        return None, None, None
    parts = anchor.split("-")
    year = int(parts[0])
    month = int(parts[1]) if len(parts) > 1 else None
    day = date(year, month, int(parts[2])) if len(parts) > 2 and month else None
    return year, month, day


def _month_number(text: str) -> int:
    return MONTHS[text.rstrip(".").lower()]


def _day(text: str) -> int:
    return int(re.match(r"\d+", text).group())


def _iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    try:
        if day is not None and month is not None:
            return date(year, month, day).isoformat()
        if month is not None:
            return f"{year:04d}-{month:02d}"
    except ValueError:
        return None
    return f"{year:04d}"


def _shift_months(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + by
    return index // 12, index % 12 + 1


def resolve(kind: str, text: str, anchor: str | None, past: bool = True) -> str | None:
    """The ISO date of the expression ``text`` (matched as ``kind``), against the article date
    ``anchor``; an expression without a year ("in March", "on Sunday") is resolved backwards
    from the anchor when ``past``, forwards otherwise, and is ``None`` without an anchor."""
    year, month, today = _anchor(anchor)
    words = re.findall(r"[A-Za-z]+\.?|\d+", text)
    if kind == "iso":
        return normalise_iso(text)
    if kind in ("mdy", "dmy", "my"):
        month_word = next(w for w in words if w.rstrip(".").lower() in MONTHS)
        y = int(next(w for w in words if re.fullmatch(_YEAR, w)))
        days = [w for w in words if w.isdigit() and len(w) <= 2]
        return _iso(y, _month_number(month_word), _day(days[0]) if days and kind != "my" else None)
    if kind == "year":
        return text
    if year is None:
        return None
    if kind in ("md", "dm", "month"):
        text = _LEADING.sub("", text)
        m = re.search(_MONTH, text)
        wanted = _month_number(m.group())
        days = re.findall(r"\b\d{1,2}", text)
        if month is None:
            return None
        y = year
        if past and wanted > month:
            y -= 1
        elif not past and wanted < month:
            y += 1
        return _iso(y, wanted, _day(days[0]) if days and kind != "month" else None)
    lowered = text.lower()
    if kind == "weekday":
        if today is None:
            return None
        wanted = WEEKDAYS[lowered.split()[-1]]
        back, ahead = (today.weekday() - wanted) % 7, (wanted - today.weekday()) % 7
        if lowered.startswith("last"):
            return (today - timedelta(days=back or 7)).isoformat()
        if lowered.startswith("next"):
            return (today + timedelta(days=ahead or 7)).isoformat()
        return (today - timedelta(days=back) if past else today + timedelta(days=ahead)).isoformat()
    if kind == "relative":
        step = {"last": -1, "past": -1, "this": 0, "next": 1}.get(lowered.split()[0], 0)
        if lowered in ("yesterday", "today", "tomorrow"):
            shift = {"yesterday": -1, "today": 0, "tomorrow": 1}[lowered]
            return (today + timedelta(days=shift)).isoformat() if today else None
        unit = lowered.split()[-1]
        if unit == "year":
            return _iso(year + step)
        if month is None:
            return None
        if unit == "month":
            return _iso(*_shift_months(year, month, step))
        # a week has no xsd type: the month it (mostly) fell in
        if today is None:
            return _iso(year, month) if step == 0 else None
        middle = today + timedelta(days=7 * step)
        return _iso(middle.year, middle.month)
    if kind == "ago":
        count_word, unit = lowered.split()[0], lowered.split()[1].rstrip("s")
        count = int(count_word) if count_word.isdigit() else NUMBERS[count_word]
        if unit == "year":
            return _iso(year - count)
        if month is None:
            return None
        if unit == "month":
            return _iso(*_shift_months(year, month, -count))
        if today is None:
            return None
        then = today - timedelta(days=count * (7 if unit == "week" else 1))
        return then.isoformat() if unit == "day" else _iso(then.year, then.month)
    return None


def iter_dates(text: str, anchor: str | None, past: Callable[[int], bool] = lambda start: True) -> Iterator[DateMatch]:
    """The date expressions of ``text`` that resolve, in order; ``past(start)`` says whether the
    expression at ``start`` is in a past-tense clause."""
    for m in DATE_PATTERN.finditer(text):
        kind = m.lastgroup or ""
        value = resolve(kind, m.group(), anchor, past(m.start()))
        if value is not None:
            yield DateMatch(m.group(), m.start(), m.end(), value, kind)


def find_dates(text: str, anchor: str | None = None) -> list[DateMatch]:
    """The date expressions of ``text``, past tense assumed."""
    return list(iter_dates(text, anchor))


def _full_date(text: str) -> str | None:
    m = DATE_PATTERN.fullmatch(text)
    return resolve(m.lastgroup or "", text, None) if m else None


def dateline_end(paragraph: str) -> int:
    """Where a dateline at the start of ``paragraph`` ends (0 when there is none)."""
    m = DATELINE.match(paragraph)
    return m.end() if m else 0


def text_date(paragraphs: list[str], look: int = 4) -> str | None:
    """The date of a dateline or a short date line in the first ``look`` paragraphs after the title."""
    for paragraph in paragraphs[1 : 1 + look]:
        m = DATELINE.match(paragraph)
        if m is None and len(paragraph.split()) <= DATE_LINE_WORDS:
            m = DATE_LINE.match(paragraph)
        if m:
            found = _full_date(m.group("date"))
            if found:
                return found
    return None


FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(?P<body>.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
FRONT_MATTER_KEYS = ("published", "date", "pubdate")


def front_matter_date(text: str) -> tuple[str | None, str]:
    """The date of a Markdown front matter (``---`` lines around ``date: 2025-03-30``) and the
    text without it; ``(None, text)`` when the text has none."""
    m = FRONT_MATTER.match(text)
    if m is None:
        return None, text
    fields = dict(
        (key.strip().lower(), value.strip().strip("'\""))
        for key, _, value in (line.partition(":") for line in m.group("body").splitlines())
    )
    found = next((normalise_iso(fields[k]) for k in FRONT_MATTER_KEYS if fields.get(k)), None)
    return found, text[m.end() :]


def html_date(html: str) -> str | None:
    """The publication date in an HTML page's metadata and markup (htmldate, original date
    preferred, no guessing from the body text)."""
    import logging

    from htmldate import find_date

    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    try:
        # a fixed latest date, not today's: the same page gives the same date on any day
        found = find_date(
            html, extensive_search=False, original_date=True, outputformat="%Y-%m-%d", max_date=LATEST_HTML_DATE
        )
    except (ValueError, TypeError):  # htmldate raises on markup it cannot parse
        return None
    return normalise_iso(found) if found else None


def sidecar_path(article: Path) -> Path:
    """``story.meta.json`` for ``story.txt``."""
    return article.with_name(article.stem + ".meta.json")


def sidecar_date(article: Path) -> str | None:
    """``published`` of the article's sidecar file, if it has one.

    Raises ``ValueError`` naming the problem when the sidecar exists but holds no valid date."""
    path = sidecar_path(article)
    if not path.is_file():
        return None
    data, _more = read_regular(path, 64 * 1024)
    try:
        value = json.loads(data.decode("utf-8")).get("published")
    except (ValueError, AttributeError) as exc:
        raise ValueError(f"{path.name}: not a JSON object ({exc})") from exc
    found = normalise_iso(str(value)) if value else None
    if value and found is None:
        raise ValueError(f"{path.name}: 'published' is not a date like 2025-03-30 (got {value!r})")
    return found
