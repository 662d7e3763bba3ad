"""Entity linking inside a parsed article: which tokens name which canonical entity.

Three layers, most trusted first:
1. KB names and aliases, compiled into a PhraseMatcher (case-insensitive);
2. the gazetteer's countries, demonyms and capitals, and its larger cities;
3. spaCy's named entities and proper nouns that neither caught, linked through
   `KnowledgeBase.link` (folding, `al-` prefixes, transliteration by fuzzy match).

The result is a `Mentions` index: token index -> canonical name, plus the spans, so the
relation extractors can ask "what does this token name?" in O(1).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

import re

from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, Token

from factcheck.kb import gazetteer
from factcheck.kb.store import KnowledgeBase

NAMED_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
KB_ENTITY, KB_EVENT, GAZ_COUNTRY, GAZ_CITY = "kb", "event", "country", "city"
PRIORITY = {KB_ENTITY: 0, KB_EVENT: 0, GAZ_COUNTRY: 1, GAZ_CITY: 2, "ner": 3}


@dataclass(slots=True)
class Mention:
    start: int  # token span [start, end)
    end: int
    name: str  # canonical entity, or the KB event key for kind "event"
    kind: str  # "entity" or "event"
    city: str | None = None  # the city named, when the mention is a place (Berlin, Moscow)
    layer: str = "ner"


@dataclass(slots=True)
class Mentions:
    spans: list[Mention] = field(default_factory=list)
    by_token: dict[int, Mention] = field(default_factory=dict)

    def entity_at(self, tok: Token) -> str | None:
        m = self.by_token.get(tok.i)
        return m.name if m is not None and m.kind == "entity" else None

    def event_at(self, tok: Token) -> Mention | None:
        m = self.by_token.get(tok.i)
        return m if m is not None and m.kind == "event" else None

    def city_at(self, tok: Token) -> str | None:
        m = self.by_token.get(tok.i)
        return m.city if m is not None else None

    def add(self, m: Mention) -> None:
        self.spans.append(m)
        for i in range(m.start, m.end):
            self.by_token[i] = m


@functools.lru_cache(maxsize=8)
def _matcher(nlp, kb: KnowledgeBase) -> tuple[PhraseMatcher, dict[int, tuple[str, str]]]:
    """One PhraseMatcher per (pipeline, knowledge base): KB surfaces, then gazetteer ones."""
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    labels: dict[int, tuple[str, str]] = {}
    groups: dict[tuple[str, str], list[str]] = {}
    for phrase, canonical, kind in kb.surface_forms():
        layer = KB_EVENT if kind == "event" else KB_ENTITY
        groups.setdefault((layer, canonical), []).append(phrase)
    for phrase, country in gazetteer.surface_forms():
        groups.setdefault((GAZ_COUNTRY, country), []).append(phrase)
    for phrase, city in gazetteer.city_forms():
        groups.setdefault((GAZ_CITY, city), []).append(phrase)
    for (layer, canonical), phrases in groups.items():
        key = f"{layer}|{canonical}"
        matcher.add(key, list(nlp.tokenizer.pipe(sorted(set(phrases)))))
        labels[nlp.vocab.strings[key]] = (layer, canonical)
    return matcher, labels


def descriptive_pattern(alias: str) -> list[dict] | None:
    """A token pattern for a descriptive KB alias, a lowercase phrase ending in a participle
    and a noun ("internationally recognized government"): the participle in either spelling
    (-ised/-ized) and with any modifier written before it or hyphenated onto it ("the
    UN-recognised government", "the U.N.-recognized government"), then the noun. None for a
    name, or a phrase without such a participle."""
    words = alias.split()
    if len(words) < 2 or alias != alias.lower() or not re.fullmatch(r"[a-z]+ed", words[-2]):
        return None
    if any(not w.endswith("ly") for w in words[:-2]):
        return None  # only adverbs ("internationally") may vary; "Tripoli-based" names a place
    stem = re.sub(r"i[sz](ed)$", r"i[sz]\1", re.escape(words[-2]))
    return [{"LOWER": {"REGEX": rf"^(.+[-.])?{stem}$"}}, {"LOWER": words[-1]}]


def widened_pattern(alias: str) -> list[dict] | None:
    """A token pattern for a KB event alias of two or more words that lets one lower-case word
    stand between any two of them: "the Lisbon peace agreement" for "Lisbon agreement"."""
    words = alias.lower().split()
    if len(words) < 2:
        return None
    pattern: list[dict] = []
    for i, w in enumerate(words):
        if i:
            pattern.append({"IS_LOWER": True, "IS_ALPHA": True, "OP": "?"})
        pattern.append({"LOWER": w})
    return pattern


@functools.lru_cache(maxsize=8)
def _descriptive_matcher(nlp, kb: KnowledgeBase) -> tuple[Matcher, dict[int, tuple[str, str]]]:
    """Token patterns the phrase matcher cannot say: descriptive entity aliases with their
    modifier varied, and event aliases with a word inside them."""
    matcher = Matcher(nlp.vocab)
    labels: dict[int, tuple[str, str]] = {}
    for phrase, canonical, kind in kb.surface_forms():
        pattern = descriptive_pattern(phrase) if kind == "entity" else widened_pattern(phrase)
        if pattern is not None:
            key = f"{kind}|pattern|{canonical}"
            matcher.add(key, [pattern])
            labels[nlp.vocab.strings[key]] = (KB_ENTITY if kind == "entity" else KB_EVENT, canonical)
    return matcher, labels


def link_doc(doc: Doc, kb: KnowledgeBase, nlp) -> Mentions:
    matcher, labels = _matcher(nlp, kb)
    candidates: list[tuple[int, int, str, str]] = []  # (start, end, layer, name)
    people = {i for e in doc.ents if e.label_ in ("PERSON", "ORG") for i in range(e.start, e.end)}
    described, names = _descriptive_matcher(nlp, kb)
    if names:
        candidates += [(start, end, *names[match_id]) for match_id, start, end in described(doc)]
    for match_id, start, end in matcher(doc):
        layer, name = labels[match_id]
        if layer == GAZ_CITY and any(i in people for i in range(start, end)):
            continue  # "Vladimir" in "Vladimir Putin" is a man, not the city
        if layer == GAZ_CITY and not doc[start].text[:1].isupper():
            continue  # "nice", "mobile": a city only when written as a name
        if layer == GAZ_COUNTRY and not doc[start].text[:1].isupper() and doc[start].text.lower() not in ("u.s.",):
            continue
        candidates.append((start, end, layer, name))
    taken: set[int] = set()
    mentions = Mentions()
    for start, end, layer, name in sorted(candidates, key=lambda c: (-(c[1] - c[0]), PRIORITY[c[2]], c[0])):
        if any(i in taken for i in range(start, end)):
            continue
        taken.update(range(start, end))
        mentions.add(_make_mention(doc[start:end], layer, name, kb))
    for ent in doc.ents:
        if ent.label_ not in NAMED_LABELS or any(i in taken for i in range(ent.start, ent.end)):
            continue
        linked = kb.link(ent.text)
        if linked is None and ent.label_ in ("PERSON", "ORG"):
            linked = _clean(ent)
        if linked:
            taken.update(range(ent.start, ent.end))
            mentions.add(Mention(ent.start, ent.end, linked, "entity", None, "ner"))
    for tok in doc:  # proper nouns NER missed: "Hifter", "Saraj" in odd sentences
        if tok.i in taken or tok.pos_ != "PROPN" or len(tok.text) < 4 or not tok.text[:1].isupper():
            continue
        linked = kb.link(tok.text)
        if linked:
            taken.add(tok.i)
            mentions.add(Mention(tok.i, tok.i + 1, linked, "entity", None, "ner"))
    mentions.spans.sort(key=lambda m: m.start)
    return mentions


def _make_mention(span: Span, layer: str, name: str, kb: KnowledgeBase) -> Mention:
    if layer == KB_EVENT:
        return Mention(span.start, span.end, name, "event", None, layer)
    if layer == KB_ENTITY:
        city = name if gazetteer.is_city(name) else (span.text if gazetteer.is_city(span.text) else None)
        return Mention(span.start, span.end, name, "entity", city, layer)
    if layer == GAZ_CITY:
        return Mention(span.start, span.end, kb.canonical(name), "entity", name, layer)
    city = span.text if gazetteer.is_city(span.text) else None  # a capital standing for its country
    return Mention(span.start, span.end, kb.canonical(name), "entity", city, layer)


def _clean(span: Span) -> str:
    toks = [t for t in span if not (t.is_punct and t.text not in ("-", "."))]
    while toks and toks[0].lower_ in ("the", "a", "an"):
        toks = toks[1:]
    while toks and toks[-1].text in ("'s", "'"):
        toks = toks[:-1]
    return "".join(t.text_with_ws for t in toks).strip()
