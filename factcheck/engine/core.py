"""What every part of the engine shares: the outcome of a sub-expression, the context of one
source, the texts of expected and found values, and order-keeping helpers."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from factcheck.dsl import ast
from factcheck.dsl.unparse import expr as expr_text, value as value_text
from factcheck.engine import values
from factcheck.model import ERROR, Evidence, FAIL, Fact, PASS, UNKNOWN, evidence_of, format_value
from factcheck.predicates import Comparator, Linker, PredicateSpec


CONTRADICTION = "the source contradicts itself"


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Outcome:
    """The verdict of one sub-expression before it becomes a `Verdict`."""

    verdict: str
    evidence: tuple[Evidence, ...] = ()
    found: str | None = None
    message: str | None = None


@dataclass(frozen=True, slots=True)
class Context:
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
        return tuple(evidence_of(f, self.source) for f in unique(facts))


def safe_expected(body: ast.Expr | ast.Consistent) -> str:
    try:
        return expected_text(body)
    except Exception:
        return "?"


def expected_text(body: ast.Expr | ast.Consistent) -> str:
    """The operator and value as written: `== 2020-01-19`, `includes Russia`, `mentioned`."""
    if isinstance(body, ast.Comparison):
        return f"{body.op} {value_text(body.value)}"
    if isinstance(body, ast.BoolFact):
        return "mentioned" if body.fact.predicate == "mentions" else "true"
    if isinstance(body, ast.Not):
        if isinstance(body.operand, (ast.Comparison, ast.BoolFact)):
            return f"not {expected_text(body.operand)}"
        return f"not ({expr_text(body.operand)})"
    if isinstance(body, ast.Consistent):
        return "consistent"
    return expr_text(body)


def found_text(facts: Sequence[Fact]) -> str | None:
    """The stated values as text, distinct and in order: `Russia, UAE`, `not Haftar`."""
    shown = unique(format_value(f.value) if f.polarity else f"not {format_value(f.value)}" for f in facts)
    return ", ".join(shown) or None


def describe(exc: Exception) -> str:
    if isinstance(exc, values.Unsupported):
        return str(exc)
    return f"could not evaluate: {type(exc).__name__}: {exc}"


def unique(items: Iterable[T]) -> list[T]:
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


def in_order(facts: Sequence[Fact], chosen: Sequence[Fact]) -> list[Fact]:
    """`chosen` in the order the source states them (by identity, in linear time)."""
    ids = {id(c) for c in chosen}
    return [f for f in facts if id(f) in ids]


def in_order_pairs(facts: Sequence[Fact], pairs: Sequence[tuple[Fact, str]]) -> list[tuple[Fact, str]]:
    """The pairs in the order the source states their facts (each fact's in their own order)."""
    by_fact: dict[int, list[tuple[Fact, str]]] = {}
    for p in pairs:
        by_fact.setdefault(id(p[0]), []).append(p)
    return [p for f in facts for p in by_fact.get(id(f), ())]


def kleene_and(outs: Sequence[Outcome]) -> Outcome:
    """Error dominates; any fail fails; all pass passes; else unknown. Evidence of the deciders."""
    return _kleene(outs, decisive=FAIL, default=PASS)


def kleene_or(outs: Sequence[Outcome]) -> Outcome:
    return _kleene(outs, decisive=PASS, default=FAIL)


def _kleene(outs: Sequence[Outcome], decisive: str, default: str) -> Outcome:
    for verdict in (ERROR, decisive, UNKNOWN):
        deciders = [o for o in outs if o.verdict == verdict]
        if deciders:
            break
    else:
        verdict, deciders = default, list(outs)
    evidence = tuple(unique(e for o in deciders for e in o.evidence))
    message = "; ".join(unique(o.message for o in deciders if o.message)) or None
    return Outcome(verdict, evidence, None, message)
