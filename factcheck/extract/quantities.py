"""Numbers and quantities: "nine-month", "nine months of", "about seven hours", "300 troops".

`parse_number` reads digits and English number words; `find_quantities` finds an amount
with its unit noun in a sentence and says which token the quantity qualifies.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span, Token

from factcheck.extract.lexicon import lexicon
from factcheck.model import Quantity

UNITS_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "a": 1, "an": 1, "single": 1,
}
TENS_WORDS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
SCALE_WORDS = {"dozen": 12, "hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
TIME_UNIT_ALIASES = {"hr": "hour", "hrs": "hour", "yr": "year", "yrs": "year"}
UNIT_SCALE = {"decade": (10, "year"), "fortnight": (2, "week")}  # units read as multiples of another


def parse_number(text: str) -> float | None:
    """"nine" -> 9, "twenty-five" -> 25, "1,500" -> 1500, "2.5" -> 2.5, "a dozen" -> 12."""
    low = text.lower().strip().replace(",", "")
    if re.fullmatch(r"-?\d+(?:\.\d+)?", low):
        return float(low)
    total, current, seen = 0.0, 0.0, False
    for word in re.split(r"[\s-]+", low):
        if word in ("and", ""):
            continue
        if word in UNITS_WORDS:
            current += UNITS_WORDS[word]
        elif word in TENS_WORDS:
            current += TENS_WORDS[word]
        elif word in SCALE_WORDS:
            current = (current or 1) * SCALE_WORDS[word]
            if SCALE_WORDS[word] >= 1000:
                total, current = total + current, 0.0
        elif re.fullmatch(r"\d+(?:\.\d+)?", word):
            current += float(word)
        else:
            return None
        seen = True
    return total + current if seen else None


def unit_of(noun: Token) -> str:
    lemma = noun.lemma_.lower()
    unit = TIME_UNIT_ALIASES.get(lemma, lemma)
    return unit


@dataclass(frozen=True, slots=True)
class QuantityMention:
    value: Quantity
    unit_token: Token  # "month" in "nine-month", "months" in "nine months"
    start: int
    end: int


def find_quantities(sent: Span) -> list[QuantityMention]:
    """Amount + unit pairs: a number (nummod) hanging from its unit noun, also hyphenated."""
    out: list[QuantityMention] = []
    for tok in sent:
        if tok.dep_ != "nummod" and not (tok.like_num and tok.head.pos_ == "NOUN" and tok.head.i > tok.i):
            continue
        unit = tok.head
        if unit.pos_ not in ("NOUN", "PROPN") or unit is tok:
            continue
        words = [t for t in sent.doc[tok.left_edge.i: tok.i + 1] if t.like_num or t.lower_ in UNITS_WORDS or t.lower_ in TENS_WORDS or t.lower_ in SCALE_WORDS or t.text == "-"]
        amount = parse_number(" ".join(t.text for t in words if t.text != "-")) if words else None
        if amount is None:
            amount = parse_number(tok.text)
        if amount is None:
            continue
        start = min(tok.left_edge.i, tok.i)
        bound = _bound(sent.doc[max(sent.start, start - 4):start])
        approx = not bound and any(c.lower_ in lexicon().approx_words for c in list(tok.children) + [sent.doc[max(tok.left_edge.i - 1, sent.start)]] if c.i < tok.i)
        unit_name = unit_of(unit)
        factor, unit_name = UNIT_SCALE.get(unit_name, (1, unit_name))
        out.append(QuantityMention(Quantity(amount * factor, unit_name, approx, bound), unit, start, unit.i + 1))
    for tok in sent:  # "a week-long summit": the unit alone, hyphenated onto "long", is one of it
        if (tok.lower_ == "long" and tok.i >= 2 and sent.doc[tok.i - 1].text == "-" and sent.doc[tok.i - 2].pos_ == "NOUN"
                and not any(q.unit_token.i == tok.i - 2 for q in out)):
            unit = sent.doc[tok.i - 2]
            factor, unit_name = UNIT_SCALE.get(unit_of(unit), (1, unit_of(unit)))
            out.append(QuantityMention(Quantity(1.0 * factor, unit_name), unit, unit.i, tok.i + 1))
    return out




def _bound(before: Span) -> str:
    """"a minimum of three years" is at least three; "within nine months" at most nine."""
    text = " " + " ".join(t.lower_ for t in before) + " "
    if any(f" {w} " in text and text.rstrip().endswith(w) for w in lexicon().min_phrases):
        return "min"
    if any(f" {w} " in text and text.rstrip().endswith(w) for w in lexicon().max_phrases):
        return "max"
    return ""
