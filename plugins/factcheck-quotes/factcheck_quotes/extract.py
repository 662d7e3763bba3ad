"""Finding direct quotations and their speakers in a parsed article.

Two forms:
* quotation marks (“...” or "...") with a speech verb outside them, in the sentences the
  quotation touches, whose subject names the speaker ("“...,” Erdogan said",
  "Erdogan said: “...”"). A pronoun subject ("he said") is the person who was the subject
  of one of the previous sentences. A quotation with no speech verb that follows another
  in the same paragraph continues it (same speaker).
* attribution lines: "<quotation> – Speaker, title" on one line.

The speaker is linked through the knowledge base (`kb.link`), else kept as written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator

from factcheck.model import Fact, Source, Subject

SPEECH_VERBS = frozenset({
    "say", "tell", "warn", "add", "announce", "declare", "state", "insist", "stress", "note", "write",
    "threaten", "promise", "vow", "claim", "argue", "explain", "reply", "respond", "remark", "tweet",
    "comment", "assert", "affirm", "pledge", "continue", "conclude", "ask", "urge", "complain",
})
PRONOUNS = frozenset({"he", "she", "they", "i", "we"})
PREVIOUS_SENTENCES = 3  # how far back a pronoun speaker is looked for
_QUOTED = re.compile(r"“([^”]+)”|\"([^\"\n]+)\"")
_ATTRIBUTION = re.compile(r"^(?P<quote>[^\n]{20,}?)\s+[–—]\s*(?P<who>[A-Z][^,\n]{1,60}?)\s*(?:,[^\n]*)?$", re.MULTILINE)
_EDGE = " \t\n,;:.!?…"


@dataclass(frozen=True, slots=True)
class Quotation:
    text: str
    start: int  # character span of the evidence (quotation and attribution)
    end: int
    speaker: str


def quotations(doc: Any, kb: Any) -> Iterator[Quotation]:
    """Every attributed quotation in the Doc, in text order."""
    text = doc.text
    previous: tuple[int, str] | None = None  # (end offset, speaker) of the last attributed quotation
    for m in _QUOTED.finditer(text):
        start, end = m.span()
        inner = (m.group(1) or m.group(2) or "").strip(_EDGE)
        if not inner:
            continue
        speaker, span = _speaker(doc, start, end, kb)
        if speaker is None and previous is not None and "\n" not in text[previous[0]:start]:
            speaker, span = previous[1], (start, end)
        if speaker is None:
            continue
        previous = (end, speaker)
        yield Quotation(inner, min(span[0], start), max(span[1], end), speaker)
    for m in _ATTRIBUTION.finditer(text):
        quote = m.group("quote").strip(_EDGE + "“”\"")
        if len(quote.split()) < 4 or _QUOTED.search(m.group("quote")):
            continue
        who = m.group("who").strip()
        yield Quotation(quote, m.start(), m.end(), kb.link(who) or who)


def _speaker(doc: Any, start: int, end: int, kb: Any) -> tuple[str | None, tuple[int, int]]:
    """The speaker of the quotation at [start, end), and the span of the sentences used."""
    inside = doc.char_span(start, end, alignment_mode="expand")
    if inside is None:
        return None, (start, end)
    sents = _sentences(doc, inside.start, inside.end)
    span = (sents[0].start_char, sents[-1].end_char)
    verbs = [t for s in sents for t in s
             if not (inside.start <= t.i < inside.end) and t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in SPEECH_VERBS]
    verbs.sort(key=lambda t: min(abs(t.i - inside.end), abs(t.i - inside.start)))
    for verb in verbs:
        for subj in (c for c in verb.children if c.dep_ == "nsubj"):
            name = _name(subj, kb) if subj.lower_ not in PRONOUNS else _antecedent(doc, sents[0])
            if name:
                return name, span
    return None, span


def _sentences(doc: Any, first: int, last: int) -> list[Any]:
    out = []
    for s in doc.sents:
        if s.end > first and s.start < last:
            out.append(s)
    return out or [doc[first:last].sent]


def _name(tok: Any, kb: Any) -> str | None:
    """The linked name of a subject token: its named entity, or its compound phrase."""
    for ent in tok.doc.ents:
        if ent.start <= tok.i < ent.end and ent.label_ in ("PERSON", "ORG", "GPE", "NORP"):
            return kb.link(ent.text) or ent.text
    if tok.pos_ == "PROPN":
        left = min([c.i for c in tok.children if c.dep_ == "compound"] + [tok.i])
        phrase = tok.doc[left: tok.i + 1].text
        return kb.link(phrase) or phrase
    return None


def _antecedent(doc: Any, sent: Any) -> str | None:
    """The person who was the subject of one of the few sentences before `sent`."""
    sents = [s for s in doc.sents if s.end <= sent.start][-PREVIOUS_SENTENCES:]
    for s in reversed(sents):
        for tok in s:
            if tok.dep_ == "nsubj" and tok.pos_ == "PROPN":
                if any(e.label_ == "PERSON" and e.start <= tok.i < e.end for e in doc.ents):
                    return _person(tok)
    return None


def _person(tok: Any) -> str | None:
    """The named entity a token belongs to, as written (linked later)."""
    for ent in tok.doc.ents:
        if ent.start <= tok.i < ent.end:
            return ent.text
    return None


def quote_facts(doc: Any, source: Source, kb: Any) -> list[Fact]:
    """`quote` facts: speaker -> the quotation's words, the evidence its sentences."""
    out: list[Fact] = []
    text = doc.text
    for q in quotations(doc, kb):
        start, end = q.start, q.end
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        speaker = kb.link(q.speaker) or q.speaker
        out.append(Fact("quote", Subject("entity", speaker), q.text, text[start:end], start, end))
    return out
