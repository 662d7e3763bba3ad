"""The knowledge base: canonical names, aliases, part_of, events; and every link from the
words of an article or a rule to those names (no spaCy, no I/O after loading).

`load_kb(paths)` reads `*.entities.yaml` files (`factcheck.kb.loader` checks them) into a
`KnowledgeBase`, which implements the engine's `Linker` protocol
(`factcheck.predicates.Linker`):

* `link(surface)`: the canonical name of a mention, or None. In order: KB names and aliases
  by `names.fold` equality (Erdoğan, al-Sarraj); "X's forces" / "pro-X fighters" -> X;
  gazetteer countries, demonyms, abbreviations and capitals (Emiratis, U.S., Moscow), where a
  KB entity named like the country (or one of its other names, or its capital) wins
  (Emiratis -> UAE); transliteration variants of KB names (`names.similar`: Saraj, Hifter);
  and the last word of a multi-word name (Fayez Saraj -> Serraj).
* `canonical_place(surface)`: places stay places: Berlin stays Berlin (a city), Moscow is
  Russia only if the KB says so, "the Libyan capital" is Tripoli. The extractors should put
  these in `Subject.places`; the event test canonicalises again anyway.
* `event_spec(argument)` and `subject_matches(...)`: which facts bear on an assertion.

The KB is never evidence itself: it only says which words name the same thing.
"""
from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any

from factcheck.kb import gazetteer
from factcheck.kb import events as kb_events
from factcheck.kb.events import EventSpec
from factcheck.kb.loader import EntityEntry, EventEntry, PredicateDefs, load_entries
from factcheck.kb.names import MIN_FUZZY_LETTERS, clean, fold, letters, similar, skeleton
from factcheck.kb.vocabulary import word_lists
from factcheck.model import Subject
from factcheck.predicates import ENTITY, EVENT, THING, PredicateSpec

__all__ = ["KnowledgeBase", "EntityEntry", "EventEntry", "EventSpec", "PredicateDefs", "load_kb"]

#: Bumped when linking changes, so that caches keyed by `digest()` are invalidated.
LINKING_VERSION = 2

_GROUP = re.compile(r"^(?:pro-?\s*)?(?P<x>.+?)(?:'s)?\s+(?P<noun>[A-Za-z]+)$", re.IGNORECASE)
_CAPITAL = re.compile(r"^(?P<x>.+?)\s+capital$")


_PLACE_TYPES = frozenset({"country", "place"})


