"""Diagnostics: every mistake of a rule file or a knowledge base as the editor holds it, each
a `Problem` whose range covers the offending word. Nothing raises: an unexpected exception
becomes one problem at the top of the file."""
from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from factcheck.errors import FactcheckError

if TYPE_CHECKING:  # pragma: no cover - types only
    from factcheck.desk.lsp.project import Project
    from factcheck.dsl.ast import RuleFile
    from factcheck.kb.store import KnowledgeBase

_TOKEN = re.compile(r'"[^"\n]*"?|[\w][\w.\-]*|\S')
MAX_SYNTAX_ERRORS = 20


@dataclass(frozen=True, slots=True)
class Problem:
    """One diagnostic, 0-based like the protocol: a range in the document and a message."""

    line: int
    start: int
    end: int
    message: str
    kind: str = "error"  # "error" or "warning"


def diagnostics(text: str, path: str, project: Project | None) -> list[Problem]:
    try:
        if path.endswith((".yaml", ".yml")):
            return kb_diagnostics(text, path)
        return rule_diagnostics(text, path, project)
    except Exception as exc:  # noqa: BLE001 - the server stays up whatever the file holds
        return [Problem(0, 0, 1, f"factcheck could not check this file: {type(exc).__name__}: {exc}")]


def rule_diagnostics(text: str, path: str, project: Project | None = None) -> list[Problem]:
    """Every syntax error (up to MAX_SYNTAX_ERRORS), `use` and KB error, and type error."""
    lines = text.splitlines()
    rf, problems, set_aside = _parse_setting_aside(lines, path)
    if rf is None:
        return problems
    kb, kb_problems = _used_kb(rf, path, lines, project)
    problems += kb_problems
    problems += _type_errors(rf, kb, project, lines, set_aside)
    return sorted(problems, key=lambda p: (p.line, p.start))


def _parse_setting_aside(lines: list[str], path: str) -> tuple[RuleFile | None, list[Problem], set[int]]:
    """Parse; after each syntax error, set its line aside (a placeholder stands in) and parse
    again. The rule file (None when it never parses), the syntax errors, the lines set aside."""
    from factcheck import dsl
    from factcheck.errors import RuleSyntaxError

    problems: list[Problem] = []
    work = list(lines)
    set_aside: set[int] = set()
    for _ in range(MAX_SYNTAX_ERRORS):
        try:
            return dsl.parse_text("\n".join(work) + "\n", path), problems, set_aside
        except RuleSyntaxError as err:
            problems.append(_problem(err, lines))
            row = (err.line or 0) - 1
            if not 0 <= row < len(work) or row in set_aside:
                break
            set_aside.add(row)
            work[row] = _placeholder(work[row])
    return None, problems, set_aside


def _placeholder(line: str) -> str:
    """A line that parses in place of one that does not, keeping the block structure."""
    indent = line[: len(line) - len(line.lstrip())]
    body = line.strip()
    if body.endswith(":"):
        return f'{indent}test "_":'
    if not indent:
        return "# " + body
    return f"{indent}mentions(x)"


def _used_kb(rf: RuleFile, path: str, lines: list[str],
             project: Project | None) -> tuple[KnowledgeBase | None, list[Problem]]:
    """The knowledge base the rule file `use`s, plus the config's (None when it does not
    load), and a problem for each `use` that does not resolve and for a KB that does not load."""
    from factcheck.kb.store import load_kb
    from factcheck.run.rules import resolve_use

    problems: list[Problem] = []
    allowed = [str(p) for p in project.config.entities] if project is not None and project.config else []
    kb_paths = []
    for named in rf.uses:
        try:
            kb_paths.append(resolve_use(path, named, allowed))
        except FactcheckError as err:
            problems.append(_problem(err, lines))
    if project is not None and project.config is not None:
        kb_paths += [str(p) for p in project.config.entities]
    try:
        return load_kb(list(dict.fromkeys(kb_paths))), problems
    except FactcheckError as err:
        return None, problems + [_kb_problem(err, rf, path, lines)]


def _kb_problem(err: FactcheckError, rf: RuleFile, path: str, lines: list[str]) -> Problem:
    """A KB that does not load, on the `use` line that names it (else the first `use`)."""
    broken = os.path.abspath(err.file) if err.file else None
    use = next((u for u in rf.uses if os.path.abspath(os.path.join(os.path.dirname(path), u.path)) == broken),
               rf.uses[0] if rf.uses else None)
    where = f"{err.file}:{err.line}" if err.line else (err.file or "")
    msg = f"the knowledge base does not load: {where}: {err.message}"
    if use is None:
        return Problem(0, 0, 1, msg)
    row, start, _ = _span(lines, use.pos.line, use.pos.column)
    return Problem(row, start, len(lines[row]) if row < len(lines) else start + 1, msg)


def _type_errors(rf: RuleFile, kb: KnowledgeBase | None, project: Project | None, lines: list[str],
                 set_aside: set[int]) -> list[Problem]:
    """Every type error, but those of the placeholders standing for lines that do not parse."""
    from factcheck.dsl.types import check_all

    predicates = project.predicates(kb) if project is not None else None
    if predicates is None:
        from factcheck.predicates import BUILTIN_PREDICATES

        predicates = dict(BUILTIN_PREDICATES)
    return [_problem(type_error, lines) for type_error in check_all([rf], predicates)
            if (type_error.line or 0) - 1 not in set_aside]


def kb_diagnostics(text: str, path: str) -> list[Problem]:
    """The KB loader's error on this text (as it stands in the editor), or none."""
    from factcheck.kb.loader import load_entries

    lines = text.splitlines()
    with tempfile.TemporaryDirectory(prefix="factcheck-lsp-") as tmp:
        copy = os.path.join(tmp, os.path.basename(path) or "kb.entities.yaml")
        with open(copy, "w", encoding="utf-8") as fh:
            fh.write(text)
        try:
            load_entries([copy])
        except FactcheckError as err:
            err.message = err.message.replace(copy, path)
            return [_problem(err, lines)]
    return []


def _problem(err: FactcheckError, lines: Sequence[str], prefix: str = "") -> Problem:
    row, start, end = _span(lines, err.line, err.column)
    msg = err.message + (f"; {err.hint}" if err.hint else "")
    return Problem(row, start, end, prefix + msg)


def _span(lines: Sequence[str], line: int | None, column: int | None) -> tuple[int, int, int]:
    """(0-based line, start, end) of the word at a 1-based line and column."""
    if not line or line < 1:
        return 0, 0, 1
    row = min(line, max(len(lines), 1)) - 1
    text = lines[row] if row < len(lines) else ""
    start = max((column or 1) - 1, 0)
    if start >= len(text):
        return row, len(text), len(text) + 1
    m = _TOKEN.match(text, start)
    return row, start, (m.end() if m else start + 1)
