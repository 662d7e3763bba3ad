"""Relations a noun states: a role or relation noun ("A is the main backer of X", "A, head of
X", "the leader of X, A", "X leader A", "Turkish President A") and an action noun ("Turkish
support for the GNA", "Iran's backing of the rebels")."""
from __future__ import annotations

from typing import Iterator

from spacy.tokens import Token

from factcheck.extract.clause_arguments import SUBJECT_DEPS
from factcheck.extract.lexicon import Lexicon, Relation
from factcheck.extract.polarity import hedged, polarity
from factcheck.extract.relation_hits import RelationHit, emit_hits
from factcheck.extract.relation_reader import Reader
from factcheck.model import Subject


def action_noun_relation(noun: Token, rel: Relation, reader: Reader, lex: Lexicon) -> Iterator[RelationHit]:
    """"Turkish support for the GNA", "Iran's backing of the rebels", "support for X from A"."""
    agents: list[str] = []
    patients: list[Token] = []
    holder = noun.head if noun.dep_ == "dobj" and noun.head.lemma_.lower() in lex.receiving_verbs else None
    if holder is not None:  # "X receives support from A", "X has the backing of A and B": X is backed
        patients = [c for c in holder.children if c.dep_ in SUBJECT_DEPS]
    for c in noun.children:
        if c.dep_ in ("amod", "poss", "compound", "nmod") and c.i < noun.i:
            agents += reader.parties(c, expand=False)
        elif c.dep_ == "prep" and (c.lower_ in ("from", "by") or (c.lower_ == "of" and (holder is not None
                                                                                       or rel.argument == "event"))):
            agents += [p for o in c.children if o.dep_ == "pobj" for p in reader.parties(o)]
        elif c.dep_ == "prep" and c.lower_ in ("for", "of", "to"):
            patients += [o for o in c.children if o.dep_ == "pobj"]
    if holder is not None:
        agents += [p for c in holder.children if c.dep_ == "prep" and c.lower_ == "from"
                   for o in c.children if o.dep_ == "pobj" for p in reader.parties(o)]
    if rel.argument == "event" and agents:
        patients += [o for c in noun.children if c.dep_ == "prep" and c.lower_ == "on" for o in c.children
                     if o.dep_ == "pobj"]  # "X's signature on the accord"
        if not patients:  # "at the invitation of X, leaders met for a summit": the clause's event
            clause = noun.head.head if noun.dep_ == "pobj" else noun.head
            patients = [t for t in clause.subtree if reader.events.at(t) is not None and t.i != noun.i][:1]
            if not patients and rel.family and reader.events.salient(noun.i + 1, rel.family) is not None:
                yield from emit_hits(rel, agents, [], noun, True, hedged(noun, lex), reader)  # the salient one
                return
    if agents and patients:
        yield from emit_hits(rel, agents, patients, noun, polarity(noun.head, lex) if noun.head.pos_ == "VERB" else True,
                             hedged(noun, lex), reader)


def noun_relation(noun: Token, rel: Relation, reader: Reader, lex: Lexicon) -> Iterator[RelationHit]:
    """"A is the main backer of X", "A, head of X", "the leader of X, A", "X leader A", "Turkish President A";
    for an event relation, "A is the main mediator of the talks"."""
    left = noun.doc[max(noun.left_edge.i, noun.i - 3):noun.i]
    if any(t.lower_.rstrip("-") in lex.non_holders for t in left):
        return  # "deputy head of", "a former president of", "the acting head of": not who holds the role
    plural = noun.tag_ in ("NNS", "NNPS")
    of_objs = [o for c in noun.children if c.dep_ == "prep" and c.lower_ == "of" for o in c.children if o.dep_ == "pobj"]
    split = _org_then_person(of_objs, reader) if rel.titles else None
    if split is not None:  # "the commander of the Libyan National Army Field Marshal Khalifa Haftar"
        target, owner = split
        yield RelationHit(rel.predicate, Subject("entity", target), owner, polarity(noun, lex), hedged(noun, lex), noun)
        return
    if rel.argument == "event":
        yield from _event_role_hits(noun, rel, reader, lex, of_objs, plural)
        return
    targets = _role_organisations(noun, of_objs, reader)
    if not targets:
        return
    owners = _role_holders(noun, rel, reader, of_objs, targets, plural)
    pol, hed = polarity(noun.head if noun.dep_ == "attr" else noun, lex), hedged(noun, lex)
    if rel.titles and noun.dep_ == "compound" and len(owners) == 1:  # "the government of Prime Minister A"
        targets = _with_governed_organisation(noun, owners[0], targets, reader)
    for target in targets:
        for owner in owners:
            if owner != target:
                yield RelationHit(rel.predicate, Subject("entity", target), owner, pol, hed, noun)


def _event_role_hits(noun: Token, rel: Relation, reader: Reader, lex: Lexicon, of_objs: list[Token],
                     plural: bool) -> Iterator[RelationHit]:
    """"A is the main mediator of the talks", "A, mediator of the talks": an event's role holders."""
    events = [o for o in of_objs if reader.event(o, rel.family) is not None]
    owners = [p for c in noun.head.children if noun.dep_ == "attr" and c.dep_ in SUBJECT_DEPS
              for p in reader.parties(c)] or (reader.parties(noun.head, expand=plural) if noun.dep_ == "appos" else [])
    if events and owners:
        yield from emit_hits(rel, owners, events, noun, polarity(noun.head if noun.dep_ == "attr" else noun, lex),
                             hedged(noun, lex), reader)


