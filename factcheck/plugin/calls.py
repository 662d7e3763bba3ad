"""Calling hooks, one plugin at a time, each kept apart from the run: what a plugin prints
goes to stderr, and a third-party plugin that raises, or answers something its hook does not
promise (`hookspecs.answer_problem`), costs only its own answer to that call, with one
warning naming it. factcheck's own plugins failing is a bug, and raises."""
from __future__ import annotations

import contextlib
import sys
from dataclasses import dataclass
from typing import Any, Iterator, Mapping

from factcheck.errors import SourceError
from factcheck.plugin import hookspecs
from factcheck.plugin.manager import OWN, FactcheckPluginManager, describe


def answers(pm: FactcheckPluginManager, hook: str, skip: frozenset[str] = frozenset(),
            **args: Any) -> Iterator[tuple[str, Any]]:
    """(plugin name, answer) of each implementation of `hook` (but the plugins in `skip`), in
    pluggy's calling order, None and unusable answers left out (see `ask`); lazily, so a
    caller taking the first answer calls no further plugin."""
    for impl in reversed(getattr(pm.hook, hook).get_hookimpls()):
        if impl.plugin_name in skip:
            continue
        answer = ask(pm, impl.plugin_name, hook + _where(args), impl.function,
                     [args[a] for a in impl.argnames], hook, args)
        if answer is not None:
            yield impl.plugin_name, answer


def ask(pm: FactcheckPluginManager, plugin: str, what: str, func: Any, args: list[Any], contract: str,
        context: Mapping[str, Any]) -> Any:
    """`func(*args)` of `plugin`, kept apart: stdout goes to stderr while it runs, and its
    answer is checked against `contract` (`hookspecs.answer_problem`). When a third-party
    plugin raises (SystemExit too) or answers something unusable: one warning naming it and
    `what` it was asked, and None. Our own plugins failing is a bug, and raises (for an
    extractor, that source becomes an error); so do KeyboardInterrupt and a SourceError (a
    plugin saying a file cannot be read)."""
    own = plugin in OWN
    try:
        with contextlib.redirect_stdout(sys.stderr):
            answer = func(*args)
    except (KeyboardInterrupt, SourceError):
        raise
    except BaseException as exc:  # noqa: BLE001 - one plugin's bug costs only its own answer
        if own:
            raise
        problem: str | None = f"failed: {describe(exc)}"
    else:
        problem = None if answer is None else hookspecs.answer_problem(contract, answer, context)
    if problem is None:
        return answer
    if own:
        raise ValueError(f"plugin `{plugin}`: {what} {problem}")
    pm.dropped += 1
    pm.warn(f"factcheck: warning: plugin `{plugin}`: {what} {problem}; its answer is ignored")
    return None


def first_answer(pm: FactcheckPluginManager, hook: str, **args: Any) -> Any:
    """The first usable answer of a `firstresult` hook, or None."""
    return next((answer for _, answer in answers(pm, hook, **args)), None)


def _where(args: Mapping[str, Any]) -> str:
    if args.get("source") is not None:
        return f" on {args['source'].name}"
    return f" on {args['path']}" if "path" in args else ""


@dataclass(frozen=True, slots=True)
class KeptComparator:
    """A plugin's comparator as the engine sees it: called like a hook (`ask`), so that a
    failure or an unusable verdict is a warning and None, and the engine decides."""

    pm: FactcheckPluginManager
    plugin: str
    comparator: Any

    def compare(self, stated: Any, op: str, asserted: str) -> str | None:
        return ask(self.pm, self.plugin, "comparator compare", self.comparator.compare, [stated, op, asserted],
                   "Comparator.compare", {})

    def consistent(self, facts_by_source: Mapping[str, Any]) -> Mapping[str, Any] | None:
        return ask(self.pm, self.plugin, "comparator consistent", self.comparator.consistent, [facts_by_source],
                   "Comparator.consistent", {})

