"""`factcheck predicates`: the predicate reference, from the same specs the engine uses.

Every predicate the plugin host registers through `factcheck_predicates`: the built-ins,
the knowledge base's YAML predicates (`predicates:` in a KB file given with --entities or
the config's `entities`) and third-party plugins'. For each: what its argument names, what
it yields, the operators that fit, what it reads, an example, and where it comes from.
"""
from __future__ import annotations

from typing import Any, Sequence

from factcheck.config import Config
from factcheck.kb.store import load_kb
from factcheck.predicates import BOOLEAN, OPERATORS_BY_TYPE, PredicateSpec
from factcheck.run.rules import predicates_registry

ARGUMENT_WORDS = {"event": "an event", "entity": "an entity", "thing": "an entity or an event"}


def predicate_reference(entities: Sequence[str] = (), config: Config | None = None) -> list[dict[str, Any]]:
    kb_paths = list(entities) + (list(config.entities) if config is not None else [])
    specs = predicates_registry(load_kb(kb_paths), config)
    return [entry(spec) for spec in sorted(specs.values(), key=lambda s: (s.origin != "builtin", s.name))]


def entry(spec: PredicateSpec) -> dict[str, Any]:
    return {
        "name": spec.name,
        "argument": spec.argument,
        "value_type": spec.value_type,
        "unit_kind": spec.unit_kind,
        "operators": list(OPERATORS_BY_TYPE.get(spec.value_type, ())),
        "description": spec.description,
        "example": spec.example,
        "origin": spec.origin,
    }


def render_text(entries: Sequence[dict[str, Any]]) -> str:
    lines: list[str] = []
    for e in entries:
        yields = e["value_type"] + (f" ({e['unit_kind']})" if e["unit_kind"] else "")
        lines.append(f"{e['name']}({e['argument'].upper()}) -> {yields}")
        if e["description"]:
            lines.append(f"    {e['description']}")
        lines.append(f"    argument:  {ARGUMENT_WORDS.get(e['argument'], e['argument'])}")
        if e["value_type"] == BOOLEAN:
            lines.append(f"    operators: none: it stands alone, `{e['name']}(X)` or `not {e['name']}(X)`")
        else:
            lines.append(f"    operators: {', '.join(e['operators'])}")
        if e["example"]:
            lines.append(f"    example:   {e['example']}")
        lines.append(f"    from:      {e['origin']}")
        lines.append("")
    return "\n".join(lines)
