"""Completion by place: in `pred(|` the KB's names (events for an event predicate, entities
otherwise), after `)` the operators that fit the predicate's type, after an operator the
KB's entity names, in a `use "` line the knowledge bases beside the rule file, elsewhere the
predicates and the keywords."""
from __future__ import annotations

import glob
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - types only
    from factcheck.desk.lsp.project import Project

KEYWORDS = ("test", "use", "consistent", "not", "and", "or")
DECORATORS = ("@warning", "@info", "@skip")
_OPEN_ARG = re.compile(r"(\w+)\(([^()]*)$")
_AFTER_FACT = re.compile(r"(\w+)\(([^()]*)\)\s*([\w=!<>~]*)$")
_AFTER_OP = re.compile(r"(\w+)\(([^()]*)\)\s*(==|!=|<=|>=|<|>|~=|includes all|includes any|includes|excludes|in)"
                       r"\s+\{?(?:[^{}]*,\s*)?([^,{}]*)$")


@dataclass(frozen=True, slots=True)
class Item:
    label: str
    kind: str  # predicate, operator, entity, event, keyword
    detail: str = ""


def completions(text: str, path: str, line: int, character: int, project: Project) -> list[Item]:
    from factcheck.dsl.ast import OPERATORS
    from factcheck.predicates import EVENT, OPERATORS_BY_TYPE

    lines = text.splitlines()
    prefix = (lines[line] if line < len(lines) else "")[:character]
    if re.match(r'\s*use\s+"[^"]*$', prefix):  # the knowledge bases beside the rule file
        folder = os.path.dirname(os.path.abspath(path))
        return [Item(os.path.relpath(f, folder), "file", "knowledge base")
                for f in sorted(glob.glob(os.path.join(glob.escape(folder), "**", "*.entities.y*ml"), recursive=True))]
    kb = project.kb(path, text)
    predicates = project.predicates(kb)
    m = _OPEN_ARG.search(prefix)
    if m:
        spec = predicates.get(m.group(1))
        events = [Item(name, "event", _event_detail(e)) for name, e in kb.events.items()]
        entities = [Item(name, "entity", _entity_detail(e)) for name, e in kb.entities.items()]
        if spec is not None and spec.argument == EVENT:
            return events
        return entities if spec is not None else entities + events
    m = _AFTER_OP.search(prefix)
    if m:
        return [Item(name, "entity", _entity_detail(e)) for name, e in kb.entities.items()]
    m = _AFTER_FACT.search(prefix)
    if m:
        spec = predicates.get(m.group(1))
        ops = OPERATORS_BY_TYPE.get(spec.value_type, OPERATORS) if spec is not None else OPERATORS
        return [Item(op, "operator", f"{spec.name} yields {spec.value_type}" if spec else "") for op in ops]
    items = [Item(name, "predicate", (spec.description + (f" - e.g. {spec.example}" if spec.example else "")))
             for name, spec in sorted(predicates.items())]
    items += [Item(k, "keyword") for k in KEYWORDS]
    if not prefix.strip():
        items += [Item(d, "keyword", "decorator for the next test") for d in DECORATORS]
    return items


def _entity_detail(e) -> str:
    bits = [e.type or "entity"]
    if e.aliases:
        bits.append("also " + ", ".join(e.aliases[:3]))
    return "; ".join(bits)


def _event_detail(e) -> str:
    return "event" + (f": {e.kind}" if e.kind else "") + (f" in {e.place}" if e.place else "")
