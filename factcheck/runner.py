"""The one road: discover -> parse -> extract -> evaluate -> Run.

The CLI and the pytest plugin are two doors into these functions; neither holds logic of
its own. Extraction is the only step that needs spaCy, and it is imported lazily, so
`lint` never pays for it.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Mapping, Sequence

from factcheck.config import Config
from factcheck.dsl import ast
from factcheck.errors import FactcheckError
from factcheck.kb import KnowledgeBase, load_kb
from factcheck.model import ERROR, Fact, PartialFacts, Result, Run, Source, Verdict
from factcheck.predicates import EVENT, PredicateSpec

if TYPE_CHECKING:
    from factcheck.cache import FactCache

Progress = Callable[[int, int, str], None]  # (done, total, source name)
ENV_SCHEDULER = "FACTCHECK_SCHEDULER"
CACHE_WRITE_EVERY = 32  # facts of this many sources per cache transaction
OWN_EXTRACTORS = frozenset({"builtin", "custom"})  # factcheck's own extractors: they read a parse-less Doc
CACHE_READ_EVERY = 256  # sources whose cached facts are read (and held) at once


@dataclass(slots=True)
class Rules:
    """Parsed, type-checked rule files and the knowledge base they use."""

    files: list[ast.RuleFile]
    kb: KnowledgeBase
    predicates: dict[str, PredicateSpec] = field(default_factory=dict)
    comparators: dict[str, object] = field(default_factory=dict)  # plugins' value comparators by predicate

    @property
    def assertions(self) -> list[tuple[ast.RuleFile, ast.Assertion]]:
        return [(f, a) for f in self.files for a in f.assertions]

    def fact_refs(self) -> list[ast.FactRef]:
        """Every fact reference of every assertion (`backers(LNA)`, `date(Berlin summit)`)."""
        return [ref for _, a in self.assertions for ref in _fact_refs(a.body)]

    def predicates_used(self) -> frozenset[str]:
        return frozenset(ref.predicate for ref in self.fact_refs())

    def event_heads(self) -> frozenset[str]:
        """Head nouns of event arguments that neither the KB nor the known event kinds cover
        ("date(Nairobi marathon)": marathon): extra event nouns for extraction to look for.
        Usually empty, so a rule-file edit does not change what extraction reads."""
        from factcheck.kb import event_head
        from factcheck.kinds import is_known_kind

        heads = set()
        for ref in self.fact_refs():
            spec = self.predicates.get(ref.predicate)
            if spec is None or spec.argument != EVENT or self.kb.event_spec(ref.argument).key:
                continue
            head = event_head(ref.argument).lower()
            if head and not is_known_kind(head):
                heads.add(head)
        return frozenset(heads)

    def unneeded_components(self) -> tuple[str, ...]:
        """spaCy components no assertion needs, left out of the pipeline: the parser, when
        every fact the rules ask for is a built-in `mentions` of an entity (a name the KB or
        the gazetteer knows, found by the phrase matcher and the recognizer). Dates,
        relations, events and plugins' predicates need the parse, so any of them keeps it."""
        from factcheck.kb import event_head
        from factcheck.kinds import is_known_kind

        refs = self.fact_refs()
        for ref in refs:
            spec = self.predicates.get(ref.predicate)
            if spec is None or spec.name != "mentions" or spec.origin != "builtin":
                return ()
            if (self.kb.event_spec(ref.argument).key or is_known_kind(event_head(ref.argument))
                    or self.kb.link(ref.argument) is None):
                return ()
        return ("parser",) if refs else ()


def predicates_registry(kb: KnowledgeBase | None = None, config: Config | None = None) -> dict[str, PredicateSpec]:
    """Every predicate, as the plugins register them through `factcheck_predicates`: the
    built-ins, the knowledge base's YAML predicates, and third-party plugins'."""
    from factcheck import plugins

    return plugins.predicates(plugins.get_plugin_manager(config), kb)


