"""The one reader of factcheck's vocabulary files: the event families (`kb/data/kinds.yaml`),
the knowledge base's word lists (`kb/data/words.yaml`) and the extractors' patterns and word
lists (`extract/patterns.yaml`).

Each file is YAML, read safely and validated by a `build` function of its own; a mistake is
raised by `build` as a `PatternProblem` at a dotted path (`families.summit`), and `load` turns
it into one `VocabularyError` line that says where: `kinds.yaml:12:3: families.summit: ...`.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Callable, TypeVar

import yaml

from factcheck.errors import KnowledgeBaseError

T = TypeVar("T")


class VocabularyError(KnowledgeBaseError):
    """A mistake in a vocabulary file, with its file, line and column."""


class PatternProblem(Exception):
    """A mistake at a dotted YAML path; `load` adds where in the file it is."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path, self.message = path, message


def load(text: str, shown: str, build: Callable[[Any], T]) -> T:
    """`build(data)` of the YAML `text` (the file `shown` in messages); every mistake, in the
    YAML or found by `build`, is a VocabularyError at its line and column."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise VocabularyError(f"invalid YAML: {getattr(exc, 'problem', exc)}", shown,
                              mark.line + 1 if mark else None, mark.column + 1 if mark else None) from None
    try:
        return build(data)
    except PatternProblem as problem:
        line, column = locate(text, problem.path)
        raise VocabularyError(f"{problem.path}: {problem.message}", shown, line, column) from None


def locate(text: str, path: str) -> tuple[int, int]:
    """(line, column) of the key at a dotted path of the YAML text, as far as the path exists."""
    node = yaml.compose(text)
    mark = node.start_mark if node is not None else None
    for part in path.split(".") if path else ():
        if not isinstance(node, yaml.MappingNode):
            break
        found = next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == part), None)
        if found is None:
            break
        mark, node = found[0].start_mark, found[1]
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def section(data: Any, key: str, where: str = "") -> dict:
    """The mapping under `key` (an empty one when absent)."""
    value = data.get(key) if isinstance(data, dict) else None
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise PatternProblem(f"{where}.{key}" if where else key, "must be a mapping")
    return value


def word_set(data: Any, key: str, where: str = "") -> frozenset[str]:
    """The words of the list under `key`, lower-cased (an empty set when absent)."""
    return frozenset(word_list(data, key, where))


def word_list(data: Any, key: str, where: str = "") -> tuple[str, ...]:
    """The list of words under `key`, lower-cased, in order (empty when absent)."""
    path = f"{where}.{key}" if where else key
    value = data.get(key, []) if isinstance(data, dict) else None
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise PatternProblem(path, "must be a list of words")
    return tuple(v.lower() for v in value)


@dataclass(frozen=True, slots=True)
class Words:
    """The word lists of `kb/data/words.yaml`."""

    group_nouns: frozenset[str]  # "Haftar's forces" is Haftar: the following of a party
    cut_words: frozenset[str]  # "talks in Moscow": the head noun ends before these
    determiners: frozenset[str]  # "the Berlin summit": dropped from an event argument


@lru_cache(maxsize=1)
def word_lists() -> Words:
    """The knowledge base's word lists, validated (a mistake is one located error)."""
    text = resources.files("factcheck.kb.data").joinpath("words.yaml").read_text(encoding="utf-8")
    return load(text, "words.yaml", lambda data: Words(*(word_set(data, k) for k in ("group_nouns", "cut_words",
                                                                                     "determiners"))))
