"""Rule-file text -> the frozen AST of `factcheck.dsl.ast`.

The grammar lives in `grammar.lark` (LALR, contextual lexer). The Lark parser is built once,
on first use, and kept in a module-level cache. Lark's syntax errors become
`RuleSyntaxError`s through `diagnostics.py`; mistakes that parse but make no sense (a month 13,
`@warn`, two tests of the same name...) are raised here with the same care.

Public API: `parse_text(text, path="<string>") -> RuleFile` and `parse_file(path) -> RuleFile`.
"""
from __future__ import annotations

import calendar
import datetime as _dt
import difflib
import re
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedInput, VisitError
from lark.indenter import Indenter

from factcheck.dsl.ast import (
    And, Assertion, BoolFact, Comparison, Consistent, DateLit, Decorator, EntityLit, Expr, FactRef,
    Not, NumberLit, Or, Pos, QuantityLit, RuleFile, Scalar, SetLit, Test, Use, ValueNode,
)
from factcheck.dsl.diagnostics import IndentationProblem, context, syntax_error
from factcheck.errors import RuleSyntaxError
from factcheck.model import DateValue, Quantity

DECORATORS = ("warning", "info", "skip", "error")
EXAMPLE = "date(Berlin summit) == 2020-01-19"
_STRING_RE = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_DATE_RE = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?")
MAX_NESTING = 50  # parentheses or `not`s one inside the other, on one line
MAX_DEPTH = 100  # levels of and/or/not in one assertion's tree
_NESTING_RE = re.compile(r"\(|\)|(?<![\w'’.&-])not(?![\w'’.&-])")


class RuleIndenter(Indenter):
    """Python-style blocks for `test "name":`. Unlike Lark's own Indenter it gives the
    indent/dedent tokens the position of the indented line, and reports a dedent to a
    column no block started at as an `IndentationProblem` that knows where it happened."""

    NL_type = "_NL"
    OPEN_PAREN_types: list[str] = []  # a newline always ends an assertion, even inside ( )
    CLOSE_PAREN_types: list[str] = []
    INDENT_type = "_INDENT"
    DEDENT_type = "_DEDENT"
    tab_len = 4

    def handle_NL(self, token: Token) -> Iterator[Token]:  # noqa: N802 (Lark's name)
        yield token
        tail = token.value.rsplit("\n", 1)[1]
        indent = tail.count(" ") + tail.count("\t") * self.tab_len
        line, column = token.end_line, token.end_column
        if indent > self.indent_level[-1]:
            self.indent_level.append(indent)
            yield Token(self.INDENT_type, tail, token.end_pos, line, column, line, column, token.end_pos)
            return
        levels = tuple(self.indent_level)
        while indent < self.indent_level[-1]:
            self.indent_level.pop()
            yield Token(self.DEDENT_type, tail, token.end_pos, line, column, line, column, token.end_pos)
        if indent != self.indent_level[-1]:
            assert line is not None and column is not None  # optional in Lark's types; lexed tokens have them
            raise IndentationProblem(line, column, indent, levels)


_lock = threading.Lock()
_parser: Lark | None = None


def _lark() -> Lark:
    """The Lark parser, built on first use and then reused. Building the LALR tables costs
    about 0.2 s, so Lark keeps them in its own cache file (keyed by the grammar and options,
    in the temp folder); an unusable cache only means they are built again."""
    global _parser
    if _parser is None:
        grammar = (Path(__file__).with_name("grammar.lark")).read_text(encoding="utf-8")
        _parser = Lark(grammar, parser="lalr", lexer="contextual", postlex=RuleIndenter(),
                       maybe_placeholders=False, cache=True)
    return _parser


def parse_text(text: str, path: str = "<string>") -> RuleFile:
    """Parse rule-file text. Raises RuleSyntaxError (with file, line, column, hint, context)."""
    source = text if text.endswith("\n") else text + "\n"
    _check_nesting(text, path)
    with _lock:  # the indenter keeps state while it runs
        parser = _lark()
        try:
            tree = parser.parse(source)
        except (UnexpectedInput, IndentationProblem) as exc:
            raise syntax_error(exc, text, path) from None
    try:
        rulefile = _Builder(text, path).transform(tree)
    except VisitError as exc:
        if isinstance(exc.orig_exc, RuleSyntaxError):
            raise exc.orig_exc from None
        raise
    except RecursionError:  # a last resort: _check_nesting should have refused the file
        raise RuleSyntaxError("an assertion is nested too deeply", path,
                              hint="split it into several assertions") from None
    for a in rulefile.assertions:
        if _depth(a.body) > MAX_DEPTH:
            raise RuleSyntaxError(f"assertion has more than {MAX_DEPTH} levels of `and`, `or` and `not`",
                                  path, a.pos.line, a.pos.column, hint="split it into several assertions",
                                  context=context(text, a.pos.line, a.pos.column))
    return rulefile


