"""Score a built graph against gold annotations (``kg eval``).

The gold format is the one of ``../shared/eval/gold`` (documented in the README): one JSON
file per article with ``entities`` (id, label, type, aliases, wikidata, part_of),
``person_role_org`` (person, role, org, status, evidence) and ``country_policy_country``
(source, policy, target, evidence). Facts are scored once per corpus. Graph entities are
matched to gold ones by label, alternative label or Wikidata id; a body of a state
(``part_of``) and the state stand for each other; roles match by their words (rank words such
as "deputy" must agree; "affiliated" in gold accepts any role); the symmetric policies
(``owl:SymmetricProperty`` in the ontology, through ``kg.registry``) have no direction. The graph
is read by ``kg.graphview``: a role is scored per role title of a ``role`` fact, a policy per
``policy`` fact by the key of its direct property. Precision is also reported for facts of
confidence at least 0.5 and below it, so the confidence can be checked.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from .errors import InputError
from .graphview import read_graph_view
from .registry import symmetric_policies

ROLE_STOPWORDS = {
    "the",
    "of",
    "for",
    "a",
    "an",
    "and",
    "to",
    "in",
    "at",
    "on",
    "s",
    "former",
    "then",
    "current",
    "late",
}
RANK_WORDS = {"vice", "deputy", "under", "assistant", "acting", "associate"}
SPELLING = {"defence": "defense", "programme": "program", "organisation": "organization"}
CONFIDENCE_SPLIT = 0.5


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text).replace("\u2019", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"[^\w\s]", "", text)
    return re.sub(r"^the ", "", " ".join(text.split()))


def role_words(role: str, country_words: set[str]) -> frozenset[str]:
    text = re.sub(r"\([^)]*\)", " ", role.lower()).replace("vice-", "vice ").replace("under-", "under ")
    out = set()
    for word in re.findall(r"[a-z]+", text):
        word = SPELLING.get(word, word)
        if word in ROLE_STOPWORDS or word in country_words:
            continue
        if len(word) > 3 and word.endswith("ies"):
            word = word[:-3] + "y"
        elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        out.add(word)
    return frozenset(out)


def roles_match(gold: frozenset[str], found: frozenset[str]) -> bool:
    if gold == {"affiliated"}:
        return True
    if not gold or not found or (gold & RANK_WORDS) != (found & RANK_WORDS):
        return not gold and not found
    return gold <= found or found <= gold or len(gold & found) / len(gold | found) >= 0.5


@dataclass
class GoldSet:
    names: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # normalised name -> ids
    qids: dict[str, str] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    parent: dict[str, str] = field(default_factory=dict)
    roles: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    policies: set[tuple[str, str, str]] = field(default_factory=set)
    statuses: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    country_words: set[str] = field(default_factory=set)

    def widen(self, ids: set[str]) -> set[str]:
        out = set(ids)
        for i in ids:
            if i in self.parent:
                out.add(self.parent[i])
            out |= {child for child, p in self.parent.items() if p == i}
        return out


def load_gold(folder: Path) -> GoldSet:
    files = sorted(folder.glob("*.json"))
    if not files:
        raise InputError(f"no gold *.json files in {folder} (see the README's gold format)")
    gold = GoldSet()
    for path in files:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            _add_gold(gold, data)
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InputError(f"bad gold file {path}: {exc} (see the README's gold format)") from exc
    return gold


def _add_gold(gold: GoldSet, data: dict) -> None:
    for e in data["entities"]:
        gold.types[e["id"]] = e["type"]
        gold.labels.setdefault(e["id"], e["label"])
        for name in [e["label"], *e.get("aliases", [])]:
            if norm(name):
                gold.names[norm(name)].add(e["id"])
                if e["type"] == "Country":
                    gold.country_words |= set(norm(name).split())
        if e.get("wikidata"):
            gold.qids[e["wikidata"]] = e["id"]
        if e.get("part_of"):
            gold.parent[e["id"]] = e["part_of"]
    for r in data.get("person_role_org", []):
        gold.roles[(r["person"], r["org"])].add(r["role"])
        if r.get("status"):
            gold.statuses[(r["person"], r["org"])].add(r["status"])
    for r in data.get("country_policy_country", []):
        gold.policies.add(_ordered(r.get("actor", r.get("source")), r["policy"], r["target"]))


def _ordered(actor: str, key: str, target: str) -> tuple[str, str, str]:
    if key in symmetric_policies() and target < actor:
        actor, target = target, actor
    return actor, key, target


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    rows: dict[str, list[str]] = field(default_factory=lambda: {"tp": [], "fp": [], "fn": []})
    by_confidence: dict[str, list[int]] = field(default_factory=lambda: {"high": [0, 0], "low": [0, 0]})
    by_key: dict[str, list[int]] = field(default_factory=dict)  # policy key -> [found, gold]
    status: list[int] = field(default_factory=lambda: [0, 0])  # matched roles: [status agrees, compared]

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def confidence_precision(self, bucket: str) -> tuple[float | None, int]:
        tp, fp = self.by_confidence[bucket]
        return (tp / (tp + fp) if tp + fp else None), tp + fp

    def as_dict(self) -> dict:
        out: dict = {"tp": self.tp, "fp": self.fp, "fn": self.fn}
        out |= {"precision": round(self.precision, 3), "recall": round(self.recall, 3), "f1": round(self.f1, 3)}
        for bucket, name in (("high", "ge"), ("low", "lt")):
            precision, n = self.confidence_precision(bucket)
            out[f"precision_confidence_{name}_0.5"] = None if precision is None else round(precision, 3)
            out[f"n_confidence_{name}_0.5"] = n
        if self.by_key:
            out["recall_by_key"] = {k: round(f / g, 3) if g else None for k, (f, g) in sorted(self.by_key.items())}
            out["gold_by_key"] = {k: g for k, (_f, g) in sorted(self.by_key.items())}
        if self.status[1]:
            out["status_agreement"] = round(self.status[0] / self.status[1], 3)
            out["status_compared"] = self.status[1]
        out["rows"] = self.rows
        return out


class Evaluator:
    def __init__(self, graph: Graph, gold: GoldSet) -> None:
        self.graph, self.gold = graph, gold
        self.view = read_graph_view(graph)
        self._ids: dict = {}

    def names(self, term) -> list[str]:
        entity = self.view.entities.get(str(term))
        return [entity.label, *entity.aliases] if entity else []

    def label(self, term) -> str:
        entity = self.view.entities.get(str(term))
        return entity.label if entity else str(term)

    def ids(self, term) -> set[str]:
        term = str(term)
        if term not in self._ids:
            found: set[str] = set()
            for name in self.names(term):
                found |= self.gold.names.get(norm(name), set())
            entity = self.view.entities.get(term)
            for qid in entity.wikidata if entity else ():
                if qid in self.gold.qids:
                    found.add(self.gold.qids[qid])
            self._ids[term] = found
        return self._ids[term]

    def _rows(self, family: str):
        """(subject, fact, evidence) for every qualified node behind a fact of ``family``, in the
        order of the nodes' IRIs (ties of confidence are scored in that order)."""
        rows = [(e.node, fact, e) for fact in self.view.facts if fact.family == family for e in fact.evidence]
        for _node, fact, evidence in sorted(rows, key=lambda row: row[0]):
            yield fact.subject, fact, evidence

    def roles(self) -> Score:
        score, matched, seen = Score(), set(), set()
        best: dict[tuple, float] = {}
        status: dict[tuple, str] = {}
        for person, fact, evidence in self._rows("role"):
            if not evidence.title:
                continue
            conf = evidence.confidence if evidence.confidence is not None else 1.0
            key = (person, fact.object, role_words(evidence.title, self.gold.country_words))
            if conf >= best.get(key, -1.0):
                status[key] = evidence.status
            best[key] = max(best.get(key, 0.0), conf)
        for (person, org, words), conf in sorted(best.items(), key=lambda kv: -kv[1]):
            persons, orgs = self.ids(person), self.gold.widen(self.ids(org))
            sig = (frozenset(persons), frozenset(orgs), words)
            if sig in seen:
                continue
            seen.add(sig)
            hit = next(
                (
                    (p, o)
                    for p in sorted(persons)
                    for o in sorted(orgs)
                    if (p, o) in self.gold.roles
                    and any(roles_match(role_words(g, self.gold.country_words), words) for g in self.gold.roles[(p, o)])
                ),
                None,
            )
            shown = f"{self.label(person)} | {' '.join(sorted(words))} | {self.label(org)}"
            if hit is not None and hit not in matched and self.gold.statuses.get(hit):
                score.status[0] += status[(person, org, words)] in self.gold.statuses[hit]
                score.status[1] += 1
            self._count(score, hit, matched, shown, conf)
        score.fn = len(self.gold.roles) - len(matched)
        score.rows["fn"] = [
            f"{self.gold.labels[p]} | {' / '.join(sorted(r))} | {self.gold.labels[o]}"
            for (p, o), r in sorted(self.gold.roles.items())
            if (p, o) not in matched
        ]
        return score

    def policies(self) -> Score:
        score, matched, seen = Score(), set(), set()
        best: dict[tuple, float] = {}
        for actor, fact, evidence in self._rows("policy"):
            conf = evidence.confidence if evidence.confidence is not None else 1.0
            k = (actor, fact.relation, fact.object)
            best[k] = max(best.get(k, 0.0), conf)
        for (actor, key, target), conf in sorted(best.items(), key=lambda kv: -kv[1]):
            actors, targets = self.gold.widen(self.ids(actor)), self.gold.widen(self.ids(target))
            sig = (frozenset(actors), key, frozenset(targets))
            if sig in seen:
                continue
            seen.add(sig)
            hit = next(
                (
                    _ordered(a, key, t)
                    for a in sorted(actors)
                    for t in sorted(targets)
                    if _ordered(a, key, t) in self.gold.policies
                ),
                None,
            )
            self._count(score, hit, matched, f"{self.label(actor)} | {key} | {self.label(target)}", conf)
        missed = sorted(self.gold.policies - matched)
        score.fn = len(missed)
        for _a, key, _t in self.gold.policies:
            score.by_key.setdefault(key, [0, 0])[1] += 1
        for _a, key, _t in matched:
            score.by_key[key][0] += 1
        score.rows["fn"] = [f"{self.gold.labels[a]} | {k} | {self.gold.labels[t]}" for a, k, t in missed]
        return score

    @staticmethod
    def _count(score: Score, hit, matched: set, shown: str, confidence: float) -> None:
        bucket = "high" if confidence >= CONFIDENCE_SPLIT else "low"
        if hit is not None and hit in matched:
            return  # the same gold fact found again, in other words: neither right nor wrong twice
        if hit is not None:
            matched.add(hit)
            score.tp += 1
            score.rows["tp"].append(shown)
            score.by_confidence[bucket][0] += 1
        else:
            score.fp += 1
            score.rows["fp"].append(shown)
            score.by_confidence[bucket][1] += 1

    def entities(self) -> dict:
        nodes: dict[str, set] = defaultdict(set)
        for entity in self.view.entities:
            for gid in self.ids(entity):
                nodes[gid].add(entity)
        wanted = sorted(i for i, t in self.gold.types.items() if t in {"Person", "Organization", "Country"})
        found = [i for i in wanted if nodes.get(i)]
        split = {self.gold.labels[i]: len(nodes[i]) for i in found if len(nodes[i]) > 1}
        return {
            "gold": len(wanted),
            "found": len(found),
            "recall": round(len(found) / len(wanted), 3) if wanted else 0.0,
            "split_entities": len(split),
            "split_detail": split,
            "missing": sorted(self.gold.labels[i] for i in wanted if i not in found),
        }


