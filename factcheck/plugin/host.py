"""The plugin host, as the run layer sees it: the manager (`loading`), and what the hooks give,
each hook called one plugin at a time and kept apart from the run (`calls`).

Plugins are kept apart from the run. What a plugin prints, at import or in a hook, goes to
stderr, so a report on stdout stays intact. Every hook is called through `calls.answers`,
one plugin at a time: a third-party plugin that raises, or answers something its hook does
not promise (`hookspecs.answer_problem`), costs only its own answer to that call, with one
warning naming it (an extractor failing on one article loses its facts on that article,
nothing else). factcheck's own plugins failing is a bug, and raises.

How the manager is built, which plugins a config selects and how worker processes learn the
selection: see `loading`.
"""
from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Mapping

from factcheck.errors import FactcheckError
from factcheck.model import PartialFacts
from factcheck.plugin import hookspecs
from factcheck.plugin.calls import KeptComparator, answers, first_answer
# The manager and how it is built, used through this module by the run layer, the shells and tests.
from factcheck.plugin.loading import (  # noqa: F401 - re-exported
    clear_cache, exported_selection, extraction_manager, get_plugin_manager, selection,
)
from factcheck.plugin.manager import OWN, FactcheckPluginManager, PluginInfo

if TYPE_CHECKING:  # pragma: no cover
    from factcheck.config import Config
    from factcheck.kb.store import KnowledgeBase
    from factcheck.model import Fact, Source
    from factcheck.predicates import PredicateSpec

__all__ = [
    "FactcheckPluginManager", "PluginError", "PluginInfo", "Listing", "get_plugin_manager", "extraction_manager",
    "clear_cache", "exported_selection", "selection", "predicates", "report_formats", "comparators", "extract",
    "extractor", "idle_extractors", "load_source", "fingerprint", "listing",
]


class PluginError(FactcheckError):
    """Two plugins claim one name, or a plugin's hook returned something unusable."""


def predicates(pm: FactcheckPluginManager, kb: "KnowledgeBase | None" = None) -> "dict[str, PredicateSpec]":
    """The predicate registry: every plugin's predicates (built-ins first). A name claimed twice
    is a PluginError naming both origins."""
    out: dict[str, PredicateSpec] = {}
    for _, batch in reversed(list(answers(pm, "factcheck_predicates", kb=kb))):
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
    for name, batch in reversed(list(answers(pm, "factcheck_comparators"))):
        out.update({predicate: KeptComparator(pm, name, c) for predicate, c in batch.items()})
    return out



def extract(pm: FactcheckPluginManager, doc: Any, source: "Source", kb: "KnowledgeBase", nlp: Any,
            extra_heads: frozenset[str], skip: frozenset[str] = frozenset()) -> "list[Fact]":
    """Every extractor's facts for one parsed article (built-in first; the plugins in `skip`
    not asked), entity names passed through the `factcheck_link` hook. A third-party
    extractor that fails on this article, or gives facts that are not facts of it (evidence
    not at its offsets...), loses its own facts here, with a warning naming it; the others'
    facts stay."""
    dropped = pm.dropped
    batches = answers(pm, "factcheck_extract", skip, doc=doc, source=source, kb=kb, nlp=nlp,
                       extra_heads=extra_heads)
    facts = [f for _, batch in batches for f in batch]
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
        name = first_answer(pm, "factcheck_link", name=fact.value.name, kb=kb)
        if name:
            changes["value"] = Entity(name)
    if fact.subject.kind == "entity" and fact.subject.name:
        name = first_answer(pm, "factcheck_link", name=fact.subject.name, kb=kb)
        if name:
            changes["subject"] = dataclasses.replace(fact.subject, name=name)
    return dataclasses.replace(fact, **changes) if changes else fact


def load_source(pm: FactcheckPluginManager, path: str, meta: Mapping[str, Any]) -> "Source | None":
    """A plugin's Source for a file of a new kind, or None (the built-in reader takes it)."""
    return first_answer(pm, "factcheck_load_source", path=path, meta=meta)


def fingerprint(pm: FactcheckPluginManager) -> list[str]:
    """`name==version` of every plugin that shapes extraction (extract or link hooks): part of
    the fact cache key, so that installing or removing such a plugin re-reads the sources."""
    return [f"{i.name}=={i.version}" for i in pm.infos
            if i.status == "loaded" and {"factcheck_extract", "factcheck_link"} & set(i.hooks)]


def _per_plugin(pm: FactcheckPluginManager, hook: str) -> list[tuple[str, Any]]:
    """(plugin name, answer) for one hook, in registration order."""
    order = {info.name: i for i, info in enumerate(pm.infos)}
    return sorted(answers(pm, hook), key=lambda pair: order.get(pair[0], len(order)))


@dataclass(frozen=True, slots=True)
class Listing:
    """`factcheck plugins`: every plugin seen, and the warnings of loading them."""

    plugins: tuple[PluginInfo, ...]
    warnings: tuple[str, ...] = field(default=())


def listing(config: "Config | None" = None) -> Listing:
    pm = get_plugin_manager(config)
    return Listing(tuple(pm.infos), tuple(pm.warnings))