PLACEHOLDER = "mentions(x)"  # stands for a line with a mistake while the rest is parsed
MAX_RECOVERIES = 100  # errors reported per file; a file with more stops there, saying so


def parse_all(text: str, path: str = "<string>") -> tuple[RuleFile | None, list[RuleSyntaxError]]:
    """Every syntax error of the file, not just the first. A file that parses is parsed once.
    Otherwise it is cut into its top-level statements (a test block with its lines, an
    assertion, with the decorators and `use` lines before them), each parsed on its own, and
    within a statement, after each error, the line at fault is replaced by a placeholder
    assertion of the same indentation (so blocks keep their shape) and parsed again. The
    RuleFile holds what parsed (None when nothing did); placeholders are left out."""
    try:
        return parse_text(text, path), []
    except RuleSyntaxError:
        pass
    lines = text.split("\n")
    uses: list[Use] = []
    tests: list[Test] = []
    errors: list[RuleSyntaxError] = []
    for start, end in _statements(lines):
        if len(errors) >= MAX_RECOVERIES:
            errors.append(RuleSyntaxError(f"more than {MAX_RECOVERIES} mistakes; the rest of the file was not "
                                          "checked", path, hint="fix these first"))
            break
        piece = "\n" * start + "\n".join(lines[start:end])  # the same line numbers as the file
        rf, found = _recover(piece, path, text)
        errors += [e for e in found if not (e.line is None and e.message == NO_ASSERTIONS)]
        if rf is not None:
            uses += rf.uses
            tests += rf.tests
    seen: dict[str, Test] = {}
    for t in tests:
        if t.name is not None and t.name in seen:
            errors.append(_in_text(RuleSyntaxError(
                f'duplicate test name "{t.name}"', path, t.pos.line, t.pos.column,
                hint=f"the first test of that name is on line {seen[t.name].pos.line}; give each test its own name"),
                text))
        elif t.name is not None:
            seen[t.name] = t
    errors.sort(key=lambda e: (e.line or 0, e.column or 0))
    if not tests:
        return None, errors
    return RuleFile(path, tuple(uses), tuple(tests)), errors


NO_ASSERTIONS = "rule file has no assertions"


def _statements(lines: list[str]) -> list[tuple[int, int]]:
    """[start, end) line indices of the top-level statements: each starts at an unindented
    line of code; decorators and `use` lines join the statement after them (at the end of
    the file, the one before)."""
    starts: list[int] = []
    pending: int | None = None
    for i, line in enumerate(lines):
        code = strip_comment(line)
        if not code.strip() or line[:1] in (" ", "\t"):
            continue
        if pending is None:
            pending = i
        word = code.lstrip()
        if word.startswith("@") or re.match(r"use(?![\w'’.&-])", word):
            continue
        starts.append(pending)
        pending = None
    if not starts:
        return [(0, len(lines))]
    starts[0] = 0
    return [(a, b) for a, b in zip(starts, starts[1:] + [len(lines)])]


def _recover(piece: str, path: str, text: str) -> tuple[RuleFile | None, list[RuleSyntaxError]]:
    """Parse one statement, replacing each line at fault by a placeholder until it parses."""
    lines = piece.split("\n")
    errors: list[RuleSyntaxError] = []
    replaced: dict[int, int] = {}  # line number -> times replaced
    for _ in range(MAX_RECOVERIES):
        try:
            rulefile = parse_text("\n".join(lines), path)
        except RuleSyntaxError as exc:
            line = exc.line
            if line is None or not 0 < line <= len(lines) or replaced.get(line, 0) >= 2:
                if not any(e.line == exc.line and e.message == exc.message for e in errors):
                    errors.append(_in_text(exc, text))
                return None, errors
            if replaced.get(line, 0) == 0:
                errors.append(_in_text(exc, text))
            original = lines[line - 1]
            indent = original[: len(original) - len(original.lstrip())]
            # once: the placeholder at its own indentation; twice: at the previous line's
            lines[line - 1] = (indent if not replaced.get(line) else _previous_indent(lines, line)) + PLACEHOLDER
            replaced[line] = replaced.get(line, 0) + 1
            continue
        if replaced:
            rulefile = _without_lines(rulefile, set(replaced))
        return rulefile, errors
    return None, errors


def _in_text(exc: RuleSyntaxError, text: str) -> RuleSyntaxError:
    """The error with its caret context taken from the file as written (not the placeholders)."""
    if exc.line is not None and exc.column is not None:
        exc.context = context(text, exc.line, exc.column)
    return exc


