"""What every test shares: no test writes a fact cache outside its own temporary folder.

The `nlp` marker is on the tests that load the spaCy model (directly or through a command
they run): `pytest -m "not nlp"` is the fast inner loop (parsing, the engine, reports, the
cache, sources, plugins, without the model).
"""
from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session", autouse=True)
def _no_cache_in_the_checkout(tmp_path_factory):
    """Before any module-scoped fixture runs a check (they are set up before the per-test
    fixture below), $FACTCHECK_CACHE and $FACTCHECK_DATA_CACHE already point into a temporary
    folder: no test writes into the checkout or the user's home."""
    folder = tmp_path_factory.mktemp("session-cache")
    wanted = {"FACTCHECK_CACHE": str(folder / "cache.db"),  # the fact cache
              "FACTCHECK_DATA_CACHE": str(folder / "data")}  # the gazetteer's built tables (not ~/.cache)
    saved = {k: os.environ.get(k) for k in wanted}
    os.environ.update(wanted)
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(autouse=True)
def _cache_in_a_temporary_folder(tmp_path_factory, monkeypatch):
    """$FACTCHECK_CACHE points into a fresh temporary folder (subprocesses inherit it), so no
    test writes `.factcheck/cache.db` into the checkout or reuses another test's facts. A test
    about the cache's own precedence sets or deletes the variable itself."""
    monkeypatch.setenv("FACTCHECK_CACHE", str(tmp_path_factory.mktemp("cache") / "cache.db"))
