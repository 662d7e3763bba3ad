"""Extraction: articles in, the facts they state out, an article at a time.

`extract_source` is a pure function of (text, metadata, knowledge base, model, settings),
which is what makes it cacheable and parallel; `extract_many` streams many articles through
`nlp.pipe`. Both keep the per-article time budget and cut a long article in parts. What one
parsed article states is assembled in `document_facts` (the built-in extractors); the
per-family work lives in submodules: mentions (entity linking), events (event mentions,
places, anaphora), dates and date_facts, quantities and duration_facts, relations (backers,
leader, signed, hosts, attendees), polarity (negation, hedging).
"""
from __future__ import annotations

import itertools
from dataclasses import replace

from typing import Any, Callable, Iterator, Sequence

from spacy.tokens import Doc

from factcheck.extract import ExtractionRequest, budget
from factcheck.extract import nlp as nlp_mod
from factcheck.extract.document_facts import builtin_facts, dedupe
from factcheck.kb.store import KnowledgeBase
from factcheck.model import Fact, PartialFacts, Source

BATCH_SIZE = 16


# Every extractor as one function of a parsed article: (doc, source, kb, nlp, extra_heads) -> facts.
# The run layer passes the plugin host's (`factcheck.plugin.host.extractor()`); extraction never
# calls hooks itself.
Extractors = Callable[[Doc, Source, KnowledgeBase, Any, frozenset[str]], list[Fact]]


def extract_source(source: Source, request: ExtractionRequest, extractors: Extractors) -> list[Fact]:
    """Every fact one source states (with the pipeline's `exclude`d components left out), within
    the request's per-article time budget (`budget.OverBudget` past it).

    An article longer than `nlp.PART_CHARS` is read in parts cut on paragraph (else line,
    sentence or word) boundaries, each parsed and extracted as an article of its own, its
    facts' offsets moved to the whole text: memory stays that of one part, and no sentence is
    lost (one is cut only where a part has no boundary near its end)."""
    nlp = nlp_mod.load(request.model, request.exclude)
    _warm_up(nlp, request)
    budget.start(budget.for_length(request.seconds, len(source.text)))
    try:
        parts = nlp_mod.segments(source.text, nlp_mod.PART_CHARS)
        if len(parts) == 1:
            return facts_from_doc(nlp_mod.parse(nlp, source.text, budget.check), source, request, nlp, extractors)
        out: list[Fact] = []
        partial = False
        for a, b in parts:
            part = replace(source, text=source.text[a:b])
            got = facts_from_doc(nlp_mod.parse(nlp, part.text, budget.check), part, request, nlp, extractors)
            partial = partial or isinstance(got, PartialFacts)
            out += [replace(f, start=f.start + a, end=f.end + a) for f in got]
        return PartialFacts(dedupe(out)) if partial else dedupe(out)
    finally:
        budget.stop()


def extract_many(sources: Sequence[Source], request: ExtractionRequest,
                 extractors: Extractors) -> Iterator[tuple[Source, list[Fact]]]:
    """Facts of many sources, streamed through `nlp.pipe`; each Doc is dropped after use. An
    article longer than one segment (`nlp.segments`) is parsed alone, a segment at a time.
    Each article has the request's time budget: past it, `budget.OverBudget` is raised (the
    caller reports that article and goes on with the next)."""
    nlp = nlp_mod.load(request.model, request.exclude)
    _warm_up(nlp, request)
    for long, group in itertools.groupby(sources, key=lambda s: len(s.text) > nlp_mod.SEGMENT_CHARS):
        if long:
            for source in group:
                yield source, extract_source(source, request, extractors)
            continue
        batch = list(group)
        for source, doc in zip(batch, nlp.pipe((s.text for s in batch), batch_size=BATCH_SIZE)):
            budget.start(budget.for_length(request.seconds, len(source.text)))
            try:
                yield source, facts_from_doc(doc, source, request, nlp, extractors)
            finally:
                budget.stop()


_WARM: set[tuple] = set()
_WARM_TEXT = "Qatar hosted talks in Doha on Monday, officials said."


def _warm_up(nlp: Any, request: ExtractionRequest) -> None:
    """Once per process, model and knowledge base: the built-in extractors read a short
    sentence, so that what they build on first use (phrase matchers, gazetteer, word lists)
    is not charged to the time or memory budget of the first article."""
    key = (id(nlp), id(request.kb), request.extra_heads)
    if (request.seconds or request.megabytes) and key not in _WARM:
        _WARM.add(key)
        builtin_facts(nlp(_WARM_TEXT), Source("warm-up", "warm-up", _WARM_TEXT), request.kb, nlp, request.extra_heads)


def facts_from_doc(doc: Doc, source: Source, request: ExtractionRequest, nlp: Any,
                   extractors: Extractors) -> list[Fact]:
    """Every fact of a parsed article, from every extractor registered on the `factcheck_extract`
    hook (the built-in one, `builtin_facts`, first; then YAML predicates and plugins)."""
    got = extractors(doc, source, request.kb, nlp, request.extra_heads)
    return PartialFacts(dedupe(got)) if isinstance(got, PartialFacts) else dedupe(got)


__all__ = ["BATCH_SIZE", "Extractors", "builtin_facts", "extract_many", "extract_source", "facts_from_doc"]
