"""The reviewed gazetteers in ``kg/data/``: countries, organisations and people.

Each entry becomes an entity key (``country:Japan``) with its names; the NLP stage matches
the names, the resolution stage uses the rest (Wikidata id, the state a body belongs to).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .datafiles import package_json
from .models import EntityType


@dataclass(frozen=True)
class GazetteerEntry:
    key: str
    type: EntityType
    label: str
    aliases: tuple[str, ...]
    wikidata: str | None = None
    part_of: str | None = None  # key of the state a body belongs to, or a person's country
    demonyms: tuple[str, ...] = ()
    capitals: tuple[str, ...] = ()
    metonyms: tuple[str, ...] = ()
    kind: str = ""  # organisations: international, government, military, party, think_tank, company, ...
    acts_for: str | None = None  # key of the body it acts for in policies (the Commission for the EU)
    members: tuple[str, ...] = ()  # country keys of a bloc's members (ECOWAS, EFTA, NATO)


@dataclass(frozen=True)
class RulerEntry:
    label: str  # spaCy label: PERSON, ORG, GPE, NORP
    text: str
    key: str  # "<entity key>|<how the name refers: name, demonym, capital, metonym>"


SPACY_LABEL = {EntityType.PERSON: "PERSON", EntityType.ORGANIZATION: "ORG", EntityType.COUNTRY: "GPE"}


def entity_key(kind: EntityType, name: str) -> str:
    return f"{kind.value}:{name}"


class Gazetteer:
    def __init__(self, entries: list[GazetteerEntry]) -> None:
        self.entries = {e.key: e for e in entries}
        self._by_name: dict[str, list[tuple[GazetteerEntry, str]]] = {}
        for entry in entries:
            for name, via in self._names(entry):
                self._by_name.setdefault(_fold(name), []).append((entry, via))

    @staticmethod
    def _names(entry: GazetteerEntry) -> list[tuple[str, str]]:
        names = [(entry.label, "name"), *((a, "name") for a in entry.aliases)]
        names += [(d, "demonym") for d in entry.demonyms]
        names += [(c, "capital") for c in entry.capitals]
        names += [(m, "metonym") for m in entry.metonyms]
        return names

    def ruler_entries(self) -> list[RulerEntry]:
        out = []
        for entry in self.entries.values():
            for name, via in self._names(entry):
                label = "NORP" if via == "demonym" else SPACY_LABEL[entry.type]
                out.append(RulerEntry(label, name, f"{entry.key}|{via}"))
        return sorted(out, key=lambda r: (r.text, r.key))

    def lookup(self, name: str, type_: EntityType | None = None) -> tuple[GazetteerEntry, str] | None:
        """The entry a name refers to and how ("name", "demonym", ...), if it is unambiguous."""
        hits = [h for h in self._by_name.get(_fold(name), []) if type_ is None or h[0].type == type_]
        keys = {h[0].key for h in hits}
        return hits[0] if len(keys) == 1 else None

    def get(self, key: str) -> GazetteerEntry | None:
        return self.entries.get(key)

    def is_international(self, key: str) -> bool:
        """An international body (NATO, the EU, the TPP) that acts in policies like a state."""
        entry = self.entries.get(key)
        return entry is not None and entry.kind == "international"

    def members_of(self, key: str) -> tuple[str, ...]:
        """The country keys of a bloc's members, so a fact about the bloc can be read for each."""
        entry = self.entries.get(key)
        return entry.members if entry is not None else ()

    def state_of(self, key: str) -> str | None:
        """The country key a body or person belongs to (the key itself for a country)."""
        entry = self.entries.get(key)
        if entry is None:
            return None
        if entry.type == EntityType.COUNTRY:
            return entry.key
        return entry.part_of


def _fold(name: str) -> str:
    return " ".join(name.replace("\u2019", "'").replace(".", "").split()).casefold()


def _read(name: str) -> list[dict]:
    return package_json(f"data/{name}")


def _country_key(name: str | None) -> str | None:
    return entity_key(EntityType.COUNTRY, name) if name else None


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    entries: list[GazetteerEntry] = []
    for c in _read("countries.json"):
        entries.append(
            GazetteerEntry(
                key=entity_key(EntityType.COUNTRY, c["name"]),
                type=EntityType.COUNTRY,
                label=c["name"],
                aliases=tuple(c.get("aliases", [])) + tuple(c.get("case_sensitive_aliases", [])),
                wikidata=c.get("wikidata"),
                demonyms=tuple(c.get("demonyms", [])),
                capitals=tuple(c.get("capitals", [])),
                metonyms=tuple(c.get("government_metonyms", [])),
            )
        )
    for o in _read("organizations.json"):
        entries.append(
            GazetteerEntry(
                key=entity_key(EntityType.ORGANIZATION, o["name"]),
                type=EntityType.ORGANIZATION,
                label=o["name"],
                aliases=tuple(o.get("aliases", [])) + tuple(o.get("case_sensitive_aliases", [])),
                wikidata=o.get("wikidata"),
                part_of=_country_key(o.get("part_of")),
                kind=o.get("kind", ""),
                acts_for=entity_key(EntityType.ORGANIZATION, o["acts_for"]) if o.get("acts_for") else None,
                members=tuple(entity_key(EntityType.COUNTRY, m) for m in o.get("members", [])),
            )
        )
    for p in _read("people.json"):
        entries.append(
            GazetteerEntry(
                key=entity_key(EntityType.PERSON, p["name"]),
                type=EntityType.PERSON,
                label=p["name"],
                aliases=tuple(p.get("aliases", [])),
                wikidata=p.get("wikidata"),
                part_of=_country_key(p.get("country")),
            )
        )
    return Gazetteer(entries)
