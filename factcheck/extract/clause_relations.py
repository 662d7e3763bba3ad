"""Relations a clause states: a trigger verb with its agents and patients ("A backs X",
"X is backed by A, B and C", "A took part in X", "Germany held a summit"), a pro-verb ("B
left without doing so"), and a predicative adjective ("A was present at the summit")."""
from __future__ import annotations

from typing import Iterator

from spacy.tokens import Token

from factcheck.extract.clause_arguments import (OBJECT_DEPS, SUBJECT_DEPS, co_agents, hyphen_agent, is_passive,
                                                is_person, verb_agents, verb_patients)
from factcheck.extract.lexicon import Lexicon, Relation, singular
from factcheck.extract.polarity import hedged, polarity, unrealized
from factcheck.extract.relation_hits import RelationHit, emit_hits
from factcheck.extract.relation_reader import Reader


def verb_relation(verb: Token, rel: Relation, reader: Reader, lex: Lexicon, lemma: str) -> Iterator[RelationHit]:
    """The hits of a trigger verb (`lemma`: the form of it the relation knows)."""
    if rel.predicate != "hosts" and unrealized(verb, lex):
        return  # "X may sign", "once it is signed by X", "X plans to back Y": nothing happened yet
    pol, hed = polarity(verb, lex), hedged(verb, lex)
    if lemma in rel.negative_verbs:  # "A boycotted the summit": A did not attend it
        pol = not pol
    agent = hyphen_agent(verb) if lemma in rel.verbs else None
    if agent is not None:
        values = reader.parties(agent, expand=False)
        if values:
            yield from emit_hits(rel, values, [verb.head], verb, pol, hed, reader)
        return
    if lemma in rel.passive_value_verbs and is_passive(verb):
        values = [p for s in verb_patients(verb, rel) for p in reader.group_members(s)]
        targets = [o for c in verb.children if c.dep_ == "prep" and c.lower_ in ("to", "for") for o in c.children if o.dep_ == "pobj"]
    elif lemma in rel.inverse_verbs:
        objs = [c for c in verb.children if c.dep_ in OBJECT_DEPS]
        values = [p for o in objs for t in [o] + list(o.conjuncts) for p in reader.group_members(t)]
        targets = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    elif lemma in rel.verbs or lemma in rel.prep_verbs or lemma in rel.negative_verbs:
        if lemma in rel.prep_verbs and lemma not in rel.verbs and not verb_patients(verb, rel) and rel.prep_verbs[lemma]:
            return
        values, targets = _trigger_verb_arguments(verb, rel, reader, lex, lemma)
    elif lemma in rel.light_verbs:  # "A took part in X": the noun is the verb's object, X after the preposition
        noun, preps = rel.light_verbs[lemma]
        objs = [c for c in verb.children if c.dep_ in OBJECT_DEPS and c.lemma_.lower() == noun]
        if not objs:
            return
        values = [p for a in verb_agents(verb) for p in reader.parties(a)]
        targets = [o for t in (verb, objs[0]) for c in t.children if c.dep_ == "prep" and c.lower_ in preps
                   for o in c.children if o.dep_ == "pobj"]
    elif lemma in rel.kind_verbs:  # "Germany held a summit": only with an object of the right kind
        targets = [t for t in verb_patients(verb, rel) if singular(t.lemma_.lower()) in rel.kind_verbs[lemma]]
        if not targets:
            return
        values = [p for a in verb_agents(verb) for p in reader.parties(a)]
    else:
        return
    if not values:
        return
    yield from emit_hits(rel, values, targets, verb, pol, hed, reader)


def _trigger_verb_arguments(verb: Token, rel: Relation, reader: Reader, lex: Lexicon,
                            lemma: str) -> tuple[list[str], list[Token]]:
    """A trigger verb's agents (the values) and patients (the targets), with the agents the
    clause adds: "as did B", "and by B", "A joined B in signing X", "A, together with B",
    "A signed the accord with B"; "signed what is called X" names the patient."""
    values = [p for a in verb_agents(verb) for p in reader.parties(a)]
    targets = verb_patients(verb, rel)
    for c in verb.children:  # "A attended, as did B and C"; "signed by A, and by B"
        if c.dep_ == "advcl" and c.lemma_.lower() in lex.pro_verbs and any(m.lower_ == "as" for m in c.children):
            values += [p for s in c.children if s.dep_ in SUBJECT_DEPS for p in reader.parties(s) if p not in values]
        if c.dep_ == "conj" and c.lower_ == "by" and is_passive(verb):
            values += [p for o in c.children if o.dep_ == "pobj" for p in reader.parties(o) if p not in values]
    naming = [c for c in verb.children if c.dep_ == "ccomp" and c.lemma_.lower() in lex.naming_verbs]
    if not targets and naming:  # "signed what is called the Abraham Accord"
        targets = [o for c in naming for o in c.children if o.dep_ in ("oprd", "attr", "dobj") and o.lower_ != "what"]
    joined = verb.head.head if verb.dep_ == "pcomp" and verb.head.lower_ == "in" else None
    if joined is not None and joined.lemma_.lower() in lex.joining_verbs:  # "A joined B and C in signing X"
        values += [p for o in joined.children if o.dep_ in OBJECT_DEPS for p in reader.parties(o) if p not in values]
    if values:
        values += [p for p in co_agents([verb, *targets, *naming], reader) if p not in values]
    if values and rel.co_agent_preps and lemma in rel.verbs:  # "A signed the accord with B": B signed too
        values += [p for t in [verb, *targets, *naming] for c in t.children if c.dep_ == "prep" and c.lower_ in rel.co_agent_preps
                   for o in c.children if o.dep_ == "pobj" for p in reader.parties(o)
                   if reader.mentions.by_token.get(o.i) is not None and is_person(o, p, reader)]
    return values, targets


def pro_verb_relation(verb: Token, reader: Reader, lex: Lexicon) -> Iterator[RelationHit]:
    """"A signed the text, but B left without doing so": B's act is the earlier verb's."""
    previous = [t for t in verb.sent if t.i < verb.i and t.pos_ == "VERB"]
    for earlier in reversed(previous):
        for rel in lex.relations:
            if earlier.lemma_.lower() in rel.verbs:
                agents = [p for a in verb_agents(verb) for p in reader.parties(a)]
                if agents:
                    yield from emit_hits(rel, agents, verb_patients(earlier, rel), verb, polarity(verb, lex), hedged(verb, lex), reader)
                return


def adjective_relation(adj: Token, rel: Relation, reader: Reader, lex: Lexicon) -> Iterator[RelationHit]:
    """"A was present at the summit": the copula's subject, the adjective's preposition's object."""
    verb = adj.head
    if unrealized(verb, lex):
        return
    values = [p for s in verb.children if s.dep_ in SUBJECT_DEPS for p in reader.parties(s)]
    targets = [o for t in (adj, verb) for c in t.children if c.dep_ == "prep" and c.lower_ in rel.adjectives[adj.lemma_.lower()]
               for o in c.children if o.dep_ == "pobj"]
    if values and targets:
        yield from emit_hits(rel, values, targets, adj, polarity(verb, lex), hedged(verb, lex), reader)
