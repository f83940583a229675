#!/usr/bin/env python3
"""Validate the gazetteer data files in kg/data/.

Not a pytest test: run it directly with the project interpreter,

    .venv/bin/python tests/check_gazetteers.py

It exits 0 when every check passes and 1 otherwise, printing one line per
problem.  Checks:

* each file is valid UTF-8 JSON, a list of objects, and is written in the
  canonical form (2-space indent, non-ASCII kept, trailing newline);
* required keys are present with the right types, no unknown keys;
* entries are sorted by name (accent-stripped, case-folded) and names unique;
* wikidata ids are null or match ^Q\\d+$ and no id is used twice;
* iso2 codes are two capital letters and unique;
* part_of / country values and a bloc's members name entries of countries.json;
* case_sensitive_aliases are surface forms of the same entry;
* no surface form (name, alias, demonym, capital, metonym) is empty, padded,
  or repeated inside an entry;
* no surface form is shared by two entries across the three files (compared
  case-folded, accent-stripped, without dots) unless listed in SHARED_ALLOWED;
* a single-word person alias is not the first or last word of another
  person's name (bare ambiguous surnames such as "Bush", "Kim", "Clinton",
  "Koizumi")
  unless listed in SURNAME_ALLOWED.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "kg" / "data"

QID_RE = re.compile(r"^Q\d+$")
ISO2_RE = re.compile(r"^[A-Z]{2}$")

COUNTRY_KINDS = {"state", "territory", "former_state"}
ORG_KINDS = {"international", "government", "military", "party", "think_tank", "company", "media", "university"}

# Surface form -> set of "file:name" entries allowed to share it.  Keep this
# short: every item here is a deliberate, documented ambiguity that the
# resolver has to settle from context.
SHARED_ALLOWED: dict[str, set[str]] = {
    # Government metonym of the US and an organisation in its own right.
    "White House": {"countries:United States", "organizations:White House"},
    # Both think tanks use the acronym.
    "ASPI": {"organizations:Asia Society Policy Institute", "organizations:Australian Strategic Policy Institute"},
    # Taiwan's ruling party and Japan's Democratic Party for the People
    # (the latter is also written DPFP).
    "DPP": {"organizations:Democratic Progressive Party", "organizations:Democratic Party for the People"},
}

# Single-word person aliases allowed even though the word ends another
# person's name in people.json (none at present).
SURNAME_ALLOWED: dict[str, set[str]] = {}

SCHEMAS = {
    "countries": {
        "name": str,
        "kind": str,
        "iso2": str,
        "wikidata": (str, type(None)),
        "aliases": list,
        "case_sensitive_aliases": list,
        "demonyms": list,
        "capitals": list,
        "government_metonyms": list,
    },
    "organizations": {
        "name": str,
        "kind": str,
        "part_of": (str, type(None)),
        "wikidata": (str, type(None)),
        "aliases": list,
        "case_sensitive_aliases": list,
    },
    "people": {
        "name": str,
        "country": str,
        "wikidata": (str, type(None)),
        "aliases": list,
        "case_sensitive_aliases": list,
    },
}

# Optional fields: the body an organisation acts for in policies (the European Commission for the EU).
OPTIONAL = {"organizations": {"acts_for": str, "members": list}}

# Fields whose strings are matched in text.
SURFACE_FIELDS = {
    "countries": ("name", "aliases", "demonyms", "capitals", "government_metonyms"),
    "organizations": ("name", "aliases"),
    "people": ("name", "aliases"),
}


def strip_accents(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in s if not unicodedata.combining(ch))


def fold(s: str) -> str:
    """Comparison key for surface forms: at least as coarse as kg.gazetteer's lookup
    key (dots dropped, curly apostrophe normalised, whitespace collapsed, case-folded),
    and accent-insensitive on top."""
    s = strip_accents(s.replace("\u2019", "'").replace(".", ""))
    return " ".join(s.split()).casefold()


def sort_key(name: str) -> tuple[str, str]:
    return (strip_accents(name).casefold(), name)


def surface_forms(kind: str, entry: dict) -> list[str]:
    out: list[str] = []
    for field in SURFACE_FIELDS[kind]:
        value = entry.get(field)
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, list):
            out.extend(v for v in value if isinstance(v, str))
    return out


def main() -> int:
    errors: list[str] = []
    data: dict[str, list[dict]] = {}

    for kind in SCHEMAS:
        path = DATA / f"{kind}.json"
        try:
            text = path.read_text(encoding="utf-8")
            loaded = json.loads(text)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            errors.append(f"{path.name}: cannot load: {exc}")
            continue
        if not isinstance(loaded, list) or not all(isinstance(e, dict) for e in loaded):
            errors.append(f"{path.name}: top level must be a list of objects")
            continue
        if text != json.dumps(loaded, indent=2, ensure_ascii=False) + "\n":
            errors.append(f"{path.name}: not in canonical form (2-space indent, ensure_ascii=False, trailing newline)")
        data[kind] = loaded

    if len(data) != len(SCHEMAS):
        for e in errors:
            print(e)
        return 1

    country_names = {e.get("name") for e in data["countries"]}
    seen_qids: dict[str, str] = {}
    seen_iso: dict[str, str] = {}
    # folded surface form -> list of (entry id, original form)
    owners: dict[str, list[tuple[str, str]]] = {}

    for kind, entries in data.items():
        schema = SCHEMAS[kind]
        names = [e.get("name") for e in entries]
        str_names = [n for n in names if isinstance(n, str)]
        if str_names != sorted(str_names, key=sort_key):
            for a, b in zip(str_names, str_names[1:]):
                if sort_key(a) > sort_key(b):
                    errors.append(f"{kind}: not sorted by name: {a!r} before {b!r}")
        dupes = {n for n in str_names if str_names.count(n) > 1}
        for n in sorted(dupes):
            errors.append(f"{kind}: duplicate name {n!r}")

        for entry in entries:
            eid = f"{kind}:{entry.get('name')}"
            # ---- schema
            for key, typ in schema.items():
                if key not in entry:
                    errors.append(f"{eid}: missing key {key!r}")
                elif not isinstance(entry[key], typ):
                    errors.append(f"{eid}: {key!r} has wrong type {type(entry[key]).__name__}")
                elif isinstance(entry[key], list) and not all(isinstance(v, str) for v in entry[key]):
                    errors.append(f"{eid}: {key!r} must be a list of strings")
            for key in entry:
                if key not in schema and key not in OPTIONAL.get(kind, {}):
                    errors.append(f"{eid}: unknown key {key!r}")
            acts_for = entry.get("acts_for")
            if acts_for is not None and acts_for not in {o["name"] for o in data["organizations"]}:
                errors.append(f"{eid}: acts_for {acts_for!r} is not an organisation name")
            for member in entry.get("members", []):
                if member not in {c["name"] for c in data["countries"]}:
                    errors.append(f"{eid}: member {member!r} is not a country name")
            if any(key not in entry or not isinstance(entry[key], schema[key]) for key in schema):
                continue

            # ---- ids and references
            qid = entry["wikidata"]
            if qid is not None:
                if not QID_RE.match(qid):
                    errors.append(f"{eid}: bad wikidata id {qid!r}")
                elif qid in seen_qids:
                    errors.append(f"{eid}: wikidata id {qid} also used by {seen_qids[qid]}")
                else:
                    seen_qids[qid] = eid
            if kind == "countries":
                if entry["kind"] not in COUNTRY_KINDS:
                    errors.append(f"{eid}: kind must be one of {sorted(COUNTRY_KINDS)}")
                if not ISO2_RE.match(entry["iso2"]):
                    errors.append(f"{eid}: bad iso2 {entry['iso2']!r}")
                elif entry["iso2"] in seen_iso:
                    errors.append(f"{eid}: iso2 {entry['iso2']} also used by {seen_iso[entry['iso2']]}")
                else:
                    seen_iso[entry["iso2"]] = eid
            elif kind == "organizations":
                if entry["kind"] not in ORG_KINDS:
                    errors.append(f"{eid}: kind must be one of {sorted(ORG_KINDS)}")
                if entry["part_of"] is not None and entry["part_of"] not in country_names:
                    errors.append(f"{eid}: part_of {entry['part_of']!r} is not a country name")
            elif kind == "people" and entry["country"] not in country_names:
                errors.append(f"{eid}: country {entry['country']!r} is not a country name")

            for a in entry["case_sensitive_aliases"]:
                if a != entry["name"] and a not in entry["aliases"]:
                    errors.append(f"{eid}: case-sensitive alias {a!r} is neither the name nor an alias")

            # ---- surface forms
            forms = surface_forms(kind, entry)
            local: set[str] = set()
            for form in forms:
                if not form or form != form.strip() or "  " in form:
                    errors.append(f"{eid}: empty or badly spaced surface form {form!r}")
                if form in local:
                    errors.append(f"{eid}: surface form {form!r} repeated within the entry")
                local.add(form)
            for folded in {fold(f) for f in forms}:
                originals = [f for f in forms if fold(f) == folded]
                owners.setdefault(folded, []).append((eid, originals[0]))

    # ---- cross-entry collisions
    for folded, holders in sorted(owners.items()):
        ids = {eid for eid, _ in holders}
        if len(ids) < 2:
            continue
        allowed = None
        for form, allowed_ids in SHARED_ALLOWED.items():
            if fold(form) == folded:
                allowed = allowed_ids
        if allowed is not None and ids <= allowed:
            continue
        shown = ", ".join(f"{eid} ({orig!r})" for eid, orig in holders)
        errors.append(f"surface form shared by several entries: {shown}")

    # ---- ambiguous bare surnames among people (family name may come first
    # or last, so both the first and the last word of each name count)
    last_words: dict[str, set[str]] = {}
    for entry in data["people"]:
        if isinstance(entry.get("name"), str):
            words = entry["name"].replace("Jr.", "").replace("Sr.", "").split()
            for word in {words[0], words[-1]}:
                last_words.setdefault(fold(word), set()).add(entry["name"])
    for entry in data["people"]:
        for alias in entry.get("aliases", []):
            if not isinstance(alias, str) or " " in alias:
                continue
            others = last_words.get(fold(alias), set()) - {entry["name"]}
            if others and not others <= SURNAME_ALLOWED.get(alias, set()):
                errors.append(f"people:{entry['name']}: bare alias {alias!r} is also the surname of {sorted(others)}")

    for e in errors:
        print(e)
    counts = ", ".join(f"{k}={len(v)}" for k, v in data.items())
    nulls = ", ".join(f"{k}={sum(1 for e in v if e.get('wikidata') is None)}" for k, v in data.items())
    print(f"entries: {counts}; wikidata null: {nulls}")
    print("OK" if not errors else f"{len(errors)} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
