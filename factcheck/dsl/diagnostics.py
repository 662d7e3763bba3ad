"""Syntax errors that teach: Lark's exceptions -> `RuleSyntaxError`.

Lark says which token it met and which terminals it expected. From that, and from the text
of the line before the error, `explain` names the common mistakes (a missing `)`, `=` for `==`,
a misspelt operator, a test without `:`...) and says how to fix them. Every error carries
file, line, column, a hint and `context`: the offending line with a caret under the column.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import cast

from lark import Token
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

from factcheck.dsl.value_mistakes import value_mistake
from factcheck.errors import RuleSyntaxError

EXAMPLE = "date(Berlin summit) == 2020-01-19"
VALUE_HINT = "write a date (2020-01-19), a number, a quantity (9 months), a name or a set {A, B}"
OP_TERMINALS = {"EQ", "NE", "LT", "LE", "GT", "GE", "MATCH", "INCLUDES", "EXCLUDES", "IN"}
VALUE_TERMINALS = {"DATE", "NUMBER", "STRING", "LBRACE"}
STATEMENT_START = {"NOT", "LPAR", "CONSISTENT"}
OPERATOR_WORDS = ("includes", "excludes", "in", "all", "any", "and", "or", "not")
# English words editors reach for, and the operator they mean.
OPERATOR_SYNONYMS = {"is": "==", "equals": "==", "equal": "==", "contains": "includes", "has": "includes",
                     "include": "includes", "exclude": "excludes", "lacks": "excludes"}
_OP_BEFORE = re.compile(r"(==|!=|<=|>=|<|>|~=|includes all|includes any|includes|excludes|\bin)\s*$")
_TERMINAL_NAMES = {
    "EQ": "`==`", "NE": "`!=`", "LT": "`<`", "LE": "`<=`", "GT": "`>`", "GE": "`>=`", "MATCH": "`~=`",
    "INCLUDES": "`includes`", "EXCLUDES": "`excludes`", "IN": "`in`", "ALL": "`all`", "ANY": "`any`",
    "AND": "`and`", "OR": "`or`", "NOT": "`not`", "USE": "`use`", "TEST": "`test`",
    "CONSISTENT": "`consistent`", "LPAR": "`(`", "RPAR": "`)`", "LBRACE": "`{`", "RBRACE": "`}`",
    "COMMA": "`,`", "COLON": "`:`", "STRING": "a quoted string", "WORD": "a word", "DATE": "a date",
    "NUMBER": "a number", "DECORATOR": "a decorator", "_NL": "the end of the line",
    "_INDENT": "an indented line", "_DEDENT": "the end of the block", "$END": "the end of the file",
}


class IndentationProblem(LarkError):
    """Raised by the indenter: a line dedented to a column no enclosing block started at."""

    def __init__(self, line: int, column: int, indent: int, levels: tuple[int, ...]) -> None:
        super().__init__(f"dedent to {indent}, expected one of {levels}")
        self.line, self.column, self.indent, self.levels = line, column, indent, levels


def context(text: str, line: int, column: int) -> str | None:
    """The line `line` of `text` (tabs expanded), then a caret under `column` (1-based)."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return None
    src = printable(lines[line - 1])
    caret = len(src[: max(column - 1, 0)].expandtabs(4))
    return f"{src.expandtabs(4)}\n{' ' * caret}^"


def printable(line: str) -> str:
    """The line with control characters (NUL, ESC...) shown as `?`, one for one, so a
    hostile rule file cannot drive the terminal and the caret stays in its column."""
    return "".join("?" if (ord(c) < 32 and c != "\t") or 0x7F <= ord(c) < 0xA0 else c for c in line)


def syntax_error(exc: Exception, text: str, path: str) -> RuleSyntaxError:
    """Turn a Lark exception (or an IndentationProblem) into a RuleSyntaxError."""
    message, hint, line, column = explain(exc, text)
    mistake = value_mistake(_line(text, line)) if not isinstance(exc, IndentationProblem) else None
    if mistake is not None:
        message, hint, column = mistake
    return RuleSyntaxError(message, path, line, column, hint=hint, context=context(text, line, column))


def explain(exc: Exception, text: str) -> tuple[str, str | None, int, int]:
    """(message, hint, line, column) for a Lark exception."""
    if isinstance(exc, IndentationProblem):
        levels = " or ".join(str(n) for n in exc.levels)
        return (f"bad indentation: {exc.indent} columns matches no block around this line (expected {levels})",
                "indent every assertion of a test block by the same amount", exc.line, exc.column)
    if isinstance(exc, UnexpectedCharacters):
        return _characters(exc, text)
    if isinstance(exc, UnexpectedToken):
        return _token(exc, text)
    if isinstance(exc, UnexpectedEOF):  # pragma: no cover - the LALR parser reports $END tokens
        lines = text.splitlines() or [""]
        return "unexpected end of file", None, len(lines), len(lines[-1]) + 1
    return str(exc), None, 1, 1  # pragma: no cover - Lark raises nothing else while parsing


