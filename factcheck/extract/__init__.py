"""Extraction: parsed articles in, the facts they state out (the only package that imports spaCy).

This package module is light on purpose (the cache reads `EXTRACTOR_VERSION` without paying for
spaCy); the work is in its submodules: `pipeline` (the per-article loop), `document_facts`
(the built-in extractors over one parsed article), `nlp` (loading the model), `mentions`,
`events`, `dates`, `quantities`, `relations`, `polarity`, `tense`, `lexicon` (the word lists of
patterns.yaml), `custom` (the knowledge base's own predicates); docs/ARCHITECTURE.md has them all.
"""

EXTRACTOR_VERSION = "1"  # part of every cache key: bump when extraction changes meaning

from dataclasses import dataclass
from typing import TYPE_CHECKING

from factcheck.config import DEFAULT_MODEL
from factcheck.extract.budget import DEFAULT_MEGABYTES, DEFAULT_SECONDS

if TYPE_CHECKING:
    from factcheck.kb.store import KnowledgeBase


@dataclass(frozen=True)
class ExtractionRequest:
    """What reading articles needs besides the articles: the knowledge base, the spaCy model,
    extra event head nouns (the rules' event names) and the spaCy components left out. One
    value, pickled to workers and digested into the cache key."""

    kb: "KnowledgeBase"
    model: str = DEFAULT_MODEL
    extra_heads: frozenset[str] = frozenset()
    exclude: tuple[str, ...] = ()
    skip: frozenset[str] = frozenset()  # plugins whose extractors are not run (no assertion needs them)
    seconds: float | None = DEFAULT_SECONDS  # the per-article time budget (`budget`); None: none. Not in the cache key
    megabytes: float | None = DEFAULT_MEGABYTES  # the per-article memory budget (`budget`); None: none. Not in the key

    def __post_init__(self) -> None:  # any iterables in, hashable and order-free values kept
        object.__setattr__(self, "extra_heads", frozenset(self.extra_heads))
        object.__setattr__(self, "exclude", tuple(self.exclude))
        object.__setattr__(self, "skip", frozenset(self.skip))
