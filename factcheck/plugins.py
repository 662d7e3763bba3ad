"""The plugin manager: built in a function, cached per plugin selection, never at import time.

`get_plugin_manager(config)` registers, in order:

1. the built-in plugins (`factcheck.builtin`: predicates, extraction, report formats;
   `factcheck.custom`: editor-defined YAML predicates), through the same hooks as anyone;
2. every entry point of the group `factcheck`, one at a time. A plugin that fails to import,
   whose hooks do not match a specification, or that implements a misspelt hook
   (`check_pending`) is reported in one line on stderr and skipped; the run goes on.

The config's `plugins: {enable: [...], disable: [...]}` selects entry points by name:
`enable` (when given) keeps only those, `disable` drops those. Naming a plugin that is not
installed is a ConfigError (exit 2). The built-ins cannot be disabled.

Extraction runs in worker processes that have no config: the runner exports the selection
in `FACTCHECK_PLUGINS_ENABLE` / `FACTCHECK_PLUGINS_DISABLE` (comma-separated names) while it
extracts, and `extraction_manager()` reads them; a user may set them too.
"""
from __future__ import annotations

import contextlib
import difflib
import importlib
import importlib.metadata as metadata
import os
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterator, Mapping

import pluggy

from factcheck import hookspecs
from factcheck.errors import ConfigError, FactcheckError

if TYPE_CHECKING:  # pragma: no cover
    from factcheck.config import Config
    from factcheck.kb import KnowledgeBase
    from factcheck.model import Fact, Source
    from factcheck.predicates import PredicateSpec

ENTRY_POINT_GROUP = "factcheck"
BUILTIN_MODULES: tuple[tuple[str, str], ...] = (("builtin", "factcheck.builtin"), ("custom", "factcheck.custom"))
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
    pm.infos = [_with_contents(pm, info) for info in pm.infos]
    return pm


def _entry_points() -> list[metadata.EntryPoint]:
    """The group's entry points, one per name (the first on sys.path wins), sorted by name."""
    seen: dict[str, metadata.EntryPoint] = {}
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        seen.setdefault(ep.name, ep)
    return [seen[n] for n in sorted(seen)]


def _check_names(enable: tuple[str, ...], disable: tuple[str, ...], installed: list[str]) -> None:
    builtin = [name for name, _ in BUILTIN_MODULES]
    for key, names in (("enable", enable), ("disable", disable)):
        for name in names:
            if name in builtin and key == "disable":
                raise ConfigError(f"the built-in plugin `{name}` cannot be disabled",
                                  hint="disable third-party plugins by their entry-point name")
            if name not in installed and name not in builtin:
                close = difflib.get_close_matches(name, installed, n=1, cutoff=0.6)
                known = ", ".join(f"`{n}`" for n in installed) or "none"
                hint = f"did you mean `{close[0]}`?" if close else f"installed plugins: {known}"
                raise ConfigError(f"unknown plugin `{name}` in `plugins.{key}`", hint=hint)


def _load_one(pm: FactcheckPluginManager, ep: metadata.EntryPoint) -> None:
    """Import and register one entry point; on any failure warn, unregister and skip it."""
    version = _dist_version(ep)
    try:
        plugin = ep.load()
    except Exception as exc:  # noqa: BLE001 - a broken plugin must not stop the run
        _skip(pm, ep, version, f"failed to load and is skipped: {type(exc).__name__}: {exc}")
        return
    try:
        pm.register(plugin, name=ep.name)
    except Exception as exc:  # noqa: BLE001 - pluggy.PluginValidationError, ValueError (registered twice)
        _skip(pm, ep, version, f"is skipped: {_first_line(exc)}")
        return
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        pm.unregister(name=ep.name)
        _skip(pm, ep, version, f"is skipped: {_first_line(exc)}")
        return
    pm.infos.append(PluginInfo(ep.name, version, ep.value))


def _skip(pm: FactcheckPluginManager, ep: metadata.EntryPoint, version: str, what: str) -> None:
    line = f"factcheck: warning: plugin `{ep.name}` {what}"
    pm.warnings.append(line)
    pm.infos.append(PluginInfo(ep.name, version, ep.value, "failed", what))
    print(line, file=sys.stderr)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _dist_version(ep: metadata.EntryPoint) -> str:
    dist = getattr(ep, "dist", None)
    return getattr(dist, "version", None) or "?"


def _own_version() -> str:
    from factcheck import __version__

    return __version__


def _with_contents(pm: FactcheckPluginManager, info: PluginInfo) -> PluginInfo:
    """Fill in the hooks a loaded plugin implements, and its predicates and formats."""
    plugin = pm.get_plugin(info.name) if info.status == "loaded" else None
    if plugin is None:
        return info
    hooks = tuple(sorted(c.name for c in pm.get_hookcallers(plugin) or ()))
    predicates: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    if "factcheck_predicates" in hooks and info.name != "custom":  # custom ones depend on the KB
        predicates = tuple(p.name for p in _call_one(plugin, "factcheck_predicates", kb=None) or ())
    if "factcheck_report_formats" in hooks:
        formats = tuple(sorted(_call_one(plugin, "factcheck_report_formats") or {}))
    return PluginInfo(info.name, info.version, info.origin, info.status, info.message, hooks, predicates, formats)