def resolve_use(rule_path: str, use: ast.Use, allowed: Sequence[str] = ()) -> str:
    """The file a rule file's `use` names, confined to the rule file's folder tree (after
    symlinks are followed) or to a knowledge base the command line or config names. Anything
    else, and anything that is not a regular file, is refused with a located error that
    names what the target is and never shows its content."""
    from factcheck.safety import special_file

    folder = Path(rule_path).parent
    target = folder / use.path

    def refuse(message: str, hint: str | None = None) -> FactcheckError:
        return FactcheckError(message, rule_path, use.pos.line, use.pos.column, hint=hint)

    try:
        real = target.resolve()
        os.stat(real)
    except FileNotFoundError:
        raise refuse(f"`use` of a missing file `{use.path}`", f"looked for {target}") from None
    except (OSError, RuntimeError) as exc:  # too long a name, a symlink loop, no permission
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "cannot be resolved"
        raise refuse(f"`use` of `{use.path[:80]}` that cannot be read ({reason.lower()})") from None
    kind = special_file(str(real))
    if kind is not None:
        raise refuse(f"`use` of `{use.path}`, which is {kind}, not a knowledge-base file")
    home = folder.resolve()
    trusted = {Path(p).resolve() for p in allowed}
    if real != home and home not in real.parents and real not in trusted:
        raise refuse(f"`use` of `{use.path}` outside the rule file's folder ({home})",
                     "keep knowledge bases beside the rule file or below it, or name the file with "
                     "--entities or `entities:` in the config")
    return str(target)


def load_rules(rule_paths: Sequence[str], entities: Sequence[str] = (), config: Config | None = None) -> Rules:
    """Parse and type-check rule files; load every KB they `use` plus `entities`."""
    from factcheck import dsl

    if not rule_paths:
        raise FactcheckError("no rule files given", hint="name one, e.g. `factcheck check rules/libya.fc`")
    files = []
    kb_paths: list[str] = []
    for path in rule_paths:
        rf = dsl.parse_file(str(path))
        allowed = [str(p) for p in entities] + ([str(p) for p in config.entities] if config is not None else [])
        for use in rf.uses:
            kb_paths.append(resolve_use(str(path), use, allowed))
        files.append(rf)
    kb_paths += [str(p) for p in entities]
    if config is not None:
        kb_paths += [str(p) for p in config.entities]
    kb = load_kb(list(dict.fromkeys(kb_paths)))
    predicates = predicates_registry(kb, config)
    checked = [dsl.check(rf, predicates) for rf in files]
    from factcheck import plugins

    return Rules(checked, kb, predicates, plugins.comparators(plugins.get_plugin_manager(config)))


def lint(rule_paths: Sequence[str], entities: Sequence[str] = (), config: Config | None = None) -> Rules:
    """Parse and type-check only: no article is read, spaCy is never imported."""
    return load_rules(rule_paths, entities, config)


def read_sources(patterns: Sequence[str], config: Config | None = None) -> tuple[list[Source], list[str]]:
    from factcheck.sources import load_sources

    from factcheck import plugins

    meta = config.sources_meta if config is not None else None
    pm = plugins.get_plugin_manager(config)
    loader = (lambda path, m: plugins.load_source(pm, path, m)) if pm.hook.factcheck_load_source.get_hookimpls() else None
    return load_sources(list(patterns), ".", meta, plugin_loader=loader)


def extract_all(sources: Sequence[Source], kb: KnowledgeBase, model: str, extra_heads: Iterable[str] = (),
                progress: Progress | None = None, *, cache: "FactCache | None" = None, jobs: int = 1,
                scheduler: str | None = None, config: Config | None = None,
                only: frozenset[str] | None = None) -> tuple[dict[str, list[Fact]], dict[str, str]]:
    """Facts per source name (in source order), and an error line per source whose
    extraction failed: `iter_facts` collected."""
    sources = list(sources)
    found: dict[int, list[Fact]] = {}
    errors_at: dict[int, str] = {}
    for i, got, error in iter_facts(sources, kb, model, extra_heads, progress, cache=cache, jobs=jobs,
                                    scheduler=scheduler, config=config, only=only):
        if got is None:
            errors_at[i] = error or ""
        else:
            found[i] = got
    facts = {sources[i].name: found[i] for i in range(len(sources)) if i in found}
    errors = {sources[i].name: errors_at[i] for i in range(len(sources)) if i in errors_at}
    return facts, errors


