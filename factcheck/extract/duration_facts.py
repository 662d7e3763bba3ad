"""Lengths of events: a time quantity of a sentence becomes `duration` facts of the events it
measures ("a nine-month campaign", "nine months of fighting", "the campaign lasted nine
months", "withdraw within nine months")."""
from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Span, Token

from factcheck.extract.analysis import sentence_fact
from factcheck.extract.events import EventIndex, EventMention
from factcheck.extract.lexicon import Lexicon
from factcheck.extract.quantities import QuantityMention
from factcheck.model import TIME_UNITS, Fact


def duration_facts(sent: Span, quantities: list[QuantityMention], events: EventIndex, lex: Lexicon) -> list[Fact]:
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
            out.append(sentence_fact(sent, "duration", m.subject, value, True, False, None))
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
