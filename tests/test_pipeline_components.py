"""Only the spaCy components the rules need are run: rules that ask nothing but `mentions`
of entities leave the parser out (names come from the phrase matcher and the recognizer);
any other predicate, an event, or a third-party extractor keeps the whole pipeline."""
from __future__ import annotations

import shutil

from pathlib import Path

import pytest

from factcheck.plugin import host as plugins
from factcheck.run import runner
from factcheck.extract import ExtractionRequest
from factcheck.extract.pipeline import extract_source
from factcheck.plugin.host import extractor
from factcheck.extract import nlp as nlp_mod
from factcheck.sources.files import load_sources

pytestmark = pytest.mark.nlp  # imports the extraction modules, which import spaCy

ROOT = Path(__file__).resolve().parent.parent
KB = ROOT / "rules" / "libya.entities.yaml"


@pytest.fixture
def own_extractors(monkeypatch):
    """Only factcheck's own extractors (the dev install also has the quotes plugin)."""
    monkeypatch.setenv("FACTCHECK_PLUGINS_DISABLE", "quotes")
    plugins.clear_cache()
    yield
    monkeypatch.delenv("FACTCHECK_PLUGINS_DISABLE")
    plugins.clear_cache()


def _rules(tmp_path, text: str) -> runner.Rules:
    path = tmp_path / "r.fc"
    shutil.copy(KB, path.parent / KB.name)
    path.write_text(f'use "{KB.name}"\n{text}', encoding="utf-8")
    return runner.load_rules([str(path)])


@pytest.mark.parametrize("text, unneeded", [
    ("mentions(Russia)\nnot mentions(Chad)\nmentions(LNA) or mentions(GNA)\n", ("parser",)),
    ("mentions(Russia)\nbackers(LNA) includes Russia\n", ()),      # a relation needs the parse
    ("mentions(Russia)\ndate(Berlin summit) == 2020-01-19\n", ()),  # so does a date
    ("mentions(Berlin summit)\n", ()),                              # an event mention needs it too
    ("mentions(peace conference)\n", ()),                           # a free-text event
    ("mentions(Zorblax Industries)\n", ()),                         # a name nobody knows: be safe
])
def test_the_parser_is_left_out_only_for_mentions_of_known_entities(tmp_path, text, unneeded):
    assert _rules(tmp_path, text).unneeded_components() == unneeded


def test_without_the_parser_entity_mentions_are_the_same_and_nothing_else_is_read(own_extractors):
    rules_kb = runner.load_kb([str(KB)])
    sources, _ = load_sources([str(ROOT / "seeds")])
    assert "parser" not in nlp_mod.load("en_core_web_sm", ("parser",)).pipe_names
    assert "senter" in nlp_mod.load("en_core_web_sm", ("parser",)).pipe_names
    for source in sources:
        full = extract_source(source, ExtractionRequest(rules_kb), extractor())
        light = extract_source(source, ExtractionRequest(rules_kb, exclude=("parser",)), extractor())
        assert light and {f.predicate for f in light} == {"mentions"}
        assert all(f.subject.kind == "entity" for f in light)
        # Known names (what a mentions-only rule file can ask, see above) are found alike; the
        # recognizer's guesses at unknown ones may differ with the sentence breaks.
        named = {f.subject.name for f in full if f.predicate == "mentions" and f.subject.kind == "entity"}
        known = {n for n in named if rules_kb.link(n) is not None}
        assert len(known) >= 5 and {n for n in (f.subject.name for f in light) if rules_kb.link(n)} == known, \
            source.name
        for f in light:  # evidence is still a sentence of the article that names it
            assert source.text[f.start:f.end] == f.sentence


def test_a_mentions_only_check_gives_the_verdicts_of_the_whole_pipeline(tmp_path, monkeypatch, own_extractors):
    path = tmp_path / "m.fc"
    shutil.copy(KB, path.parent / KB.name)
    path.write_text(f'use "{KB.name}"\nmentions(Russia)\nmentions(Greece)\nnot mentions(Chad)\nmentions(Haftar)\nmentions(Algeria)\n',
                    encoding="utf-8")
    seen: list[tuple[str, ...]] = []
    real = runner.iter_facts

    def spy(sources, request, *args, **kwargs):
        seen.append(request.exclude)
        return real(sources, request, *args, **kwargs)

    monkeypatch.setattr(runner, "iter_facts", spy)
    light = runner.check([str(path)], [str(ROOT / "seeds")], no_cache=True, jobs=1)
    full = runner.check([str(path)], [str(ROOT / "seeds")], no_cache=True, jobs=1, keep_facts=True)
    assert seen == [("parser",), ()]
    assert [(r.source, r.assertion, r.verdict) for r in light.results] == \
        [(r.source, r.assertion, r.verdict) for r in full.results]
    assert {r.verdict for r in light.results} == {"pass", "fail"}


def test_a_third_party_extractor_that_runs_keeps_the_whole_pipeline(tmp_path, monkeypatch):
    """A plugin extractor may need any component, so one that runs keeps them all; one whose
    predicates no assertion uses is not run (issue 18), and then the parser may go."""
    monkeypatch.delenv("FACTCHECK_PLUGINS_DISABLE", raising=False)
    plugins.clear_cache()
    names = plugins.fingerprint(plugins.extraction_manager())
    if not any(n.startswith("quotes==") for n in names):
        pytest.fail("the factcheck-quotes plugin is part of the dev install (Makefile); it is missing")
    calls = []
    from factcheck.run import backends as cluster

    real = cluster.run_local

    def spy(sources, request, jobs=1):
        calls.append(request.exclude)
        return real(sources, request, jobs)

    monkeypatch.setattr(cluster, "run_local", spy)
    (tmp_path / "a.txt").write_text("Russia and Turkey met.\n", encoding="utf-8")
    path = tmp_path / "m.fc"
    shutil.copy(KB, path.parent / KB.name)
    path.write_text(f'use "{KB.name}"\nmentions(Russia)\n', encoding="utf-8")
    run = runner.check([str(path)], [str(tmp_path / "a.txt")], no_cache=True, jobs=1)
    assert calls == [("parser",)] and run.results[0].verdict == "pass"  # quotes: idle, not run
    monkeypatch.setattr(plugins, "idle_extractors", lambda pm, used: frozenset())  # as if it had to run
    run = runner.check([str(path)], [str(tmp_path / "a.txt")], no_cache=True, jobs=1)
    assert calls == [("parser",), ()] and run.results[0].verdict == "pass"
    plugins.clear_cache()


def test_cache_entries_of_a_lighter_pipeline_never_serve_a_fuller_one():
    from factcheck.run.cache_keys import extraction_context

    assert extraction_context("kb", "en_core_web_sm", (), {"plugins": [], "exclude": ["parser"]}) != \
        extraction_context("kb", "en_core_web_sm", (), {"plugins": []})
