"""Reading and checking knowledge-base YAML files (`*.entities.yaml`).

```yaml
entities:
  Haftar:
    aliases: [Khalifa Haftar, Hifter]   # list of names
    part_of: [LNA]                      # list of entity names (or their aliases)
    type: person                        # person, organisation, country, place, group
events:
  Berlin summit: {kind: summit, place: Berlin, aliases: [Berlin conference]}
predicates: ...                         # kept raw, with its file, for the YAML predicates
```

Every mistake is a `KnowledgeBaseError` naming the file, the key path
(`entities.Haftar.aliases must be a list of names`) and the line and column from the YAML
node, with a did-you-mean hint where one fits. Several files merge: an entity named in two
files gets the union of their aliases and part_of (a conflicting type is an error). Files
are read with `yaml.safe_load` only; an empty file is an empty knowledge base.
"""
from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from factcheck.errors import KnowledgeBaseError
from factcheck.kb.names import fold
from factcheck.safety import UnreadableFile, read_regular
from factcheck.yamlio import UNSAFE_TAG, no_surrogates, unsafe_tag_message, yaml_bounds_problem

__all__ = ["EntityEntry", "EventEntry", "PredicateDefs", "Loaded", "load_entries", "ENTITY_TYPES"]

TOP_KEYS = ("entities", "events", "predicates")
ENTITY_KEYS = ("aliases", "part_of", "type")
EVENT_KEYS = ("kind", "aliases", "place")
ENTITY_TYPES = ("person", "organisation", "country", "place", "group")
_TYPE_SPELLINGS = {"organization": "organisation", "org": "organisation", "city": "place"}


@dataclass(frozen=True, slots=True)
class EntityEntry:
    name: str
    aliases: tuple[str, ...] = ()
    part_of: tuple[str, ...] = ()
    type: str | None = None
    file: str = ""


@dataclass(frozen=True, slots=True)
class EventEntry:
    name: str
    kind: str | None = None
    aliases: tuple[str, ...] = ()
    place: str | None = None
    file: str = ""


@dataclass(frozen=True, slots=True)
class PredicateDefs:
    """The raw `predicates:` section of one file, for the YAML-predicate loader."""

    file: str
    data: Any


@dataclass(slots=True)
class Loaded:
    entities: dict[str, EntityEntry] = field(default_factory=dict)
    events: dict[str, EventEntry] = field(default_factory=dict)
    predicate_defs: tuple[PredicateDefs, ...] = ()


def _did_you_mean(word: str, options: Sequence[str]) -> str | None:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else None


