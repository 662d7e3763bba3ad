"""The hooks of factcheck-quotes: `quote(speaker)` and how quotations are compared."""
from __future__ import annotations

from typing import Any

from factcheck import hookimpl
from factcheck.predicates import ENTITY, STRING, PredicateSpec

from factcheck_quotes.comparator import QuoteComparator

QUOTE = PredicateSpec(
    "quote", ENTITY, STRING, origin="factcheck-quotes",
    description="the direct quotations attributed to a speaker",
    example='quote(Erdogan) ~= "we will never refrain from teaching him the lesson he deserves"',
)


@hookimpl
def factcheck_predicates() -> list[PredicateSpec]:
    """quote(speaker): text."""
    return [QUOTE]


@hookimpl
def factcheck_extract(doc: Any, source: Any, kb: Any) -> list:
    """Quotations in quotation marks with a speech verb, and attribution lines."""
    from factcheck_quotes.extract import quote_facts

    return quote_facts(doc, source, kb)


@hookimpl
def factcheck_comparators() -> dict[str, QuoteComparator]:
    """`~=` and `consistent` on quotations compare meaning, not spelling."""
    return {QUOTE.name: QuoteComparator()}
