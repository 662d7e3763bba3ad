"""What the pytest plugin collects (issue 17): rule files only where the project keeps them,
and an article that cannot be read as an error item of its own, not a lost rule file.

Extraction is stood in for by a conftest (each article stating "Egypt backs the LNA." gives
that fact), so these runs test collection and stay fast; reading the articles is real."""
from __future__ import annotations

import pytest

import factcheck.run.runner  # noqa: F401 - imported once here, not once per in-process pytester run

pytest_plugins = ["pytester"]

STAND_IN = """\
from factcheck.run import runner
from factcheck.model import Entity, Fact, Subject

SENTENCE = "Egypt backs the LNA."


def _facts(sources, request, *args, **kwargs):
    facts = {}
    for s in sources:
        at = s.text.find(SENTENCE)
        facts[s.name] = [] if at < 0 else [Fact("backers", Subject("entity", "LNA"), Entity("Egypt"), SENTENCE,
                                                at, at + len(SENTENCE))]
    return facts, {}


def pytest_configure(config):
    config.add_cleanup(lambda real=runner.extract_all: setattr(runner, "extract_all", real))
    runner.extract_all = _facts
"""


@pytest.fixture
def desk(pytester: pytest.Pytester) -> pytest.Pytester:
    """A newsroom project: rules/, news/, and another tool's `data/solver.fc`."""
    pytester.makeconftest(STAND_IN)
    for folder, name, text in [("rules", "backers.fc", "backers(LNA) includes Egypt\n"),
                               ("news", "one.txt", "---\npublished: 2020-01-14\n---\nEgypt backs the LNA.\n"),
                               ("news", "two.txt", "Egypt backs the LNA.\n"),
                               ("data", "solver.fc", "maximise 3x + 2y\nsubject to x <= 4\n")]:
        (pytester.path / folder).mkdir(exist_ok=True)
        (pytester.path / folder / name).write_text(text, encoding="utf-8")
    return pytester


@pytest.mark.parametrize("config", ["factcheck.yaml", "pyproject.toml"])
def test_only_the_configured_rule_paths_are_collected(desk: pytest.Pytester, config: str) -> None:
    if config == "factcheck.yaml":
        (desk.path / "factcheck.yaml").write_text("rules: [rules]\nsources: [news/*.txt]\n", encoding="utf-8")
    else:
        desk.makepyprojecttoml('[tool.factcheck]\nrules = ["rules/*.fc"]\nsources = ["news/*.txt"]\n')
    result = desk.runpytest(".", "-v")
    assert result.ret == pytest.ExitCode.OK
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["rules/backers.fc::backers(LNA) includes Egypt[[]one[]] PASSED*",
                                 "rules/backers.fc::backers(LNA) includes Egypt[[]two[]] PASSED*"])
    out = result.stdout.str()
    assert "solver" not in out and "Traceback" not in out


def test_pytest_testpaths_when_no_rule_paths_are_configured(desk: pytest.Pytester) -> None:
    (desk.path / "factcheck.yaml").write_text("sources: [news/*.txt]\n", encoding="utf-8")
    desk.makeini("[pytest]\ntestpaths = rules\n")
    result = desk.runpytest(".")
    assert result.ret == pytest.ExitCode.OK
    result.assert_outcomes(passed=2)
    assert "solver" not in result.stdout.str()


def test_a_rule_file_named_on_the_command_line_is_collected(desk: pytest.Pytester) -> None:
    (desk.path / "factcheck.yaml").write_text("rules: [rules]\nsources: [news/*.txt]\n", encoding="utf-8")
    result = desk.runpytest("data/solver.fc")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["*ERROR collecting data/solver.fc*", "data/solver.fc:1:10: *"])


def test_an_unreadable_article_is_an_error_item_of_its_own(desk: pytest.Pytester) -> None:
    (desk.path / "factcheck.yaml").write_text("rules: [rules]\nsources: [news/*.txt]\n", encoding="utf-8")
    (desk.path / "news" / "bad.txt").write_text("---\npublished: [2020-01-14\n---\nEgypt backs the LNA.\n",
                                                encoding="utf-8")
    result = desk.runpytest("-v", "-rE")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines([
        "rules/backers.fc::source[[]bad[]] ERROR*",
        "rules/backers.fc::backers(LNA) includes Egypt[[]one[]] PASSED*",
        "rules/backers.fc::backers(LNA) includes Egypt[[]two[]] PASSED*",
        "*ERROR at setup of source[[]bad[]]*",
        "*/news/bad.txt:3:1: front matter: malformed YAML: *",
    ])
    out = result.stdout.str()
    assert "Traceback" not in out and "factcheck/testing/" not in out and "ERROR collecting" not in out


def test_every_article_unreadable_still_collects_the_rule_file(desk: pytest.Pytester) -> None:
    (desk.path / "factcheck.yaml").write_text("rules: [rules]\nsources: [news/two.txt]\n", encoding="utf-8")
    (desk.path / "news" / "two.txt").write_text("---\n: [\n---\nEgypt backs the LNA.\n", encoding="utf-8")
    result = desk.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*news/two.txt:2:*front matter*"])
    assert "ERROR collecting" not in result.stdout.str()


@pytest.mark.nlp
def test_a_folder_named_on_the_command_line_is_collected(pytester: pytest.Pytester):
    """`pytest rules/` in a project whose testpaths point elsewhere collects the rule files in
    rules/ (the README's command), and still nothing under an unrelated data/ folder."""
    pytester.makefile(".toml", pyproject='[tool.pytest.ini_options]\ntestpaths = ["tests"]\n')
    (pytester.path / "rules").mkdir()
    (pytester.path / "rules" / "kb.entities.yaml").write_text("entities:\n  Qatar: {}\n", encoding="utf-8")
    (pytester.path / "rules" / "q.fc").write_text('use "kb.entities.yaml"\nmentions(Qatar)\n', encoding="utf-8")
    (pytester.path / "rules" / "factcheck.yaml").write_text("", encoding="utf-8")
    (pytester.path / "data").mkdir()
    (pytester.path / "data" / "solver.fc").write_text("not a rule file at all (\n", encoding="utf-8")
    (pytester.path / "a.txt").write_text("Qatar hosted the talks.\n", encoding="utf-8")
    (pytester.path / "factcheck.yaml").write_text("sources: ['a.txt']\ncache: false\n", encoding="utf-8")
    (pytester.path / "rules" / "factcheck.yaml").unlink()
    result = pytester.runpytest("rules/", "-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
