"""The hooks factcheck offers to plugins (SPEC section 6), as typed pluggy specifications.

Every hook is prefixed `factcheck_`. A plugin is a module or object with functions named
like these hooks and decorated with `factcheck.hookimpl`; it may declare only the
arguments it needs. Third-party plugins are found through the entry-point group
`factcheck`; the built-in predicates, extractors and reporters (`factcheck.builtin`) and the
editor-defined YAML predicates (`factcheck.custom`) register through the very same hooks.

```python
from factcheck import hookimpl

@hookimpl
def factcheck_predicates():
    return [PredicateSpec("quote", ENTITY, STRING, origin="factcheck-quotes")]
```

Hooks that collect (predicates, extract, report_formats, comparators) call every plugin and
merge the answers; hooks that decide (link, load_source) stop at the first answer that is
not None (`firstresult`).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Mapping, Protocol, Sequence

import pluggy

if TYPE_CHECKING:  # pragma: no cover - types only; nothing heavy is imported at run time
    from factcheck.kb import KnowledgeBase
    from factcheck.model import Fact, Source, Verdict
    from factcheck.predicates import PredicateSpec

PROJECT = "factcheck"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

#: A report format: `render(run, **options) -> str` (see `factcheck.report`).
Renderer = Callable[..., str]


class Comparator(Protocol):
    """How a plugin compares the values of its own predicates (see `factcheck_comparators`).

    The engine asks it first and falls back to its own rules on None."""

    def compare(self, stated: Any, op: str, asserted: str) -> str | None:
        """`pass`, `fail` or `unknown` for one stated value against the asserted text, or None
        (not mine: the engine decides)."""
        ...

    def consistent(self, facts_by_source: Mapping[str, Sequence["Fact"]]) -> Mapping[str, "Verdict"] | None:
        """`consistent FACT` across sources: a Verdict per source name, given each source's
        positive facts that bear on FACT; or None (the engine decides)."""
        ...


@hookspec
def factcheck_predicates(kb: "KnowledgeBase | None") -> "list[PredicateSpec]":
    """Predicates this plugin adds to the registry the type checker and the engine use.

    `kb` is the knowledge base of the rule files being checked (None when there is none);
    editor-defined predicates are read from its `predicate_defs`. Two plugins defining
    one name is an error reported to the user. Returns a list of `PredicateSpec`, each with
    `origin` set to the plugin's name (or its YAML file)."""


@hookspec
def factcheck_extract(doc: Any, source: "Source", kb: "KnowledgeBase", nlp: Any,
                      extra_heads: frozenset[str]) -> "list[Fact]":
    """The facts one parsed article states, from this plugin's extractor.

    `doc` is the spaCy `Doc` of `source.text` (character offsets match the source), `kb` the
    knowledge base, `nlp` the pipeline that parsed it, `extra_heads` event nouns the rules
    ask about. Must be a pure function of its arguments: results are cached by text,
    metadata, KB digest, model and the set of loaded plugins. An exception makes this
    source `error` in the report; the other sources go on."""


@hookspec(firstresult=True)
def factcheck_link(name: str, kb: "KnowledgeBase") -> str | None:
    """The canonical name of an extracted entity value, or None to keep it.

    Called for every entity value and entity subject after extraction (the knowledge base
    has already linked what it knows); the first plugin returning a name wins. Use it to
    normalise names the KB cannot know (a registry of officials, transliteration tables)."""


@hookspec
def factcheck_report_formats() -> "dict[str, Renderer]":
    """Report formats this plugin adds: format name -> `render(run, **options) -> str`.

    The names are the values of `factcheck check --format`. A name defined twice is an
    error reported to the user. A render function may also carry a `chunks` attribute,
    `chunks(run, **options) -> Iterable[str]`: the command line then writes the report
    piece by piece as it is made (see `factcheck.report.pieces`), for very large runs."""


@hookspec(firstresult=True)
def factcheck_load_source(path: str, meta: "Mapping[str, Any]") -> "Source | None":
    """Read a source of a new kind (a PDF, a feed item...): a `Source`, or None when the file
    is not of this plugin's kind, so the next loader (finally the built-in text reader) tries.

    `meta` is the metadata from the folder's `sources.yaml` and the config, already merged;
    raise `factcheck.errors.SourceError` for a file of your kind that cannot be read."""


@hookspec
def factcheck_comparators() -> "dict[str, Comparator]":
    """Comparators for this plugin's predicates: predicate name -> `Comparator`.

    The engine asks the comparator of a predicate before its own rules, for its operators
    (`==`, `~=`...) and for `consistent`; a None answer falls back to the engine."""
