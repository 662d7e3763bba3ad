"""The knowledge base's own predicates (its `predicates:` section, read by
`factcheck.kb.custom`), served through the same hooks as a plugin's."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from factcheck.kb.custom import definitions
from factcheck.plugin.hookspecs import hookimpl

if TYPE_CHECKING:
    from factcheck.kb.store import KnowledgeBase
    from factcheck.model import Fact, Source
    from factcheck.predicates import PredicateSpec


@hookimpl
def factcheck_predicates(kb: "KnowledgeBase | None") -> list[PredicateSpec]:
    """The editor-defined predicates of the knowledge base."""
    return [p.spec for p in definitions(kb)]


@hookimpl
def factcheck_extract(doc: Any, source: "Source", kb: "KnowledgeBase", nlp: Any,
                      extra_heads: frozenset[str]) -> "list[Fact]":
    """Facts of the editor-defined predicates (nothing to do without any, nor without a
    dependency parse: a run that left the parser out asks none of them)."""
    defs = definitions(kb)
    if not defs or not doc.has_annotation("DEP"):
        return []
    from factcheck.extract.custom import custom_facts

    return custom_facts(doc, source, kb, nlp, defs, extra_heads)
