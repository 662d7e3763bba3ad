"""Expressions: `and`, `or`, `not` in Kleene logic over comparisons, boolean facts and sets."""
from __future__ import annotations

from factcheck.dsl import ast
from factcheck.engine import values
from factcheck.engine.core import Context, Outcome, describe, found_text, in_order_pairs, kleene_and, kleene_or
from factcheck.engine.scalar import aggregate, compare
from factcheck.model import ERROR, FAIL, PASS
from factcheck.predicates import BOOLEAN


def evaluate_expr(expr: ast.Expr, ctx: Context) -> Outcome:
    if isinstance(expr, ast.Not):
        inner = evaluate_expr(expr.operand, ctx)
        flipped = values.negate(inner.verdict)
        return Outcome(flipped, inner.evidence, inner.found, inner.message)
    if isinstance(expr, (ast.And, ast.Or)):
        left, right = evaluate_expr(expr.left, ctx), evaluate_expr(expr.right, ctx)
        out = kleene_and([left, right]) if isinstance(expr, ast.And) else kleene_or([left, right])
        found = "; ".join(o.found for o in (left, right) if o.found is not None) or None
        return Outcome(out.verdict, out.evidence, found, out.message)
    try:
        if isinstance(expr, ast.Comparison):
            return compare(expr, ctx)
        if isinstance(expr, ast.BoolFact):
            return boolean(expr.fact, ctx)
        raise values.Unsupported(f"cannot evaluate a {type(expr).__name__} here")
    except Exception as exc:
        return Outcome(ERROR, message=describe(exc))


def boolean(ref: ast.FactRef, ctx: Context) -> Outcome:
    """`mentions(X)`: any mention passes, none fails (absence is the evidence here).

    Other boolean predicates follow the usual rule: a positive fact passes, a negative or
    false one fails, both contradict, and absence is unknown."""
    spec, facts = ctx.relevant(ref)
    if spec.value_type != BOOLEAN:
        raise values.Unsupported(f"`{spec.name}` yields a {spec.value_type}; it needs an operator and a value")
    if spec.name == "mentions":
        if facts:
            return Outcome(PASS, ctx.evidence(facts[:1]), "mentioned")
        return Outcome(FAIL, (), None, f"not mentioned in {ctx.source}")
    yes = [f for f in facts if f.polarity and f.value is not False]
    no = [f for f in facts if not (f.polarity and f.value is not False)]
    decided = [(f, PASS) for f in yes] + [(f, FAIL) for f in no]
    return aggregate(in_order_pairs(facts, decided), found_text(facts), ctx)
