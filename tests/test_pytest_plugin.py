"""The pytest plugin, run through `pytester` in throw-away projects.

Two kinds of runs:
* real extraction (spaCy, in a subprocess): few, with several assertions each, covering
  every verdict -> outcome mapping and the failure report;
* a stand-in extractor (a conftest that replaces `runner.extract_all` by a reader of
  `backers | LNA | Egypt` lines), for options, config discovery, rule tests and xdist,
  so they stay fast and do not depend on what spaCy finds.
"""
from __future__ import annotations

import re
from pathlib import Path
import xml.etree.ElementTree as ET

import pytest

# In-process pytester runs forget the modules they imported, so the next run would build a
# second copy of the AST classes next to the engine's first copy. Importing them here, once,
# keeps a single copy for every run (and their import time out of each run).
import factcheck.dsl.parser  # noqa: F401,E402
import factcheck.dsl.types  # noqa: F401,E402
import factcheck.testing.rulestests  # noqa: F401,E402
import factcheck.run.runner  # noqa: F401,E402

pytest_plugins = ["pytester"]

# ----------------------------------------------------------------------------- projects

ARTICLE_A = """\
---
published: 2020-01-14
---
Fayez al-Serraj signed the ceasefire in Moscow on Monday. Khalifa Haftar left Moscow without signing it.

Germany will host a summit on Libya in Berlin on Sunday.

Haftar is backed by Egypt and France.
"""

ARTICLE_B = """\
---
published: 2020-01-14
---
Oil exports from the eastern ports fell sharply last week.
"""

# Line numbers matter: the tests look for t.fc:3, t.fc:6, t.fc:7 and t.fc:11.
RULES = """\
# sample rules
use "kb.yaml"
date(Berlin summit) == 2020-01-19

test "Signers":
    signed(ceasefire) includes Serraj
    signed(ceasefire) includes Haftar

@warning
test "Backers":
    backers(Haftar) excludes France

@skip "waiting for the desk"
test "Later":
    date(Moscow talks) == 2020-01-13
"""

KB = """\
entities:
  Serraj:
    aliases: [Fayez al-Serraj]
  Haftar:
    aliases: [Khalifa Haftar]
"""

# Makes every source whose text contains BOOM an extraction error, as a crash in the
# extractor would; the other sources go through the real extractor.
BOOM_CONFTEST = """\
from factcheck.run import runner

_real = runner.extract_all


def _boom(sources, request, progress=None, **settings):
    fine = [s for s in sources if "BOOM" not in s.text]
    facts, errors = _real(fine, request, progress)
    for s in sources:
        if "BOOM" in s.text:
            errors[s.name] = f"{s.path}: extraction failed: RuntimeError: BOOM"
    return facts, errors


def pytest_configure(config):
    runner.extract_all = _boom


def pytest_unconfigure(config):
    runner.extract_all = _real
"""

# A stand-in extractor: each line `predicate | subject | value [| not]` is one fact.
FAKE_CONFTEST = """\
from factcheck.run import runner
from factcheck.model import Entity, Fact, Subject

_real = runner.extract_all


def _fake(sources, request, progress=None, **settings):
    facts, errors = {}, {}
    for s in sources:
        got, offset = [], 0
        for line in s.text.splitlines(keepends=True):
            parts = [p.strip() for p in line.split("|")]
            if len(parts) >= 3:
                got.append(Fact(parts[0], Subject("entity", parts[1]), Entity(parts[2]), line.strip(),
                                offset, offset + len(line.rstrip()), polarity=parts[3:] != ["not"]))
            offset += len(line)
        facts[s.name] = got
    return facts, errors


def pytest_configure(config):
    runner.extract_all = _fake


def pytest_unconfigure(config):
    runner.extract_all = _real
"""

FAKE_RULES = """\
test "Backers":
    backers(LNA) includes Egypt
    backers(LNA) excludes France
"""


def _fake_project(pytester: pytest.Pytester, config: str | None = None) -> None:
    pytester.makeconftest(FAKE_CONFTEST)
    pytester.mkdir("news")
    (pytester.path / "news" / "one.txt").write_text("backers | LNA | Egypt\nbackers | LNA | France | not\n")
    (pytester.path / "news" / "two.txt").write_text("backers | LNA | France\n")
    pytester.mkdir("other")
    (pytester.path / "other" / "three.txt").write_text("nothing here\n")
    pytester.mkdir("rules")
    (pytester.path / "rules" / "t.fc").write_text(FAKE_RULES)
    if config is not None:
        (pytester.path / "factcheck.yaml").write_text(config)


