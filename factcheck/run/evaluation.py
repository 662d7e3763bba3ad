"""Facts to verdicts: every assertion of the rules on every source, a source at a time."""
from __future__ import annotations

from typing import Collection, Mapping, Sequence

from factcheck.dsl import ast
from factcheck.kb.store import KnowledgeBase
from factcheck.kept import BlockResults, Kept, KeptBlock, KeptResult, Place, Results
from factcheck.model import ERROR, FAIL, PASS, Fact, Result, Source, Verdict
from factcheck.predicates import PredicateSpec
from factcheck.run.rules import Rules


def evaluate(rules: Rules, sources: Sequence[Source], facts: dict[str, list[Fact]],
             errors: dict[str, str] | None = None) -> Sequence[Result]:
    """Every assertion's result on every source (assertion by assertion, sources in order)."""
    ev = Evaluation(rules, [s.name for s in sources], {**empty_sources(sources), **(errors or {})})
    for i, s in enumerate(sources):
        ev.add(i, facts.get(s.name, []))
    return ev.results()


def empty_sources(sources: Sequence[Source]) -> dict[str, str]:
    """An empty article states nothing, not even an absence: its assertions cannot be
    evaluated (an `error`, in the CLI and in pytest alike)."""
    return {s.name: "empty source: nothing to check" for s in sources if not s.text.strip()}


Shared = tuple[list[dict[int, Verdict | Kept]], list[dict[int, list[Fact]]], list[dict[int, tuple[Fact, ...]]], set[int]]
MAX_MISSED = 8  # facts kept per source and `consistent` assertion to explain an unknown (memory stays flat)


