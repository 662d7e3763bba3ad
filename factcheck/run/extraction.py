"""Articles to facts for a run: the cache first, then extraction in this process, a process
pool or a Dask cluster; outcomes stream in as they are known."""
from __future__ import annotations

import dataclasses
import math
import os
from typing import TYPE_CHECKING, Callable, Iterator, Sequence

from factcheck.config import Config
from factcheck.extract import ExtractionRequest
from factcheck.model import Fact, PartialFacts, Source
from factcheck.run import backends
from factcheck.run.backends import Outcome

if TYPE_CHECKING:
    from factcheck.run.cache import FactCache

Progress = Callable[[int, int, str], None]  # (done, total, source name)
ENV_SCHEDULER = "FACTCHECK_SCHEDULER"
ENV_ARTICLE_SECONDS = "FACTCHECK_ARTICLE_SECONDS"
ENV_ARTICLE_MEGABYTES = "FACTCHECK_ARTICLE_MEGABYTES"
CACHE_WRITE_EVERY = 32  # facts of this many sources per cache transaction
OWN_EXTRACTORS = frozenset({"builtin", "custom"})  # factcheck's own extractors: they read a parse-less Doc
CACHE_READ_EVERY = 256  # sources whose cached facts are read (and held) at once


def extract_all(sources: Sequence[Source], request: ExtractionRequest, progress: Progress | None = None, *,
                cache: "FactCache | None" = None, jobs: int = 1, scheduler: str | None = None,
                config: Config | None = None,
                only: frozenset[str] | None = None) -> tuple[dict[str, list[Fact]], dict[str, str]]:
    """Facts per source name (in source order), and an error line per source whose
    extraction failed: `iter_facts` collected."""
    sources = list(sources)
    found: dict[int, list[Fact]] = {}
    errors_at: dict[int, str] = {}
    for i, got, error in iter_facts(sources, request, progress, cache=cache, jobs=jobs, scheduler=scheduler,
                                    config=config, only=only):
        if got is None:
            errors_at[i] = error or ""
        else:
            found[i] = got
    facts = {sources[i].name: found[i] for i in range(len(sources)) if i in found}
    errors = {sources[i].name: errors_at[i] for i in range(len(sources)) if i in errors_at}
    return facts, errors


def iter_facts(sources: Sequence[Source], request: ExtractionRequest, progress: Progress | None = None, *,
               cache: "FactCache | None" = None, jobs: int = 1, scheduler: str | None = None,
               config: Config | None = None, only: frozenset[str] | None = None,
               decode: frozenset[str] | None = None, keys: Sequence[str] | None = None) -> Iterator[Outcome]:
    """Every source's facts as an outcome `(index, facts, error)` (exactly one of facts and
    error set), as soon as they are known: first the cache's hits, read a chunk at a time,
    then the others as extraction delivers them. Nothing is held for the whole corpus, so a
    caller that consumes outcomes as they come keeps memory flat in the number of sources.

    Sources found in `cache` are not read again; only the others go to spaCy, in this
    process (`jobs=1`), a pool of `jobs` processes, or the Dask cluster at `scheduler`.
    New facts are stored in the cache as they arrive; failures are not cached. Every
    backend gives the same facts. With `decode` (a part of `only`: the predicates the caller
    still needs, when kept verdicts answer the others), only those facts are read and
    yielded; `keys`, the sources' cache keys when the caller has them (`cache_keys`). With
    `only`, only those predicates' facts are yielded
    (the cache still stores them all). Extractors come from the plugins the config selects
    (`factcheck_extract`); one raising on a source makes that source an error. The request's
    `exclude` names spaCy components to leave out (`Rules.unneeded_components`); they are kept when a
    third-party extractor is installed, which may need them.
    """
    from factcheck.plugin import host as plugins

    sources = list(sources)
    with plugins.exported_selection(config):
        request, names = _running(request, config, only)
        if cache is not None and keys is None:
            keys = _source_keys(sources, request, names)
        yield from _iter_facts(sources, request, progress, cache, jobs, scheduler,
                               only if decode is None else decode, list(keys or ()))


