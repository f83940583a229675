"""Role claims: a role phrase placed next to a person (title before the name, appositive,
copula, relative clause), a role named by a verb ("who heads ..."), a possessive tie."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from ...gazetteer import load_gazetteer
from ...models import Article, EntityType, Mention, RoleClaim, Status
from ..data import matcher, shared_words
from ..mentions import MentionIndex
from ..sentences import Sentence, sentences
from ..syntax import provenance
from .context import (
    counterpart_claims,
    countries_after,
    definite_title_holder,
    is_party,
    leading_group_state,
    person_of_body,
    respective_holders,
    subject_verb_roles,
)
from .lexicon import RoleLexicon, is_head, role_lexicon
from .spans import RoleSpan, premodifiers, role_spans, role_text, singular_title, status_inside


def extract_roles(doc: Doc, article: Article, index: MentionIndex) -> list[RoleClaim]:
    lex = role_lexicon()
    claims: list[RoleClaim] = []
    for sent in _sentences(doc, index):
        found: list[RoleClaim] = []
        for role in role_spans(sent, index, lex):
            found += _claims_for_role(doc, sent, role, article, index, lex, found)
        found += counterpart_claims(doc, sent, article, index, lex, found)
        found += _possessive_ties(doc, sent, article, index, lex)
        found += _verb_roles(doc, sent, article, index, lex)
        found += subject_verb_roles(doc, sent, article, index, lex)
        found += person_of_body(doc, sent, article, index, lex)
        claims += found
    return claims


def _sentences(doc: Doc, index: MentionIndex) -> list[Span]:
    """The parser's sentences, a lone name cut off before a title joined to it again
    ("WHO | Director-General P said ...")."""
    out: list[Span] = []
    pending: int | None = None
    for sent in sentences(doc):
        start = sent.start if pending is None else pending
        words = [t for t in sent if not t.is_space]
        hit = index.at(words[0].i) if words else None
        if hit and hit[0] == words[0].i and hit[1] == words[-1].i + 1:
            pending = start  # a sentence that is one name and nothing else
            continue
        pending = None
        out.append(sent if start == sent.start else Sentence(doc, start, sent.end))
    if pending is not None:
        out.append(Sentence(doc, pending, len(doc)))
    return out


def _verb_roles(doc: Doc, sent: Span, article: Article, index: MentionIndex, lex: RoleLexicon) -> list[RoleClaim]:
    """ "Orysia Lutsevych, who heads the Ukraine Forum at Chatham House": a role named by a verb."""
    claims = []
    for verb in sent:
        title = lex.role_verbs.get(verb.lemma_.lower())
        if title is None or verb.i < sent.start + 3 or doc[verb.i - 1].lower_ != "who" or doc[verb.i - 2].text != ",":
            continue
        hit = index.at(verb.i - 3)
        if not hit or hit[2].type != EntityType.PERSON:
            continue
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if obj is None:
            continue
        org: Mention | None = None
        for prep in [
            c for c in (*verb.children, *obj.children) if c.dep_ == "prep" and c.lower_ in lex.role_verb_links
        ]:
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            found = index.at(pobj.i) if pobj is not None else None
            if org is None and found and found[2].type != EntityType.PERSON:
                org = found[2]  # "... at Chatham House": the employer
        obj_hit = index.at(obj.i)
        if org is None and obj_hit and obj_hit[2].type != EntityType.PERSON:
            role, org = title, obj_hit[2]  # "who chairs the Hudson Institute"
        else:
            words = [
                t
                for t in obj.subtree
                if t.dep_ not in shared_words().clause_deps and not (t.dep_ == "prep" and t.head == obj)
            ]
            words = [t for t in words if not any(t in p.subtree for p in obj.children if p.dep_ == "prep")]
            role = f"{title} of " + "".join(t.text_with_ws for t in sorted(words, key=lambda t: t.i)).strip()
        if org is None:
            continue
        status = Status.FORMER if verb.tag_ == "VBD" else Status.CURRENT
        claims.append(
            RoleClaim(
                hit[2], role, org, status, provenance(article, sent, "role_verb", lex.patterns.confidence("role_verb"))
            )
        )
    return claims


def _possessive_ties(doc: Doc, sent: Span, article: Article, index: MentionIndex, lex: RoleLexicon) -> list[RoleClaim]:
    """ "North Korea's Kim Jong Un", "Ishiba's Liberal Democratic Party": a tie with no title.

    Resolution drops such a tie when the same person has a titled role at the same place.
    """
    claims = []
    ties = matcher(
        doc.vocab, "possessive_tie", lambda: [("possessive_tie", lex.patterns.token_patterns("possessive_tie"))]
    )
    for _match_id, start, _end in ties(sent):
        tok = sent[start]
        owner, owned = index.at(tok.i - 1), index.at(tok.i + 1)
        if owner is None or owned is None or owner[1] != tok.i or owned[0] != tok.i + 1:
            continue
        owner_m, owned_m = owner[2], owned[2]
        if owner_m.type == EntityType.COUNTRY and owner_m.via == "name" and owned_m.type == EntityType.PERSON:
            person, org = owned_m, owner_m
        elif owner_m.type == EntityType.PERSON and owned_m.type == EntityType.ORGANIZATION:
            person, org = owner_m, owned_m
        else:
            continue
        tie = "member" if is_party(org) else "affiliated"  # "Ishiba's Liberal Democratic Party"
        evidence = provenance(article, sent, "possessive_tie", lex.patterns.confidence("possessive_tie"))
        claims.append(RoleClaim(person, tie, org, Status.CURRENT, evidence))
    return claims


def _claims_for_role(
    doc: Doc,
    sent: Span,
    role: RoleSpan,
    article: Article,
    index: MentionIndex,
    lex: RoleLexicon,
    earlier: list[RoleClaim],
) -> list[RoleClaim]:
    pre = premodifiers(doc, role, sent, index, lex)
    text, nominee = role_text(doc, role, lex, pre.extra_rank)
    head = doc[role.head].lower_
    if not text or head in lex.nominee_words and nominee is None:
        return []
    status = nominee or pre.status or status_inside(doc, role, lex) or Status.CURRENT
    pairs = respective_holders(doc, role.head, role.end, sent, index)
    if pairs:  # "the Presidents of A and B - P1 and P2"
        evidence = provenance(article, sent, "respective_holders", lex.patterns.confidence("respective_holders"))
        return [RoleClaim(p, singular_title(doc, role, text), c, status, evidence) for p, c in pairs]
    org_after, _org_end = _org_after(doc, role.end, sent, index, lex)
    pre_orgs = pre.orgs
    if head in lex.field_heads:  # "a Japan expert": the country is the field
        pre_orgs = [m for m in pre_orgs if m.type != EntityType.COUNTRY]
    pre_org = pre_orgs[0] if pre_orgs else (pre.possessors[0] if pre.possessors else None)
    pre_org = _owner_over_namesake(pre_org, pre.possessors)

    person, pattern, group_state = None, "", False
    after = role.end + (1 if role.end < sent.end and doc[role.end].text == "," else 0)
    hit = _holder_after(doc, after, sent, index, lex)
    coordinated: list[Mention] = []
    comma_after_org = org_after is not None and _org_end < sent.end and doc[_org_end].text == ","
    forward = _holder_after(doc, _org_end + 1, sent, index, lex) if comma_after_org else None
    if forward and _list_item_end(doc, forward[1], sent):
        # "the president of Ghana, P2, and ...": a title written before its holder
        before = _person_before(doc, pre.start, sent, index, lex)
        titled = {c.person.start for c in earlier if c.provenance.pattern == "title_before_name"}
        if before is None or before[0].start in titled:
            person, pattern = forward[2], "title_before_name"
    if person is None and org_after is None and hit:
        person, pattern = hit[2], "title_before_name"
        coordinated = _coordinated_people(doc, hit[1], sent, index, lex)
        if coordinated:  # "Foreign Ministers Penny Wong and Wang Yi": each holds the title
            text = singular_title(doc, role, text)
        if pre_org is None and org_after is None:  # "an Egyptian delegation led by Trade Minister X"
            pre_org = leading_group_state(doc, hit[0], hit[1], index, lex)
            group_state = pre_org is not None
    elif person is None:
        found = _person_before(doc, pre.start, sent, index, lex)
        if found:
            person, pattern = found
    if person is None and (person := definite_title_holder(doc, role.head, sent, index, bool(org_after), text, lex)):
        pattern = "definite_title"
    if person is None:
        return []
    if pattern == "relative_clause":
        status = status if status != Status.CURRENT else _tense_status(doc, pre.start)
    if (
        pattern == "title_before_name"
        and status == Status.CURRENT
        and _serves_former(doc, pre.start, sent, lex, earlier)
    ):
        status = Status.FORMER  # "who served as adviser to President P": his time, too
    conf = lex.patterns.confidence
    confidence = conf(pattern)
    if head in lex.weak_heads:
        confidence -= conf("weak_head")
    if group_state:
        confidence -= conf("group_state")
    claims: list[RoleClaim] = []
    if pre_org is not None and org_after is not None and status == Status.FORMER:
        # "a former White House official at the Brookings Institution": then one, now the other
        claims.append(RoleClaim(person, text, pre_org, status, provenance(article, sent, pattern, confidence)))
        tie = provenance(article, sent, pattern, conf("second_tie"))
        claims.append(RoleClaim(person, "affiliated", org_after, Status.CURRENT, tie))
        return claims
    org = org_after or pre_org
    if org is None and pattern == "title_before_name":
        # "Kenya's Ambassador P1, and Commerce Secretary P2": a list of one state's officials
        org = _state_of_list(doc, pre.start, sent, index, earlier)
        confidence -= conf("list_state") if org is not None else 0
    if org is None and text.lower() in lex.state_posts:
        # "the head of state for both Norway and Iceland": the post in each state
        evidence = provenance(article, sent, pattern, confidence)
        return [RoleClaim(person, text, c, status, evidence) for c in countries_after(doc, role.end, sent, index)]
    if org is None:
        if not {w.lower() for w in text.split()} & lex.state_titles:
            return claims  # a bare "trade chief": resolution can only guess whose, so say nothing
        confidence -= conf("no_organisation")
    claims.append(RoleClaim(person, text, org, status, provenance(article, sent, pattern, confidence)))
    for other in coordinated:
        # the organisation written before a coordinated title is shared only when it is no country
        shared = org if org is not None and org.type != EntityType.COUNTRY else None
        if shared is not None or {w.lower() for w in text.split()} & lex.state_titles:
            evidence = provenance(article, sent, "coordinated_titles", confidence - conf("coordinated_titles"))
            claims.append(RoleClaim(other, text, shared, status, evidence))
    # "X, a former White House official now at The Asia Group": a second, current tie
    now_org, _ = _now_at(doc, role.end, sent, index, lex)
    if now_org is not None:
        tie = provenance(article, sent, pattern, conf("second_tie"))
        claims.append(RoleClaim(person, "affiliated", now_org, Status.CURRENT, tie))
    return claims


def _holder_after(
    doc: Doc, j: int, sent: Span, index: MentionIndex, lex: RoleLexicon
) -> tuple[int, int, Mention] | None:
    """The person at token ``j``, maybe behind a second title of theirs ("..., US General P")."""
    k = j
    while k < sent.end:
        hit = index.at(k)
        if hit and hit[0] == k and hit[2].type == EntityType.PERSON:
            demonym = k > j and (before := index.at(k - 1)) is not None and before[2].via == "demonym"
            return hit if k == j or demonym or doc[k - 1].lower_ in lex.heads else None
        if hit and hit[2].type == EntityType.COUNTRY and k == j:
            k = hit[1]
        elif not hit and doc[k].lower_ in lex.title_words and doc[k].is_title:
            k += 1
        else:
            return None
    return None


def _serves_former(doc: Doc, start: int, sent: Span, lex: RoleLexicon, earlier: list[RoleClaim]) -> bool:
    """A title after "adviser to" or "official under" whose own holder held that post in the past."""
    if start - 2 < sent.start or doc[start - 1].lower_ not in {"to", "under"}:
        return False
    if doc[start - 1].lower_ == "to" and not is_head(doc[start - 2], lex):
        return False
    return bool(earlier) and earlier[-1].status == Status.FORMER


def _state_of_list(doc: Doc, start: int, sent: Span, index: MentionIndex, earlier: list[RoleClaim]) -> Mention | None:
    """The country of the titled person listed just before a title at ``start``, if any."""
    j = start - 1
    while j >= sent.start and doc[j].text in {",", "and"}:
        j -= 1
    hit = index.at(j) if j < start - 1 else None
    if not hit or hit[2].type != EntityType.PERSON:
        return None
    orgs = [c.org for c in earlier if c.person is hit[2] and c.org is not None]
    return orgs[-1] if orgs and orgs[-1].type == EntityType.COUNTRY else None


def _list_item_end(doc: Doc, end: int, sent: Span) -> bool:
    """A name that closes a list item: followed by a comma, "and", or the end of the sentence."""
    return end >= sent.end or doc[end].text in {",", ";", "."} or doc[end].lower_ == "and"


def _owner_over_namesake(org: Mention | None, possessors: list[Mention]) -> Mention | None:
    """ "Chile's Senate President": a body name the gazetteer gives to another state is the possessor's."""
    country = next((p for p in possessors if p.type == EntityType.COUNTRY), None)
    if org is None or country is None or org is country or org.type != EntityType.ORGANIZATION:
        return org
    gaz = load_gazetteer()
    entry = gaz.get(org.gazetteer_key) if org.gazetteer_key else None
    found = gaz.lookup(org.name, EntityType.ORGANIZATION) if entry is None else None
    state = gaz.state_of(entry.key if entry else found[0].key) if entry or found else None
    return country if state is not None and state != country.gazetteer_key else org


