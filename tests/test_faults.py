"""Faults that need real processes: a run killed with SIGKILL in the middle of writing the
fact cache, and two runs sharing one cache at the same time. Afterwards the cache is read
or rebuilt, never a reason for a run to fail, and every report is the same as a run
without any cache.
"""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from factcheck import cli

pytestmark = pytest.mark.nlp  # every test here reads articles with the spaCy model

ARTICLES = {
    "a.txt": "The Berlin summit was held on 19 January 2020, officials said.\n",
    "b.txt": "Russia backs the LNA, officials in Moscow said. The Berlin summit opened on 19 January 2020.\n",
    "c.txt": "Turkey backs the GNA. The Berlin summit was held on 20 January 2020.\n",
    "d.txt": "The talks in Moscow ended without a deal. Haftar left without signing the ceasefire.\n",
}
RULES = ("date(Berlin summit) == 2020-01-19\nmentions(Berlin)\nbackers(LNA) includes Russia\n"
         "consistent date(Berlin summit)\n")
ARGV = ["check", "r.fc", "--sources", "*.txt", "--format", "json", "--jobs", "1"]

# The real command line, except that its first cache write stops half-way through its
# transaction (rows inserted, nothing committed) and waits there to be killed.
KILLED_MID_WRITE = textwrap.dedent("""
    import sys, time
    from factcheck import cli
    from factcheck.run import cache

    def put_many_and_hang(self, items):
        items = list(items)
        conn = self._connect()
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("INSERT OR REPLACE INTO facts (key, facts, created) VALUES (?, ?, ?)",
                         [(key, '[{"half": ', 0.0) for key, _ in items])
        print("WRITING", flush=True)
        time.sleep(120)

    cache.FactCache.put_many = put_many_and_hang
    sys.exit(cli.main(sys.argv[1:]))
""")

# Commits row after row as fast as it can, so a kill lands in or between transactions.
WRITER = textwrap.dedent("""
    import sys
    from factcheck.run.cache import FactCache
    from factcheck.model import Entity, Fact, Subject
    c = FactCache(sys.argv[1])
    fact = Fact("backers", Subject("entity", "LNA"), Entity("Russia"), "x" * 2000, 0, 2000)
    for i in range(100000):
        c.put_many([(f"k{i}-{j}", [fact] * 5) for j in range(20)])
        if i == 5:
            print("WRITING", flush=True)
""")


@pytest.fixture
def project(tmp_path, monkeypatch):
    for name, text in ARTICLES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "r.fc").write_text(RULES, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FACTCHECK_CACHE", raising=False)
    return tmp_path


def _env(cache: Path | str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env["FACTCHECK_CACHE"] = str(cache)
    return env


def _in_process(argv: list[str], capsys, monkeypatch, cache: str) -> tuple[int, dict, str]:
    monkeypatch.setenv("FACTCHECK_CACHE", cache)
    capsys.readouterr()
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def _baseline(capsys, monkeypatch) -> tuple[int, dict]:
    code, report, err = _in_process(ARGV, capsys, monkeypatch, "off")
    assert err == "" and len(report["results"]) == len(ARTICLES) * 4
    return code, report


def _wait_for(proc: subprocess.Popen, word: str) -> None:
    line = proc.stdout.readline()
    if word not in line:
        proc.kill()
        raise AssertionError(f"child said {line!r}; stderr: {proc.stderr.read()}")


def test_a_run_killed_while_writing_the_cache_leaves_a_cache_the_next_run_uses(project, capsys, monkeypatch):
    code, expected = _baseline(capsys, monkeypatch)
    db = project / "cache.db"
    proc = subprocess.Popen([sys.executable, "-c", KILLED_MID_WRITE, *ARGV], cwd=project, env=_env(db),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(proc, "WRITING")
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    assert (project / "cache.db-wal").exists()  # killed inside a transaction, as intended

    again_code, again, err = _in_process(ARGV, capsys, monkeypatch, str(db))
    assert (again_code, again["results"]) == (code, expected["results"])
    assert "Traceback" not in err
    with sqlite3.connect(db) as conn:  # the half-written rows were rolled back, the new ones stored
        rows = conn.execute("SELECT facts FROM facts").fetchall()
    assert len(rows) == len(ARTICLES) and all(blob.startswith("{") and "half" not in blob for (blob,) in rows)

    third_code, third, err = _in_process(ARGV, capsys, monkeypatch, str(db))  # served from the cache
    assert (third_code, third["results"], err) == (code, expected["results"], "")


def test_a_writer_killed_between_and_inside_transactions_leaves_a_readable_cache(project, capsys, monkeypatch):
    code, expected = _baseline(capsys, monkeypatch)
    db = project / "cache.db"
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(db)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(proc, "WRITING")
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        written = conn.execute("SELECT COUNT(*) FROM facts").fetchone()[0]
    assert written >= 6 * 20 and written % 20 == 0  # whole transactions only
    again_code, again, err = _in_process(ARGV, capsys, monkeypatch, str(db))
    assert (again_code, again["results"], err) == (code, expected["results"], "")


def test_two_concurrent_runs_over_one_cache_both_succeed_with_identical_reports(project, capsys, monkeypatch):
    code, expected = _baseline(capsys, monkeypatch)
    db = project / "shared.db"
    argv = [sys.executable, "-m", "factcheck.cli", *ARGV]
    procs = [subprocess.Popen(argv, cwd=project, env=_env(db), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=300) for p in procs]
    for p, (out, err) in zip(procs, outputs):
        assert p.returncode == code, err
        assert err == "", err
    first, second = (json.loads(out) for out, _ in outputs)
    assert first == second
    assert first["results"] == expected["results"]
    third_code, third, err = _in_process(ARGV, capsys, monkeypatch, str(db))  # and the cache they left is good
    assert (third_code, third["results"], err) == (code, expected["results"], "")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM facts").fetchone()[0] == len(ARTICLES)
