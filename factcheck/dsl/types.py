"""Type check a parsed rule file before any article is read (SPEC sections 2 and 8).

The predicate fixes the type of the value: `date(x) == 2011` compares at year granularity,
`backers(x) includes 2011` is an error. The checker knows the predicates only through the
registry it is given (`Mapping[str, PredicateSpec]`: built-ins, plugins, YAML predicates).

`check(rulefile, predicates) -> RuleFile` raises the first `RuleTypeError`, or returns the
rule file *normalised*: the AST is frozen, so a four-digit number compared with a date
predicate (`date(x) == 2011`, `date(x) in {2019, 2020}`) comes back as a year `DateLit`.
The engine must evaluate the returned RuleFile, not the parsed one.
`check_all(rulefiles, predicates) -> list[RuleTypeError]` collects every error (for lint).
"""
from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from factcheck.dsl.ast import (
    And, Assertion, BoolFact, Comparison, Consistent, DateLit, EntityLit, Expr, FactRef, Not, NumberLit, Or, Pos,
    QuantityLit, RuleFile, Scalar, SetLit,
)
from factcheck.dsl.unparse import value as value_text
from factcheck.dsl.diagnostics import context
from factcheck.errors import RuleTypeError
from factcheck.model import TIME_UNITS, DateValue
from factcheck.predicates import (
    BOOLEAN, BUILTIN_PREDICATES, DATE, ENTITIES, NUMBER, OPERATORS_BY_TYPE, QUANTITY, STRING, PredicateSpec,
)

SET_ONLY_OPS = ("includes all", "includes any", "in")
MEMBER_OPS = ("includes", "excludes")
# Keyed by `PredicateSpec.value_type`, which is typed str.
_YIELDS: dict[str, str] = {DATE: "a date", QUANTITY: "a quantity", NUMBER: "a number", ENTITIES: "a set of entities",
                           STRING: "text", BOOLEAN: "true or false"}
_COMPARES_WITH: dict[str, str] = {DATE: "dates", QUANTITY: "quantities", NUMBER: "numbers", ENTITIES: "entities",
                                  STRING: "text"}
_ACCEPTS: dict[str, tuple[type[Scalar], ...]] = {
    DATE: (DateLit,), QUANTITY: (QuantityLit,), NUMBER: (NumberLit,), ENTITIES: (EntityLit,), STRING: (EntityLit,)}
_HOW_TO_WRITE: dict[str, str] = {
    DATE: "write a date: 2020-01-19, 2020-01 or 2020", QUANTITY: "write an amount and a unit: 9 months",
    NUMBER: "write a number: 300", ENTITIES: "write a name: Russia, or \"United States\"",
    STRING: 'write quoted text: "Libya"'}
_YEAR = re.compile(r"\d{4}")


def check(rulefile: RuleFile, predicates: Mapping[str, PredicateSpec] = BUILTIN_PREDICATES,
          *, text: str | None = None) -> RuleFile:
    """The normalised rule file, or the first RuleTypeError. `text` (the file's content) is
    used for the caret context; without it the file at `rulefile.path` is read if it exists."""
    checked, errors = _Checker(rulefile, predicates, text).run()
    if errors:
        raise errors[0]
    return checked


def check_all(rulefiles: Iterable[RuleFile],
              predicates: Mapping[str, PredicateSpec] = BUILTIN_PREDICATES) -> list[RuleTypeError]:
    """Every type error of every rule file, in file order (empty when all is well)."""
    errors: list[RuleTypeError] = []
    for rf in rulefiles:
        errors.extend(_Checker(rf, predicates, None).run()[1])
    return errors


def describe(node: object) -> str:
    """How a value reads in a message: `2011` is a number."""
    kinds = {DateLit: "a date", NumberLit: "a number", QuantityLit: "a quantity", EntityLit: "a name",
             SetLit: "a set"}
    return kinds.get(type(node), "a value")


