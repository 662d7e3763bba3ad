"""Comparing quotations: same statement? same meaning? Pure text, no spaCy.

* Content words: lower-case word stems, minus function words and polarity words.
* Same statement: at least MIN_SHARED content words shared, and at least MIN_OVERLAP of the
  shorter quotation's content words.
* Meaning: the parity of negations. Every negator ("not", "never", "no", "without", "n't")
  and every negative verb ("refrain", "hesitate", "fail", "refuse"...) flips it, so "we will
  never refrain from teaching" affirms what "we will never teach" denies.
* Numbers: a quotation giving other numbers says something else.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

MIN_SHARED = 3
MIN_OVERLAP = 0.5

NEGATORS = frozenset({"not", "never", "no", "nobody", "nothing", "none", "neither", "nor", "without",
                      "cannot", "nowhere"})
#: Verbs whose complement they deny: "refrain from teaching" = not teach. Matched by stem.
NEGATIVE_VERBS = frozenset({"refrain", "hesitat", "fail", "refus", "declin", "avoid", "ceas", "stop",
                            "abstain", "neglect", "forgo", "balk", "deny", "deni", "reject"})
FUNCTION_WORDS = frozenset("""
a an the and or but if then than so as of to in on at by for from with about against between into through
during before after above below up down out off over under again further once here there when where why
how all any both each few more most other some such only own same too very can will would shall should
may might must do does did done doing have has had having be is are was were been being am i me my we
us our ours you your he him his she her it its they them their what which who whom this that these
those let also just said says say tell told would could should yet still ever because while until
""".split())
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def words(text: str) -> list[str]:
    """Lower-case words; curly apostrophes straightened; "won't" -> "won", "n't"."""
    text = text.lower().replace("’", "'").replace("‘", "'")
    out: list[str] = []
    for w in _WORD.findall(text):
        if w.endswith("n't"):
            out += [w[:-3], "n't"]
        else:
            out.append(w.split("'")[0])
    return out


def stem(word: str) -> str:
    """A crude suffix stripper: teaching/teaches/teach -> teach, deserved/deserves -> deserv."""
    for suffix in ("ing", "ed", "es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def negations(text: str) -> list[str]:
    """The words that flip the meaning, in order."""
    return [w for w in words(text) if w in NEGATORS or w == "n't" or stem(w) in NEGATIVE_VERBS]


def affirms(text: str) -> bool:
    """True when an even number of negations leaves the statement affirmative."""
    return len(negations(text)) % 2 == 0


def content(text: str) -> frozenset[str]:
    """Stems of the words that carry the statement (no function or polarity words)."""
    return frozenset(_content_words(text))


def _content_words(text: str) -> dict[str, str]:
    """stem -> the first word with that stem, for the words that carry the statement."""
    out: dict[str, str] = {}
    for w in words(text):
        s = stem(w)
        if w in FUNCTION_WORDS or w in NEGATORS or w == "n't" or s in NEGATIVE_VERBS or len(w) < 3:
            continue
        out.setdefault(s, w)
    return out


def numbers(text: str) -> frozenset[str]:
    return frozenset(n.replace(",", "") for n in _NUMBER.findall(text))


@dataclass(frozen=True, slots=True)
class Difference:
    """How two renderings of one statement differ."""

    same_statement: bool
    opposite: bool = False  # negation parity differs
    other_numbers: bool = False
    dropped: tuple[str, ...] = ()  # content words of the first whose stem the second lacks
    added: tuple[str, ...] = ()

    @property
    def material(self) -> bool:
        return self.same_statement and (self.opposite or self.other_numbers)

    def describe(self, first: str, second: str) -> str:
        parts = []
        if self.opposite:
            a, b = negations(first), negations(second)
            parts.append(f"the meaning is reversed (negations: {' '.join(a) or 'none'} / {' '.join(b) or 'none'})")
        if self.other_numbers:
            parts.append(f"other numbers ({', '.join(sorted(numbers(first)))} / {', '.join(sorted(numbers(second)))})")
        if self.dropped:
            parts.append("words dropped: " + ", ".join(self.dropped))
        if self.added:
            parts.append("words added: " + ", ".join(self.added))
        return "; ".join(parts) or "the same"


def compare(first: str, second: str) -> Difference:
    """How `second` renders `first`."""
    a, b = _content_words(first), _content_words(second)
    shared = a.keys() & b.keys()
    same = len(shared) >= MIN_SHARED and len(shared) >= MIN_OVERLAP * min(len(a), len(b))
    if not same:
        return Difference(False)
    return Difference(True, affirms(first) != affirms(second), numbers(first) != numbers(second),
                      tuple(sorted(a[s] for s in a.keys() - b.keys())), tuple(sorted(b[s] for s in b.keys() - a.keys())))