def _running(request: ExtractionRequest, config: Config | None,
             only: frozenset[str] | None) -> tuple[ExtractionRequest, list[str]]:
    """The request as this run makes it (idle plugins skipped, the configured budgets) and
    the fingerprint of the extraction plugins; inside `exported_selection(config)`."""
    from factcheck.plugin import host as plugins

    pm = plugins.extraction_manager()
    names = plugins.fingerprint(pm)
    request = _as_run(request, names, plugins.idle_extractors(pm, only) if only is not None else frozenset())
    request = dataclasses.replace(request, seconds=article_seconds(config, request.seconds),
                                  megabytes=article_megabytes(config, request.megabytes))
    return request, names


def cache_keys(sources: Sequence[Source], request: ExtractionRequest, config: Config | None = None,
               only: frozenset[str] | None = None) -> list[str]:
    """The fact cache key of each source, as `iter_facts` reads and writes them."""
    from factcheck.plugin import host as plugins

    with plugins.exported_selection(config):
        request, names = _running(request, config, only)
        return _source_keys(sources, request, names)


def _source_keys(sources: Sequence[Source], request: ExtractionRequest, plugin_names: list[str]) -> list[str]:
    from factcheck.run.cache_keys import source_key

    context = _cache_context(request, plugin_names)
    return [source_key(s, context) for s in sources]


def _as_run(request: ExtractionRequest, plugin_names: list[str], skip: frozenset[str] = frozenset()) -> ExtractionRequest:
    """The request as it runs: the plugins in `skip` (extractors no assertion needs) are not
    run, nor paid for; components are kept when a third-party extractor that runs may need them."""
    request = dataclasses.replace(request, skip=frozenset(skip))
    running = [n for n in plugin_names if n.split("==")[0] not in request.skip]
    if request.exclude and any(n.split("==")[0] not in OWN_EXTRACTORS for n in running):
        return dataclasses.replace(request, exclude=())
    return request


def _cache_context(request: ExtractionRequest, plugin_names: list[str]) -> str:
    from factcheck.run.cache_keys import extraction_context

    # Facts read without a plugin's extractor are not the facts of a run that needs it.
    settings = {"plugins": plugin_names, **({"exclude": list(request.exclude)} if request.exclude else {}),
                **({"skipped": sorted(request.skip)} if request.skip else {})}
    return extraction_context(request.kb.digest(), request.model, request.extra_heads, settings)


def cached_facts(sources: Sequence[Source], request: ExtractionRequest, cache: "FactCache", *,
                 config: Config | None = None, only: frozenset[str] | None = None) -> dict[int, list[Fact]]:
    """The facts the cache holds for these sources, by index, as `iter_facts` would find them;
    nothing is extracted and spaCy is never loaded (an editor's hover: `factcheck.desk.lsp`).
    With `only` (the predicates the caller's assertions use), entries a run made without
    extractors of other predicates are found too: every subset of those plugins is tried
    (the entries of the run that used them all first)."""
    import itertools

    from factcheck.plugin import host as plugins

    with plugins.exported_selection(config):
        pm = plugins.extraction_manager()
        names = plugins.fingerprint(pm)
    idle = sorted(plugins.idle_extractors(pm, only))[:3] if only is not None else []  # 8 lookups at most
    found: dict[int, list[Fact]] = {}
    for size in range(len(idle) + 1):
        for skip in itertools.combinations(idle, size):
            keys = _source_keys(sources, _as_run(request, names, frozenset(skip)), names)
            hits = cache.get_many([k for i, k in enumerate(keys) if i not in found])
            found.update({i: hits[k] for i, k in enumerate(keys) if k in hits and i not in found})
    return found


def _iter_facts(sources: list[Source], request: ExtractionRequest, progress: Progress | None,
                cache: "FactCache | None", jobs: int, scheduler: str | None, only: frozenset[str] | None,
                keys: list[str]) -> Iterator[Outcome]:
    """`iter_facts`'s work; `keys` are the sources' cache keys (none without a cache)."""
    total = len(sources)
    done = 0
    todo = list(range(total))
    if cache is not None and sources:
        todo = []
        for start in range(0, total, CACHE_READ_EVERY):
            span = range(start, min(total, start + CACHE_READ_EVERY))
            hits = cache.get_many([keys[i] for i in span], only)
            for i in span:
                got = hits.get(keys[i])
                if got is None:
                    todo.append(i)
                    continue
                done += 1
                if progress:
                    progress(done, total, sources[i].name)
                yield i, got, None
            del hits
    if not todo:
        return
    batch = [sources[i] for i in todo]
    if scheduler:
        outcomes = backends.run_dask(batch, request, scheduler)
    else:
        outcomes = backends.run_local(batch, request, max(1, jobs))
    pending: list[tuple[str, list[Fact]]] = []
    for j, got, error in outcomes:
        i = todo[j]
        out: Outcome
        if got is None:
            out = (i, None, error or f"{sources[i].path}: extraction failed")
        else:  # the cache keeps every fact; the caller gets only what the rules can use
            out = (i, got if only is None else _only(got, only), None)
            if cache is not None and not isinstance(got, PartialFacts):  # a plugin failed: ask again next run
                pending.append((keys[i], got))
                if len(pending) >= CACHE_WRITE_EVERY:
                    cache.put_many(pending)
                    pending = []
        done += 1
        if progress:
            progress(done, total, sources[i].name)
        yield out
    if cache is not None:
        cache.put_many(pending)


