"""Verdicts kept across runs: a cell (one assertion on one source) whose source, facts,
assertion and evaluation code are unchanged is not evaluated again.

This is what makes the re-run after a rule edit quick: the facts come from the fact cache,
and so do the verdicts of every assertion the edit left alone. Only the new or changed
assertions are evaluated, and only their predicates' facts are decoded.

A verdict is kept under two keys:
- the source's cell (`cache_keys.cell_key`): its fact key (text, metadata, knowledge base,
  model, extraction code, plugins) and its name, which verdicts quote;
- the assertion's digest (`cache_keys.assertion_digest`): the assertion as written, its
  `@skip` reason, and the evaluation context (the engine's and the rule language's code, the
  predicate specs, the plugins' comparators).

One source's verdicts are read with one index lookup. A verdict is kept as `factcheck.kept`
stores it: the JSON report splices its text in, and nothing decodes it unless a report reads
its fields. `consistent` assertions are decided across sources and are never kept. Verdicts
live in the fact cache's file (`FactCache.get_kept`, `put_kept`), so `factcheck cache clear`
empties them too.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Mapping, Sequence

from factcheck.dsl import ast
from factcheck.kept import Kept
from factcheck.model import Verdict
from factcheck.run.cache_keys import assertion_digest, cell_key, evaluation_context

if TYPE_CHECKING:
    from factcheck.run.cache import FactCache
    from factcheck.run.rules import Rules

WRITE_EVERY = 4_000  # verdicts per cache transaction


class VerdictMemo:
    """The kept verdicts of one run's rules, in one cache."""

    def __init__(self, rules: "Rules", cache: "FactCache") -> None:
        self.cache = cache
        context = evaluation_context(rules.predicates, rules.comparators)
        assertions = rules.assertions
        self._digests: list[str | None] = [
            None if isinstance(a.body, ast.Consistent) else assertion_digest(context, a.text, a.skip)
            for _, a in assertions]
        self._positions: dict[str, list[int]] = {}  # an assertion written twice has one digest
        for k, d in enumerate(self._digests):
            if d is not None:
                self._positions.setdefault(d, []).append(k)
        self._predicates = [frozenset(r.predicate for r in ast.fact_refs(a.body)) for _, a in assertions]
        self._pending: list[tuple[str, str, Kept]] = []
        self.unknown_cells = 0  # how many cells `lacking` found without a kept verdict
        self.kept_assertions = sum(d is not None for d in self._digests)  # assertions whose verdicts are kept

    def known(self, indices: Sequence[int], fact_keys: Sequence[str],
              names: Sequence[str]) -> dict[int, dict[int, Kept]]:
        """The kept verdicts of these sources: source index -> assertion position -> Kept."""
        cells = {cell_key(fact_keys[i], names[i]): i for i in indices}
        out: dict[int, dict[int, Kept]] = {}
        for (cell, digest), v in self.cache.get_kept(list(cells), set(self._positions)).items():
            for k in self._positions[digest]:
                out.setdefault(cells[cell], {})[k] = v
        return out

    def lacking(self, known: Mapping[int, Mapping[int, Kept]], indices: Sequence[int]) -> set[int]:
        """The assertion positions that some of these sources have no kept verdict for in
        `known` (what `known` found); `unknown_cells` counts those cells."""
        positions = {k for ks in self._positions.values() for k in ks}
        lacking: set[int] = set()
        self.unknown_cells = 0
        for i in indices:
            missing = positions - known.get(i, {}).keys()
            lacking |= missing
            self.unknown_cells += len(missing)
        return lacking

    def predicates(self, positions: set[int]) -> frozenset[str]:
        """The predicates whose facts these assertions and every `consistent` one read."""
        return frozenset().union(*(p for k, p in enumerate(self._predicates)
                                   if k in positions or self._digests[k] is None))

    def keep(self, fact_key: str, name: str, computed: Mapping[int, Verdict]) -> None:
        """Keep the verdicts a source's evaluation computed (written in batches; `flush`)."""
        cell = cell_key(fact_key, name)
        digests = self._digests
        self._pending += [(cell, d, Kept.of(v)) for k, v in computed.items() if (d := digests[k]) is not None]
        if len(self._pending) >= WRITE_EVERY:
            self.flush()

    def flush(self) -> None:
        self.cache.put_kept(self._pending)
        self._pending = []
