"""The rule language's syntax tree: frozen dataclasses that keep their position.

Built by `builder.py` (an explicit Lark Transformer, run by `parser.py`), checked by
`types.py`, evaluated by `factcheck.engine`, printed back by `unparse`. Lines and columns are
1-based.
"""
from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Iterator
from typing import Union

from factcheck.model import DateValue, Quantity


@dataclass(frozen=True, slots=True)
class Pos:
    line: int
    column: int


# ----------------------------------------------------------------------------- values


@dataclass(frozen=True, slots=True)
class DateLit:
    value: DateValue  # granularity day, month or year
    text: str  # as written: 2020-01-19, 2020-01, 2011
    pos: Pos


@dataclass(frozen=True, slots=True)
class NumberLit:
    value: float
    text: str
    pos: Pos


@dataclass(frozen=True, slots=True)
class QuantityLit:
    value: Quantity  # unit singular, lower case
    text: str  # as written: 9 months
    pos: Pos


@dataclass(frozen=True, slots=True)
class EntityLit:
    name: str  # bare words joined by single spaces, or the quoted string's content
    quoted: bool
    pos: Pos


@dataclass(frozen=True, slots=True)
class SetLit:
    items: tuple["Scalar", ...]
    pos: Pos


Scalar = Union[DateLit, NumberLit, QuantityLit, EntityLit]
ValueNode = Union[Scalar, SetLit]

# ----------------------------------------------------------------------------- expressions

OPERATORS = ("==", "!=", "<", "<=", ">", ">=", "includes", "excludes", "includes all", "includes any", "in", "~=")


@dataclass(frozen=True, slots=True)
class FactRef:
    """predicate(argument)."""

    predicate: str
    argument: str  # bare words joined by single spaces, or the quoted string's content
    quoted: bool
    pos: Pos  # of the predicate name
    arg_pos: Pos


@dataclass(frozen=True, slots=True)
class Comparison:
    fact: FactRef
    op: str  # one of OPERATORS
    value: ValueNode
    pos: Pos
    op_pos: Pos


@dataclass(frozen=True, slots=True)
class BoolFact:
    """A boolean predicate standing alone: mentions(Jordan)."""

    fact: FactRef
    pos: Pos


@dataclass(frozen=True, slots=True)
class Not:
    operand: "Expr"
    pos: Pos


@dataclass(frozen=True, slots=True)
class And:
    left: "Expr"
    right: "Expr"
    pos: Pos


@dataclass(frozen=True, slots=True)
class Or:
    left: "Expr"
    right: "Expr"
    pos: Pos


@dataclass(frozen=True, slots=True)
class Consistent:
    """consistent FACT: the sources must agree with each other."""

    fact: FactRef
    pos: Pos


Expr = Union[Comparison, BoolFact, Not, And, Or]

# ----------------------------------------------------------------------------- structure


@dataclass(frozen=True, slots=True)
class Decorator:
    name: str  # warning, info, skip
    arg: str | None  # the reason of @skip
    pos: Pos


@dataclass(frozen=True, slots=True)
class Assertion:
    """One line that is checked against every source."""

    body: Union[Expr, Consistent]
    text: str  # the assertion as written, whitespace-normalised, without comment
    pos: Pos
    test: str | None  # the enclosing test's name; None for a bare assertion
    severity: str  # error, warning, info
    skip: str | None  # the @skip reason, if any


@dataclass(frozen=True, slots=True)
class Test:
    name: str | None  # None: a bare assertion, a test of its own
    decorators: tuple[Decorator, ...]
    assertions: tuple[Assertion, ...]
    pos: Pos


@dataclass(frozen=True, slots=True)
class Use:
    path: str  # as written, relative to the rule file
    pos: Pos


@dataclass(frozen=True, slots=True)
class RuleFile:
    path: str
    uses: tuple[Use, ...]
    tests: tuple[Test, ...]

    @property
    def assertions(self) -> tuple[Assertion, ...]:
        return tuple(a for t in self.tests for a in t.assertions)


def leaves(node: object) -> Iterator["Comparison | BoolFact | Consistent"]:
    """The comparisons, boolean facts and `consistent` of an assertion body, left to right."""
    if isinstance(node, (Comparison, BoolFact, Consistent)):
        yield node
    elif isinstance(node, Not):
        yield from leaves(node.operand)
    elif isinstance(node, (And, Or)):
        yield from leaves(node.left)
        yield from leaves(node.right)


def fact_refs(node: object) -> Iterator[FactRef]:
    """Every fact reference of an assertion body (`backers(LNA)`, `date(Berlin summit)`)."""
    return (leaf.fact for leaf in leaves(node))


def comparisons(node: object) -> Iterator[Comparison]:
    """The comparisons of an assertion body."""
    return (leaf for leaf in leaves(node) if isinstance(leaf, Comparison))
