"""The one road: discover -> parse -> extract -> evaluate -> Run.

The CLI and the pytest plugin are two doors into these functions; neither holds logic of
its own. Rules come from `run.rules`, facts from `run.extraction` (cache, backends), verdicts
from `run.evaluation`. Extraction is the only step that needs spaCy, and it is imported
lazily, so `lint` never pays for it.
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, NamedTuple, Sequence

from factcheck.config import DEFAULT_MODEL, Config
from factcheck.extract import ExtractionRequest
from factcheck.kb.store import load_kb
from factcheck.model import Fact, Run, Source
from factcheck.run.backends import BudgetOverrun
from factcheck.run.evaluation import Evaluation, empty_sources, evaluate  # noqa: F401 - evaluate: the shells call it here
from factcheck.run import split
from factcheck.run.extraction import ExtractionSettings, Progress, cache_keys, cache_path, extract_all, iter_facts
from factcheck.run.rules import Rules, load_rules

if TYPE_CHECKING:
    from factcheck.run.cache import FactCache


def lint(rule_paths: Sequence[str], entities: Sequence[str] = (), config: Config | None = None) -> Rules:
    """Parse and type-check only: no article is read, spaCy is never imported."""
    return load_rules(rule_paths, entities, config)


def read_sources(patterns: Sequence[str], config: Config | None = None) -> tuple[list[Source], list[str]]:
    """The sources that could be read, and every line about the reading (refusals and warnings)."""
    from factcheck.sources.files import load_sources
    from factcheck.plugin import host as plugins

    meta = config.sources_meta if config is not None else None
    pm = plugins.get_plugin_manager(config)
    loader = (lambda path, m: plugins.load_source(pm, path, m)) if pm.hook.factcheck_load_source.get_hookimpls() else None
    return load_sources(list(patterns), ".", meta, plugin_loader=loader)


class SourcesRead(NamedTuple):
    """`read_sources` split for CI: `refused` maps each file that matched but could not be
    read (binary, over the size limit, unreadable, bad front matter) to its error line;
    `warnings` are the other lines (a pattern matching nothing, HTML stripped, ...)."""

    sources: list[Source]
    warnings: list[str]
    refused: dict[str, str]


def read_sources_split(patterns: Sequence[str], config: Config | None = None) -> SourcesRead:
    from factcheck.sources.files import expand_patterns

    found, messages = read_sources(patterns, config)
    read_paths = {os.path.realpath(s.path) for s in found}
    refused = {p: next((m for m in messages if m.startswith(p + ":")), f"{p}: cannot be read")
               for p in expand_patterns(list(patterns))[0] if os.path.realpath(p) not in read_paths}
    errors = set(refused.values())
    return SourcesRead(found, [m for m in messages if m not in errors], refused)


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
    sources, warnings, refused = read_sources_split(source_patterns, config)
    request = ExtractionRequest(rules.kb, config.model if config is not None else DEFAULT_MODEL,
                                # a report of every fact reads every component
                                rules.event_heads(), () if keep_facts else rules.unneeded_components())
    evaluation = Evaluation(rules, [s.name for s in sources], empty_sources(sources))
    kept: dict[int, list[Fact]] = {}
    failed: dict[int, str] = {}  # extraction errors, by source index
    with ExtractionSettings(config, cache, no_cache, jobs, scheduler) as how:
        only = None if keep_facts else rules.predicates_used()  # a cached run decodes only what the rules ask
        counted = _Counted(progress, len(sources))

        def take(indices: list[int]) -> None:
            """Facts of these sources (cached or extracted) into the evaluation, as they come."""
            subset = [sources[j] for j in indices]
            for k, got, error in iter_facts(subset, request, counted.step, config=config, only=only, **how.kwargs()):
                i = indices[k]
                if got is None:
                    evaluation.errors[sources[i].name] = error or ""
                    if isinstance(error, BudgetOverrun):  # the article is reported; the run goes on
                        warnings.append(error)
                    else:
                        failed[i] = error or ""
                    continue
                evaluation.add(i, got)  # the facts are dropped here unless a report shows them
                if keep_facts:
                    kept[i] = got

        half = None if keep_facts or how.jobs < 2 or how.cache is None else _fork_half(evaluation, sources, request,
                                                                                      how.cache, config, only)
        try:
            take(half.remaining if half else list(range(len(sources))))
            if half:
                undone = half.join(evaluation)  # a share the child could not do is done here
                counted.skip(len(half.theirs) - len(undone), sources[half.theirs[-1]].name)
                take(undone)
        finally:
            if half:
                half.close()
    run = Run(results=evaluation.results(), sources=list(sources),
              errors=list(refused.values()) + [failed[i] for i in sorted(failed)],
              rule_files=[str(p) for p in rule_paths], warnings=warnings)
    if keep_facts:
        run.facts = {sources[i].name: kept[i] for i in range(len(sources)) if i in kept}
    return run


class _Counted:
    """A progress callback over the whole run for `take`'s calls on parts of it."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def step(self, done: int, total: int, name: str) -> None:  # noqa: ARG002 - a part's own count
        self.skip(1, name)

    def skip(self, n: int, name: str) -> None:
        self.done += n
        if self.progress:
            self.progress(self.done, self.total, name)


def _fork_half(evaluation: Evaluation, sources: Sequence[Source], request: ExtractionRequest, cache: "FactCache",
               config: Config | None, only: frozenset[str] | None) -> "split.Half | None":
    """Half of the cached sources evaluated by a forked child (`run.split`), when it pays."""
    if len(sources) < split.FORK_FROM:
        return None
    keys = cache_keys(sources, request, config, only)
    return split.fork_half(evaluation, sources, keys, cache.present(keys), cache.path, only)


def facts(source_patterns: Sequence[str], entities: Sequence[str] = (), config: Config | None = None,
          progress: Progress | None = None, *, cache: str | None = None, no_cache: bool = False,
          jobs: int | None = None, scheduler: str | None = None) -> Run:
    """Every fact the sources state (no rules)."""
    kb_paths = list(entities) + (list(config.entities) if config is not None else [])
    kb = load_kb(kb_paths)
    sources, warnings, refused = read_sources_split(source_patterns, config)
    request = ExtractionRequest(kb, config.model if config is not None else DEFAULT_MODEL)
    with ExtractionSettings(config, cache, no_cache, jobs, scheduler) as how:
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


