"""Extraction on short sentences through the real spaCy model: positive and negative cases."""

import pytest
from claims import policies, roles

from kg.models import EntityType, Status


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


def test_extract_role_coordinated_titles_each_person(analyse):
    found = roles(analyse("Foreign Ministers Penny Wong and Wang Yi met in Beijing."))
    assert {(p, r) for p, r, _o, _s in found} == {("Penny Wong", "foreign minister"), ("Wang Yi", "foreign minister")}


def test_extract_role_former_then_now_at(analyse):
    found = roles(analyse("Mira Rapp-Hooper, a former White House official at the Brookings Institution, said so."))
    assert ("Mira Rapp-Hooper", "official", "White House", Status.FORMER) in found
    assert ("Mira Rapp-Hooper", "affiliated", "Brookings Institution", Status.CURRENT) in found


def test_extract_role_relative_clause_after_appositive(analyse):
    found = roles(analyse("Michael Green, a Japan expert who served as the top White House Asia adviser, spoke."))
    assert ("Michael Green", "top asia adviser", "White House", Status.FORMER) in found
    assert not any(o == "Japan" for _p, _r, o, _s in found)  # "a Japan expert": the field, not the employer


def test_extract_role_person_name_mislabelled_org_by_ner(analyse):
    found = roles(analyse("The delegation was led by Makoto Nishida, Secretary General of the Komeito Party."))
    assert ("Makoto Nishida", "secretary general", "Komeito", Status.CURRENT) in found


def test_extract_role_preposition_under_is_not_a_rank(analyse):
    found = roles(
        analyse(
            "He served as senior director for Asia at the National Security Council under President George W. Bush."
        )
    )
    assert not any(r.startswith("under") for _p, r, _o, _s in found)


def test_extract_role_untitled_possessive_ties(analyse):
    found = roles(analyse("Diplomats watched North Korea's Kim Jong Un and Ishiba's Liberal Democratic Party."))
    assert ("Kim Jong Un", "affiliated", "North Korea", Status.CURRENT) in found
    assert ("Ishiba", "member", "Liberal Democratic Party", Status.CURRENT) in found


def test_extract_policy_passive_with_agent(analyse):
    assert ("Washington", "tariff", "Japan") in policies(
        analyse("New tariffs were imposed on Japan by Washington in April.")
    )


def test_extract_policy_threats_from_source_face_target(analyse):
    found = policies(analyse("Faced with threats from China and Russia, Japan is rearming."))
    assert {("China", "security_threat", "Japan"), ("Russia", "security_threat", "Japan")} <= found


def test_extract_policy_object_as_threat(analyse):
    assert ("China", "security_threat", "Tokyo") in policies(
        analyse("Tokyo has long identified China as a military threat.")
    )


def test_extract_policy_pronoun_subject_is_last_person(analyse):
    assert ("Trump", "tariff", "Mexico") in policies(analyse("Trump spoke on Monday. He imposed tariffs on Mexico."))


def test_extract_policy_nested_triggers_speak_once(analyse):
    found = policies(analyse("Russia withdrew from peace treaty talks with Japan in 2022."))
    assert ("Russia", "withdrawal", "Japan") in found
    assert ("Russia", "diplomatic_engagement", "Japan") not in found


def test_extract_policy_venue_is_not_a_party(analyse):
    found = policies(analyse("NATO leaders meeting in The Hague endorsed a new target."))
    assert not any(t in {"Hague", "The Hague", "Netherlands"} for _a, _p, t in found)


@pytest.mark.parametrize(
    "sentence",
    [
        "Officials denied that China had threatened Taiwan.",
        "The rate is below the 25 percent that Trump had threatened in a letter to Tokyo.",
    ],
)
def test_extract_policy_denials_and_tariff_threats_give_no_security_threat(analyse, sentence):
    assert not any(p == "security_threat" for _a, p, _t in policies(analyse(sentence)))


def test_extract_policy_definite_title_refers_to_titled_person(analyse):
    found = policies(analyse("President Donald Trump spoke on Monday. Later the president imposed tariffs on Mexico."))
    assert ("Donald Trump", "tariff", "Mexico") in found


def test_extract_policy_coordinated_subjects_of_mutual_policy(analyse):
    found = policies(analyse("Lula and Trump met on the sidelines of a summit in Kuala Lumpur."))
    assert {frozenset((a, t)) for a, p, t in found if p == "diplomatic_engagement"} == {frozenset(("Lula", "Trump"))}


def test_extract_policy_forum_is_not_a_party(analyse):
    found = policies(analyse("Modi is due in Tianjin for a Shanghai Cooperation Organisation summit."))
    # the bloc's own meeting is a claim of the bloc with itself (its members meet), never a party
    assert not any(("Shanghai" in a or "Shanghai" in t) and a != t for a, _p, t in found)


def test_extract_policy_ally_of_a_person_is_no_state_alliance(analyse):
    found = policies(analyse("Trump cited the trial of his ally Jair Bolsonaro, Brazil's former president."))
    assert not any(p == "alliance" for _a, p, _t in found)


def test_extract_policy_comparison_names_no_party(analyse):
    found = policies(analyse("Germany, which exports more cars to China than any other EU member, voted no."))
    assert ("Germany", "trade", "China") in found
    assert not any(t == "EU" for _a, _p, t in found)


def test_extract_policy_host_with_demonym_objects(analyse):
    found = policies(
        analyse("Japan's foreign minister Takeshi Iwaya hosted his Chinese and South Korean counterparts in Tokyo.")
    )
    assert {t for _a, p, t in found if p == "diplomatic_engagement"} >= {"Chinese", "South Korean"}


def test_extract_organisation_named_by_a_descriptor_noun(analyse):
    """ "the X company", "newspaper, X," and 'the company "X"' name organisations the NER missed."""
    ex = analyse(
        "A statement from the Qatari Marwa company said the plan was approved. "
        "This was reported by the Kenyan newspaper, The Lantern, citing officials. "
        "A deal will be signed by the Saudi company “Dar Al-Nakheel” next week. "
        "The Russian energy company said nothing."
    )
    orgs = {m.name for m in ex.mentions if m.type.value == "organization"}
    assert {"Qatari Marwa", "Lantern", "Dar Al-Nakheel"} <= orgs
    assert not any("Russian" in o or "energy" in o for o in orgs)


def test_extract_name_before_an_age_and_an_organisation_the_ner_cut_short(analyse):
    ex = analyse("Okonjo, 52, heads the People's Unity Congress, which won the election.")
    names = {(m.name, m.type.value) for m in ex.mentions}
    assert ("Okonjo", "person") in names
    assert ("People's Unity Congress", "organization") in names
    assert any(r.person.name == "Okonjo" and r.org.name == "People's Unity Congress" for r in ex.roles)


def test_extract_junk_organisations_are_dropped(analyse):
    """A sharing-bar word, a region, a common-noun acronym, a lone adjective, an "-ism" and the
    department word of "Secretary of State" are no organisations; a real one stays."""
    ex = analyse(
        "By our Tokyo correspondent | Share | Print\n"
        "Japan fears the return of Trumpian Mercantilism and Transactional diplomacy in the Indo-Pacific region. "
        "Tokyo wants Alaskan LNG soon, Secretary of State Marco Rubio told the Hudson Institute."
    )
    orgs = {m.name for m in ex.mentions if m.type.value == "organization"}
    assert not orgs & {"Share", "Trumpian Mercantilism", "Transactional", "Indo-Pacific region", "LNG", "State"}
    assert "Hudson Institute" in orgs
