"""Editor-defined predicates: new predicates written only in YAML (SPEC section 2).

A `predicates:` section in a knowledge-base file (one a rule file `use`s, or one listed in
the config's `entities`) defines predicates that then work in rule files exactly like the
built-in ones: type check, extraction with polarity and hedging, evidence, reports.

```yaml
predicates:
  mediators:
    argument: event                 # entity | event: what the argument names
    value_type: entities            # entities | date | number | quantity | string
    description: who mediates talks between the parties
    triggers: [mediator, mediate, broker]   # words or lemmas (case-insensitive)
    value:                          # roles: where, from a trigger, the values are
      - {dep: [amod, compound]}     #   "through Turkish and Russian mediators"
      - {dep: [nsubj]}              #   "Turkey mediated the talks"
      - {path: [agent, pobj]}       #   "talks mediated by Turkey"
    subject:                        # optional: where the argument is; default: the nearest
      - {prep: [between, of]}       #   event (or entity) the trigger's phrase belongs to
```

A role is a mapping, or a list of mappings (alternatives), with one of:
* `dep: [labels]`: the trigger's children with these dependency labels; a preposition found
  so stands for its object ("mediated by Turkey": `dep: [agent]` gives Turkey);
* `prep: [words]`: the objects of the trigger's prepositions with these words;
* `path: [labels]`: a chain of dependency labels walked down from the trigger.
Conjuncts come along ("Turkish and Russian mediators" gives Turkey and Russia).

Or written like the built-in relations, in the same vocabulary as `factcheck/extract/patterns.yaml`
(see `factcheck.kb.patterns`): `verbs`, `nouns`, `action_nouns`, `prep_verbs`, `light_verbs`,
`kind_verbs`, `inverse_verbs`, `passive_value_verbs`, `negative_verbs`, `adjectives`,
`co_agent_preps`, `titles`, `family`. Such a predicate's value is a set of parties, read by the
built-in relations' interpreter in every form they are (active, passive, relative clause,
participle, control, coordination, apposition, negation, hedging, possibility):

```yaml
predicates:
  mediators:
    argument: event
    verbs: [mediate, broker]            # "Qatar mediated the talks", "talks mediated by Qatar"
    nouns: [mediator]                   # "Qatar is the main mediator of the talks"
    action_nouns: [mediation]           # "Qatari mediation of the talks"
```

This module checks definitions (every mistake is a KnowledgeBaseError naming the YAML path,
`predicates.mediators.value_type must be one of ...`); `factcheck.plugin.yaml_predicates`
registers them through the hooks and `factcheck.extract.custom` reads them in articles.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from factcheck.errors import KnowledgeBaseError
from factcheck.kb.patterns import RELATION_KEYS, PatternProblem, Relation, relation_from_spec
from factcheck.predicates import DATE, ENTITIES, ENTITY, EVENT, NUMBER, QUANTITY, STRING, PredicateSpec

if TYPE_CHECKING:  # pragma: no cover
    from factcheck.kb.store import KnowledgeBase

ARGUMENTS = (ENTITY, EVENT)
VALUE_TYPES = (ENTITIES, DATE, NUMBER, QUANTITY, STRING)  # a YAML predicate's values (no boolean)
KEYS = ("argument", "value_type", "description", "example", "triggers", "value", "subject")
# The relation vocabulary of the built-in relations (factcheck/kb/patterns.py) works here too.
PATTERN_KEYS = tuple(sorted(RELATION_KEYS - {"argument"}))
ROLE_KEYS = ("dep", "prep", "path")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class Role:
    """One way from a trigger to a role's tokens: `how` is dep, prep or path."""

    how: str
    labels: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CustomPredicate:
    """A checked editor-defined predicate."""

    spec: PredicateSpec
    triggers: frozenset[str]
    value: tuple[Role, ...]
    subject: tuple[Role, ...] = ()
    relation: Relation | None = None  # written in the built-in relations' vocabulary (verbs, nouns, ...)


def definitions(kb: "KnowledgeBase | None") -> tuple[CustomPredicate, ...]:
    """Every predicate defined in the KB's `predicates:` sections, checked (KnowledgeBaseError)."""
    if kb is None or not kb.predicate_defs:
        return ()
    out: list[CustomPredicate] = []
    seen: dict[str, str] = {}
    for defs in kb.predicate_defs:
        for p in _parse_section(defs.file, _freeze(defs.data)):
            if p.spec.name in seen:
                raise KnowledgeBaseError(f"predicate `{p.spec.name}` is defined twice (also in {seen[p.spec.name]})",
                                         defs.file)
            seen[p.spec.name] = defs.file
            out.append(p)
    return tuple(out)


def _freeze(data: Any) -> Any:
    """A hashable copy of YAML data, so parsed definitions can be memoised."""
    if isinstance(data, dict):
        return tuple((k, _freeze(v)) for k, v in data.items())
    if isinstance(data, list):
        return ("__list__", tuple(_freeze(v) for v in data))
    return data


def _thaw(data: Any) -> Any:
    if isinstance(data, tuple) and data[:1] == ("__list__",):
        return [_thaw(v) for v in data[1]]
    if isinstance(data, tuple):
        return {k: _thaw(v) for k, v in data}
    return data


