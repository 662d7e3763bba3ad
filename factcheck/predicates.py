"""What a predicate is, which predicates are built in, and which operators fit which type.

Pure data: the type checker (`dsl/types.py`) and the engine read it; the extractors
produce facts named after it. Plugins and editor-defined YAML predicates add
`PredicateSpec`s of their own through the same registry.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from factcheck.model import Fact, Subject, Verdict

class ArgumentKind(StrEnum):
    """What the argument of a predicate names."""

    EVENT = "event"
    ENTITY = "entity"
    THING = "thing"


class ValueType(StrEnum):
    """What a predicate yields."""

    DATE = "date"
    QUANTITY = "quantity"
    ENTITIES = "entities"
    BOOLEAN = "boolean"
    NUMBER = "number"
    STRING = "string"


EVENT, ENTITY, THING = ArgumentKind
DATE, QUANTITY, ENTITIES, BOOLEAN, NUMBER, STRING = ValueType
VALUE_TYPES = tuple(ValueType)

ORDERED_OPS = ("==", "!=", "<", "<=", ">", ">=", "in")
SET_OPS = ("includes", "excludes", "includes all", "includes any", "==", "!=", "in")
OPERATORS_BY_TYPE: dict[str, tuple[str, ...]] = {
    DATE: ORDERED_OPS,
    QUANTITY: ORDERED_OPS,
    NUMBER: ORDERED_OPS,
    ENTITIES: SET_OPS,
    STRING: ("==", "!=", "in", "~="),
    BOOLEAN: (),  # stands alone: mentions(X), not mentions(X)
}


@dataclass(frozen=True, slots=True)
class PredicateSpec:
    name: str
    argument: str  # EVENT, ENTITY or THING
    value_type: str  # one of VALUE_TYPES
    unit_kind: str | None = None  # "time": quantities must be durations
    description: str = ""
    example: str = ""  # a valid assertion, used in error hints
    origin: str = "builtin"  # "builtin", a plugin's name, or a YAML file


BUILTIN_PREDICATES: dict[str, PredicateSpec] = {
    p.name: p
    for p in (
        PredicateSpec("date", EVENT, DATE, description="when an event takes place",
                      example="date(Berlin summit) == 2020-01-19"),
        PredicateSpec("start", EVENT, DATE, description="when an event (a truce, an offensive) begins",
                      example="start(ceasefire) == 2020-01-12"),
        PredicateSpec("duration", EVENT, QUANTITY, unit_kind="time", description="how long an event lasts",
                      example="duration(Tripoli offensive) == 9 months"),
        PredicateSpec("backers", ENTITY, ENTITIES, description="who backs a party",
                      example="backers(LNA) includes Russia"),
        PredicateSpec("leader", ENTITY, ENTITIES, description="who leads a party",
                      example="leader(GNA) == Serraj"),
        PredicateSpec("signed", EVENT, ENTITIES, description="who signed a document (negative: refused)",
                      example="signed(ceasefire) includes Serraj"),
        PredicateSpec("hosts", EVENT, ENTITIES, description="who hosts an event",
                      example="hosts(Berlin summit) includes Germany"),
        PredicateSpec("attendees", EVENT, ENTITIES, description="who attends or is invited to an event",
                      example="attendees(Berlin summit) includes Turkey"),
        PredicateSpec("mentions", THING, BOOLEAN, description="whether the source mentions it at all",
                      example="mentions(Jordan)"),
    )
}


class Linker(Protocol):
    """How the engine links an assertion's words to what the extractors found.

    Implemented by `factcheck.kb.store.KnowledgeBase`; pure (no spaCy, no I/O)."""

    def subject_matches(self, spec: PredicateSpec, argument: str, subject: Subject) -> bool:
        """Does a fact about `subject` bear on `spec.name(argument)`?

        Entities: the same canonical entity, or one that is `part_of` it (facts about Haftar
        count for the LNA). Events: the KB event by alias, or its kind's synonyms plus its
        place (stated, or implied by a country that contains it)."""
        ...

    def value_matches(self, asserted: str, stated: str) -> bool:
        """Does the stated entity value count as the asserted one? Same canonical entity,
        or the stated one is `part_of` the asserted one."""
        ...

    def canonical(self, name: str) -> str:
        """The canonical name of an entity as an editor wrote it (`Sarraj` -> `Serraj`)."""
        ...


class Comparator(Protocol):
    """How a plugin compares the values of its own predicates (see the hook
    `factcheck.plugin.hookspecs.factcheck_comparators`, which re-exports this protocol).

    The engine asks it first and falls back to its own rules on None."""

    def compare(self, stated: object, op: str, asserted: str) -> str | None:
        """`pass`, `fail` or `unknown` for one stated value (any value a fact of the predicate
        holds) against the asserted text, or None (not mine: the engine decides)."""
        ...

    def consistent(self, facts_by_source: Mapping[str, Sequence[Fact]]) -> Mapping[str, Verdict] | None:
        """`consistent FACT` across sources: a Verdict per source name, given each source's
        positive facts that bear on FACT; or None (the engine decides)."""
        ...