def evaluate(graph: Graph, gold_dir: Path) -> dict:
    """The whole report: person_role_org, country_policy_country, entities and, when the gold
    has dates, their accuracy (``kg.evaluate_dates``)."""
    from .evaluate_dates import date_scores

    evaluator = Evaluator(graph, load_gold(gold_dir))
    report = {
        "person_role_org": evaluator.roles().as_dict(),
        "country_policy_country": evaluator.policies().as_dict(),
        "entities": evaluator.entities(),
    }
    dates = date_scores(evaluator, gold_dir)
    if dates is not None:
        report["dates"] = dates
    return report


def format_report(report: dict, verbose: bool = False) -> str:
    lines = []
    for name in ("person_role_org", "country_policy_country"):
        m = report[name]
        counts = f"(tp={m['tp']} fp={m['fp']} fn={m['fn']})"
        lines.append(f"{name:24s} P={m['precision']:.3f} R={m['recall']:.3f} F1={m['f1']:.3f} {counts}")
        for label, key in (("conf>=0.5", "ge"), ("conf<0.5", "lt")):
            p, n = m[f"precision_confidence_{key}_0.5"], m[f"n_confidence_{key}_0.5"]
            lines.append(f"  {label:9s} precision={'-' if p is None else f'{p:.3f}'} over {n} facts")
        if "status_agreement" in m:
            lines.append(f"  status agreement={m['status_agreement']:.3f} over {m['status_compared']} matched roles")
        for key, recall in m.get("recall_by_key", {}).items():
            lines.append(f"  recall {key:24s} {recall:.3f} of {m['gold_by_key'][key]}")
    e = report["entities"]
    lines.append(f"{'entities':24s} recall={e['recall']:.3f} ({e['found']}/{e['gold']}), split={e['split_entities']}")
    d = report.get("dates")
    if d:
        exact, within = (d[k] for k in ("accuracy_exact", "accuracy_within_precision"))
        lines.append(
            f"{'dates':24s} exact={'-' if exact is None else f'{exact:.3f}'} "
            f"within precision={'-' if within is None else f'{within:.3f}'} over {d['dated']} dated facts; "
            f"no date where gold has none {d['undated_without_date']}/{d['undated']}; "
            f"articles {d['articles_right']}/{d['articles']}"
        )
    if verbose:
        for name in ("person_role_org", "country_policy_country"):
            for kind in ("fp", "fn"):
                lines += [f"  {name} {kind}: {row}" for row in report[name]["rows"][kind]]
        lines += [f"  entity split into {n} nodes: {label}" for label, n in e["split_detail"].items()]
        lines += [f"  entity missing: {label}" for label in e["missing"]]
        lines += [f"  date: {row}" for row in (d or {}).get("rows", [])]
    return "\n".join(lines) + "\n"
