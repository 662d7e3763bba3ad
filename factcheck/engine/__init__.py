"""Evaluate rule-file assertions against the facts of sources, giving Verdicts with evidence.

Pure: no spaCy, no lark, no I/O. The engine reads an AST `Assertion`, the facts one
source states, a `Linker` that ties the assertion's words to the extractors' names, and
the predicate registry. Every verdict is three-valued at heart (pass / fail / unknown,
combined with Kleene logic) plus `error`, which dominates, and `skipped`.

Principles:
* Absence is never evidence (except for `mentions`, where not being mentioned is the answer).
* A value stated less precisely than asserted is `unknown`, not `pass`.
* A source stating both sides of something contradicts itself: `fail`, with both sides' evidence.
* Every pass and fail names the facts that decided it (`model.evidence_of`).

Extension point: `comparators` (predicate name -> `factcheck.predicates.Comparator`, given by
plugins through the `factcheck_comparators` hook) are asked first how a stated value of
their predicate compares with an asserted one (`==`, `~=`...) and how sources agree for
`consistent`; a None answer falls back to the rules below.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from factcheck.engine import values
from factcheck.dsl import ast
from factcheck.dsl.unparse import expr as expr_text, fact as fact_text, value as value_text
from factcheck.model import (ERROR, FAIL, PASS, SKIPPED, UNKNOWN, Entity, Evidence, Fact, Verdict, evidence_of,
                             format_value)
from factcheck.predicates import BOOLEAN, DATE, ENTITIES, EVENT, Comparator, Linker, PredicateSpec

CONTRADICTION = "the source contradicts itself"
T = TypeVar("T")

# Units of time convertible into one another, as (family, size in the family's base unit).
# Months and days are not exactly convertible, so they form two families.
@dataclass(frozen=True, slots=True)
class _Outcome:
    """The verdict of one sub-expression before it becomes a `Verdict`."""

    verdict: str
    evidence: tuple[Evidence, ...] = ()
    found: str | None = None
    message: str | None = None


@dataclass(frozen=True, slots=True)
class _Context:
    facts: Sequence[Fact]
    source: str
    linker: Linker
    predicates: Mapping[str, PredicateSpec]
    comparators: Mapping[str, Comparator] | None = None  # plugins' comparators by predicate name
    by_ref: Mapping[tuple[str, str], Sequence[Fact]] | None = None  # relevant facts, already found

    def spec(self, ref: ast.FactRef) -> PredicateSpec:
        spec = self.predicates.get(ref.predicate)
        if spec is None:
            raise values.Unsupported(f"unknown predicate `{ref.predicate}`")
        return spec

    def relevant(self, ref: ast.FactRef) -> tuple[PredicateSpec, list[Fact]]:
        """The predicate's spec and the facts of this source that bear on `ref`."""
        spec = self.spec(ref)
        if self.by_ref is not None and (ref.predicate, ref.argument) in self.by_ref:
            return spec, list(self.by_ref[(ref.predicate, ref.argument)])
        facts = [f for f in self.facts
                 if f.predicate == ref.predicate and self.linker.subject_matches(spec, ref.argument, f.subject)]
        return spec, facts

    def evidence(self, facts: Sequence[Fact]) -> tuple[Evidence, ...]:
        return tuple(evidence_of(f, self.source) for f in _unique(facts))


# ============================================================================ public API


def evaluate(assertion: ast.Assertion, facts: Sequence[Fact], source: str, linker: Linker,
             predicates: Mapping[str, PredicateSpec], comparators: Mapping[str, Comparator] | None = None,
             by_ref: Mapping[tuple[str, str], Sequence[Fact]] | None = None) -> Verdict:
    """The verdict of `assertion` on one source. Never raises: failures become `error`.
    `comparators`: plugins' comparators by predicate name (see the module docstring).
    `by_ref`: the facts that bear on each fact reference `(predicate, argument)`, when the
    caller has already found them (shared by many assertions); `facts` serves the others."""
    expected = _safe_expected(assertion.body)
    if assertion.skip is not None:
        return Verdict(SKIPPED, expected, message=assertion.skip or "skipped")
    if isinstance(assertion.body, ast.Consistent):
        return evaluate_consistent(assertion, {source: facts}, linker, predicates, comparators)[source]
    try:
        out = _eval(assertion.body, _Context(facts, source, linker, predicates, comparators, by_ref))
    except Exception as exc:  # a safety net: _eval already turns leaf failures into errors
        return Verdict(ERROR, expected, message=_describe(exc))
    return Verdict(out.verdict, expected, out.found, out.evidence, out.message)