def _coordinated_people(doc: Doc, end: int, sent: Span, index: MentionIndex, lex: RoleLexicon) -> list[Mention]:
    """People listed after the first one: "A and B", "A, B and C"."""
    people: list[Mention] = []
    j = end
    while j + 1 < sent.end and doc[j].text in lex.list_separators:
        j += 2 if doc[j].text == "," and doc[j + 1].lower_ == "and" else 1
        hit = index.at(j)
        if not hit or hit[0] != j or hit[2].type != EntityType.PERSON:
            break
        people.append(hit[2])
        j = hit[1]
    return people


def _now_at(doc: Doc, end: int, sent: Span, index: MentionIndex, lex: RoleLexicon) -> tuple[Mention | None, int]:
    """ "... now at The Asia Group" after a former role, before the clause ends."""
    j = end
    while j + 1 < sent.end and doc[j].lower_ != "now" and not (doc[j].is_punct and doc[j].text != "-"):
        j += 1
    if j + 1 < sent.end and doc[j].lower_ == "now" and doc[j + 1].lower_ in lex.now_links:
        j += 2
        while j < sent.end and doc[j].lower_ == "the":
            j += 1
        hit = index.at(j)
        if hit and hit[2].type == EntityType.ORGANIZATION:
            return hit[2], hit[1]
    return None, end