def iter_facts(sources: Sequence[Source], kb: KnowledgeBase, model: str, extra_heads: Iterable[str] = (),
               progress: Progress | None = None, *, cache: "FactCache | None" = None, jobs: int = 1,
               scheduler: str | None = None, config: Config | None = None,
               only: frozenset[str] | None = None,
               exclude: tuple[str, ...] = ()) -> Iterator[tuple[int, list[Fact] | None, str | None]]:
    """Every source's facts as an outcome `(index, facts, error)` (exactly one of facts and
    error set), as soon as they are known: first the cache's hits, read a chunk at a time,
    then the others as extraction delivers them. Nothing is held for the whole corpus, so a
    caller that consumes outcomes as they come keeps memory flat in the number of sources.

    Sources found in `cache` are not read again; only the others go to spaCy, in this
    process (`jobs=1`), a pool of `jobs` processes, or the Dask cluster at `scheduler`.
    New facts are stored in the cache as they arrive; failures are not cached. Every
    backend gives the same facts. With `only`, only those predicates' facts are yielded
    (the cache still stores them all). Extractors come from the plugins the config selects
    (`factcheck_extract`); one raising on a source makes that source an error. `exclude`
    names spaCy components to leave out (`Rules.unneeded_components`); they are kept when a
    third-party extractor is installed, which may need them.
    """
    from factcheck import plugins

    with plugins.exported_selection(config):
        names = plugins.fingerprint(plugins.extraction_manager())
        if any(n.split("==")[0] not in OWN_EXTRACTORS for n in names):
            exclude = ()
        yield from _iter_facts(list(sources), kb, model, frozenset(extra_heads), progress, cache, jobs, scheduler,
                               only, names, tuple(exclude))


def _iter_facts(sources, kb, model, heads, progress, cache, jobs, scheduler, only, plugin_names, exclude):
    from factcheck import cluster

    total = len(sources)
    done = 0
    keys: list[str] = []
    todo = list(range(total))
    if cache is not None and sources:
        from factcheck.cache import extraction_context, source_key

        settings = {"plugins": plugin_names, **({"exclude": list(exclude)} if exclude else {})}
        context = extraction_context(kb.digest(), model, heads, settings)
        keys = [source_key(s, context) for s in sources]
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
        outcomes = cluster.run_dask(batch, kb, model, heads, scheduler, exclude)
    else:
        outcomes = cluster.run_local(batch, kb, model, heads, max(1, jobs), exclude)
    pending: list[tuple[str, list[Fact]]] = []
    for j, got, error in outcomes:
        i = todo[j]
        if got is None:
            out = (i, None, error or f"{sources[i].path}: extraction failed")
        else:  # the cache keeps every fact; the caller gets only what the rules can use
            out = (i, got if only is None else [f for f in got if f.predicate in only], None)
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


def evaluate(rules: Rules, sources: Sequence[Source], facts: dict[str, list[Fact]],
             errors: dict[str, str] | None = None) -> list[Result]:
    """Every assertion's result on every source (assertion by assertion, sources in order)."""
    ev = Evaluation(rules, [s.name for s in sources], errors)
    for i, s in enumerate(sources):
        ev.add(i, facts.get(s.name, []))
    return ev.results()


