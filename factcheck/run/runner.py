"""The one road: discover -> parse -> extract -> evaluate -> Run.

The CLI and the pytest plugin are two doors into these functions; neither holds logic of
its own. Rules come from `run.rules`, facts from `run.extraction` (cache, backends), verdicts
from `run.evaluation`. Extraction is the only step that needs spaCy, and it is imported
lazily, so `lint` never pays for it.
"""
from __future__ import annotations

from typing import NamedTuple, Sequence

from factcheck.config import DEFAULT_MODEL, Config
from factcheck.extract import ExtractionRequest
from factcheck.kb.store import load_kb
from factcheck.model import Fact, Run, Source
from factcheck.run.backends import BudgetOverrun
from factcheck.run.evaluation import Evaluation, empty_sources, evaluate  # noqa: F401 - evaluate: the shells call it here
from factcheck.run.checking import Checking
from factcheck.run.extraction import ExtractionSettings, Progress, cache_path, extract_all
from factcheck.run.rules import Rules, load_rules
from factcheck.sources.memo import SourceMemo


def lint(rule_paths: Sequence[str], entities: Sequence[str] = (), config: Config | None = None) -> Rules:
    """Parse and type-check only: no article is read, spaCy is never imported."""
    return load_rules(rule_paths, entities, config)


def read_sources(patterns: Sequence[str], config: Config | None = None) -> tuple[list[Source], list[str]]:
    """The sources that could be read, and every line about the reading (refusals and warnings)."""
    found = read_sources_split(patterns, config)
    return found.sources, found.lines


class SourcesRead(NamedTuple):
    """`read_sources` split for CI: `refused` maps each file that matched but could not be
    read (binary, over the size limit, unreadable, bad front matter) to its error line;
    `warnings` are the other lines (a pattern matching nothing, HTML stripped, ...)."""

    sources: list[Source]
    warnings: list[str]
    refused: dict[str, str]
    lines: list[str]  # every line, in the order read: refusals and warnings


def read_sources_split(patterns: Sequence[str], config: Config | None = None,
                       memo: SourceMemo | None = None) -> SourcesRead:
    """The sources; with `memo` (the fact cache), a file read by an earlier run and unchanged
    since is not read again (`factcheck.sources.memo`)."""
    from factcheck.plugin import host as plugins
    from factcheck.sources.files import read_all

    meta = config.sources_meta if config is not None else None
    pm = plugins.get_plugin_manager(config)
    loader = (lambda path, m: plugins.load_source(pm, path, m)) if pm.hook.factcheck_load_source.get_hookimpls() else None
    found, lines, refused = read_all(list(patterns), ".", meta, plugin_loader=loader, memo=memo)
    errors = set(refused.values())
    return SourcesRead(found, [m for m in lines if m not in errors], refused, lines)


def rule_facts(rules: Rules, sources: Sequence[Source], model: str = DEFAULT_MODEL,
               progress: Progress | None = None, **settings) -> tuple[dict[str, list[Fact]], dict[str, str]]:
    """Facts per source name and error lines per failed source, read for these rules (the
    pytest plugin's and the rule tests' extraction; `settings` as `extract_all` takes them)."""
    return extract_all(sources, ExtractionRequest(rules.kb, model, rules.event_heads()), progress, **settings)


def check(rule_paths: Sequence[str], source_patterns: Sequence[str], entities: Sequence[str] = (),
          config: Config | None = None, progress: Progress | None = None, keep_facts: bool = False, *,
          cache: str | None = None, no_cache: bool = False, jobs: int | None = None,
          scheduler: str | None = None) -> Run:
    """The consistency report of rule files over sources. `cache`, `no_cache`, `jobs` and
    `scheduler` are the command line's overrides (None: the config's, or the environment's)."""
    rules = load_rules(rule_paths, entities, config)
    with ExtractionSettings(config, cache, no_cache, jobs, scheduler) as how:
        sources, warnings, refused, _ = read_sources_split(source_patterns, config, how.cache)
        request = ExtractionRequest(rules.kb, config.model if config is not None else DEFAULT_MODEL,
                                    # a report of every fact reads every component
                                    rules.event_heads(), () if keep_facts else rules.unneeded_components())
        evaluation = Evaluation(rules, [s.name for s in sources], empty_sources(sources))
        reading = Checking(rules, sources, request, evaluation, how, config, keep_facts, progress)
        reading.run()
        results = reading.results()
    failed = reading.failed
    run = Run(results=results, sources=list(sources),
              errors=list(refused.values()) + [failed[i] for i in sorted(failed)],
              rule_files=[str(p) for p in rule_paths], warnings=warnings + reading.warnings)
    if keep_facts:
        run.facts = {sources[i].name: reading.kept[i] for i in range(len(sources)) if i in reading.kept}
    return run


def facts(source_patterns: Sequence[str], entities: Sequence[str] = (), config: Config | None = None,
          progress: Progress | None = None, *, cache: str | None = None, no_cache: bool = False,
          jobs: int | None = None, scheduler: str | None = None) -> Run:
    """Every fact the sources state (no rules)."""
    kb_paths = list(entities) + (list(config.entities) if config is not None else [])
    kb = load_kb(kb_paths)
    with ExtractionSettings(config, cache, no_cache, jobs, scheduler) as how:
        sources, warnings, refused, _ = read_sources_split(source_patterns, config, how.cache)
        request = ExtractionRequest(kb, config.model if config is not None else DEFAULT_MODEL)
        got, errors = extract_all(sources, request, progress, config=config, **how.kwargs())
    overruns: list[str] = [e for e in errors.values() if isinstance(e, BudgetOverrun)]
    return Run(sources=list(sources), facts=got, warnings=warnings + overruns,
               errors=list(refused.values()) + [e for e in errors.values() if not isinstance(e, BudgetOverrun)])


def cache_info(config: Config | None = None, cache: str | None = None):
    """`factcheck cache info`: a CacheInfo(path, exists, entries, size) of the run's cache."""
    from factcheck.run.cache import CacheInfo, cache_info as info

    path = cache_path(config, cache)
    return info(path) if path else CacheInfo("(caching is off)", False, 0, 0)


def cache_clear(config: Config | None = None, cache: str | None = None) -> int:
    """`factcheck cache clear`: empty the run's cache; the number of entries removed."""
    from factcheck.run.cache import clear_cache

    path = cache_path(config, cache)
    return clear_cache(path) if path else 0