def evaluate_consistent(assertion: ast.Assertion, facts_by_source: Mapping[str, Sequence[Fact]],
                        linker: Linker, predicates: Mapping[str, PredicateSpec],
                        comparators: Mapping[str, Comparator] | None = None) -> dict[str, Verdict]:
    """One verdict per source (in the given order) for `consistent FACT`.

    A body that is not `consistent` is simply evaluated on each source on its own."""
    names = list(facts_by_source)
    body = assertion.body
    if not isinstance(body, ast.Consistent):
        return {n: evaluate(assertion, facts_by_source[n], n, linker, predicates, comparators) for n in names}
    if assertion.skip is not None:
        return {n: Verdict(SKIPPED, "consistent", message=assertion.skip or "skipped") for n in names}
    try:
        return _consistent(body.fact, facts_by_source, linker, predicates, comparators or {})
    except Exception as exc:
        return {n: Verdict(ERROR, "consistent", message=_describe(exc)) for n in names}


# ============================================================================ expressions


def _eval(expr: ast.Expr, ctx: _Context) -> _Outcome:
    if isinstance(expr, ast.Not):
        inner = _eval(expr.operand, ctx)
        flipped = values.negate(inner.verdict)
        return _Outcome(flipped, inner.evidence, inner.found, inner.message)
    if isinstance(expr, (ast.And, ast.Or)):
        left, right = _eval(expr.left, ctx), _eval(expr.right, ctx)
        out = _kleene_and([left, right]) if isinstance(expr, ast.And) else _kleene_or([left, right])
        found = "; ".join(o.found for o in (left, right) if o.found is not None) or None
        return _Outcome(out.verdict, out.evidence, found, out.message)
    try:
        if isinstance(expr, ast.Comparison):
            return _compare(expr, ctx)
        if isinstance(expr, ast.BoolFact):
            return _boolean(expr.fact, ctx)
        raise values.Unsupported(f"cannot evaluate a {type(expr).__name__} here")
    except Exception as exc:
        return _Outcome(ERROR, message=_describe(exc))


def _kleene_and(outs: Sequence[_Outcome]) -> _Outcome:
    """Error dominates; any fail fails; all pass passes; else unknown. Evidence of the deciders."""
    return _kleene(outs, decisive=FAIL, default=PASS)


def _kleene_or(outs: Sequence[_Outcome]) -> _Outcome:
    return _kleene(outs, decisive=PASS, default=FAIL)


def _kleene(outs: Sequence[_Outcome], decisive: str, default: str) -> _Outcome:
    for verdict in (ERROR, decisive, UNKNOWN):
        deciders = [o for o in outs if o.verdict == verdict]
        if deciders:
            break
    else:
        verdict, deciders = default, list(outs)
    evidence = tuple(_unique(e for o in deciders for e in o.evidence))
    message = "; ".join(_unique(o.message for o in deciders if o.message)) or None
    return _Outcome(verdict, evidence, None, message)


def _prefer_named(spec: PredicateSpec, facts: list[Fact]) -> list[Fact]:
    """For one value of an event (its date, start, duration): mentions that name the event
    without doubt (by KB alias, apposition or place) outweigh those resolved by a weaker guess
    (the article's salient event, the kind named exactly), which outweigh mentions that only
    share its kind ("talks" on Monday does not contradict "the talks in Moscow" on Monday); and
    among the sure ones, the precise values decide: a vaguer mention ("in January") that names
    the event does not outrank them."""
    if spec.argument != EVENT or spec.value_type == ENTITIES:
        return facts
    sure = [f for f in facts if (f.subject.name and not f.subject.guessed) or f.subject.places]
    precise = [f for f in sure if values.width(f.value) == 0]
    named = [f for f in facts if f.subject.name or f.subject.places]
    return precise or sure or named or facts