class Evaluation:
    """Rules evaluated over sources whose facts arrive one source at a time, in any order.

    `add` evaluates every per-source assertion on that source at once and keeps only the
    verdicts, plus the few facts a `consistent` assertion will compare across sources; the
    source's other facts can then be dropped. `results` settles the `consistent` ones and
    returns every result, assertion by assertion, sources in order. A source never added
    (or named in `errors`) gets `error` verdicts."""

    def __init__(self, rules: Rules, names: Sequence[str], errors: Mapping[str, str] | None = None) -> None:
        from factcheck import engine  # not needed by `lint`, which only parses and type-checks

        self._engine = engine
        self.rules = rules
        self.names = list(names)
        self.errors = dict(errors or {})
        self._assertions = rules.assertions
        self._refs = [list(dict.fromkeys((r.predicate, r.argument) for r in _fact_refs(a.body)))
                      for _, a in self._assertions]
        self._across = [isinstance(a.body, ast.Consistent) and not a.skip for _, a in self._assertions]
        self._verdicts: list[dict[int, Verdict]] = [{} for _ in self._assertions]
        self._usable: list[dict[int, list[Fact]]] = [{} for _ in self._assertions]  # consistent: index -> facts

    def add(self, index: int, facts: Sequence[Fact]) -> None:
        """The facts of source `index` (its position in `names`)."""
        name = self.names[index]
        if name in self.errors:
            return
        rules = self.rules
        grouped: dict[str, list[Fact]] = {}
        for f in facts:
            grouped.setdefault(f.predicate, []).append(f)
        relevant: dict[tuple[str, str], list[Fact]] = {}  # (predicate, argument) -> facts, once per source
        unsure = False  # a Linker raised: let the engine match (and report the error) itself

        def bearing(refs: list[tuple[str, str]]) -> list[Fact]:
            """Only the facts about the assertion's own fact references, computed once per
            source (assertions share them: `backers(LNA) includes ...` four times)."""
            nonlocal unsure
            out: list[Fact] = []
            for ref in refs:
                if ref not in relevant:
                    predicate, argument = ref
                    spec = rules.predicates.get(predicate)
                    of = grouped.get(predicate, ())
                    if spec is None:
                        relevant[ref] = list(of)
                        continue
                    kept = []
                    for f in of:
                        match = _safe_match(rules.kb, spec, argument, f)
                        unsure = unsure or match is None
                        if match is not False:
                            kept.append(f)
                    relevant[ref] = kept
                out += relevant[ref]
            return out

        for k, (_, a) in enumerate(self._assertions):
            facts_k = bearing(self._refs[k])
            if self._across[k]:
                self._usable[k][index] = facts_k
            else:
                self._verdicts[k][index] = self._engine.evaluate(a, facts_k, name, rules.kb, rules.predicates,
                                                                 rules.comparators, None if unsure else relevant)

    def results(self) -> list[Result]:
        rules = self.rules
        results: list[Result] = []
        for k, (rf, a) in enumerate(self._assertions):
            verdicts = self._verdicts[k]
            if self._across[k]:
                usable = {self.names[i]: self._usable[k][i] for i in sorted(self._usable[k])}
                by_name = self._engine.evaluate_consistent(a, usable, rules.kb, rules.predicates, rules.comparators)
                verdicts = {i: by_name[n] for i, n in enumerate(self.names) if n in by_name}
            for i, n in enumerate(self.names):
                v = verdicts.get(i) or Verdict(ERROR, expected="", message=self.errors.get(n, "not evaluated"))
                results.append(_result(rf, a, n, v))
        return results


def _safe_match(kb: KnowledgeBase, spec: PredicateSpec, argument: str, fact: Fact) -> bool | None:
    """None when the Linker raised: a Linker error must not sink the run; the fact is kept
    and the engine, matching again, reports it."""
    try:
        return kb.subject_matches(spec, argument, fact.subject)
    except Exception:  # noqa: BLE001 - the engine evaluates again and turns it into `error`
        return None


def _result(rf: ast.RuleFile, a: ast.Assertion, source: str, v: Verdict) -> Result:
    return Result(
        file=rf.path, line=a.pos.line, column=a.pos.column, test=a.test, assertion=a.text, source=source,
        verdict=v.verdict, severity=a.severity, expected=v.expected, found=v.found, evidence=v.evidence,
        message=v.message, consensus=v.consensus, dissenters=v.dissenters,
    )


