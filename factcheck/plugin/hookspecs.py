"""The hooks factcheck offers to plugins (SPEC section 6), as typed pluggy specifications.

Every hook is prefixed `factcheck_`. A plugin is a module or object with functions named
like these hooks and decorated with `factcheck.hookimpl`; it may declare only the
arguments it needs. Third-party plugins are found through the entry-point group
`factcheck`; the built-in predicates, extractors and reporters (`factcheck.plugin.builtin`) and the
editor-defined YAML predicates (`factcheck.kb.custom`) register through the very same hooks.

```python
from factcheck import hookimpl

@hookimpl
def factcheck_predicates():
    return [PredicateSpec("quote", ENTITY, STRING, origin="factcheck-quotes")]
```

Hooks that collect (predicates, extract, report_formats, comparators) call every plugin and
merge the answers; hooks that decide (link, load_source) stop at the first answer that is
not None (`firstresult`).

A plugin is kept apart from the run (`factcheck.plugin.calls` calls every hook so): what it
prints goes to stderr, never into a report on stdout; an exception, or an answer that is not
what its hook promises (`answer_problem`), costs only that plugin's answer to that call, with
one warning naming the plugin. A `SourceError` from `factcheck_load_source` is the one
exception that is the plugin speaking: it is that file's error.
"""
# The hook specifications below are declarations: pluggy reads their signatures and calls the
# plugins' implementations, never these bodies (a docstring), so mypy may not ask them to return.
# mypy: disable-error-code="empty-body"
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import pluggy

from factcheck.predicates import Comparator as Comparator  # the engine's protocol, offered to plugins here

if TYPE_CHECKING:  # pragma: no cover - types only; nothing heavy is imported at run time
    from factcheck.kb.store import KnowledgeBase
    from factcheck.model import Fact, Source
    from factcheck.predicates import PredicateSpec

PROJECT = "factcheck"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

#: A report format: `render(run, **options) -> str` (see `factcheck.report`).
Renderer = Callable[..., str]


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
    metadata, KB digest, model and the set of loaded plugins. Each fact's `sentence` must
    be `source.text[start:end]`. An exception (or an unusable answer) drops this plugin's
    facts on this source only, with a warning naming the plugin; the built-in facts stay."""


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
    `chunks(run, **options) -> Iterable[str | bytes]` (bytes: UTF-8): the command line then
    writes the report piece by piece as it is made (see `factcheck.run.reporting.pieces`), for
    very large runs."""


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


# --------------------------------------------------------------------------- what answers must be


def answer_problem(hook: str, answer: Any, args: Mapping[str, Any]) -> str | None:
    """What is wrong with a plugin's answer (not None) to `hook` (or to a `Comparator.compare`
    or `Comparator.consistent` call), in words for a warning ("returned a str, not a list of
    Fact"), or None when it is usable. `args` are the arguments the hook was called with."""
    return _CHECKS[hook](answer, args)


def _a(value: Any) -> str:
    name = type(value).__name__
    return ("an " if name[:1].lower() in "aeiou" else "a ") + name


def _list_of(answer: Any, kind: type, noun: str) -> str | None:
    if not isinstance(answer, (list, tuple)):
        return f"returned {_a(answer)}, not a list of {noun}"
    odd = next((x for x in answer if not isinstance(x, kind)), answer)
    return None if odd is answer else f"returned a list holding {_a(odd)}, not only {noun}"


def _mapping_of(answer: Any, fits: Callable[[Any], bool], noun: str) -> str | None:
    if not isinstance(answer, Mapping):
        return f"returned {_a(answer)}, not a mapping of names to {noun}"
    for key, value in answer.items():
        if not isinstance(key, str) or not key or not fits(value):
            return f"returned {key!r}: {_a(value)}, not a name and {noun}"
    return None


def _predicates(answer: Any, args: Mapping[str, Any]) -> str | None:
    from factcheck.predicates import ENTITY, EVENT, THING, VALUE_TYPES, PredicateSpec

    problem = _list_of(answer, PredicateSpec, "PredicateSpec")
    for spec in () if problem else answer:
        if not (isinstance(spec.name, str) and spec.name.isidentifier() and spec.argument in (EVENT, ENTITY, THING)
                and spec.value_type in VALUE_TYPES):
            return f"returned a malformed predicate {spec.name!r} (argument {spec.argument!r}, value_type " \
                   f"{spec.value_type!r})"
    return problem


def _facts(answer: Any, args: Mapping[str, Any]) -> str | None:
    from factcheck.model import DateValue, Entity, Fact, Quantity, Subject

    fields = (("predicate", str), ("subject", Subject), ("value", (DateValue, Quantity, Entity, int, float, str)),
              ("sentence", str), ("start", int), ("end", int), ("polarity", bool), ("hedged", bool),
              ("resolution", (str, type(None))))
    problem = _list_of(answer, Fact, "Fact")
    text = args["source"].text
    for f in () if problem else answer:
        wrong = next((name for name, kind in fields if not isinstance(getattr(f, name), kind)), None)
        if wrong:
            return f"returned a fact whose `{wrong}` is {_a(getattr(f, wrong))}"
        if text[f.start:f.end] != f.sentence:  # evidence must quote the article exactly
            return (f"gave evidence that is not at characters {f.start}-{f.end} of the article "
                    f"({f.predicate} fact: {f.sentence[:60]!r})")
    return problem


def _name(answer: Any, args: Mapping[str, Any]) -> str | None:
    return None if isinstance(answer, str) and answer.strip() else f"returned {_a(answer)}, not a name"


def _formats(answer: Any, args: Mapping[str, Any]) -> str | None:
    return _mapping_of(answer, callable, "render functions")


def _source(answer: Any, args: Mapping[str, Any]) -> str | None:
    from factcheck.model import Source

    if not isinstance(answer, Source):
        return f"returned {_a(answer)}, not a Source"
    if not all(isinstance(v, str) for v in (answer.name, answer.path, answer.text)):
        return "returned a Source whose name, path or text is not text"
    return None


def _comparators(answer: Any, args: Mapping[str, Any]) -> str | None:
    return _mapping_of(answer, lambda c: callable(getattr(c, "compare", None))
                       and callable(getattr(c, "consistent", None)), "comparators")


def _verdict(answer: Any, args: Mapping[str, Any]) -> str | None:
    return None if answer in ("pass", "fail", "unknown") else f"returned {answer!r:.60}, not pass, fail or unknown"


def _verdicts(answer: Any, args: Mapping[str, Any]) -> str | None:
    from factcheck.model import Verdict

    return _mapping_of(answer, lambda v: isinstance(v, Verdict), "Verdicts")


_CHECKS: dict[str, Callable[[Any, Mapping[str, Any]], str | None]] = {
    "factcheck_predicates": _predicates,
    "factcheck_extract": _facts,
    "factcheck_link": _name,
    "factcheck_report_formats": _formats,
    "factcheck_load_source": _source,
    "factcheck_comparators": _comparators,
    "Comparator.compare": _verdict,
    "Comparator.consistent": _verdicts,
}
