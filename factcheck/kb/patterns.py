"""Relation patterns: the one YAML vocabulary of who-did-what relations, for the built-in
relations (`factcheck/extract/patterns.yaml`) and for editors' predicates in a knowledge base
(`predicates:` with these keys). No spaCy here: `lint` checks a KB's predicates with it.

  argument:            entity | event: what the fact is about (backers(LNA) vs signed(ceasefire))
  verbs:               lemmas where the agent is the value: "A backs X", "A signed X"
  prep_verbs:          verb -> prepositions that introduce the patient: "A participates in X"
  inverse_verbs:       lemmas where the patient is the value: "X will involve A, B and C"
  passive_value_verbs: the passive subject is the value: "A and B are invited (to X)"
  nouns:               relational nouns: "A is the main backer of X", "A, head of X"
  action_nouns:        the verb as a noun: "Turkish support for X", "at the invitation of A"
  titles:              the nouns also work as titles before a name: "Turkish President A"
  family:              the event family an implicit patient refers to: "left without signing"
  light_verbs:         "VERB NOUN" -> prepositions of the patient: "A took part in X"
  kind_verbs:          verb -> event kinds it must have as object: "A held a summit"
  co_agent_preps:      "A signed X with B": a person after these is an agent too
  negative_verbs:      verbs that deny the relation: "A boycotted the summit"
  adjectives:          adjective -> prepositions of the patient: "A was present at X"
"""
from __future__ import annotations

from dataclasses import dataclass, field

from factcheck.kb.kinds import kind_key
from factcheck.kb.vocabulary import PatternProblem, word_set

RELATION_KEYS = {"argument", "verbs", "prep_verbs", "inverse_verbs", "passive_value_verbs", "nouns", "action_nouns",
                 "titles", "family", "light_verbs", "kind_verbs", "co_agent_preps", "negative_verbs", "adjectives"}


@dataclass(frozen=True, slots=True)
class Relation:
    predicate: str
    argument: str  # "entity" or "event": what the subject of the fact is
    verbs: frozenset[str]  # agent VERB patient: "A backs X", "A signed X"
    prep_verbs: dict[str, frozenset[str]]  # verb -> prepositions introducing the patient: participate in
    inverse_verbs: frozenset[str]  # patient-as-value: "the conference will involve A, B"
    passive_value_verbs: frozenset[str]  # "A and B are invited (to X)": the passive subject is the value
    nouns: frozenset[str]  # "A is the main backer of X", "A, head of X"
    action_nouns: frozenset[str]  # the verb as a noun: "Turkish support for the GNA", "support from Iran"
    titles: bool  # nouns also work as titles: "GNA leader X", "Turkish President X"
    family: str | None  # event family used when the patient is left implicit ("left without signing")
    light_verbs: dict[str, tuple[str, frozenset[str]]] = field(default_factory=dict)  # "take part in": take -> (part, {in})
    kind_verbs: dict[str, frozenset[str]] = field(default_factory=dict)  # "hold a summit": hold counts when its object is one of these kinds
    co_agent_preps: frozenset[str] = frozenset()  # "A signed X with B": B (a person) is an agent too
    negative_verbs: frozenset[str] = frozenset()  # "A boycotted the summit": the relation denied
    adjectives: dict[str, frozenset[str]] = field(default_factory=dict)  # "A was present at X": adjective -> prepositions of the patient

    def triggers(self, lemma: str) -> bool:
        return (lemma in self.verbs or lemma in self.prep_verbs or lemma in self.inverse_verbs
                or lemma in self.passive_value_verbs or lemma in self.light_verbs or lemma in self.kind_verbs
                or lemma in self.negative_verbs)


def relation_from_spec(name: str, spec: dict, where: str) -> Relation:
    """A relation pattern from its YAML: the same keys for the built-in relations
    (`patterns.yaml`) and for editors' predicates in a knowledge base (`predicates:`).
    A mistake raises PatternProblem(path, message)."""
    unknown = set(spec) - RELATION_KEYS
    if unknown:
        raise PatternProblem(f"{where}.{sorted(unknown)[0]}", f"unknown key; known: {', '.join(sorted(RELATION_KEYS))}")
    for key in ("prep_verbs", "light_verbs", "kind_verbs", "adjectives"):
        if not isinstance(spec.get(key) or {}, dict) or not all(
                isinstance(v, list) for v in (spec.get(key) or {}).values()):
            raise PatternProblem(f"{where}.{key}", "must map words to lists of words")
    if any(len(k.split()) != 2 for k in (spec.get("light_verbs") or {})):
        raise PatternProblem(f"{where}.light_verbs", 'each key is a verb and its noun: "take part"')
    if spec.get("argument", "entity") not in ("entity", "event"):
        raise PatternProblem(f"{where}.argument", "must be entity or event")
    return Relation(
        predicate=name,
        argument=spec.get("argument", "entity"),
        verbs=word_set(spec, "verbs", where),
        prep_verbs={k.lower(): frozenset(v) for k, v in (spec.get("prep_verbs") or {}).items()},
        inverse_verbs=word_set(spec, "inverse_verbs", where),
        passive_value_verbs=word_set(spec, "passive_value_verbs", where),
        nouns=word_set(spec, "nouns", where),
        action_nouns=word_set(spec, "action_nouns", where),
        titles=bool(spec.get("titles", False)),
        family=spec.get("family"),
        light_verbs={k.split()[0].lower(): (k.split()[1].lower(), frozenset(v))
                     for k, v in (spec.get("light_verbs") or {}).items()},
        kind_verbs={k.lower(): frozenset(kind_key(w) for w in v) for k, v in (spec.get("kind_verbs") or {}).items()},
        co_agent_preps=word_set(spec, "co_agent_preps", where),
        negative_verbs=word_set(spec, "negative_verbs", where),
        adjectives={k.lower(): frozenset(v) for k, v in (spec.get("adjectives") or {}).items()},
    )
