"""The plugin manager: built in a function, cached per plugin selection, never at import time.

`get_plugin_manager(config)` registers, in order:

1. the built-in plugins (`factcheck.plugin.builtin`: predicates, extraction, report formats;
   `factcheck.plugin.yaml_predicates`: editor-defined YAML predicates), through the same hooks as anyone;
2. every entry point of the group `factcheck`, one at a time. A plugin that fails to import
   (whatever it raises, `SystemExit` included; only `KeyboardInterrupt` stops the run), whose
   hooks do not match a specification, that implements a misspelt hook (`check_pending`) or
   a hook wrapper is reported in one line on stderr and skipped; the run goes on.

Plugins are kept apart from the run. What a plugin prints, at import or in a hook, goes to
stderr, so a report on stdout stays intact. Every hook is called here, one plugin at a time
(`_answers`): a third-party plugin that raises, or answers something its hook does not
promise (`hookspecs.answer_problem`), costs only its own answer to that call, with one
warning naming it (an extractor failing on one article loses its facts on that article,
nothing else). factcheck's own plugins failing is a bug, and raises.

The config's `plugins: {enable: [...], disable: [...]}` selects entry points by name:
`enable` (when given) keeps only those, `disable` drops those. Naming a plugin that is not
installed is a ConfigError (exit 2). The built-ins cannot be disabled.

Extraction runs in worker processes that have no config: the runner exports the selection
in `FACTCHECK_PLUGINS_ENABLE` / `FACTCHECK_PLUGINS_DISABLE` (comma-separated names) while it
extracts, and `extraction_manager()` reads them; a user may set them too.
"""
from __future__ import annotations

import contextlib
import dataclasses
import difflib
import importlib
import importlib.metadata as metadata
import os
import sys
from dataclasses import dataclass, field
import functools
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping

import pluggy

from factcheck.plugin import hookspecs
from factcheck.errors import ConfigError, FactcheckError, SourceError
from factcheck.model import PartialFacts
from factcheck.safety import printable

if TYPE_CHECKING:  # pragma: no cover
    from factcheck.config import Config
    from factcheck.kb.store import KnowledgeBase
    from factcheck.model import Fact, Source
    from factcheck.predicates import PredicateSpec

ENTRY_POINT_GROUP = "factcheck"
BUILTIN_MODULES: tuple[tuple[str, str], ...] = (("builtin", "factcheck.plugin.builtin"), ("custom", "factcheck.plugin.yaml_predicates"))
OWN = frozenset(name for name, _ in BUILTIN_MODULES)
ENV_ENABLE, ENV_DISABLE = "FACTCHECK_PLUGINS_ENABLE", "FACTCHECK_PLUGINS_DISABLE"

Selection = tuple[tuple[str, ...], tuple[str, ...]]  # (enable, disable)


class PluginError(FactcheckError):
    """Two plugins claim one name, or a plugin's hook returned something unusable."""


@dataclass(frozen=True, slots=True)
class PluginInfo:
    """One plugin as `factcheck plugins` shows it."""

    name: str
    version: str
    origin: str  # the module, or the entry point's `module:attr`
    status: str = "loaded"  # loaded, failed, disabled, not enabled
    message: str = ""
    hooks: tuple[str, ...] = ()
    predicates: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()


class FactcheckPluginManager(pluggy.PluginManager):
    """A pluggy manager that also remembers what it loaded, skipped and why."""

    def __init__(self) -> None:
        super().__init__(hookspecs.PROJECT)
        self.add_hookspecs(hookspecs)
        self.infos: list[PluginInfo] = []
        self.warnings: list[str] = []
        self.dropped = 0  # third-party answers ignored so far

    def warn(self, line: str) -> None:
        """One warning line on stderr, once per manager (so once per process and run)."""
        if line not in self.warnings:
            self.warnings.append(line)
            print(printable(line), file=sys.stderr)


# --------------------------------------------------------------------------- building


