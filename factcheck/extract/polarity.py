"""Polarity and hedging of a verb, read off its governors.

Negative: "did not sign", "never signed", "left without signing", "refused to sign",
"failed to sign", "denies backing", "did not convince X to sign" (X did not sign).
Two negations cancel ("did not refuse to sign").
Hedged: "is suspected of backing", "accused of arming", "reportedly", "according to".
Unrealized (states nothing): possibility, condition and intention: "may sign", "once the
document is signed by X", "is expected to sign", "plans to back" (SPEC §3).
"""
from __future__ import annotations

from spacy.tokens import Token

from factcheck.extract.lexicon import Lexicon

CLAUSE_LINKS = frozenset({"xcomp", "pcomp", "pobj", "ccomp", "prep", "acomp", "advcl", "conj"})


def _negated_here(tok: Token, lex: Lexicon) -> bool:
    return any(c.dep_ == "neg" or (c.dep_ in ("advmod", "det", "preconj") and c.lower_ in lex.negators) for c in tok.children)


def polarity(verb: Token, lex: Lexicon) -> bool:
    """True for an affirmed event, False for a negated one."""
    negations = 1 if _negated_here(verb, lex) else 0
    cur = verb
    hops = 0
    while cur.head is not cur and hops < 6:
        hops += 1
        link, head = cur.dep_, cur.head
        if link == "conj":  # "did not meet and sign": keep the shared negation out; conj stands alone
            break
        if link not in CLAUSE_LINKS:
            break
        if head.dep_ == "prep" or head.pos_ == "ADP":
            if head.lower_ in lex.negative_preps:  # "without signing"
                negations += 1
            cur = head
            continue
        lemma = head.lemma_.lower()
        if lemma in lex.negative_governors:  # "refused to sign", "denies backing"
            negations += 1
            if _negated_here(head, lex):
                negations += 1
        elif lemma in lex.persuasion_verbs and link in ("xcomp", "advcl", "ccomp"):  # "did not convince X to sign"
            if _negated_here(head, lex) or _governed_negatively(head, lex):
                negations += 1
            break
        elif link in ("ccomp", "advcl"):
            break
        cur = head
    return negations % 2 == 0


def _governed_negatively(tok: Token, lex: Lexicon) -> bool:
    """"failed to convince": the persuasion verb is itself under a negative governor."""
    head = tok.head
    return tok.dep_ in ("xcomp", "ccomp") and head.lemma_.lower() in lex.negative_governors and not _negated_here(head, lex)


def hedged(verb: Token, lex: Lexicon) -> bool:
    """Attributed or hedged: a hedging governor, adverb or phrase on the way to the root."""
    sent = verb.sent
    low = sent.text.lower()
    cur = verb
    for _ in range(6):
        if any(c.lower_ in lex.hedge_adverbs for c in cur.children):
            return True
        if cur.lemma_.lower() in lex.hedge_governors and cur is not verb:
            return True
        if cur.head is cur:
            break
        cur = cur.head
    for phrase in lex.hedge_phrases:
        if phrase in low:
            # "according to X" hedges the clause it modifies; approximated by the sentence
            return True
    return False


def unrealized(verb: Token, lex: Lexicon) -> bool:
    """Does the verb report a possibility, a condition or an intention rather than an act?
    "X may sign", "suggestions that X could sign", "once the text is signed by X", "if X
    signs", "X is expected to sign", "X plans to back Y", "X hopes to attend". A scheduled
    future ("X will sign on Tuesday") is not unrealized: the SPEC counts it."""
    cur = verb
    for _ in range(5):
        for c in cur.children:
            if c.dep_ in ("aux", "auxpass") and c.lower_ in lex.possibility_aux:
                return True
            if c.dep_ == "mark" and c.lower_ in lex.condition_marks:
                return True
        head = cur.head
        if head is cur or cur.dep_ not in ("xcomp", "ccomp", "conj", "pcomp", "prep", "pobj", "acomp", "acl"):
            return False
        if cur.dep_ in ("xcomp", "pcomp", "pobj", "prep", "acomp", "acl") and head.lemma_.lower() in lex.intention_governors:
            return True  # "plans to sign", "suggestions that X would sign"
        if cur.dep_ == "acl":
            return False
        cur = head
    return False
