"""Extraction on a Dask cluster: same facts as a local run, stored in the local cache."""
from __future__ import annotations

import datetime as dt

import pytest

from factcheck.extract import ExtractionRequest
from factcheck.run import backends as cluster
from factcheck.run import extraction, runner
from factcheck.run.cache import FactCache
from factcheck.config import Config
from factcheck.errors import ConfigError
from factcheck.kb.store import load_kb
from factcheck.model import Source

from cache_fixtures import ARTICLES, KB, CountingExtractor


@pytest.fixture()
def kb(tmp_path):
    path = tmp_path / "kb.yaml"
    path.write_text(KB, encoding="utf-8")
    return load_kb([str(path)])


@pytest.mark.nlp
def test_a_local_cluster_gives_the_local_facts_and_fills_the_local_cache(tmp_path, kb, monkeypatch):
    from distributed import LocalCluster

    sources = [Source(name, name, text, published=dt.date(2020, 1, 14))
               for name, text in list(ARTICLES.items())[:2]]
    db = str(tmp_path / "c.db")
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as lc:
        with FactCache(db) as c:
            remote = runner.extract_all(sources, ExtractionRequest(kb, "en_core_web_sm", ["summit"]), cache=c, scheduler=lc.scheduler_address)
    local = runner.extract_all(sources, ExtractionRequest(kb, "en_core_web_sm", ["summit"]))
    assert local[1] == {} and sum(len(f) for f in local[0].values()) > 0
    assert remote == local
    assert [list(f) for f in remote[0].values()] == [list(f) for f in local[0].values()]

    fake = CountingExtractor()
    monkeypatch.setattr(cluster, "iter_extract", fake)
    with FactCache(db) as c:
        again = runner.extract_all(sources, ExtractionRequest(kb, "en_core_web_sm", ["summit"]), cache=c)
    assert fake.calls == [] and again == local


def test_an_unreachable_scheduler_is_a_config_error(kb, monkeypatch):
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", "1s")
    monkeypatch.setattr(cluster, "iter_extract", CountingExtractor())
    sources = [Source("a.txt", "a.txt", "Russia backs the LNA.")]
    with pytest.raises(ConfigError) as info:
        runner.extract_all(sources, ExtractionRequest(kb, "en_core_web_sm"), scheduler="tcp://127.0.0.1:9")
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in info.value.message
    assert "--scheduler" in info.value.hint


def test_scheduler_precedence(monkeypatch):
    monkeypatch.delenv("FACTCHECK_SCHEDULER", raising=False)
    assert extraction.scheduler_address(Config()) is None
    assert extraction.scheduler_address(Config(scheduler="tcp://conf:8786")) == "tcp://conf:8786"
    monkeypatch.setenv("FACTCHECK_SCHEDULER", "tcp://env:8786")
    assert extraction.scheduler_address(Config(scheduler="tcp://conf:8786")) == "tcp://env:8786"
    assert extraction.scheduler_address(Config(scheduler="tcp://conf:8786"), "tcp://cli:1") == "tcp://cli:1"
    monkeypatch.setenv("FACTCHECK_SCHEDULER", "")
    assert extraction.scheduler_address(Config(scheduler="tcp://conf:8786")) is None  # empty: run locally


def test_cached_sources_never_reach_the_cluster(tmp_path, kb, monkeypatch):
    fake = CountingExtractor()
    monkeypatch.setattr(cluster, "iter_extract", fake)
    sources = [Source("a.txt", "a.txt", "Russia backs the LNA.")]
    with FactCache(str(tmp_path / "c.db")) as c:
        first = runner.extract_all(sources, ExtractionRequest(kb, "en_core_web_sm"), cache=c)
        # every source is cached: the unreachable scheduler is never contacted
        assert runner.extract_all(sources, ExtractionRequest(kb, "en_core_web_sm"), cache=c, scheduler="tcp://127.0.0.1:9") == first
