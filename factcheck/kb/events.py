"""Events in the knowledge base: what an event argument asks for (`EventSpec`: its KB event,
kinds, place, parties) and whether an event mention fits it (kind, place, parties, and the
best fit among rival KB events). Functions of a `KnowledgeBase`, which memoises them."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from factcheck.kb import gazetteer
from factcheck.kb.kinds import kind_key, synonyms
from factcheck.kb.loader import EventEntry
from factcheck.kb.names import clean, fold, strip_possessive
from factcheck.kb.vocabulary import word_lists
from factcheck.model import Subject



class Knowledge(Protocol):
    """What event matching asks of the knowledge base (`kb.store.KnowledgeBase` is one)."""

    @property
    def events(self) -> Mapping[str, EventEntry]: ...
    def event_key(self, folded: str) -> str: ...
    def event_spec(self, argument: str) -> "EventSpec": ...
    def as_place(self, surface: str) -> str | None: ...
    def canonical(self, name: str) -> str: ...
    def canonical_place(self, surface: str) -> str: ...
    def country_of(self, place: str) -> str | None: ...
    def link(self, surface: str) -> str | None: ...
    def value_matches(self, asserted: str, stated: str) -> bool: ...


@dataclass(frozen=True, slots=True)
class EventSpec:
    """What an event argument asks for (see `KnowledgeBase.event_spec`)."""

    key: str  # the KB event's name, or "" for free text
    kinds: frozenset[str]  # head nouns that report it: the kind, its synonyms, their lemmas
    aliases: frozenset[str] = frozenset()  # folded names of the KB event
    place: str = ""  # canonical place ("Berlin", "Russia"), or ""
    place_country: str = ""  # the country containing it, or ""
    kind_keys: frozenset[str] = field(default=frozenset(), repr=False)  # `kinds.kind_key` of kinds
    own_kind_keys: frozenset[str] = field(default=frozenset(), repr=False)  # of its own kind words, no synonyms
    parties: frozenset[str] = frozenset()  # free text: parties its words name ("Bahrain announcement")


def spec_of(kb: Knowledge, argument: str) -> EventSpec:
    """What an event argument asks for: its KB event (by name or alias), the kinds that report
    it, its place (the KB's, or one its qualifier words name) and, for free text, its parties."""
    s = clean(argument)
    f = fold(s)
    key = kb.event_key(f)
    head, groups = _parse_event_words(s)
    place = ""
    if key:
        ev = kb.events[key]
        kind_words = {kind for kind in (ev.kind, _parse_event_words(key)[0]) if kind}
        aliases = frozenset(fold(x) for x in (key, *ev.aliases))
        if ev.place:
            place = kb.as_place(ev.place) or kb.canonical(ev.place)
        else:
            groups = _parse_event_words(key)[1]
    else:
        kind_words = {head} if head else set()
        aliases = frozenset()
    if not place:
        place = _place_in(kb, groups)
    kinds = frozenset(w for k in kind_words for w in synonyms(k))
    country = (kb.country_of(place) or "") if place else ""
    parties = frozenset() if key else frozenset(
        name for words in groups for w in words for part in w.split("-") if (name := kb.link(part)))
    return EventSpec(key, kinds, aliases, place, country, frozenset(kind_key(k) for k in kinds),
                     frozenset(kind_key(k) for k in kind_words), parties)

def _place_in(kb: Knowledge, groups: list[list[str]]) -> str:
    """The first place named by a run of qualifier words, longest runs first."""
    for words in groups:
        for size in range(len(words), 0, -1):
            for start in range(len(words) - size + 1):
                place = kb.as_place(" ".join(words[start:start + size]))
                if place:
                    return place
    return ""

def _places_match(kb: Knowledge, ev: EventSpec, places: tuple[str, ...]) -> bool:
    """Places stated with a mention fit the event's: its place or the country holding it,
    and no other city ("in Munich" is not the Berlin summit, "in Istanbul" not the
    Moscow talks, even when the sentence also names Russia)."""
    if not ev.place or not places:
        return True
    where, country = fold(ev.place), fold(ev.place_country)
    found = set()
    for p in places:
        canon = kb.canonical_place(p)
        found.add(fold(canon))
        if gazetteer.is_city(canon) and fold(canon) != where and fold(kb.country_of(canon) or "") != where:
            return False
    return where in found or bool(country and country in found)

def event_matches(kb: Knowledge, argument: str, subject: Subject) -> bool:
    ev = kb.event_spec(argument)
    if subject.name in kb.events and ev.key:
        return subject.name == ev.key
    if ev.key and subject.text and fold(subject.text) in ev.aliases:
        return True
    if not _event_fits(kb, ev, subject):
        return False
    if not ev.key:
        return True
    rivals = [k for k in kb.events if k != ev.key and _event_fits(kb, kb.event_spec(k), subject)]
    return not rivals or _best_fit(kb, ev, [kb.event_spec(k) for k in rivals], subject)

def _event_fits(kb: Knowledge, ev: EventSpec, subject: Subject, generic_too: bool = False) -> bool:
    """Kind and place: could an unlinked event mention be `ev`?"""
    head = subject.head or (subject.text.split()[-1] if subject.text.split() else "")
    if not head or kind_key(head) not in ev.kind_keys:
        return False
    named = bool(ev.parties and subject.parties and all(any(kb.value_matches(q, p) for p in subject.parties)
                                                            for q in ev.parties))
    if subject.generic and not generic_too and not (ev.place and subject.places) and not named \
            and (ev.key or ev.place or ev.parties):
        return False  # "two separate agreements": a new event, unless its place or parties say which
    if ev.parties and subject.parties and not named:
        return False  # "the announcement of a deal between Israel and the UAE" is no Bahrain announcement
    if named and not subject.places:
        return True  # "Bahrain's announcement": the country is a party, not a venue
    return _places_match(kb, ev, subject.places)

def event_fit(kb: Knowledge, key: str, subject: Subject, generic_too: bool = False) -> tuple[bool, bool, bool]:
    """How an unlinked event mention fits the KB event `key`: (fits by kind and place,
    a place the mention states matches the event's, the kind named exactly: "summit" for
    an event of kind summit rather than a synonym)."""
    ev = kb.event_spec(key)
    if not _event_fits(kb, ev, subject, generic_too):
        return False, False, False
    exact = kind_key(subject.head or subject.text.split()[-1]) in ev.own_kind_keys
    return True, _placed(kb, ev, subject.places), exact

def placed_at(kb: Knowledge, key: str, places: tuple[str, ...]) -> bool:
    """Do the places stated with a mention name the KB event `key`'s own place?"""
    return _placed(kb, kb.event_spec(key), places)

def _placed(kb: Knowledge, ev: EventSpec, places: tuple[str, ...]) -> bool:
    """The event has a place, places are stated, and they fit it."""
    return bool(ev.place and places and _places_match(kb, ev, places))

def _best_fit(kb: Knowledge, ev: EventSpec, rivals: list[EventSpec], subject: Subject) -> bool:
    """An unlinked mention (one the article's event model left unresolved) that fits
    several KB events goes to the one whose place it states, and to none otherwise."""
    return _placed(kb, ev, subject.places) and not any(_placed(kb, r, subject.places) for r in rivals)


def event_head(argument: str) -> str:
    """The head noun of a free-text event argument: `Moscow talks` and `talks in Moscow`
    both give `talks`; "" when there is none."""
    return _parse_event_words(argument)[0]


def _parse_event_words(s: str) -> tuple[str, list[list[str]]]:
    """(head noun, qualifier word runs) of free text: `Moscow talks` -> (talks, [[Moscow]]);
    `talks in Moscow` -> (talks, [[], [Moscow]])."""
    words = s.split()
    while words and words[0].lower() in word_lists().determiners:
        words = words[1:]
    cut = next((i for i, w in enumerate(words) if i > 0 and w.lower() in word_lists().cut_words), len(words))
    before, after = words[:cut], words[cut + 1:]
    if not before:
        return "", [after]
    return strip_possessive(before[-1]), [before[:-1], after]
