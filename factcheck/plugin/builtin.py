"""factcheck's own features as a plugin: the built-in predicates, the built-in extraction and
the built-in report formats register through the same hooks as any third-party plugin.

Registered first by `factcheck.plugin.loading.get_plugin_manager` under the name `builtin`. Nothing
heavy is imported here: extraction (spaCy) and each reporter load only when called.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Callable, Iterable

from factcheck.plugin.hookspecs import hookimpl
from factcheck.predicates import BUILTIN_PREDICATES

if TYPE_CHECKING:  # pragma: no cover
    from factcheck.kb.store import KnowledgeBase
    from factcheck.model import Fact, Source, Run
    from factcheck.predicates import PredicateSpec


@hookimpl
def factcheck_predicates() -> "list[PredicateSpec]":
    """date, start, duration, backers, leader, signed, hosts, attendees, mentions."""
    return list(BUILTIN_PREDICATES.values())


@hookimpl(tryfirst=True)
def factcheck_extract(doc: Any, source: "Source", kb: "KnowledgeBase", nlp: Any,
                      extra_heads: frozenset[str]) -> "list[Fact]":
    """The built-in extractors: dates, starts, durations, relations, mentions."""
    from factcheck.extract.document_facts import builtin_facts

    return builtin_facts(doc, source, kb, nlp, extra_heads)


@hookimpl
def factcheck_report_formats() -> dict[str, Callable[..., str]]:
    """text, json, junit, html, markdown, sarif: each module is imported when it renders."""
    from factcheck.report import FORMATS

    return {name: _lazy(module) for name, module in FORMATS.items()}


def _lazy(module: str) -> Callable[..., str]:
    def render(run: "Run", **options: Any) -> str:
        return importlib.import_module(module).render(run, **options)

    def chunks(run: "Run", **options: Any) -> Iterable[str]:
        loaded = importlib.import_module(module)
        streamed = getattr(loaded, "chunks", None)
        return streamed(run, **options) if streamed is not None else [loaded.render(run, **options)]

    render.__qualname__ = render.__name__ = f"render[{module}]"
    render.__doc__ = f"The `render` of {module}, imported on first use."
    render.chunks = chunks  # type: ignore[attr-defined]  # a function attribute, read by factcheck.run.reporting.pieces
    return render