def _previous_indent(lines: list[str], line: int) -> str:
    for k in range(line - 2, -1, -1):
        if lines[k].strip() and not lines[k].lstrip().startswith("#"):
            return lines[k][: len(lines[k]) - len(lines[k].lstrip())]
    return ""


def _without_lines(rf: RuleFile, lines: set[int]) -> RuleFile:
    import dataclasses

    tests = tuple(dataclasses.replace(t, assertions=tuple(a for a in t.assertions if a.pos.line not in lines))
                  for t in rf.tests)
    return dataclasses.replace(rf, tests=tuple(t for t in tests if t.assertions))


def _check_nesting(text: str, path: str) -> None:
    """Refuse parentheses or `not`s nested more than MAX_NESTING deep before Lark's
    recursive tree transformer (and the engine after it) would overflow the stack."""
    for number, line in enumerate(text.split("\n"), 1):
        if line.count("(") + line.count("not") <= MAX_NESTING:
            continue  # the common case: nothing to scan
        code = _STRING_RE.sub(lambda m: " " * len(m.group()), strip_comment(line))
        depth = nots = 0
        for m in _NESTING_RE.finditer(code):
            word = m.group()
            if word == ")":
                depth, nots = max(depth - 1, 0), 0
                continue
            if word == "(":
                depth += 1
            else:
                nots += 1
            if depth + nots > MAX_NESTING:
                raise RuleSyntaxError(f"more than {MAX_NESTING} parentheses or `not`s nested in one assertion",
                                      path, number, m.start() + 1, hint="split it into several assertions",
                                      context=context(text, number, m.start() + 1))


def _depth(node: Expr | Consistent) -> int:
    """Levels of And/Or/Not above the deepest comparison, counted without recursion."""
    deepest, stack = 0, [(node, 0)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(node, Not):
            stack.append((node.operand, level + 1))
        elif isinstance(node, (And, Or)):
            stack.extend(((node.left, level + 1), (node.right, level + 1)))
    return deepest


def parse_file(path: str | Path) -> RuleFile:
    """Read a UTF-8 rule file and parse it. Unreadable, non-UTF-8, empty: RuleSyntaxError."""
    name = str(path)
    from factcheck.safety import special_file

    kind = special_file(name)
    if kind is not None:  # a FIFO would hang the read, /dev/zero never end
        raise RuleSyntaxError(f"cannot read rule file: it is {kind}, not a file", name)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise RuleSyntaxError(f"cannot read rule file: {reason}", name,
                              hint="check the path and its permissions") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise RuleSyntaxError(f"rule file is not UTF-8 (byte {exc.start})", name, line, column,
                              hint="save the file with UTF-8 encoding") from None
    return parse_text(text, name)


# ----------------------------------------------------------------------------- helpers


def pos(tok: Token) -> Pos:
    assert tok.line is not None and tok.column is not None  # optional in Lark's types; lexed tokens have them
    return Pos(tok.line, tok.column)


def unescape(quoted: str) -> str:
    """The content of a "quoted string": \\" and \\\\ stand for " and \\."""
    return re.sub(r"\\(.)", r"\1", quoted[1:-1])


def normalise_space(text: str) -> str:
    """Collapse runs of blanks to one space, outside quoted strings."""
    out, last = [], 0
    for m in _STRING_RE.finditer(text):
        out.append(re.sub(r"\s+", " ", text[last:m.start()]))
        out.append(m.group())
        last = m.end()
    out.append(re.sub(r"\s+", " ", text[last:]))
    return "".join(out).strip()


def strip_comment(line: str) -> str:
    """The line without its `#` comment (a `#` inside a quoted string is text)."""
    last = 0
    for m in _STRING_RE.finditer(line):
        hash_at = line.find("#", last, m.start())
        if hash_at >= 0:
            return line[:hash_at]
        last = m.end()
    hash_at = line.find("#", last)
    return line if hash_at < 0 else line[:hash_at]


_IRREGULAR = {"people": "people", "men": "man", "women": "woman", "children": "child", "series": "series"}


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


class _Builder(Transformer[Token, RuleFile]):
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
    def start(self, *children: Use | Test) -> RuleFile:
        uses = tuple(c for c in children if isinstance(c, Use))
        tests = tuple(c for c in children if isinstance(c, Test))
        seen: dict[str, Test] = {}
        for t in tests:
            if t.name is None:
                continue
            if t.name in seen:
                raise self.error(f'duplicate test name "{t.name}"', t.pos.line, t.pos.column,
                                 hint=f"the first test of that name is on line {seen[t.name].pos.line}; "
                                      "give each test its own name")
            seen[t.name] = t
        if not tests:
            raise RuleSyntaxError(
                NO_ASSERTIONS, self.path,
                hint=f"write one per line, e.g. `{EXAMPLE}`, or group them under test \"name\":")
        return RuleFile(self.path, uses, tests)
