"""A relation hit, and how a relation's values and targets become hits: the targets are
parties, or events (an implicit patient, "left without signing", is the salient event of
the relation's family)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from spacy.tokens import Token

from factcheck.extract.clause_arguments import names_people
from factcheck.extract.lexicon import Relation
from factcheck.extract.relation_reader import Reader
from factcheck.model import Subject


@dataclass(frozen=True, slots=True)
class RelationHit:
    predicate: str
    subject: Subject  # the party (entity) or the event the fact is about
    value: str  # the canonical party that is the fact's value
    polarity: bool
    hedged: bool
    trigger: Token


def emit_hits(rel: Relation, values: list[str], targets: list[Token], trigger: Token, pol: bool, hed: bool,
              reader: Reader) -> Iterator[RelationHit]:
    """A hit for every subject the targets name and every value (a party never related to itself)."""
    subjects: list[Subject] = []
    if rel.argument == "event":
        for t in targets:
            for tt in [t] + list(t.conjuncts):
                s = reader.event(tt, rel.family)
                if s is not None:
                    subjects.append(s)
        if targets and not subjects and trigger.pos_ in ("VERB", "AUX"):  # "hosted leaders for a summit"
            for c in trigger.children:
                if c.dep_ == "prep" and c.lower_ in ("for", "at"):
                    subjects += [s for o in c.children if o.dep_ == "pobj" and (s := reader.event(o, rel.family))]
            if not subjects and rel.family and all(names_people(t, reader) for t in targets):
                m = reader.events.salient(trigger.i, rel.family)  # "Merkel hosted leaders of 11 countries"
                if m is not None:
                    subjects.append(m.subject)
        if not targets and rel.family:
            m = reader.events.salient(trigger.i, rel.family)
            if m is not None:
                subjects.append(m.subject)
    else:
        subjects = [Subject("entity", p) for t in targets for p in reader.parties(t)]
    for subject in subjects:
        for value in values:
            if rel.argument == "entity" and value == subject.name:
                continue
            yield RelationHit(rel.predicate, subject, value, pol, hed, trigger)
