"""The vocabulary files (event families, the KB's word lists, the extractors' patterns) are
read by one loader that validates them and says where a mistake is: file:line:col."""
from __future__ import annotations

import pytest

from factcheck.kb import kinds
from factcheck.kb.vocabulary import word_lists
from factcheck.kb.vocabulary import VocabularyError, load, word_list, word_set


def _words(data):
    return word_set(data, "nouns")


def test_a_word_list_is_read_lower_cased():
    assert load("nouns: [Summit, talks]\n", "w.yaml", _words) == {"summit", "talks"}


def test_a_word_yaml_reads_as_a_boolean_is_caught_at_its_line():
    text = "# comment\nnouns: [in, at, on]\n"
    with pytest.raises(VocabularyError) as err:
        load(text, "w.yaml", _words)
    assert str(err.value) == "w.yaml:2:1: nouns: must be a list of words"


def test_a_mistake_deep_in_the_file_is_located_at_its_key():
    text = "time:\n  future_aux: [will]\n  modal_aux: may\n"

    def build(data):
        return word_list(data["time"], "future_aux", "time"), word_list(data["time"], "modal_aux", "time")

    with pytest.raises(VocabularyError) as err:
        load(text, "patterns.yaml", build)
    assert str(err.value).startswith("patterns.yaml:3:3: time.modal_aux: must be a list of words")


def test_broken_yaml_is_one_located_line():
    with pytest.raises(VocabularyError) as err:
        load("nouns: [a, b\n", "w.yaml", _words)
    assert str(err.value).startswith("w.yaml:2:")


def test_event_families_are_named_in_the_file_not_by_their_first_word():
    families = kinds.families()
    assert "agreement" in families and "ceasefire" in families["agreement"]
    assert "truce" in kinds.synonyms("ceasefire")
    assert all(len(words) >= 2 for words in families.values())


def test_a_family_that_is_not_a_list_is_refused_with_its_place():
    with pytest.raises(VocabularyError) as err:
        load("families:\n  summit: [summit, talks]\n  deal: agreement\n", "kinds.yaml", kinds._families)
    assert str(err.value).startswith("kinds.yaml:3:3: families.deal: must be a list of words")


def test_the_knowledge_base_word_lists_load():
    words = word_lists()
    assert {"forces", "mercenaries"} <= words.group_nouns
    assert "on" in words.cut_words and "the" in words.determiners


def test_a_pattern_naming_an_unknown_family_is_located(tmp_path, monkeypatch):
    from factcheck.extract import lexicon as lexicon_mod

    text = lexicon_mod.PATTERNS_FILE.read_text(encoding="utf-8")
    assert "    family: agreement\n" in text
    line = text[:text.index("    family: agreement\n")].count("\n") + 1
    broken = tmp_path / "patterns.yaml"
    broken.write_text(text.replace("    family: agreement\n", "    family: agreements\n", 1), encoding="utf-8")
    monkeypatch.setattr(lexicon_mod, "PATTERNS_FILE", broken)
    lexicon_mod.lexicon.cache_clear()
    try:
        with pytest.raises(VocabularyError) as err:
            lexicon_mod.lexicon()
    finally:
        lexicon_mod.lexicon.cache_clear()
    assert str(err.value).startswith(f"patterns.yaml:{line}:5: relations.")
    assert "`agreements` is not an event family of kinds.yaml" in str(err.value)

