"""Role extraction where the organisation or the holder stands outside the title phrase.

Sentences are written for these tests (invented people), through the real spaCy model.
"""

from kg.models import Status
from kg.resolve import resolve


def roles(extraction):
    return {(r.person.name, r.role.lower(), r.org.name if r.org else None, r.status) for r in extraction.roles}


def people_orgs(kb):
    return {(r.person, r.org) for r in kb.roles}


def test_extract_roles_counterpart_takes_the_title_of_the_person_before(analyse):
    ex = analyse("Kenyan President Daniel Mwangi and his Ugandan counterpart Joseph Okello met in Nairobi.")
    found = roles(ex)
    assert ("Daniel Mwangi", "president", "Kenyan", Status.CURRENT) in found
    assert ("Joseph Okello", "president", "Ugandan", Status.CURRENT) in found


def test_extract_roles_group_led_by_gives_its_nationality(analyse):
    ex = analyse("The talks opened with a large Egyptian delegation led by Trade Minister Karim Fahmy.")
    assert ("Karim Fahmy", "trade minister", "Egyptian", Status.CURRENT) in roles(ex)


def test_extract_roles_group_that_includes_the_holder(analyse):
    ex = analyse("The Peruvian team includes Deputy Interior Minister Carlos Quispe and Ana Torres.")
    assert any(p == "Carlos Quispe" and o == "Peruvian" for p, _r, o, _s in roles(ex))


def test_extract_roles_list_of_titles_before_their_holders(analyse):
    ex = analyse(
        "The guests include the president of Ghana, Kwame Mensah, the president of Togo, Kofi Agbeko, "
        "and several ministers."
    )
    found = roles(ex)
    assert ("Kwame Mensah", "president", "Ghana", Status.CURRENT) in found
    assert ("Kofi Agbeko", "president", "Togo", Status.CURRENT) in found
    assert ("Kwame Mensah", "president", "Togo", Status.CURRENT) not in found


def test_extract_roles_his_gives_the_state_of_the_person_meant(analyse):
    kb = resolve([analyse("Prime Minister Shinzo Abe arrived with his former defence minister, Taro Yamada.")])
    assert ("person:Taro Yamada", "country:Japan") in people_orgs(kb)


def test_extract_roles_passive_role_verb_on_the_body(analyse):
    ex = analyse("The Economic Advisory Council chaired by Finance Minister Maria Lopez met on Monday.")
    assert ("Maria Lopez", "chair", "Economic Advisory Council", Status.CURRENT) in roles(ex)


def test_extract_roles_reporting_verb_is_no_role(analyse):
    ex = analyse("“The target is not how it works,” Kato advised the Financial Times.")
    assert not any(r == "adviser" for _p, r, _o, _s in roles(ex))


def test_extract_roles_stance_country_is_not_the_employer(analyse):
    ex = analyse("The pro-China leader Ahmed Rasheed asked India to withdraw its troops.")
    assert not any(o == "China" for _p, _r, o, _s in roles(ex))


def test_extract_roles_country_run_into_a_name_is_split(analyse):
    ex = analyse("The team includes acting ambassador to Qatar Samir Haddad, Deputy Minister Omar Nasser and others.")
    names = {m.name for m in ex.mentions}
    assert "Samir Haddad" in names and "Qatar" in names


def test_extract_roles_title_at_the_end_of_a_body_name(analyse):
    ex = analyse("Brazil’s Senate President, Paulo Mendes, and Chamber of Deputies Speaker, Rui Costa, backed the law.")
    assert ("Rui Costa", "speaker", "Chamber of Deputies", Status.CURRENT) in roles(ex)


def test_extract_roles_person_of_a_party(analyse):
    ex = analyse("Vice President Chen Wei-lin of the ruling Democratic Progressive Party was elected on Saturday.")
    assert ("Chen Wei-lin", "member", "Democratic Progressive Party", Status.CURRENT) in roles(ex)


def test_extract_roles_demonym_between_title_and_holder(analyse):
    ex = analyse("Forty leaders and the UN Secretary-General, Portuguese António Guterres, attended the summit.")
    assert any(p == "António Guterres" and o == "UN" for p, _r, o, _s in roles(ex))


def test_extract_roles_list_shares_the_state_of_the_titled_person_before(analyse):
    kb = resolve(
        [
            analyse(
                "Kenya's Ambassador to Japan, Peter Njoroge, and Commerce Secretary Grace Wanjiru attended. "
                "Japan and Japan and Japan welcomed them."
            )
        ]
    )
    assert ("person:Grace Wanjiru", "country:Kenya") in people_orgs(kb)


def test_extract_roles_adviser_to_a_past_president_makes_his_title_former(analyse):
    ex = analyse("Laura Chen, who served as a senior State Department adviser to President Bill Clinton, disagrees.")
    assert any(p == "Bill Clinton" and s == Status.FORMER for p, _r, _o, s in roles(ex))


def test_extract_roles_official_under_a_president_is_no_under_secretary(analyse):
    found = roles(analyse("Laura Chen, who was a senior White House official under President Bill Clinton, disagrees."))
    assert ("Laura Chen", "senior official", "White House", Status.FORMER) in found
    assert ("Bill Clinton", "president", None, Status.FORMER) in found


def test_resolve_focus_guess_leaves_out_a_country_given_to_another_title(analyse):
    text = (
        "The US and Kenya agreed a deal. The US will buy tea. US officials and the US embassy praised it. "
        "Kenya hopes for more. Finance Minister John Kamau met the US Secretary of Commerce on Friday."
    )
    kb = resolve([analyse(text)])
    assert ("person:John Kamau", "country:United States") not in people_orgs(kb)
    assert ("person:John Kamau", "country:Kenya") in people_orgs(kb)


def test_extract_roles_name_with_a_particle_the_ner_called_an_organisation(nlp):
    from spacy.tokens import Span

    from kg.extract import find_mentions
    from kg.models import EntityType

    doc = nlp("The guests were the prime minister of Cape Verde, Mario Correia e Sousa, and others.")
    start = next(t.i for t in doc if t.text == "Mario")
    doc.ents = [e for e in doc.ents if e.end <= start] + [Span(doc, start, start + 4, label="ORG")]
    assert find_mentions(doc)[start].type == EntityType.PERSON


def test_extract_roles_title_inside_an_ner_name_and_a_post_held_in_two_states(analyse):
    ex = analyse(
        "The speech was read by King Harald V, the head of state for both Norway and the United Kingdom, on Monday."
    )
    found = roles(ex)
    assert ("Harald V", "king", None, Status.CURRENT) in found
    assert ("Harald V", "head of state", "Norway", Status.CURRENT) in found
    assert ("Harald V", "head of state", "United Kingdom", Status.CURRENT) in found


def test_resolve_focus_guess_leaves_out_the_state_of_another_person_in_the_sentence(analyse):
    text = (
        "India and India and India signed a pact with Oman. India hopes for more trade. "
        "It was signed in the presence of Prime Minister Narendra Modi and Sultan Qaboos Haddad in Muscat."
    )
    kb = resolve([analyse(text)])
    assert ("person:Qaboos Haddad", "country:India") not in people_orgs(kb)


def test_extract_roles_country_ending_an_ner_name_before_a_title_is_the_titles(analyse):
    ex = analyse("The summit came amid a confrontational policy of the Administration of US President Donald Trump.")
    assert ("Donald Trump", "president", "US", Status.CURRENT) in roles(ex)