class Evaluation:
    """Rules evaluated over sources whose facts arrive one source at a time, in any order.

    `add` evaluates every per-source assertion on that source at once and keeps only the
    verdicts, plus the few facts a `consistent` assertion will compare across sources; the
    source's other facts can then be dropped. `results` settles the `consistent` ones and
    returns every result, assertion by assertion, sources in order. A source never added
    (or named in `errors`) gets `error` verdicts."""

    def __init__(self, rules: Rules, names: Sequence[str], errors: Mapping[str, str] | None = None) -> None:
        from factcheck import engine  # not needed by `lint`, which only parses and type-checks
        from factcheck.engine import why

        self._engine = engine
        self._why = why
        self.rules = rules
        self.names = list(names)
        self.errors = dict(errors or {})
        self._assertions = rules.assertions
        self._refs = [list(dict.fromkeys((r.predicate, r.argument) for r in ast.fact_refs(a.body)))
                      for _, a in self._assertions]
        self._across = rules.across()
        self._verdicts: list[dict[int, Verdict | Kept]] = [{} for _ in self._assertions]
        self._usable: list[dict[int, list[Fact]]] = [{} for _ in self._assertions]  # consistent: index -> facts
        # consistent: the source's facts of the predicate when none bore on it (near misses, capped)
        self._missed: list[dict[int, tuple[Fact, ...]]] = [{} for _ in self._assertions]
        self.blocked: dict[int, KeptBlock] = {}  # positions whose verdicts on every source a kept block gives
        self.kept_across: set[int] = set()  # `consistent` positions whose verdicts come from an earlier run
        self.decided: dict[int, dict[int, Verdict]] = {}  # what `results` decided across sources (to keep)
        self.unsure: set[int] = set()  # sources on which a Linker raised: their verdicts are not to be kept

    def add(self, index: int, facts: Sequence[Fact], known: Mapping[int, Verdict | Kept] | None = None) -> dict[int, Verdict]:
        """The facts of source `index` (its position in `names`). `known`: verdicts of some
        per-source assertions (by position) already known from an earlier run (`run.verdicts`),
        and of `consistent` ones in `kept_across`; they are not evaluated again, and their facts
        are not needed. Returns the verdicts it evaluated, by position (none when a Linker
        raised: those are not to be kept)."""
        name = self.names[index]
        computed: dict[int, Verdict] = {}
        if name in self.errors:
            return computed
        taken = self.take_kept(index, known or {}) | self.blocked.keys()
        rules = self.rules
        grouped: dict[str, list[Fact]] = {}
        for f in facts:
            grouped.setdefault(f.predicate, []).append(f)
        relevant: dict[tuple[str, str], list[Fact]] = {}  # (predicate, argument) -> facts, once per source
        unsure = False  # a Linker raised: let the engine match (and report the error) itself

        def bearing(refs: list[tuple[str, str]]) -> list[Fact]:
            """Only the facts about the assertion's own fact references, computed once per
            source (assertions share them: `backers(LNA) includes ...` four times)."""
            nonlocal unsure
            out: list[Fact] = []
            for ref in refs:
                if ref not in relevant:
                    predicate, argument = ref
                    spec = rules.predicates.get(predicate)
                    of = grouped.get(predicate, ())
                    if spec is None:
                        relevant[ref] = list(of)
                        continue
                    kept = []
                    for f in of:
                        match = _safe_match(rules.kb, spec, argument, f)
                        unsure = unsure or match is None
                        if match is not False:
                            kept.append(f)
                    relevant[ref] = kept
                out += relevant[ref]
            return out

        for k, (_, a) in enumerate(self._assertions):
            if k in taken:
                continue
            facts_k = bearing(self._refs[k])
            if self._across[k]:
                self._usable[k][index] = facts_k
                if not facts_k:  # what it says instead, kept for the `unknown` this will be
                    ref = a.body.fact  # type: ignore[union-attr]
                    self._missed[k][index] = tuple(grouped.get(ref.predicate, ())[:MAX_MISSED])
            else:
                v = self._engine.evaluate(a, facts_k, name, rules.kb, rules.predicates,
                                          rules.comparators, None if unsure else relevant)
                self._verdicts[k][index] = computed[k] = self._explained(a, v, grouped, relevant if not unsure else {},
                                                                         name)
        if unsure:
            self.unsure.add(index)
            return {}
        return computed

    def verdict_at(self, k: int, index: int) -> Verdict | Kept | None:
        """Assertion `k`'s verdict on source `index`, once `results` has decided them all."""
        if k in self.blocked:
            return self.blocked[k].kept(index)
        v = self._verdicts[k].get(index)
        return self.decided.get(k, {}).get(index) if v is None else v

    def verdicts_of(self, index: int, but: Collection[int]) -> dict[int, Verdict | Kept]:
        """The verdicts source `index` has, but those of positions `but`."""
        return {k: d[index] for k, d in enumerate(self._verdicts) if index in d and k not in but}

    def forget_kept_across(self) -> None:
        """Decide every `consistent` assertion here after all (`Checking._decide_across`): the
        kept verdicts are dropped, and so is what was gathered for the others, which are read
        again with them."""
        for k, across in enumerate(self._across):
            if across:
                self.blocked.pop(k, None)
                self._verdicts[k].clear()
                self._usable[k].clear()
                self._missed[k].clear()
        self.kept_across = set()

    def share(self, indices: Sequence[int], made: Mapping[tuple[int, int], Kept] | None = None) -> "Shared":
        """What `add` kept for these sources, for another process's Evaluation to `merge`; not
        the verdicts kept from an earlier run, which that process has (`take_kept`). A verdict
        evaluated here that is in `made` ((position, source) -> its Kept, `VerdictMemo.made`)
        goes as that: the other process neither unpickles nor encodes it again."""
        picked, made = set(indices), made or {}
        return ([{i: made.get((k, i), v) for i, v in d.items() if i in picked and type(v) is not Kept}
                 for k, d in enumerate(self._verdicts)],
                [{i: f for i, f in d.items() if i in picked} for d in self._usable],
                [{i: f for i, f in d.items() if i in picked} for d in self._missed],
                self.unsure & picked)

    def take_kept(self, index: int, known: Mapping[int, Verdict | Kept]) -> set[int]:
        """Take these verdicts of source `index`, known from an earlier run (`add` does, and a
        source another process added is given its kept ones here): a per-source assertion's,
        and a `consistent` one's in `kept_across`. The positions taken."""
        taken = {k for k in known if k in self.kept_across or not self._across[k]}
        for k in taken:
            self._verdicts[k][index] = known[k]
        return taken

    def merge(self, shared: "Shared") -> None:
        """Take in what another process's Evaluation of the same rules `share`d."""
        verdicts, usable, missed, unsure = shared
        self.unsure |= unsure
        for k in range(len(self._assertions)):
            self._verdicts[k].update(verdicts[k])
            self._usable[k].update(usable[k])
            self._missed[k].update(missed[k])

    def _explained(self, a: ast.Assertion, v: Verdict, grouped: Mapping[str, Sequence[Fact]],
                   relevant: Mapping[tuple[str, str], Sequence[Fact]], name: str) -> Verdict:
        """The verdict with its reasons (`why`), unless the engine already gave some."""
        if v.why:
            return v
        try:
            reasons = self._why.reasons(a, v, grouped, relevant, name, self.rules.kb, self.rules.predicates)
        except Exception as exc:  # noqa: BLE001 - a reason that cannot be given must not sink the verdict
            reasons = (_no_reason(exc),)
        return v.with_why(reasons)

    def _consistent_why(self, k: int, i: int, v: Verdict) -> Verdict:
        if v.why:
            return v
        unstated: list[str] = []
        a = self._assertions[k][1]
        ref = a.body.fact  # type: ignore[union-attr]
        spec = self.rules.predicates.get(ref.predicate)
        if i in self._missed[k] and spec is not None:
            try:
                unstated = self._why.unstated(a, spec, ref, [], self._missed[k][i], self.names[i], self.rules.kb,
                                              consensus=v.consensus)
            except Exception as exc:  # noqa: BLE001 - a reason that cannot be given must not sink the verdict
                unstated = [_no_reason(exc)]
        return v.with_why(_consistent_reasons(v, tuple(unstated)))

    def results(self) -> Results:
        """Every result, assertion by assertion, sources in order (an assertion a kept block
        gives is one BlockResults)."""
        rules = self.rules
        parts: list[Sequence[Result]] = []
        for k, (rf, a) in enumerate(self._assertions):
            verdicts: Mapping[int, Verdict | Kept] = self._verdicts[k]
            if k in self.blocked:
                block = self.blocked[k]
                place = Place(rf.path, a.pos.line, a.pos.column, a.test, a.text, a.severity)
                parts.append(BlockResults(place, self.names, block, {
                    i: _result(rf, a, n, self._not_evaluated(n)) for i, n in enumerate(self.names)
                    if n in self.errors or block.words[i] is None}))
                continue
            if self._across[k] and k not in self.kept_across:
                usable = {self.names[i]: self._usable[k][i] for i in sorted(self._usable[k])}
                by_name = self._engine.evaluate_consistent(a, usable, rules.kb, rules.predicates, rules.comparators)
                verdicts = self.decided[k] = {i: self._consistent_why(k, i, by_name[n])
                                              for i, n in enumerate(self.names) if n in by_name}
            parts.append([_result(rf, a, n, verdicts.get(i) or self._not_evaluated(n))
                          for i, n in enumerate(self.names)])
        return Results(parts)

    def _not_evaluated(self, name: str) -> Verdict:
        return Verdict(ERROR, expected="", message=self.errors.get(name, "not evaluated"))


