"""The rule language: text -> grammar -> AST -> type check (SPEC sections 2 and 8).

Only this package imports lark. `parse_text`/`parse_file` build the frozen AST of
`factcheck.dsl.ast`, `check` type-checks it against the predicate registry (and returns the
normalised RuleFile the engine should use), `check_all` collects every type error for lint,
`unparse` prints a RuleFile back as rule-file text.
"""
from __future__ import annotations

from factcheck.dsl.parser import parse_file, parse_text
from factcheck.dsl.types import check, check_all
from factcheck.dsl.unparse import strip_positions, unparse

__all__ = ["parse_text", "parse_file", "check", "check_all", "unparse", "strip_positions"]
