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

import bisect
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
ANTECEDENT_TOKENS = 300  # of each of those sentences, at most its last tokens
VERB_WINDOW = 60  # tokens before and after a quotation (within its sentences) where its speech verb is looked for
# An opening mark ends a curly quotation it does not close: every search stops at the next
# mark, so finding them all is linear in the text (nested or unclosed marks too).
_QUOTED = re.compile(r"“([^”“]+)”|\"([^\"\n]+)\"")
_ATTRIBUTION = re.compile(r"^(?P<quote>[^\n]{20,%d}?)\s{1,8}[–—]\s*(?P<who>[A-Z][^,\n]{1,60}?)\s*(?:,[^\n]*)?$"
                          % 4000, re.MULTILINE)
_EDGE = " \t\n,;:.!?…"


@dataclass(frozen=True, slots=True)
class Quotation:
    text: str
    start: int  # character span of the evidence (quotation and attribution)
    end: int
    speaker: str


class _Index:
    """What finding speakers asks of a Doc, computed once: its sentences (found by
    bisection) and the named entity of each token. Asking the Doc each time was sentences x
    quotations and entities x tokens."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.sents = list(doc.sents)
        self.starts = [s.start for s in self.sents]
        self.ent_at: dict[int, Any] = {}
        for ent in doc.ents:
            for i in range(ent.start, ent.end):
                self.ent_at[i] = ent

    def sentences(self, first: int, last: int) -> list[Any]:
        """The sentences that overlap tokens [first, last)."""
        k = max(0, bisect.bisect_right(self.starts, first) - 1)
        out = []
        while k < len(self.sents) and self.sents[k].start < last:
            if self.sents[k].end > first:
                out.append(self.sents[k])
            k += 1
        return out or [self.doc[first:last].sent]

    def before(self, sent: Any, n: int) -> list[Any]:
        """The n sentences that end before `sent` starts."""
        k = bisect.bisect_left(self.starts, sent.start)
        while k > 0 and self.sents[k - 1].end > sent.start:
            k -= 1
        return self.sents[max(0, k - n):k]


def quotations(doc: Any, kb: Any) -> Iterator[Quotation]:
    """Every attributed quotation in the Doc, in text order."""
    text = doc.text
    index: _Index | None = None
    previous: tuple[int, str] | None = None  # (end offset, speaker) of the last attributed quotation
    for m in _QUOTED.finditer(text):
        start, end = m.span()
        inner = (m.group(1) or m.group(2) or "").strip(_EDGE)
        if not inner:
            continue
        index = index or _Index(doc)
        speaker, span = _speaker(index, start, end, kb)
        if speaker is None and previous is not None and "\n" not in text[previous[0]:start]:
            speaker, span = previous[1], (start, end)
        if speaker is None:
            continue
        previous = (end, speaker)
        yield Quotation(inner, min(span[0], start), max(span[1], end), speaker)
    if "–" not in text and "—" not in text:
        return
    for m in _ATTRIBUTION.finditer(text):
        quote = m.group("quote").strip(_EDGE + "“”\"")
        if len(quote.split()) < 4 or _QUOTED.search(m.group("quote")):
            continue
        who = m.group("who").strip()
        yield Quotation(quote, m.start(), m.end(), kb.link(who) or who)


def _speaker(index: _Index, start: int, end: int, kb: Any) -> tuple[str | None, tuple[int, int]]:
    """The speaker of the quotation at [start, end), and the span of the sentences used."""
    doc = index.doc
    inside = doc.char_span(start, end, alignment_mode="expand")
    if inside is None:
        return None, (start, end)
    sents = index.sentences(inside.start, inside.end)
    span = (sents[0].start_char, sents[-1].end_char)
    first, last = max(sents[0].start, inside.start - VERB_WINDOW), min(sents[-1].end, inside.end + VERB_WINDOW)
    verbs = [t for t in (*doc[first:inside.start], *doc[inside.end:last])  # near it: a run-on sentence costs no more
             if t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in SPEECH_VERBS]
    verbs.sort(key=lambda t: min(abs(t.i - inside.end), abs(t.i - inside.start)))
    for verb in verbs:
        for subj in (c for c in verb.children if c.dep_ == "nsubj"):
            name = _name(index, subj, kb) if subj.lower_ not in PRONOUNS else _antecedent(index, sents[0])
            if name:
                return name, span
    return None, span


def _name(index: _Index, tok: Any, kb: Any) -> str | None:
    """The linked name of a subject token: its named entity, or its compound phrase."""
    ent = index.ent_at.get(tok.i)
    if ent is not None and ent.label_ in ("PERSON", "ORG", "GPE", "NORP"):
        return kb.link(ent.text) or ent.text
    if tok.pos_ == "PROPN":
        left = min([c.i for c in tok.children if c.dep_ == "compound"] + [tok.i])
        phrase = tok.doc[left: tok.i + 1].text
        return kb.link(phrase) or phrase
    return None


def _antecedent(index: _Index, sent: Any) -> str | None:
    """The person who was the subject of one of the few sentences before `sent`."""
    for s in reversed(index.before(sent, PREVIOUS_SENTENCES)):
        for tok in s[-ANTECEDENT_TOKENS:]:  # the end of a run-on sentence: bounded work per quotation
            if tok.dep_ == "nsubj" and tok.pos_ == "PROPN":
                ent = index.ent_at.get(tok.i)
                if ent is not None and ent.label_ == "PERSON":
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
