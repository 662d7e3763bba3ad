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

An assertion's verdicts on a run's sources are read with one index range (`kept_cells` is by
assertion, then source). A verdict is kept as `factcheck.kept`
stores it: the JSON report splices its text in, and nothing decodes it unless a report reads
its fields. Each assertion's verdicts on a whole corpus (every source's cell, in order,
`cache_keys.corpus_key`) are also kept as one block, read in one piece by a run on the same
corpus: the re-run after a rule edit. A `consistent` assertion is decided across sources:
it is kept in blocks only, so it is taken only when no source of the run changed, was
added, removed or renamed. Verdicts live in the fact cache's file (`FactCache.get_kept`,
`get_blocks`, `put_kept`, `put_blocks`), so `factcheck cache clear` empties them too.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Collection, Mapping, Sequence

from factcheck.dsl import ast
from factcheck.kept import Kept, KeptBlock
from factcheck.model import Verdict
from factcheck.run.cache_keys import assertion_digest, cell_key, corpus_key, evaluation_context

if TYPE_CHECKING:
    from factcheck.run.cache import FactCache
    from factcheck.run.rules import Rules

WRITE_EVERY = 4_000  # verdicts per cache transaction
# A corpus keeps its freshest blocks (read or written): this many per assertion of the rules, at least MIN_BLOCKS.
BLOCKS_PER_ASSERTION = 4
MIN_BLOCKS = 64


class VerdictMemo:
    """The kept verdicts of one run's rules, in one cache."""

    def __init__(self, rules: "Rules", cache: "FactCache") -> None:
        self.cache = cache
        context = evaluation_context(rules.predicates, rules.comparators)
        assertions = rules.assertions
        self._digests = [assertion_digest(context, a.text, a.skip) for _, a in assertions]
        self.across = rules.across()
        self._positions: dict[str, list[int]] = {}  # an assertion written twice has one digest
        for k, d in enumerate(self._digests):
            self._positions.setdefault(d, []).append(k)
        self._predicates = [frozenset(r.predicate for r in ast.fact_refs(a.body)) for _, a in assertions]
        self._pending: list[tuple[str, str, Kept]] = []
        self._cells: dict[int, str] = {}  # source index -> its cell (`known`)
        self._names: list[str] = []
        self._unread: frozenset[str] = frozenset()
        self._corpus = ""
        self._blocked: set[str] = set()  # assertion digests read as a block this run
        self._made: dict[tuple[int, int], Kept] = {}  # (position, source index) -> what `keep` made of it
        self.unknown_cells = 0  # how many cells `lacking` found without a kept verdict

    def known(self, fact_keys: Sequence[str], names: Sequence[str],
              unread: Collection[str]) -> tuple[dict[int, dict[int, Kept]], dict[int, KeptBlock]]:
        """The kept verdicts of a run's sources (all of them, in order; `unread`: the names of
        those not evaluated): assertion position -> its block, for each assertion kept for
        this very corpus (`FactCache.get_blocks`, one read each); and, cell by cell, source
        index -> assertion position -> Kept for the others. A `consistent` assertion is decided
        across the corpus: it is kept in blocks only."""
        self._names, self._unread = list(names), frozenset(unread)
        self._cells = {i: cell_key(key, name) for i, (key, name) in enumerate(zip(fact_keys, names))}
        self._corpus = corpus_key(list(self._cells.values()), unread)
        blocks = self.cache.get_blocks(self._corpus, set(self._positions), len(names))
        self._blocked = set(blocks)
        blocked = {k: block for digest, block in blocks.items() for k in self._positions[digest]}
        out: dict[int, dict[int, Kept]] = {}
        rest = {d for d, ks in self._positions.items() if d not in blocks and not self.across[ks[0]]}
        if rest:
            lookup = {cell: i for i, cell in self._cells.items()}
            for (cell, digest), v in self.cache.get_kept(list(lookup), rest).items():
                for k in self._positions[digest]:
                    out.setdefault(lookup[cell], {})[k] = v
        return out, blocked

    def lacking(self, known: Mapping[int, Mapping[int, Kept]], blocked: Collection[int],
                indices: Sequence[int]) -> set[int]:
        """The assertion positions that some of these sources have no kept verdict for, in a
        block (`blocked`) or cell by cell (`known`); `unknown_cells` counts those cells."""
        positions = set(range(len(self._digests))) - set(blocked)
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
        for k, v in computed.items():
            self._made[(k, i)] = kept = Kept.of(v, name)
            self._pending.append((cell, digests[k], kept))
        if len(self._pending) >= WRITE_EVERY:
            self.flush()

    def made(self) -> Mapping[tuple[int, int], Kept]:
        """(position, source index) -> the Kept `keep` made of the verdict evaluated there."""
        return self._made

    def keep_blocks(self, verdict_at: Callable[[int, int], "Verdict | Kept | None"]) -> None:
        """Keep, as one block each, the assertions not read as a block this run whose verdict
        on every source is known (`verdict_at(position, source index)`), but those too large
        (`cache_kept.MAX_BLOCK_BYTES`); call it only for a run in which every source read was
        evaluated in full."""
        blocks: dict[str, list[Kept | None]] = {}
        for digest, positions in self._positions.items():
            if digest in self._blocked:
                continue
            k = positions[0]
            block: list[Kept | None] = []
            for i, name in enumerate(self._names):
                v = None if name in self._unread else verdict_at(k, i)
                if v is None and name not in self._unread:
                    break
                block.append(v if v is None or isinstance(v, Kept) else self._made.get((k, i)) or Kept.of(v, name))
            else:
                blocks[digest] = block
        self.flush()
        self._made = {}  # not needed again this run: its memory goes before the report is written
        keep = max(MIN_BLOCKS, BLOCKS_PER_ASSERTION * len(self._positions))
        self.cache.put_blocks(self._corpus, blocks, used=self._blocked, keep=keep)

    def flush(self) -> None:
        self.cache.put_kept(self._pending)
        self._pending = []