def selection(config: "Config | None") -> Selection:
    """The (enable, disable) names a config asks for; ((), ()) without one."""
    if config is None:
        return (), ()
    return tuple(config.plugins_enable), tuple(config.plugins_disable)


def get_plugin_manager(config: "Config | None" = None) -> FactcheckPluginManager:
    """The plugin manager for a config's plugin selection, built on first use and cached."""
    return _manager(selection(config))


def extraction_manager() -> FactcheckPluginManager:
    """The manager extraction uses: the selection exported by the runner (or the user) in
    FACTCHECK_PLUGINS_ENABLE / FACTCHECK_PLUGINS_DISABLE, else every installed plugin."""
    return _manager(_env_selection())


def clear_cache() -> None:
    """Forget every built manager (tests installing plugins; a long-lived process)."""
    _manager.cache_clear()


@contextlib.contextmanager
def exported_selection(config: "Config | None") -> Iterator[None]:
    """Export a config's selection to the environment while extraction runs, so that worker
    processes build the same manager. Restores the previous values afterwards."""
    enable, disable = selection(config)
    if config is None or (not enable and not disable):
        yield
        return
    saved = {k: os.environ.get(k) for k in (ENV_ENABLE, ENV_DISABLE)}
    os.environ[ENV_ENABLE], os.environ[ENV_DISABLE] = ",".join(enable), ",".join(disable)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _env_selection() -> Selection:
    def names(key: str) -> tuple[str, ...]:
        return tuple(n.strip() for n in os.environ.get(key, "").split(",") if n.strip())

    return names(ENV_ENABLE), names(ENV_DISABLE)


@lru_cache(maxsize=16)
def _manager(chosen: Selection) -> FactcheckPluginManager:
    enable, disable = chosen
    pm = FactcheckPluginManager()
    for name, module in BUILTIN_MODULES:
        pm.register(importlib.import_module(module), name=name)
        pm.infos.append(PluginInfo(name, _own_version(), module))
    entries = _entry_points()
    _check_names(enable, disable, [ep.name for ep in entries])
    for ep in entries:
        if enable and ep.name not in enable:
            pm.infos.append(PluginInfo(ep.name, _dist_version(ep), ep.value, "not enabled"))
        elif ep.name in disable:
            pm.infos.append(PluginInfo(ep.name, _dist_version(ep), ep.value, "disabled"))
        else:
            _load_one(pm, ep)
    _add_contents(pm)
    return pm


def _entry_points() -> list[metadata.EntryPoint]:
    """The group's entry points, one per name (the first on sys.path wins), sorted by name."""
    seen: dict[str, metadata.EntryPoint] = {}
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        seen.setdefault(ep.name, ep)
    return [seen[n] for n in sorted(seen)]


def _check_names(enable: tuple[str, ...], disable: tuple[str, ...], installed: list[str]) -> None:
    for key, names in (("enable", enable), ("disable", disable)):
        for name in names:
            if name in OWN and key == "disable":
                raise ConfigError(f"the built-in plugin `{name}` cannot be disabled",
                                  hint="disable third-party plugins by their entry-point name")
            if name not in installed and name not in OWN:
                close = difflib.get_close_matches(name, installed, n=1, cutoff=0.6)
                known = ", ".join(f"`{n}`" for n in installed) or "none"
                hint = f"did you mean `{close[0]}`?" if close else f"installed plugins: {known}"
                raise ConfigError(f"unknown plugin `{name}` in `plugins.{key}`", hint=hint)


def _load_one(pm: FactcheckPluginManager, ep: metadata.EntryPoint) -> None:
    """Import and register one entry point, printing to stderr only; on any failure warn and
    skip it."""
    version = _dist_version(ep)
    with contextlib.redirect_stdout(sys.stderr):
        skipped = _register(pm, ep)
    if skipped:
        pm.warn(f"factcheck: warning: plugin `{ep.name}` {skipped}")
        pm.infos.append(PluginInfo(ep.name, version, ep.value, "failed", skipped))
    else:
        pm.infos.append(PluginInfo(ep.name, version, ep.value))


