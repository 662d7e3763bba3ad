"""The fact cache's remembered sources (`factcheck.sources.memo`), mixed into
`run.cache.FactCache`, whose `_select` and `_run` they use: table `sources_read`, a row per
file (its key, stamp, the Source as text and a CRC-32 of both). Past MAX_SOURCES rows, those
written longest ago go."""
from __future__ import annotations

import time
from typing import Sequence

from factcheck.run.cache_kept import _Store
from factcheck.sources.memo import entry_checksum

SOURCES_TABLE = ("CREATE TABLE IF NOT EXISTS sources_read (key TEXT PRIMARY KEY, stamp TEXT NOT NULL, "
                 "source TEXT NOT NULL, checksum INTEGER NOT NULL, created REAL NOT NULL)")
MAX_SOURCES = 100_000  # files remembered (about 7 KB each for news articles)


class SourceRows(_Store):
    """Sources by key, as `sources.memo.SourceMemo`."""

    def recall_sources(self, keys: Sequence[str]) -> dict[str, tuple[str, str]]:
        rows = self._select("SELECT key, stamp, source, checksum FROM sources_read WHERE key IN ({})", keys,
                            table="sources_read")
        return {key: (stamp, source) for key, stamp, source, checksum in rows
                if isinstance(stamp, str) and isinstance(source, str) and checksum == entry_checksum(stamp, source)}

    def remember_sources(self, rows: Sequence[tuple[str, str, str]]) -> None:
        now = time.time()
        self._write(SOURCES_TABLE, "INSERT OR REPLACE INTO sources_read (key, stamp, source, checksum, created) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [(key, stamp, source, entry_checksum(stamp, source), now) for key, stamp, source in rows],
                    f"DELETE FROM sources_read WHERE (SELECT COUNT(*) FROM sources_read) > {MAX_SOURCES} "
                    f"AND key NOT IN (SELECT key FROM sources_read ORDER BY created DESC LIMIT {MAX_SOURCES})")