def _compare(cmp: ast.Comparison, ctx: _Context) -> _Outcome:
    spec, facts = ctx.relevant(cmp.fact)
    if spec.value_type == ENTITIES:
        return _compare_set(cmp, facts, ctx)
    shown = _found([f for f in facts if f.polarity and values.fits(spec.value_type, f.value)])  # all it states
    facts = _prefer_named(spec, facts)
    if spec.value_type == BOOLEAN:
        raise values.Unsupported(f"`{spec.name}` is boolean: it stands alone, as in `{spec.name}(X)`")
    if cmp.op == "in":
        members = cmp.value.items if isinstance(cmp.value, ast.SetLit) else (cmp.value,)
    elif isinstance(cmp.value, ast.SetLit):
        raise values.Unsupported(f"`{cmp.op}` takes a single value; use `in {{..}}` for a set")
    else:
        members = (cmp.value,)
    stated = [f for f in facts if f.polarity and values.fits(spec.value_type, f.value)]
    decided: list[tuple[Fact, str]] = []
    plugged = (ctx.comparators or {}).get(spec.name)
    for fact in stated:
        verdict = _plugged_test(plugged, fact.value, cmp.op, members)
        if verdict is not None:
            pass
        elif cmp.op == "in":
            tests = [values.scalar_test(spec.value_type, fact.value, "==", m) for m in members]
            verdict = _kleene_or([_Outcome(t) for t in tests]).verdict
        else:
            verdict = values.scalar_test(spec.value_type, fact.value, cmp.op, members[0])
        decided.append((fact, verdict))
    if plugged is not None and decided and all(v == UNKNOWN for _, v in decided):  # not "too imprecise"
        return _Outcome(UNKNOWN, (), shown, f"nothing {ctx.source} states bears on it")
    out = _aggregate(decided, shown, ctx)
    if out.verdict == FAIL and spec.argument == EVENT and all(f.subject.guessed for f, _ in decided):
        return _Outcome(UNKNOWN, out.evidence, shown, f"{ctx.source} states {shown} only where the event is a guess "
                        "(the article's salient event, or the kind named exactly): not enough to fail")
    return out


def _plugged_test(comparator: Comparator | None, stated: object, op: str, members: Sequence[ast.Scalar]) -> str | None:
    """A plugin comparator's verdict for one stated value (`in`: any member), or None."""
    if comparator is None:
        return None
    verdicts = [comparator.compare(stated, "==" if op == "in" else op, _literal_value(m))
                for m in members]
    answers = [v for v in verdicts if v is not None]
    if len(answers) < len(verdicts):  # one None: the engine decides
        return None
    return _kleene_or([_Outcome(v) for v in answers]).verdict if op == "in" else answers[0]


def _literal_value(lit: ast.Scalar) -> str:
    return lit.name if isinstance(lit, ast.EntityLit) else lit.text


def _aggregate(decided: list[tuple[Fact, str]], found: str | None, ctx: _Context) -> _Outcome:
    """Several facts on one scalar: agreeing ones decide; disagreeing ones contradict."""
    passes = [f for f, v in decided if v == PASS]
    fails = [f for f, v in decided if v == FAIL]
    if passes and fails:
        deciders = [f for f, v in decided if v in (PASS, FAIL)]
        return _Outcome(FAIL, ctx.evidence(deciders), found, CONTRADICTION)
    if passes:
        return _Outcome(PASS, ctx.evidence(passes), found)
    if fails:
        return _Outcome(FAIL, ctx.evidence(fails), found)
    if decided:
        return _Outcome(UNKNOWN, ctx.evidence([f for f, _ in decided]), found,
                        f"{ctx.source} states {found}: too imprecise (or in units that do not convert) to decide")
    return _Outcome(UNKNOWN, (), None, f"not stated in {ctx.source}")


# ============================================================================ sets of entities


def _entity_name(value: object) -> str | None:
    if isinstance(value, Entity):
        return value.name
    if isinstance(value, str):
        return value
    return None


def _status(name: str, facts: Sequence[Fact], ctx: _Context) -> tuple[list[Fact], list[Fact]]:
    """The facts stating `name` among the values, and those denying it."""
    stated: list[Fact] = []
    denied: list[Fact] = []
    for f in facts:
        value = _entity_name(f.value)
        if value is not None and ctx.linker.value_matches(name, value):
            (stated if f.polarity else denied).append(f)
    return stated, denied