def _register(pm: FactcheckPluginManager, ep: metadata.EntryPoint) -> str | None:
    """None when `ep` is loaded and registered, else why it is skipped (nothing of it stays)."""
    try:
        plugin = ep.load()
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: BLE001 - SystemExit too: a broken plugin must not stop the run
        return f"failed to load and is skipped: {_describe(exc)}"
    try:
        pm.register(plugin, name=ep.name)
    except Exception as exc:  # noqa: BLE001 - pluggy.PluginValidationError, ValueError (registered twice)
        return f"is skipped: {_first_line(exc)}"
    try:
        pm.check_pending()
        wrappers = sorted(c.name for c in pm.get_hookcallers(plugin) or ()
                          for i in c.get_hookimpls() if i.plugin_name == ep.name and (i.wrapper or i.hookwrapper))
        if wrappers:
            raise pluggy.PluginValidationError(plugin, f"hook wrappers are not supported ({', '.join(wrappers)})")
    except pluggy.PluginValidationError as exc:
        pm.unregister(name=ep.name)
        return f"is skipped: {_first_line(exc)}"
    return None


def _describe(exc: BaseException) -> str:
    """`Type: first line of the message`, for a one-line warning."""
    return f"{type(exc).__name__}: {_first_line(exc)}" if str(exc).strip() else type(exc).__name__


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _dist_version(ep: metadata.EntryPoint) -> str:
    dist = getattr(ep, "dist", None)
    return getattr(dist, "version", None) or "?"


def _own_version() -> str:
    """factcheck's version, from its package metadata (the root package is a facade over the
    run, which this layer must not import)."""
    try:
        return metadata.version("factcheck")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "?"


def _add_contents(pm: FactcheckPluginManager) -> None:
    """Fill in the hooks each loaded plugin implements, and its predicates and formats (the
    knowledge base's YAML predicates are not known yet)."""
    found: dict[str, dict[str, list[str]]] = {"predicates": {}, "formats": {}}
    for name, specs in _answers(pm, "factcheck_predicates", kb=None):
        found["predicates"].setdefault(name, []).extend(spec.name for spec in specs)
    for name, formats in _answers(pm, "factcheck_report_formats"):
        found["formats"].setdefault(name, []).extend(sorted(formats))
    infos = []
    for info in pm.infos:
        plugin = pm.get_plugin(info.name) if info.status == "loaded" else None
        if plugin is not None:
            info = dataclasses.replace(
                info, hooks=tuple(sorted(c.name for c in pm.get_hookcallers(plugin) or ())),
                predicates=tuple(found["predicates"].get(info.name, ())),
                formats=tuple(found["formats"].get(info.name, ())))
        infos.append(info)
    pm.infos = infos


# --------------------------------------------------------------------------- calling hooks


def _answers(pm: FactcheckPluginManager, hook: str, skip: frozenset[str] = frozenset(),
             **args: Any) -> Iterator[tuple[str, Any]]:
    """(plugin name, answer) of each implementation of `hook` (but the plugins in `skip`), in
    pluggy's calling order, None and unusable answers left out (see `_ask`); lazily, so a
    caller taking the first answer calls no further plugin."""
    for impl in reversed(getattr(pm.hook, hook).get_hookimpls()):
        if impl.plugin_name in skip:
            continue
        answer = _ask(pm, impl.plugin_name, hook + _where(args), impl.function,
                      [args[a] for a in impl.argnames], hook, args)
        if answer is not None:
            yield impl.plugin_name, answer


