"""Event kinds and their synonyms, from the package data file `kb/data/kinds.yaml`.

`synonyms("truce")` is every word of every synonym set that holds "truce" (agreement, deal,
ceasefire, accord...), plus the word itself and its lemma; a kind the file does not know
is just itself. `kind_key(word)` is the form words are compared in: folded, no hyphens or
spaces, a simple singular (talks -> talk, negotiations -> negotiation, cease-fire ->
ceasefire).
"""
from __future__ import annotations

from functools import cache, lru_cache
from importlib import resources

from factcheck.kb.names import fold
from factcheck.kb.vocabulary import PatternProblem, load, word_list

__all__ = ["families", "kind_key", "synonyms", "synonym_sets"]

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
    """The validated word sets of `kb/data/kinds.yaml`, one per family."""
    return tuple(frozenset(words) for words in families().values())


@cache
def families() -> dict[str, tuple[str, ...]]:
    """The event families of `kb/data/kinds.yaml`, validated: family name -> its words, in the
    file's order. The extractors' patterns name families by these keys."""
    text = resources.files("factcheck.kb.data").joinpath(_FILE).read_text(encoding="utf-8")
    return load(text, _FILE, _families)


def _families(data: object) -> dict[str, tuple[str, ...]]:
    if not isinstance(data, dict) or set(data) != {"families"} or not isinstance(data["families"], dict):
        raise PatternProblem("", "the kinds file must be a mapping with one key, `families`: name -> list of words")
    out = {}
    for name, _ in data["families"].items():
        words = word_list(data["families"], name, "families")
        if len(words) < 2 or any(" " in w for w in words):
            raise PatternProblem(f"families.{name}", "must be a list of two or more single lower-case words")
        out[str(name)] = words
    return out


@cache
def _by_key() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for words in synonym_sets():
        for w in words:
            out.setdefault(kind_key(w), set()).update(words)
    return {k: frozenset(v) for k, v in out.items()}


def is_known_kind(word: str) -> bool:
    """Is `word` (any form: "Cease-fires") one of the event kinds of `kb/data/kinds.yaml`?"""
    return kind_key(word) in _by_key()


@lru_cache(maxsize=4096)
def synonyms(kind: str) -> frozenset[str]:
    """The head nouns that report an event of this kind, the kind and its lemma included."""
    key = kind_key(kind)
    if not key:
        return frozenset()
    return _by_key().get(key, frozenset()) | {kind.lower(), key}
