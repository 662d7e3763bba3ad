"""The rule language: text -> grammar -> AST -> type check (SPEC sections 2 and 8).

Only this package imports lark. `parse_text`/`parse_file` build the frozen AST of
`factcheck.dsl.ast`, `check` type-checks it against the predicate registry (and returns the
normalised RuleFile the engine should use), `check_all` collects every type error for lint,
`unparse` prints a RuleFile back as rule-file text.

The names are imported lazily, so `from factcheck.dsl import ast` (the engine does) never
loads lark.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the exports' types; at run time `__getattr__` imports them on first use
    from factcheck.dsl.parser import parse_file, parse_text
    from factcheck.dsl.recovery import parse_all
    from factcheck.dsl.types import check, check_all
    from factcheck.dsl.unparse import strip_positions, unparse

_EXPORTS = {
    "parse_text": "factcheck.dsl.parser",
    "parse_file": "factcheck.dsl.parser",
    "parse_all": "factcheck.dsl.recovery",
    "check": "factcheck.dsl.types",
    "check_all": "factcheck.dsl.types",
    "unparse": "factcheck.dsl.unparse",
    "strip_positions": "factcheck.dsl.unparse",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'factcheck.dsl' has no attribute {name!r}")
    loaded = importlib.import_module(module)
    # Importing `factcheck.dsl.unparse` binds the *module* to this package's name `unparse`;
    # bind every export of that module to its function instead, once and for all.
    for export, where in _EXPORTS.items():
        if where == module:
            globals()[export] = getattr(loaded, export)
    return globals()[name]
