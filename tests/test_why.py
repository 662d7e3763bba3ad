"""Why each verdict came out as it did: the engine's reasons (`engine.why`, through the
evaluation) and the look at the article of `factcheck explain` (`run.explain`), on hand-made
facts and texts (no spaCy): each kind of reason, with the edit it suggests."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from factcheck.model import DateValue, Entity, Fact, Result, Source, Subject
from factcheck.run.evaluation import evaluate
from factcheck.run.explain import text_reasons
from factcheck.run.rules import load_rules

KB = """\
entities:
  LNA:
    aliases: [Libyan National Army]
  Haftar:
    part_of: [LNA]
  Rapid Support Forces: {}
events:
  Abraham Accords signing:
    kind: signing
  Moscow talks:
    kind: talks
    place: Moscow
  ceasefire:
    kind: agreement
    aliases: [truce]
"""


@pytest.fixture
def rules_of(tmp_path: Path):
    (tmp_path / "kb.yaml").write_text(KB, encoding="utf-8")

    def load(text: str):
        path = tmp_path / "r.fc"
        path.write_text('use "kb.yaml"\n' + text, encoding="utf-8")
        return load_rules([str(path)])
    return load


def _event(text: str, head: str, name: str = "", how: str = "", places: tuple[str, ...] = ()) -> Subject:
    return Subject("event", name, head, places, text, how=how)


def _fact(predicate: str, subject: Subject, value, sentence: str, start: int = 0, polarity: bool = True) -> Fact:
    return Fact(predicate, subject, value, sentence, start, start + len(sentence), polarity)


def _why(rules, facts, source: str = "a.txt") -> list[tuple[str, tuple[str, ...]]]:
    src = Source(source, source, "text")
    return [(r.verdict, r.why) for r in evaluate(rules, [src], {source: facts})]


DAY = DateValue.day(dt.date(2020, 9, 15))


def test_an_event_noun_that_links_to_no_kb_event_suggests_the_alias(rules_of):
    rules = rules_of("date(Abraham Accords signing) == 2020-09-15\n")
    ceremony = _fact("date", _event("the White House ceremony", "ceremony"), DAY,
                     "The White House ceremony took place on Tuesday.")
    [(verdict, why)] = _why(rules, [ceremony])
    assert verdict == "unknown"
    assert any("resolved to no KB event" in w and "`ceremony` is not a kind of `Abraham Accords signing`" in w
               and "add `White House ceremony` to the aliases of `Abraham Accords signing`" in w for w in why), why


def test_a_mention_resolved_to_another_kb_event_is_named(rules_of):
    rules = rules_of("date(ceasefire) == 2020-01-13\n")
    talks = _fact("date", _event("the talks in Moscow", "talks", "Moscow talks", "kind + place", ("Moscow",)),
                  DateValue.day(dt.date(2020, 1, 13)), "The talks in Moscow were held on Monday.")
    [(verdict, why)] = _why(rules, [talks])
    assert verdict == "unknown"
    assert any("resolved by kind + place to the KB event `Moscow talks`, not `ceasefire`" in w
               and "add `talks in Moscow` to the aliases of `ceasefire`" in w for w in why), why


def test_an_acronym_the_kb_does_not_know_suggests_the_alias(rules_of):
    rules = rules_of("leader(RSF) == Hemedti\n")
    fact = _fact("leader", Subject("entity", "Rapid Support Forces"), Entity("Hemedti"),
                 "The Rapid Support Forces are led by Hemedti.")
    [(verdict, why)] = _why(rules, [fact])
    assert verdict == "unknown"
    assert any("`RSF` is a name neither the knowledge base nor the gazetteer knows" in w for w in why), why
    assert any("add `RSF` to the aliases of `Rapid Support Forces`" in w for w in why), why


def test_a_value_less_precise_than_the_assertion(rules_of):
    rules = rules_of("date(Moscow talks) == 2020-01-13\n")
    month = _fact("date", _event("the Moscow talks", "talks", "Moscow talks", "KB alias"),
                  DateValue.month(2020, 1), "The Moscow talks were held in January.")
    [(verdict, why)] = _why(rules, [month])
    assert verdict == "unknown"
    assert any("states 2020-01, less precise than the assertion" in w for w in why), why


def test_nothing_of_the_predicate_at_all(rules_of):
    rules = rules_of("backers(LNA) includes Russia\n")
    [(verdict, why)] = _why(rules, [])
    assert verdict == "unknown"
    assert any("states no `backers` of anything" in w for w in why), why


def test_other_values_are_listed_when_the_asserted_one_is_not_stated(rules_of):
    rules = rules_of("backers(LNA) includes Russia\n")
    egypt = _fact("backers", Subject("entity", "Haftar"), Entity("Egypt"), "Haftar is backed by Egypt.")
    [(verdict, why)] = _why(rules, [egypt])
    assert verdict == "unknown"
    assert "It names for `backers(LNA)`: Egypt." in why


def test_pass_names_the_deciding_fact_and_sets_aside_a_guess(rules_of):
    rules = rules_of("date(Moscow talks) == 2020-01-13\n")
    named = _fact("date", _event("the Moscow talks", "talks", "Moscow talks", "KB alias"),
                  DateValue.day(dt.date(2020, 1, 13)), "The Moscow talks were held on Monday.")
    guessed = _fact("date", _event("the talks", "talks", "Moscow talks", "the article's salient event"),
                    DateValue.day(dt.date(2020, 1, 14)), "The talks went on into Tuesday.", start=100)
    [(verdict, why)] = _why(rules, [named, guessed])
    assert verdict == "pass"
    assert why[0] == "Found 2020-01-13."
    assert any(w.startswith("Set aside: 2020-01-14") and "only a guess" in w for w in why), why


def test_fail_names_the_contradicting_fact(rules_of):
    rules = rules_of("signed(ceasefire) excludes Haftar\n")
    fact = _fact("signed", _event("the truce", "truce", "ceasefire", "KB alias"), Entity("Haftar"),
                 "Haftar signed the truce.")
    [(verdict, why)] = _why(rules, [fact])
    assert verdict == "fail" and why == ("Expected excludes Haftar, found Haftar.",)


def test_consistent_unknown_keeps_its_near_misses(rules_of):
    rules = rules_of("consistent date(Abraham Accords signing)\n")
    ceremony = _fact("date", _event("the ceremony", "ceremony"), DAY, "The ceremony took place on Tuesday.")
    signing = _fact("date", _event("the Abraham Accords signing", "signing", "Abraham Accords signing", "KB alias"),
                    DAY, "The Abraham Accords signing was on 15 September.")
    a, b = Source("a.txt", "a.txt", "x"), Source("b.txt", "b.txt", "x")
    results = {r.source: r for r in evaluate(rules, [a, b], {"a.txt": [ceremony], "b.txt": [signing]})}
    assert results["b.txt"].verdict == "pass"
    assert results["a.txt"].verdict == "unknown"
    assert any("add `ceremony` to the aliases of `Abraham Accords signing`" in w for w in results["a.txt"].why)


# ----------------------------------------------------------------------------- the article's text


def _unknown(rules, text: str) -> list[str]:
    rf, a = rules.assertions[0]
    r = Result(rf.path, a.pos.line, a.pos.column, None, a.text, "a.txt", "unknown", "error", "")
    return text_reasons(r, Source("a.txt", "a.txt", text), [], rules)


def test_a_modal_states_no_fact(rules_of):
    rules = rules_of("signed(ceasefire) includes Haftar\n")
    why = _unknown(rules, "Officials said Haftar could sign the truce this week.")
    assert any("mentions `Haftar`" in w and "the modal `could` makes it a possibility" in w for w in why), why


def test_an_intention_states_no_fact(rules_of):
    rules = rules_of("signed(ceasefire) includes Haftar\n")
    why = _unknown(rules, "Haftar plans to sign the truce.")
    assert any("`plans` makes it an intention" in w for w in why), why


def test_a_weekday_with_nothing_to_place_it(rules_of):
    rules = rules_of("date(Moscow talks) == 2020-01-13\n")
    why = _unknown(rules, "The talks in Moscow began on Monday.")
    assert any("`Monday` is a weekday with no tense or publication date" in w for w in why), why


def test_a_verb_that_is_no_trigger_of_the_predicate(rules_of):
    rules = rules_of("backers(LNA) includes Russia\n")
    why = _unknown(rules, "Russia praised the Libyan National Army for its discipline.")
    assert any("no word in it reports `backers`" in w and "back" in w for w in why), why


def test_no_sentence_mentions_the_subject(rules_of):
    rules = rules_of("backers(LNA) includes Russia\n")
    why = _unknown(rules, "Oil prices fell sharply.")
    assert any(w.startswith("No sentence of a.txt mentions") and "`LNA`" in w for w in why), why


def test_a_subject_mentioned_only_where_a_fact_was_read_is_not_said_to_be_unmentioned(rules_of):
    rules = rules_of("backers(LNA) excludes Portugal\n")
    sentence = "Egypt backs the Libyan National Army."
    rf, a = rules.assertions[0]
    r = Result(rf.path, a.pos.line, a.pos.column, None, a.text, "a.txt", "unknown", "error", "")
    fact = Fact("backers", Subject("entity", "LNA"), Entity("Egypt"), sentence, 0, len(sentence))
    why = text_reasons(r, Source("a.txt", "a.txt", sentence), [fact], rules)
    assert not any(w.startswith("No sentence") for w in why), why


def test_the_names_as_written_come_before_their_synonyms(rules_of):
    rules = rules_of("signed(ceasefire) includes Haftar\n")
    why = _unknown(rules, "Oil prices fell sharply.")
    line = next(w for w in why if w.startswith("No sentence of a.txt mentions"))
    assert line.index("`ceasefire`") < line.index("`accord`") and "`truce`" in line, line


# ----------------------------------------------------------------------------- the command


@pytest.mark.nlp
def test_explain_command_on_an_article(tmp_path, monkeypatch, capsys):
    from factcheck import cli

    (tmp_path / "kb.yaml").write_text(KB.replace("entities:\n", "entities:\n  Serraj: {}\n"), encoding="utf-8")
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "a.txt").write_text(
        "---\npublished: 2020-01-14\n---\nHaftar could sign the truce within days, officials said. "
        "Serraj signed the truce in Moscow on Monday.\n", encoding="utf-8")
    (tmp_path / "r.fc").write_text('use "kb.yaml"\nsigned(ceasefire) includes Haftar\n'
                                   'signed(ceasefire) excludes Serraj\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["explain", "r.fc", "--sources", "news", "-q", "--no-cache"]) == 0
    out = capsys.readouterr().out
    assert "r.fc:2:1: signed(ceasefire) includes Haftar  [a.txt]  unknown" in out
    assert "the modal `could` makes it a possibility, which states no fact" in out
    assert "r.fc:3:1: signed(ceasefire) excludes Serraj  [a.txt]  fail" in out
    assert "    - Expected excludes Serraj, found Serraj.\n    decided by:\n" \
           "      Serraj: \u201cSerraj signed the truce in Moscow on Monday.\u201d" in out
    # one assertion, by its line
    assert cli.main(["explain", "r.fc", "--sources", "news", "-q", "--no-cache", "--assertion", "3"]) == 0
    out = capsys.readouterr().out
    assert "excludes Serraj" in out and "includes Haftar" not in out


def test_explain_command_selects_cells_and_names_refused_sources(rules_of, tmp_path, monkeypatch, capsys):
    """With a stand-in check: unknown and failed cells by default, --all adds the passing
    ones, --source and --assertion select, and a refused source is named."""
    from factcheck import cli
    from factcheck.model import Run
    from factcheck.run import runner

    rules = rules_of("backers(LNA) includes Russia\nbackers(LNA) includes Egypt\n")
    path = rules.files[0].path
    russia, egypt = [a for _, a in rules.assertions]

    def cell(a, source, verdict, why):
        return Result(path, a.pos.line, a.pos.column, None, a.text, source, verdict, "error", "", why=why)

    run = Run(results=[cell(russia, "a.txt", "pass", ("Found Russia.",)),
                       cell(egypt, "a.txt", "unknown", ("a.txt says nothing about Egypt.",)),
                       cell(egypt, "b.txt", "pass", ("Found Egypt.",))],
              sources=[Source("a.txt", "a.txt", "Moscow backs the LNA."), Source("b.txt", "b.txt", "y")],
              errors=["c.txt: binary file, not text"])
    monkeypatch.setattr(runner, "check", lambda *a, **k: run)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["explain", path, "--sources", "x", "-q"]) == 0
    out = capsys.readouterr().out
    assert f"{path}:3:1: backers(LNA) includes Egypt  [a.txt]  unknown" in out
    assert "    - a.txt says nothing about Egypt." in out and "Found" not in out
    assert "not checked: c.txt: binary file, not text" in out
    assert cli.main(["explain", path, "--sources", "x", "-q", "--all"]) == 0
    assert capsys.readouterr().out.count("    - Found ") == 2
    assert cli.main(["explain", path, "--sources", "x", "-q", "--source", "b.txt"]) == 0
    out = capsys.readouterr().out
    assert "[b.txt]  pass" in out and "[a.txt]" not in out
    assert cli.main(["explain", path, "--sources", "x", "-q", "--assertion", "backers(LNA)  includes Russia"]) == 0
    out = capsys.readouterr().out
    assert "includes Russia  [a.txt]  pass" in out and "Egypt" not in out


def test_suggested_edits_are_counted_over_cells():
    from factcheck.model import Run
    from factcheck.run.explain import Explained, render, suggested_edits

    def cell(source: str, *why: str) -> Explained:
        return Explained(Result("r.fc", 2, 1, None, "date(x) == 2020-01-01", source, "unknown", "error", "",
                                why=why))
    edit = "add `ceremony` to the aliases of `signing ceremony` to link it."
    cells = [cell("a.txt", f"\u201cthe ceremony\u201d ... {edit}", f"\u201cthe ceremony\u201d again ... {edit}"),
             cell("b.txt", edit), cell("c.txt", "add `pact` to the aliases of `deal`.")]
    assert suggested_edits(cells) == [(("ceremony", "signing ceremony"), 2), (("pact", "deal"), 1)]
    out = render(cells, Run())
    assert "suggested knowledge-base edits (cells each would concern):\n" \
           "  add `ceremony` to the aliases of `signing ceremony` (2)\n  add `pact` to the aliases of `deal` (1)\n" in out


def test_an_unrelated_event_is_not_offered_as_an_alias(rules_of):
    rules = rules_of("date(Abraham Accords signing) == 2020-09-15\n")
    election = _fact("date", _event("the November election", "election"), DateValue.day(dt.date(2020, 11, 3)),
                     "The November election is on 3 November.")
    [(verdict, why)] = _why(rules, [election])
    assert verdict == "unknown"
    assert not any("election" in w for w in why), why
    # the same mention, stating the asserted date, is a likely alias
    same_day = _fact("date", _event("the November election", "election"), DAY, "It was held on 15 September.")
    [(_, why)] = _why(rules, [same_day])
    assert any("add `November election` to the aliases of `Abraham Accords signing`" in w for w in why), why
