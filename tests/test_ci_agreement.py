"""The two CI gates agree (SPEC section 7): `factcheck check` and `pytest` on the same project
both fail when a source is refused (binary) or an assertion ends `error` (an empty source),
and both pass once those files are gone. `--allow-errors` relaxes the CLI only on errors."""
from __future__ import annotations

import os

import pytest

from factcheck import cli

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.nlp

ARTICLE = "---\npublished: 2020-01-14\n---\nKhalifa Haftar is backed by Egypt and France.\n"


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.mkdir("news")
    pytester.mkdir("rules")
    (pytester.path / "news" / "a.txt").write_text(ARTICLE)
    (pytester.path / "rules" / "t.fc").write_text("backers(Haftar) includes Egypt\n")
    (pytester.path / "factcheck.yaml").write_text("sources: [news/*.txt]\ncache: false\n")
    return pytester


def _cli(path, *extra: str) -> int:
    here = os.getcwd()
    os.chdir(path)
    try:
        return cli.main(["check", "rules/t.fc", "-q", "--no-cache", *extra])
    finally:
        os.chdir(here)


def test_refused_and_erroneous_sources_fail_both_gates(project: pytest.Pytester, capsys) -> None:
    news = project.path / "news"
    assert _cli(project.path) == 0
    assert project.runpytest_subprocess("rules").ret == 0

    (news / "photo.txt").write_bytes(bytes(range(256)) * 4)  # binary: refused
    assert _cli(project.path) == 1
    assert _cli(project.path, "--allow-errors") == 0
    result = project.runpytest_subprocess("rules")
    assert result.ret == 1
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*ERROR at setup of source[[]photo[]]*", "*photo.txt: binary file*"])
    assert "binary" in capsys.readouterr().err

    (news / "photo.txt").unlink()
    (news / "blank.txt").write_text("")  # empty: its assertions end `error`
    assert _cli(project.path) == 1
    assert _cli(project.path, "--allow-errors") == 0
    result = project.runpytest_subprocess("rules")
    assert result.ret == 1
    result.assert_outcomes(passed=1, errors=1)