def _consistent_reasons(v: Verdict, unstated: tuple[str, ...]) -> tuple[str, ...]:
    from factcheck.engine import why

    out = list(why.deciding(v)) if v.verdict in (PASS, FAIL) else ([v.message] if v.message else [])
    if v.consensus is not None and v.verdict != PASS:
        out.append(f"The consensus of the sources is {v.consensus}"
                   + (f"; dissenting: {', '.join(v.dissenters)}." if v.dissenters else "."))
    return tuple(dict.fromkeys(out + list(unstated)))


def _no_reason(exc: Exception) -> str:
    """The reason given when explaining a verdict failed (the verdict itself stands)."""
    return f"(no reason could be given: {type(exc).__name__}: {exc})"


def _safe_match(kb: KnowledgeBase, spec: PredicateSpec, argument: str, fact: Fact) -> bool | None:
    """None when the Linker raised: a Linker error must not sink the run; the fact is kept
    and the engine, matching again, reports it."""
    try:
        return kb.subject_matches(spec, argument, fact.subject)
    except Exception:  # noqa: BLE001 - the engine evaluates again and turns it into `error`
        return None


def _result(rf: ast.RuleFile, a: ast.Assertion, source: str, v: Verdict | Kept) -> Result:
    if type(v) is Kept:  # from an earlier run: placed here, decoded only if something reads it
        return KeptResult.placed(rf.path, a.pos.line, a.pos.column, a.test, a.text, source, a.severity, v)
    assert isinstance(v, Verdict)
    return Result(
        file=rf.path, line=a.pos.line, column=a.pos.column, test=a.test, assertion=a.text, source=source,
        verdict=v.verdict, severity=a.severity, expected=v.expected, found=v.found, evidence=v.evidence,
        message=v.message, consensus=v.consensus, dissenters=v.dissenters, why=v.why,
    )
