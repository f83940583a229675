"""Entity resolution across articles, with real parses."""

from kg.resolve import resolve


def keys_of(kb, type_value):
    return {e.key for e in kb.entities if e.type.value == type_value}


def test_resolve_country_abbreviations_capitals_and_demonyms_are_one_entity(analyse):
    kb = resolve(
        [
            analyse("The U.S. and America are the same place, officials in Washington said."),
            analyse("American diplomats and the United States Congress disagreed.", "b.txt"),
        ]
    )
    assert keys_of(kb, "country") == {"country:United States"}
    us = next(e for e in kb.entities if e.key == "country:United States")
    assert us.wikidata == "Q30"


def test_resolve_both_name_orders_and_surname_are_one_person(analyse):
    kb = resolve(
        [
            analyse("Ishiba Shigeru met the press. Later, Shigeru Ishiba said Japan would talk. Ishiba smiled."),
        ]
    )
    assert keys_of(kb, "person") == {"person:Shigeru Ishiba"}


def test_resolve_surname_joins_unknown_full_name_in_same_article(analyse):
    kb = resolve([analyse("Analyst Tobias Harris wrote a report. Harris said the alliance would hold.")])
    people = keys_of(kb, "person")
    assert people == {"person:Tobias Harris"}
    harris = next(e for e in kb.entities if e.key == "person:Tobias Harris")
    assert "Harris" in harris.aliases


def test_resolve_person_acting_in_policy_stands_for_their_state(analyse):
    kb = resolve([analyse("President Donald Trump imposed tariffs on Japan in April.")])
    assert {(p.actor, p.policy, p.target) for p in kb.policies} == {
        ("country:United States", "tariff", "country:Japan")
    }


def test_resolve_role_org_from_possessor_person(analyse):
    kb = resolve([analyse("Elbridge Colby, Trump's nominee for under secretary of defense, spoke in the Senate.")])
    assert any(r.person == "person:Elbridge Colby" and r.org == "country:United States" for r in kb.roles)


def test_resolve_spun_organisation_names(analyse):
    kb = resolve([analyse("Ishiba met the US president at the White Home, Kato told the Monetary Occasions.")])
    orgs = keys_of(kb, "organization")
    assert "organization:White House" in orgs and "organization:Financial Times" in orgs


def test_resolve_short_form_of_longer_organisation_name(analyse):
    kb = resolve([analyse("Acme Robotics Holdings raised prices. Later, Acme Robotics said demand was weak.")])
    assert len([k for k in keys_of(kb, "organization") if "Acme" in k]) == 1


def test_resolve_hyphenated_surname_joins_full_name(analyse):
    kb = resolve([analyse("Mira Rapp-Hooper wrote the memo. Rapp-Hooper said it was urgent.")])
    assert keys_of(kb, "person") == {"person:Mira Rapp-Hooper"}


def test_resolve_initials_join_full_name(analyse):
    kb = resolve([analyse("Analyst Rahul Menon spoke first. Later R. Menon said trade talks would resume.")])
    assert keys_of(kb, "person") == {"person:Rahul Menon"}


def test_resolve_spelling_variants_of_a_name_are_one_person(analyse):
    """One vowel more in one word ("Khalida"/"Khalda"), or a given name written before a longer
    name ("Peter Tan Wei-ming" and "Tan Wei-ming"), is the same person across articles."""
    kb = resolve(
        [
            analyse("Interior Minister Rashid Khalida Baig spoke. Baig said more."),
            analyse("Interior Minister Rashid Khalda Baig warned again.", "b.txt"),
            analyse("Governor Peter Tan Wei-ming opened the port.", "c.txt"),
            analyse("Governor Tan Wei-ming closed the port.", "d.txt"),
            analyse("Senator Samir Haddad and Senator Samer Haddad disagreed.", "e.txt"),
        ]
    )
    people = keys_of(kb, "person")
    assert len([k for k in people if "Baig" in k]) == 1
    assert len([k for k in people if "Wei" in k]) == 1
    assert len([k for k in people if "Haddad" in k]) == 2  # another vowel is another name


def test_resolve_one_title_under_several_spellings_gets_one_canonical_label(analyse):
    kb = resolve(
        [
            analyse("US Defense Secretary Carl Fenwick flew to Tokyo on Monday."),
            analyse("US Secretary of Defense Carl Fenwick met reporters.", "b.txt"),
            analyse("US Secretary Carl Fenwick left. US Deputy Secretary Ann Holt stayed.", "c.txt"),
        ]
    )
    fenwick = [r for r in kb.roles if r.person == "person:Carl Fenwick"]
    assert len(fenwick) == 3
    assert {r.role for r in fenwick} == {"Secretary of Defense"}
    assert {r.stated for r in fenwick} == {"", "Defense Secretary", "Secretary"}
    from rdflib.namespace import SKOS

    from kg.graph import build_graph
    from kg.namespaces import NG

    g = build_graph(kb)
    nodes = set(g.subjects(NG.roleLabel, None))
    labels = {str(g.value(n, NG.roleLabel)) for n in nodes if "Fenwick" in str(g.value(n, NG.evidence))}
    alternatives = {str(a) for n in nodes for a in g.objects(n, SKOS.altLabel)}
    assert labels == {"Secretary of Defense"} and {"Defense Secretary", "Secretary"} <= alternatives
    holt = [r for r in kb.roles if r.person == "person:Ann Holt"]
    assert holt and all(r.role == "Deputy Secretary" for r in holt)  # a rank makes another post
