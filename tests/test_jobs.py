"""Extraction in a process pool (`--jobs N`) gives what one process gives, in the same order."""
from __future__ import annotations

import datetime as dt

import pytest

from factcheck.extract import ExtractionRequest
from factcheck.run import backends as cluster
from factcheck.run import runner
from factcheck.kb.store import load_kb
from factcheck.model import Source

from cache_fixtures import ARTICLES, KB, CountingExtractor


@pytest.fixture()
def kb(tmp_path):
    path = tmp_path / "kb.yaml"
    path.write_text(KB, encoding="utf-8")
    return load_kb([str(path)])


def _many(n: int) -> list[Source]:
    words = ["Russia", "Turkey", "Egypt", "France", "Germany"]
    return [Source(f"{i:03}.txt", f"{i:03}.txt", f"{words[i % 5]} backs side {i}.\nLine two of {i}.")
            for i in range(n)]


def _init_without_model(request):
    cluster._WORKER["request"] = request


def test_chunks_cover_every_source_once_in_order():
    for n in (1, 2, 7, 31, 100, 1000):
        for workers in (1, 2, 3, 8):
            parts = cluster.chunks(n, workers)
            assert [i for p in parts for i in p] == list(range(n))
            assert max(len(p) for p in parts) <= cluster.MAX_CHUNK


def test_few_sources_stay_in_process(monkeypatch):
    monkeypatch.setattr(cluster.os, "cpu_count", lambda: 8)
    assert cluster.pool_workers(3, 8) == 1
    assert cluster.pool_workers(cluster.MIN_SOURCES_PER_WORKER * 2, 8) == 2
    assert cluster.pool_workers(10_000, 4) == 4
    monkeypatch.setattr(cluster.os, "cpu_count", lambda: 2)
    assert cluster.pool_workers(10_000, 64) == 2  # never more workers than cores


def test_a_pool_returns_the_facts_of_one_process_in_order(kb, monkeypatch):
    fake = CountingExtractor()
    monkeypatch.setattr(cluster, "iter_extract", fake)  # workers are forked: they use it too
    monkeypatch.setattr(cluster, "_init_worker", _init_without_model)
    monkeypatch.setattr(cluster, "MIN_SOURCES_PER_WORKER", 1)
    sources = _many(40)
    seen = []
    one = runner.extract_all(sources, ExtractionRequest(kb, "en_core_web_sm"), jobs=1)
    two = runner.extract_all(sources, ExtractionRequest(kb, "en_core_web_sm"), jobs=2,
                             progress=lambda d, t, n: seen.append((d, t, n)))
    assert two == one
    assert list(two[0]) == [s.name for s in sources]
    assert len(fake.calls) == 40  # the pool's calls happened in the workers, not here
    assert seen == [(i + 1, 40, f"{i:03}.txt") for i in range(40)]


def test_a_broken_pool_finishes_in_process(kb, monkeypatch):
    def broken(request):
        raise SystemExit("model failed")

    monkeypatch.setattr(cluster, "iter_extract", CountingExtractor())
    monkeypatch.setattr(cluster, "_init_worker", broken)
    monkeypatch.setattr(cluster, "MIN_SOURCES_PER_WORKER", 1)
    sources = _many(6)
    assert runner.extract_all(sources, ExtractionRequest(kb, "en_core_web_sm"), jobs=2) == runner.extract_all(sources, ExtractionRequest(kb, "en_core_web_sm"))


@pytest.mark.nlp
def test_jobs_two_matches_jobs_one_with_spacy(kb, monkeypatch):
    monkeypatch.setattr(cluster, "MIN_SOURCES_PER_WORKER", 1)
    sources = [Source(name, name, text, published=dt.date(2020, 1, 14)) for name, text in ARTICLES.items()]
    one = runner.extract_all(sources, ExtractionRequest(kb, "en_core_web_sm", ["summit"]), jobs=1)
    two = runner.extract_all(sources, ExtractionRequest(kb, "en_core_web_sm", ["summit"]), jobs=2)
    assert one[1] == {} and sum(len(f) for f in one[0].values()) > 0
    assert two == one
    assert [list(f) for f in two[0].values()] == [list(f) for f in one[0].values()]


# --------------------------------------------------------------------------- signals on a pool run

def _session(sid: int) -> set[int]:
    """The live processes of session `sid` (the run and its workers: it was started as a session leader)."""
    import os

    out = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[3]) == sid:
            out.add(int(entry))
    return out


def _entries(db) -> dict[str, float]:
    import sqlite3

    if not db.exists():
        return {}
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        return dict(conn.execute("SELECT key, created FROM facts"))
    except sqlite3.OperationalError:  # not created yet
        return {}
    finally:
        conn.close()


