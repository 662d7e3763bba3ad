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

Modules: `core` (the outcome of a sub-expression, the context of one source, texts, helpers),
`expressions` (and/or/not, boolean facts), `scalar` (one value against another), `sets` (sets of
entities), `consistent` (agreement across sources), `values` (dates, numbers, quantities),
`why` (the reasons of a verdict, in plain words).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from factcheck.dsl import ast
from factcheck.engine.consistent import consistent
from factcheck.engine.core import Context, describe, safe_expected
from factcheck.engine.expressions import evaluate_expr
from factcheck.model import ERROR, SKIPPED, Fact, Verdict
from factcheck.predicates import Comparator, Linker, PredicateSpec


def evaluate(assertion: ast.Assertion, facts: Sequence[Fact], source: str, linker: Linker,
             predicates: Mapping[str, PredicateSpec], comparators: Mapping[str, Comparator] | None = None,
             by_ref: Mapping[tuple[str, str], Sequence[Fact]] | None = None) -> Verdict:
    """The verdict of `assertion` on one source. Never raises: failures become `error`.
    `comparators`: plugins' comparators by predicate name (see the module docstring).
    `by_ref`: the facts that bear on each fact reference `(predicate, argument)`, when the
    caller has already found them (shared by many assertions); `facts` serves the others."""
    expected = safe_expected(assertion.body)
    if assertion.skip is not None:
        return Verdict(SKIPPED, expected, message=assertion.skip or "skipped")
    if isinstance(assertion.body, ast.Consistent):
        return evaluate_consistent(assertion, {source: facts}, linker, predicates, comparators)[source]
    try:
        out = evaluate_expr(assertion.body, Context(facts, source, linker, predicates, comparators, by_ref))
    except Exception as exc:  # a safety net: evaluate_expr already turns leaf failures into errors
        return Verdict(ERROR, expected, message=describe(exc))
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
        return consistent(body.fact, facts_by_source, linker, predicates, comparators or {})
    except Exception as exc:
        return {n: Verdict(ERROR, "consistent", message=describe(exc)) for n in names}
