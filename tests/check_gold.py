#!/usr/bin/env python3
"""Check the project's gold annotations (tests/gold/*.json) against the sample corpus.

Usage:
    .venv/bin/python tests/check_gold.py [--gold tests/gold] [--corpus corpus]

For every gold file it verifies:
  * the file is valid JSON with the keys article / entities / person_role_org /
    country_policy_country, and the article it names exists in the corpus folder
    (same stem as the gold file);
  * entity ids are unique snake_case, types are known, ``part_of`` points at a Country
    entity, ``wikidata`` is null or a Q-id, and every alias occurs in the article text;
  * every id referenced by a fact exists among the entities (persons are Person entities);
  * statuses are current|former|nominee and policy keys are the ten known keys;
  * ``published`` and the facts' ``date``, ``since`` and ``until``, when given, are ISO dates
    of year, month or day precision ("2025", "2025-03", "2025-03-30");
  * every ``evidence`` is an exact substring of the article text. For ``.html`` articles
    the text is the visible text of the <article> element (tags stripped with the
    stdlib html.parser, <script>/<style> dropped, character references decoded).

Across files it also checks that an id keeps the same label, type, wikidata id and
part_of everywhere. Exits 1 and lists the problems if anything is wrong.
This is a helper script, not a pytest test.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

POLICY_KEYS = {
    "alliance",
    "tariff",
    "trade_negotiation",
    "trade",
    "investment",
    "defence_spending_demand",
    "diplomatic_engagement",
    "security_threat",
    "support",
    "withdrawal",
}
ENTITY_TYPES = {"Person", "Organization", "Country", "Place", "Policy", "Event", "Administration"}
STATUSES = {"current", "former", "nominee"}
ID_RE = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")
QID_RE = re.compile(r"^Q[1-9][0-9]*$")
ROOT = Path(__file__).resolve().parent.parent


class ArticleText(HTMLParser):
    """Collects the text inside <article>, skipping <script> and <style>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # nesting depth of <article>
        self.skip = 0  # nesting depth of <script>/<style>
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.depth += 1
        elif tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag == "article" and self.depth:
            self.depth -= 1
        elif tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if self.depth and not self.skip:
            self.parts.append(data)


def article_text(path: Path) -> str:
    raw = path.read_text(encoding="utf-8")
    if path.suffix.lower() in {".html", ".htm"}:
        parser = ArticleText()
        parser.feed(raw)
        parser.close()
        return "".join(parser.parts)
    return raw


def alias_in(alias: str, text: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(alias) + r"(?!\w)", text) is not None


def check_file(gold_path: Path, corpus: Path, registry: dict, errors: list[str]) -> tuple[int, int]:
    def err(msg: str) -> None:
        errors.append(f"{gold_path.name}: {msg}")

    try:
        data = json.loads(gold_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        err(f"invalid JSON: {exc}")
        return 0, 0
    for key in ("article", "entities", "person_role_org", "country_policy_country"):
        if key not in data:
            err(f"missing key {key!r}")
    article = data.get("article", "")
    if Path(article).stem != gold_path.stem:
        err(f"article {article!r} does not share the gold file's stem")
    art_path = corpus / article
    if not art_path.is_file():
        err(f"article file {art_path} not found")
        return 0, 0
    text = article_text(art_path)
    if not text.strip():
        err("article text is empty")

    entities: dict[str, dict] = {}
    for e in data.get("entities", []):
        eid = e.get("id")
        if not isinstance(eid, str) or not ID_RE.match(eid):
            err(f"bad entity id {eid!r}")
            continue
        if eid in entities:
            err(f"duplicate entity id {eid}")
        entities[eid] = e
        for field in ("label", "type", "aliases", "wikidata"):
            if field not in e:
                err(f"entity {eid} lacks {field!r}")
        if e.get("type") not in ENTITY_TYPES:
            err(f"entity {eid} has unknown type {e.get('type')!r}")
        q = e.get("wikidata")
        if q is not None and not (isinstance(q, str) and QID_RE.match(q)):
            err(f"entity {eid} has bad wikidata {q!r}")
        for alias in e.get("aliases", []):
            if not alias_in(alias, text):
                err(f"alias {alias!r} of {eid} does not occur in the article")
        sig = (e.get("label"), e.get("type"), q, e.get("part_of"))
        if eid in registry and registry[eid][0] != sig:
            err(f"entity {eid} is {sig}, but {registry[eid][1]} has {registry[eid][0]}")
        registry.setdefault(eid, (sig, gold_path.name))
    for eid, e in entities.items():
        parent = e.get("part_of")
        if parent is not None and entities.get(parent, {}).get("type") != "Country":
            err(f"part_of of {eid} is {parent!r}, not a Country entity in this file")

    def need(eid, role, kind=None):
        if eid not in entities:
            err(f"{role} id {eid!r} is not among the entities")
        elif kind and entities[eid].get("type") != kind:
            err(f"{role} id {eid!r} is a {entities[eid].get('type')}, expected {kind}")

    def dates(item, what, keys=("date",)):
        for key in keys:
            value = item.get(key)
            if value is not None and not (isinstance(value, str) and re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value)):
                err(f"{what}: {key} {value!r} is not an ISO date of year, month or day precision")

    dates(data, "the article", ("published",))

    def evidence(fact, what):
        dates(fact, what, ("date", "since", "until"))
        ev = fact.get("evidence")
        if not isinstance(ev, str) or not ev:
            err(f"{what} has no evidence")
        elif ev not in text:
            err(f"{what}: evidence not in article text: {ev!r}")

    seen = set()
    for r in data.get("person_role_org", []):
        what = f"person_role_org {r.get('person')}|{r.get('role')}|{r.get('org')}"
        need(r.get("person"), "person", "Person")
        need(r.get("org"), "org")
        if not r.get("role"):
            err(f"{what} has an empty role")
        if r.get("status") not in STATUSES:
            err(f"{what} has bad status {r.get('status')!r}")
        key = (r.get("person"), r.get("role"), r.get("org"))
        if key in seen:
            err(f"{what} is listed twice")
        seen.add(key)
        evidence(r, what)

    seen = set()
    for r in data.get("country_policy_country", []):
        what = f"country_policy_country {r.get('source')}|{r.get('policy')}|{r.get('target')}"
        need(r.get("source"), "source")
        need(r.get("target"), "target")
        if r.get("policy") not in POLICY_KEYS:
            err(f"{what} has unknown policy key")
        if r.get("source") == r.get("target"):
            err(f"{what} relates an entity to itself")
        key = (r.get("source"), r.get("policy"), r.get("target"))
        if r.get("policy") in {"alliance", "diplomatic_engagement", "trade_negotiation", "trade"}:
            key = (min(key[0], key[2]), key[1], max(key[0], key[2]))
        if key in seen:
            err(f"{what} is listed twice")
        seen.add(key)
        evidence(r, what)
    return len(data.get("person_role_org", [])), len(data.get("country_policy_country", []))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, default=ROOT / "tests" / "gold")
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    args = ap.parse_args(argv)
    files = sorted(args.gold.glob("*.json"))
    if not files:
        print(f"check_gold: no gold files in {args.gold}")
        return 1
    errors: list[str] = []
    registry: dict = {}
    for f in files:
        n_pro, n_cpc = check_file(f, args.corpus, registry, errors)
        print(f"{f.name}: {n_pro} person_role_org, {n_cpc} country_policy_country")
    for e in errors:
        print("ERROR", e)
    print("OK" if not errors else f"{len(errors)} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
