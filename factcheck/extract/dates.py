"""Date expressions: found in a parsed sentence, resolved against the publication date.

Absolute forms ("January 19, 2020", "Jan. 12", "December 21", "in April", "2011") and
relative ones ("on Sunday", "yesterday", "last week", "this weekend", "earlier this month",
"since Sunday", "three days ago", "the following day"). A form without a year, or a weekday,
is placed by the tense of its governing verb (see `tense.py`); how each form resolves is in
`date_resolution.py`.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass

from spacy.tokens import Span, Token

from factcheck.extract.date_resolution import MONTHS, WEEKDAYS, absolute_date, resolve
from factcheck.extract.lexicon import lexicon
from factcheck.extract.tense import PAST, UNKNOWN, tense_of_anchor
from factcheck.model import DateValue

# Prepositions that say how the date relates to the event.
SINCE, UNTIL, AT = "since", "until", "at"


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int  # token span in the doc
    end: int
    text: str
    value: DateValue
    resolution: str | None  # how a relative expression was read; None for absolute dates
    relation: str  # AT, SINCE or UNTIL
    anchor: Token  # the token the expression hangs from (a verb or a noun)


def find_dates(sent: Span, published: dt.date | None, previous: DateValue | None = None,
               year: int | None = None) -> list[DateMention]:
    """Every date expression in the sentence that resolves, in order. `year`: the article's
    own year (from its full dates), for month-days when there is no publication date."""
    spans = _date_spans(sent)
    out: list[DateMention] = []
    for span in spans:
        text = span.text.strip()
        if is_duration(text):
            continue
        anchor = _late_closure(span, _anchor(span))
        tense, verb = tense_of_anchor(anchor)
        relation = _relation(span)
        if relation == SINCE and tense == UNKNOWN:
            tense = PAST
        got = resolve(text, published, tense, previous, year)
        if got is None:
            continue
        value, relative = got
        resolution = None
        if relative:
            how = f"{tense} tense of \"{_verb_phrase(verb)}\"" if verb is not None and tense != UNKNOWN else "no tense to decide"
            resolution = f"\"{text}\" -> {value} ({how}; published {published.isoformat() if published else 'unknown'})"
        out.append(DateMention(span.start, span.end, text, value, resolution, relation, anchor))
        previous = value
    return out


def is_duration(text: str) -> bool:
    """"nine months", "a nine-month": a length of time, not a point in it ("ago" makes it a point)."""
    low = text.lower()
    if "ago" in low.split():
        return False
    return bool(re.search(r"\b(?:\w+[- ])?(?:hours?|days?|weeks?|months?|years?|decades?)\b", low)) and not re.search(
        r"\b(?:last|next|this|that|previous|following|coming|past|same)\b", low
    )


def _trim(span: Span) -> Span:
    """"a ceremony Tuesday": the recognizer's DATE may start with words of the sentence
    that are no part of the date; it starts at the first word that is."""
    for k, tok in enumerate(span):
        low = tok.lower_.rstrip(".")
        if low in WEEKDAYS or low in MONTHS or tok.like_num or low in lexicon().time.date_words or tok.pos_ not in ("DET", "NOUN"):
            return span[k:] if k else span
    return span


_DATE_ENTS = "factcheck_date_ents"


def _date_ents(sent: Span) -> list[Span]:
    """The DATE and TIME entities inside `sent`. The Doc's are listed once (in
    `doc.user_data`) and found by bisection: `sent.ents` builds every entity of the Doc
    for every sentence (sentences x entities)."""
    doc = sent.doc
    index = doc.user_data.get(_DATE_ENTS)
    if index is None or index[0] is not doc:
        ents = [e for e in doc.ents if e.label_ in ("DATE", "TIME")]
        index = doc.user_data[_DATE_ENTS] = (doc, [e.start for e in ents], ents)
    _, starts, ents = index
    out = []
    for e in ents[bisect.bisect_left(starts, sent.start):]:
        if e.start >= sent.end:
            break
        if e.end <= sent.end:
            out.append(e)
    return out


def _date_spans(sent: Span) -> list[Span]:
    spans = [_trim(e) for e in _date_ents(sent)]
    covered = {i for e in spans for i in range(e.start, e.end)}
    doc = sent.doc
    for tok in sent:  # weekdays and month names the NER missed
        low = tok.lower_.rstrip(".")
        if tok.i in covered or not tok.text[:1].isupper():
            continue
        if low in WEEKDAYS or (low in MONTHS and len(low) > 2 and low != "may"):
            end = tok.i + 1
            while end < sent.end and (doc[end].like_num or doc[end].lower_ in (",",) and end + 1 < sent.end and doc[end + 1].like_num):
                end += 1
            spans.append(doc[tok.i:end])
            covered.update(range(tok.i, end))
    return sorted(spans, key=lambda s: s.start)


def _relation(span: Span) -> str:
    doc = span.doc
    prev = doc[span.start - 1].lower_ if span.start > 0 else ""
    if span[0].lower_ in ("since",) or prev == "since":
        return SINCE
    if prev in ("until", "till", "through") or span[0].lower_ in ("until",):
        return UNTIL
    head = span.root.head
    if head.dep_ == "prep" and head.lower_ == "since":
        return SINCE
    return AT


def _anchor(span: Span) -> Token:
    """The token the date qualifies: the head of its preposition, or its own head."""
    tok = span.root
    head = tok.head
    if tok.dep_ == "pobj" and head.dep_ == "prep":
        return head.head
    return head


def _late_closure(span: Span, anchor: Token) -> Token:
    """Right association: a date after a verb phrase belongs to the nearest verb before it.

    The small parser often hangs "on January 8" on the main verb when a participle came
    in between ("took place after an agreement announced in Istanbul ... on January 8").
    """
    if anchor.pos_ not in ("VERB", "AUX") or anchor.i > span.start:
        return anchor
    for i in range(span.start - 1, anchor.i, -1):
        tok = span.doc[i]
        if tok.pos_ == "VERB" and tok.dep_ not in ("aux", "auxpass", "amod") and tok.sent == span.sent:
            return tok
    return anchor


def _verb_phrase(verb: Token) -> str:
    aux = [c.text for c in verb.children if c.dep_ in ("aux", "auxpass", "neg") and c.i < verb.i]
    return " ".join(aux + [verb.text])


def article_year(doc) -> int | None:
    """The year of an article's first full date ("19 January 2020", "2020-01-19"): the year of
    its month-days when it has no publication date (SPEC §3)."""
    for ent in doc.ents:
        if ent.label_ == "DATE":
            got = absolute_date(re.sub(r"\s+", " ", ent.text.lower()).strip(" ,."))
            if got is not None and got.granularity == "day":
                return got.start.year
    return None