@lru_cache(maxsize=64)
def _parse_section(file: str, frozen: Any) -> tuple[CustomPredicate, ...]:
    data = _thaw(frozen)
    if not isinstance(data, dict):
        raise KnowledgeBaseError("`predicates` must map predicate names to their definitions", file,
                                 hint="predicates:\n  mediators: {argument: event, value_type: entities, ...}")
    return tuple(_parse_one(file, str(name), body) for name, body in data.items())


def _parse_one(file: str, name: str, body: Any) -> CustomPredicate:
    where = f"predicates.{name}"

    def fail(message: str, hint: str | None = None) -> KnowledgeBaseError:
        return KnowledgeBaseError(message, file, hint=hint)

    if not _NAME.match(name):
        raise fail(f"{where}: a predicate name is one word of letters, digits and _, not `{name}`")
    if not isinstance(body, dict):
        raise fail(f"{where} must be a mapping with argument, value_type, triggers and value")
    known = KEYS + PATTERN_KEYS
    for key in body:
        if key not in known:
            close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
            raise fail(f"{where}.{key} is not a known key",
                       f"did you mean `{close[0]}`?" if close else "known keys: " + ", ".join(known))
    pattern = {k: v for k, v in body.items() if k in PATTERN_KEYS}
    if pattern:
        return _parse_relation(file, name, where, body, pattern, fail)
    for key in ("argument", "value_type", "triggers", "value"):
        if body.get(key) in (None, "", []):
            raise fail(f"{where}.{key} is missing")
    argument, value_type = body["argument"], body["value_type"]
    if argument not in ARGUMENTS:
        raise fail(f"{where}.argument must be one of {', '.join(ARGUMENTS)}, not `{argument}`")
    if value_type not in VALUE_TYPES:
        raise fail(f"{where}.value_type must be one of {', '.join(VALUE_TYPES)}, not `{value_type}`")
    triggers = body["triggers"]
    if isinstance(triggers, str):
        triggers = [triggers]
    if not isinstance(triggers, list) or not all(isinstance(t, str) and t.strip() for t in triggers):
        hint = ("YAML reads on, off, yes and no as true or false: quote them (\"on\")"
                if isinstance(triggers, list) and any(isinstance(t, bool) for t in triggers) else None)
        raise fail(f"{where}.triggers must be a list of words or lemmas", hint)
    for key in ("description", "example"):
        if body.get(key) is not None and not isinstance(body[key], str):
            raise fail(f"{where}.{key} must be text")
    spec = PredicateSpec(name, argument, value_type, description=body.get("description") or "",
                         example=body.get("example") or "", origin=file)
    return CustomPredicate(spec, frozenset(t.strip().lower() for t in triggers),
                           _roles(f"{where}.value", body["value"], fail),
                           _roles(f"{where}.subject", body.get("subject"), fail))


def _parse_relation(file: str, name: str, where: str, body: dict, pattern: dict, fail) -> CustomPredicate:
    """A predicate written like the built-in relations (`verbs: [mediate]`, `nouns: [mediator]`,
    ...): a set of parties, read by the same interpreter in every form the built-ins are."""
    argument = body.get("argument")
    if argument not in ARGUMENTS:
        raise fail(f"{where}.argument must be one of {', '.join(ARGUMENTS)}, not `{argument}`")
    if body.get("value_type", ENTITIES) != ENTITIES:
        raise fail(f"{where}.value_type must be entities for a predicate written with {', '.join(sorted(pattern))}")
    for key in ("triggers", "value", "subject"):
        if key in body:
            raise fail(f"{where}.{key} cannot be combined with {', '.join(sorted(pattern))}",
                       "write the predicate either with triggers and roles or with the relation words")
    try:
        relation = relation_from_spec(name, {"argument": argument, **pattern}, where)
    except PatternProblem as p:
        raise fail(f"{p.path}: {p.message}") from None
    spec = PredicateSpec(name, argument, ENTITIES, description=body.get("description") or "",
                         example=body.get("example") or "", origin=file)
    return CustomPredicate(spec, frozenset(), (), (), relation)


def _roles(where: str, data: Any, fail) -> tuple[Role, ...]:
    if data is None:
        return ()
    items = data if isinstance(data, list) else [data]
    out: list[Role] = []
    for i, item in enumerate(items):
        at = f"{where}[{i}]" if isinstance(data, list) else where
        if not isinstance(item, dict) or not item:
            raise fail(f"{at} must be a mapping such as {{dep: [nsubj]}}, {{prep: [between]}} or {{path: [agent, pobj]}}")
        for how, labels in item.items():
            if how not in ROLE_KEYS:
                raise fail(f"{at}.{how} is not a kind of role; use one of {', '.join(ROLE_KEYS)}")
            if isinstance(labels, str):
                labels = [labels]
            if not isinstance(labels, list) or not labels or not all(isinstance(x, str) for x in labels):
                raise fail(f"{at}.{how} must be a list of {'words' if how == 'prep' else 'dependency labels'}")
            out.append(Role(how, tuple(x.strip().lower() if how == "prep" else x.strip() for x in labels)))
    return tuple(out)


# --------------------------------------------------------------------------- hooks
