"""``kg eval``: the project's own scorer for gold folders in the shared format."""

import json
import subprocess
import sys
from pathlib import Path

from conftest import GOLD, ROOT

from kg.evaluate import evaluate, role_words, roles_match


def test_evaluate_role_words_fold_spelling_plural_and_noise():
    assert role_words("Secretary of Defence", {"united", "states"}) == {"secretary", "defense"}
    assert role_words("U.S. Ambassador (Trump's pick)", {"us", "u"}) == {"ambassador"}


def test_evaluate_roles_match_needs_same_rank_words():
    assert roles_match(frozenset({"defense", "secretary"}), frozenset({"secretary"}))
    assert not roles_match(frozenset({"under", "secretary", "defense"}), frozenset({"secretary", "defense"}))
    assert roles_match(frozenset({"affiliated"}), frozenset({"professor"}))


def test_evaluate_corpus_graph_against_its_gold(corpus_build):
    report = evaluate(corpus_build.graph, GOLD)
    pro, cpc, ents = report["person_role_org"], report["country_policy_country"], report["entities"]
    assert pro["precision"] >= 0.85 and pro["f1"] >= 0.8, pro["rows"]["fp"] + pro["rows"]["fn"]
    assert cpc["precision"] >= 0.8 and cpc["f1"] >= 0.7, cpc["rows"]["fp"] + cpc["rows"]["fn"]
    assert ents["recall"] >= 0.95 and ents["split_entities"] == 0, ents


def test_evaluate_reports_recall_by_policy_key_and_role_status_agreement(corpus_build):
    report = evaluate(corpus_build.graph, GOLD)
    cpc, pro = report["country_policy_country"], report["person_role_org"]
    gold = cpc["gold_by_key"]
    assert sum(gold.values()) == cpc["tp"] + cpc["fn"]
    assert set(cpc["recall_by_key"]) == set(gold) and all(0.0 <= r <= 1.0 for r in cpc["recall_by_key"].values())
    found = sum(round(cpc["recall_by_key"][k] * n) for k, n in gold.items())
    assert found == cpc["tp"]
    assert 0 < pro["status_compared"] <= pro["tp"] and 0.0 <= pro["status_agreement"] <= 1.0


def test_evaluate_cli_prints_scores_and_json(corpus_build, tmp_path: Path):
    ttl = str(corpus_build.outputs["turtle"])
    text = subprocess.run(
        [sys.executable, "-m", "kg.cli", "eval", ttl, "--gold", str(GOLD)], capture_output=True, text=True
    )
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith("person_role_org") and "conf>=0.5" in text.stdout
    as_json = subprocess.run(
        [sys.executable, "-m", "kg.cli", "eval", ttl, "--gold", str(GOLD), "--json"], capture_output=True, text=True
    )
    assert set(json.loads(as_json.stdout)) == {"person_role_org", "country_policy_country", "entities", "dates"}
    assert "dates" in text.stdout and "within precision" in text.stdout


def test_evaluate_dates_on_corpus_gold(corpus_build):
    """The corpus gold dates its articles and the facts their sentences date: at least 0.9 of
    those dates are found exactly, and facts the text does not date get no date."""
    dates = evaluate(corpus_build.graph, GOLD)["dates"]
    assert dates["articles"] == dates["articles_right"] == 6, dates["rows"]
    assert dates["dated"] >= 25 and dates["accuracy_exact"] >= 0.9, dates["rows"]
    assert dates["accuracy_within_precision"] >= dates["accuracy_exact"]
    assert dates["undated"] >= 100 and dates["no_date_rate"] >= 0.95, dates["rows"]


def test_evaluate_dates_only_for_gold_with_dates(corpus_build, tmp_path: Path):
    """Gold without a ``published`` key (the shared format) gets no date report; a wrong
    date in gold is counted against the graph."""
    for path in GOLD.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        data.pop("published")
        (tmp_path / path.name).write_text(json.dumps(data), encoding="utf-8")
    assert "dates" not in evaluate(corpus_build.graph, tmp_path)
    data = json.loads((GOLD / "01_hegseth_tokyo_visit.json").read_text(encoding="utf-8"))
    data["published"] = "2025-03-31"
    (tmp_path / "01_hegseth_tokyo_visit.json").write_text(json.dumps(data), encoding="utf-8")
    dates = evaluate(corpus_build.graph, tmp_path)["dates"]
    assert dates["articles"] == 1 and dates["articles_right"] == 0


def test_evaluate_bad_gold_is_one_line_error(corpus_build, tmp_path: Path):
    (tmp_path / "broken.json").write_text('{"entities": [{"id": 1}]}', encoding="utf-8")
    ttl = str(corpus_build.outputs["turtle"])
    for gold in (tmp_path, tmp_path / "missing"):
        done = subprocess.run(
            [sys.executable, "-m", "kg.cli", "eval", ttl, "--gold", str(gold)], capture_output=True, text=True, cwd=ROOT
        )
        assert done.returncode == 2 and done.stderr.count("\n") == 1 and "gold" in done.stderr


def test_evaluate_heldout_articles_keep_their_floor(tmp_path: Path):
    """Articles about other countries and regions, written after the extractor: a guard
    against rules that only work on US-Japan news."""
    from kg.pipeline import build

    heldout = ROOT / "tests" / "heldout"
    report = evaluate(build([heldout / "articles"]).graph, heldout / "gold")
    assert report["person_role_org"]["f1"] >= 0.75, report["person_role_org"]["rows"]["fn"]
    assert report["country_policy_country"]["f1"] >= 0.6, report["country_policy_country"]["rows"]["fn"]
    assert report["entities"]["recall"] >= 0.9 and report["entities"]["split_entities"] == 0
