"""Extraction of editor-defined YAML predicates (`factcheck.kb.custom`) from a parsed article.

For each sentence, each token whose word or lemma is one of a predicate's triggers:
1. the values are found by the predicate's `value` roles (dependency labels, prepositions
   or paths from the trigger), with their conjuncts, and read as the value type asks
   (linked entities, dates, numbers, quantities, or the phrase as text);
2. the subject is found by the `subject` roles, or else is the nearest event (or entity)
   the trigger's phrase belongs to: the trigger itself, its objects, then its governors;
3. polarity and hedging come from `factcheck.extract.polarity` (a verb trigger), or from a
   negator on the noun or a negative preposition over it ("without mediators").
"""
from __future__ import annotations

from typing import Iterable, Iterator, Sequence

from spacy.tokens import Doc, Span, Token

from factcheck.kb.custom import CustomPredicate, Role
from factcheck.extract.dates import find_dates
from factcheck.extract.analysis import analyse, sentence_fact
from factcheck.extract.events import EventIndex
from factcheck.extract.lexicon import Lexicon, lexicon
from factcheck.extract.mentions import Mentions
from factcheck.extract.polarity import hedged, polarity
from factcheck.extract.relations import Reader, extract_relations
from factcheck.extract.quantities import find_quantities, parse_number
from factcheck.kb.store import KnowledgeBase
from factcheck.model import Entity, Fact, Source, Subject
from factcheck.predicates import DATE, ENTITIES, EVENT, NUMBER, QUANTITY, STRING

PREPOSITION_LABELS = frozenset({"prep", "agent", "dative"})
OBJECT_LABELS = ("pobj", "pcomp")
SUBJECT_HOPS = 4  # how far up from a trigger its event or entity may be
NEAR_LABELS = frozenset({"dobj", "nsubjpass", "nsubj", "attr", "appos"})


def custom_facts(doc: Doc, source: Source, kb: KnowledgeBase, nlp, defs: Sequence[CustomPredicate],
                 extra_heads: Iterable[str] = ()) -> list[Fact]:
    """Every fact of the editor-defined predicates `defs` in one article."""
    lex = lexicon()
    mentions, events = analyse(doc, kb, nlp, frozenset(extra_heads))
    relations = [p.relation for p in defs if p.relation is not None]
    reader = Reader(mentions, events, lex) if relations else None
    out: list[Fact] = []
    for sent in doc.sents:
        if not sent.text.strip():
            continue
        for tok in sent:
            for p in defs:
                if p.relation is None and (tok.lower_ in p.triggers or tok.lemma_.lower() in p.triggers):
                    out += _facts_at(tok, sent, p, source, kb, mentions, events, lex)
        if reader is not None:  # predicates written like the built-in relations: the same interpreter
            out += [sentence_fact(sent, hit.predicate, hit.subject, Entity(hit.value), hit.polarity, hit.hedged)
                    for hit in extract_relations(sent, reader, lex, relations)]
    return out


def _facts_at(trigger: Token, sent: Span, p: CustomPredicate, source: Source, kb: KnowledgeBase,
              mentions: Mentions, events: EventIndex, lex: Lexicon) -> list[Fact]:
    subjects = _subjects(trigger, p, kb, mentions, events)
    if not subjects:
        return []
    values = _values(trigger, sent, p, source, kb, mentions)
    if not values:
        return []
    pol, hed = _polarity(trigger, lex)
    return [sentence_fact(sent, p.spec.name, subject, value, pol, hed, resolution)
            for subject in subjects for value, resolution in values]


# --------------------------------------------------------------------------- roles


def role_tokens(trigger: Token, roles: Sequence[Role]) -> list[Token]:
    """The tokens the roles reach from the trigger, with their conjuncts, in text order."""
    found: dict[int, Token] = {}
    for role in roles:
        for tok in _reach(trigger, role):
            for t in (tok, *tok.conjuncts):
                found.setdefault(t.i, t)
    return [found[i] for i in sorted(found)]


