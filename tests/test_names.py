"""Name folding, skeletons and transliteration-tolerant matching (factcheck.kb.names)."""
from __future__ import annotations

import pytest

from factcheck.kb.names import fold, similar, skeleton, strip_possessive


@pytest.mark.parametrize(
    "raw, folded",
    [
        ("Erdoğan", "erdogan"),
        ("ERDOGAN", "erdogan"),
        ("Al-Sarraj", "sarraj"),
        ("al-Sarraj", "sarraj"),
        ("al Sarraj", "sarraj"),
        ("El-Sisi", "sisi"),
        ("As-Sisi", "sisi"),
        ("Fayez al‐Serraj", "fayez serraj"),  # a Unicode hyphen
        ("Abd al-Rahman", "abd rahman"),
        ("Haftar's", "haftar"),
        ("Haftar’s", "haftar"),
        ("U.S.", "us"),
        ("the Kremlin", "kremlin"),
        ("N'Djamena", "ndjamena"),
        ("Guinea-Bissau", "guinea bissau"),
        ("  Khalifa   Haftar ", "khalifa haftar"),
        ("Türkiye", "turkiye"),
        ("Łódź", "lodz"),
        ("İstanbul", "istanbul"),
    ],
)
def test_fold(raw: str, folded: str) -> None:
    assert fold(raw) == folded


def test_fold_keeps_english_words_that_look_like_articles() -> None:
    assert fold("at-risk") == "at risk"  # assimilated articles only before a capital
    assert fold("as-is") == "as is"
    assert fold("al") == "al"  # a lone word stays
    assert fold("The") == "the"


def test_fold_is_idempotent() -> None:
    for raw in ["Al-Sarraj's", "Erdoğan", "U.S.", "the Libyan National Army", "El Sisi"]:
        assert fold(fold(raw)) == fold(raw)


def test_strip_possessive() -> None:
    assert strip_possessive("Haftar's forces") == "Haftar forces"
    assert strip_possessive("the rebels' camp") == "the rebels camp"
    assert strip_possessive("Haftar") == "Haftar"


@pytest.mark.parametrize(
    "names",
    [
        ("Sarraj", "Saraj", "Serraj", "al-Sarraj", "Al-Serraj"),
        ("Gadhafi", "Gaddafi", "Qadhafi", "Kadhafi"),
        ("Haftar", "Hifter", "Hafter"),
    ],
)
def test_transliterations_share_a_skeleton(names: tuple[str, ...]) -> None:
    assert len({skeleton(n) for n in names}) == 1


@pytest.mark.parametrize(
    "a, b",
    [
        ("Serraj", "Sarraj"),
        ("Saraj", "Serraj"),
        ("al-Sarraj", "Serraj"),
        ("Gadhafi", "Gaddafi"),
        ("Qadhafi", "Gaddafi"),
        ("Haftar", "Hifter"),
        ("Haftar", "Hafter"),
        ("Putin", "Puttin"),
        ("Mohammed", "Muhammad"),
        ("Ahmad", "Ahmed"),
        ("Mustafa", "Mustapha"),
        ("Osama", "Usama"),
        ("Khalid", "Khaled"),
        ("Erdogan", "Erdoğan"),
        ("Fayez Saraj", "Fayez al-Serraj"),
        ("Hamza", "Hamzah"),
        ("Qatar", "Katar"),
        ("Mahmoud", "Mahmud"),
        ("Aguila Saleh", "Agila Salah"),
        ("Bashagha", "Bashaga"),
    ],
)
def test_similar_transliterations(a: str, b: str) -> None:
    assert similar(a, b)
    assert similar(b, a)


@pytest.mark.parametrize(
    "a, b",
    [
        ("Russia", "Prussia"),
        ("Iran", "Iraq"),
        ("Egypt", "Egyptian"),
        ("Turkey", "Turkish"),
        ("Russia", "Russian"),
        ("Hassan", "Hussein"),
        ("Mali", "Male"),
        ("Austria", "Australia"),
        ("Niger", "Nigeria"),
        ("Johnson", "Johnston"),
        ("Slovakia", "Slovenia"),
        ("Serraj", "Haftar"),
        ("Moscow", "Mosul"),
        ("Libya", "Lebanon"),
        ("Oman", "Amman"),
        ("Gambia", "Zambia"),
        ("Tripoli", "Tripolis"),
        ("Fayez Serraj", "Serraj"),  # word counts differ: the KB decides about last words
        ("UAE", "USA"),
        ("", ""),
    ],
)
def test_not_similar(a: str, b: str) -> None:
    assert not similar(a, b)


def test_short_names_need_exact_folds() -> None:
    assert similar("IRAN", "Iran")
    assert not similar("Mali", "Male")  # a two-letter skeleton ("ml") needs a ratio of 85
    assert not similar("Iraq", "Iraqi")
    assert not similar("Chad", "Chd")  # under four letters: no fuzzy matching at all
