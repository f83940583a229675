"""Extraction on short sentences through the real spaCy model: positive and negative cases."""

import pytest

from kg.models import EntityType, Status


def roles(extraction):
    return {(r.person.name, r.role.lower(), r.org.name if r.org else None, r.status) for r in extraction.roles}


def policies(extraction):
    return {(p.actor.name, p.policy, p.target.name) for p in extraction.policies}


def test_extract_gazetteer_corrects_ner_person_labelled_org(analyse):
    ex = analyse("Trump spoke with reporters on Monday.")
    assert [(m.name, m.type) for m in ex.mentions] == [("Trump", EntityType.PERSON)]


def test_extract_keeps_ner_organisation_containing_a_country_name(analyse):
    ex = analyse("Tobias Harris is founder and principal of Japan Foresight, a political risk consultancy.")
    assert ("Japan Foresight", EntityType.ORGANIZATION) in [(m.name, m.type) for m in ex.mentions]
    assert ("Tobias Harris", "founder and principal", "Japan Foresight", Status.CURRENT) in roles(ex)


def test_extract_role_title_before_name_with_country(analyse):
    ex = analyse("U.S. Secretary of Defense Pete Hegseth arrived in Tokyo on Saturday.")
    assert ("Pete Hegseth", "secretary of defense", "U.S.", Status.CURRENT) in roles(ex)


def test_extract_role_demonym_title_before_name(analyse):
    ex = analyse("French President Emmanuel Macron spoke about Europe on Tuesday.")
    assert ("Emmanuel Macron", "president", "French", Status.CURRENT) in roles(ex)


def test_extract_role_possessive(analyse):
    ex = analyse("Japan's finance minister Katsunobu Kato said the target was premature.")
    assert ("Katsunobu Kato", "finance minister", "Japan", Status.CURRENT) in roles(ex)


def test_extract_role_appositive_nominee(analyse):
    ex = analyse("Elbridge Colby, Trump's nominee for under secretary of defense, said Japan must do more.")
    found = roles(ex)
    assert any(p == "Elbridge Colby" and "secretary of defense" in r and s == Status.NOMINEE for p, r, _o, s in found)


def test_extract_role_appositive_former_with_org_after(analyse):
    ex = analyse("Wendy Cutler, vice-president of the Asia Society Policy Institute, said the deal was fragile.")
    assert ("Wendy Cutler", "vice president", "Asia Society Policy Institute", Status.CURRENT) in roles(ex)


def test_extract_role_former_status(analyse):
    ex = analyse("The talks were praised by former Prime Minister Fumio Kishida on Friday.")
    assert any(p == "Fumio Kishida" and s == Status.FORMER for p, _r, _o, s in roles(ex))


def test_extract_role_needs_a_person(analyse):
    ex = analyse("The defense minister of Japan visited the base on Sunday.")
    assert roles(ex) == set()


def test_extract_policy_tariffs_on_demonym_target(analyse):
    ex = analyse("The United States imposed tariffs on Japanese steel last week.")
    assert ("United States", "tariff", "Japanese") in policies(ex)


def test_extract_policy_compound_alliance_pair(analyse):
    ex = analyse("Hegseth emphasized the importance of the U.S.-Japan alliance.")
    pairs = {(a, p, t) for a, p, t in policies(ex) if p == "alliance"}
    assert pairs and {frozenset((a, t)) for a, _p, t in pairs} == {frozenset(("U.S.", "Japan"))}


def test_extract_policy_possessive_actor(analyse):
    ex = analyse("Russia's invasion of Ukraine alarmed officials in Tokyo.")
    assert ("Russia", "security_threat", "Ukraine") in policies(ex)


@pytest.mark.parametrize(
    "sentence",
    [
        "There were no threats to abandon Japan during the visit.",
        "If Washington imposed tariffs on Japan, Tokyo would retaliate.",
        "The United States did not impose tariffs on Japan this year.",
    ],
)
def test_extract_policy_negation_and_hypothetical_give_nothing(analyse, sentence):
    assert policies(analyse(sentence)) == set()


def test_extract_provenance_points_into_the_article(analyse):
    ex = analyse("French President Emmanuel Macron spoke about Europe on Tuesday.")
    claim = ex.roles[0]
    text = ex.article.text
    assert text[claim.provenance.start : claim.provenance.end] == claim.provenance.evidence
    assert 0 < claim.provenance.confidence <= 1