class _Checker:
    def __init__(self, rulefile: RuleFile, predicates: Mapping[str, PredicateSpec], text: str | None) -> None:
        self.rf = rulefile
        self.predicates = predicates
        self._text = text
        self.errors: list[RuleTypeError] = []

    def run(self) -> tuple[RuleFile, list[RuleTypeError]]:
        tests = tuple(
            dataclasses.replace(t, assertions=tuple(self._assertion(a) for a in t.assertions))
            for t in self.rf.tests
        )
        return dataclasses.replace(self.rf, tests=tests), self.errors

    # ------------------------------------------------------------------ reporting

    def _source(self) -> str:
        if self._text is None:
            try:
                self._text = Path(self.rf.path).read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError, ValueError):
                self._text = ""
        return self._text

    def error(self, message: str, at: Pos, hint: str | None = None) -> None:
        self.errors.append(RuleTypeError(message, self.rf.path, at.line, at.column, hint=hint,
                                         context=context(self._source(), at.line, at.column)))

    # ------------------------------------------------------------------ walking

    def _assertion(self, a: Assertion) -> Assertion:
        body = self._consistent(a.body) if isinstance(a.body, Consistent) else self._expr(a.body)
        return a if body is a.body else dataclasses.replace(a, body=body)

    def _expr(self, e: Expr) -> Expr:
        if isinstance(e, Comparison):
            return self._comparison(e)
        if isinstance(e, BoolFact):
            spec = self._spec(e.fact)
            if spec is not None and spec.value_type != BOOLEAN:
                self.error(f"`{spec.name}` yields {_YIELDS.get(spec.value_type, 'a value')}, so it needs an "
                           "operator and a value", e.fact.pos, hint=self._example(spec))
            return e
        if isinstance(e, Not):
            operand = self._expr(e.operand)
            return e if operand is e.operand else dataclasses.replace(e, operand=operand)
        if isinstance(e, (And, Or)):
            left, right = self._expr(e.left), self._expr(e.right)
            if left is e.left and right is e.right:
                return e
            return dataclasses.replace(e, left=left, right=right)
        raise TypeError(f"not an expression: {e!r}")  # pragma: no cover - the parser builds no other

    def _consistent(self, c: Consistent) -> Consistent:
        spec = self._spec(c.fact)
        if spec is not None and spec.value_type == BOOLEAN:
            self.error(f"`consistent` needs a predicate with a value, but `{spec.name}` is true or false",
                       c.fact.pos, hint="consistent compares the value each source states, "
                                        "e.g. `consistent date(Berlin summit)`")
        return c

    def _spec(self, fact: FactRef) -> PredicateSpec | None:
        spec = self.predicates.get(fact.predicate)
        if spec is None:
            names = sorted(self.predicates)
            close = difflib.get_close_matches(fact.predicate, names, n=1, cutoff=0.6)
            hint = f"did you mean `{close[0]}`?" if close else f"the predicates are {', '.join(names)}"
            self.error(f"unknown predicate `{fact.predicate}`", fact.pos, hint=hint)
        elif not fact.argument.strip():
            self.error(f"`{fact.predicate}` needs an argument", fact.arg_pos,
                       hint=f"name what it is about, e.g. `{spec.example or spec.name + '(Berlin summit)'}`")
            return None
        return spec

    @staticmethod
    def _example(spec: PredicateSpec) -> str | None:
        return f"e.g. `{spec.example}`" if spec.example else None

    def _comparison(self, c: Comparison) -> Comparison:
        spec = self._spec(c.fact)
        if spec is None:
            return c
        vt = spec.value_type
        if vt == BOOLEAN:
            self.error(f"`{spec.name}` stands alone: it is true or false and takes no operator", c.op_pos,
                       hint=f"write `{spec.name}({c.fact.argument})` or `not {spec.name}({c.fact.argument})`")
            return c
        allowed = OPERATORS_BY_TYPE.get(vt, ())
        if c.op not in allowed:
            self.error(f"operator `{c.op}` does not fit `{spec.name}`, which yields {_YIELDS.get(vt, vt)}",
                       c.op_pos, hint=f"use one of: {', '.join(allowed)}")
            return c
        value = c.value
        if c.op in SET_ONLY_OPS and not isinstance(value, SetLit):
            self.error(f"`{c.op}` needs a set", value.pos,
                       hint=f"write the members in braces: `{c.op} {{{value_text(value)}, ...}}`")
            return c
        if isinstance(value, SetLit):
            if c.op in MEMBER_OPS:
                self.error(f"`{c.op}` takes one member, not a set", value.pos,
                           hint=f"write `{c.op} all {value_text(value)}` or `{c.op} any {value_text(value)}`"
                           if c.op == "includes" else "write one `excludes` assertion per member")
                return c
            if c.op not in SET_ONLY_OPS and vt != ENTITIES:
                self.error(f"`{c.op}` compares with one value, not a set", value.pos,
                           hint=f"to accept any of several values write `in {value_text(value)}`")
                return c
            items = tuple(self._scalar(i, spec) for i in value.items)
            if all(a is b for a, b in zip(items, value.items)):
                return c
            return dataclasses.replace(c, value=dataclasses.replace(value, items=items))
        scalar = self._scalar(value, spec)
        return c if scalar is value else dataclasses.replace(c, value=scalar)

    def _scalar(self, node: Scalar, spec: PredicateSpec) -> Scalar:
        vt = spec.value_type
        if vt == DATE and isinstance(node, NumberLit) and _YEAR.fullmatch(node.text):
            return DateLit(DateValue.year(int(node.text)), node.text, node.pos)
        accepted = _ACCEPTS.get(vt)
        if accepted is None:  # a value type this checker does not know: trust the plugin
            return node
        if not isinstance(node, accepted):
            what = _COMPARES_WITH[vt] if not (vt == QUANTITY and spec.unit_kind == "time") else "durations"
            hint = f"e.g. `{spec.example}`" if spec.example else _HOW_TO_WRITE[vt]
            self.error(f"`{value_text(node)}` is {describe(node)}, but `{spec.name}` compares with {what}",
                       node.pos, hint=hint)
            return node
        if vt == QUANTITY and isinstance(node, QuantityLit) and spec.unit_kind == "time" \
                and node.value.unit not in TIME_UNITS:
            self.error(f"`{node.text}` is not a duration: `{spec.name}` compares with time",
                       node.pos, hint="use a unit of time: hours, days, weeks, months or years")
        return node
