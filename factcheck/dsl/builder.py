"""Lark's parse tree -> the frozen AST of `factcheck.dsl.ast`.

`TreeBuilder` is an explicit Lark Transformer: one method per grammar rule, each building its
node with the position of its first token. The mistakes that parse but make no sense (a
month 13, `@warn`, two severities, two tests of the same name, no assertion at all) are
raised here as located `RuleSyntaxError`s with a hint.
"""
from __future__ import annotations

import calendar
import datetime as _dt
import difflib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from lark import Token, Transformer, v_args

from factcheck.dsl.ast import (
    And, Assertion, BoolFact, Comparison, Consistent, DateLit, Decorator, EntityLit, Expr, FactRef,
    Not, NumberLit, Or, Pos, QuantityLit, RuleFile, Scalar, SetLit, Test, Use, ValueNode,
)
from factcheck.dsl.diagnostics import EXAMPLE, context
from factcheck.dsl.rule_text import normalise_space, strip_comment, unescape
from factcheck.errors import RuleSyntaxError
from factcheck.model import DateValue, Quantity

DECORATORS = ("warning", "info", "skip", "error")
NO_ASSERTIONS = "rule file has no assertions"
_DATE_RE = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?")
_IRREGULAR = {"people": "people", "men": "man", "women": "woman", "children": "child", "series": "series"}


def pos(tok: Token) -> Pos:
    assert tok.line is not None and tok.column is not None  # optional in Lark's types; lexed tokens have them
    return Pos(tok.line, tok.column)


def singular(unit: str) -> str:
    """The singular, lower-case form of a unit word: months -> month, casualties -> casualty."""
    word = unit.lower()
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 1:
        return word[:-1]
    return word


def duplicate_test_names(tests: Iterable[Test], path: str, text: str) -> Iterator[RuleSyntaxError]:
    """An error for each test named like one before it, saying where the first one is."""
    seen: dict[str, Test] = {}
    for t in tests:
        if t.name is None:
            continue
        if t.name in seen:
            yield RuleSyntaxError(f'duplicate test name "{t.name}"', path, t.pos.line, t.pos.column,
                                  hint=f"the first test of that name is on line {seen[t.name].pos.line}; "
                                       "give each test its own name",
                                  context=context(text, t.pos.line, t.pos.column))
        else:
            seen[t.name] = t


@dataclass(frozen=True, slots=True)
class _Line:
    """An assertion before it knows its test, severity and skip reason."""

    body: Expr | Consistent
    text: str
    pos: Pos


@dataclass(frozen=True, slots=True)
class _Block:
    name: str | None
    pos: Pos
    lines: tuple[_Line, ...]


