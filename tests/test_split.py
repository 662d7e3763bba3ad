"""A warm run's evaluation in two processes (`factcheck.run.split`): with `jobs` of 2 or more,
most sources' facts cached and many cells without a kept verdict (`run.verdicts`), a forked
child evaluates half of the sources. The verdicts, reasons and order are those of one
process; a child that fails is made up for here; no child is left."""
from __future__ import annotations

import os
import pickle
import sqlite3

import pytest

from factcheck.run import runner, split

from cache_fixtures import backed_project


@pytest.fixture()
def project(tmp_path, monkeypatch):
    rules, pattern = backed_project(tmp_path, monkeypatch, 300)
    runner.check([rules], [pattern], jobs=1)  # the cold run fills the cache
    _forget_verdicts(tmp_path)
    return rules, pattern


def _forget_verdicts(root) -> None:
    """Facts cached, no verdict kept: as after an edit of the engine's code."""
    with sqlite3.connect(root / "cache.db") as conn:
        conn.execute("DELETE FROM kept_cells")
        conn.execute("DELETE FROM blocks")


def _forks(monkeypatch) -> list:
    """The Halves `fork_half` returns from now on (None where it did not fork)."""
    made: list = []
    original = split.fork_half

    def recording(*args, **kwargs):
        half = original(*args, **kwargs)
        made.append(half)
        if half is not None:
            half.child = half.pid  # kept: `join` forgets it
        return half

    monkeypatch.setattr(split, "fork_half", recording)
    return made


def _gone(half) -> bool:
    """The forked child has ended and been reaped (not alive, not a zombie)."""
    try:
        os.waitpid(half.child, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_a_cached_run_on_two_jobs_gives_the_verdicts_of_one(project, monkeypatch, tmp_path):
    rules, pattern = project
    one = runner.check([rules], [pattern], jobs=1)
    _forget_verdicts(tmp_path)
    made = _forks(monkeypatch)
    two = runner.check([rules], [pattern], jobs=2)
    assert len(made) == 1 and made[0] is not None and len(made[0].theirs) == 150  # half of the 300 cached
    assert [r.to_json() for r in two.results] == [r.to_json() for r in one.results]
    assert len(two.results) == 3 * 300
    with sqlite3.connect(tmp_path / "cache.db") as conn:  # the child kept its verdicts too
        assert conn.execute("SELECT COUNT(*) FROM kept_cells").fetchone()[0] == 2 * 300
    assert {"pass", "fail"} <= {r.verdict for r in two.results}
    assert _gone(made[0])


def test_a_child_that_fails_is_made_up_for_here(project, monkeypatch, tmp_path):
    rules, pattern = project
    one = runner.check([rules], [pattern], jobs=1)
    _forget_verdicts(tmp_path)
    made = _forks(monkeypatch)

    def broken(*args, **kwargs):
        raise RuntimeError("the child cannot send")

    monkeypatch.setattr(pickle, "dumps", broken)  # inherited by the fork: the child fails to answer
    two = runner.check([rules], [pattern], jobs=2)
    assert made and made[0] is not None
    assert [r.to_json() for r in two.results] == [r.to_json() for r in one.results]
    assert _gone(made[0])


def test_few_cached_sources_one_job_or_kept_verdicts_do_not_fork(project, monkeypatch, tmp_path):
    rules, pattern = project
    made = _forks(monkeypatch)
    runner.check([rules], [pattern], jobs=1)
    assert made == []  # one job: never asked
    runner.check([rules], [pattern], jobs=2)
    assert made == []  # every cell's verdict kept by the run before: reading them here is quicker
    _forget_verdicts(tmp_path)
    monkeypatch.setattr(split, "FORK_FROM", 1_000)
    runner.check([rules], [pattern], jobs=2)
    assert made == []  # under FORK_FROM sources: not asked either


@pytest.mark.parametrize("blocks", ["kept", "dropped"])
def test_after_a_rule_edit_the_child_evaluates_the_new_cells_and_the_kept_ones_stay_here(tmp_path, monkeypatch,
                                                                                         blocks):
    """After a rule edit on two jobs, the child evaluates its half of the new assertions' cells
    and sends back only those; the kept verdicts of its half (from blocks, or cell by cell when
    the blocks are gone) are taken here. The report is a no-cache run's, and so is the next
    run's, read back from what both processes kept."""
    rules, pattern = backed_project(tmp_path, monkeypatch, 300)
    runner.check([rules], [pattern], jobs=1)
    if blocks == "dropped":
        with sqlite3.connect(tmp_path / "cache.db") as conn:
            conn.execute("DELETE FROM blocks")
    made = _forks(monkeypatch)
    with open(rules, "a", encoding="utf-8") as fh:
        fh.write("backers(LNA) includes any {Egypt, France}\nbackers(LNA) excludes Italy\n")
    warm = runner.check([rules], [pattern], jobs=2)
    assert len(made) == 1 and made[0] is not None  # 600 new cells: it forked
    fresh = runner.check([rules], [pattern], jobs=1, no_cache=True)
    assert [r.to_json() for r in warm.results] == [r.to_json() for r in fresh.results]
    again = runner.check([rules], [pattern], jobs=1)
    assert [r.to_json() for r in again.results] == [r.to_json() for r in fresh.results]
    assert _gone(made[0])
