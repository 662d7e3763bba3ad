"""How `check` reads its sources: kept verdicts and cached facts first, half of the cached
sources in a forked child when that pays (`run.split`), extraction for the others; every
source's facts go into the Evaluation as they come.

With a fact cache (and no report that shows every fact), each source's fact key is computed
once; the verdicts kept from earlier runs (`run.verdicts`) answer the cells whose assertion,
source and code are unchanged, and only the facts the other cells need are decoded. The
verdicts evaluated here are kept for the next run.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from factcheck.config import Config
from factcheck.extract import ExtractionRequest
from factcheck.kept import Kept
from factcheck.model import Fact, PartialFacts, Result, Source
from factcheck.run import split
from factcheck.run.backends import BudgetOverrun
from factcheck.run.evaluation import Evaluation, Shared
from factcheck.run.extraction import ExtractionSettings, Progress, cache_keys, iter_facts
from factcheck.run.verdicts import VerdictMemo

if TYPE_CHECKING:
    from factcheck.run.rules import Rules


class Checking:
    """One `check` run's reading, into `evaluation`. After `run()`: `failed` (extraction
    errors by source index), `warnings` (budget overruns), `kept` (facts, with keep_facts)."""

    def __init__(self, rules: "Rules", sources: Sequence[Source], request: ExtractionRequest, evaluation: Evaluation,
                 how: ExtractionSettings, config: Config | None, keep_facts: bool, progress: Progress | None) -> None:
        self.sources, self.request, self.evaluation = list(sources), request, evaluation
        self.how, self.config, self.keep_facts = how, config, keep_facts
        self.names = [s.name for s in self.sources]
        self.failed: dict[int, str] = {}
        self.warnings: list[str] = []
        self.kept: dict[int, list[Fact]] = {}
        self.counted = _Counted(progress, len(self.sources))
        self.only = None if keep_facts else rules.predicates_used()  # a cached run decodes only what the rules ask
        self.decode = self.only
        self.keys: list[str] = []
        self.memo: VerdictMemo | None = None
        self.known: dict[int, dict[int, Kept]] = {}
        self.unread = frozenset(evaluation.errors)  # empty sources: never evaluated
        self.partial = False  # a source's facts were partial (its verdicts are not kept)
        if how.cache is not None and self.only is not None and self.sources:
            self.keys = cache_keys(self.sources, request, config, self.only)
            self.memo = VerdictMemo(rules, how.cache)
            self.known, evaluation.blocked = self.memo.known(self.keys, self.names, self.unread)
            evaluated = [i for i, name in enumerate(self.names) if name not in self.unread]
            self.decode = self.memo.predicates(self.memo.lacking(self.known, evaluation.blocked, evaluated)) & self.only
            evaluation.kept_across = {k for k in evaluation.blocked if self.memo.across[k]}

    def run(self) -> None:
        half = self._fork()
        try:
            self._take(half.remaining if half else list(range(len(self.sources))))
            if half:
                undone = half.join(self.evaluation)  # a share the child could not do is done here
                for i in set(half.theirs) - set(undone):
                    self.evaluation.take_kept(i, self.known.get(i, {}))
                self.counted.skip(len(half.theirs) - len(undone), self.names[half.theirs[-1]])
                self._take(undone)
        finally:
            if half:
                half.close()
        if self.memo is not None:
            self.memo.flush()
        if self.evaluation.kept_across and self._failed_now():
            self._decide_across()

    def results(self) -> Sequence[Result]:
        """Every result (`Evaluation.results`); each assertion's verdicts on the whole corpus
        are kept as a block, when every source read was evaluated in full (no facts partial,
        no Linker that raised, no source failed)."""
        results = self.evaluation.results()
        if self.memo is not None and not self.partial and not self.evaluation.unsure and not self._failed_now():
            self.memo.keep_blocks(self.evaluation.verdict_at)
        return results

    def _failed_now(self) -> bool:
        """Did a source fail this run (beyond the empty ones, never evaluated)?"""
        return set(self.evaluation.errors) != self.unread

    def _decide_across(self) -> None:
        """A source failed that the kept `consistent` verdicts counted: every `consistent`
        assertion is decided again, on the facts of the sources read, read again for it (the
        kept ones' facts were not decoded the first time)."""
        assert self.memo is not None
        evaluation = self.evaluation
        evaluation.forget_kept_across()
        across = {k for k, x in enumerate(self.memo.across) if x}
        read = [i for i, name in enumerate(self.names) if name not in evaluation.errors]
        decode = self.memo.predicates(across) & (self.only or frozenset())
        for k, got, error in iter_facts([self.sources[i] for i in read], self.request, config=self.config,
                                        only=self.only, decode=decode, keys=[self.keys[i] for i in read],
                                        **self.how.kwargs()):
            if got is None:
                self._failed(read[k], error)
            else:
                evaluation.add(read[k], got, evaluation.verdicts_of(read[k], but=across))

    def _take(self, indices: list[int]) -> None:
        """Facts of these sources (cached or extracted) into the evaluation, as they come."""
        known = self.known
        subset = [self.sources[j] for j in indices]
        keys = [self.keys[j] for j in indices] if self.keys else None  # computed once, in __init__
        for k, got, error in iter_facts(subset, self.request, self.counted.step, config=self.config, only=self.only,
                                        decode=self.decode, keys=keys, **self.how.kwargs()):
            i = indices[k]
            if got is None:
                self._failed(i, error)
                continue
            self._add(i, got, known.get(i))  # the facts are dropped here unless a report shows them
            if self.keep_facts:
                self.kept[i] = got

    def _failed(self, i: int, error: str | None) -> None:
        """Source `i` could not be read: its cells are `error`."""
        self.evaluation.errors[self.names[i]] = error or ""
        if isinstance(error, BudgetOverrun):  # the article is reported; the run goes on
            self.warnings.append(error)
        else:
            self.failed[i] = error or ""

    def _add(self, i: int, facts: list[Fact], known: dict[int, Kept] | None) -> None:
        computed = self.evaluation.add(i, facts, known)
        self.partial = self.partial or isinstance(facts, PartialFacts)
        if self.memo is not None and computed and not isinstance(facts, PartialFacts):
            self.memo.keep(i, computed)

    def _fork(self) -> split.Half | None:
        """Half of the cached sources evaluated by a forked child, when it pays: many cells to
        evaluate (the child sends back only what it evaluated; the kept verdicts of its half
        are taken here, `Evaluation.take_kept`)."""
        cache = self.how.cache
        if self.how.jobs < 2 or cache is None or not self.keys or len(self.sources) < split.FORK_FROM:
            return None
        if self.memo is not None and self.memo.unknown_cells < split.FORK_FROM * 8:
            return None
        return split.fork_half(len(self.sources), self.keys, cache.present(self.keys), self._share, self._child_work)

    def _share(self, done: list[int]) -> Shared:
        """In the forked child: what its share added, its verdicts as the Kept it made of them."""
        return self.evaluation.share(done, self.memo.made() if self.memo is not None else None)

    def _child_work(self, theirs: list[int]) -> list[int]:
        """In the forked child: its share of the cached sources, on a connection of its own."""
        from factcheck.run.cache import FactCache

        assert self.how.cache is not None
        with FactCache(self.how.cache.path) as cache:
            if self.memo is not None:
                self.memo.cache = cache  # the child's copy: the parent's connection is not used here
            known = self.known
            hits = cache.get_many([self.keys[i] for i in theirs], self.decode)
            done = []
            for i in theirs:
                got = hits.pop(self.keys[i], None)
                if got is not None:
                    self._add(i, got, known.get(i))
                    done.append(i)
            if self.memo is not None:
                self.memo.flush()
        return done


class _Counted:
    """A progress callback over the whole run for `_take`'s calls on parts of it."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def step(self, done: int, total: int, name: str) -> None:  # noqa: ARG002 - a part's own count
        self.skip(1, name)

    def skip(self, n: int, name: str) -> None:
        self.done += n
        if self.progress:
            self.progress(self.done, self.total, name)
