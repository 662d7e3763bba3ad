"""Name normalisation and transliteration-tolerant matching (no spaCy, no I/O).

Three levels, each looser than the last:

* `fold(s)`: the same name written differently: case, diacritics (Erdoğan = Erdogan),
  quote and hyphen variants, punctuation (U.S. = US), a possessive 's, a leading "the",
  and Arabic article prefixes (al-Sarraj = Sarraj, el-Sisi = Sisi).
* `skeleton(s)`: a key that transliterations of one name tend to share: doubled letters
  collapse, q/g/k/gh/kh meet, dh -> d, ph -> f, ou -> u, and inner vowels vanish
  (Serraj, Sarraj, Saraj -> "srj"; Haftar, Hifter -> "hftr"; Gaddafi, Qadhafi -> "kdfa").
* `similar(a, b)`: equal folds, or equal skeletons *and* a close enough spelling
  (rapidfuzz ratio on the folded forms), see the thresholds below.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


__all__ = ["fold", "skeleton", "similar", "strip_possessive", "MIN_FUZZY_LETTERS",
           "SKELETON_RATIO", "SHORT_SKELETON_RATIO"]

# --------------------------------------------------------------------------- thresholds

#: Fuzzy matching is only tried when both names have at least this many letters: shorter
#: names (Iran/Iraq, Mali/Male, Chad) differ meaningfully in one letter.
MIN_FUZZY_LETTERS = 4
#: With equal skeletons, the folded spellings must still be this close (rapidfuzz ratio,
#: 0-100). Transliterations score 66-92 (Hifter/Haftar 66.7, Qadhafi/Gaddafi 71.4,
#: Saraj/Serraj 72.7, Sarraj/Serraj 83.3, Putin/Puttin 90.9); different names that happen
#: to share consonants score lower (Hassan/Hussein 61.5).
SKELETON_RATIO = 65.0
#: Skeletons of one or two consonants say little (Mali/Male -> "ml"): then the spelling
#: must be nearly the same.
SHORT_SKELETON_RATIO = 85.0

# --------------------------------------------------------------------------- folding

_APOSTROPHES = dict.fromkeys(map(ord, "\u2019\u2018\u201b`\u00b4\u02bc\u2032\uff07"), "'")
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"), "-")
# Letters NFKD does not decompose, and marks that only carry Arabic transliteration.
_SPECIAL = {
    "ı": "i", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ß": "ss", "æ": "ae", "Æ": "Ae",
    "œ": "oe", "Œ": "Oe", "đ": "d", "Đ": "D", "ð": "d", "þ": "th", "ʿ": "", "ʾ": "", "ʻ": "",
}
_SPECIAL_TABLE = {ord(k): v for k, v in _SPECIAL.items()}

# Arabic article forms. `al`/`el` go wherever they prefix a word ("al-Sarraj", "al Sarraj");
# the assimilated forms (ad-, as-, ash-, at-...) only before a capitalised word, so that
# "at-risk" or "as-is" stay as they are.
_ARTICLE_ALWAYS = re.compile(r"^(?:al|el)-(?=\w{2})", re.IGNORECASE)
_ARTICLE_ASSIMILATED = re.compile(r"^(?i:ad|adh|an|ar|as|ash|at|ath|az|ud|ul|ur|us|un)-(?=[A-Z]\w)")
_STANDALONE_ARTICLES = {"al", "el"}
_PLAIN = re.compile(r"[A-Za-z]+(?: [A-Za-z]+)*")
_POSSESSIVE = re.compile(r"(?<=\w)'s\b|(?<=s)'(?=\s|$)")


def strip_possessive(s: str) -> str:
    """Drop a possessive ("Haftar's" -> "Haftar", "allies'" -> "allies"); curly quotes too."""
    return _POSSESSIVE.sub("", s.translate(_APOSTROPHES))


def _asciiletters(s: str) -> str:
    s = unicodedata.normalize("NFKD", s.translate(_SPECIAL_TABLE))
    return "".join(ch for ch in s if not unicodedata.combining(ch))


def _drop_articles(words: list[str]) -> list[str]:
    out: list[str] = []
    for i, word in enumerate(words):
        if word.lower() in _STANDALONE_ARTICLES and i + 1 < len(words):
            continue  # "al Sarraj", "El Sisi"
        word = _ARTICLE_ALWAYS.sub("", word)
        word = _ARTICLE_ASSIMILATED.sub("", word)
        out.append(word)
    return out


@lru_cache(maxsize=65536)
def fold(s: str) -> str:
    """The comparison form of a name: `fold("Al-Sarraj's") == "sarraj"`.

    Lower case, no diacritics, apostrophes and hyphens unified, a possessive 's dropped,
    Arabic article prefixes dropped (see `_drop_articles`), punctuation removed (hyphens
    become spaces, dots and apostrophes vanish: U.S. -> us, N'Djamena -> ndjamena), a
    leading "the" dropped when more words follow, spaces collapsed. Idempotent.
    """
    if _PLAIN.fullmatch(s):  # fast path: plain ASCII words ("Abu Dhabi")
        words = s.lower().split(" ")
        if not _STANDALONE_ARTICLES.intersection(words[:-1]):
            return " ".join(words[1:] if len(words) > 1 and words[0] == "the" else words)
    s = _asciiletters(strip_possessive(s.translate(_DASHES)))
    s = s.replace("&", " and ")
    words = _drop_articles(s.split())
    s = " ".join(words).replace("-", " ")
    s = re.sub(r"[^\w\s]", "", s).replace("_", " ").lower()
    words = s.split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


# --------------------------------------------------------------------------- skeletons

# Applied in order to each folded word.
_SKELETON_STEPS: tuple[tuple[str, str], ...] = (
    ("sch", "sh"), ("tch", "ch"), ("dj", "j"), ("zh", "j"), ("ph", "f"), ("gh", "g"),
    ("kh", "k"), ("dh", "d"), ("ck", "k"), ("q", "k"), ("g", "k"), ("c", "k"),
    ("ou", "u"), ("oo", "u"), ("ee", "i"), ("w", "v"),
)
_VOWELS = set("aeiouy")
_INITIAL_VOWEL = {"e": "i", "y": "i", "o": "u"}  # Ibrahim/Ebrahim, Osama/Usama


def _word_skeleton(word: str) -> str:
    if not word.isalpha():
        return word
    if len(word) > 2 and word.endswith("h") and word[-2] in _VOWELS:
        word = word[:-1]  # Hamzah -> Hamza
    for old, new in _SKELETON_STEPS:
        word = word.replace(old, new)
    collapsed = re.sub(r"(.)\1+", r"\1", word)
    first, rest = collapsed[0], collapsed[1:]
    first = _INITIAL_VOWEL.get(first, first)
    ends_in_vowel = bool(rest) and rest[-1] in _VOWELS
    consonants = "".join(ch for ch in rest if ch not in _VOWELS)
    return first + consonants + ("a" if ends_in_vowel else "")


@lru_cache(maxsize=65536)
def skeleton(s: str) -> str:
    """A transliteration-tolerant key: `skeleton("al-Sarraj") == skeleton("Serraj") == "srj"`.

    Per word of `fold(s)`: word-final h after a vowel dropped, digraph variants mapped
    (ph->f, gh->g, kh->k, dh->d, q/g/c->k, ou->u...), doubled letters collapsed, the first
    letter kept (e/o as i/u), inner vowels dropped, a final vowel kept as "a" so that
    Niger ("ngr") and Nigeria ("ngra") stay apart.
    """
    return " ".join(_word_skeleton(w) for w in fold(s).split())


def letters(s: str) -> int:
    """How many letters `s` has (a name too short to compare fuzzily has few)."""
    return sum(ch.isalpha() for ch in s)


@lru_cache(maxsize=65536)
def similar(a: str, b: str) -> bool:
    """Are `a` and `b` the same name, allowing transliteration variants?

    True when the folds are equal. Otherwise both need `MIN_FUZZY_LETTERS` letters, the
    same number of words, equal skeletons, and a rapidfuzz ratio of the folded forms of at
    least `SKELETON_RATIO` (`SHORT_SKELETON_RATIO` when no word's skeleton has three
    consonants). So Serraj ~ Sarraj ~ Saraj, Haftar ~ Hifter, Gaddafi ~ Qadhafi, Putin ~ Puttin,
    but not Russia/Prussia, Iran/Iraq, Turkey/Turkish or Hassan/Hussein. Demonyms
    (Egypt/Egyptian) are the gazetteer's business, not this function's.
    """
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return False
    if fa == fb:
        return True
    if min(letters(fa), letters(fb)) < MIN_FUZZY_LETTERS:
        return False
    if len(fa.split()) != len(fb.split()):
        return False
    sa, sb = skeleton(fa), skeleton(fb)
    if sa != sb:
        return False
    consonants = max(letters(w) - (len(w) > 1 and w.endswith("a")) for w in sa.split())
    needed = SKELETON_RATIO if consonants >= 3 else SHORT_SKELETON_RATIO
    from rapidfuzz import fuzz  # here, not at import: `lint` never compares names

    return fuzz.ratio(fa, fb) >= needed


def clean(name: str) -> str:
    """A name as written, minus surrounding quotes, end punctuation, a leading "the" and a
    trailing possessive."""
    s = " ".join(str(name).split()).strip("\"'“”‘’«»()[]{} .,;:!?")
    s = re.sub(r"^(?:the|The|THE)\s+(?=\S)", "", s)
    return re.sub(r"(?:'s|’s|s'|s’)$", lambda m: "s" if m.group(0).startswith("s") else "", s)
