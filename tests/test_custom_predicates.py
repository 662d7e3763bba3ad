"""Editor-defined predicates written only in YAML: checked definitions with YAML paths in
errors, type checking in rule files, and extraction that passes, fails and stays unknown on
short fixtures (spaCy: one small run over four one-sentence articles)."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from factcheck.run import runner
from factcheck.kb.custom import definitions
from factcheck.errors import KnowledgeBaseError, RuleTypeError
from factcheck.kb.store import load_kb

KB = """\
entities:
  Turkey: {aliases: [Ankara]}
  Russia: {aliases: [Moscow]}
events:
  Moscow talks: {kind: talks, place: Moscow}
predicates:
  mediators:
    argument: event
    value_type: entities
    description: who mediates talks between the parties
    triggers: [mediator, mediate]
    value:
      - {dep: [amod, compound]}     # "through Turkish and Russian mediators"
      - {dep: [nsubj, agent]}       # "Turkey mediated", "mediated by Turkey"
"""

RULES = """\
use "desk.entities.yaml"
mediators(Moscow talks) includes Turkey
mediators(Moscow talks) == {Turkey, Russia}
"""

ARTICLES = {
    "a_through.txt": "Serraj signed the truce after indirect talks in Moscow through Turkish and Russian mediators on Monday.",
    "b_other.txt": "The talks in Moscow were mediated by Germany.",
    "c_denied.txt": "Turkey did not mediate the talks in Moscow, officials said.",
    "d_silent.txt": "The talks in Moscow ended on Monday.",
}


def write_kb(tmp_path: Path, text: str) -> str:
    path = tmp_path / "desk.entities.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return str(path)


def spec_error(tmp_path: Path, body: str) -> str:
    path = write_kb(tmp_path, "predicates:\n  mediators:\n" + textwrap.indent(textwrap.dedent(body), "    "))
    with pytest.raises(KnowledgeBaseError) as exc:
        definitions(load_kb([path]))
    assert exc.value.file == path
    return str(exc.value)


# --------------------------------------------------------------------------- definitions


def test_definition_is_read_into_a_predicate_spec(tmp_path):
    (p,) = definitions(load_kb([write_kb(tmp_path, KB)]))
    assert (p.spec.name, p.spec.argument, p.spec.value_type) == ("mediators", "event", "entities")
    assert p.spec.origin.endswith("desk.entities.yaml")
    assert p.triggers == {"mediator", "mediate"} and [r.how for r in p.value] == ["dep", "dep"]


@pytest.mark.parametrize("body, message", [
    ("argument: event\nvalue_type: people\ntriggers: [mediator]\nvalue: {dep: [nsubj]}\n",
     "predicates.mediators.value_type must be one of entities, date, number, quantity, string, not `people`"),
    ("argument: story\nvalue_type: entities\ntriggers: [mediator]\nvalue: {dep: [nsubj]}\n",
     "predicates.mediators.argument must be one of entity, event"),
    ("argument: event\nvalue_type: entities\nvalue: {dep: [nsubj]}\n", "predicates.mediators.triggers is missing"),
    ("argument: event\nvalue_type: entities\ntriggers: [mediator]\nvalue: {dep: [nsubj]}\ntrigers: [x]\n",
     "predicates.mediators.trigers is not a known key"),
    ("argument: event\nvalue_type: entities\ntriggers: [mediator]\nvalue: [{dep: [nsubj]}, {word: [x]}]\n",
     "predicates.mediators.value[1].word is not a kind of role"),
    ("argument: event\nvalue_type: entities\ntriggers: [mediator]\nvalue: {prep: between}\nsubject: 3\n",
     "predicates.mediators.subject must be a mapping"),
])
def test_malformed_definitions_name_their_yaml_path(tmp_path, body, message):
    assert message in spec_error(tmp_path, body)


def test_yaml_booleans_in_triggers_get_a_hint(tmp_path):
    path = write_kb(tmp_path, "predicates:\n  m:\n    argument: event\n    value_type: date\n"
                              "    triggers: [on, off]\n    value: {dep: [pobj]}\n")
    with pytest.raises(KnowledgeBaseError, match="predicates.m.triggers must be a list") as exc:
        definitions(load_kb([path]))
    assert "quote them" in exc.value.hint


def test_did_you_mean_for_a_misspelt_key(tmp_path):
    path = write_kb(tmp_path, "predicates:\n  m:\n    argument: event\n    value_type: date\n"
                              "    triggers: [x]\n    value: {dep: [nsubj]}\n    triger: [y]\n")
    with pytest.raises(KnowledgeBaseError) as exc:
        definitions(load_kb([path]))
    assert exc.value.hint == "did you mean `triggers`?"


def test_yaml_predicate_joins_the_registry_and_type_checks(tmp_path):
    write_kb(tmp_path, KB)
    rules = tmp_path / "desk.fc"
    rules.write_text(RULES, encoding="utf-8")
    loaded = runner.load_rules([str(rules)])
    assert loaded.predicates["mediators"].value_type == "entities"
    rules.write_text('use "desk.entities.yaml"\nmediators(Moscow talks) == 2020-01-13\n', encoding="utf-8")
    with pytest.raises(RuleTypeError, match="mediators"):
        runner.load_rules([str(rules)])
    rules.write_text('use "desk.entities.yaml"\nmediator(Moscow talks) includes Turkey\n', encoding="utf-8")
    with pytest.raises(RuleTypeError) as exc:
        runner.load_rules([str(rules)])
    assert exc.value.hint == "did you mean `mediators`?"


def test_yaml_predicate_cannot_shadow_a_builtin(tmp_path):
    from factcheck.plugin.host import PluginError

    write_kb(tmp_path, "predicates:\n  date:\n    argument: event\n    value_type: date\n"
                       "    triggers: [held]\n    value: {dep: [prep]}\n")
    rules = tmp_path / "desk.fc"
    rules.write_text('use "desk.entities.yaml"\ndate(Moscow talks) == 2020-01-13\n', encoding="utf-8")
    with pytest.raises(PluginError, match="`date` is defined twice: by builtin and by .*desk.entities.yaml"):
        runner.load_rules([str(rules)])


# --------------------------------------------------------------------------- extraction and verdicts


@pytest.mark.nlp
def test_yaml_predicate_passes_fails_and_stays_unknown(tmp_path):
    write_kb(tmp_path, KB)
    (tmp_path / "desk.fc").write_text(RULES, encoding="utf-8")
    for name, text in ARTICLES.items():
        (tmp_path / name).write_text(text + "\n", encoding="utf-8")
    run = runner.check([str(tmp_path / "desk.fc")], [str(tmp_path / "*.txt")], no_cache=True, jobs=1)
    got = {(r.line, r.source): (r.verdict, r.found) for r in run.results}
    assert got[(2, "a_through.txt")] == ("pass", "Turkey, Russia")
    assert got[(3, "a_through.txt")] == ("pass", "Turkey, Russia")
    assert got[(2, "b_other.txt")] == ("unknown", "Germany")  # absence of Turkey is no evidence
    assert got[(3, "b_other.txt")][0] == "fail"  # closed world: Germany is not in {Turkey, Russia}
    assert got[(2, "c_denied.txt")] == ("fail", "not Turkey")  # polarity from the shared negation logic
    assert got[(2, "d_silent.txt")][0] == "unknown" and got[(3, "d_silent.txt")][0] == "unknown"
    passed = next(r for r in run.results if r.line == 2 and r.source == "a_through.txt")
    assert passed.evidence[0].text == ARTICLES["a_through.txt"]


# --------------------------------------------------------------------------- one pattern language

RELATION_KB = """\
entities:
  Qatar: {}
  Egypt: {}
  Kenya: {}