def _call_one(plugin: Any, hook: str, **kwargs: Any) -> Any:
    """Call one plugin's implementation with the arguments it declares."""
    import inspect

    func = getattr(plugin, hook)
    wanted = inspect.signature(func).parameters
    try:
        return func(**{k: v for k, v in kwargs.items() if k in wanted})
    except Exception:  # noqa: BLE001 - a listing must not fail on a plugin's bug
        return None


# --------------------------------------------------------------------------- what the hooks give


def predicates(pm: FactcheckPluginManager, kb: "KnowledgeBase | None" = None) -> "dict[str, PredicateSpec]":
    """The predicate registry: every plugin's predicates (built-ins first). A name claimed twice
    is a PluginError naming both origins."""
    out: dict[str, PredicateSpec] = {}
    for batch in reversed(pm.hook.factcheck_predicates(kb=kb)):
        for spec in batch or ():
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
        for name, render in (formats or {}).items():
            if name in out:
                raise PluginError(f"report format `{name}` is defined twice: by {owners[name]} and by {plugin_name}")
            out[name], owners[name] = render, plugin_name
    return out


def comparators(pm: FactcheckPluginManager) -> "dict[str, hookspecs.Comparator]":
    """Predicate name -> the comparator a plugin gives for it."""
    out: dict[str, hookspecs.Comparator] = {}
    for batch in reversed(pm.hook.factcheck_comparators()):
        out.update(batch or {})
    return out


def extract(pm: FactcheckPluginManager, doc: Any, source: "Source", kb: "KnowledgeBase", nlp: Any,
            extra_heads: frozenset[str]) -> "list[Fact]":
    """Every extractor's facts for one parsed article (built-in first), entity names passed
    through the `factcheck_link` hook."""
    batches = pm.hook.factcheck_extract(doc=doc, source=source, kb=kb, nlp=nlp, extra_heads=extra_heads)
    facts = [f for batch in batches for f in (batch or ())]
    text = source.text
    misplaced = [f for f in facts if text[f.start:f.end] != f.sentence]
    if misplaced:  # evidence must quote the article exactly: an extractor that does not is a bug
        f = misplaced[0]
        raise ValueError(f"an extractor gave evidence that is not at characters {f.start}-{f.end} of the "
                         f"article ({f.predicate} fact: {f.sentence[:60]!r})")
    if pm.hook.factcheck_link.get_hookimpls():
        facts = [_relink(pm, f, kb) for f in facts]
    return facts


def _relink(pm: FactcheckPluginManager, fact: "Fact", kb: "KnowledgeBase") -> "Fact":
    import dataclasses

    from factcheck.model import Entity

    changes: dict[str, Any] = {}
    if isinstance(fact.value, Entity):
        name = pm.hook.factcheck_link(name=fact.value.name, kb=kb)
        if name:
            changes["value"] = Entity(name)
    if fact.subject.kind == "entity" and fact.subject.name:
        name = pm.hook.factcheck_link(name=fact.subject.name, kb=kb)
        if name:
            changes["subject"] = dataclasses.replace(fact.subject, name=name)
    return dataclasses.replace(fact, **changes) if changes else fact


def load_source(pm: FactcheckPluginManager, path: str, meta: Mapping[str, Any]) -> "Source | None":
    """A plugin's Source for a file of a new kind, or None (the built-in reader takes it)."""
    return pm.hook.factcheck_load_source(path=path, meta=meta)


def fingerprint(pm: FactcheckPluginManager) -> list[str]:
    """`name==version` of every plugin that shapes extraction (extract or link hooks): part of
    the fact cache key, so that installing or removing such a plugin re-reads the sources."""
    return [f"{i.name}=={i.version}" for i in pm.infos
            if i.status == "loaded" and {"factcheck_extract", "factcheck_link"} & set(i.hooks)]


def _per_plugin(pm: FactcheckPluginManager, hook: str) -> list[tuple[str, Any]]:
    """(plugin name, answer) for one hook, in registration order."""
    out = []
    for impl in getattr(pm.hook, hook).get_hookimpls():
        out.append((impl.plugin_name, impl.function()))
    order = {info.name: i for i, info in enumerate(pm.infos)}
    return sorted(out, key=lambda pair: order.get(pair[0], len(order)))


@dataclass(frozen=True, slots=True)
class Listing:
    """`factcheck plugins`: every plugin seen, and the warnings of loading them."""

    plugins: tuple[PluginInfo, ...]
    warnings: tuple[str, ...] = field(default=())


def listing(config: "Config | None" = None) -> Listing:
    pm = get_plugin_manager(config)
    return Listing(tuple(pm.infos), tuple(pm.warnings))
