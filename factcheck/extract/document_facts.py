"""The facts one parsed article states, by the built-in extractors: dates, starts and
durations of events, relations between parties, what a leader does on behalf of what they
lead, and mentions of entities and events."""
from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc

from factcheck.extract import budget
from factcheck.extract.analysis import analyse, sentence_fact
from factcheck.extract.date_facts import date_facts, offset_date_facts
from factcheck.extract.dates import article_year, find_dates
from factcheck.extract.duration_facts import duration_facts
from factcheck.extract.events import EventIndex
from factcheck.extract.lexicon import Lexicon, lexicon
from factcheck.extract.mentions import Mentions
from factcheck.extract.quantities import find_quantities
from factcheck.extract.relations import Reader, extract_relations
from factcheck.kb.store import KnowledgeBase
from factcheck.model import Entity, Fact, Source, Subject


def builtin_facts(doc: Doc, source: Source, kb: KnowledgeBase, nlp, extra_heads: frozenset[str] = frozenset()) -> list[Fact]:
    """The built-in extractors (registered by `factcheck.plugin.builtin`). Without a dependency
    parse (a pipeline run without its parser, for rules that only ask `mentions` of
    entities) only entity mentions are read: dates, relations and events need the parse."""
    if not doc.has_annotation("DEP"):
        from factcheck.extract.mentions import link_doc

        return dedupe(_entity_mention_facts(doc, link_doc(doc, kb, nlp)))
    lex = lexicon()
    mentions, events = analyse(doc, kb, nlp, frozenset(extra_heads))
    reader = Reader(mentions, events, lex)
    facts: list[Fact] = []
    previous_date = None
    year = article_year(doc) if source.published is None else None
    for sent in doc.sents:
        budget.check()
        if not sent.text.strip():
            continue
        dates = find_dates(sent, source.published, previous_date, year)
        if dates:
            previous_date = dates[-1].value
        quantities = find_quantities(sent)  # read once: offsets ("three days after") and durations
        facts += offset_date_facts(sent, quantities, facts, events, lex)
        facts += date_facts(sent, dates, events, lex)
        facts += duration_facts(sent, quantities, events, lex)
        for hit in extract_relations(sent, reader, lex):
            facts.append(sentence_fact(sent, hit.predicate, hit.subject, Entity(hit.value), hit.polarity, hit.hedged))
    facts += _on_behalf(facts, kb, lex)
    facts += _mention_facts(doc, mentions, events)
    return dedupe(facts)


def _on_behalf(facts: list[Fact], kb: KnowledgeBase, lex: Lexicon) -> list[Fact]:
    """A leader acts for what they lead: once the article says "German Chancellor Merkel"
    (leader(Germany) = Merkel, and Merkel leads nothing else here), "Merkel hosted the
    summit" also says Germany hosted it, for the relations `on_behalf` lists (hosting,
    attending, backing; never signing, where the person is the signer)."""
    led: dict[str, set[str]] = {}
    for f in facts:
        if f.predicate == "leader" and f.polarity and not f.hedged and isinstance(f.value, Entity):
            led.setdefault(f.value.name, set()).add(f.subject.name)
    out = []
    for f in facts:
        if f.predicate in lex.on_behalf and isinstance(f.value, Entity) and len(led.get(f.value.name, ())) == 1:
            org = next(iter(led[f.value.name]))
            if org != f.subject.name and not kb.value_matches(org, f.value.name):
                out.append(replace(f, value=Entity(org)))
    return out


def _entity_mention_facts(doc: Doc, mentions: Mentions) -> list[Fact]:
    out: list[Fact] = []
    seen: set = set()
    for m in mentions.spans:
        if m.kind != "entity" or m.name in seen:
            continue
        seen.add(m.name)
        out.append(sentence_fact(doc[m.start].sent, "mentions", Subject("entity", m.name), True))
    return out


def _mention_facts(doc: Doc, mentions: Mentions, events: EventIndex) -> list[Fact]:
    out = _entity_mention_facts(doc, mentions)
    seen: set = {f.subject.name for f in out}
    for e in [*events.order, *events.verbal.values()]:
        if e.subject in seen:
            continue
        seen.add(e.subject)
        out.append(sentence_fact(doc[e.token].sent, "mentions", e.subject, True))
    return out


def dedupe(facts: list[Fact]) -> list[Fact]:
    seen: set = set()
    out = []
    for f in facts:
        key = (f.predicate, f.subject, f.value, f.start, f.polarity)
        if key in seen:
            continue
        seen.add(key)
        out.append(f)
    return out