def _only(facts: list[Fact], predicates: frozenset[str]) -> list[Fact]:
    """Those predicates' facts (still PartialFacts if they were: not to be kept)."""
    kept = [f for f in facts if f.predicate in predicates]
    return PartialFacts(kept) if isinstance(facts, PartialFacts) else kept


def cache_path(config: Config | None = None, cache: str | None = None, no_cache: bool = False) -> str | None:
    """The fact cache file a run uses, or None when caching is off. Precedence: `no_cache`
    (--no-cache), `cache` (--cache PATH), $FACTCHECK_CACHE (a path, or `off`), the config's
    `cache` (`cache: false` turns it off), then `.factcheck/cache.db`."""
    from factcheck.run.cache import resolve_path

    if config is not None and config.no_cache and not cache:
        no_cache = True
    return resolve_path(config.cache if config is not None else None, cache, no_cache)


def scheduler_address(config: Config | None = None, scheduler: str | None = None) -> str | None:
    """The Dask scheduler to extract on: `scheduler` (--scheduler), $FACTCHECK_SCHEDULER,
    then the config's `cluster: {scheduler: ...}`; None (or an empty value) runs locally."""
    for value in (scheduler, os.environ.get(ENV_SCHEDULER), config.scheduler if config is not None else None):
        if value is not None:
            return value.strip() or None
    return None


class ExtractionSettings:
    """Opens the run's cache (and closes it) and settles jobs and scheduler."""

    def __init__(self, config: Config | None, cache: str | None, no_cache: bool, jobs: int | None,
                 scheduler: str | None) -> None:
        from factcheck.run.cache import open_cache

        self.cache = open_cache(cache_path(config, cache, no_cache))
        configured = config.jobs if config is not None else None
        self.jobs = jobs or configured or jobs_default()
        self.scheduler = scheduler_address(config, scheduler)

    def kwargs(self) -> dict:
        return {"cache": self.cache, "jobs": self.jobs, "scheduler": self.scheduler}

    def __enter__(self) -> ExtractionSettings:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.cache is not None:
            self.cache.close()


def article_seconds(config: Config | None, default: float | None) -> float | None:
    """The per-article time budget in seconds: $FACTCHECK_ARTICLE_SECONDS, else the config's
    `article_seconds`, else `default`; 0 (or `off`) means none."""
    return _budget(os.environ.get(ENV_ARTICLE_SECONDS), getattr(config, "article_seconds", None), default)


def article_megabytes(config: Config | None, default: float | None) -> float | None:
    """The per-article memory budget in MB: $FACTCHECK_ARTICLE_MEGABYTES, else the config's
    `article_megabytes`, else `default`; 0 (or `off`) means none."""
    return _budget(os.environ.get(ENV_ARTICLE_MEGABYTES), getattr(config, "article_megabytes", None), default)


def _budget(env: str | None, configured: float | None, default: float | None) -> float | None:
    """The first of the environment's and the config's values that reads as a budget, else
    `default`; 0 (or `off`, `none`) means none. An unreadable value is ignored (the default holds)."""
    for value in (env, configured):
        if value is None or str(value).strip() == "":
            continue
        if str(value).strip().lower() in ("off", "none"):
            return None
        try:
            amount = float(value)
        except (TypeError, ValueError):
            continue
        if amount == 0:
            return None
        if math.isfinite(amount) and amount > 0:
            return amount
    return default


def jobs_default() -> int:
    return os.cpu_count() or 1
