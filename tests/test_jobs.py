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
