"""plugins/factcheck-quotes: a real third-party plugin, installed in the dev environment.

Comparison is tested on text (no spaCy); discovery through the real entry point; and one
run over the seeds checks that `consistent quote(Erdogan)` names the source whose rendering
of his words reverses their meaning, with both quotations as evidence."""
from __future__ import annotations

import shutil

from pathlib import Path

import pytest

from factcheck import dsl, engine
from factcheck.plugin import host as plugins
from factcheck.run import runner
from factcheck.config import Config
from factcheck.kb.store import KnowledgeBase
from factcheck.model import Fact, Subject
from factcheck_quotes.comparator import QuoteComparator
from factcheck_quotes.compare import affirms, compare, content

REPO = Path(__file__).resolve().parent.parent
QUOTES = Config(plugins_enable=("quotes",))

NEVER_TEACH = "If the attacks continue, we will never teach him the lesson he deserves."
NEVER_REFRAIN = "If the attacks continue, we will never refrain from teaching him the lesson he deserves."
NEVER_HESITATE = "We will never hesitate to teach him the lesson he deserves if the attacks continue."
WONT_FAIL = "We won't fail to teach him the lesson he deserves if his attacks continue."
OTHER = "It is our duty to protect our kin in Libya."


@pytest.fixture(autouse=True)
def fresh_managers():
    plugins.clear_cache()
    yield
    plugins.clear_cache()


# --------------------------------------------------------------------------- text


@pytest.mark.parametrize("text, affirmative", [
    (NEVER_TEACH, False), (NEVER_REFRAIN, True), (NEVER_HESITATE, True), (WONT_FAIL, True),
    ("We will teach him a lesson.", True), ("They did not refuse to sign it.", True),
    ("Nobody signed without reading it.", True), ("He declined to comment.", False),
])
def test_negation_parity(text, affirmative):
    assert affirms(text) is affirmative


def test_same_statement_by_content_words_not_by_spelling():
    assert compare(NEVER_TEACH, NEVER_REFRAIN).same_statement
    assert compare(NEVER_TEACH, NEVER_HESITATE).same_statement
    assert not compare(NEVER_TEACH, OTHER).same_statement
    assert "never" not in content(NEVER_TEACH) and "refrain" not in content(NEVER_REFRAIN)


def test_material_differences_are_meaning_and_numbers_not_wording():
    flipped = compare(NEVER_REFRAIN, NEVER_TEACH)
    assert flipped.material and flipped.opposite
    assert "the meaning is reversed" in flipped.describe(NEVER_REFRAIN, NEVER_TEACH)
    assert not compare(NEVER_REFRAIN, NEVER_HESITATE).material
    numbers = compare("We will send 300 troops to protect our kin.", "We will send 3,000 troops to protect our kin.")
    assert numbers.material and numbers.other_numbers
    reworded = compare("We will send troops to protect our kin in Libya.", "We will send troops to protect our brothers.")
    assert not reworded.material and reworded.dropped == ("kin", "libya") and reworded.added == ("brothers",)


# --------------------------------------------------------------------------- through the engine


def quote(text: str, at: int = 0) -> Fact:
    return Fact("quote", Subject("entity", "Erdogan"), text, f"“{text}” Erdogan said.", at, at + len(text) + 16)


def test_match_operator_compares_meaning():
    from factcheck_quotes.plugin import QUOTE

    predicates, comparators = {"quote": QUOTE}, {"quote": QuoteComparator()}
    kb = KnowledgeBase()

    rules = dsl.check(dsl.parse_text(f'quote(Erdogan) ~= "{NEVER_REFRAIN}"\n'), predicates)
    (assertion,) = rules.assertions

    def verdict(facts):
        return engine.evaluate(assertion, facts, "s", kb, predicates, comparators).verdict

    assert verdict([quote(NEVER_HESITATE)]) == "pass"
    assert verdict([quote(NEVER_TEACH)]) == "fail"
    assert verdict([quote(OTHER)]) == "unknown"
    assert verdict([]) == "unknown"


def test_consistent_fails_the_dissenter_with_both_quotations():
    by_source = {"a": [quote(NEVER_TEACH), quote(OTHER, 200)], "b": [quote(NEVER_REFRAIN)],
                 "c": [quote(NEVER_HESITATE)], "d": [quote("Libya needs peace and elections soon.")]}
    got = QuoteComparator().consistent(by_source)
    assert {n: v.verdict for n, v in got.items()} == {"a": "fail", "b": "pass", "c": "pass", "d": "unknown"}
    assert got["a"].dissenters == ("a",)
    texts = [(e.source, e.value) for e in got["a"].evidence]
    assert texts == [("a", NEVER_TEACH), ("b", NEVER_REFRAIN)]
    assert "the meaning is reversed" in got["a"].message


def test_consistent_with_no_majority_decides_nothing():
    got = QuoteComparator().consistent({"a": [quote(NEVER_TEACH)], "b": [quote(NEVER_REFRAIN)]})
    assert {v.verdict for v in got.values()} == {"unknown"}


# --------------------------------------------------------------------------- as an installed plugin


def test_installed_through_its_entry_point():
    pm = plugins.get_plugin_manager(QUOTES)
    info = {i.name: i for i in pm.infos}["quotes"]
    assert info.status == "loaded" and info.origin == "factcheck_quotes.plugin" and info.version == "0.1.0"
    assert set(info.hooks) == {"factcheck_predicates", "factcheck_extract", "factcheck_comparators"}
    assert plugins.predicates(pm)["quote"].origin == "factcheck-quotes"
    assert "quote" in plugins.comparators(pm)
    assert "quote" not in plugins.predicates(plugins.get_plugin_manager(Config(plugins_disable=("quotes",))))


@pytest.mark.nlp
def test_consistent_quote_on_the_seeds_names_the_contradicting_source(tmp_path):
    rules = tmp_path / "quotes.fc"
    shutil.copy(REPO / "rules" / "libya.entities.yaml", rules.parent / "libya.entities.yaml")
    rules.write_text('use "libya.entities.yaml"\nconsistent quote(Erdogan)\n', encoding="utf-8")
    run = runner.check([str(rules)], [str(REPO / "seeds" / "*.txt")], config=QUOTES, no_cache=True, jobs=1)
    by_source = {r.source[:3]: r for r in run.results}
    assert by_source["000"].verdict == "fail"
    assert {by_source[n].verdict for n in ("001", "003", "004")} == {"pass"}
    assert by_source["000"].dissenters == ("000_4685feae2b63dc6e.txt",)
    quoted = [e.value for e in by_source["000"].evidence]
    assert any("we will never teach him the lesson he deserves" in q for q in quoted)
    assert any("never refrain" in q.lower() or "never hesitate" in q.lower() for q in quoted)
