"""Every syntax error of a rule file, not just the first: `parse_all`, for `factcheck lint`.

A file that parses is parsed once. Otherwise it is cut into its top-level statements (a test
block with its lines, an assertion, with the decorators and `use` lines before them), each
parsed on its own, and within a statement, after each error, the line at fault is replaced by
a placeholder assertion of the same indentation (so blocks keep their shape) and parsed again.
"""
from __future__ import annotations

import dataclasses
import re

from factcheck.dsl.ast import RuleFile, Test, Use
from factcheck.dsl.builder import NO_ASSERTIONS, duplicate_test_names
from factcheck.dsl.diagnostics import context
from factcheck.dsl.parser import parse_text
from factcheck.dsl.rule_text import strip_comment
from factcheck.errors import RuleSyntaxError

PLACEHOLDER = "mentions(x)"  # stands for a line with a mistake while the rest is parsed
MAX_RECOVERIES = 100  # errors reported per file; a file with more stops there, saying so


def parse_all(text: str, path: str = "<string>") -> tuple[RuleFile | None, list[RuleSyntaxError]]:
    """Every syntax error of the file (see the module). The RuleFile holds what parsed (None
    when nothing did); placeholders are left out."""
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
    errors += duplicate_test_names(tests, path, text)
    errors.sort(key=lambda e: (e.line or 0, e.column or 0))
    if not tests:
        return None, errors
    return RuleFile(path, tuple(uses), tuple(tests)), errors


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
    tests = tuple(dataclasses.replace(t, assertions=tuple(a for a in t.assertions if a.pos.line not in lines))
                  for t in rf.tests)
    return dataclasses.replace(rf, tests=tuple(t for t in tests if t.assertions))
