"""Extraction: a parsed article in, the facts it states out.

`extract_source` is a pure function of (text, metadata, knowledge base, model, settings),
which is what makes it cacheable and parallel. The per-family work lives in submodules:
mentions (entity linking), events (event mentions, places, anaphora), dates, quantities,
relations (backers, leader, signed, hosts, attendees), polarity (negation, hedging).
"""
from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import replace

from typing import Any, Callable, Iterator, Sequence

from spacy.tokens import Doc, Span, Token

from factcheck.extract import ExtractionRequest, budget
from factcheck.extract import nlp as nlp_mod
from factcheck.extract.analysis import analyse, sentence_fact
from factcheck.extract.dates import AT, SINCE, DateMention, article_year, find_dates
from factcheck.extract.events import EventIndex, EventMention
from factcheck.extract.lexicon import Lexicon, lexicon
from factcheck.extract.mentions import Mentions
from factcheck.extract.polarity import hedged, polarity
from factcheck.extract.quantities import QuantityMention, find_quantities
from factcheck.extract.relations import Reader, extract_relations
from factcheck.kb.store import KnowledgeBase
from factcheck.model import TIME_UNITS, DateValue, Entity, Fact, PartialFacts, Source, Subject

CLAUSE_BOUNDARIES = frozenset({"ccomp", "advcl", "relcl", "conj", "parataxis", "csubj", "xcomp"})
BATCH_SIZE = 16


# Every extractor as one function of a parsed article: (doc, source, kb, nlp, extra_heads) -> facts.
# The run layer passes the plugin host's (`factcheck.plugin.host.extractor()`); extraction never
# calls hooks itself.
Extractors = Callable[[Doc, Source, KnowledgeBase, Any, frozenset[str]], list[Fact]]


def extract_source(source: Source, request: ExtractionRequest, extractors: Extractors) -> list[Fact]:
    """Every fact one source states (with the pipeline's `exclude`d components left out), within
    the request's per-article time budget (`budget.OverBudget` past it).

    An article longer than `nlp.PART_CHARS` is read in parts cut on paragraph (else line,
    sentence or word) boundaries, each parsed and extracted as an article of its own, its
    facts' offsets moved to the whole text: memory stays that of one part, and no sentence is
    lost (one is cut only where a part has no boundary near its end)."""
    nlp = nlp_mod.load(request.model, request.exclude)
    _warm_up(nlp, request)
    budget.start(budget.for_length(request.seconds, len(source.text)))
    try:
        parts = nlp_mod.segments(source.text, nlp_mod.PART_CHARS)
        if len(parts) == 1:
            return facts_from_doc(nlp_mod.parse(nlp, source.text, budget.check), source, request, nlp, extractors)
        out: list[Fact] = []
        partial = False
        for a, b in parts:
            part = replace(source, text=source.text[a:b])
            got = facts_from_doc(nlp_mod.parse(nlp, part.text, budget.check), part, request, nlp, extractors)
            partial = partial or isinstance(got, PartialFacts)
            out += [replace(f, start=f.start + a, end=f.end + a) for f in got]
        return PartialFacts(_dedupe(out)) if partial else _dedupe(out)
    finally:
        budget.stop()


def extract_many(sources: Sequence[Source], request: ExtractionRequest,
                 extractors: Extractors) -> Iterator[tuple[Source, list[Fact]]]:
    """Facts of many sources, streamed through `nlp.pipe`; each Doc is dropped after use. An
    article longer than one segment (`nlp.segments`) is parsed alone, a segment at a time.
    Each article has the request's time budget: past it, `budget.OverBudget` is raised (the
    caller reports that article and goes on with the next)."""
    nlp = nlp_mod.load(request.model, request.exclude)
    _warm_up(nlp, request)
    for long, group in itertools.groupby(sources, key=lambda s: len(s.text) > nlp_mod.SEGMENT_CHARS):
        if long:
            for source in group:
                yield source, extract_source(source, request, extractors)
            continue
        batch = list(group)
        for source, doc in zip(batch, nlp.pipe((s.text for s in batch), batch_size=BATCH_SIZE)):
            budget.start(budget.for_length(request.seconds, len(source.text)))
            try:
                yield source, facts_from_doc(doc, source, request, nlp, extractors)
            finally:
                budget.stop()