# ----------------------------------------------------------------------------- characters


def _characters(exc: UnexpectedCharacters, text: str) -> tuple[str, str | None, int, int]:
    start = cast(int, exc.pos_in_stream)  # declared None on lark's base class; the lexer sets the offset
    at = text[start:start + 2]
    line, column = exc.line, exc.column
    if at.startswith('"'):
        return ('unterminated string: the closing `"` is missing',
                'close the string on the same line: "Berlin summit"', line, column)
    if at[:1] in "“”„‘’":
        return (f"curly quote `{at[0]}`", 'use straight double quotes: "Berlin summit"', line, column)
    if at == "=>":
        return "`=>` is not an operator", "did you mean `>=`?", line, column
    if at == "=<":
        return "`=<` is not an operator", "did you mean `<=`?", line, column
    if at.startswith("="):
        return "`=` is not an operator", "did you mean `==`?", line, column
    if at.startswith("!"):
        return "`!` is not an operator", "did you mean `!=` (or `not` before an assertion)?", line, column
    if at.startswith("@"):
        return ("`@` without a decorator name", 'the decorators are @warning, @info and @skip "reason"', line, column)
    char = exc.char
    if not char.isprintable():
        char = f"U+{ord(char):04X}"
    return f"unexpected character `{char}`", _expected_hint(exc.allowed or set()), line, column


# ----------------------------------------------------------------------------- tokens


Explanation = tuple[str, str | None, int, int]  # message, hint, line, column


@dataclass(frozen=True, slots=True)
class _Met:
    """The token the parser met where it expected something else, and what surrounds it."""

    tok: Token
    expected: set[str]  # the terminals that could have come
    line: int
    column: int
    before: str  # the line up to the token
    shown: str  # the token as a message names it
    text: str

    @property
    def kind(self) -> str:
        return self.tok.type


def _token(exc: UnexpectedToken, text: str) -> Explanation:
    """The first explanation that fits, tried from the most particular mistake to the least."""
    line, column = _where(exc.token, text)
    met = _Met(exc.token, _expected(exc), line, column, _line(text, line)[: column - 1], _show(exc.token), text)
    for explain in (_block_mistake, _unclosed, _value_or_operator, _fact_start, _joining):
        found = explain(met)
        if found is not None:
            return found
    return f"unexpected {met.shown}", _expected_hint(met.expected), line, column


def _block_mistake(m: _Met) -> Explanation | None:
    """Indentation, an empty test, a misplaced decorator, a test or `use` line written wrong."""
    kind, expected, line, column = m.kind, m.expected, m.line, m.column
    if kind == "_INDENT":
        return ("unexpected indentation", "only the assertions of a test block are indented, all by the "
                "same amount; start this line at column 1", line, column)
    if expected == {"_INDENT"}:
        tline, tcol, name = _last_test(m.text, line)
        return (f"test {name} has no assertions", "indent its assertions under it, e.g. "
                f"`    {EXAMPLE}`", tline, tcol)
    if kind == "DECORATOR" and "_DEDENT" in expected:
        return ("a decorator inside a test block", "put decorators on the lines before `test`, "
                "they apply to all its assertions", line, column)
    if kind == "$END" and "TEST" in expected and "WORD" in expected:
        return ("a decorator must be followed by a test or an assertion",
                f"put the test or the assertion on the next line, e.g. `{EXAMPLE}`", line, column)
    if "COLON" in expected:
        if kind in ("_NL", "$END"):
            return "missing `:` after the test name", 'end the line with a colon: test "name":', line, column
        return (f"expected `:` after the test name, found {m.shown}", 'write test "name": alone on its line',
                line, column)
    if expected == {"STRING"}:
        keyword = "use" if re.search(r"\buse\s*$", m.before) else "test"
        hint = 'use "libya.entities.yaml"' if keyword == "use" else 'test "Who signed the ceasefire":'
        return f"`{keyword}` needs a quoted string, found {m.shown}", f"write {hint}", line, column
    return None