def _collected(result: pytest.RunResult) -> list[str]:
    return [line for line in result.outlines if "::" in line]


# ----------------------------------------------------------------------------- real extraction


@pytest.fixture
def real_project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeconftest(BOOM_CONFTEST)
    pytester.mkdir("news")
    (pytester.path / "news" / "a.txt").write_text(ARTICLE_A)
    (pytester.path / "news" / "b.txt").write_text(ARTICLE_B)
    (pytester.path / "news" / "c.txt").write_text("---\npublished: 2020-01-14\n---\nBOOM\n")
    pytester.mkdir("rules")
    (pytester.path / "rules" / "t.fc").write_text(RULES)
    (pytester.path / "rules" / "kb.yaml").write_text(KB)
    (pytester.path / "factcheck.yaml").write_text("sources: [news/*.txt]\n")
    return pytester


@pytest.mark.nlp
def test_every_verdict_becomes_its_outcome(real_project: pytest.Pytester) -> None:
    junit = real_project.path / "junit.xml"
    result = real_project.runpytest_subprocess("rules", "-v", "-rsxE", f"--junitxml={junit}")
    # 5 assertions x 3 sources: a passes 2, fails 1, xfails 1; b is unknown x4; c errs x4; @skip x3
    result.assert_outcomes(passed=2, failed=1, skipped=7, xfailed=1, errors=4)
    out = result.stdout.str()
    result.stdout.fnmatch_lines([
        "rules/t.fc::date(Berlin summit) == 2020-01-19[[]a[]] PASSED*",
        "rules/t.fc::Signers::signed(ceasefire) includes Serraj[[]a[]] PASSED*",
        "rules/t.fc::Signers::signed(ceasefire) includes Haftar[[]a[]] FAILED*",
        "rules/t.fc::Backers::backers(Haftar) excludes France[[]a[]] XFAIL*",
        "rules/t.fc::Later::date(Moscow talks) == 2020-01-13[[]a[]] SKIPPED*",
    ])
    # the failure: assertion, expected, found, the sentence with its offsets
    failure = out[out.index("signed(ceasefire) includes Haftar    (rules/t.fc:7"):]
    assert "expected:   includes Haftar" in failure
    assert "found:      Serraj, not Haftar" in failure
    assert re.search(r"evidence:   a\.txt, characters \d+-\d+: value not Haftar", failure)
    assert '"Khalifa Haftar left Moscow without signing it."' in failure
    # unknown and @skip: skips with a reason, located at the assertion's line
    result.stdout.fnmatch_lines([
        "SKIPPED [[]1[]] rules/t.fc:3: no evidence in b.txt*",
        "SKIPPED [[]1[]] rules/t.fc:6: no evidence in b.txt: says nothing about Serraj",
        "SKIPPED [[]3[]] rules/t.fc: waiting for the desk",
    ])
    # @warning failure: xfail whose reason quotes the sentence
    result.stdout.fnmatch_lines(['XFAIL *excludes France[[]a[]] - @warning backers(Haftar) excludes France '
                                 'fails on a.txt: "Haftar is backed by Egypt and France."'])
    # error: the message, no traceback
    result.stdout.fnmatch_lines(["*ERROR at setup of date(Berlin summit) == 2020-01-19[[]c[]]*",
                                 "*/news/c.txt: extraction failed: RuntimeError: BOOM"])
    assert "Traceback" not in out and "factcheck/testing/" not in out
    # junit: one testcase per item
    cases = ET.parse(junit).getroot().iter("testcase")
    assert len(list(cases)) == 15


@pytest.mark.nlp
def test_strict_makes_failed_warnings_fail(real_project: pytest.Pytester) -> None:
    result = real_project.runpytest_subprocess("rules/t.fc::Backers::backers(Haftar) excludes France[a]",
                                               "--fc-strict")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "backers(Haftar) excludes France    (rules/t.fc:11, test \"Backers\", severity warning)",
        "  found:      Egypt, France",
        '      "Haftar is backed by Egypt and France."',
    ])


# ----------------------------------------------------------------------------- inert


def test_inert_in_a_project_without_rule_files(pytester: pytest.Pytester) -> None:
    pytester.makepyprojecttoml("[tool.pytest.ini_options]\n")
    pytester.makepyfile(test_plain="""
        import sys

        def test_nothing_heavy_imported():
            assert "spacy" not in sys.modules
            assert "factcheck.run.runner" not in sys.modules
    """)
    (pytester.path / "notes.txt").write_text("not a rule file\n")
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=1)