class KnowledgeBase:
    """Entities and events from one or more YAML files, with the indexes and memo tables that
    linking needs (every lookup is called for every fact of every source). Nothing changes
    after construction; equality is identity."""

    __slots__ = ("entities", "events", "files", "predicate_defs", "_index", "_single", "_by_skeleton",
                 "_event_index", "_ancestors", "_link_memo", "_place_memo", "_country_memo", "_event_memo",
                 "_matches", "_value_memo")

    def __init__(self, entities: dict[str, EntityEntry] | None = None, events: dict[str, EventEntry] | None = None,
                 files: tuple[str, ...] = (), predicate_defs: tuple[PredicateDefs, ...] = ()) -> None:
        self.entities: dict[str, EntityEntry] = dict(entities or {})
        self.events: dict[str, EventEntry] = dict(events or {})
        self.files = tuple(files)
        self.predicate_defs = tuple(predicate_defs)
        index: dict[str, str] = {}
        for name, e in self.entities.items():
            for form in (name, *e.aliases):
                index.setdefault(fold(form), name)
        single: dict[str, set[str]] = {}
        by_skeleton: dict[str, list[tuple[str, str]]] = {}  # `names.similar` needs equal skeletons
        for key, name in index.items():
            if " " not in key:
                single.setdefault(key, set()).add(name)
            by_skeleton.setdefault(skeleton(key), []).append((key, name))
        event_index: dict[str, str] = {}
        for name, ev in self.events.items():
            for form in (name, *ev.aliases):
                event_index.setdefault(fold(form), name)
                event_index.setdefault(fold(form).replace(" ", ""), name)
        self._index = index
        self._single = single
        self._by_skeleton = by_skeleton
        self._event_index = event_index
        self._ancestors = {name: frozenset(self._walk_up(name)) for name in self.entities}
        self._link_memo: Callable[[str], str | None] = lru_cache(maxsize=65536)(self._link)
        self._place_memo: Callable[[str], str] = lru_cache(maxsize=65536)(self._canonical_place)
        self._country_memo: Callable[[str], str | None] = lru_cache(maxsize=65536)(self._country_of)
        self._event_memo: Callable[[str], EventSpec] = lru_cache(maxsize=4096)(
            functools.partial(kb_events.spec_of, self))
        self._matches: Callable[[str, str, Subject], bool] = lru_cache(maxsize=262144)(self._matches_uncached)
        self._value_memo: Callable[[str, str], bool] = lru_cache(maxsize=65536)(self._value_matches)

    def __repr__(self) -> str:
        return f"KnowledgeBase({len(self.entities)} entities, {len(self.events)} events, files={self.files!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle the content only; the memo tables are rebuilt (for worker processes)."""
        return (type(self), (self.entities, self.events, self.files, self.predicate_defs))

    def _walk_up(self, name: str) -> Iterable[str]:
        seen: set[str] = set()
        stack = list(self.entities[name].part_of)
        while stack:
            parent = stack.pop()
            if parent not in seen and parent != name:
                seen.add(parent)
                stack.extend(self.entities[parent].part_of if parent in self.entities else ())
        return seen

    # ------------------------------------------------------------------ construction

    def digest(self) -> str:
        """sha256 of the normalised content (not the file paths): a cache key."""
        content = {
            "version": LINKING_VERSION,
            "entities": {n: [list(e.aliases), list(e.part_of), e.type] for n, e in sorted(self.entities.items())},
            "events": {n: [e.kind, list(e.aliases), e.place] for n, e in sorted(self.events.items())},
            "predicates": [p.data for p in self.predicate_defs],
        }
        text = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def surface_forms(self) -> list[tuple[str, str, str]]:
        """(phrase, canonical name, "entity" | "event") for every name and alias."""
        out = [(form, name, "entity") for name, e in self.entities.items() for form in (name, *e.aliases)]
        out += [(form, name, "event") for name, ev in self.events.items() for form in (name, *ev.aliases)]
        return out

    # ------------------------------------------------------------------ entities

    def link(self, surface: str) -> str | None:
        """The canonical name a mention links to, or None (see the module docstring)."""
        return self._link_memo(surface)

    def canonical_place(self, surface: str) -> str:
        """The canonical place of a place mention: a KB entity, a city as the gazetteer
        spells it, a country (through the KB), "the Libyan capital" -> Tripoli; else as
        `canonical`."""
        return self._place_memo(surface)

    def country_of(self, place: str) -> str | None:
        """The canonical country containing a city or place (Berlin -> Germany; a country
        contains itself), or None."""
        return self._country_memo(place)

    def event_spec(self, argument: str) -> EventSpec:
        """What an event argument asks for: the KB event it names (`key`, `aliases`), or,
        for free text, its last noun as the kind and its other words as qualifiers; the
        head nouns that report it (`kinds`); its `place` and `place_country`."""
        return self._event_memo(argument)

    def _link(self, surface: str) -> str | None:
        s = clean(surface)
        f = fold(s)
        if not f:
            return None
        if f in self._index:
            return self._index[f]
        group = _GROUP.match(s)
        if group and group["noun"].lower() in word_lists().group_nouns:
            inner = self.link(group["x"])
            if inner:
                return inner
        country = gazetteer.country_for(s)
        if country:
            return self._country_canonical(country)
        if letters(f) >= MIN_FUZZY_LETTERS:
            hit = self._fuzzy(f)
            if hit:
                return hit
        words = s.split()
        if len(words) > 1 and words[-1][:1].isupper() and letters(words[-1]) >= MIN_FUZZY_LETTERS:
            last = fold(words[-1])
            exact = self._single.get(last, set())
            if len(exact) == 1:
                return next(iter(exact))
            if not exact:
                return self._fuzzy(last, single_words=True)
        return None

    def _fuzzy(self, f: str, single_words: bool = False) -> str | None:
        """The one KB entity with a name or alias `similar` to `f` (None if none or several)."""
        keys = self._by_skeleton.get(skeleton(f), ())
        found = {name for key, name in keys if (" " not in key or not single_words) and similar(f, key)}
        return next(iter(found)) if len(found) == 1 else None

    def _country_canonical(self, country: str) -> str:
        """A KB entity named like the country (or its other names, then its capital) wins."""
        for name in gazetteer.names_of(country) or (country,):
            hit = self._index.get(fold(name))
            if hit:
                return hit
        return country

    def canonical(self, name: str) -> str:
        """The canonical name of an entity as written (`Sarraj` -> `Serraj`), or the name
        itself, cleaned, when nothing links."""
        return self.link(name) or clean(name)

    def ancestors(self, name: str) -> frozenset[str]:
        """Everything `name` is transitively `part_of` (Haftar -> {LNA})."""
        return self._ancestors.get(self.canonical(name), frozenset())

    # ------------------------------------------------------------------ places

    def _is_place_entity(self, name: str) -> bool:
        e = self.entities[name]
        if e.type is not None:
            return e.type in _PLACE_TYPES
        return any(gazetteer.is_country(n) or gazetteer.is_city(n) for n in (name, *e.aliases))

    def as_place(self, surface: str) -> str | None:
        """The canonical place `surface` names (a KB place or country, or the gazetteer's), or None
        when it names no place."""
        s = clean(surface)
        f = fold(s)
        if not f:
            return None
        if f in self._index:
            name = self._index[f]
            return name if self._is_place_entity(name) else None
        capital = _CAPITAL.match(f)
        if capital:
            city = gazetteer.capital_of(capital["x"])
            return self.as_place(city) if city else None
        if gazetteer.is_country(s):
            return self._country_canonical(gazetteer.country_for(s) or s)
        return gazetteer.city_name(s)

    def _canonical_place(self, surface: str) -> str:
        return self.as_place(surface) or self.canonical(surface)

    def _country_of(self, place: str) -> str | None:
        s = clean(place)
        if gazetteer.is_country(s):
            return self._country_canonical(gazetteer.country_for(s) or s)
        city_country = gazetteer.city_country(s)
        if city_country:
            return self._country_canonical(city_country)
        name = self.link(s)
        if name is None:
            return None
        if name not in self.entities:
            return name if gazetteer.country_for(name) else None
        for candidate in (name, *sorted(self._ancestors.get(name, ()))):
            forms = (candidate, *(self.entities[candidate].aliases if candidate in self.entities else ()))
            for form in forms:
                if gazetteer.is_country(form):
                    return self._country_canonical(gazetteer.country_for(form) or form)
        return None

    # ------------------------------------------------------------------ events (kb/events.py)

    def event_key(self, folded: str) -> str:
        """The KB event a folded name or alias names ("" for none); spaces do not count."""
        return self._event_index.get(folded) or self._event_index.get(folded.replace(" ", ""), "")

    def event_fit(self, key: str, subject: Subject, generic_too: bool = False) -> tuple[bool, bool, bool]:
        """See `kb.events.event_fit`."""
        return kb_events.event_fit(self, key, subject, generic_too)

    def placed_at(self, key: str, places: tuple[str, ...]) -> bool:
        """Do the places stated with a mention name the KB event `key`'s own place?"""
        return kb_events.placed_at(self, key, places)

    # ------------------------------------------------------------------ Linker

    def _entity_matches(self, argument: str, name: str) -> bool:
        wanted = fold(self.canonical(argument))
        if not wanted or not name:
            return False
        if wanted in (fold(name), fold(self.canonical(name))) or _short_form(wanted, fold(name)):
            return True
        return wanted in {fold(a) for a in self.ancestors(name)}

    def _matches_uncached(self, argument_kind: str, argument: str, subject: Subject) -> bool:
        if subject.kind == "entity" and argument_kind in (ENTITY, THING):
            return self._entity_matches(argument, subject.name)
        if subject.kind == "event" and argument_kind in (EVENT, THING):
            return kb_events.event_matches(self, argument, subject)
        return False

    def subject_matches(self, spec: PredicateSpec, argument: str, subject: Subject) -> bool:
        """Does a fact about `subject` bear on `spec.name(argument)`?

        Entities: the same canonical entity, or one `part_of` it. Events: a subject linked
        to a KB event matches only that event (when the argument is a KB event too);
        otherwise its head noun must be one of the event's kinds and its places must fit:
        none stated, the event's place, or the country containing it with no other city
        of that country ("a summit Germany is hosting" is the Berlin summit, "a summit in
        Munich" is not)."""
        return self._matches(spec.argument, argument, subject)

    def value_matches(self, asserted: str, stated: str) -> bool:
        """The stated entity is the asserted one, or `part_of` it."""
        return self._value_memo(asserted, stated)

    def _value_matches(self, asserted: str, stated: str) -> bool:
        wanted = fold(self.canonical(asserted))
        if wanted in (fold(stated), fold(self.canonical(stated))):
            return True
        if _short_form(wanted, fold(stated)) and not (self.canonical(stated) in self.entities
                                                      and self.canonical(asserted) in self.entities):
            return True  # "Putin" for "Vladimir Putin"; never between two names the KB tells apart
        return wanted in {fold(a) for a in self.ancestors(stated)}


def _short_form(short: str, full: str) -> bool:
    """A one-word name written for a full name no KB knows: `Serraj` for "Fayez al-Serraj",
    `Putin` for "Vladimir Putin" (folded; the last word, exactly or as a transliteration)."""
    words = full.split()
    if " " in short or len(words) < 2 or len(short) < MIN_FUZZY_LETTERS:
        return False
    return words[-1] == short or similar(words[-1], short)


def load_kb(paths: Sequence[str]) -> KnowledgeBase:
    """Read and merge knowledge-base YAML files; `KnowledgeBaseError` names the file, the
    key path and (where known) the line and column of any mistake."""
    loaded = load_entries(paths)
    return KnowledgeBase(loaded.entities, loaded.events, tuple(paths), loaded.predicate_defs)