def _unclosed(m: _Met) -> Explanation | None:
    """A `(` or `{` left open, or a predicate's parentheses with nothing in them."""
    kind, expected, line, column, before = m.kind, m.expected, m.line, m.column, m.before
    if "RPAR" in expected and kind not in ("RPAR", "LPAR") and (
            expected <= {"WORD", "NUMBER", "RPAR"} or kind in ("_NL", "$END")):
        col, pred = _open_paren(before)
        if pred:
            return (f"missing `)` to close `{pred}(`", "close the argument before the operator, e.g. "
                    "`date(Berlin summit) == 2020-01-19`", line, column)
        if col:
            return f"missing `)`: the `(` at column {col} is not closed", "close it on the same line", line, column
    if kind == "RPAR" and expected <= {"WORD", "STRING"}:
        pred = _open_paren(before)[1] or "the predicate"
        return (f"`{pred}()` needs an argument", "name what it is about, e.g. `date(Berlin summit)`",
                line, column)
    if "RBRACE" in expected and kind in ("_NL", "$END", "RPAR"):
        brace = before.rfind("{")
        where = f" opened at column {brace + 1}" if brace >= 0 else ""
        return f"missing `}}`: the set{where} is not closed", "close it: {UAE, Egypt, Jordan}", line, column
    return None


def _value_or_operator(m: _Met) -> Explanation | None:
    """A value missing after an operator, or an operator missing after a fact."""
    expected = m.expected
    if expected & VALUE_TERMINALS and not expected & OP_TERMINALS and "AND" not in expected:
        op_before = _OP_BEFORE.search(m.before)
        op = op_before.group(1) if op_before else None
        if m.kind in ("_NL", "$END", "AND", "OR", "RPAR"):
            after = f" after `{op}`" if op else ""
            return f"missing value{after}", VALUE_HINT, m.line, m.column
        return f"expected a value, found {m.shown}", VALUE_HINT, m.line, m.column
    if expected & OP_TERMINALS:
        return _after_fact(m.tok, m.shown, m.line, m.column)
    return None


def _fact_start(m: _Met) -> Explanation | None:
    """A predicate without its `(`, or `consistent` without a fact."""
    line, column, before = m.line, m.column, m.before
    if m.expected == {"LPAR"}:
        word = re.search(r"([^\W\d_][\w'’.&-]*)\s*$", before)
        name = word.group(1) if word else "the predicate"
        joined = re.search(r"(?:includes|excludes|==|!=|\bin|\ball|\bany|\{|,)\s*"
                           r"((?:[^\W\d_][\w'’.&-]*\s+)+(and|or)\s+" + re.escape(name) + r")\s*$", before)
        if joined:
            return (f"expected `(` after `{name}`", f"`{joined.group(2)}` joins two assertions; if this is one "
                    f'name, put it in quotes: "{joined.group(1)}"', line, column)
        return (f"expected `(` after `{name}`", f"a fact is written predicate(argument), e.g. `{name}(Berlin summit)`",
                line, column)
    if m.expected == {"WORD"} and re.search(r"\bconsistent\s*$", before):
        return (f"expected a fact after `consistent`, found {m.shown}",
                "write `consistent date(Berlin summit)`", line, column)
    return None


def _joining(m: _Met) -> Explanation | None:
    """Around `and`, `or` and `not`, and where an assertion should start."""
    kind, expected, line, column, before = m.kind, m.expected, m.line, m.column, m.before
    if "AND" in expected and "WORD" not in expected and kind not in ("_NL", "$END"):
        return _stray(m.tok, m.shown, line, column)
    if "AND" in expected and kind == "LPAR":
        op_and = re.search(r"(==|!=|<=|>=|<|>|~=|\bincludes all|\bincludes any|\bincludes|\bexcludes|\bin)\s+"
                           r"(and|or|not)\s+\S*$", before)
        if op_and:  # `f(x) < and g(y)`: the keyword was read as the first word of a name
            return f"missing value after `{op_and.group(1)}`", VALUE_HINT, line, op_and.start(2) + 1
        return ("unexpected `(` after a name", "to combine two assertions put `and` or `or` between them",
                line, column)
    if kind in ("_NL", "$END") and re.search(r"\bnot\s*$", before):
        return "`not` needs an assertion after it", "e.g. `not mentions(France)`", line, column
    if kind in ("_NL", "$END") and (joiner := re.search(r"\b(and|or)\s*$", before)):
        kw = joiner.group(1)
        return f"`{kw}` needs an assertion after it", f"e.g. `mentions(Jordan) {kw} mentions(Egypt)`", line, column
    if expected & STATEMENT_START or "WORD" in expected and "TEST" in expected:
        if kind in ("DATE", "NUMBER", "STRING", "LBRACE"):
            return (f"an assertion cannot start with {m.shown}", f"start with a fact: `{EXAMPLE}`", line, column)
        return f"unexpected {m.shown}", f"an assertion looks like `{EXAMPLE}`", line, column
    return None