def check(rule_paths: Sequence[str], source_patterns: Sequence[str], entities: Sequence[str] = (),
          config: Config | None = None, progress: Progress | None = None, keep_facts: bool = False, *,
          cache: str | None = None, no_cache: bool = False, jobs: int | None = None,
          scheduler: str | None = None) -> Run:
    """The consistency report of rule files over sources. `cache`, `no_cache`, `jobs` and
    `scheduler` are the command line's overrides (None: the config's, or the environment's)."""
    rules = load_rules(rule_paths, entities, config)
    sources, messages = read_sources(source_patterns, config)
    model = config.model if config is not None else "en_core_web_sm"
    # An empty article states nothing, not even an absence: its assertions cannot be evaluated.
    errors = {s.name: "empty source: nothing to check" for s in sources if not s.text.strip()}
    evaluation = Evaluation(rules, [s.name for s in sources], errors)
    kept: dict[int, list[Fact]] = {}
    failed: dict[int, str] = {}  # extraction errors, by source index
    with _ExtractionSettings(config, cache, no_cache, jobs, scheduler) as how:
        only = None if keep_facts else rules.predicates_used()  # a cached run decodes only what the rules ask
        exclude = () if keep_facts else rules.unneeded_components()  # a report of every fact reads them all
        for i, got, error in iter_facts(sources, rules.kb, model, rules.event_heads(), progress, config=config,
                                        only=only, exclude=exclude, **how.kwargs()):
            if got is None:
                failed[i] = evaluation.errors[sources[i].name] = error or ""
                continue
            evaluation.add(i, got)  # the facts are dropped here unless a report shows them
            if keep_facts:
                kept[i] = got
    run = Run(results=evaluation.results(), sources=list(sources),
              errors=list(messages) + [failed[i] for i in sorted(failed)], rule_files=[str(p) for p in rule_paths])
    if keep_facts:
        run.facts = {sources[i].name: kept[i] for i in range(len(sources)) if i in kept}
    return run


def facts(source_patterns: Sequence[str], entities: Sequence[str] = (), config: Config | None = None,
          progress: Progress | None = None, *, cache: str | None = None, no_cache: bool = False,
          jobs: int | None = None, scheduler: str | None = None) -> Run:
    """Every fact the sources state (no rules)."""
    kb_paths = list(entities) + (list(config.entities) if config is not None else [])
    kb = load_kb(kb_paths)
    sources, messages = read_sources(source_patterns, config)
    model = config.model if config is not None else "en_core_web_sm"
    with _ExtractionSettings(config, cache, no_cache, jobs, scheduler) as how:
        got, errors = extract_all(sources, kb, model, (), progress, config=config, **how.kwargs())
    return Run(sources=list(sources), facts=got, errors=list(messages) + list(errors.values()))


# --------------------------------------------------------------------------- cache and workers


def cache_path(config: Config | None = None, cache: str | None = None, no_cache: bool = False) -> str | None:
    """The fact cache file a run uses, or None when caching is off. Precedence: `no_cache`
    (--no-cache), `cache` (--cache PATH), $FACTCHECK_CACHE (a path, or `off`), the config's
    `cache` (`cache: false` turns it off), then `.factcheck/cache.db`."""
    from factcheck.cache import resolve_path

    if config is not None and config.no_cache and not cache:
        no_cache = True
    return resolve_path(config.cache if config is not None else None, cache, no_cache)


def cache_info(config: Config | None = None, cache: str | None = None):
    """`factcheck cache info`: a CacheInfo(path, exists, entries, size) of the run's cache."""
    from factcheck.cache import CacheInfo, cache_info as info

    path = cache_path(config, cache)
    return info(path) if path else CacheInfo("(caching is off)", False, 0, 0)


def cache_clear(config: Config | None = None, cache: str | None = None) -> int:
    """`factcheck cache clear`: empty the run's cache; the number of entries removed."""
    from factcheck.cache import clear_cache

    path = cache_path(config, cache)
    return clear_cache(path) if path else 0


def scheduler_address(config: Config | None = None, scheduler: str | None = None) -> str | None:
    """The Dask scheduler to extract on: `scheduler` (--scheduler), $FACTCHECK_SCHEDULER,
    then the config's `cluster: {scheduler: ...}`; None (or an empty value) runs locally."""
    for value in (scheduler, os.environ.get(ENV_SCHEDULER), config.scheduler if config is not None else None):
        if value is not None:
            return value.strip() or None
    return None


class _ExtractionSettings:
    """Opens the run's cache (and closes it) and settles jobs and scheduler."""

    def __init__(self, config: Config | None, cache: str | None, no_cache: bool, jobs: int | None,
                 scheduler: str | None) -> None:
        from factcheck.cache import open_cache

        self.cache = open_cache(cache_path(config, cache, no_cache))
        configured = config.jobs if config is not None else None
        self.jobs = jobs or configured or jobs_default()
        self.scheduler = scheduler_address(config, scheduler)

    def kwargs(self) -> dict:
        return {"cache": self.cache, "jobs": self.jobs, "scheduler": self.scheduler}

    def __enter__(self) -> _ExtractionSettings:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.cache is not None:
            self.cache.close()


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
