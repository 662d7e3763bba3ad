"""factcheck: check news articles against what an editor knows.

The public surface only: the version, `hookimpl` for plugins, `check()` and `parse_rules()`,
and the `Fact` / `Verdict` / `Result` types. Everything heavy is imported lazily.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from factcheck.model import Fact, Result, Verdict  # noqa: F401

_LAZY = {"Fact": "factcheck.model", "Verdict": "factcheck.model", "Result": "factcheck.model", "Run": "factcheck.model"}


def check(rules, sources, entities=(), **kwargs):
    """The consistency report (a `model.Run`) of rule files over source globs."""
    from factcheck.run import runner

    return runner.check(list(rules), list(sources), list(entities), **kwargs)


def parse_rules(path: str):
    """The parsed (not type-checked) AST of one rule file."""
    from factcheck.dsl import parse_file

    return parse_file(path)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    if name == "hookimpl":
        from factcheck.plugin.hookspecs import hookimpl

        return hookimpl
    raise AttributeError(name)