def _ask(pm: FactcheckPluginManager, plugin: str, what: str, func: Any, args: list[Any], contract: str,
         context: Mapping[str, Any]) -> Any:
    """`func(*args)` of `plugin`, kept apart: stdout goes to stderr while it runs, and its
    answer is checked against `contract` (`hookspecs.answer_problem`). When a third-party
    plugin raises (SystemExit too) or answers something unusable: one warning naming it and
    `what` it was asked, and None. Our own plugins failing is a bug, and raises (for an
    extractor, that source becomes an error); so do KeyboardInterrupt and a SourceError (a
    plugin saying a file cannot be read)."""
    own = plugin in OWN
    try:
        with contextlib.redirect_stdout(sys.stderr):
            answer = func(*args)
    except (KeyboardInterrupt, SourceError):
        raise
    except BaseException as exc:  # noqa: BLE001 - one plugin's bug costs only its own answer
        if own:
            raise
        problem: str | None = f"failed: {_describe(exc)}"
    else:
        problem = None if answer is None else hookspecs.answer_problem(contract, answer, context)
    if problem is None:
        return answer
    if own:
        raise ValueError(f"plugin `{plugin}`: {what} {problem}")
    pm.dropped += 1
    pm.warn(f"factcheck: warning: plugin `{plugin}`: {what} {problem}; its answer is ignored")
    return None


def _first(pm: FactcheckPluginManager, hook: str, **args: Any) -> Any:
    """The first usable answer of a `firstresult` hook, or None."""
    return next((answer for _, answer in _answers(pm, hook, **args)), None)


def _where(args: Mapping[str, Any]) -> str:
    if args.get("source") is not None:
        return f" on {args['source'].name}"
    return f" on {args['path']}" if "path" in args else ""


# --------------------------------------------------------------------------- what the hooks give


def predicates(pm: FactcheckPluginManager, kb: "KnowledgeBase | None" = None) -> "dict[str, PredicateSpec]":
    """The predicate registry: every plugin's predicates (built-ins first). A name claimed twice
    is a PluginError naming both origins."""
    out: dict[str, PredicateSpec] = {}
    for _, batch in reversed(list(_answers(pm, "factcheck_predicates", kb=kb))):
        for spec in batch:
            if spec.name in out and out[spec.name] != spec:
                raise PluginError(f"predicate `{spec.name}` is defined twice: by {out[spec.name].origin} "
                                  f"and by {spec.origin}", hint="rename one of them")
            out[spec.name] = spec
    return out


def report_formats(pm: FactcheckPluginManager) -> "dict[str, hookspecs.Renderer]":
    """Format name -> render function, from every plugin (built-ins first)."""
    out: dict[str, hookspecs.Renderer] = {}
    owners: dict[str, str] = {}
    for plugin_name, formats in _per_plugin(pm, "factcheck_report_formats"):
        for name, render in formats.items():
            if name in out:
                raise PluginError(f"report format `{name}` is defined twice: by {owners[name]} and by {plugin_name}")
            out[name], owners[name] = render, plugin_name
    return out


def comparators(pm: FactcheckPluginManager) -> "dict[str, hookspecs.Comparator]":
    """Predicate name -> the comparator a plugin gives for it, kept apart like a hook."""
    out: dict[str, hookspecs.Comparator] = {}
    for name, batch in reversed(list(_answers(pm, "factcheck_comparators"))):
        out.update({predicate: _KeptComparator(pm, name, c) for predicate, c in batch.items()})
    return out


@dataclass(frozen=True, slots=True)
class _KeptComparator:
    """A plugin's comparator as the engine sees it: called like a hook (`_ask`), so that a
    failure or an unusable verdict is a warning and None, and the engine decides."""

    pm: FactcheckPluginManager
    plugin: str
    comparator: Any

    def compare(self, stated: Any, op: str, asserted: str) -> str | None:
        return _ask(self.pm, self.plugin, "comparator compare", self.comparator.compare, [stated, op, asserted],
                    "Comparator.compare", {})

    def consistent(self, facts_by_source: Mapping[str, Any]) -> Mapping[str, Any] | None:
        return _ask(self.pm, self.plugin, "comparator consistent", self.comparator.consistent, [facts_by_source],
                    "Comparator.consistent", {})