def _after_fact(tok: Token, shown: str, line: int, column: int) -> tuple[str, str | None, int, int]:
    """A fact was complete; an operator, `and`/`or` or the end of the line was expected."""
    ops = "==, !=, <, <=, >, >=, includes, excludes, in"
    if tok.type == "WORD":
        word = tok.value
        if word.lower() in OPERATOR_SYNONYMS:
            return f"unknown operator `{word}`", f"did you mean `{OPERATOR_SYNONYMS[word.lower()]}`?", line, column
        close = difflib.get_close_matches(word.lower(), OPERATOR_WORDS, n=1, cutoff=0.6)
        if close and close[0] not in ("all", "any", "not"):
            return f"unknown operator `{word}`", f"did you mean `{close[0]}`?", line, column
        return (f"expected an operator, found `{word}`", f"the operators are {ops}", line, column)
    if tok.type in ("DATE", "NUMBER", "STRING", "LBRACE"):
        return f"missing operator before {shown}", f"e.g. `{EXAMPLE}`", line, column
    return f"unexpected {shown} after the fact", f"the operators are {ops}", line, column


def _stray(tok: Token, shown: str, line: int, column: int) -> tuple[str, str | None, int, int]:
    """Something after a complete assertion."""
    if tok.type == "WORD":
        close = difflib.get_close_matches(tok.value.lower(), ("and", "or"), n=1, cutoff=0.6)
        if close and tok.value.lower() != close[0]:
            return f"unexpected `{tok.value}` after the assertion", f"did you mean `{close[0]}`?", line, column
    return (f"unexpected {shown} after the assertion",
            "one assertion per line; to combine two, put `and` or `or` between them; "
            "a name with several words goes in quotes", line, column)


# ----------------------------------------------------------------------------- helpers


def _expected(exc: UnexpectedToken) -> set[str]:
    """The terminals that could really come next. Lark's own `expected` is, after a lexer
    fallback, the lexer's set; the interactive parser knows the parser's."""
    parser = getattr(exc, "interactive_parser", None)
    if parser is not None:
        try:
            return set(parser.accepts())
        except LarkError:  # pragma: no cover - accepts() only replays the parse table
            pass
    return set(exc.expected)


def _where(tok: Token, text: str) -> tuple[int, int]:
    """1-based position of a token; the end of the text for $END (which has none)."""
    if tok.type == "$END" or tok.line is None or tok.column is None:
        lines = text.splitlines() or [""]
        idx = len(lines)
        while idx > 1 and not lines[idx - 1].strip():
            idx -= 1
        content = lines[idx - 1]
        return idx, len(content.split("#", 1)[0].rstrip()) + 1
    return tok.line, tok.column


def _line(text: str, line: int) -> str:
    lines = text.splitlines()
    return lines[line - 1] if 1 <= line <= len(lines) else ""


def _show(tok: Token) -> str:
    if tok.type in ("WORD", "DATE", "NUMBER", "STRING", "DECORATOR") or tok.type in _TERMINAL_NAMES and tok.value \
            and tok.type not in ("_NL", "_INDENT", "_DEDENT", "$END"):
        return f"`{tok.value}`"
    return _TERMINAL_NAMES.get(tok.type, tok.type)


def _open_paren(before: str) -> tuple[int | None, str | None]:
    """The 1-based column of the `(` still open at the end of `before`, and the predicate
    written before it (None for a grouping parenthesis)."""
    depth = 0
    for i in range(len(before) - 1, -1, -1):
        if before[i] == ")":
            depth += 1
        elif before[i] == "(":
            if depth == 0:
                m = re.search(r"([^\W\d_][\w'’.&-]*)\s*$", before[:i])
                word = m.group(1) if m else None
                return i + 1, (None if word in ("and", "or", "not") else word)
            depth -= 1
    return None, None


def _last_test(text: str, line: int) -> tuple[int, int, str]:
    """The `test "name":` line at or before `line`: (line, column, "name")."""
    lines = text.splitlines()
    for idx in range(min(line, len(lines)), 0, -1):
        m = re.match(r'(\s*)test\s+("(?:[^"\\]|\\.)*")', lines[idx - 1])
        if m:
            return idx, len(m.group(1)) + 1, m.group(2)
    return line, 1, '""'


def _expected_hint(expected: set[str]) -> str | None:
    names = sorted({_TERMINAL_NAMES.get(e, e) for e in expected if e not in ("_NL",)})
    return f"expected {', '.join(names)}" if names else None
