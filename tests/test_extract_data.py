"""The extractors' data files agree with the registry and with spaCy: every policy key a trigger
names is one the ontology has, every pattern row has a name and a confidence in [0, 1], every
Matcher pattern compiles, and every confidence the code looks up is in a table."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import spacy
from spacy.matcher import Matcher

from kg.extract.data import load_jsonl
from kg.extract.policies.lexicon import policy_lexicon, triggers_data
from kg.extract.roles.lexicon import role_lexicon
from kg.registry import policy_keys, symmetric_policies

EXTRACT = Path(__file__).resolve().parent.parent / "kg" / "extract"
FAMILIES = ["kg.extract.roles", "kg.extract.policies"]


def trigger_keys(data: dict) -> dict[str, str]:
    """Every policy key the trigger lexicon names, with where it names it."""
    named = {f"words.{w}": k for w, k in data["words"].items()}
    named |= {f"phrases.{p}": k for p, k in data["phrases"].items()}
    for section in ("actor_prepositions", "venue_prepositions", "excluded_context"):
        named |= {f"{section}.{k}": k for k in data[section]}
    named |= {f"person_parties_excluded.{k}": k for k in data["person_parties_excluded"]}
    named["spending_demand_key"] = data["spending_demand_key"]
    return named


def unknown_keys(data: dict) -> list[str]:
    keys = policy_keys()
    return sorted(f"{where} -> {key}" for where, key in trigger_keys(data).items() if key not in keys)


def test_data_every_trigger_names_a_policy_key_of_the_ontology():
    data = triggers_data()
    assert len(trigger_keys(data)) > 50
    assert unknown_keys(data) == []
    assert "symmetric" not in data  # symmetry is the ontology's, through the registry


def test_data_a_trigger_with_an_unknown_key_is_caught():
    data = triggers_data()
    data["words"] = {**data["words"], "embargo": "embargo_policy"}
    assert unknown_keys(data) == ["words.embargo -> embargo_policy"]


def test_data_policy_symmetry_comes_from_the_registry():
    assert policy_lexicon().symmetric == symmetric_policies()
    assert {"alliance", "trade"} <= policy_lexicon().symmetric
    assert "tariff" not in policy_lexicon().symmetric


@pytest.mark.parametrize("package", FAMILIES)
def test_data_pattern_rows_have_a_name_and_a_confidence(package: str):
    rows = load_jsonl(package, "patterns.jsonl")
    assert rows
    confidences: dict[str, float] = {}
    for row in rows:
        assert isinstance(row.get("name"), str) and row["name"], row
        assert isinstance(row.get("confidence"), int | float), row
        assert 0.0 <= row["confidence"] <= 1.0, row
        # rows of one name (each copula, say) share its confidence
        assert confidences.setdefault(row["name"], row["confidence"]) == row["confidence"], row


@pytest.mark.parametrize("package", FAMILIES)
def test_data_matcher_patterns_compile(package: str):
    matcher = Matcher(spacy.blank("en").vocab, validate=True)
    patterns = [row for row in load_jsonl(package, "patterns.jsonl") if "pattern" in row]
    for row in patterns:
        matcher.add(row["name"], [row["pattern"]])
    assert len(matcher) == len({row["name"] for row in patterns})


def test_data_every_jsonl_line_parses():
    files = sorted(EXTRACT.rglob("*.jsonl"))
    assert len(files) == 2
    for path in files:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                assert isinstance(json.loads(line), dict), f"{path.name}:{n}"


def test_data_every_confidence_the_code_looks_up_is_in_its_table():
    tables = {
        "roles": {row["name"] for row in load_jsonl("kg.extract.roles", "patterns.jsonl")},
        "policies": {row["name"] for row in load_jsonl("kg.extract.policies", "patterns.jsonl")},
    }
    for family, names in tables.items():
        source = "".join(p.read_text(encoding="utf-8") for p in (EXTRACT / family).glob("*.py"))
        looked_up = set(re.findall(r"""(?:confidence|conf|row|token_patterns)\("(\w+)"\)""", source))
        assert looked_up, family
        assert looked_up <= names, (family, looked_up - names)
    assert not re.search(r"provenance\([^)]*\b0\.\d", "".join(p.read_text() for p in EXTRACT.rglob("*.py")))


def test_data_json_files_say_what_they_are_for():
    for path in sorted(EXTRACT.rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data.get("_comment"), path.name
    words = json.loads((EXTRACT / "words.json").read_text(encoding="utf-8"))
    for key in words:
        if not key.startswith("_"):
            assert f"_comment_{key}" in words, key


def test_data_lexicons_load():
    assert "minister" in role_lexicon().heads
    assert role_lexicon().patterns.confidence("title_before_name") == 0.9
    assert policy_lexicon().triggers["tariff"] == "tariff"
    assert policy_lexicon().phrases[("trade", "deal")] == "trade_negotiation"


def test_data_fixed_word_patterns_match_as_spacys_matcher_does(nlp):
    from kg.extract.data import PhraseMatches, matcher
    from kg.extract.policies.lexicon import phrase_patterns

    patterns = phrase_patterns(policy_lexicon())
    fast = matcher(nlp.vocab, "test_policy_phrases", lambda: patterns)
    assert isinstance(fast, PhraseMatches)  # the policy phrases are fixed lower-case words
    slow = Matcher(nlp.vocab)
    for match_id, token_patterns in patterns:
        slow.add(match_id, token_patterns)
    words = [" ".join(token["LOWER"] for token in pats[0]) for _, pats in patterns[:3]]
    text = f"Seoul and Tokyo began {words[0]}. Then Trade {words[1].title()} and {words[2]} stalled. {words[0]}"
    doc = nlp(text)
    for part in [doc, *doc.sents, doc[3:9]]:  # offsets within what is matched, as the Matcher gives them
        assert fast(part) == sorted(slow(part), key=lambda m: (m[1], m[2], m[0]))
    assert len(fast(doc)) >= 3
    mixed = matcher(nlp.vocab, "test_mixed", lambda: [("x", [[{"LOWER": "trade"}, {"POS": "NOUN"}]])])
    assert isinstance(mixed, Matcher)  # any other attribute: spaCy's Matcher