def extract(pm: FactcheckPluginManager, doc: Any, source: "Source", kb: "KnowledgeBase", nlp: Any,
            extra_heads: frozenset[str], skip: frozenset[str] = frozenset()) -> "list[Fact]":
    """Every extractor's facts for one parsed article (built-in first; the plugins in `skip`
    not asked), entity names passed through the `factcheck_link` hook. A third-party
    extractor that fails on this article, or gives facts that are not facts of it (evidence
    not at its offsets...), loses its own facts here, with a warning naming it; the others'
    facts stay."""
    dropped = pm.dropped
    answers = _answers(pm, "factcheck_extract", skip, doc=doc, source=source, kb=kb, nlp=nlp,
                       extra_heads=extra_heads)
    facts = [f for _, batch in answers for f in batch]
    if pm.hook.factcheck_link.get_hookimpls():
        facts = [_relink(pm, f, kb) for f in facts]
    return PartialFacts(facts) if pm.dropped > dropped else facts


def extractor(skip: frozenset[str] = frozenset()) -> "Callable[..., list[Fact]]":
    """Every installed extractor (but the plugins in `skip`) as one function of a parsed
    article, (doc, source, kb, nlp, extra_heads) -> facts: what the run layer hands to
    extraction."""
    return functools.partial(extract, extraction_manager(), skip=frozenset(skip))


def idle_extractors(pm: FactcheckPluginManager, used: frozenset[str]) -> frozenset[str]:
    """The third-party plugins whose extraction no assertion needs: each extracts
    (`factcheck_extract`), defines predicates, none of them in `used`, and links no names
    (`factcheck_link` changes every fact). A plugin that defines no predicate of its own may
    add facts to the built-in ones, and always runs; so do factcheck's own extractors."""
    return frozenset(i.name for i in pm.infos
                     if i.status == "loaded" and i.name not in OWN and "factcheck_extract" in i.hooks
                     and "factcheck_link" not in i.hooks and i.predicates and not set(i.predicates) & used)


def _relink(pm: FactcheckPluginManager, fact: "Fact", kb: "KnowledgeBase") -> "Fact":
    from factcheck.model import Entity

    changes: dict[str, Any] = {}
    if isinstance(fact.value, Entity):
        name = _first(pm, "factcheck_link", name=fact.value.name, kb=kb)
        if name:
            changes["value"] = Entity(name)
    if fact.subject.kind == "entity" and fact.subject.name:
        name = _first(pm, "factcheck_link", name=fact.subject.name, kb=kb)
        if name:
            changes["subject"] = dataclasses.replace(fact.subject, name=name)
    return dataclasses.replace(fact, **changes) if changes else fact


def load_source(pm: FactcheckPluginManager, path: str, meta: Mapping[str, Any]) -> "Source | None":
    """A plugin's Source for a file of a new kind, or None (the built-in reader takes it)."""
    return _first(pm, "factcheck_load_source", path=path, meta=meta)


def fingerprint(pm: FactcheckPluginManager) -> list[str]:
    """`name==version` of every plugin that shapes extraction (extract or link hooks): part of
    the fact cache key, so that installing or removing such a plugin re-reads the sources."""
    return [f"{i.name}=={i.version}" for i in pm.infos
            if i.status == "loaded" and {"factcheck_extract", "factcheck_link"} & set(i.hooks)]


def _per_plugin(pm: FactcheckPluginManager, hook: str) -> list[tuple[str, Any]]:
    """(plugin name, answer) for one hook, in registration order."""
    order = {info.name: i for i, info in enumerate(pm.infos)}
    return sorted(_answers(pm, hook), key=lambda pair: order.get(pair[0], len(order)))


@dataclass(frozen=True, slots=True)
class Listing:
    """`factcheck plugins`: every plugin seen, and the warnings of loading them."""

    plugins: tuple[PluginInfo, ...]
    warnings: tuple[str, ...] = field(default=())


def listing(config: "Config | None" = None) -> Listing:
    pm = get_plugin_manager(config)
    return Listing(tuple(pm.infos), tuple(pm.warnings))