def _member(name: str, mode: str, facts: Sequence[Fact], ctx: _Context) -> _Outcome:
    """`includes name` (mode "includes") or `excludes name` (mode "excludes")."""
    stated, denied = _status(name, facts, ctx)
    if stated and denied:
        return _Outcome(FAIL, ctx.evidence(_in_order(facts, stated + denied)), None, CONTRADICTION)
    if stated:
        return _Outcome(PASS if mode == "includes" else FAIL, ctx.evidence(stated))
    if denied:
        return _Outcome(FAIL if mode == "includes" else PASS, ctx.evidence(denied))
    return _Outcome(UNKNOWN, (), None, f"{ctx.source} says nothing about {name}")


def _compare_set(cmp: ast.Comparison, facts: list[Fact], ctx: _Context) -> _Outcome:
    names = _entity_names(cmp.value)
    found = _found([f for f in facts if _entity_name(f.value) is not None])
    op = cmp.op
    if op in ("includes", "excludes", "includes all"):
        out = _kleene_and([_member(n, "excludes" if op == "excludes" else "includes", facts, ctx) for n in names])
    elif op == "includes any":
        out = _kleene_or([_member(n, "includes", facts, ctx) for n in names])
    elif op in ("==", "!="):
        out = _closed_world(names, facts, ctx)
        if op == "!=":
            out = _Outcome(values.negate(out.verdict), out.evidence, None, out.message)
    elif op == "in":
        out = _within(names, facts, ctx)
    else:
        raise values.Unsupported(f"operator `{op}` does not apply to a set of entities")
    return _Outcome(out.verdict, out.evidence, found, out.message)


def _entity_names(value: ast.ValueNode) -> tuple[str, ...]:
    items = value.items if isinstance(value, ast.SetLit) else (value,)
    names = []
    for item in items:
        if not isinstance(item, ast.EntityLit):
            raise values.Unsupported(f"`{value_text(item)}` is not an entity name")
        names.append(item.name)
    return tuple(names)


def _positives(facts: Sequence[Fact]) -> list[tuple[Fact, str]]:
    return [(f, n) for f in facts if f.polarity and (n := _entity_name(f.value)) is not None]


def _closed_world(names: Sequence[str], facts: Sequence[Fact], ctx: _Context) -> _Outcome:
    """`== {..}`: the stated set must be exactly the given set; unknown if nothing is stated."""
    statuses = {n: _status(n, facts, ctx) for n in names}
    denied = [f for n in names for f in statuses[n][1]]
    if denied:
        refused = [n for n in names if statuses[n][1]]
        both = [f for n in refused for f in statuses[n][0]]
        message = CONTRADICTION if both else f"{ctx.source} states not {', '.join(refused)}"
        return _Outcome(FAIL, ctx.evidence(_in_order(facts, denied + both)), None, message)
    positives = _positives(facts)
    if not positives:
        return _Outcome(UNKNOWN, (), None, f"not stated in {ctx.source}")
    # a value that contains an asserted one ("the UAE signed" for {.., Mohammed bin Zayed}) is
    # less precise than the assertion: it neither adds a member nor confirms one
    vague = [(f, v) for f, v in positives if not any(ctx.linker.value_matches(n, v) for n in names)
             and any(ctx.linker.value_matches(v, n) for n in names)]
    extra = [(f, v) for f, v in positives if not any(ctx.linker.value_matches(n, v) for n in names)
             and (f, v) not in vague]
    if extra:
        shown = _unique(ctx.linker.canonical(v) for _, v in extra)
        return _Outcome(FAIL, ctx.evidence([f for f, _ in extra]), None,
                        f"{ctx.source} also states {', '.join(shown)}")
    missing = [n for n in names if not statuses[n][0]]
    if missing and vague:
        return _Outcome(UNKNOWN, (), None, f"{ctx.source} states {', '.join(_unique(v for _, v in vague))}, "
                        f"less precise than {', '.join(missing)}")
    if missing:
        return _Outcome(FAIL, ctx.evidence([f for f, _ in positives]), None,
                        f"{ctx.source} does not state {', '.join(missing)}")
    return _Outcome(PASS, ctx.evidence([f for f, _ in positives]))


def _within(names: Sequence[str], facts: Sequence[Fact], ctx: _Context) -> _Outcome:
    """`in {..}`: every stated value is one of the given ones."""
    positives = _positives(facts)
    if not positives:
        return _Outcome(UNKNOWN, (), None, f"not stated in {ctx.source}")
    outside = [f for f, v in positives if not any(ctx.linker.value_matches(n, v) for n in names)]
    if outside:
        return _Outcome(FAIL, ctx.evidence(outside))
    return _Outcome(PASS, ctx.evidence([f for f, _ in positives]))


