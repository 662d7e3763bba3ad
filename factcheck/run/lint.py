"""`factcheck lint`: every mistake of the rule files, the knowledge base and (with
`--sources`) the sources' metadata, in one run, without reading any article.

Errors are what cannot work (a syntax or type error, a KB that does not load, a person used
as an event, a source that cannot be read); warnings are what probably does not do what the
editor meant (a name neither the KB nor the gazetteer knows, an event kind or place the
engine cannot use, an unknown metadata key, a source with no publication date). Every
finding is `file:line:col: severity: message`, with a did-you-mean or the text to write
where one fits. spaCy is never imported.
"""
from __future__ import annotations

from typing import Sequence

from factcheck.config import Config
from factcheck.dsl import ast
from factcheck.errors import FactcheckError
from factcheck.kb.store import KnowledgeBase, load_kb
from factcheck.predicates import PredicateSpec
from factcheck.run.lint_findings import ERROR, INFO, SEVERITY_ORDER, WARNING, Finding, LintReport, from_error
from factcheck.run.lint_kb import kb_findings
from factcheck.run.lint_meaning import meaning
from factcheck.run.lint_sources import source_findings
from factcheck.run.rules import predicates_registry, resolve_use

# The severities the command line counts by are read from here (cli.py: lint.ERROR...).
__all__ = ["lint", "Finding", "LintReport", "ERROR", "WARNING", "INFO"]


def lint(rule_paths: Sequence[str], entities: Sequence[str] = (), config: Config | None = None,
         source_patterns: Sequence[str] = ()) -> LintReport:
    from factcheck import dsl

    report = LintReport()
    out = report.findings
    allowed = [str(p) for p in entities] + ([str(p) for p in config.entities] if config is not None else [])
    files, kb_paths = _rule_files(rule_paths, allowed, report)
    kb, kb_loaded = _knowledge_base(kb_paths + allowed, out)
    predicates = _predicates(kb, config, out)
    for path, rf, text in files:
        out += [from_error(e, "type") for e in dsl.check_all([rf], predicates)]
        if kb_loaded:
            out += meaning(rf, kb, predicates, text)
    out += kb_findings(kb)
    if source_patterns:
        out += source_findings(source_patterns, config)
    unique = list(dict.fromkeys(out))
    unique.sort(key=lambda f: (f.file or "", f.line if f.line is not None else 1 << 30, f.column or 0,
                               SEVERITY_ORDER.get(f.severity, 3)))
    report.findings = unique
    return report


def _rule_files(rule_paths: Sequence[str], allowed: list[str],
                report: LintReport) -> tuple[list[tuple[str, ast.RuleFile, str]], list[str]]:
    """Every rule file parsed as far as it goes (its syntax errors and refused `use` lines go
    to the report), with its text; and the knowledge bases their `use` lines name."""
    from factcheck.dsl.recovery import parse_all

    out = report.findings
    files: list[tuple[str, ast.RuleFile, str]] = []
    kb_paths: list[str] = []
    for path in map(str, rule_paths):
        try:
            text = _read_rule_file(path)
        except FactcheckError as exc:
            out.append(from_error(exc, "syntax"))
            continue
        rf, errors = parse_all(text, path)
        out += [from_error(e, "syntax") for e in errors]
        if rf is None:
            continue
        report.assertions[path] = len(rf.assertions)
        for use in rf.uses:
            try:
                kb_paths.append(resolve_use(path, use, allowed))
            except FactcheckError as exc:
                out.append(from_error(exc, "use"))
        files.append((path, rf, text))
    return files, kb_paths


def _knowledge_base(paths: list[str], out: list[Finding]) -> tuple[KnowledgeBase, bool]:
    """The knowledge base of those files, and whether it loaded: names are not checked against
    a KB that did not load (an empty one stands in, its error goes to `out`)."""
    try:
        return load_kb(list(dict.fromkeys(paths))), True
    except FactcheckError as exc:
        out.append(from_error(exc, "kb"))
        return KnowledgeBase(), False


def _predicates(kb: KnowledgeBase, config: Config | None, out: list[Finding]) -> dict[str, PredicateSpec]:
    """The predicate registry; the built-ins alone when the plugins' cannot be had."""
    try:
        return predicates_registry(kb, config)
    except FactcheckError as exc:
        out.append(from_error(exc, "config"))
        from factcheck.predicates import BUILTIN_PREDICATES

        return dict(BUILTIN_PREDICATES)


def _read_rule_file(path: str) -> str:
    from factcheck.dsl.parser import read_rule_file
    from factcheck.errors import RuleSyntaxError

    data = read_rule_file(path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RuleSyntaxError(f"rule file is not UTF-8 (byte {exc.start})", path,
                              hint="save the file with UTF-8 encoding") from None