def _role_organisations(noun: Token, of_objs: list[Token], reader: Reader) -> list[str]:
    """What the role is of: "the leader of X", else the organisation before the noun: "Y's
    leader", "the LNA leader", "Turkish President", "Hezbollah, whose leader is ..."."""
    targets = [p for o in of_objs for p in reader.parties(o, expand=False)]
    if not targets:
        for c in noun.children:
            if c.dep_ in ("poss", "compound", "amod", "nmod") and c.i < noun.i:
                n = reader.mentions.entity_at(c)
                if c.lower_ == "whose" and noun.head.dep_ == "relcl":  # "Hezbollah, whose leader is ..."
                    n = reader.party(noun.head.head)
                if n:
                    targets.append(n)
    return targets


def _role_holders(noun: Token, rel: Relation, reader: Reader, of_objs: list[Token], targets: list[str],
                  plural: bool) -> list[str]:
    """Who holds the role: read off the noun's place in the clause, else an apposition, else a
    person inside the of-phrase, else (for titles) a name right after the phrase."""
    owners = _holders_by_position(noun, rel, reader, plural)
    if not owners:  # "the leader of X, A" (the first apposition that is not X itself: "X (GNA) A")
        owners = _holders_in_apposition(noun, reader, targets, plural)
    if not owners:  # "the head of X (PNS) Fayez Saraj": a person in apposition inside the phrase
        owners = _person_in_of_phrase(of_objs, reader, targets)
    if not owners and rel.titles:  # "the commander of X Field Marshal A", "head of X (GNA) A": a name right after
        owners = _name_right_after(noun, of_objs, reader, targets)
    return owners


def _holders_by_position(noun: Token, rel: Relation, reader: Reader, plural: bool) -> list[str]:
    owners: list[str] = []
    if noun.dep_ == "nsubj" and noun.head.lemma_ == "be":  # "X, whose leader is A", "X's leader is A"
        owners = [p for s in noun.head.children if s.dep_ == "attr" for p in reader.parties(s, expand=plural)]
    elif noun.dep_ == "nsubj" and noun.head.lemma_ in ("include", "comprise"):  # "Haftar's backers include A and B"
        owners = [p for s in noun.head.children if s.dep_ in ("dobj", "attr") for p in reader.parties(s)]
    elif noun.dep_ == "attr":  # "A is the main backer of X"
        owners = [p for s in noun.head.children if s.dep_ in SUBJECT_DEPS for p in reader.parties(s)]
    elif noun.dep_ == "appos":  # "A, head of X"
        owners = reader.parties(noun.head, expand=plural)
    elif noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.lower_ in ("one", "among"):
        one = noun.head.head  # "A, one of X's main backers", "A is one of the backers of X"
        if one.dep_ == "appos":
            owners = reader.parties(one.head, expand=False)
        elif one.dep_ == "attr":
            owners = [p for c in one.head.children if c.dep_ in SUBJECT_DEPS for p in reader.parties(c)]
    elif noun.dep_ == "compound" and rel.titles:  # "GNA leader A", "Turkish President A"
        owners = reader.parties(noun.head, expand=False)
    return owners


def _holders_in_apposition(noun: Token, reader: Reader, targets: list[str], plural: bool) -> list[str]:
    owners: list[str] = []
    for a in (c for c in noun.children if c.dep_ == "appos"):
        owners = [p for p in reader.parties(a, expand=plural) if p not in targets]
        if owners:
            break
    return owners


def _person_in_of_phrase(of_objs: list[Token], reader: Reader, targets: list[str]) -> list[str]:
    owners: list[str] = []
    for o in of_objs:
        for t in o.subtree:
            if t.dep_ == "appos" and t.ent_type_ == "PERSON":
                n = reader.party(t)
                if n and n not in targets:
                    owners = [n]
                    break
    return owners


def _name_right_after(noun: Token, of_objs: list[Token], reader: Reader, targets: list[str]) -> list[str]:
    doc, end = noun.doc, noun.sent.end
    right = max([noun.right_edge.i] + [reader.mentions.by_token[o.i].end - 1 for o in of_objs
                                       if o.i in reader.mentions.by_token]) + 1
    if right < end and doc[right].text == "(":  # an abbreviation in brackets
        close = next((t.i for t in doc[right:min(end, right + 6)] if t.text == ")"), None)
        right = close + 1 if close is not None else right
    while right < end and doc[right].dep_ == "compound" and doc[right].pos_ != "PROPN":
        right += 1
    n = reader.mentions.entity_at(doc[right]) if right < end else None
    return [n] if n and n not in targets else []


def _with_governed_organisation(noun: Token, owner: str, targets: list[str], reader: Reader) -> list[str]:
    """"the government of Prime Minister A": A leads that organisation too."""
    holder = noun.head
    if holder.dep_ == "pobj" and holder.head.lower_ == "of":
        org = reader.mentions.entity_at(holder.head.head)
        if org and org != owner and org not in targets:
            return targets + [org]
    return targets


def _org_then_person(of_objs: list[Token], reader: Reader) -> tuple[str, str] | None:
    """An organisation named inside a person's phrase: "of the LNA Field Marshal Haftar"."""
    for o in of_objs:
        person = reader.mentions.entity_at(o)
        if person is None or o.ent_type_ not in ("PERSON", "") or o.pos_ != "PROPN":
            continue
        own = reader.mentions.by_token[o.i]
        for left in o.doc[o.left_edge.i:own.start]:
            org = reader.mentions.entity_at(left)
            if org and org != person and left.ent_type_ != "PERSON":
                return org, person
    return None


def compound_title(tok: Token) -> str:
    """"Prime Minister" -> prime-minister, "Secretary General" -> secretary-general."""
    prev = [c for c in tok.children if c.dep_ == "compound" and c.i == tok.i - 1]
    if prev:
        return f"{prev[0].lower_}-{tok.lower_}"
    return ""
