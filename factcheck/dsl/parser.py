"""Rule-file text -> the frozen AST of `factcheck.dsl.ast`.

The grammar lives in `grammar.lark` (LALR, contextual lexer). The Lark parser is built once,
on first use, and kept in a module-level cache; `builder.py` turns its tree into the AST.
Lark's syntax errors become `RuleSyntaxError`s through `diagnostics.py`; mistakes that parse
but make no sense (a month 13, `@warn`, two tests of the same name...) are raised by the
builder with the same care, and nesting too deep for a recursive transformer is refused here.
`recovery.py` finds every error of a file for lint.

Public API: `parse_text(text, path="<string>") -> RuleFile` and `parse_file(path) -> RuleFile`.
"""
from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

from lark import Lark, Token
from lark.exceptions import UnexpectedInput, VisitError
from lark.indenter import Indenter

from factcheck.dsl.ast import And, Consistent, Expr, Not, Or, RuleFile
from factcheck.dsl.builder import TreeBuilder
from factcheck.dsl.diagnostics import IndentationProblem, context, syntax_error
from factcheck.dsl.rule_text import STRING_RE, strip_comment
from factcheck.errors import RuleSyntaxError
from factcheck.safety import UnreadableFile, read_regular

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
        rulefile = TreeBuilder(text, path).transform(tree)
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


def _check_nesting(text: str, path: str) -> None:
    """Refuse parentheses or `not`s nested more than MAX_NESTING deep before Lark's
    recursive tree transformer (and the engine after it) would overflow the stack."""
    for number, line in enumerate(text.split("\n"), 1):
        if line.count("(") + line.count("not") <= MAX_NESTING:
            continue  # the common case: nothing to scan
        code = STRING_RE.sub(lambda m: " " * len(m.group()), strip_comment(line))
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
    data = read_rule_file(name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise RuleSyntaxError(f"rule file is not UTF-8 (byte {exc.start})", name, line, column,
                              hint="save the file with UTF-8 encoding") from None
    return parse_text(text, name)


def read_rule_file(path: str) -> bytes:
    """The bytes of a rule file; a RuleSyntaxError naming the file when it cannot be read (a
    missing file, a directory, a FIFO or device, no permission)."""
    try:
        return read_regular(path)
    except UnreadableFile as exc:
        hint = None if exc.special else "check the path and its permissions"
        raise RuleSyntaxError(f"cannot read rule file: {exc}", path, hint=hint) from None
