"""The one road: discover -> parse -> extract -> evaluate -> Run.

The CLI and the pytest plugin are two doors into these functions; neither holds logic of
its own. Extraction is the only step that needs spaCy, and it is imported lazily, so
`lint` never pays for it.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from factcheck import engine
from factcheck.config import Config
from factcheck.dsl import ast
from factcheck.errors import FactcheckError
from factcheck.kb import KnowledgeBase, load_kb
from factcheck.model import ERROR, Fact, Result, Run, Source, Verdict
from factcheck.predicates import BUILTIN_PREDICATES, EVENT, PredicateSpec

Progress = Callable[[int, int, str], None]  # (done, total, source name)


@dataclass(slots=True)
class Rules:
    """Parsed, type-checked rule files and the knowledge base they use."""

    files: list[ast.RuleFile]
    kb: KnowledgeBase
    predicates: dict[str, PredicateSpec] = field(default_factory=dict)

    @property
    def assertions(self) -> list[tuple[ast.RuleFile, ast.Assertion]]:
        return [(f, a) for f in self.files for a in f.assertions]

    def event_heads(self) -> frozenset[str]:
        """Last words of event arguments the KB does not know: extra event nouns to look for."""
        heads = set()
        for _, a in self.assertions:
            for ref in _fact_refs(a.body):
                spec = self.predicates.get(ref.predicate)
                if spec is not None and spec.argument == EVENT and ref.argument.lower() not in self.kb.events:
                    heads.add(ref.argument.split()[-1].lower())
        return frozenset(heads)


def predicates_registry() -> dict[str, PredicateSpec]:
    return dict(BUILTIN_PREDICATES)


def load_rules(rule_paths: Sequence[str], entities: Sequence[str] = (), config: Config | None = None) -> Rules:
    """Parse and type-check rule files; load every KB they `use` plus `entities`."""
    from factcheck import dsl

    if not rule_paths:
        raise FactcheckError("no rule files given", hint="name one, e.g. `factcheck check rules/libya.fc`")
    predicates = predicates_registry()
    files = []
    kb_paths: list[str] = []
    for path in rule_paths:
        rf = dsl.parse_file(str(path))
        for use in rf.uses:
            target = Path(path).parent / use.path
            if not target.is_file():
                raise FactcheckError(f"`use` of a missing file `{use.path}`", str(path), use.pos.line, use.pos.column,
                                     hint=f"looked for {target}")
            kb_paths.append(str(target))
        files.append(rf)
    kb_paths += [str(p) for p in entities]
    if config is not None:
        kb_paths += [str(p) for p in config.entities]
    kb = load_kb(list(dict.fromkeys(kb_paths)))
    checked = [dsl.check(rf, predicates) for rf in files]
    return Rules(checked, kb, predicates)


def lint(rule_paths: Sequence[str], entities: Sequence[str] = ()) -> Rules:
    return load_rules(rule_paths, entities)


def read_sources(patterns: Sequence[str], config: Config | None = None) -> tuple[list[Source], list[str]]:
    from factcheck.sources import load_sources

    meta = config.sources_meta if config is not None else None
    return load_sources(list(patterns), ".", meta)


def extract_all(sources: Sequence[Source], kb: KnowledgeBase, model: str, extra_heads: Iterable[str] = (),
                progress: Progress | None = None) -> tuple[dict[str, list[Fact]], dict[str, str]]:
    """Facts per source name, and an error line per source whose extraction failed."""
    from factcheck import extract

    facts: dict[str, list[Fact]] = {}
    errors: dict[str, str] = {}
    heads = frozenset(extra_heads)
    total = len(sources)
    try:
        for i, (src, got) in enumerate(extract.extract_many(list(sources), kb, model, heads), 1):
            facts[src.name] = got
            if progress:
                progress(i, total, src.name)
    except FactcheckError:
        raise
    except Exception:  # one bad article must not sink the others: redo them one by one
        for src in sources:
            if src.name in facts:
                continue
            try:
                facts[src.name] = extract.extract_source(src, kb, model, heads)
            except Exception as exc:  # noqa: BLE001 - reported as that source's error
                errors[src.name] = f"{src.path}: extraction failed: {type(exc).__name__}: {exc}"
    return facts, errors


def evaluate(rules: Rules, sources: Sequence[Source], facts: dict[str, list[Fact]],
             errors: dict[str, str] | None = None) -> list[Result]:
    errors = errors or {}
    results: list[Result] = []
    names = [s.name for s in sources]
    for rf, a in rules.assertions:
        if isinstance(a.body, ast.Consistent) and not a.skip:
            usable = {n: facts.get(n, []) for n in names if n not in errors}
            verdicts = engine.evaluate_consistent(a, usable, rules.kb, rules.predicates)
        else:
            verdicts = {n: engine.evaluate(a, facts.get(n, []), n, rules.kb, rules.predicates) for n in names if n not in errors}
        for n in names:
            v = verdicts.get(n) or Verdict(ERROR, expected="", message=errors.get(n, "not evaluated"))
            results.append(_result(rf, a, n, v))
    return results


def _result(rf: ast.RuleFile, a: ast.Assertion, source: str, v: Verdict) -> Result:
    return Result(
        file=rf.path, line=a.pos.line, column=a.pos.column, test=a.test, assertion=a.text, source=source,
        verdict=v.verdict, severity=a.severity, expected=v.expected, found=v.found, evidence=v.evidence,
        message=v.message, consensus=v.consensus, dissenters=v.dissenters,
    )


def check(rule_paths: Sequence[str], source_patterns: Sequence[str], entities: Sequence[str] = (),
          config: Config | None = None, progress: Progress | None = None, keep_facts: bool = False) -> Run:
    """The consistency report of rule files over sources."""
    rules = load_rules(rule_paths, entities, config)
    sources, messages = read_sources(source_patterns, config)
    model = config.model if config is not None else "en_core_web_sm"
    facts, errors = extract_all(sources, rules.kb, model, rules.event_heads(), progress)
    run = Run(results=evaluate(rules, sources, facts, errors), sources=list(sources),
              errors=list(messages) + list(errors.values()), rule_files=[str(p) for p in rule_paths])
    if keep_facts:
        run.facts = facts
    return run


def facts(source_patterns: Sequence[str], entities: Sequence[str] = (), config: Config | None = None,
          progress: Progress | None = None) -> Run:
    """Every fact the sources state (no rules)."""
    kb_paths = list(entities) + (list(config.entities) if config is not None else [])
    kb = load_kb(kb_paths)
    sources, messages = read_sources(source_patterns, config)
    model = config.model if config is not None else "en_core_web_sm"
    got, errors = extract_all(sources, kb, model, (), progress)
    return Run(sources=list(sources), facts=got, errors=list(messages) + list(errors.values()))


def _fact_refs(node) -> Iterable[ast.FactRef]:
    if isinstance(node, (ast.Comparison, ast.BoolFact, ast.Consistent)):
        yield node.fact
    elif isinstance(node, ast.Not):
        yield from _fact_refs(node.operand)
    elif isinstance(node, (ast.And, ast.Or)):
        yield from _fact_refs(node.left)
        yield from _fact_refs(node.right)


def jobs_default() -> int:
    return os.cpu_count() or 1