# ============================================================================ booleans


def _boolean(ref: ast.FactRef, ctx: _Context) -> _Outcome:
    """`mentions(X)`: any mention passes, none fails (absence is the evidence here).

    Other boolean predicates follow the usual rule: a positive fact passes, a negative or
    false one fails, both contradict, and absence is unknown."""
    spec, facts = ctx.relevant(ref)
    if spec.value_type != BOOLEAN:
        raise values.Unsupported(f"`{spec.name}` yields a {spec.value_type}; it needs an operator and a value")
    if spec.name == "mentions":
        if facts:
            return _Outcome(PASS, ctx.evidence(facts[:1]), "mentioned")
        return _Outcome(FAIL, (), None, f"not mentioned in {ctx.source}")
    yes = [f for f in facts if f.polarity and f.value is not False]
    no = [f for f in facts if not (f.polarity and f.value is not False)]
    decided = [(f, PASS) for f in yes] + [(f, FAIL) for f in no]
    return _aggregate(_in_order_pairs(facts, decided), _found(facts), ctx)


# ============================================================================ consistent


@dataclass(frozen=True, slots=True)
class _Stated:
    """What one source states for a `consistent` fact: one value, or a self-contradiction."""

    key: object
    text: str
    width: int
    facts: tuple[Fact, ...]
    conflict: bool = False


def _consistent(ref: ast.FactRef, facts_by_source: Mapping[str, Sequence[Fact]], linker: Linker,
                predicates: Mapping[str, PredicateSpec], comparators: Mapping[str, Comparator]) -> dict[str, Verdict]:
    names = list(facts_by_source)
    stated: dict[str, _Stated | None] = {}
    relevant: dict[str, list[Fact]] = {}
    spec = None
    for name in names:
        ctx = _Context(facts_by_source[name], name, linker, predicates)
        spec, facts = ctx.relevant(ref)
        relevant[name] = [f for f in facts if f.polarity]
    if spec is None:
        return {}
    plugged = comparators.get(spec.name)
    if plugged is not None:
        verdicts = plugged.consistent(relevant)
        if verdicts is not None:
            return {n: verdicts.get(n) or Verdict(UNKNOWN, "consistent", message=f"{n} does not state {fact_text(ref)}")
                    for n in names}
    for name in names:
        stated[name] = _stated_value(spec, relevant[name], linker)
    voters = [(n, s) for n, s in stated.items() if s is not None and not s.conflict]
    consensus: _Stated | None = None
    best: tuple[int, int, int] | None = None
    # Votes are counted per distinct value (few), not voter against voter (quadratic in sources).
    votes: dict[object, int] = {}
    first: dict[object, tuple[int, _Stated]] = {}  # value key -> its first voter (order, stated)
    for order, (_, s) in enumerate(voters):
        votes[s.key] = votes.get(s.key, 0) + 1
        first.setdefault(s.key, (order, s))
    for order, candidate in first.values():
        support = sum(n for key, n in votes.items() if _contains(spec.value_type, first[key][1], candidate))
        rank = (support, -candidate.width, -order)
        if best is None or rank > best:
            consensus, best = candidate, rank
    verdicts = {n: _consistent_verdict(n, stated[n], consensus, spec, ref) for n in names}
    dissenters = tuple(n for n in names if verdicts[n].verdict == FAIL)
    shown = consensus.text if consensus else None
    return {n: Verdict(v.verdict, v.expected, v.found, v.evidence, v.message, shown, dissenters)
            for n, v in verdicts.items()}


def _consistent_verdict(name: str, mine: _Stated | None, consensus: _Stated | None, spec: PredicateSpec,
                        ref: ast.FactRef) -> Verdict:
    expected = consensus.text if consensus else "agreement between sources"
    if mine is None:
        return Verdict(UNKNOWN, expected, message=f"{name} does not state {fact_text(ref)}")
    evidence = tuple(evidence_of(f, name) for f in mine.facts)
    if mine.conflict:
        return Verdict(FAIL, expected, mine.text, evidence, CONTRADICTION)
    assert consensus is not None  # a non-conflicting source always votes
    if mine.key == consensus.key:
        return Verdict(PASS, expected, mine.text, evidence)
    if _contains(spec.value_type, mine, consensus):
        return Verdict(UNKNOWN, expected, mine.text, evidence,
                       f"{name} states it less precisely ({mine.text}) than the consensus ({consensus.text})")
    return Verdict(FAIL, expected, mine.text, evidence,
                   f"{name} states {mine.text}; most sources state {consensus.text}")


