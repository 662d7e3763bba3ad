"""Dates and starts of events: a date mention of a sentence becomes `date` or `start` facts of
the events of its clause ("the summit was held on Sunday", "the truce took effect on May 11",
"talks opened three days after the signing")."""
from __future__ import annotations

import datetime as dt

from spacy.tokens import Span, Token

from factcheck.extract.analysis import sentence_fact
from factcheck.extract.dates import AT, SINCE, DateMention
from factcheck.extract.events import EventIndex, EventMention
from factcheck.extract.lexicon import Lexicon, lexicon
from factcheck.extract.polarity import hedged, polarity
from factcheck.extract.quantities import QuantityMention
from factcheck.model import DateValue, Fact

CLAUSE_BOUNDARIES = frozenset({"ccomp", "advcl", "relcl", "conj", "parataxis", "csubj", "xcomp"})


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


def offset_date_facts(sent: Span, quantities: list[QuantityMention], earlier: list[Fact], events: EventIndex,
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
                out.append(sentence_fact(sent, predicate, t.subject, when, polarity(verb, lex), hedged(verb, lex), how))
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


def date_facts(sent: Span, dates: list[DateMention], events: EventIndex, lex: Lexicon) -> list[Fact]:
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
                out.append(sentence_fact(sent, predicate, m.subject, dm.value, pol, hedged(verb, lex), dm.resolution))
    return out