class TreeBuilder(Transformer[Token, RuleFile]):
    """Lark tree -> AST. Knows the text (for Assertion.text and error context) and the path."""

    def __init__(self, text: str, path: str) -> None:
        super().__init__()
        self.text = text
        self.path = path
        self.lines = [line.rstrip("\r") for line in text.split("\n")]  # Lark counts lines by \n

    def error(self, message: str, line: int | None, column: int | None, hint: str | None = None) -> RuleSyntaxError:
        """`line` and `column` are optional only in Lark's types: the lexer's tokens have them."""
        where = context(self.text, line, column) if line is not None and column is not None else None
        return RuleSyntaxError(message, self.path, line, column, hint=hint, context=where)

    # ------------------------------------------------------------------ values

    def date(self, children: list[Token]) -> DateLit:
        (tok,) = children
        m = _DATE_RE.fullmatch(tok.value)
        assert m is not None  # the DATE terminal guarantees the shape
        year, month, day = m.group(1), m.group(2), m.group(3)
        if len(month) != 2 or (day is not None and len(day) != 2):
            fixed = f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day is not None else "")
            raise self.error(f"date `{tok.value}` is not written YYYY-MM-DD", tok.line, tok.column,
                             hint=f"write it with two-digit month and day: `{fixed}`")
        y, mo = int(year), int(month)
        if y < 1:
            raise self.error(f"invalid date `{tok.value}`: there is no year 0", tok.line, tok.column,
                             hint="years run from 0001 to 9999")
        if not 1 <= mo <= 12:
            raise self.error(f"invalid date `{tok.value}`: month must be 01..12", tok.line, tok.column,
                             hint="dates are written YYYY-MM-DD, e.g. 2020-01-19")
        if day is None:
            return DateLit(DateValue.month(y, mo), tok.value, pos(tok))
        last = calendar.monthrange(y, mo)[1]
        if not 1 <= int(day) <= last:
            raise self.error(f"invalid date `{tok.value}`: day must be 01..{last} in {year}-{month}",
                             tok.line, tok.column, hint="dates are written YYYY-MM-DD, e.g. 2020-01-19")
        return DateLit(DateValue.day(_dt.date(y, mo, int(day))), tok.value, pos(tok))

    def number(self, children: list[Token]) -> NumberLit:
        (tok,) = children
        return NumberLit(float(tok.value), tok.value, pos(tok))

    def quantity(self, children: list[Token]) -> QuantityLit:
        num, unit = children
        return QuantityLit(Quantity(float(num.value), singular(unit.value)), f"{num.value} {unit.value}", pos(num))

    def quoted(self, children: list[Token]) -> EntityLit:
        (tok,) = children
        return EntityLit(unescape(tok.value), True, pos(tok))

    def name(self, children: list[list[Token]]) -> EntityLit:
        (words,) = children
        return EntityLit(" ".join(t.value for t in words), False, pos(words[0]))

    @v_args(inline=True)
    def set(self, lbrace: Token, *rest: Token | Scalar) -> SetLit:
        items = tuple(c for c in rest[:-1] if not isinstance(c, Token))
        if not items:
            raise self.error("empty set `{}`", lbrace.line, lbrace.column,
                             hint="list at least one member, e.g. {UAE, Egypt}")
        return SetLit(items, pos(lbrace))

    # ------------------------------------------------------------------ expressions

    def quoted_argument(self, children: list[Token]) -> tuple[str, bool, Pos]:
        (tok,) = children
        return unescape(tok.value), True, pos(tok)

    def bare_argument(self, children: list[list[Token]]) -> tuple[str, bool, Pos]:
        (words,) = children
        return " ".join(t.value for t in words), False, pos(words[0])

    @v_args(inline=True)
    def arg_words(self, words: list[Token] | Token, word: Token | None = None) -> list[Token]:
        """Left-recursive list of words -> a flat list of tokens."""
        if isinstance(words, list):  # arg_words WORD
            assert word is not None
            return [*words, word]
        return [words]

    name_words = arg_words

    @v_args(inline=True)
    def fact(self, word: Token, _lpar: Token, arg: tuple[str, bool, Pos], _rpar: Token) -> FactRef:
        argument, quoted, arg_pos = arg
        return FactRef(word.value, argument, quoted, pos(word), arg_pos)

    def op(self, children: list[Token]) -> tuple[str, Pos]:
        return " ".join(t.value for t in children), pos(children[0])

    @v_args(inline=True)
    def comparison(self, fact: FactRef, op_at: tuple[str, Pos], value: ValueNode) -> Comparison:
        op, op_pos = op_at
        return Comparison(fact, op, value, fact.pos, op_pos)

    @v_args(inline=True)
    def boolfact(self, fact: FactRef) -> BoolFact:
        return BoolFact(fact, fact.pos)

    @v_args(inline=True)
    def group(self, _lpar: Token, expr: Expr, _rpar: Token) -> Expr:
        return expr

    @v_args(inline=True)
    def negation(self, tok: Token, operand: Expr) -> Not:
        return Not(operand, pos(tok))

    @v_args(inline=True)
    def and_expr(self, *children: Token | Expr) -> Expr:
        return self._fold(And, children)

    @v_args(inline=True)
    def or_expr(self, *children: Token | Expr) -> Expr:
        return self._fold(Or, children)

    @staticmethod
    def _fold(cls: type[And] | type[Or], children: Sequence[Token | Expr]) -> Expr:
        operands = [c for c in children if not isinstance(c, Token)]
        node = operands[0]
        for right in operands[1:]:
            node = cls(node, right, node.pos)
        return node

    @v_args(inline=True)
    def consistent(self, tok: Token, fact: FactRef) -> Consistent:
        return Consistent(fact, pos(tok))

    @v_args(inline=True)
    def assertion(self, body: Expr | Consistent) -> _Line:
        """An assertion fills the rest of its line: from the first non-blank character
        to the comment or the end of the line."""
        line = body.pos.line
        src = self.lines[line - 1]
        column = len(src) - len(src.lstrip()) + 1
        return _Line(body, normalise_space(strip_comment(src)), Pos(line, column))

    # ------------------------------------------------------------------ structure

    def decorator(self, children: list[Token]) -> Decorator:
        tok = children[0]
        name = tok.value[1:]
        arg = unescape(children[1].value) if len(children) > 1 else None
        if not name:
            raise self.error("`@` without a decorator name", tok.line, tok.column,
                             hint='the decorators are @warning, @info and @skip "reason"')
        if name not in DECORATORS:
            close = difflib.get_close_matches(name.lower(), DECORATORS, n=1, cutoff=0.5)
            hint = (f"did you mean `@{close[0]}`?" if close
                    else 'the decorators are @warning, @info and @skip "reason"')
            raise self.error(f"unknown decorator `{tok.value}`", tok.line, tok.column, hint=hint)
        if name == "skip" and not arg:
            raise self.error("`@skip` needs a reason", tok.line, tok.column,
                             hint='say why in quotes: @skip "waiting for the desk to confirm"')
        if name != "skip" and arg is not None:
            arg_tok = children[1]
            raise self.error(f"`@{name}` takes no argument", arg_tok.line, arg_tok.column,
                             hint=f"write `@{name}` alone on its line")
        return Decorator(name, arg, pos(tok))

    def use_stmt(self, children: list[Token]) -> Use:
        tok, path = children
        if not unescape(path.value).strip():
            raise self.error("`use` needs a file path", path.line, path.column,
                             hint='name a knowledge base: use "libya.entities.yaml"')
        if unescape(path.value).strip().lower().endswith(".fc"):
            raise self.error(f"`use` of a rule file `{unescape(path.value)}`: `use` loads a knowledge base "
                             "(YAML), and rule files cannot use each other", path.line, path.column,
                             hint="pass both rule files to `factcheck check`, or `use` the entities YAML they share")
        return Use(unescape(path.value), pos(tok))

    @v_args(inline=True)
    def test_block(self, tok: Token, name_tok: Token, *rest: Token | _Line) -> _Block:
        name = unescape(name_tok.value)
        if not name.strip():
            raise self.error("a test needs a name", name_tok.line, name_tok.column,
                             hint='describe what it checks: test "Who signed the ceasefire":')
        lines = tuple(c for c in rest if isinstance(c, _Line))
        return _Block(name, pos(tok), lines)

    @v_args(inline=True)
    def bare(self, line: _Line) -> _Block:
        return _Block(None, line.pos, (line,))

    @v_args(inline=True)
    def item(self, *children: Decorator | Use | _Block) -> Use | Test:
        *before, target = children
        decorators = [d for d in before if isinstance(d, Decorator)]  # all of them: `item: decorator* (..)`
        if isinstance(target, Use):
            if decorators:
                d = decorators[0]
                raise self.error(f"`@{d.name}` cannot decorate `use`", d.pos.line, d.pos.column,
                                 hint="decorators go before a test or an assertion")
            return target
        assert isinstance(target, _Block)
        severity, skip = self._effects(decorators)
        assertions = tuple(
            Assertion(line.body, line.text, line.pos, target.name, severity, skip) for line in target.lines
        )
        return Test(target.name, tuple(decorators), assertions, target.pos)

    def _effects(self, decorators: list[Decorator]) -> tuple[str, str | None]:
        severity: Decorator | None = None
        skip: Decorator | None = None
        for d in decorators:
            if d.name == "skip":
                if skip is not None:
                    raise self.error("`@skip` given twice", d.pos.line, d.pos.column,
                                     hint=f"keep one; the first is on line {skip.pos.line}")
                skip = d
            else:
                if severity is not None:
                    raise self.error(f"two severities: `@{severity.name}` and `@{d.name}`",
                                     d.pos.line, d.pos.column, hint="a test has one severity; keep one")
                severity = d
        return (severity.name if severity else "error"), (skip.arg if skip else None)

    @v_args(inline=True)
    @v_args(inline=True)
    def start(self, *children: Use | Test) -> RuleFile:
        uses = tuple(c for c in children if isinstance(c, Use))
        tests = tuple(c for c in children if isinstance(c, Test))
        duplicate = next(duplicate_test_names(tests, self.path, self.text), None)
        if duplicate is not None:
            raise duplicate
        if not tests:
            raise RuleSyntaxError(
                NO_ASSERTIONS, self.path,
                hint=f"write one per line, e.g. `{EXAMPLE}`, or group them under test \"name\":")
        return RuleFile(self.path, uses, tests)