_WARM: set[tuple] = set()
_WARM_TEXT = "Qatar hosted talks in Doha on Monday, officials said."


def _warm_up(nlp: Any, request: ExtractionRequest) -> None:
    """Once per process, model and knowledge base: the built-in extractors read a short
    sentence, so that what they build on first use (phrase matchers, gazetteer, word lists)
    is not charged to the time or memory budget of the first article."""
    key = (id(nlp), id(request.kb), request.extra_heads)
    if (request.seconds or request.megabytes) and key not in _WARM:
        _WARM.add(key)
        builtin_facts(nlp(_WARM_TEXT), Source("warm-up", "warm-up", _WARM_TEXT), request.kb, nlp, request.extra_heads)


def facts_from_doc(doc: Doc, source: Source, request: ExtractionRequest, nlp: Any,
                   extractors: Extractors) -> list[Fact]:
    """Every fact of a parsed article, from every extractor registered on the `factcheck_extract`
    hook (the built-in one, `builtin_facts`, first; then YAML predicates and plugins)."""
    got = extractors(doc, source, request.kb, nlp, request.extra_heads)
    return PartialFacts(_dedupe(got)) if isinstance(got, PartialFacts) else _dedupe(got)


def builtin_facts(doc: Doc, source: Source, kb: KnowledgeBase, nlp, extra_heads: frozenset[str] = frozenset()) -> list[Fact]:
    """The built-in extractors (registered by `factcheck.plugin.builtin`). Without a dependency
    parse (a pipeline run without its parser, for rules that only ask `mentions` of
    entities) only entity mentions are read: dates, relations and events need the parse."""
    if not doc.has_annotation("DEP"):
        from factcheck.extract.mentions import link_doc

        return _dedupe(_entity_mention_facts(doc, link_doc(doc, kb, nlp)))
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
        facts += _offset_date_facts(sent, quantities, facts, events, lex)
        facts += _date_facts(sent, dates, events, lex)
        facts += _duration_facts(sent, quantities, events, lex)
        for hit in extract_relations(sent, reader, lex):
            facts.append(_fact(sent, hit.predicate, hit.subject, Entity(hit.value), hit.polarity, hit.hedged))
    facts += _on_behalf(facts, kb, lex)
    facts += _mention_facts(doc, mentions, events)
    return _dedupe(facts)


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


_fact = sentence_fact


# ------------------------------------------------------------------ dates


def _clause_events(anchor: Token, events: EventIndex, skip: set[int]) -> list[EventMention]:
    """Event mentions in the clause of `anchor`, not crossing into other clauses."""
    out: list[EventMention] = []
    stack = [anchor]
    while stack:
        tok = stack.pop()
        m = events.at(tok)
        if m is not None:
            out.append(m)
        for c in tok.children:
            if c.i in skip:
                continue
            if c.dep_ in CLAUSE_BOUNDARIES and (c.pos_ in ("VERB", "AUX") or c.dep_ != "conj"):
                continue
            if c.dep_ == "prep" and (c.lower_ in lexicon().time.other_time_preps or (c.lower_ in ("of", "to") and tok.lower_ in lexicon().time.other_time_heads)):
                continue  # "confirmed on Saturday, ahead of the gathering": that event is at another time
            if c.dep_ == "poss" and tok.pos_ == "NOUN" and m is None and tok.lemma_.lower() not in lexicon().sub_event_nouns:
                continue  # "the talks' failure on Tuesday" dates the failure; "the deal's signing" the deal
            if c.dep_ == "acl" and any(x.dep_ in ("nsubj", "nsubjpass", "mark", "aux") for x in c.children):
                continue  # "a statement that Germany will organize the meeting": a clause of its own
            stack.append(c)
    if anchor.dep_ == "relcl":  # "a summit which Germany is hosting ... on Sunday"
        m = events.at(anchor.head)
        if m is not None and any(c.lower_ in ("which", "that", "who") for c in anchor.children):
            out.append(m)
    elif anchor.dep_ == "acl" and anchor.tag_ == "VBN" and (m := events.at(anchor.head)) is not None:  # "the truce applied since Sunday"
        out.append(m)
    return sorted(out, key=lambda m: m.token)