def _stated_value(spec: PredicateSpec, facts: list[Fact], linker: Linker) -> _Stated | None:
    """The most precise value a source states positively, or its conflicting values."""
    if spec.value_type == ENTITIES:
        pairs = _positives(facts)
        if not pairs:
            return None
        canon = _unique(linker.canonical(v) for _, v in pairs)
        return _Stated(frozenset(canon), ", ".join(canon), 0, tuple(f for f, _ in pairs))
    groups: dict[object, list[Fact]] = {}
    for f in _prefer_named(spec, facts):
        if spec.value_type == BOOLEAN or values.fits(spec.value_type, f.value):
            groups.setdefault(values.value_key(spec.value_type, f.value), []).append(f)
    if not groups:
        return None
    width = min(values.width(fs[0].value) for fs in groups.values())
    precise = [fs for fs in groups.values() if values.width(fs[0].value) == width]
    text = ", ".join(format_value(fs[0].value) for fs in precise)
    if len(precise) > 1:
        return _Stated(None, text, width, tuple(_in_order(facts, [f for fs in precise for f in fs])), True)
    return _Stated(values.value_key(spec.value_type, precise[0][0].value), text, width, tuple(precise[0]))


def _contains(value_type: str, outer: _Stated, inner: _Stated) -> bool:
    """Does `outer` agree with `inner`, being equal to it or (dates) a wider interval around it?"""
    if outer.key == inner.key:
        return True
    if value_type == DATE and isinstance(outer.key, tuple) and isinstance(inner.key, tuple):  # (start, end)
        (o_start, o_end), (i_start, i_end) = outer.key, inner.key
        return o_start <= i_start and i_end <= o_end
    return False


# ============================================================================ text


def _safe_expected(body: ast.Expr | ast.Consistent) -> str:
    try:
        return _expected(body)
    except Exception:
        return "?"


def _expected(body: ast.Expr | ast.Consistent) -> str:
    """The operator and value as written: `== 2020-01-19`, `includes Russia`, `mentioned`."""
    if isinstance(body, ast.Comparison):
        return f"{body.op} {value_text(body.value)}"
    if isinstance(body, ast.BoolFact):
        return "mentioned" if body.fact.predicate == "mentions" else "true"
    if isinstance(body, ast.Not):
        if isinstance(body.operand, (ast.Comparison, ast.BoolFact)):
            return f"not {_expected(body.operand)}"
        return f"not ({expr_text(body.operand)})"
    if isinstance(body, ast.Consistent):
        return "consistent"
    return expr_text(body)


def _found(facts: Sequence[Fact]) -> str | None:
    """The stated values as text, distinct and in order: `Russia, UAE`, `not Haftar`."""
    shown = _unique(format_value(f.value) if f.polarity else f"not {format_value(f.value)}" for f in facts)
    return ", ".join(shown) or None


def _describe(exc: Exception) -> str:
    if isinstance(exc, values.Unsupported):
        return str(exc)
    return f"could not evaluate: {type(exc).__name__}: {exc}"


# ============================================================================ helpers


def _unique(items: Iterable[T]) -> list[T]:
    """Distinct items, first occurrence order; linear for hashable items (100,000 names in
    `includes any {..}`), by comparison for the rest."""
    items = list(items)
    try:
        return list(dict.fromkeys(items))
    except TypeError:
        seen: list[T] = []
        for item in items:
            if item not in seen:
                seen.append(item)
        return seen


def _in_order(facts: Sequence[Fact], chosen: Sequence[Fact]) -> list[Fact]:
    """`chosen` in the order the source states them."""
    return [f for f in facts if any(f is c for c in chosen)]


def _in_order_pairs(facts: Sequence[Fact], pairs: Sequence[tuple[Fact, str]]) -> list[tuple[Fact, str]]:
    return [p for f in facts for p in pairs if p[0] is f]
