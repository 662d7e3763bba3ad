"""AST -> rule-file text that parses back to the same AST (positions aside).

`unparse(rulefile)` prints uses first, then tests and bare assertions in order, each
decorator on its own line, four-space indentation, and only the parentheses precedence
needs (not > and > or; `and`/`or` are left-associative). `strip_positions(node)` sets every
`Pos` to 0:0, so `strip_positions(parse_text(unparse(rf))) == strip_positions(rf)` for a
file written in the canonical spacing (single spaces, `f(x) == v`), since `Assertion.text`
keeps the spacing as written. A checked file (years as DateLit) prints its years as `2011`,
which parses back as a number and checks back to the same year.
"""
from __future__ import annotations

import dataclasses
from typing import TypeVar, cast

from factcheck.dsl.ast import (
    And, Assertion, BoolFact, Comparison, Consistent, DateLit, Decorator, EntityLit, Expr, FactRef, Not, NumberLit,
    Or, Pos, QuantityLit, RuleFile, SetLit, Test, Use, ValueNode,
)

INDENT = "    "
_PREC = {Or: 1, And: 2, Not: 3}  # atoms (comparisons, boolean facts): 4


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def unparse(rulefile: RuleFile) -> str:
    """Rule-file text for `rulefile`."""
    out: list[str] = [f"use {quote(u.path)}" for u in rulefile.uses]
    previous_named = True  # a blank line after the uses
    for test in rulefile.tests:
        named = test.name is not None
        if out and (named or previous_named) and out[-1] != "":
            out.append("")
        out.extend(_decorator(d) for d in test.decorators)
        if test.name is not None:
            out.append(f"test {quote(test.name)}:")
            out.extend(INDENT + assertion(a) for a in test.assertions)
        else:
            out.extend(assertion(a) for a in test.assertions)
        previous_named = named
    return "\n".join(out) + "\n"


def _decorator(d: Decorator) -> str:
    return f"@{d.name}" + (f" {quote(d.arg)}" if d.arg is not None else "")


def assertion(a: Assertion) -> str:
    """One assertion's text, as `Assertion.text` reads for a canonically written file."""
    if isinstance(a.body, Consistent):
        return f"consistent {fact(a.body.fact)}"
    return expr(a.body)


def fact(f: FactRef) -> str:
    arg = quote(f.argument) if f.quoted else f.argument
    return f"{f.predicate}({arg})"


def expr(e: Expr, outer: int = 0) -> str:
    """An expression, parenthesised when its precedence is below what its place needs."""
    if isinstance(e, Comparison):
        return f"{fact(e.fact)} {e.op} {value(e.value)}"
    if isinstance(e, BoolFact):
        return fact(e.fact)
    prec = _PREC[type(e)]
    if isinstance(e, Not):
        text = f"not {expr(e.operand, prec)}"
    else:
        word = "and" if isinstance(e, And) else "or"
        # left-associative: the right operand needs parentheses at the same level
        text = f"{expr(e.left, prec)} {word} {expr(e.right, prec + 1)}"
    return f"({text})" if prec < outer else text


def value(v: ValueNode) -> str:
    if isinstance(v, SetLit):
        return "{" + ", ".join(value(i) for i in v.items) + "}"
    if isinstance(v, EntityLit):
        return quote(v.name) if v.quoted else v.name
    if isinstance(v, (DateLit, NumberLit, QuantityLit)):
        return v.text
    raise TypeError(f"not a value: {v!r}")


_ZERO = Pos(0, 0)
N = TypeVar("N")


def strip_positions(node: N) -> N:
    """A copy of an AST node (or RuleFile) with every Pos set to 0:0, for comparing trees."""
    if isinstance(node, Pos):
        return cast(N, _ZERO)
    if isinstance(node, tuple):
        return cast(N, tuple(strip_positions(n) for n in node))
    if isinstance(node, (RuleFile, Use, Test, Decorator, Assertion, Consistent, FactRef, Comparison, BoolFact,
                         Not, And, Or, SetLit, EntityLit, DateLit, NumberLit, QuantityLit)):
        changes = {f.name: strip_positions(getattr(node, f.name)) for f in dataclasses.fields(node)}
        return dataclasses.replace(node, **changes)
    return node