def test_a_broken_config_does_not_break_unrelated_projects(pytester: pytest.Pytester) -> None:
    (pytester.path / "factcheck.yaml").write_text("sorces: [x]\n")
    pytester.makepyfile(test_plain="def test_ok():\n    pass\n")
    pytester.runpytest().assert_outcomes(passed=1)


# ----------------------------------------------------------------------------- node ids, options, config


def test_node_ids_and_config_from_factcheck_yaml(pytester: pytest.Pytester) -> None:
    _fake_project(pytester, "sources: [news/*.txt]\n")
    result = pytester.runpytest("--co", "-q")
    assert _collected(result) == [
        "rules/t.fc::Backers::backers(LNA) includes Egypt[one]",
        "rules/t.fc::Backers::backers(LNA) includes Egypt[two]",
        "rules/t.fc::Backers::backers(LNA) excludes France[one]",
        "rules/t.fc::Backers::backers(LNA) excludes France[two]",
    ]


def test_config_from_pyproject_and_pattern(pytester: pytest.Pytester) -> None:
    _fake_project(pytester)
    (pytester.path / "rules" / "t.fc").rename(pytester.path / "rules" / "t.rules")
    pytester.makepyprojecttoml('[tool.factcheck]\nsources = ["other/*.txt"]\npattern = "*.rules"\n')
    result = pytester.runpytest("--co", "-q")
    assert _collected(result) == [
        "rules/t.rules::Backers::backers(LNA) includes Egypt[three]",
        "rules/t.rules::Backers::backers(LNA) excludes France[three]",
    ]


def test_ini_options_override_config_and_command_line_overrides_ini(pytester: pytest.Pytester) -> None:
    _fake_project(pytester, "sources: [news/*.txt]\n")
    pytester.makeini("[pytest]\nfc_sources = other/*.txt\n")
    assert _collected(pytester.runpytest("--co", "-q"))[0].endswith("[three]")
    result = pytester.runpytest("--co", "-q", "--fc-sources", "news/two.txt")
    assert [n.rsplit("[", 1)[1] for n in _collected(result)] == ["two]", "two]"]


def test_fc_pattern_ini_option(pytester: pytest.Pytester) -> None:
    _fake_project(pytester, "sources: [news/one.txt]\n")
    pytester.makeini("[pytest]\nfc_pattern = *.checks\n")
    assert _collected(pytester.runpytest("--co", "-q")) == []
    (pytester.path / "rules" / "t.fc").rename(pytester.path / "rules" / "t.checks")
    assert len(_collected(pytester.runpytest("--co", "-q"))) == 2


def test_entities_from_the_command_line(pytester: pytest.Pytester) -> None:
    _fake_project(pytester, "sources: [news/*.txt]\n")
    (pytester.path / "kb.yaml").write_text("entities:\n  LNA:\n    aliases: [Libyan National Army]\n")
    (pytester.path / "news" / "one.txt").write_text("backers | Libyan National Army | Egypt\n")
    pytester.runpytest("-k", "Egypt and one").assert_outcomes(skipped=1, deselected=3)
    pytester.runpytest("-k", "Egypt and one", "--fc-entities", "kb.yaml").assert_outcomes(passed=1, deselected=3)


def test_outcomes_and_k_selection_with_stand_in_extractor(pytester: pytest.Pytester) -> None:
    _fake_project(pytester, "sources: [news/*.txt, other/*.txt]\n")
    result = pytester.runpytest("-rs")
    # one: Egypt pass, France pass (negative fact); two: Egypt unknown, France fail; three: both unknown
    result.assert_outcomes(passed=2, failed=1, skipped=3)
    result.stdout.fnmatch_lines(["*rules/t.fc:2: no evidence in three.txt*"])
    pytester.runpytest("-k", "France").assert_outcomes(passed=1, failed=1, skipped=1, deselected=3)


def test_xdist_gives_the_same_outcomes(pytester: pytest.Pytester) -> None:
    _fake_project(pytester, "sources: [news/*.txt, other/*.txt]\n")
    result = pytester.runpytest_subprocess("-n", "2", "-p", "xdist")
    result.assert_outcomes(passed=2, failed=1, skipped=3)


def test_no_sources_is_a_collection_error(pytester: pytest.Pytester) -> None:
    _fake_project(pytester)
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["*no sources to check; set `sources` in factcheck.yaml*"])


# ----------------------------------------------------------------------------- invalid rule files


