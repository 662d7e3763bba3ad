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
its fields. A `consistent` assertion is decided across sources: its verdicts are kept for the
corpus as a whole (every source's cell, in order, `cache_keys.corpus_key`), so they are
taken only when no source of the run changed, was added, removed or renamed. Verdicts
live in the fact cache's file (`FactCache.get_kept`, `put_kept`), so `factcheck cache clear`
empties them too.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Collection, Mapping, Sequence

from factcheck.dsl import ast
from factcheck.kept import Kept
from factcheck.model import Verdict
from factcheck.run.cache_keys import assertion_digest, cell_key, corpus_cell_key, corpus_key, evaluation_context

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
        self._digests = [assertion_digest(context, a.text, a.skip) for _, a in assertions]
        self.across = [isinstance(a.body, ast.Consistent) and not a.skip for _, a in assertions]
        self._positions: dict[str, list[int]] = {}  # an assertion written twice has one digest
        for k, d in enumerate(self._digests):
            self._positions.setdefault(d, []).append(k)
        self._predicates = [frozenset(r.predicate for r in ast.fact_refs(a.body)) for _, a in assertions]
        self._pending: list[tuple[str, str, Kept]] = []
        self._cells: dict[int, str] = {}  # source index -> its cell (`known`)
        self._names: list[str] = []
        self._corpus = ""
        self.unknown_cells = 0  # how many cells `lacking` found without a kept verdict
        self.kept_assertions = len(self._digests)  # assertions whose verdicts are kept

    def known(self, fact_keys: Sequence[str], names: Sequence[str],
              unread: Collection[str]) -> dict[int, dict[int, Kept]]:
        """The kept verdicts of a run's sources (all of them, in order; `unread`: the names of
        those not evaluated): source index -> assertion position -> Kept. A `consistent`
        assertion's verdicts are kept for the corpus as a whole and returned only when every
        evaluated source has one (they are decided together, or not at all)."""
        self._names = list(names)
        self._cells = {i: cell_key(key, name) for i, (key, name) in enumerate(zip(fact_keys, names))}
        self._corpus = corpus_key(list(self._cells.values()), unread)
        lookup = {cell: (i, False) for i, cell in self._cells.items()}
        if any(self.across):
            lookup.update({corpus_cell_key(self._corpus, cell): (i, True) for i, cell in self._cells.items()})
        out: dict[int, dict[int, Kept]] = {}
        for (cell, digest), v in self.cache.get_kept(list(lookup), set(self._positions)).items():
            i, across = lookup[cell]
            for k in self._positions[digest]:
                if self.across[k] == across:
                    out.setdefault(i, {})[k] = v
        evaluated = [i for i, name in enumerate(names) if name not in unread]
        for k in (k for k, across in enumerate(self.across) if across):
            if not all(k in out.get(i, {}) for i in evaluated):
                for got in out.values():
                    got.pop(k, None)
        return out

    def lacking(self, known: Mapping[int, Mapping[int, Kept]], indices: Sequence[int]) -> set[int]:
        """The assertion positions that some of these sources have no kept verdict for in
        `known` (what `known` found); `unknown_cells` counts those cells."""
        positions = set(range(len(self._digests)))
        lacking: set[int] = set()
        self.unknown_cells = 0
        for i in indices:
            missing = positions - known.get(i, {}).keys()
            lacking |= missing
            self.unknown_cells += len(missing)
        return lacking

    def predicates(self, positions: Collection[int]) -> frozenset[str]:
        """The predicates whose facts these assertions read."""
        return frozenset().union(*(p for k, p in enumerate(self._predicates) if k in positions))

    def keep(self, i: int, computed: Mapping[int, Verdict]) -> None:
        """Keep the verdicts a source's evaluation computed (written in batches; `flush`)."""
        cell = self._cells[i]
        digests = self._digests
        name = self._names[i]
        self._pending += [(cell, digests[k], Kept.of(v, name)) for k, v in computed.items()]
        if len(self._pending) >= WRITE_EVERY:
            self.flush()

    def keep_across(self, decided: Mapping[int, Mapping[int, Verdict]]) -> None:
        """Keep the `consistent` verdicts decided across the corpus: assertion position ->
        source index -> Verdict."""
        for k, verdicts in decided.items():
            digest = self._digests[k]
            self._pending += [(corpus_cell_key(self._corpus, self._cells[i]), digest, Kept.of(v, self._names[i]))
                              for i, v in verdicts.items()]
        self.flush()

    def flush(self) -> None:
        self.cache.put_kept(self._pending)
        self._pending = []