class _Reader:
    """Reads files one by one into mutable records, then checks links across files."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}
        self.entities: dict[str, dict[str, Any]] = {}
        self.events: dict[str, dict[str, Any]] = {}
        self.predicates: list[PredicateDefs] = []

    # -------------------------------------------------------------- errors

    def fail(self, file: str, path: Sequence[Any], message: str, hint: str | None = None,
             key: bool = False) -> KnowledgeBaseError:
        line, column = self._locate(file, path, key)
        context = None
        if line is not None:
            lines = self.texts.get(file, "").splitlines()
            if 0 < line <= len(lines):
                context = f"{lines[line - 1]}\n{' ' * ((column or 1) - 1)}^"
        return KnowledgeBaseError(message, file, line, column, hint=hint, context=context)

    def _locate(self, file: str, path: Sequence[Any], key: bool) -> tuple[int | None, int | None]:
        """Line and column (1-based) of the node at `path`; of its key when `key`."""
        try:
            node = yaml.compose(self.texts.get(file, ""), Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            return None, None
        mark = node.start_mark if node is not None else None
        for i, part in enumerate(path):
            if isinstance(node, yaml.MappingNode):
                pair = next(((k, v) for k, v in node.value if k.value == str(part)), None)
                if pair is None:
                    break
                last = i == len(path) - 1
                node = pair[0] if (key and last) else pair[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                node = node.value[part]
            else:
                break
            mark = node.start_mark
        return (mark.line + 1, mark.column + 1) if mark is not None else (None, None)

    # -------------------------------------------------------------- one file

    def read(self, path: str) -> None:
        try:
            raw = read_regular(path)
        except UnreadableFile as exc:
            raise KnowledgeBaseError(f"cannot read knowledge base: {exc}", path) from None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise KnowledgeBaseError("knowledge base is not UTF-8 text", path) from None
        self.texts[path] = text
        try:
            problem = yaml_bounds_problem(text)
            if problem:
                raise KnowledgeBaseError(problem, path)
            data = no_surrogates(yaml.load(text, Loader=_UniqueKeyLoader))  # noqa: S506 - a SafeLoader subclass
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
            problem = exc.problem or exc.context or "malformed YAML"
            if problem.startswith(UNSAFE_TAG):
                problem = unsafe_tag_message(problem)
            lines = text.splitlines()
            context = f"{lines[line - 1]}\n{' ' * (col - 1)}^" if line and col and line <= len(lines) else None
            raise KnowledgeBaseError(f"invalid YAML: {problem}", path, line, col, context=context) from None
        except yaml.YAMLError as exc:
            raise KnowledgeBaseError(f"invalid YAML: {exc}", path) from None
        if data is None:
            return
        if not isinstance(data, dict):
            raise self.fail(path, [], "a knowledge base must be a mapping with `entities`, `events` or `predicates`")
        for key in data:
            if key not in TOP_KEYS:
                raise self.fail(path, [key], f"unknown key `{key}`", _did_you_mean(str(key), TOP_KEYS), key=True)
        if data.get("predicates") is not None:
            self.predicates.append(PredicateDefs(path, data["predicates"]))
        for section, keys, store in (("entities", ENTITY_KEYS, self.entities), ("events", EVENT_KEYS, self.events)):
            body = data.get(section)
            if body is None:
                continue
            if not isinstance(body, dict):
                raise self.fail(path, [section], f"{section} must be a mapping of names to their entries")
            for name, entry in body.items():
                self._entry(path, section, keys, store, name, entry)

    def _entry(self, file: str, section: str, keys: tuple[str, ...], store: dict[str, dict[str, Any]],
               name: Any, entry: Any) -> None:
        where = f"{section}.{name}"
        if not isinstance(name, str) or not name.strip():
            raise self.fail(file, [section], f"{section}: the name {name!r} is not text",
                            "quote names that YAML reads as numbers, dates or yes/no")
        if entry is None:
            entry = {}
        if not isinstance(entry, dict):
            raise self.fail(file, [section, name], f"{where} must be a mapping with {', '.join(keys)}",
                            f"write `{name}: {{aliases: [...]}}`")
        record = store.setdefault(name, {"file": file, "aliases": [], "part_of": [], "type": None,
                                         "kind": None, "place": None, "origins": {}})
        for key, value in entry.items():
            if key not in keys:
                raise self.fail(file, [section, name, key], f"unknown key `{where}.{key}`",
                                _did_you_mean(str(key), keys), key=True)
            path = [section, name, key]
            if key in ("aliases", "part_of"):
                for i, item in enumerate(self._names(file, path, value)):
                    record[key].append(item)
                    record["origins"].setdefault((key, item), (file, [*path, i]))
            else:
                single = self._text(file, path, value)
                if key == "type":
                    single = _TYPE_SPELLINGS.get(single.lower(), single.lower())
                    if single not in ENTITY_TYPES:
                        raise self.fail(file, path, f"{where}.type must be one of {', '.join(ENTITY_TYPES)}",
                                        _did_you_mean(single, ENTITY_TYPES))
                if record[key] is not None and record[key] != single:
                    raise self.fail(file, path, f"{where}.{key} is `{single}` here but `{record[key]}` "
                                    f"in {record['file']}")
                record[key] = single

    def _names(self, file: str, path: list[Any], value: Any) -> list[str]:
        dotted = ".".join(map(str, path))
        example = "[Khalifa Haftar, Hifter]" if path[-1] == "aliases" else "[LNA]"
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(file, path, f"{dotted} must be a list of names", f"write `{path[-1]}: {example}`")
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise self.fail(file, [*path, i], f"{dotted} must be a list of names",
                                f"item {i + 1} is {item!r}; quote names YAML reads as numbers or yes/no")
        return [item.strip() for item in value]

    def _text(self, file: str, path: list[Any], value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(file, path, f"{'.'.join(map(str, path))} must be a name, not {value!r}")
        return value.strip()

    # -------------------------------------------------------------- across files

    def finish(self) -> Loaded:
        self._check_aliases("entities", self.entities)
        self._check_aliases("events", self.events)
        self._check_part_of()
        entities = {
            n: EntityEntry(n, _unique(r["aliases"]), _unique(r["part_of"]), r["type"], r["file"])
            for n, r in self.entities.items()
        }
        events = {n: EventEntry(n, r["kind"], _unique(r["aliases"]), r["place"], r["file"])
                  for n, r in self.events.items()}
        return Loaded(entities, events, tuple(self.predicates))

    def _check_aliases(self, section: str, store: dict[str, dict[str, Any]]) -> None:
        owner: dict[str, str] = {fold(name): name for name in store}
        for name, record in store.items():
            for alias in record["aliases"]:
                other = owner.setdefault(fold(alias), name)
                if other != name:
                    file, path = record["origins"][("aliases", alias)]
                    raise self.fail(file, path, f"alias `{alias}` of {section}.{name} also names {section}.{other}",
                                    "an alias must name one entry only")

    def _check_part_of(self) -> None:
        names = {fold(n): n for n in self.entities}
        for n, r in self.entities.items():
            for a in r["aliases"]:
                names.setdefault(fold(a), n)
        for name, record in self.entities.items():
            resolved = []
            for target in record["part_of"]:
                if fold(target) not in names:
                    file, path = record["origins"][("part_of", target)]
                    raise self.fail(file, path, f"entities.{name}.part_of names unknown entity `{target}`",
                                    _did_you_mean(target, list(self.entities)) or "add it under `entities:`")
                resolved.append(names[fold(target)])
            record["part_of"] = resolved
        for start in self.entities:
            self._no_cycle(start, [start])

    def _no_cycle(self, name: str, trail: list[str]) -> None:
        for parent in self.entities[name]["part_of"]:
            if parent == trail[0]:
                record = self.entities[trail[0]]
                raise self.fail(record["file"], ["entities", trail[0], "part_of"],
                                "part_of cycle: " + " -> ".join([*trail, parent]),
                                "an entity cannot be part of itself")
            if parent not in trail:
                self._no_cycle(parent, [*trail, parent])


class _UniqueKeyLoader(yaml.SafeLoader):
    """`yaml.SafeLoader` that refuses a key given twice in one mapping (two `Haftar:`
    entries would otherwise silently keep the last), at the second key's position."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            seen: set[Any] = set()
            for key_node, _ in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                    key = self.construct_object(key_node, deep=deep)
                    if key in seen:
                        raise yaml.constructor.ConstructorError(
                            None, None, f"duplicate key `{key}`; give each entry once", key_node.start_mark)
                    seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def load_entries(paths: Sequence[str]) -> Loaded:
    """Read, check and merge the files (see the module docstring)."""
    reader = _Reader()
    for path in paths:
        reader.read(str(path))
    return reader.finish()