def test_invalid_rule_file_is_a_located_collection_error(pytester: pytest.Pytester) -> None:
    _fake_project(pytester, "sources: [news/*.txt]\n")
    (pytester.path / "rules" / "bad.fc").write_text('test "x":\n    backer(LNA) includes Egypt\n')
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["*ERROR collecting rules/bad.fc*", "*bad.fc:2:5: *backer*backers*"])
    assert "Traceback" not in result.stdout.str()


# ----------------------------------------------------------------------------- rule tests


RULE_TESTS = """\
cases:
  - name: Egypt only
    published: 2020-01-14
    text: "backers | LNA | Egypt"
    expect:
      "backers(LNA) includes Egypt": pass
    otherwise: unknown
  - name: wrong expectation
    text: "backers | LNA | France"
    expect:
      "backers(LNA) excludes France": pass
"""


def test_rule_tests_are_items_and_mismatches_fail(pytester: pytest.Pytester) -> None:
    _fake_project(pytester, "sources: [news/one.txt]\n")
    (pytester.path / "rules" / "t.tests.yaml").write_text(RULE_TESTS)
    result = pytester.runpytest("-v", "-k", "tests")
    result.assert_outcomes(passed=2, failed=1, deselected=2)
    result.stdout.fnmatch_lines([
        "rules/t.fc::tests::Egypt only::backers(LNA) includes Egypt PASSED*",
        "rules/t.fc::tests::Egypt only::backers(LNA) excludes France PASSED*",
        "rules/t.fc::tests::wrong expectation::backers(LNA) excludes France FAILED*",
        "expected verdict pass, got fail    (rules/t.tests.yaml:11, case `wrong expectation`)",
        '      "backers | LNA | France"',
    ])


def test_rule_tests_naming_a_missing_assertion(pytester: pytest.Pytester) -> None:
    _fake_project(pytester, "sources: [news/one.txt]\n")
    (pytester.path / "rules" / "t.tests.yaml").write_text(
        RULE_TESTS.replace('"backers(LNA) excludes France": pass', '"backers(LNA) exclude France": pass'))
    result = pytester.runpytest()
    result.stdout.fnmatch_lines(["*ERROR collecting rules/t.fc*",
                                 "rules/t.tests.yaml:11:7: no assertion `backers(LNA) exclude France` in the rule "
                                 "file; did you mean `backers(LNA) excludes France`?",
                                 "ERROR rules/t.fc::tests"])


@pytest.mark.parametrize("text, message", [
    ("cases: []\n", "t.tests.yaml:1:1: `cases` must be a non-empty list"),
    ("cases:\n  - name: a\n    text: x\n    expects: {}\n", "t.tests.yaml:4:5: unknown key `expects` in a case; "
                                                           "did you mean `expect`?"),
    ("cases:\n  - name: a\n    text: x\n    expect: {\"backers(LNA) includes Egypt\": passed}\n",
     "t.tests.yaml:4:14: `passed` is not a verdict"),
])
def test_malformed_rule_tests(tmp_path, text: str, message: str) -> None:
    from factcheck.testing.rulestests import RuleTestError, load_rule_tests

    path = tmp_path / "t.tests.yaml"
    path.write_text(text)
    with pytest.raises(RuleTestError) as info:
        load_rule_tests(str(path))
    assert message in info.value.headline()


def test_the_libya_rule_tests_parse_and_match_libya_fc() -> None:
    from factcheck.run import runner
    from factcheck.testing import rulestests

    rule_file = str(Path(__file__).parent.parent / "rules" / "libya.fc")
    tests = rulestests.load_rule_tests(str(rulestests.tests_path_for(rule_file)))
    rules = runner.load_rules([rule_file])
    checks = rulestests.plan(tests, rules.files[0].assertions)
    assert len(tests.cases) >= 3 and len(checks) > len(tests.cases)
    assert {c.verdict for c in checks} >= {"pass", "fail", "unknown"}
    assert all(c.source.published is not None for c in tests.cases)


def test_an_unknown_item_is_skipped_with_the_cells_first_reason():
    from factcheck.model import Result
    from factcheck.testing.messages import unknown_reason

    r = Result("r.fc", 1, 1, None, "backers(LNA) includes UAE", "a.txt", "unknown", "error", "includes UAE",
               message="not stated in a.txt",
               why=("not stated in a.txt.", "a.txt says nothing about UAE; a.txt says nothing about Chad."))
    assert unknown_reason(r) == "no evidence in a.txt: says nothing about UAE; says nothing about Chad"
    assert unknown_reason(Result("r.fc", 1, 1, None, "x", "a.txt", "unknown", "error", "",
                                  message="not stated in a.txt")) == "no evidence in a.txt"