def _pool_run(tmp_path, n: int = 80):
    import subprocess
    import sys

    (tmp_path / "r.fc").write_text("mentions(Qatar)\n", encoding="utf-8")
    for i in range(n):
        (tmp_path / f"{i:03d}.txt").write_text(f"Qatar hosted talks in Doha on Monday, round {i}. " * 60,
                                               encoding="utf-8")
    return subprocess.Popen([sys.executable, "-m", "factcheck.cli", "check", "r.fc", "--sources", "*.txt", "--jobs", "2",
                             "--cache", "cache.db", "-q"], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def _stopped(proc, sig: int) -> tuple[str, float]:
    """Send `sig` to the run's whole process group (what Ctrl-C in a terminal does) and wait:
    (stderr, seconds it took to stop)."""
    import os
    import time

    started = time.monotonic()
    os.killpg(proc.pid, sig)
    _, err = proc.communicate(timeout=60)
    return err, time.monotonic() - started


@pytest.mark.nlp
@pytest.mark.parametrize("signame, code, line", [("SIGINT", 130, "factcheck: interrupted"),
                                                 ("SIGTERM", 143, "factcheck: terminated")])
def test_a_signal_stops_a_pool_run_with_one_line_and_the_next_run_reuses_its_cache(tmp_path, signame, code, line):
    import signal
    import subprocess
    import sys
    import time

    proc = _pool_run(tmp_path)
    db = tmp_path / "cache.db"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None and len(_entries(db)) < 32:
        time.sleep(0.1)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    err, seconds = _stopped(proc, getattr(signal, signame))
    assert proc.returncode == code and err.strip().splitlines() == [line], err
    assert seconds < 10  # well under a second; a hang or a wait for the workers would not be
    time.sleep(0.5)
    assert _session(proc.pid) == set(), "a process of the run is still alive"
    kept = _entries(db)
    assert 32 <= len(kept) < 80
    again = subprocess.run([sys.executable, "-m", "factcheck.cli", "check", "r.fc", "--sources", "*.txt", "--jobs", "2",
                            "--cache", "cache.db", "-q"], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0 and "Traceback" not in again.stderr
    after = _entries(db)
    assert len(after) == 80 and all(after[k] == created for k, created in kept.items())  # read, not written again


@pytest.mark.nlp
@pytest.mark.parametrize("delay", [0.0, 0.3, 1.0])
def test_ctrl_c_while_the_workers_start_is_one_line_and_no_process_left(tmp_path, delay):
    import signal
    import time

    proc = _pool_run(tmp_path, 40)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and len(_session(proc.pid)) < 2:
        time.sleep(0.01)  # the first worker is forked: the pool is starting
    assert proc.poll() is None
    time.sleep(delay)
    err, seconds = _stopped(proc, signal.SIGINT)
    assert proc.returncode == 130 and err.strip().splitlines() == ["factcheck: interrupted"], err
    assert seconds < 10
    time.sleep(0.5)
    assert _session(proc.pid) == set()


@pytest.mark.nlp
@pytest.mark.parametrize("signame, code, line", [("SIGTERM", 143, "factcheck: terminated"),
                                                 ("SIGINT", 130, "factcheck: interrupted")])
def test_a_signal_to_the_run_alone_while_large_chunks_wait_for_workers_ends_it(tmp_path, signame, code, line):
    """The signal goes to the parent only (as `kill PID` or `timeout` send it), early, while the
    pool's feeder thread is still writing chunks larger than a pipe holds to workers that are
    loading the model: the run must end, not wait at exit for a write no worker will read."""
    import os
    import signal
    import subprocess
    import sys
    import time

    (tmp_path / "r.fc").write_text("mentions(Qatar)\n", encoding="utf-8")
    for i in range(400):
        (tmp_path / f"{i:03d}.txt").write_text(f"Qatar hosted talks in Doha on Monday, round {i}. " * 120,
                                               encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "factcheck.cli", "check", "r.fc", "--sources", "*.txt", "--jobs", "2",
                             "--cache", "cache.db", "-q"], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and len(_session(proc.pid)) < 3:
        time.sleep(0.05)  # both workers forked: the feeder is writing chunks they do not read yet
    assert proc.poll() is None
    time.sleep(0.5)
    started = time.monotonic()
    os.kill(proc.pid, getattr(signal, signame))
    try:
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    assert proc.returncode == code and err.strip().splitlines() == [line], err
    assert time.monotonic() - started < 10
    time.sleep(0.5)
    assert _session(proc.pid) == set(), "a process of the run is still alive"