def _tense_status(doc: Doc, pos: int) -> Status:
    """ "who served as" is a former role, "who serves as" a current one."""
    window = [t for t in doc[max(0, pos - 4) : pos]]
    return Status.FORMER if any(t.tag_ == "VBD" for t in window) else Status.CURRENT


def _person_before(doc: Doc, pos: int, sent: Span, index: MentionIndex, lex: RoleLexicon) -> tuple[Mention, str] | None:
    """The person an appositive, copula or relative clause ending at ``pos`` (exclusive) describes."""
    copula = _copula_before(doc, pos, sent, lex)
    if copula is not None:
        j = copula - 1
        pattern = "copula"
        if j >= sent.start and doc[j].lower_ in shared_words().relative_pronouns:
            j -= 1
            pattern = "relative_clause"
        if j >= sent.start and doc[j].text == ",":
            j -= 1
        hit = index.at(j)
        if hit and hit[2].type == EntityType.PERSON:
            return hit[2], pattern
        if pattern == "relative_clause":
            # "Ken Jimbo, a Keio University professor who served as ...": back over the appositive
            for k in range(j, max(sent.start, j - 12), -1):
                if doc[k].text == ",":
                    hit = index.at(k - 1)
                    if hit and hit[2].type == EntityType.PERSON and hit[1] == k:
                        return hit[2], pattern
                    break
        return None
    j = pos - 1
    if j >= sent.start and doc[j].text == ",":
        hit = index.at(j - 1)
        if hit and hit[2].type == EntityType.PERSON and hit[1] == j:
            return hit[2], "appositive"
    return None


