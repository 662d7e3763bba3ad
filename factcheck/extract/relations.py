"""Relations between parties and events: backers, leader, signed, hosts, attendees.

Which words trigger a relation is data (`patterns.yaml`); `extract_relations` finds the
triggers of a sentence, and the dependency structure around them is read the same way for
every relation (`clause_relations`, `noun_relations`, with `clause_arguments` for a verb's
agents and patients and `relation_reader` for the parties and events a token names):
- active "A backs X", passive "X is backed by A", participle "X, backed by A, B and C",
  relative clause "X, who is backed by A" / "A, who heads X" / "a summit which A is hosting";
- control: "A is suspected of backing X", "A is planning to host X", "convince A to sign";
- coordination: "backed by A, B and C" gives three facts;
- nominal: "A is the main backer of X", "A, head of X", "the commander of X, A", "X leader A",
  "Turkish President A";
- an implicit patient ("left without signing") is the salient event of the relation's family.
Noun phrases resolve to parties through `Mentions`, group nouns ("Haftar's forces",
"Russian mercenaries", "officials from Egypt") and role nouns ("Haftar's rival, Serraj").
"""
from __future__ import annotations

from typing import Iterator, Sequence

from factcheck.extract.clause_arguments import verb_lemmas
from factcheck.extract.clause_relations import adjective_relation, pro_verb_relation, verb_relation
from factcheck.extract.lexicon import Lexicon, Relation, singular
from factcheck.extract.noun_relations import action_noun_relation, compound_title, noun_relation
from factcheck.extract.relation_hits import RelationHit
from factcheck.extract.relation_reader import Reader


def extract_relations(sent, reader: Reader, lex: Lexicon, relations: "Sequence[Relation] | None" = None) -> Iterator[RelationHit]:
    """Every relation hit of the sentence, for the built-in relations or the `relations` given
    (editors' predicates written in the same vocabulary)."""
    rels = lex.relations if relations is None else relations
    for tok in sent:
        lemma = tok.lemma_.lower()
        if tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB"):
            for rel in rels:
                found = next((form for form in verb_lemmas(tok) if rel.triggers(form)), None)
                if found is not None:
                    yield from verb_relation(tok, rel, reader, lex, found)
            if lemma in lex.pro_verbs and any(c.lower_ == "so" for c in tok.children):
                yield from pro_verb_relation(tok, reader, lex)
        if tok.pos_ == "ADJ" and tok.dep_ == "acomp":
            for rel in rels:
                if rel.adjectives and lemma in rel.adjectives:
                    yield from adjective_relation(tok, rel, reader, lex)
        if tok.pos_ in ("NOUN", "PROPN"):
            for rel in rels:
                if lemma in rel.nouns or compound_title(tok) in rel.nouns:
                    for hit in noun_relation(tok, rel, reader, lex):
                        if rel.titles and hit.polarity and not hit.hedged:
                            reader.remember_role(lemma, hit.subject.name, hit.value)
                        yield hit
                if lemma in rel.action_nouns:
                    yield from action_noun_relation(tok, rel, reader, lex)


__all__ = ["Reader", "RelationHit", "extract_relations", "singular"]
