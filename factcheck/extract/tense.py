"""The tense of the clause an expression belongs to: past, future or unknown.

News text puts relative dates next to verbs whose tense decides them: "will participate ...
on Sunday" is the coming Sunday, "saw a silence ... on Sunday" the last one. Walks up the
dependency tree from a token to the first verb whose form says something.
"""
from __future__ import annotations

from spacy.tokens import Token

from factcheck.extract.lexicon import lexicon

PAST, FUTURE, PRESENT, UNKNOWN = "past", "future", "present", "unknown"

VERB_POS = frozenset({"VERB", "AUX"})
# The words (future and modal auxiliaries, governors of intent, prepositions of time) are the
# `time` section of patterns.yaml: `lexicon().time`.


def tense_of_anchor(anchor: Token) -> tuple[str, Token | None]:
    """The tense deciding a date that hangs from `anchor` (a verb, or a noun it qualifies)."""
    if anchor.pos_ in ("NOUN", "PROPN") and anchor.dep_ == "pobj":
        prep = anchor.head
        if prep.lower_ in lexicon().time.forward_preps or (prep.lower_ in ("of", "to") and prep.head.lower_ in lexicon().time.forward_heads):
            return FUTURE, prep if prep.lower_ in lexicon().time.forward_preps else prep.head
        if prep.lower_ in lexicon().time.backward_preps:
            return PAST, prep
    tense, verb = tense_of(anchor)
    if verb is not None and tense != FUTURE and verb.lemma_.lower() in lexicon().time.prospective_verbs:
        return UNKNOWN, None
    return tense, verb


def tense_of(tok: Token) -> tuple[str, Token | None]:
    """The tense governing `tok` and the verb that decided it (None when unknown)."""
    cur: Token | None = tok
    seen = 0
    while cur is not None and seen < 12:
        seen += 1
        if cur.pos_ in VERB_POS or cur.tag_.startswith("VB"):
            t = _verb_tense(cur)
            if t != UNKNOWN:
                return t, cur
        if cur.head is cur:
            break
        cur = cur.head
    return UNKNOWN, None


def _verb_tense(verb: Token) -> str:
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    lowers = {a.lower_ for a in auxes}
    if lowers & lexicon().time.future_aux:
        return FUTURE
    if lowers & lexicon().time.modal_aux:
        # "could be held on January 19": a possibility still ahead
        return FUTURE if any(a.lemma_ == "be" for a in auxes) or verb.tag_ == "VB" else UNKNOWN
    if verb.dep_ in ("xcomp", "acomp") and verb.head.lemma_ in lexicon().time.future_governors:
        head_t = _verb_tense(verb.head)
        return FUTURE if head_t in (PRESENT, FUTURE, UNKNOWN) else PAST
    for a in auxes:
        if a.tag_ in ("VBD",) or a.lower_ in ("was", "were", "had", "did"):
            return PAST
        if a.lower_ in ("has", "have", "'ve"):
            return PAST  # present perfect: already happened
    if verb.tag_ == "VBD":
        return PAST
    if verb.tag_ == "VBG" and any(a.lower_ in ("is", "are", "am", "'s", "'re") for a in auxes):
        return FUTURE  # "Germany is hosting ... on Sunday": arranged future
    if verb.tag_ == "VBN" and any(a.lower_ in ("is", "are", "'s") for a in auxes):
        return PRESENT
    if verb.tag_ in ("VBZ", "VBP"):
        return PRESENT
    return UNKNOWN
