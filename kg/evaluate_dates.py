"""Date accuracy for ``kg eval``: article dates and the dates of facts, against gold.

A gold file takes part when it has a ``published`` key (the article's date, or null). Its facts
may carry ``date`` (when the text says the fact happened) and, for roles, ``since`` and
``until``; a key left out means the text gives no such date. All are ISO strings of day, month
or year precision ("2025-03-30", "2025-03", "2025").

A gold fact is compared when the graph has a qualified node of the same family from the same
source file whose evidence sentence holds the gold evidence and whose two ends are the gold
fact's entities (either order for a symmetric policy); facts the graph missed are left to the
fact scores. Each date the gold gives is *exact* when the graph's is the same string and
*within precision* when the graph's is at least as precise and falls inside it ("2025-03-29"
is within "2025-03"). Each date the gold leaves out is right when the graph has none.
"""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Literal
from rdflib.namespace import DCTERMS

from .errors import InputError
from .evaluate import Evaluator, norm
from .graphview import Evidence
from .namespaces import NG
from .registry import symmetric_policies

FIELDS = {"role": ("date", "since", "until"), "policy": ("date",)}
GOLD_FAMILY = {"person_role_org": ("role", "person", "org"), "country_policy_country": ("policy", "source", "target")}


def _within(found: str, gold: str) -> bool:
    return len(found) >= len(gold) and found[: len(gold)] == gold


class DateScore:
    def __init__(self) -> None:
        self.dated = self.exact = self.within = 0
        self.undated = self.undated_right = 0
        self.articles = self.articles_right = 0
        self.rows: list[str] = []

    def compare(self, gold: str | None, found: str, shown: str) -> None:
        if gold:
            self.dated += 1
            self.exact += found == gold
            self.within += bool(found) and _within(found, gold)
            if found != gold:
                self.rows.append(f"{shown}: gold {gold}, graph {found or 'none'}")
        else:
            self.undated += 1
            self.undated_right += not found
            if found:
                self.rows.append(f"{shown}: gold none, graph {found}")

    def as_dict(self) -> dict:
        def ratio(a: int, b: int) -> float | None:
            return round(a / b, 3) if b else None

        return {
            "dated": self.dated,
            "exact": self.exact,
            "within_precision": self.within,
            "accuracy_exact": ratio(self.exact, self.dated),
            "accuracy_within_precision": ratio(self.within, self.dated),
            "undated": self.undated,
            "undated_without_date": self.undated_right,
            "no_date_rate": ratio(self.undated_right, self.undated),
            "articles": self.articles,
            "articles_right": self.articles_right,
            "rows": self.rows,
        }


def _article_dates(evaluator: Evaluator, name: str) -> str:
    found = {
        str(d)
        for article in evaluator.graph.subjects(NG.sourceFile, Literal(name))
        for d in evaluator.graph.objects(article, DCTERMS.issued)
    }
    return min(found, default="")


def _candidates(evaluator: Evaluator, family: str, name: str, gold: dict, ends: tuple[str, str]) -> list[Evidence]:
    wanted = norm(gold["evidence"])
    subject, obj = (evaluator.gold.widen({gold[k]}) for k in ends)
    symmetric = family == "policy" and gold["policy"] in symmetric_policies()
    found = []
    for fact in evaluator.view.facts:
        if fact.family != family:
            continue
        s, o = evaluator.ids(fact.subject), evaluator.ids(fact.object)
        if not ((s & subject and o & obj) or (symmetric and s & obj and o & subject)):
            continue
        found += [e for e in fact.evidence if name in e.files and wanted in norm(e.sentence)]
    return sorted(found, key=lambda e: e.sort_key)


def _score_facts(evaluator: Evaluator, score: DateScore, name: str, data: dict) -> None:
    for key, (family, *ends) in GOLD_FAMILY.items():
        for fact in data.get(key, []):
            if "source" not in fact and "actor" in fact:
                fact = {**fact, "source": fact["actor"]}
            candidates = _candidates(evaluator, family, name, fact, (ends[0], ends[1]))
            if not candidates:
                continue
            shown = f"{name} | {fact[ends[0]]} | {fact.get('role', fact.get('policy'))} | {fact[ends[1]]}"
            for field in FIELDS[family]:
                score.compare(fact.get(field), getattr(candidates[0], field), f"{shown} | {field}")


def date_scores(evaluator: Evaluator, gold_dir: Path) -> dict | None:
    """The date report, or ``None`` when no gold file has a ``published`` key."""
    score, used = DateScore(), False
    for path in sorted(gold_dir.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if "published" not in data:
            continue
        used = True
        name = data["article"]
        found = _article_dates(evaluator, name)
        score.articles += 1
        score.articles_right += found == (data["published"] or "")
        if found != (data["published"] or ""):
            score.rows.append(f"article {name}: gold {data['published'] or 'none'}, graph {found or 'none'}")
        try:
            _score_facts(evaluator, score, name, data)
        except (KeyError, TypeError, AttributeError) as exc:
            raise InputError(f"bad gold file {path}: {exc} (see the README's gold format)") from exc
    return score.as_dict() if used else None