SINCE_WINDOW = 8  # tokens back from "since X" to the event it starts


def _preceding_event(sent: Span, before: int, events: EventIndex) -> list[EventMention]:
    for i in range(before - 1, max(sent.start, before - SINCE_WINDOW) - 1, -1):
        m = events.by_token.get(i)
        if m is not None:
            return [m]
    return []


def _started_events(verb: Token, events: EventIndex) -> list[EventMention]:
    """What a start verb starts: its subject, the noun it modifies, or its governor's object
    ("respect a truce beginning on May 11")."""
    subjects = [events.at(c) for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not any(subjects):
        if verb.dep_ in ("acl", "relcl"):
            subjects = [events.at(verb.head)]
        elif verb.dep_ in ("advcl", "xcomp", "conj", "ccomp"):  # ccomp: "the truce agreed in X took effect", misparsed
            subjects = [events.at(c) for c in verb.head.children if c.dep_ in ("dobj", "nsubj", "nsubjpass")]
    return [m for m in subjects if m is not None]


def _date_events(dm: DateMention, events: EventIndex, anchor: Token) -> list[EventMention]:
    m = events.at(anchor)
    if m is not None:
        return [m]
    if anchor.pos_ in ("NOUN", "PROPN"):  # "the conference date", a date on a non-event noun: its verb's clause
        anchor = anchor.head if anchor.head.pos_ in ("VERB", "AUX") else anchor
    if anchor.pos_ not in ("VERB", "AUX"):
        return []
    found = _clause_events(anchor, events, set(range(dm.start, dm.end)))
    if not found:  # "It was signed on July 22": a pronoun argument of a relation verb is its family's event
        family = lexicon().verb_family(anchor.lemma_.lower())
        pronoun = any(c.lower_ in ("it", "this") and c.dep_ in ("nsubj", "nsubjpass", "dobj") for c in anchor.children)
        salient = events.salient(anchor.i, family) if family and pronoun else None
        found = [salient] if salient is not None else []
    return found


_OFFSET_DAYS = {"day": 1, "week": 7}


def _offset_date_facts(sent: Span, quantities: list[QuantityMention], earlier: list[Fact], events: EventIndex,
                       lex: Lexicon) -> list[Fact]:
    """"Talks opened three days after the signing": a date counted from another event the
    article has already dated to the day ("the signing" is the act of signing: the last
    agreement dated by its signing), for the events of the clause."""
    out: list[Fact] = []
    for prep in (p for p in sent if p.dep_ == "prep" and p.lower_ in ("after", "before") and p.head.pos_ == "VERB"):
        amount = [q for q in quantities if q.unit_token.head.i == prep.i and q.value.unit in _OFFSET_DAYS]
        anchor = next((o for o in prep.children if o.dep_ == "pobj"), None)
        if not amount or anchor is None:
            continue
        family = lex.verb_family(next((v for v, n in lex.act_nouns.items() if n == anchor.lemma_.lower()), ""))
        m = events.at(anchor)
        known = [f.value for f in earlier if f.predicate == "date" and isinstance(f.value, DateValue)
                 and f.value.precise_day and f.value.granularity == "day" and f.polarity
                 and ((m is not None and m.subject.name and f.subject.name == m.subject.name)
                      or (family is not None and family in lex.family_of(f.subject.head)))]
        if not known:
            continue
        days = amount[0].value.amount * _OFFSET_DAYS[amount[0].value.unit] * (1 if prep.lower_ == "after" else -1)
        if amount[0].value.approx or amount[0].value.bound or not float(days).is_integer():
            continue
        when = DateValue.day(known[-1].start + dt.timedelta(days=int(days)))
        verb = prep.head
        how = f"{amount[0].value} {prep.lower_} {known[-1]} (the date of \"{anchor.text}\" stated earlier)"
        targets = [t for t in _clause_events(verb, events, {anchor.i}) if t.token != anchor.i]
        for t in targets:
            for predicate in (["start", "date"] if lex.starts(verb) and "summit" in t.family else
                              ["start"] if lex.starts(verb) else ["date"]):
                out.append(_fact(sent, predicate, t.subject, when, polarity(verb, lex), hedged(verb, lex), how))
    return out


def _events_done_at(m: EventMention, events: EventIndex, lex: Lexicon) -> list[EventMention]:
    """The events a relative clause on an event says were done at it: "the ceremony at which the
    deal was signed" (a dating verb of the inner event's family)."""
    out = []
    for clause in events.doc[m.token].children:
        if clause.dep_ != "relcl" or not any(c.dep_ == "prep" and any(o.lower_ in ("which", "whom") for o in c.children)
                                             for c in clause.children):
            continue
        for t in clause.children:
            inner = events.at(t) if t.dep_ in ("nsubj", "nsubjpass", "dobj") else None
            if inner is not None and lex.dates_event(clause.lemma_.lower(), inner.family):
                out.append(inner)
    return out


def _purpose_governor(anchor: Token) -> Token:
    """"signed an accord to end the war in Cartagena yesterday": a date on a purpose
    infinitive (of a noun or of the clause) is the governing verb's; the purpose has not
    happened. "plans to hold a summit on Sunday" (a complement) keeps its own."""
    if anchor.tag_ == "VB" and anchor.dep_ in ("acl", "advcl") and any(c.lower_ == "to" for c in anchor.children):
        head = anchor.head if anchor.head.pos_ in ("VERB", "AUX") else anchor.head.head
        if head.pos_ in ("VERB", "AUX"):
            return head
    return anchor


def _date_facts(sent: Span, dates: list[DateMention], events: EventIndex, lex: Lexicon) -> list[Fact]:
    out: list[Fact] = []
    for dm in dates:
        anchor = _purpose_governor(dm.anchor)
        is_start = dm.relation == SINCE or lex.starts(anchor)
        if dm.relation not in (AT, SINCE):
            continue
        if lex.starts(anchor):
            targets = _started_events(anchor, events)
        else:
            targets = _date_events(dm, events, anchor)
        if not targets and dm.relation == SINCE:  # "the truce applied since Sunday", however it parsed
            targets = _preceding_event(sent, dm.start, events)
        verb = anchor if anchor.pos_ in ("VERB", "AUX") else anchor.head
        pol = polarity(verb, lex) if verb.pos_ in ("VERB", "AUX") else True
        if not is_start and anchor.pos_ in ("VERB", "AUX"):
            targets = [m for m in targets if lex.dates_event(anchor.lemma_.lower(), m.family)]
            if not targets and anchor.tag_ == "VB" and anchor.dep_ in ("xcomp", "advcl", "acl"):
                # "signed an accord to normalise relations ... yesterday": the date is the signing's
                head = anchor.head if anchor.head.pos_ == "VERB" else anchor.head.head
                if head.pos_ == "VERB":
                    targets = [m for m in _clause_events(head, events, set(range(dm.start, dm.end)))
                               if lex.dates_event(head.lemma_.lower(), m.family)]
            if anchor.lemma_.lower() in lex.reporting_verbs:
                targets = []  # "participants in the talks said on Monday": the date of the saying
        if not is_start and verb.i in events.verbal:  # "Trump announced on Friday that ...": the announcement's date
            targets = targets + [events.verbal[verb.i]]
        act = events.act_event(verb) if not is_start and verb.pos_ == "VERB" and targets else None
        if act is not None and all(m.subject.name != act.name for m in targets):
            targets = targets + [EventMention(verb.i, act, events.paragraph_of[verb.i], frozenset({"kb"}), True)]
        if not is_start:  # "the ceremony at which the deal was signed took place on Saturday": the deal's date too
            targets = targets + [inner for m in targets for inner in _events_done_at(m, events, lex) if inner not in targets]
        for m in targets:
            predicates = ["start"] if is_start else ["date"]
            if is_start and dm.relation == AT and "summit" in m.family:
                predicates.append("date")  # "talks opened on Saturday": a meeting's start is its date
            for predicate in predicates:
                out.append(_fact(sent, predicate, m.subject, dm.value, pol, hedged(verb, lex), dm.resolution))
    return out


# ------------------------------------------------------------------ durations


def _duration_facts(sent: Span, quantities: list[QuantityMention], events: EventIndex, lex: Lexicon) -> list[Fact]:
    out: list[Fact] = []
    running = any(f" {w} " in f" {sent.text.lower()} " for w in lex.running_total_words)
    for q in quantities:
        if q.value.unit not in TIME_UNITS:
            continue
        value = replace(q.value, bound="min", approx=False) if running else q.value  # "four weeks ... so far": at least
        unit = q.unit_token
        if unit.dep_ == "pobj" and unit.head.lower_ == "of" and unit.head.head.lemma_.lower() in ("minimum", "maximum"):
            unit = unit.head.head  # "for a minimum of three years": the phrase stands where the length would
        if any(c.dep_ == "amod" and c.lower_ in lex.part_words for c in unit.children):
            continue  # "the first 21 months of a transition": a part, not the whole
        targets: list[EventMention] = []
        if unit.dep_ in ("compound", "amod", "nmod", "nummod") and (hit := events.at(unit.head)):  # "nine-month campaign"
            targets.append(hit)
        for c in unit.children:  # "nine months of fighting"
            if c.dep_ == "prep" and c.lower_ == "of":
                targets += [hit for o in c.children if o.dep_ == "pobj" and (hit := events.at(o))]
        head = unit.head
        verb = head.head
        while head.lower_ == "within" and verb.pos_ not in ("VERB", "AUX") and verb.head is not verb:
            verb = verb.head  # "withdraw from the reserve within nine months"
        if unit.dep_ == "pobj" and head.lower_ in ("for", "within") and verb.pos_ in ("VERB", "AUX"):  # "fighting for nine months"
            if hit := events.at(verb):
                targets.append(hit)
            elif verb.i in events.verbal:  # "withdraw within nine months": the withdrawal's length
                targets.append(events.verbal[verb.i])
            else:  # "the campaign raged for nine months", "the pact binds its members for three years"
                targets += _subject_events(verb, events)
        if unit.dep_ in ("dobj", "npadvmod") and head.lemma_.lower() in lex.duration_verbs:  # "the campaign lasted nine months"
            targets += _subject_events(head, events)
        if unit.dep_ == "npadvmod" and head.lower_ == "long" and (hit := events.at(head.head)):  # "a 30-day-long siege"
            targets.append(hit)
        for m in targets:
            out.append(_fact(sent, "duration", m.subject, value, True, False, None))
    return out


def _subject_events(verb: Token, events: EventIndex) -> list[EventMention]:
    """The event a verb's subject names; a relative pronoun stands for the noun it follows."""
    out: list[EventMention] = []
    if verb.dep_ == "acl" and (m := events.at(verb.head)) is not None:  # "a transition lasting 39 months"
        out.append(m)
    for s in verb.children:
        if s.dep_ not in ("nsubj", "nsubjpass"):
            continue
        if s.lower_ in ("which", "that", "who") and verb.dep_ == "relcl":
            s = verb.head
        if (m := events.at(s)) is not None:
            out.append(m)
    return out


# ------------------------------------------------------------------ mentions


def _entity_mention_facts(doc: Doc, mentions: Mentions) -> list[Fact]:
    out: list[Fact] = []
    seen: set = set()
    for m in mentions.spans:
        if m.kind != "entity" or m.name in seen:
            continue
        seen.add(m.name)
        out.append(_fact(doc[m.start].sent, "mentions", Subject("entity", m.name), True))
    return out


def _mention_facts(doc: Doc, mentions: Mentions, events: EventIndex) -> list[Fact]:
    out = _entity_mention_facts(doc, mentions)
    seen: set = {f.subject.name for f in out}
    for e in [*events.order, *events.verbal.values()]:
        if e.subject in seen:
            continue
        seen.add(e.subject)
        out.append(_fact(doc[e.token].sent, "mentions", e.subject, True))
    return out


def _dedupe(facts: list[Fact]) -> list[Fact]:
    seen: set = set()
    out = []
    for f in facts:
        key = (f.predicate, f.subject, f.value, f.start, f.polarity)
        if key in seen:
            continue
        seen.add(key)
        out.append(f)
    return out
