"""A warm run's evaluation in two processes (`factcheck.run.split`): with `jobs` of 2 or more
and most sources cached, a forked child evaluates half of them. The verdicts, reasons and
order are those of one process; a child that fails is made up for here; no child is left."""
from __future__ import annotations

import os
import pickle

import pytest

from factcheck.run import backends, runner, split

from cache_fixtures import CountingExtractor, write_project

BACKERS = ["Russia", "Turkey", "Egypt", "France", "Italy"]
RULES = """use "tiny.entities.yaml"

backers(LNA) includes Russia
backers(LNA) excludes Turkey
consistent backers(LNA)
"""


@pytest.fixture()
def project(tmp_path, monkeypatch):
    monkeypatch.setattr(backends, "iter_extract", CountingExtractor())  # no spaCy: one fact per article
    monkeypatch.setenv("FACTCHECK_CACHE", str(tmp_path / "cache.db"))
    articles = {f"a{i:03}.txt": f"{BACKERS[i % 5]} backs the LNA, officials said.\n" for i in range(90)}
    rules, pattern = write_project(tmp_path, articles, RULES)
    runner.check([rules], [pattern], jobs=1)  # the cold run fills the cache
    return rules, pattern


def _forks(monkeypatch) -> list:
    made: list = []
    original = split.fork_half

    def recording(*args, **kwargs):
        half = original(*args, **kwargs)
        made.append(half)
        return half

    monkeypatch.setattr(split, "fork_half", recording)
    return made


def _no_child_left() -> bool:
    """No child process of this one, alive or waiting to be reaped."""
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_a_cached_run_on_two_jobs_gives_the_verdicts_of_one(project, monkeypatch):
    rules, pattern = project
    one = runner.check([rules], [pattern], jobs=1)
    made = _forks(monkeypatch)
    two = runner.check([rules], [pattern], jobs=2)
    assert len(made) == 1 and made[0] is not None and len(made[0].theirs) == 45  # half of the 90 cached
    assert [r.to_json() for r in two.results] == [r.to_json() for r in one.results]
    assert len(two.results) == 3 * 90
    assert {"pass", "fail"} <= {r.verdict for r in two.results}
    assert _no_child_left()


def test_a_child_that_fails_is_made_up_for_here(project, monkeypatch):
    rules, pattern = project
    one = runner.check([rules], [pattern], jobs=1)
    made = _forks(monkeypatch)

    def broken(*args, **kwargs):
        raise RuntimeError("the child cannot send")

    monkeypatch.setattr(pickle, "dumps", broken)  # inherited by the fork: the child fails to answer
    two = runner.check([rules], [pattern], jobs=2)
    assert made and made[0] is not None
    assert [r.to_json() for r in two.results] == [r.to_json() for r in one.results]
    assert _no_child_left()


def test_few_cached_sources_or_one_job_do_not_fork(project, monkeypatch):
    rules, pattern = project
    made = _forks(monkeypatch)
    runner.check([rules], [pattern], jobs=1)
    assert made == []  # one job: never asked
    monkeypatch.setattr(split, "FORK_FROM", 1_000)
    runner.check([rules], [pattern], jobs=2)
    assert made == []  # under FORK_FROM sources: not asked either