events:
  Doha talks: {kind: talks, place: Doha}
predicates:
  mediators:
    argument: event
    description: who mediates talks (written like the built-in relations)
    verbs: [mediate, broker]
    nouns: [mediator, go-between]
    action_nouns: [mediation]
    family: summit
"""
RELATION_CASES = [  # (article, assertion, verdict): the built-in relations' forms, for free
    ("Qatar mediated the Doha talks on Monday.", "mediators(Doha talks) includes Qatar", "pass"),
    ("The Doha talks, mediated by Qatar and Egypt, ended on Monday.", "mediators(Doha talks) includes Egypt", "pass"),
    ("Qatar is the main mediator of the Doha talks.", "mediators(Doha talks) includes Qatar", "pass"),
    ("Qatari mediation of the Doha talks ended on Monday.", "mediators(Doha talks) includes Qatar", "pass"),
    ("Kenya refused to mediate the Doha talks.", "mediators(Doha talks) excludes Kenya", "pass"),
    ("Kenya may mediate the Doha talks.", "mediators(Doha talks) includes Kenya", "unknown"),
]


@pytest.mark.nlp
def test_a_predicate_in_the_built_in_relations_vocabulary(tmp_path):
    (tmp_path / "doha.entities.yaml").write_text(RELATION_KB, encoding="utf-8")
    rules = 'use "doha.entities.yaml"\n' + "\n".join(dict.fromkeys(a for _, a, _ in RELATION_CASES)) + "\n"
    (tmp_path / "doha.fc").write_text(rules, encoding="utf-8")
    for i, (text, _, _) in enumerate(RELATION_CASES):
        (tmp_path / f"{i}.txt").write_text(f"---\npublished: 2024-05-08\n---\n{text}\n", encoding="utf-8")
    run = runner.check([str(tmp_path / "doha.fc")], [str(tmp_path / f"{i}.txt") for i in range(len(RELATION_CASES))],
                       no_cache=True)
    got = {(r.source, r.assertion): r.verdict for r in run.results}
    for i, (text, assertion, verdict) in enumerate(RELATION_CASES):
        assert got[(f"{i}.txt", assertion)] == verdict, text


@pytest.mark.parametrize("body, message", [
    ("    argument: event\n    verbz: [mediate]\n", "predicates.mediators.verbz is not a known key; did you mean `verbs`?"),
    ("    argument: event\n    verbs: mediate\n", "predicates.mediators.verbs: must be a list of words"),
    ("    argument: event\n    verbs: [mediate]\n    triggers: [mediate]\n",
     "predicates.mediators.triggers cannot be combined with verbs"),
    ("    argument: event\n    value_type: date\n    verbs: [mediate]\n",
     "predicates.mediators.value_type must be entities for a predicate written with verbs"),
])
def test_a_mistake_in_a_relation_predicate_names_its_path(tmp_path, body, message):
    path = tmp_path / "x.entities.yaml"
    path.write_text("predicates:\n  mediators:\n" + body, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as err:
        definitions(load_kb([str(path)]))
    assert message in str(err.value)