def _reach(trigger: Token, role: Role) -> Iterator[Token]:
    if role.how == "dep":
        for c in trigger.children:
            if c.dep_ in role.labels:
                yield from _objects(c) if c.dep_ in PREPOSITION_LABELS or c.pos_ == "ADP" else (c,)
    elif role.how == "prep":
        for c in trigger.children:
            if c.dep_ in PREPOSITION_LABELS and c.lower_ in role.labels:
                yield from _objects(c)
    else:  # path
        layer = [trigger]
        for label in role.labels:
            layer = [c for t in layer for c in t.children if c.dep_ == label]
        yield from layer


def _objects(prep: Token) -> list[Token]:
    return [c for c in prep.children if c.dep_ in OBJECT_LABELS]


# --------------------------------------------------------------------------- subjects


def _subjects(trigger: Token, p: CustomPredicate, kb: KnowledgeBase, mentions: Mentions,
              events: EventIndex) -> list[Subject]:
    def subject_of(tok: Token) -> Subject | None:
        if p.spec.argument == EVENT:
            m = events.at(tok)
            return m.subject if m is not None else None
        name = _entity(tok, kb, mentions)
        return Subject("entity", name) if name else None

    if p.subject:
        found = [subject_of(t) for t in role_tokens(trigger, p.subject)]
        return _unique(s for s in found if s is not None)
    for tok in _near(trigger):
        s = subject_of(tok)
        if s is not None:
            return [s]
    return []


def _near(trigger: Token) -> Iterator[Token]:
    """The trigger, its objects and subjects (through prepositions), then its governors."""
    yield trigger
    for c in trigger.children:
        if c.dep_ in NEAR_LABELS:
            yield c
        elif c.dep_ in PREPOSITION_LABELS:
            yield from _objects(c)
    cur = trigger
    for _ in range(SUBJECT_HOPS):
        if cur.head is cur:
            break
        cur = cur.head
        if cur.pos_ != "ADP":
            yield cur


# --------------------------------------------------------------------------- values


def _values(trigger: Token, sent: Span, p: CustomPredicate, source: Source, kb: KnowledgeBase,
            mentions: Mentions) -> list[tuple[object, str | None]]:
    tokens = role_tokens(trigger, p.value)
    kind = p.spec.value_type
    out: list[tuple[object, str | None]] = []
    if kind == ENTITIES:
        names = _unique(n for n in (_entity(t, kb, mentions) for t in tokens) if n)
        out = [(Entity(n), None) for n in names]
    elif kind == DATE:
        dates = find_dates(sent, source.published)
        out = [(d.value, d.resolution) for d in dates if any(d.start <= t.i < d.end for t in tokens)]
    elif kind == QUANTITY:
        found = find_quantities(sent)
        out = [(q.value, None) for q in found if any(q.unit_token.i == t.i or q.start <= t.i < q.end for t in tokens)]
    elif kind == NUMBER:
        for t in tokens:
            number = parse_number(t.text) if t.like_num else None
            if number is None:
                number = next((parse_number(c.text) for c in t.children if c.dep_ == "nummod"), None)
            if number is not None:
                out.append((float(number), None))
    elif kind == STRING:
        out = [(" ".join(x.text for x in t.subtree), None) for t in tokens]
    return _unique(out)


def _entity(tok: Token, kb: KnowledgeBase, mentions: Mentions) -> str | None:
    """The canonical entity a token belongs to: a linked mention, else the KB's link of a
    capitalised word ("Turkish" -> Turkey)."""
    name = mentions.entity_at(tok)
    if name:
        return name
    if tok.pos_ in ("PROPN", "ADJ", "NOUN") and tok.text[:1].isupper():
        return kb.link(tok.text)
    return None


# --------------------------------------------------------------------------- polarity


def _polarity(trigger: Token, lex: Lexicon) -> tuple[bool, bool]:
    verb = trigger
    while verb.pos_ not in ("VERB", "AUX") and verb.head is not verb:
        verb = verb.head
    hed = hedged(verb, lex) if verb.pos_ in ("VERB", "AUX") else False
    if trigger.pos_ in ("VERB", "AUX"):
        return polarity(trigger, lex), hed
    negated = any(c.lower_ in lex.negators for c in trigger.children if c.dep_ in ("det", "neg", "advmod"))
    head = trigger.head
    if trigger.dep_ in OBJECT_LABELS and head.lower_ in lex.negative_preps:
        negated = not negated
    return not negated, hed


def _unique(items: Iterable) -> list:
    seen: list = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen
