"""Event kinds and their synonyms, from the package data file `data/kinds.yaml`.

`synonyms("truce")` is every word of every synonym set that holds "truce" (agreement, deal,
ceasefire, accord...), plus the word itself and its lemma; a kind the file does not know
is just itself. `kind_key(word)` is the form words are compared in: folded, no hyphens or
spaces, a simple singular (talks -> talk, negotiations -> negotiation, cease-fire ->
ceasefire).
"""
from __future__ import annotations

from functools import cache, lru_cache
from importlib import resources

import yaml

from factcheck.errors import KnowledgeBaseError
from factcheck.kb.names import fold

__all__ = ["kind_key", "synonyms", "synonym_sets"]

_FILE = "kinds.yaml"


@lru_cache(maxsize=8192)
def kind_key(word: str) -> str:
    """The comparison form of a head noun: `kind_key("Cease-fires") == "ceasefire"`."""
    w = fold(word).replace(" ", "")
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("ches", "shes", "xes", "sses", "zzes")):
        return w[:-2]  # clashes -> clash, marches -> march, taxes -> tax
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


@cache
def synonym_sets() -> tuple[frozenset[str], ...]:
    """The validated synonym sets of `data/kinds.yaml`."""
    return tuple(frozenset(words) for words in synonym_lists())


@cache
def synonym_lists() -> tuple[tuple[str, ...], ...]:
    """The synonym lists of `data/kinds.yaml`, validated, in the file's order (the first word
    of each names its family in the relation patterns)."""
    path = f"factcheck/data/{_FILE}"
    text = resources.files("factcheck.kb.data").joinpath(_FILE).read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:  # a packaging mistake, reported like any YAML error
        mark = getattr(exc, "problem_mark", None)
        raise KnowledgeBaseError(f"invalid YAML: {getattr(exc, 'problem', exc)}", path,
                                 mark.line + 1 if mark else None, mark.column + 1 if mark else None) from None
    if not isinstance(data, dict) or set(data) != {"synonyms"} or not isinstance(data["synonyms"], list):
        raise KnowledgeBaseError("kinds file must be a mapping with one key, `synonyms`: a list of lists", path)
    sets = []
    for i, words in enumerate(data["synonyms"]):
        if (not isinstance(words, list) or len(words) < 2
                or not all(isinstance(w, str) and w and w == w.lower() and " " not in w for w in words)):
            raise KnowledgeBaseError(f"synonyms[{i}] must be a list of two or more lower-case words", path)
        sets.append(tuple(words))
    return tuple(sets)


@cache
def _by_key() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for words in synonym_sets():
        for w in words:
            out.setdefault(kind_key(w), set()).update(words)
    return {k: frozenset(v) for k, v in out.items()}


def is_known_kind(word: str) -> bool:
    """Is `word` (any form: "Cease-fires") one of the event kinds of `data/kinds.yaml`?"""
    return kind_key(word) in _by_key()


@lru_cache(maxsize=4096)
def synonyms(kind: str) -> frozenset[str]:
    """The head nouns that report an event of this kind, the kind and its lemma included."""
    key = kind_key(kind)
    if not key:
        return frozenset()
    return _by_key().get(key, frozenset()) | {kind.lower(), key}
