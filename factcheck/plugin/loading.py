"""Building the plugin manager: in a function, cached per plugin selection, never at import time.

`get_plugin_manager(config)` registers, in order:

1. the built-in plugins (`factcheck.plugin.builtin`: predicates, extraction, report formats;
   `factcheck.plugin.yaml_predicates`: editor-defined YAML predicates), through the same hooks as anyone;
2. every entry point of the group `factcheck`, one at a time. A plugin that fails to import
   (whatever it raises, `SystemExit` included; only `KeyboardInterrupt` stops the run), whose
   hooks do not match a specification, that implements a misspelt hook (`check_pending`) or
   a hook wrapper is reported in one line on stderr and skipped; the run goes on. What a
   plugin prints while it is imported goes to stderr.

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
from functools import lru_cache
from typing import TYPE_CHECKING, Iterator

import pluggy

from factcheck.errors import ConfigError
from factcheck.plugin.calls import answers
from factcheck.plugin.manager import BUILTIN_MODULES, OWN, FactcheckPluginManager, PluginInfo, describe, first_line

if TYPE_CHECKING:  # pragma: no cover
    from factcheck.config import Config

ENTRY_POINT_GROUP = "factcheck"
ENV_ENABLE, ENV_DISABLE = "FACTCHECK_PLUGINS_ENABLE", "FACTCHECK_PLUGINS_DISABLE"

Selection = tuple[tuple[str, ...], tuple[str, ...]]  # (enable, disable)


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
        return f"failed to load and is skipped: {describe(exc)}"
    try:
        pm.register(plugin, name=ep.name)
    except Exception as exc:  # noqa: BLE001 - pluggy.PluginValidationError, ValueError (registered twice)
        return f"is skipped: {first_line(exc)}"
    try:
        pm.check_pending()
        wrappers = sorted(c.name for c in pm.get_hookcallers(plugin) or ()
                          for i in c.get_hookimpls() if i.plugin_name == ep.name and (i.wrapper or i.hookwrapper))
        if wrappers:
            raise pluggy.PluginValidationError(plugin, f"hook wrappers are not supported ({', '.join(wrappers)})")
    except pluggy.PluginValidationError as exc:
        pm.unregister(name=ep.name)
        return f"is skipped: {first_line(exc)}"
    return None


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
    for name, specs in answers(pm, "factcheck_predicates", kb=None):
        found["predicates"].setdefault(name, []).extend(spec.name for spec in specs)
    for name, formats in answers(pm, "factcheck_report_formats"):
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
