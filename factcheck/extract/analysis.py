"""What every extractor of one parsed article shares: its linked mentions and event index
(computed once per Doc, kept in `doc.user_data`), and how a sentence becomes a Fact's evidence.
"""
from __future__ import annotations

from spacy.tokens import Doc, Span

from factcheck.extract.events import EventIndex, paragraphs_of
from factcheck.extract.lexicon import lexicon
from factcheck.extract.mentions import Mentions, link_doc
from factcheck.kb.store import KnowledgeBase
from factcheck.model import Fact, Subject

_KEY = "factcheck_analysis"


def analyse(doc: Doc, kb: KnowledgeBase, nlp, extra_heads: frozenset[str] = frozenset()) -> tuple[Mentions, EventIndex]:
    """The Doc's entity mentions and event mentions, linked against `kb` (once per Doc)."""
    key = (id(kb), extra_heads)
    cached = doc.user_data.get(_KEY)
    if cached is not None and cached[0] == key:
        return cached[1], cached[2]
    mentions = link_doc(doc, kb, nlp)
    events = EventIndex(doc, mentions, kb, lexicon(), paragraphs_of(doc), extra_heads)
    doc.user_data[_KEY] = (key, mentions, events)
    return mentions, events


def sentence_fact(sent: Span, predicate: str, subject: Subject, value, polarity: bool = True, hedged: bool = False,
                  resolution: str | None = None) -> Fact:
    """A Fact whose evidence is the sentence, trimmed, with its offsets in the article text."""
    text = sent.text
    lead = len(text) - len(text.lstrip())
    stripped = text.strip()
    start = sent.start_char + lead
    return Fact(predicate, subject, value, stripped, start, start + len(stripped), polarity, hedged, resolution)