def _org_after(doc: Doc, end: int, sent: Span, index: MentionIndex, lex: RoleLexicon) -> tuple[Mention | None, int]:
    """``of/at/with ORG`` after a role phrase, skipping "the", "Washington-based" and field
    phrases ("senior fellow for Russia and Eurasia at the IISS"); up to the next comma."""
    j = end
    while j < sent.end and doc[j].lower_ in lex.org_links:
        link = doc[j].lower_
        j += 1
        while j < sent.end and (doc[j].lower_ == "the" or doc[j].pos_ == "ADJ" and doc[j].is_lower):
            j += 1
        hit = index.at(j)
        if hit and hit[1] + 1 < sent.end and doc[hit[1]].text == "-" and doc[hit[1] + 1].lower_ == "based":
            hit = index.at(hit[1] + 2)
        if hit and hit[2].type == EntityType.COUNTRY and link in lex.country_field_links:
            # "representative for Japan", "ambassador in New Delhi": the field or the post, not the employer
            j = _skip_field(doc, hit[1], sent, index)
            continue
        if hit and hit[2].type != EntityType.PERSON:
            return hit[2], hit[1]
        if link in lex.field_links and not hit:
            j = _skip_field(doc, j, sent, index)  # "chief economist for Asia-Pacific at Natixis"
            continue
        break
    return None, end


def _skip_field(doc: Doc, j: int, sent: Span, index: MentionIndex) -> int:
    """Past a field phrase: words, names and "and", up to a preposition or punctuation."""
    while j < sent.end and not doc[j].is_punct | (doc[j].pos_ == "ADP") or doc[j].text == "-":
        hit = index.at(j)
        j = hit[1] if hit else j + 1
    return j


def _copula_before(doc: Doc, pos: int, sent: Span, lex: RoleLexicon) -> int | None:
    """Where the longest copula ("is", "who served as") ending at ``pos`` starts, if one does."""
    copulas = matcher(doc.vocab, "copula", lambda: [("copula", lex.patterns.token_patterns("copula"))])
    starts = [start for _id, start, end in copulas(doc[sent.start : pos]) if sent.start + end == pos]
    return sent.start + min(starts) if starts else None
